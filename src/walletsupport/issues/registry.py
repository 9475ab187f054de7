"""IssueRegistry: the set of issue categories triage chooses from, extensible by registration.

There is no module-level registry: build one with
[default_registry][walletsupport.issues.default_registry] (the built-ins) or
``IssueRegistry()`` (empty), then ``register`` your own categories or load them from the
``walletsupport.issue_types`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from importlib import metadata

from walletsupport._shown import shown
from walletsupport.errors import (
    ConfigurationError,
    DuplicateIssueCategoryError,
    InvalidInputError,
    UnknownIssueCategoryError,
)
from walletsupport.issues._matcher import Matcher
from walletsupport.issues._taxonomy import builtin_categories
from walletsupport.issues.categories import IssueCategory

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
        >>> len(registry), "forgot_password" in registry
        (10, True)
        >>> registry.get("add_card").name_en
        'Adding or linking a card'
        >>> registry.get("lost_dog")
        Traceback (most recent call last):
        ...
        walletsupport.errors.UnknownIssueCategoryError: unknown issue category 'lost_dog'
    """

    __slots__ = ("_categories", "_matcher")

    def __init__(self, categories: Iterable[IssueCategory] = ()) -> None:
        self._categories: dict[str, IssueCategory] = {}
        self._matcher: Matcher | None = None
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
        self._matcher = None

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

    def _compiled(self) -> Matcher:
        matcher = self._matcher
        if matcher is None:
            matcher = Matcher(tuple(self._categories.values()))
            self._matcher = matcher
        return matcher

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
    """A new registry holding the ten built-in categories; each call returns a fresh one.

    Examples:
        >>> a, b = default_registry(), default_registry()
        >>> a is b, a.ids() == b.ids()
        (False, True)
    """
    return IssueRegistry(builtin_categories())
