"""Routing: which line a caller should use now, or when the right one opens.

[route][walletsupport.contact.route] is a pure function of a directory, the caller's region,
the issue category, an instant and an optional language. It never raises for "no line": it
returns [NoRoute][walletsupport.contact.NoRoute] with the fallback channels instead.

**The rules, in order.**

1. *Match*: a line matches when it handles the category (by id, group or "all"), serves the
   caller's region, can be dialled from that region (a short number only inside its own
   region, else its international alternative), and has some opening ahead. If a language is
   asked for and some matching line speaks it, only those lines stay; otherwise all matching
   lines stay and the route says the language was not matched.
2. *Open now wins*: if any matching line is open at ``at``, the route is an open line.
3. *Urgent issues prefer 24/7*: for an urgent category (money at risk: ``time_critical`` or
   urgency ``critical``) a line open around the clock comes first, then an ``urgent``-tier line.
4. *Soonest opening*: if none is open, the line that opens first; ``opens_at`` is given in the
   line's zone and in the caller's zone.
5. Ties go to the more specific line (named category, then group, then "all"), then the shorter
   expected wait, then the line id.

``Route.rule`` names the first of these on which the chosen line beats the runner-up.

**The caller's zone.** A region alone does not pin a zone in countries that span several. The
caller's zone is the ``caller_zone`` argument if given; else a small built-in table of
representative zones (the most populous zone: US ``America/New_York``, CA ``America/Toronto``,
RU ``Europe/Moscow``, ...); else the single zone ``phonenumbers`` gives for the region's example
fixed-line number; else ``UTC``.

Examples:
    >>> from datetime import datetime, timezone
    >>> from walletsupport.contact import sample_directory
    >>> r = route(sample_directory(), region="US", category="unauthorized_transaction",
    ...           at=datetime(2026, 1, 5, 15, 0, tzinfo=timezone.utc))  # Monday 10:00 in New York
    >>> r.line.id, r.rule.value, r.open_now
    ('acme-us-fraud', 'urgent_prefers_24_7', True)
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, Field

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport._shown import shown
from walletsupport.clock import ensure_aware
from walletsupport.contact._checks import check_instance, registry_or_default
from walletsupport.contact.lines import (
    Directory,
    FallbackChannel,
    LineTier,
    LocalizedText,
    SupportLine,
)
from walletsupport.contact.wait import UnboundedWait, WaitEstimate, wait_at
from walletsupport.errors import InvalidInputError, NotFoundError
from walletsupport.issues.categories import IssueCategory, Urgency
from walletsupport.issues.registry import IssueRegistry
from walletsupport.values import PhoneNumber, parse_region

__all__ = ["DialInfo", "NoRoute", "Route", "RouteResult", "RouteRule", "caller_zone_for", "route"]

# Representative zones for regions that span several (the most populous zone) or where
# phonenumbers' example number points at a minor zone. Everything else: phonenumbers, then UTC.
_REGION_ZONES: dict[str, str] = {
    "AR": "America/Argentina/Buenos_Aires",
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CL": "America/Santiago",
    "CN": "Asia/Shanghai",
    "ES": "Europe/Madrid",
    "GB": "Europe/London",
    "ID": "Asia/Jakarta",
    "IE": "Europe/Dublin",
    "IN": "Asia/Kolkata",
    "KZ": "Asia/Almaty",
    "MX": "America/Mexico_City",
    "MN": "Asia/Ulaanbaatar",
    "NZ": "Pacific/Auckland",
    "PT": "Europe/Lisbon",
    "RU": "Europe/Moscow",
    "US": "America/New_York",
}


def caller_zone_for(region: str) -> str:
    """A representative IANA zone for callers in ``region`` (see the module docs).

    Raises:
        InvalidInputError: an unknown region code.

    Examples:
        >>> caller_zone_for("cn"), caller_zone_for("US"), caller_zone_for("JP")
        ('Asia/Shanghai', 'America/New_York', 'Asia/Tokyo')
    """
    return _zone_of(parse_region(region))


@lru_cache(maxsize=512)  # one entry per region at most
def _zone_of(code: str) -> str:
    if code in _REGION_ZONES:
        return _REGION_ZONES[code]
    import phonenumbers
    from phonenumbers import timezone as pn_timezone

    example = phonenumbers.example_number_for_type(code, phonenumbers.PhoneNumberType.FIXED_LINE)
    if example is not None:
        zones = [z for z in pn_timezone.time_zones_for_number(example) if _loadable(z)]
        if len(zones) == 1:
            return str(zones[0])
    return "UTC"


def _loadable(key: str) -> bool:
    try:
        ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


class RouteRule(WalletEnum):
    """The rule that decided a route.

    Examples:
        >>> RouteRule.OPENS_SOONEST.value
        'opens_soonest'
    """

    OPEN_NOW = "open_now"
    URGENT_PREFERS_24_7 = "urgent_prefers_24_7"
    URGENT_PREFERS_URGENT_TIER = "urgent_prefers_urgent_tier"
    OPENS_SOONEST = "opens_soonest"
    MORE_SPECIFIC = "more_specific"
    SHORTER_WAIT = "shorter_wait"
    FIRST_BY_ID = "first_by_id"
    NO_MATCHING_LINE = "no_matching_line"


class DialInfo(WalletModel, frozen=True, extra="forbid"):
    """How a caller in ``from_region`` dials the line.

    Attributes:
        digits: what to dial, formatted for the caller's region (national or international).
        international: True when the caller dials across borders.
        short_number: True when ``digits`` is a short service number (domestic only).
        toll_free: True for a toll-free number (reference ``PHONE_TOLL_FREE_TYPE``).
        from_region: the caller's region.

    Examples:
        >>> from walletsupport.contact import sample_directory
        >>> DialInfo.for_line(sample_directory().get("lianfu-cn-main"), "CN").digits
        '95000'
    """

    digits: str
    international: bool
    short_number: bool
    toll_free: bool
    from_region: str

    @classmethod
    def for_line(cls, line: SupportLine, caller_region: str) -> DialInfo | None:
        """Dialing for ``line`` from ``caller_region``; ``None`` if it cannot be dialled there.

        Raises:
            InvalidInputError: an unknown region code.

        Examples:
            >>> from walletsupport.contact import sample_directory
            >>> info = DialInfo.for_line(sample_directory().get("acme-us-main"), "DE")
            >>> info.digits, info.international
            ('00 1 202-555-0142', True)
        """
        region = parse_region(caller_region)
        line = check_instance(line, SupportLine, "line")
        return _dial_info(line.number, line.international_number, region)


@lru_cache(maxsize=4096)
def _dial_info(
    number: PhoneNumber, international: PhoneNumber | None, region: str
) -> DialInfo | None:
    """``DialInfo`` of a line's numbers from ``region``: each number is parsed once per region."""
    chosen = number if number.is_dialable_from(region) else None
    if chosen is None and international is not None and international.is_dialable_from(region):
        chosen = international
    if chosen is None:
        return None
    digits = chosen.dial_from(region)
    if digits is None:  # pragma: no cover - is_dialable_from checked it
        return None
    return DialInfo(
        digits=digits,
        international=chosen.region != region,
        short_number=chosen.is_short,
        toll_free=chosen.is_toll_free,
        from_region=region,
    )


class Route(WalletModel, frozen=True, extra="forbid"):
    """The line to call, with why it was chosen and when it opens.

    Attributes:
        kind: always ``"route"``.
        line: the chosen line.
        category_id: the issue category routed.
        region: the caller's region.
        rule: the rule that decided (see the module docs).
        explanation: the decision in words, in English and Chinese.
        open_now: whether the line is open at ``at``.
        at: the instant routed for.
        opens_at: when the line opens next (``at`` itself when open), in the line's zone.
        opens_at_caller: the same instant in the caller's zone.
        caller_zone: the caller's IANA zone.
        dial: how to dial from the caller's region.
        language_matched: False when the chosen line does not speak the requested language.
        in_language: when it does not, the id of the soonest-opening matching line that does.
        wait: the expected queue when the call is made (at ``at`` if open, else at opening),
            or ``None`` without queue data.
        alternatives: the other matching lines, best first.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.contact import sample_directory
        >>> r = route(sample_directory(), region="GB", category="app_crash",
        ...           at=datetime(2026, 1, 4, 12, 0, tzinfo=timezone.utc))  # a Sunday
        >>> r.open_now, r.opens_at.isoformat(), r.rule.value
        (False, '2026-01-05T08:00:00+00:00', 'opens_soonest')
    """

    kind: Literal["route"] = "route"
    line: SupportLine
    category_id: str
    region: str
    rule: RouteRule
    explanation: LocalizedText
    open_now: bool
    at: AwareDatetime
    opens_at: AwareDatetime
    opens_at_caller: AwareDatetime
    caller_zone: str
    dial: DialInfo
    language_matched: bool = True
    in_language: str | None = None
    wait: Annotated[WaitEstimate | UnboundedWait, Field(discriminator="kind")] | None = None
    alternatives: tuple[str, ...] = ()


class NoRoute(WalletModel, frozen=True, extra="forbid"):
    """No phone line fits: use a fallback channel instead.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.contact import sample_directory
        >>> r = route(sample_directory(), region="JP", category="app_crash",
        ...           at=datetime(2026, 1, 5, tzinfo=timezone.utc))
        >>> r.kind, [c.value for c in r.fallback]
        ('no_route', ['in_app_chat', 'email'])
    """

    kind: Literal["no_route"] = "no_route"
    category_id: str
    region: str
    rule: Literal[RouteRule.NO_MATCHING_LINE] = RouteRule.NO_MATCHING_LINE
    explanation: LocalizedText
    fallback: tuple[FallbackChannel, ...]


RouteResult = Annotated[Route | NoRoute, Field(discriminator="kind")]
"""Either a [Route][walletsupport.contact.Route] or a [NoRoute][walletsupport.contact.NoRoute]."""


def _is_urgent(category: IssueCategory) -> bool:
    return category.time_critical or category.urgency >= Urgency.CRITICAL


def _specificity(line: SupportLine, category: IssueCategory) -> int:
    if line.categories != "all" and category.id in line.categories:
        return 0
    if str(category.group) in line.groups:
        return 1
    return 2


def _resolve(category: IssueCategory | str, registry: IssueRegistry | None) -> IssueCategory:
    if isinstance(category, IssueCategory):
        return category
    if not isinstance(category, str):
        raise InvalidInputError(
            f"category must be an IssueCategory or an id, got {type(category).__name__}"
        )
    return registry_or_default(registry).get(category)


class _Candidate:
    __slots__ = ("always", "dial", "line", "open_now", "opens_at", "wait")

    def __init__(
        self,
        line: SupportLine,
        dial: DialInfo,
        open_now: bool,
        opens_at: datetime,
        wait: WaitEstimate | UnboundedWait | None,
    ) -> None:
        self.line = line
        self.dial = dial
        self.open_now = open_now
        self.opens_at = opens_at
        self.always = line.is_always_open
        self.wait = wait


def _wait_rank(wait: WaitEstimate | UnboundedWait | None) -> tuple[int, float]:
    """Known finite waits first (shortest first), then unknown, then unbounded."""
    if isinstance(wait, WaitEstimate):
        return (0, wait.average_speed_of_answer_seconds)
    if wait is None:
        return (1, 0.0)
    return (2, 0.0)


def _key(c: _Candidate, category: IssueCategory, urgent: bool) -> tuple[object, ...]:
    return (
        not c.open_now,
        c.opens_at,
        urgent and not c.always,
        urgent and c.line.tier is not LineTier.URGENT,
        _specificity(c.line, category),
        _wait_rank(c.wait),
        c.line.id,
    )


def _fmt(moment: datetime) -> str:
    """An instant with its IANA zone name: abbreviations such as CST are ambiguous."""
    zone = getattr(moment.tzinfo, "key", None) or moment.strftime("UTC%z")
    return f"{moment.strftime('%Y-%m-%d %H:%M')} {zone}"


def route(
    directory: Directory,
    *,
    region: str,
    category: IssueCategory | str,
    at: datetime,
    language: str | None = None,
    caller_zone: str | None = None,
    registry: IssueRegistry | None = None,
) -> Route | NoRoute:
    """The best line for this caller at ``at``, explained; never raises for "no line".

    Args:
        directory: the lines to choose from.
        region: the caller's ISO 3166-1 alpha-2 region.
        category: an [IssueCategory][walletsupport.issues.IssueCategory] or its id.
        at: the instant of the call (timezone-aware).
        language: preferred language (BCP 47, e.g. ``"zh"``), if any.
        caller_zone: the caller's IANA zone; derived from ``region`` when omitted.
        registry: where to look up a category id (the built-in registry by default).

    Returns:
        A [Route][walletsupport.contact.Route], or [NoRoute][walletsupport.contact.NoRoute]
        with the directory's fallback channels.

    Raises:
        NaiveDatetimeError: ``at`` has no timezone.
        InvalidInputError: an unknown region or zone, or a malformed argument.
        UnknownIssueCategoryError: ``category`` is an id the registry does not know.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.contact import sample_directory
        >>> r = route(sample_directory(), region="CN", category="refund_request",
        ...           at=datetime(2026, 10, 1, 2, 0, tzinfo=timezone.utc))  # National Day
        >>> r.open_now, r.opens_at.isoformat()  # closed Oct 1-3 (holidays package data)
        (False, '2026-10-04T10:00:00+08:00')
        >>> print(r.explanation.en)  # doctest: +ELLIPSIS
        No matching line is open now; Lianfu Example Pay hotline ... opens soonest, at ...
    """
    moment = ensure_aware(at, "at")
    if not isinstance(directory, Directory):
        raise InvalidInputError(f"directory must be a Directory, got {type(directory).__name__}")
    code = parse_region(region)
    issue = _resolve(category, registry)
    if language is not None and not isinstance(language, str):
        raise InvalidInputError("language must be a BCP 47 tag such as 'en' or 'zh'")
    zone_key = caller_zone_for(code) if caller_zone is None else caller_zone
    if not isinstance(zone_key, str) or not _loadable(zone_key):
        raise InvalidInputError(f"unknown time zone {shown(zone_key)}")
    tz = ZoneInfo(zone_key)
    urgent = _is_urgent(issue)

    candidates: list[_Candidate] = []
    for line in directory.lines:
        if not (line.handles(issue) and line.serves(code)):
            continue
        dial = DialInfo.for_line(line, code)
        if dial is None:
            continue
        try:
            open_now = line.schedule.is_open(moment)
            opens_at = moment.astimezone(ZoneInfo(line.schedule.zone))
            if not open_now:
                opens_at = line.schedule.next_open(moment)
        except NotFoundError:  # NeverOpenError: no opening within the bounded search
            continue
        wait = wait_at(line, opens_at)
        candidates.append(_Candidate(line, dial, open_now, opens_at, wait))

    language_matched = True
    in_language: _Candidate | None = None
    if language is not None:
        speaking = [c for c in candidates if c.line.speaks(language)]
        # urgency first: a high or critical issue takes a line open now over a closed one that
        # speaks the caller's language, and names the soonest line in that language too
        urgent_open = issue.urgency >= Urgency.HIGH and any(c.open_now for c in candidates)
        if speaking and not (urgent_open and not any(c.open_now for c in speaking)):
            candidates = speaking
        elif candidates:
            language_matched = False
            if speaking:
                in_language = min(speaking, key=lambda c: _key(c, issue, urgent))

    if not candidates:
        return NoRoute(
            category_id=issue.id,
            region=code,
            explanation=LocalizedText(
                en=(
                    f"No phone line handles {issue.name_en!r} for callers in {code}; "
                    "use the in-app chat or e-mail instead."
                ),
                zh=f"没有为{code}地区处理“{issue.name_zh}”的电话热线；请使用应用内在线客服或电子邮件。",
            ),
            fallback=directory.fallback,
        )

    keys = sorted(((_key(c, issue, urgent), c) for c in candidates), key=lambda kc: kc[0])
    ranked = [c for _, c in keys]
    best = ranked[0]
    rule = _rule(keys)
    opens_caller = best.opens_at.astimezone(tz)
    return Route(
        line=best.line,
        category_id=issue.id,
        region=code,
        rule=rule,
        explanation=_explain(
            best, rule, issue, language, language_matched, opens_caller, in_language
        ),
        open_now=best.open_now,
        at=moment,
        opens_at=best.opens_at,
        opens_at_caller=opens_caller,
        caller_zone=zone_key,
        dial=best.dial,
        language_matched=language_matched,
        in_language=None if in_language is None else in_language.line.id,
        wait=best.wait,
        alternatives=tuple(c.line.id for c in ranked[1:]),
    )


_RULE_BY_KEY_INDEX = (
    RouteRule.OPEN_NOW,
    RouteRule.OPENS_SOONEST,
    RouteRule.URGENT_PREFERS_24_7,
    RouteRule.URGENT_PREFERS_URGENT_TIER,
    RouteRule.MORE_SPECIFIC,
    RouteRule.SHORTER_WAIT,
    RouteRule.FIRST_BY_ID,
)


def _rule(keys: list[tuple[tuple[object, ...], _Candidate]]) -> RouteRule:
    """The first ranking component on which the winner beats the runner-up."""
    best_key, best = keys[0]
    if not best.open_now:
        return RouteRule.OPENS_SOONEST
    if len(keys) == 1:
        return RouteRule.OPEN_NOW
    runner_key = keys[1][0]
    index = next(i for i, (a, b) in enumerate(zip(best_key, runner_key, strict=True)) if a != b)
    return _RULE_BY_KEY_INDEX[index]


def _explain(
    best: _Candidate,
    rule: RouteRule,
    issue: IssueCategory,
    language: str | None,
    language_matched: bool,
    opens_caller: datetime,
    in_language: _Candidate | None = None,
) -> LocalizedText:
    name_en, name_zh = best.line.name.en, best.line.name.zh
    if rule is RouteRule.OPENS_SOONEST:
        en = (
            f"No matching line is open now; {name_en} opens soonest, at {_fmt(best.opens_at)} "
            f"({_fmt(opens_caller)} your time)."
        )
        zh = (
            f"目前没有可用的热线在服务时间内；{name_zh}最早开放，"
            f"时间为{_fmt(best.opens_at)}（您当地时间{_fmt(opens_caller)}）。"
        )
    elif rule is RouteRule.URGENT_PREFERS_24_7:
        en = f"{issue.name_en} is urgent (money at risk), so the 24/7 line {name_en} is first."
        zh = f"“{issue.name_zh}”属于紧急问题（资金有风险），优先使用 24 小时热线：{name_zh}。"
    elif rule is RouteRule.URGENT_PREFERS_URGENT_TIER:
        en = f"{issue.name_en} is urgent (money at risk), so the priority line {name_en} is first."
        zh = f"“{issue.name_zh}”属于紧急问题（资金有风险），优先使用专线：{name_zh}。"
    elif rule is RouteRule.MORE_SPECIFIC:
        en = f"{name_en} is open now and is the line dedicated to {issue.name_en!r}."
        zh = f"{name_zh}现在正在服务时间内，是处理“{issue.name_zh}”的专门热线。"
    elif rule is RouteRule.SHORTER_WAIT:
        en = f"{name_en} is open now and has the shortest expected wait."
        zh = f"{name_zh}现在正在服务时间内，预计等待时间最短。"
    else:
        en = f"{name_en} handles {issue.name_en!r} for your region and is open now."
        zh = f"{name_zh}负责您所在地区的“{issue.name_zh}”问题，现在正在服务时间内。"
    if language is not None and not language_matched:
        spoken_en = " and ".join(_language_name(t, zh=False) for t in best.line.languages)
        spoken_zh = "、".join(_language_name(t, zh=True) for t in best.line.languages)
        wanted_en, wanted_zh = _language_name(language, zh=False), _language_name(language, zh=True)
        en += f" This line speaks {spoken_en}."
        zh += f"该热线使用{spoken_zh}。"
        if in_language is None:
            en += f" No matching line speaks {wanted_en}."
            zh += f"没有使用{wanted_zh}的匹配热线。"
        else:
            other = in_language.line
            when_en = "now" if in_language.open_now else f"from {_fmt(in_language.opens_at)}"
            when_zh = "现在" if in_language.open_now else f"{_fmt(in_language.opens_at)}起"
            en += f" In {wanted_en}: {other.name.en}, {when_en}."
            zh += f"使用{wanted_zh}的热线：{other.name.zh}，{when_zh}可拨打。"
    return LocalizedText(en=en, zh=zh)


_LANGUAGE_NAMES: dict[str, tuple[str, str]] = {
    "en": ("English", "英语"),
    "zh": ("Chinese", "中文"),
    "de": ("German", "德语"),
    "fr": ("French", "法语"),
    "es": ("Spanish", "西班牙语"),
    "it": ("Italian", "意大利语"),
    "ja": ("Japanese", "日语"),
    "ko": ("Korean", "韩语"),
    "nl": ("Dutch", "荷兰语"),
    "pt": ("Portuguese", "葡萄牙语"),
}


def _language_name(tag: str, *, zh: bool) -> str:
    """The name of a BCP 47 language (its primary subtag), in English or Chinese."""
    names = _LANGUAGE_NAMES.get(tag.split("-")[0].lower())
    if names is None:
        return tag
    return names[1] if zh else names[0]
