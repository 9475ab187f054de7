"""Support lines and the directory that holds them.

A [SupportLine][walletsupport.contact.SupportLine] is a frozen value: a phone number (full E.164
or a region's short service number), the regions and languages it serves, the issue categories
it handles, its tier, its business hours as a [Schedule][walletsupport.calendars.Schedule] in
its own zone, whether it offers callbacks, and its queue model for wait estimates.

A [Directory][walletsupport.contact.Directory] is a validated set of lines, loadable from plain
data (JSON or TOML parsed to dicts) with ``model_validate``. Category ids and groups are checked
against an [IssueRegistry][walletsupport.issues.IssueRegistry] (the built-in one unless another
is passed as ``context={"registry": ...}``), and errors name the offending line.

Examples:
    >>> line = SupportLine.model_validate({
    ...     "id": "demo-us", "name": {"en": "Demo line", "zh": "演示热线"},
    ...     "number": "+1 202 555 0100", "regions": ["US"], "languages": ["en"],
    ...     "schedule": {"zone": "America/New_York", "hours": {"mon": [["09:00", "17:00"]]}},
    ... })
    >>> line.handles_all, line.dial_from("US")
    (True, '(202) 555-0100')
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.calendars import Schedule
from walletsupport.calendars.hours import span_seconds
from walletsupport.contact._checks import check_instance, registry_or_default
from walletsupport.contact.wait import QueueParameters
from walletsupport.errors import (
    InvalidDirectoryError,
    InvalidInputError,
    UnknownLineError,
    WalletSupportError,
)
from walletsupport.issues.categories import IssueCategory
from walletsupport.issues.registry import IssueRegistry, default_registry
from walletsupport.values import Locale, PhoneNumber, Region

__all__ = ["Directory", "FallbackChannel", "LineTier", "LocalizedText", "SupportLine"]

_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_WEEK_SECONDS = 7 * 86_400
_DAY_INDEX = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}

LineId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$", examples=["acme-us-fraud"])]
"""A stable line id: lower-case letters, digits, ``_``, ``.`` and ``-``."""


class LocalizedText(WalletModel, frozen=True, extra="forbid"):
    """A short text in English and Simplified Chinese.

    Examples:
        >>> LocalizedText(en="Fraud line", zh="反欺诈热线").text("zh")
        '反欺诈热线'
    """

    en: str = Field(min_length=1, max_length=500)
    zh: str = Field(min_length=1, max_length=500)

    def text(self, locale: Locale | str) -> str:
        """The text in ``locale`` (``"en"`` or ``"zh"``).

        Raises:
            InvalidInputError: an unknown locale.

        Examples:
            >>> LocalizedText(en="Open", zh="营业中").text("en")
            'Open'
        """
        return self.zh if Locale(locale) is Locale.ZH else self.en


class LineTier(WalletEnum):
    """How a line ranks for urgent issues.

    ``urgent`` lines exist for money-at-risk cases (for example a 24/7 fraud line for
    ``unauthorized_transaction``); routing prefers them for urgent categories.

    Examples:
        >>> LineTier("urgent") is LineTier.URGENT
        True
    """

    STANDARD = "standard"
    URGENT = "urgent"


class FallbackChannel(WalletEnum):
    """Where to go when no phone line fits: the in-app chat or e-mail.

    Examples:
        >>> [c.value for c in FallbackChannel]
        ['in_app_chat', 'email']
    """

    IN_APP_CHAT = "in_app_chat"
    EMAIL = "email"


def _primary(language: str) -> str:
    return language.split("-", 1)[0].lower()


def _always_open(schedule: Schedule) -> bool:
    """True when the weekly hours cover the whole week and nothing ever closes the line."""
    if schedule.breaks or schedule.dated_breaks or schedule.holidays:
        return False
    if schedule.holiday_calendar is not None:
        return False
    if any(not spans for spans in schedule.overrides.values()):
        return False
    covered: list[tuple[int, int]] = []
    for day, spans in schedule.hours.items():
        base = _DAY_INDEX[str(day)] * 86_400
        for span in spans:
            start, end = span_seconds(span)
            lo, hi = base + start, base + end
            if hi <= _WEEK_SECONDS:
                covered.append((lo, hi))
            else:
                covered.extend([(lo, _WEEK_SECONDS), (0, hi - _WEEK_SECONDS)])
    reach = 0
    for lo, hi in sorted(covered):
        if lo > reach:
            return False
        reach = max(reach, hi)
    if reach < _WEEK_SECONDS:
        return False
    # an override with hours still closes the rest of that day
    return all(
        span_seconds(s) == (0, 86_400) for spans in schedule.overrides.values() for s in spans
    )


class SupportLine(WalletModel, frozen=True, extra="forbid"):
    """One phone line a customer can call.

    Attributes:
        id: stable line id, unique within a directory.
        name: the line's name in English and Chinese.
        number: what to dial: E.164 or a short service number of its region.
        international_number: a full number for callers who cannot dial ``number`` (a short
            number is dialable only inside its region; reference ``PHONE_FULL_NUMBER_FOR_ABROAD``).
        regions: ISO 3166-1 alpha-2 regions whose customers this line serves.
        languages: languages spoken (BCP 47 tags such as ``"en"``, ``"zh"``, ``"de"``).
        categories: issue category ids handled, or ``"all"``.
        groups: issue groups handled in addition to ``categories``.
        tier: ``urgent`` for money-at-risk lines.
        schedule: business hours in the line's own zone.
        callback: whether the line offers to call back instead of holding.
        queue: staffing and demand by time band, for wait estimates (optional).
        example: True for fictional or example data that is not a real service line.

    Raises:
        pydantic.ValidationError: bad fields, an emergency number (``PHONE_EMERGENCY_GUARD``),
            a short ``international_number``, or a line that handles nothing.

    Examples:
        >>> from walletsupport.calendars import Schedule
        >>> line = SupportLine(
        ...     id="cn-main", name=LocalizedText(en="Main line", zh="客服热线"),
        ...     number=PhoneNumber.parse("95188", region="CN"),
        ...     international_number=PhoneNumber.parse("+86 571 95017"),
        ...     regions=("CN", "HK"), languages=("zh",),
        ...     schedule=Schedule.always_open("Asia/Shanghai"), example=True)
        >>> line.dial_from("CN"), line.dial_from("HK")
        ('95188', '00 86 571 95017')
        >>> line.is_always_open
        True
    """

    invalid_error: ClassVar[type[WalletSupportError]] = InvalidDirectoryError

    id: LineId
    name: LocalizedText
    number: PhoneNumber
    international_number: PhoneNumber | None = None
    regions: tuple[Region, ...] = Field(min_length=1)
    languages: tuple[str, ...] = Field(min_length=1, examples=[["en", "zh"]])
    categories: tuple[str, ...] | Literal["all"] = "all"
    groups: tuple[str, ...] = ()
    tier: LineTier = LineTier.STANDARD
    schedule: Schedule
    callback: bool = False
    queue: QueueParameters | None = None
    example: bool = False

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for tag in value:
            if not _LANGUAGE.match(tag):
                raise PydanticCustomError(
                    "walletsupport.line_language",
                    "language {tag!r} is not a BCP 47 tag such as 'en' or 'zh-Hans'",
                    {"tag": tag},
                )
        if len({t.lower() for t in value}) != len(value):
            raise PydanticCustomError("walletsupport.line_language", "languages repeat")
        return value

    @field_validator("regions")
    @classmethod
    def _regions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise PydanticCustomError("walletsupport.line_regions", "regions repeat")
        return value

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.number.is_emergency:
            raise PydanticCustomError(
                "walletsupport.line_emergency",
                "an emergency number cannot be a support line (PHONE_EMERGENCY_GUARD)",
            )
        if self.international_number is not None and self.international_number.is_short:
            raise PydanticCustomError(
                "walletsupport.line_international",
                "international_number must be a full number, not a short one",
            )
        if self.categories != "all" and not self.categories and not self.groups:
            raise PydanticCustomError(
                "walletsupport.line_scope", "the line handles no category and no group"
            )
        return self

    @property
    def handles_all(self) -> bool:
        """True when the line takes every issue category."""
        return self.categories == "all"

    @property
    def is_always_open(self) -> bool:
        """True for a 24/7 line: hours cover the whole week, no breaks, holidays or closures.

        Examples:
            >>> from walletsupport.calendars import Schedule
            >>> from walletsupport.contact.samples import sample_directory
            >>> sample_directory().get("acme-us-fraud").is_always_open
            True
        """
        return _always_open(self.schedule)

    def handles(self, category: IssueCategory | str, registry: IssueRegistry | None = None) -> bool:
        """Whether this line takes ``category`` (by id, by group, or because it takes all).

        Args:
            category: the category, or its id (looked up in ``registry``, the built-ins by
                default).
            registry: where to look an id up.

        Raises:
            UnknownIssueCategoryError: an id that is not registered.
            InvalidInputError: ``category`` is neither a category nor a string.

        Examples:
            >>> from walletsupport.issues import default_registry
            >>> from walletsupport.contact.samples import sample_directory
            >>> fraud = sample_directory().get("acme-us-fraud")
            >>> fraud.handles(default_registry().get("app_crash"))
            False
            >>> fraud.handles("unauthorized_transaction")
            True
        """
        if isinstance(category, str):
            category = registry_or_default(registry).get(category)
        elif not isinstance(category, IssueCategory):
            raise InvalidInputError(
                f"category must be an IssueCategory or an id, not {type(category).__name__}"
            )
        if self.handles_all:
            return True
        return category.id in self.categories or str(category.group) in self.groups

    def serves(self, region: str) -> bool:
        """Whether customers from ``region`` are served by this line.

        Examples:
            >>> from walletsupport.contact.samples import sample_directory
            >>> sample_directory().get("acme-us-main").serves("US")
            True
        """
        return region in self.regions

    def speaks(self, language: str) -> bool:
        """Whether the line speaks ``language`` (compared by primary subtag: zh-CN matches zh).

        Examples:
            >>> from walletsupport.contact.samples import sample_directory
            >>> sample_directory().get("lianfu-cn-main").speaks("zh-Hans")
            True
        """
        wanted = _primary(check_instance(language, str, "language"))
        return any(_primary(tag) == wanted for tag in self.languages)

    def dial_from(self, caller_region: str) -> str | None:
        """The digits to dial from ``caller_region``: the main number if it is dialable there,
        else the international alternative; ``None`` when neither can be dialled.

        Raises:
            InvalidInputError: an unknown region code.

        Examples:
            >>> from walletsupport.contact.samples import sample_directory
            >>> sample_directory().get("acme-us-main").dial_from("GB")
            '00 1 202-555-0142'
        """
        direct = self.number.dial_from(caller_region)
        if direct is not None or self.international_number is None:
            return direct
        return self.international_number.dial_from(caller_region)

    def dialed_number(self, caller_region: str) -> PhoneNumber | None:
        """Which of the line's numbers a caller in ``caller_region`` uses (or ``None``).

        Examples:
            >>> from walletsupport.contact.samples import sample_directory
            >>> cn = sample_directory().get("lianfu-cn-main")
            >>> cn.dialed_number("CN").is_short, cn.dialed_number("US").is_short
            (True, False)
        """
        if self.number.is_dialable_from(caller_region):
            return self.number
        if self.international_number is not None and self.international_number.is_dialable_from(
            caller_region
        ):
            return self.international_number
        return None

    def category_ids(self, registry: IssueRegistry) -> frozenset[str]:
        """The ids of every category in ``registry`` this line handles.

        Examples:
            >>> from walletsupport.issues import default_registry
            >>> from walletsupport.contact.samples import sample_directory
            >>> sorted(sample_directory().get("acme-us-fraud").category_ids(default_registry()))
            ['lost_or_stolen', 'security_concern', 'unauthorized_transaction']
        """
        chosen = check_instance(registry, IssueRegistry, "registry")
        return frozenset(c.id for c in chosen if self.handles(c))


def _directory_error(exc: ValidationError) -> InvalidDirectoryError:
    line_id: str | None = None
    parts: list[str] = []
    for err in exc.errors(include_input=False, include_url=False):
        ctx = err.get("ctx") or {}
        if line_id is None and isinstance(ctx.get("line_id"), str):
            line_id = ctx["line_id"]
        where = ".".join(str(p) for p in err["loc"]) or "directory"
        parts.append(f"{where}: {err['msg']}")
    return InvalidDirectoryError(f"invalid directory: {'; '.join(parts)}", line_id=line_id)


def _line_error(kind: str, message: str, line_id: str, **ctx: Any) -> PydanticCustomError:
    return PydanticCustomError(
        f"walletsupport.directory_{kind}", "line {line_id}: " + message, {"line_id": line_id, **ctx}
    )


class Directory(WalletModel, frozen=True, extra="forbid"):
    """A validated set of support lines, plus the fallback channels when none fits.

    Validation (the registry comes from ``context={"registry": ...}`` or
    [load][walletsupport.contact.Directory.load]'s ``registry``, the built-in one by default):

    * line ids are unique;
    * every category id and group a line names exists in the registry;
    * no two lines are *overlapping duplicates*: the same number (as dialled in its own
      region) serving a shared region, language and category.

    Raises:
        InvalidDirectoryError: from ``model_validate``, ``model_validate_json`` and ``load``
            when a rule is broken; ``line_id`` names the offending line. Direct construction
            (``Directory(lines=...)``) raises it too.

    Examples:
        >>> data = {"lines": [{
        ...     "id": "x", "name": {"en": "X", "zh": "X"}, "number": "+12025550100",
        ...     "regions": ["US"], "languages": ["en"], "categories": ["lost_dog"],
        ...     "schedule": {"zone": "UTC"}}]}
        >>> Directory.model_validate(data)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidDirectoryError: invalid directory: lines: line x: unknown ...
    """

    lines: tuple[SupportLine, ...] = ()
    fallback: tuple[FallbackChannel, ...] = (FallbackChannel.IN_APP_CHAT, FallbackChannel.EMAIL)

    @classmethod
    def _error_from(cls, exc: ValidationError) -> InvalidDirectoryError:
        # construction, model_validate and model_validate_json all raise this, naming the line
        return _directory_error(exc)

    @field_validator("lines")
    @classmethod
    def _check_lines(
        cls, lines: tuple[SupportLine, ...], info: ValidationInfo
    ) -> tuple[SupportLine, ...]:
        context = info.context if isinstance(info.context, dict) else {}
        registry = context.get("registry")
        if registry is None:
            registry = default_registry()
        if not isinstance(registry, IssueRegistry):
            raise PydanticCustomError(
                "walletsupport.directory_registry", "context['registry'] must be an IssueRegistry"
            )
        known_groups = {str(c.group) for c in registry}
        known_ids = {c.id for c in registry}
        seen: set[str] = set()
        scopes: list[tuple[SupportLine, frozenset[str]]] = []
        for line in lines:
            if line.id in seen:
                raise _line_error("duplicate_id", "the id is used twice", line.id)
            seen.add(line.id)
            if line.categories != "all":
                for cid in line.categories:
                    if cid not in known_ids:
                        raise _line_error(
                            "unknown_category",
                            "unknown issue category {category}",
                            line.id,
                            category=repr(cid),
                        )
            for group in line.groups:
                if group not in known_groups:
                    raise _line_error(
                        "unknown_group", "unknown issue group {group}", line.id, group=repr(group)
                    )
            scope = line.category_ids(registry)
            for other, other_scope in scopes:
                if _duplicates(line, other) and scope & other_scope:
                    raise _line_error(
                        "overlap",
                        "duplicates line {other}: same number for a shared region, language "
                        "and category",
                        line.id,
                        other=repr(other.id),
                    )
            scopes.append((line, scope))
        return lines

    def __len__(self) -> int:
        return len(self.lines)

    def get(self, line_id: str) -> SupportLine:
        """The line with id ``line_id``.

        Raises:
            UnknownLineError: no such line.

        Examples:
            >>> Directory().get("nope")
            Traceback (most recent call last):
            ...
            walletsupport.errors.UnknownLineError: unknown support line 'nope'
        """
        for line in self.lines:
            if line.id == line_id:
                return line
        raise UnknownLineError(line_id)

    @classmethod
    def load(cls, data: Any, *, registry: IssueRegistry | None = None) -> Directory:
        """Validate plain data against ``registry`` (the built-in one by default).

        Raises:
            InvalidDirectoryError: the data breaks a rule; ``line_id`` names the line.

        Examples:
            >>> from walletsupport.issues import default_registry
            >>> Directory.load({"lines": []}, registry=default_registry()).lines
            ()
        """
        chosen = registry_or_default(registry)
        return cls.model_validate(data, context={"registry": chosen})


def _duplicates(a: SupportLine, b: SupportLine) -> bool:
    return (
        a.number == b.number
        and bool(set(a.regions) & set(b.regions))
        and any(b.speaks(tag) for tag in a.languages)
    )
