"""IssueRegistry: the set of issue categories triage chooses from, extensible by registration.

There is no module-level registry: build one with
[default_registry][walletsupport.issues.default_registry] (the built-ins) or
``IssueRegistry()`` (empty), then ``register`` your own categories or load them from the
``walletsupport.issue_types`` entry-point group.

The answer "none of these" is the reserved id [OTHER_ID][walletsupport.issues.OTHER_ID]
(``"other"``): triage may answer it, but it is never registered, so no category can be filed
under it and an integrator's registry needs no entry for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import metadata

from walletsupport._shown import shown
from walletsupport.errors import (
    ConfigurationError,
    DuplicateIssueCategoryError,
    InvalidInputError,
    UnknownIssueCategoryError,
)
from walletsupport.issues._taxonomy import builtin_categories
from walletsupport.issues.categories import OTHER_ID, IssueCategory
from walletsupport.issues.classifier import Classifier

__all__ = ["ENTRY_POINT_GROUP", "IssueRegistry", "builtin_categories", "default_registry"]

#: The entry-point group :meth:`IssueRegistry.load_entry_points` reads by default.
ENTRY_POINT_GROUP = "walletsupport.issue_types"


class IssueRegistry:
    """An ordered collection of [IssueCategory][walletsupport.issues.IssueCategory] by id.

    Iteration follows registration order (which also breaks exact ties in triage). The
    vocabulary is compiled for triage once, on first use, and recompiled after a
    ``register``.

    Args:
        categories: Categories to register at once, in order.

    Raises:
        DuplicateIssueCategoryError: Two categories share an id.
        InvalidInputError: Something other than an ``IssueCategory`` was given.

    Examples:
        >>> from walletsupport.errors import DuplicateIssueCategoryError
        >>> registry = default_registry()
        >>> len(registry), "forgot_password" in registry, "other" in registry
        (20, True, False)
        >>> registry.get("add_card").name_en
        'Adding or linking a card'
        >>> registry.get("lost_dog")
        Traceback (most recent call last):
        ...
        walletsupport.errors.UnknownIssueCategoryError: unknown issue category 'lost_dog'
    """

    __slots__ = ("_categories", "_classifier", "_scorer_cache")

    def __init__(self, categories: Iterable[IssueCategory] = ()) -> None:
        self._categories: dict[str, IssueCategory] = {}
        self._classifier: Classifier | None = None
        self._scorer_cache: _Scorer | None = None
        if isinstance(categories, str | bytes | Mapping) or not isinstance(categories, Iterable):
            raise InvalidInputError(
                f"categories must be an iterable of IssueCategory, not {type(categories).__name__}"
            )
        for category in categories:
            self.register(category)

    def register(self, category: IssueCategory) -> None:
        """Add a category; triage considers it from the next call on.

        Raises:
            DuplicateIssueCategoryError: A category with the same id is already registered.
            InvalidInputError: ``category`` is not an ``IssueCategory``.

        Examples:
            >>> registry = default_registry()
            >>> try:
            ...     registry.register(registry.get("app_crash"))
            ... except DuplicateIssueCategoryError as err:
            ...     print(err.category_id)
            app_crash
        """
        if not isinstance(category, IssueCategory):
            raise InvalidInputError(f"expected an IssueCategory, got {type(category).__name__}")
        if category.id in self._categories:
            raise DuplicateIssueCategoryError(category.id)
        self._categories[category.id] = category
        self._scorer_cache = None

    def use_classifier(self, classifier: Classifier | None) -> None:
        """Score this registry's categories with ``classifier`` (``None``: the shipped model).

        The classifier's classes are category ids, optionally with ``"other"``; a class the
        registry does not hold counts as ``other``. When the classifier is a
        [LinearClassifier][walletsupport.issues.LinearClassifier] (the shipped one
        included), registry categories it does not know are scored from their ``examples``
        in the same softmax, so an integrator's category takes part in triage like a
        built-in one; fit your own model on your labelled tickets for more.

        Raises:
            InvalidInputError: ``classifier`` does not follow the
                [Classifier][walletsupport.ports.Classifier] protocol.

        Examples:
            >>> class Always:
            ...     classes = ("app_crash", "other")
            ...     def predict_proba(self, text):
            ...         return [0.9, 0.1]
            >>> from walletsupport.issues import triage
            >>> registry = default_registry()
            >>> registry.use_classifier(Always())
            >>> triage("anything at all", registry).top.category_id
            'app_crash'
        """
        if classifier is not None and not isinstance(classifier, Classifier):
            raise InvalidInputError(
                f"classifier must have classes and predict_proba, not {type(classifier).__name__}"
            )
        self._classifier = classifier
        self._scorer_cache = None

    def get(self, category_id: str) -> IssueCategory:
        """The category with this id.

        Raises:
            UnknownIssueCategoryError: No category has this id.

        Examples:
            >>> default_registry().get("refund_request").urgency.value
            'normal'
        """
        if not isinstance(category_id, str):
            raise UnknownIssueCategoryError(shown(category_id))
        try:
            return self._categories[category_id]
        except KeyError:
            raise UnknownIssueCategoryError(category_id) from None

    def ids(self) -> tuple[str, ...]:
        """The registered ids in registration order.

        Examples:
            >>> default_registry().ids()[-1]
            'feature_inquiry'
        """
        return tuple(self._categories)

    def load_entry_points(self, group: str = ENTRY_POINT_GROUP) -> tuple[str, ...]:
        """Register the categories that installed distributions advertise as entry points.

        Each entry point in ``group`` must load to an ``IssueCategory``, an iterable of them,
        or a callable taking no arguments that returns either. Declare one in your
        ``pyproject.toml``::

            [project.entry-points."walletsupport.issue_types"]
            acme = "acme_wallet.issues:CATEGORIES"

        Entry points are read in name order; either all of their categories are registered
        or none is.

        Returns:
            The ids registered, in order.

        Raises:
            ConfigurationError: An entry point fails to load or yields something else.
            DuplicateIssueCategoryError: An id is already registered or appears twice.

        Examples:
            >>> default_registry().load_entry_points(group="walletsupport.no_such_group")
            ()
        """
        found: list[IssueCategory] = []
        for entry_point in sorted(metadata.entry_points(group=group), key=lambda e: e.name):
            try:
                loaded = entry_point.load()
                if callable(loaded) and not isinstance(loaded, IssueCategory):
                    loaded = loaded()
            except Exception as exc:
                raise ConfigurationError(
                    f"entry point {shown(entry_point.name)} in {shown(group)} failed to load"
                ) from exc
            items = [loaded] if isinstance(loaded, IssueCategory) else loaded
            try:
                items = list(items)
            except TypeError:
                items = [items]
            for item in items:
                if not isinstance(item, IssueCategory):
                    raise ConfigurationError(
                        f"entry point {shown(entry_point.name)} in {shown(group)} yielded "
                        f"{type(item).__name__}, not IssueCategory"
                    )
                found.append(item)
        seen = set(self._categories)
        for category in found:
            if category.id in seen:
                raise DuplicateIssueCategoryError(category.id)
            seen.add(category.id)
        for category in found:
            self.register(category)
        return tuple(category.id for category in found)

    def _scorer(self) -> _Scorer:
        scorer = self._scorer_cache
        if scorer is None:
            from walletsupport.issues.classifier import LinearClassifier, builtin_classifier

            classifier = self._classifier if self._classifier is not None else builtin_classifier()
            if isinstance(classifier, LinearClassifier):
                known = set(classifier.classes)
                extra = {
                    c.id: texts
                    for c in self._categories.values()
                    if c.id not in known and (texts := _example_texts(c))
                }
                if extra:
                    classifier = classifier.extended(extra)
            scorer = _Scorer(classifier, tuple(self._categories))
            self._scorer_cache = scorer
        return scorer

    def __iter__(self) -> Iterator[IssueCategory]:
        return iter(tuple(self._categories.values()))

    def __len__(self) -> int:
        return len(self._categories)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, IssueCategory):
            return self._categories.get(item.id) == item
        return isinstance(item, str) and item in self._categories

    def __repr__(self) -> str:
        return f"IssueRegistry({len(self)} categories)"


def default_registry() -> IssueRegistry:
    """A new registry holding the twenty built-in categories; each call returns a fresh one.

    Examples:
        >>> a, b = default_registry(), default_registry()
        >>> a is b, a.ids() == b.ids()
        (False, True)
    """
    return IssueRegistry(builtin_categories())


def _example_texts(category: IssueCategory) -> tuple[str, ...]:
    # A category the model does not know is learned from its examples; the positive terms of
    # its vocabulary count as more (short) examples.
    terms = tuple(t.text.replace("…", " ") for t in category.vocabulary if t.weight > 0)
    return (*category.examples, *terms)


class _Scorer:
    """A classifier bound to a registry: its probabilities summed onto registry ids + other."""

    __slots__ = ("_classifier", "_order", "_targets")

    def __init__(self, classifier: Classifier, ids: tuple[str, ...]) -> None:
        known = set(ids)
        self._classifier = classifier
        self._targets = tuple(c if c in known else OTHER_ID for c in classifier.classes)
        self._order = {cid: i for i, cid in enumerate((*ids, OTHER_ID))}

    def rank(self, text: str) -> tuple[list[tuple[str, float]], object]:
        """Registry ids and ``other`` with their probabilities, best first, and a handle
        for ``explain`` (the features, when the classifier is a LinearClassifier)."""
        from walletsupport.issues import _features
        from walletsupport.issues.classifier import LinearClassifier

        classifier = self._classifier
        handle: object = text
        try:
            if isinstance(classifier, LinearClassifier):
                handle = _features.features(text)
                probs: Sequence[float] = classifier._softmax(classifier._logits(handle))
            else:
                probs = classifier.predict_proba(text)
            merged: dict[str, float] = {}
            for target, p in zip(self._targets, probs, strict=True):
                merged[target] = merged.get(target, 0.0) + float(p)
        except Exception as exc:
            raise ConfigurationError("the registry's classifier failed on a message") from exc
        order = self._order
        return sorted(merged.items(), key=lambda kv: (-kv[1], order[kv[0]])), handle

    def explain(self, text: str, handle: object, category_id: str) -> tuple[tuple[str, float], ...]:
        from walletsupport.issues.classifier import LinearClassifier

        classifier = self._classifier
        if isinstance(classifier, LinearClassifier) and isinstance(handle, set):
            return classifier._explain(handle, category_id, 3)
        explain = getattr(classifier, "explain", None)
        if explain is None:
            return ()
        return tuple(explain(text, category_id, 3))
