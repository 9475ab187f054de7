"""Hypothesis strategies for every walletsupport value, issue, schedule, line and case.

Each function returns a ``SearchStrategy`` of one library type and is named as a plural noun,
like ``st.integers()``. Every drawn value is valid (it passed the type's own validation), and
values shrink towards small, readable examples. Bad arguments raise
[InvalidInputError][walletsupport.errors.InvalidInputError] at once; a strategy that cannot be
built from valid arguments (a category with no vocabulary in the asked language) raises when
it is first drawn from.

Case snapshots are never written by hand:
[case_snapshots][walletsupport.testing.strategies.case_snapshots] runs commands through a
real [WorkflowService][walletsupport.workflows.WorkflowService] with a ``MemoryStore`` and a
``FixedClock``, so every snapshot is one the engine can produce.

Examples:
    >>> from hypothesis import find
    >>> find(money(currency="JPY"), lambda m: m.amount > 100)
    Money(currency='JPY', amount=Decimal('101'))
    >>> find(phone_numbers(short=True, region="CN"), lambda p: True).is_short
    True
    >>> from hypothesis import Phase, settings
    >>> no_shrink = settings(phases=[Phase.generate], database=None)
    >>> find(case_snapshots("ticket", state="solved"), lambda s: True, settings=no_shrink).state
    'solved'
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from hypothesis import assume, reject
from hypothesis import strategies as st
from pydantic import BaseModel

from walletsupport._shown import shown
from walletsupport.calendars import HolidayCalendar, Schedule, Weekday
from walletsupport.clock import ensure_aware
from walletsupport.contact import Directory, LineTier, LocalizedText, SupportLine
from walletsupport.errors import InvalidInputError
from walletsupport.issues import IssueCategory, IssueGroup, IssueRegistry, Urgency, default_registry
from walletsupport.issues.categories import GAP, TriageTerm
from walletsupport.policies.password import COMMON_PASSWORDS, PasswordPolicy
from walletsupport.testing import _workflows
from walletsupport.testing._models import Overrides, model_strategy
from walletsupport.values import (
    CURRENCY_DECIMALS,
    CardBrand,
    CardExpiry,
    CardNumber,
    Cvc,
    Locale,
    Money,
    Password,
    PhoneNumber,
    parse_region,
)
from walletsupport.values._card_brands import BRAND_LENGTHS, IIN_RANGES, brand_of, luhn_ok
from walletsupport.verification import VerificationAction
from walletsupport.workflows.definition import Command, Workflow
from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = [
    "DST_ZONES",
    "SHORT_NUMBERS",
    "Maker",
    "card_expiries",
    "card_numbers",
    "case_data",
    "case_snapshots",
    "commands",
    "cvcs",
    "directories",
    "issue_categories",
    "issue_messages",
    "models",
    "money",
    "new_issue_categories",
    "otp_codes",
    "passwords",
    "phone_numbers",
    "regions",
    "schedules",
    "support_lines",
]

T = TypeVar("T")

#: ``maker(draw, context)`` builds one command for ``commands`` and ``case_snapshots``
#: (``None``: it cannot be made now, the step is skipped).
Maker = _workflows.Maker

#: Short service numbers known to be valid (and not emergency numbers) in their region.
SHORT_NUMBERS: Mapping[str, tuple[str, ...]] = {
    "CN": ("95188", "95017", "95555", "95588", "95533", "95599", "10086", "12315"),
    "US": ("611", "311", "211", "411", "511"),
    "GB": ("101", "111", "116123"),
    "HK": ("18501", "1878200"),
    "DE": ("116116", "115"),
    "FR": ("3939", "3020"),
    "SG": ("1777", "1800"),
}

#: Zones that stress calendars: DST in both hemispheres, half-hour and 45-minute offsets,
#: a 30-minute DST shift, the date line and a zone that skipped a whole day.
DST_ZONES: tuple[str, ...] = (
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "America/Santiago",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Pacific/Kiritimati",
    "Pacific/Apia",
)
_PLAIN_ZONES = ("UTC", "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Singapore", "Asia/Tokyo")
_PHONE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
)


# --- argument checks ------------------------------------------------------------------------


def _check_bool(value: object, name: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise InvalidInputError(f"{name} must be True, False or None, not {type(value).__name__}")
    return value


def _check_int(value: object, name: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidInputError(f"{name} must be an int from {low} to {high}, got {shown(value)}")
    return value


def _check_zone(zone: object) -> str:
    if not isinstance(zone, str):
        raise InvalidInputError(f"zone must be an IANA zone name, not {type(zone).__name__}")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInputError(f"unknown IANA time zone {shown(zone)}") from None
    return zone


def _check_registry(registry: object) -> IssueRegistry:
    if registry is None:
        return default_registry()
    if not isinstance(registry, IssueRegistry):
        raise InvalidInputError(f"registry must be an IssueRegistry, not {type(registry).__name__}")
    return registry


def _check_brand(brand: object) -> CardBrand | None:
    if brand is None:
        return None
    try:
        return CardBrand(str(brand)) if isinstance(brand, str) else CardBrand(repr(brand))
    except ValueError:
        raise InvalidInputError(f"unknown card brand {shown(brand)}") from None


def _check_language(language: object) -> Locale:
    try:
        return Locale(language if isinstance(language, str) else repr(language))
    except ValueError:
        raise InvalidInputError(f"unknown language {shown(language)}; use 'en' or 'zh'") from None


# --- values ---------------------------------------------------------------------------------


def money(
    currency: str | None = None,
    *,
    min_amount: Decimal | int | str = 0,
    max_amount: Decimal | int | str = 1_000_000,
) -> st.SearchStrategy[Money]:
    """[Money][walletsupport.values.Money] in ``currency`` (any ISO 4217 code when ``None``).

    Amounts are whole minor units between ``min_amount`` and ``max_amount`` (inclusive) and
    shrink towards ``min_amount``.

    Raises:
        InvalidInputError: an unknown currency, bounds that are not decimal numbers, or
            ``min_amount > max_amount``.

    Examples:
        >>> from hypothesis import find
        >>> find(money("USD", min_amount="0.01"), lambda m: True)
        Money(currency='USD', amount=Decimal('0.01'))
        >>> money("XYZ")
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidInputError: unknown currency 'XYZ'
    """
    if currency is not None:
        code = currency.strip().upper() if isinstance(currency, str) else None
        if code not in CURRENCY_DECIMALS:
            raise InvalidInputError(f"unknown currency {shown(currency)}")
        codes: list[str] = [code]
    else:
        codes = sorted(CURRENCY_DECIMALS, key=lambda c: (c != "USD", c))
    try:
        low, high = Decimal(str(min_amount)), Decimal(str(max_amount))
    except ArithmeticError:
        raise InvalidInputError("min_amount and max_amount must be decimal numbers") from None
    if not (low.is_finite() and high.is_finite()) or low > high:
        raise InvalidInputError("min_amount must be a finite number not above max_amount")

    @st.composite
    def build(draw: st.DrawFn) -> Money:
        code = draw(st.sampled_from(codes), label="currency")
        scale = Decimal(10) ** CURRENCY_DECIMALS[code]
        first = int((low * scale).to_integral_value(rounding="ROUND_CEILING"))
        last = int((high * scale).to_integral_value(rounding="ROUND_FLOOR"))
        if first > last:
            raise InvalidInputError(f"no {code} amount lies between {low} and {high}")
        units = draw(st.integers(first, last), label="minor units")
        return Money.from_minor_units(units, code)

    return build()


def regions() -> st.SearchStrategy[str]:
    """ISO 3166-1 alpha-2 region codes with example phone numbers (shrinks towards ``'US'``).

    Examples:
        >>> from hypothesis import find
        >>> find(regions(), lambda r: True)
        'US'
    """
    return st.sampled_from(_phone_regions())


_REGIONS_CACHE: list[str] = []


def _phone_regions() -> list[str]:
    if not _REGIONS_CACHE:
        usable = [
            r
            for r in phonenumbers.SUPPORTED_REGIONS
            if phonenumbers.example_number_for_type(r, phonenumbers.PhoneNumberType.MOBILE)
        ]
        first = ["US", "CN", "GB", "HK", "DE", "FR", "SG"]
        _REGIONS_CACHE.extend(first + sorted(set(usable) - set(first)))
    return _REGIONS_CACHE


def phone_numbers(
    *, short: bool | None = None, region: str | None = None
) -> st.SearchStrategy[PhoneNumber]:
    """Valid [PhoneNumber][walletsupport.values.PhoneNumber] values.

    Args:
        short: ``True`` for short service numbers (such as 95188 in CN), ``False`` for full
            E.164 numbers, ``None`` for either.
        region: only numbers of this region. Short numbers are known for the regions in
            [SHORT_NUMBERS][walletsupport.testing.strategies.SHORT_NUMBERS].

    Raises:
        InvalidInputError: an unknown region, or ``short=True`` for a region without known
            short numbers.

    Examples:
        >>> from hypothesis import find
        >>> find(phone_numbers(short=False, region="GB"), lambda p: True).number.startswith("+44")
        True
        >>> phone_numbers(short=True, region="JP")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidInputError: no short numbers are known for JP; use one of ...
    """
    _check_bool(short, "short")
    code = parse_region(region) if region is not None else None
    if short and code is not None and code not in SHORT_NUMBERS:
        known = ", ".join(sorted(SHORT_NUMBERS))
        raise InvalidInputError(f"no short numbers are known for {code}; use one of {known}")
    full = _full_numbers(code)
    if short is False or (code is not None and code not in SHORT_NUMBERS):
        return full
    shorts = _short_numbers(code)
    return shorts if short else st.one_of(full, shorts)


def _short_numbers(region: str | None) -> st.SearchStrategy[PhoneNumber]:
    pairs = [(r, n) for r, numbers in SHORT_NUMBERS.items() if region in (None, r) for n in numbers]
    return st.sampled_from(pairs).map(lambda pair: PhoneNumber.parse(pair[1], region=pair[0]))


def _full_numbers(region: str | None) -> st.SearchStrategy[PhoneNumber]:
    @st.composite
    def build(draw: st.DrawFn) -> PhoneNumber:
        chosen = region if region is not None else draw(regions(), label="region")
        examples = [phonenumbers.example_number_for_type(chosen, t) for t in _PHONE_TYPES]
        found = [e for e in examples if e is not None]
        if not found:  # a region with no example number at all: use a fixed US number
            return PhoneNumber.parse("+12025550123")
        example = draw(st.sampled_from(found), label="kind")
        digits = phonenumbers.national_significant_number(example)
        tail = draw(st.integers(0, min(4, len(digits) - 1)), label="changed digits")
        if tail:
            fresh = draw(st.text("0123456789", min_size=tail, max_size=tail), label="digits")
            candidate = phonenumbers.parse(f"+{example.country_code}{digits[:-tail]}{fresh}")
            if phonenumbers.is_valid_number(candidate):
                example = candidate
        e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
        return PhoneNumber.parse(e164)

    return build()


def _luhn_complete(body: str) -> str:
    for check in "0123456789":
        if luhn_ok(body + check):
            return body + check
    raise AssertionError("unreachable: one check digit always fits")  # pragma: no cover


def card_numbers(brand: CardBrand | str | None = None) -> st.SearchStrategy[CardNumber]:
    """[CardNumber][walletsupport.values.CardNumber] values that pass the Luhn check.

    The number starts with one of the brand's IIN ranges, has one of the brand's lengths and
    ends in the right check digit; ``brand=None`` picks any known brand, ``"unknown"`` gives
    valid numbers outside every known range.

    Raises:
        InvalidInputError: an unknown brand name.

    Examples:
        >>> from hypothesis import find
        >>> card = find(card_numbers("amex"), lambda c: True)
        >>> card.brand.value, len(card.masked)
        ('amex', 15)
        >>> card_numbers("bitcoin")
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidInputError: unknown card brand 'bitcoin'
    """
    chosen = _check_brand(brand)
    brands = (
        [chosen] if chosen is not None else [b for b in CardBrand if b is not CardBrand.UNKNOWN]
    )

    @st.composite
    def build(draw: st.DrawFn) -> CardNumber:
        pick = draw(st.sampled_from(brands), label="brand")
        if pick is CardBrand.UNKNOWN:
            prefix = str(draw(st.sampled_from([1, 7, 9]), label="prefix"))
            lengths: list[int] = list(range(12, 20))
        else:
            ranges = [r for r in IIN_RANGES if r.brand == pick.value]
            iin = draw(st.sampled_from(ranges), label="range")
            prefix = str(draw(st.integers(iin.low, iin.high), label="prefix"))
            lengths = sorted(BRAND_LENGTHS[pick.value])
        length = draw(st.sampled_from(lengths), label="length")
        fill = length - len(prefix) - 1
        body = prefix + draw(st.text("0123456789", min_size=fill, max_size=fill), label="digits")
        pan = _luhn_complete(body)
        # a longer prefix of another brand may match (Maestro 56-69 over Discover 65)
        assume((brand_of(pan) or "unknown") == pick.value)
        return CardNumber.parse(pan)

    return build()


def card_expiries(
    *, at: datetime | None = None, expired: bool | None = None
) -> st.SearchStrategy[CardExpiry]:
    """[CardExpiry][walletsupport.values.CardExpiry] values, optionally expired or not at ``at``.

    Raises:
        InvalidInputError: ``expired`` given without ``at``, or a bad ``expired``.
        NaiveDatetimeError: ``at`` has no time zone.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from hypothesis import find
        >>> t = datetime(2026, 5, 1, tzinfo=timezone.utc)
        >>> find(card_expiries(at=t, expired=False), lambda e: True)
        CardExpiry(month=5, year=2026)
    """
    _check_bool(expired, "expired")
    if expired is not None and at is None:
        raise InvalidInputError("expired=True/False needs an 'at' to be expired at")
    month_index = st.integers(2000 * 12, 2099 * 12 + 11)
    if at is not None and expired is not None:
        local = ensure_aware(at, "at").date()
        now = local.year * 12 + local.month - 1
        if expired:
            month_index = st.integers(1, min(120, now - 2000 * 12)).map(lambda back: now - back)
        else:
            month_index = st.integers(now, min(2099 * 12 + 11, now + 240))
    return month_index.map(lambda i: CardExpiry(month=i % 12 + 1, year=i // 12))


def cvcs(brand: CardBrand | str | None = None) -> st.SearchStrategy[Cvc]:
    """Security codes ([Cvc][walletsupport.values.Cvc]) of the brand's length (4 for Amex).

    Raises:
        InvalidInputError: an unknown brand name.

    Examples:
        >>> from hypothesis import find
        >>> find(cvcs("amex"), lambda c: True).matches("0000")
        True
    """
    chosen = _check_brand(brand)
    unknown = chosen is None or chosen is CardBrand.UNKNOWN
    sizes = [3, 4] if unknown or chosen is None else [chosen.cvc_length or 3]
    return (
        st.sampled_from(sizes)
        .flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n))
        .map(
            lambda text: Cvc.parse(text, brand=chosen if chosen is not CardBrand.UNKNOWN else None)
        )
    )


_WORDS = (
    "glacier", "orbit", "velvet", "harbor", "maple", "copper", "lantern", "meadow",
    "quartz", "thistle", "falcon", "ember", "willow", "nimbus", "saffron", "pebble",
    "钱包", "月亮", "高山",
)  # fmt: skip


def _strong_password_texts(policy: PasswordPolicy) -> st.SearchStrategy[str]:
    """Passphrases the policy accepts (a few words and a number)."""
    words = st.lists(st.sampled_from(_WORDS), min_size=3, max_size=5)
    text = st.builds(
        lambda ws, n, sep: sep.join(ws) + sep + str(n),
        words,
        st.integers(0, 9999),
        st.sampled_from([" ", "-", "."]),
    )
    return text.filter(lambda t: policy.check(t).ok)


def _weak_password_texts(policy: PasswordPolicy) -> st.SearchStrategy[str]:
    short = st.text(st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=7)
    common = st.sampled_from(sorted(COMMON_PASSWORDS))
    repeated = st.builds(lambda c, n: c * n, st.sampled_from("a1Z!"), st.integers(8, 20))
    sequential = st.sampled_from(["abcdefgh", "12345678", "98765432", "ijklmnopq"])
    return st.one_of(short, common, repeated, sequential).filter(lambda t: not policy.check(t).ok)


def passwords(
    strong: bool | None = None, *, policy: PasswordPolicy | None = None
) -> st.SearchStrategy[Password]:
    """[Password][walletsupport.values.Password] values, strong or weak by ``policy``.

    Args:
        strong: ``True``: accepted by the policy (NIST SP 800-63B length and blocklist rules,
            reference/authentication_security.md ``NIST_PW_BLOCKLIST``); ``False``: refused
            by it (too short, common, repetitive or sequential); ``None``: any password.
        policy: the [PasswordPolicy][walletsupport.policies.password.PasswordPolicy] that
            decides; the default policy when ``None``.

    Raises:
        InvalidInputError: ``strong`` is not a bool or None, or ``policy`` is not a policy.

    Examples:
        >>> from hypothesis import find
        >>> from walletsupport.policies.password import PasswordPolicy
        >>> PasswordPolicy().check(find(passwords(strong=True), lambda p: True)).ok
        True
        >>> PasswordPolicy().check(find(passwords(strong=False), lambda p: True)).ok
        False
    """
    _check_bool(strong, "strong")
    if policy is None:
        policy = PasswordPolicy()
    elif not isinstance(policy, PasswordPolicy):
        raise InvalidInputError(f"policy must be a PasswordPolicy, not {type(policy).__name__}")
    if strong is True:
        texts = _strong_password_texts(policy)
    elif strong is False:
        texts = _weak_password_texts(policy)
    else:
        texts = st.one_of(
            _strong_password_texts(policy),
            _weak_password_texts(policy),
            st.text(min_size=1, max_size=40).filter(lambda t: "\x00" not in t),
        )
    return texts.map(Password.parse)


def otp_codes(digits: int = 6) -> st.SearchStrategy[str]:
    """One-time codes as typed: exactly ``digits`` ASCII digits (6 to 8, reference ``OTP_*``).

    Raises:
        InvalidInputError: ``digits`` is not an int from 6 to 8.

    Examples:
        >>> from hypothesis import find
        >>> find(otp_codes(8), lambda c: True)
        '00000000'
    """
    size = _check_int(digits, "digits", 6, 8)
    return st.text("0123456789", min_size=size, max_size=size)


# --- issues ---------------------------------------------------------------------------------


def issue_categories(registry: IssueRegistry | None = None) -> st.SearchStrategy[IssueCategory]:
    """The categories of ``registry`` (the built-in ones when ``None``), in registration order.

    Raises:
        InvalidInputError: ``registry`` is not an IssueRegistry.

    Examples:
        >>> from hypothesis import find
        >>> find(issue_categories(), lambda c: True).id
        'forgot_password'
    """
    chosen = _check_registry(registry)
    return st.deferred(lambda: _sampled_categories(chosen))


def _sampled_categories(registry: IssueRegistry) -> st.SearchStrategy[IssueCategory]:
    categories = list(registry)
    if not categories:
        raise InvalidInputError("the registry holds no categories to draw from")
    return st.sampled_from(categories)


_EN_FILLERS = ("hi", "please help", "today", "thanks", "my", "the app", "since morning")
_ZH_FILLERS = ("你好", "请帮忙", "今天", "谢谢", "我的", "一直")
_EN_GAP = ("my", "the", "our", "")
_ZH_GAP = ("了", "的", "")


def issue_messages(
    category_id: str, language: Locale | str = "en", *, registry: IssueRegistry | None = None
) -> st.SearchStrategy[str]:
    """Customer messages built from a category's own triage vocabulary.

    Each message joins one to three of the category's positive terms of ``language`` (gaps
    ``…`` filled with a short word) with neutral filler, so triage finds positive evidence
    for the category in it; it may still rank another category first when their terms
    overlap. Masks (weight 0) and negative cues are never used.

    Raises:
        InvalidInputError: a bad language or registry, or an unknown category id. A category
            with no positive terms in ``language`` raises when drawn from.

    Examples:
        >>> from hypothesis import find
        >>> from walletsupport.issues import triage
        >>> text = find(issue_messages("app_crash"), lambda t: True)
        >>> "app_crash" in [c.category_id for c in triage(text).candidates]
        True
    """
    locale = _check_language(language)
    chosen = _check_registry(registry)
    if not isinstance(category_id, str) or category_id not in chosen:
        raise InvalidInputError(f"unknown issue category {shown(category_id)}")
    category = chosen.get(category_id)

    def build() -> st.SearchStrategy[str]:
        terms = [t for t in category.vocabulary if t.locale is locale and t.weight > 0]
        if not terms:
            raise InvalidInputError(
                f"category {shown(category_id)} has no positive {locale.value} terms to build from"
            )
        terms.sort(key=lambda t: -t.weight)
        fillers = _ZH_FILLERS if locale is Locale.ZH else _EN_FILLERS
        gaps = _ZH_GAP if locale is Locale.ZH else _EN_GAP
        sep = "" if locale is Locale.ZH else " "

        @st.composite
        def message(draw: st.DrawFn) -> str:
            parts: list[str] = []
            for term in draw(st.lists(st.sampled_from(terms), min_size=1, max_size=3)):
                gap = draw(st.sampled_from(gaps))
                phrase = term.text.replace(f" {GAP} ", GAP).replace(GAP, f"{sep}{gap}{sep}")
                parts.append(" ".join(phrase.split()) if sep else phrase.replace(" ", ""))
                if draw(st.booleans()):
                    parts.append(draw(st.sampled_from(fillers)))
            return ("，" if locale is Locale.ZH else ", ").join(parts)

        return message()

    return st.deferred(build)


def new_issue_categories(
    *, group: IssueGroup | str | None = None
) -> st.SearchStrategy[IssueCategory]:
    """Fresh, valid [IssueCategory][walletsupport.issues.IssueCategory] values for registry tests.

    Ids look like ``custom_…``, so they never clash with the built-ins; each has a small
    English and Chinese vocabulary.

    Raises:
        InvalidInputError: an unknown group.

    Examples:
        >>> from hypothesis import find
        >>> find(new_issue_categories(group="payments"), lambda c: True).id
        'custom_a'
    """
    if group is not None:
        try:
            groups = [IssueGroup(group)]
        except ValueError:
            raise InvalidInputError(f"unknown issue group {shown(group)}") from None
    else:
        groups = list(IssueGroup)
    words = st.text("abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=10)
    en_terms = st.lists(words, min_size=1, max_size=3, unique=True).map(
        lambda ws: tuple(TriageTerm(text=w, locale=Locale.EN, weight=2.0) for w in ws)
    )
    zh_terms = st.lists(
        st.sampled_from(["商户", "积分", "红包", "发票", "限额"]), max_size=2, unique=True
    )
    return st.builds(
        IssueCategory,
        id=st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=20).map(
            lambda s: f"custom_{s}"
        ),
        group=st.sampled_from(groups),
        name_en=st.sampled_from(["Merchant issue", "Rewards question", "Invoice request"]),
        name_zh=st.sampled_from(["商户问题", "积分咨询", "发票申请"]),
        guidance_en=st.just("Tell us what happened and when."),
        guidance_zh=st.just("请告诉我们发生了什么以及时间。"),
        urgency=st.sampled_from(list(Urgency)),
        verification_action=st.sampled_from(list(VerificationAction)),
        time_critical=st.booleans(),
        vocabulary=st.tuples(en_terms, zh_terms).map(
            lambda pair: (
                pair[0] + tuple(TriageTerm(text=w, locale=Locale.ZH, weight=2.0) for w in pair[1])
            )
        ),
    )


# --- schedules ------------------------------------------------------------------------------


def _hhmm(quarter: int) -> str:
    return f"{quarter // 4:02d}:{quarter % 4 * 15:02d}"


@st.composite
def _office_hours(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(st.integers(6 * 4, 10 * 4), label="opens")
    end = draw(st.integers(start + 4, min(start + 48, 96)), label="closes")
    days = draw(st.sampled_from(["mon-fri", "mon-sat", "mon-sun", "mon,wed,fri"]), label="days")
    week = list(Weekday)
    chosen = {
        "mon-fri": week[:5],
        "mon-sat": week[:6],
        "mon-sun": week,
        "mon,wed,fri": [week[0], week[2], week[4]],
    }[days]
    hours = {str(day): [(_hhmm(start), _hhmm(end))] for day in chosen}
    breaks: dict[str, list[tuple[str, str]]] = {}
    if end - start >= 16 and draw(st.booleans(), label="lunch break"):
        lunch = draw(st.integers(start + 4, end - 8))
        breaks = {str(day): [(_hhmm(lunch), _hhmm(lunch + 4))] for day in chosen}
    return {"hours": hours, "breaks": breaks}


@st.composite
def _overnight(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(st.integers(18 * 4, 23 * 4), label="opens")
    end = draw(st.integers(1 * 4, 9 * 4), label="closes")
    days = draw(st.lists(st.sampled_from(list(Weekday)), min_size=1, max_size=7, unique=True))
    return {"hours": {str(day): [(_hhmm(start), _hhmm(end))] for day in days}}


@st.composite
def _split_shifts(draw: st.DrawFn) -> dict[str, Any]:
    cuts = sorted(draw(st.sets(st.integers(0, 95), min_size=4, max_size=4)))
    spans = [(_hhmm(cuts[0]), _hhmm(cuts[1])), (_hhmm(cuts[2]), _hhmm(cuts[3]))]
    days = draw(st.lists(st.sampled_from(list(Weekday)), min_size=1, max_size=7, unique=True))
    return {"hours": {str(day): spans for day in days}}


def _always() -> st.SearchStrategy[dict[str, Any]]:
    return st.just({"hours": {str(day): [("00:00", "24:00")] for day in Weekday}})


@st.composite
def _dated_extras(draw: st.DrawFn, around: date) -> dict[str, Any]:
    offsets = st.integers(-3, 40).map(lambda n: around + timedelta(days=n))
    extras: dict[str, Any] = {}
    holidays = draw(st.lists(offsets, max_size=3, unique=True), label="holidays")
    if holidays:
        extras["holidays"] = holidays
    closed_or_short = st.sampled_from([[], [("10:00", "12:00")], [("00:00", "24:00")]])
    overrides = draw(st.dictionaries(offsets, closed_or_short, max_size=2), label="overrides")
    if overrides:
        extras["overrides"] = overrides
    if draw(st.booleans(), label="holiday calendar"):
        extras["holiday_calendar"] = HolidayCalendar(
            country=draw(st.sampled_from(["US", "CN", "GB", "DE"]))
        )
    return extras


def schedules(
    zone: str | None = None, *, adversarial: bool = True, around: date | None = None
) -> st.SearchStrategy[Schedule]:
    """[Schedule][walletsupport.calendars.Schedule] values, realistic and (by default) hostile.

    Realistic shapes are office hours on some weekdays, with or without a lunch break. With
    ``adversarial=True`` they also include night shifts across midnight, split shifts, 24/7
    lines, zones with DST and odd offsets ([DST_ZONES][walletsupport.testing.strategies.DST_ZONES]),
    fixed holidays, generated national holidays (China's make-up working days included) and
    date overrides (closed days, short days, all-day openings) near ``around``. Every schedule
    is open at some time in every week, so ``next_open`` always has an answer.

    Args:
        zone: the IANA zone of every schedule; any zone when ``None``.
        adversarial: include the hostile shapes and zones.
        around: where holidays and overrides fall (default 2026-01-05).

    Raises:
        InvalidInputError: an unknown zone, or ``around`` is not a date.

    Examples:
        >>> from hypothesis import find
        >>> find(schedules("Asia/Shanghai", adversarial=False), lambda s: True).zone
        'Asia/Shanghai'
        >>> schedules("Mars/Olympus_Mons")
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidInputError: unknown IANA time zone 'Mars/Olympus_Mons'
    """
    zones = [_check_zone(zone)] if zone is not None else None
    _check_bool(adversarial, "adversarial")
    if around is None:
        around = date(2026, 1, 5)
    elif not isinstance(around, date) or isinstance(around, datetime):
        raise InvalidInputError("around must be a date")
    shapes: list[st.SearchStrategy[dict[str, Any]]] = [_office_hours()]
    if adversarial:
        shapes += [_overnight(), _split_shifts(), _always()]
    zone_names = zones or (
        [*_PLAIN_ZONES, *DST_ZONES] if adversarial else ["UTC", "Asia/Shanghai", "America/New_York"]
    )
    day = around

    @st.composite
    def build(draw: st.DrawFn) -> Schedule:
        parts = dict(draw(st.one_of(shapes), label="hours"))
        parts["zone"] = draw(st.sampled_from(zone_names), label="zone")
        if adversarial and draw(st.booleans(), label="dated extras"):
            parts.update(draw(_dated_extras(day)))
        return Schedule(**parts)

    return build()


# --- contact lines --------------------------------------------------------------------------


def support_lines(
    *, region: str | None = None, registry: IssueRegistry | None = None
) -> st.SearchStrategy[SupportLine]:
    """Valid [SupportLine][walletsupport.contact.SupportLine] values serving ``region``.

    Category ids come from ``registry`` (the built-ins by default); the number is a short
    number of the region or a full number.

    Raises:
        InvalidInputError: an unknown region or a bad registry.

    Examples:
        >>> from hypothesis import find
        >>> line = find(support_lines(region="CN"), lambda line: True)
        >>> line.serves("CN"), line.handles_all
        (True, True)
    """
    code = parse_region(region) if region is not None else None
    chosen = _check_registry(registry)

    @st.composite
    def build(draw: st.DrawFn) -> SupportLine:
        where = code if code is not None else draw(regions(), label="region")
        number = draw(phone_numbers(region=where), label="number")
        international = None
        if number.is_short and draw(st.booleans()):
            international = draw(phone_numbers(short=False, region=where))
        ids = chosen.ids()
        categories: Any = "all"
        if ids and draw(st.booleans(), label="some categories") is True:
            categories = tuple(
                draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
            )
        return SupportLine(
            id=draw(st.from_regex(r"[a-z][a-z0-9-]{0,11}", fullmatch=True), label="id"),
            name=LocalizedText(en="Support line", zh="客服热线"),
            number=number,
            international_number=international,
            regions=(where,),
            languages=tuple(
                draw(
                    st.lists(
                        st.sampled_from(["en", "zh", "de", "fr"]),
                        min_size=1,
                        max_size=2,
                        unique=True,
                    )
                )
            ),
            categories=categories,
            tier=draw(st.sampled_from(list(LineTier))),
            schedule=draw(schedules(adversarial=False), label="schedule"),
            callback=draw(st.booleans()),
            example=True,
        )

    return build()


def directories(
    *, registry: IssueRegistry | None = None, max_lines: int = 4
) -> st.SearchStrategy[Directory]:
    """Valid [Directory][walletsupport.contact.Directory] values of up to ``max_lines`` lines.

    Line ids and numbers are unique, so no two lines are overlapping duplicates.

    Raises:
        InvalidInputError: a bad registry, or ``max_lines`` outside 0 to 20.

    Examples:
        >>> from hypothesis import find
        >>> from hypothesis import Phase, settings
        >>> no_shrink = settings(phases=[Phase.generate], database=None)
        >>> two_or_more = lambda d: len(d.lines) >= 2
        >>> directory = find(directories(max_lines=3), two_or_more, settings=no_shrink)
        >>> len({line.id for line in directory.lines}) == len(directory.lines)
        True
    """
    chosen = _check_registry(registry)
    limit = _check_int(max_lines, "max_lines", 0, 20)
    lines = st.lists(
        support_lines(registry=chosen),
        max_size=limit,
        unique_by=(lambda line: line.id, lambda line: (line.number.number, line.number.region)),
    )
    return lines.map(
        lambda found: Directory.model_validate(
            {"lines": [line.model_dump() for line in found]}, context={"registry": chosen}
        )
    )


# --- workflows ------------------------------------------------------------------------------


def _value_overrides() -> Overrides:
    return {
        Money: money,
        PhoneNumber: phone_numbers,
        CardNumber: card_numbers,
        CardExpiry: card_expiries,
        Cvc: cvcs,
        Password: passwords,
        Schedule: schedules,
    }


def _check_workflow(workflow: object) -> Workflow[Any, Any]:
    if isinstance(workflow, Workflow):
        return workflow
    if isinstance(workflow, str):
        try:
            return _workflows.builtin_workflow(workflow)
        except LookupError:
            raise InvalidInputError(f"unknown built-in workflow {shown(workflow)}") from None
    raise InvalidInputError(f"workflow must be a Workflow or a kind, not {type(workflow).__name__}")


def _check_makers(makers: object) -> Mapping[str, Maker]:
    if makers is None:
        return {}
    if not isinstance(makers, Mapping) or not all(
        isinstance(k, str) and callable(v) for k, v in makers.items()
    ):
        raise InvalidInputError("makers must map command class names to callables")
    return makers


def _check_start(start_at: datetime | None) -> datetime:
    return _workflows.DEFAULT_START if start_at is None else ensure_aware(start_at, "start_at")


def case_data(
    workflow: Workflow[Any, Any] | str, *, start_at: datetime | None = None
) -> st.SearchStrategy[Any]:
    """Data a case of ``workflow`` can be opened with (a model or a dict the service accepts).

    Built-in workflows get realistic data (a card-add case gets a real card that expires
    after ``start_at``); other workflows get their data model's required fields.

    Raises:
        InvalidInputError: an unknown workflow kind.

    Examples:
        >>> from hypothesis import find
        >>> find(case_data("transaction_dispute"), lambda d: True)["merchant"]
        'Shoe Shop'
    """
    chosen = _check_workflow(workflow)
    start = _check_start(start_at)
    return st.deferred(lambda: _workflows.initial_data_strategy(chosen, start, _value_overrides()))


def commands(
    workflow: Workflow[Any, Any] | str,
    *,
    state: str | None = None,
    makers: Mapping[str, Maker] | None = None,
) -> st.SearchStrategy[Command]:
    """Valid commands of ``workflow`` (only those with a transition out of ``state`` if given).

    A command is derived from its fields (``Field`` constraints respected) unless ``makers``
    names a function for its class; built-in workflows come with makers for codes and
    verification sessions. A command may still be refused by a guard when applied.

    Raises:
        InvalidInputError: an unknown workflow kind or state, bad makers, or a state no
            command leaves.

    Examples:
        >>> from hypothesis import find
        >>> find(commands("ticket", state="solved"), lambda c: True).event
        'close'
    """
    chosen = _check_workflow(workflow)
    resolved = _workflows.resolve_makers(chosen, _check_makers(makers))
    classes = list(chosen.commands)
    if state is not None:
        if state not in chosen.states:
            raise InvalidInputError(f"workflow {shown(chosen.kind)} has no state {shown(state)}")
        allowed = chosen.events_in(state)
        classes = [c for c in classes if c.event in allowed]
        if not classes:
            raise InvalidInputError(
                f"no command leaves state {shown(state)} of {shown(chosen.kind)}"
            )
    overrides = _value_overrides()

    @st.composite
    def build(draw: st.DrawFn) -> Command:
        context = _workflows.Context(chosen, None, _workflows.DEFAULT_START, overrides)
        command = _workflows.make_command(draw, context, draw(st.sampled_from(classes)), resolved)
        if command is None:
            reject()
        return command

    return build()


def case_snapshots(
    workflow: Workflow[Any, Any] | str,
    *,
    state: str | None = None,
    data: st.SearchStrategy[Any] | None = None,
    max_steps: int = 12,
    start_at: datetime | None = None,
    makers: Mapping[str, Maker] | None = None,
) -> st.SearchStrategy[CaseSnapshot]:
    """Snapshots of ``workflow`` cases, reached by running commands through the real engine.

    Each example opens a case in a fresh ``MemoryStore`` under a ``FixedClock`` at
    ``start_at``, then applies up to ``max_steps`` commands (with the clock moving between
    them); refused commands change nothing. With ``state`` the commands are steered towards
    that state along the machine's transitions and only snapshots in it are kept.

    Args:
        workflow: a [Workflow][walletsupport.workflows.Workflow] or a built-in kind
            (built-in ``password_reset`` and ``card_add`` get a test key so codes can be sent).
        state: the state every snapshot must be in.
        data: the data to open cases with (default
            [case_data][walletsupport.testing.strategies.case_data]).
        max_steps: commands per example, 0 to 50.
        start_at: when the case is opened (default 2026-01-05 09:00 UTC).
        makers: command makers by command class name (see
            [commands][walletsupport.testing.strategies.commands]).

    Raises:
        InvalidInputError: an unknown kind or state, a state the initial state cannot reach,
            bad ``max_steps``, ``data`` or ``makers``.
        NaiveDatetimeError: ``start_at`` has no time zone.

    Examples:
        >>> from hypothesis import Phase, find, settings
        >>> no_shrink = settings(phases=[Phase.generate], database=None)  # reaching is enough
        >>> closed = case_snapshots("ticket", state="closed")
        >>> snap = find(closed, lambda s: True, settings=no_shrink)
        >>> snap.state, snap.version == len(snap.audit)
        ('closed', True)
        >>> case_snapshots("ticket", state="archived")
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidInputError: workflow 'ticket' has no state 'archived'
    """
    chosen = _check_workflow(workflow)
    steps = _check_int(max_steps, "max_steps", 0, 50)
    start = _check_start(start_at)
    resolved = _workflows.resolve_makers(chosen, _check_makers(makers))
    if state is not None:
        if state not in chosen.states:
            raise InvalidInputError(f"workflow {shown(chosen.kind)} has no state {shown(state)}")
        if state not in _workflows.reachable_states(chosen):
            raise InvalidInputError(
                f"state {shown(state)} of {shown(chosen.kind)} cannot be reached"
            )
        if steps == 0 and state != chosen.initial_state:
            raise InvalidInputError(f"state {shown(state)} needs max_steps > 0")
    if data is not None and not isinstance(data, st.SearchStrategy):
        raise InvalidInputError("data must be a hypothesis strategy")
    overrides = _value_overrides()

    @st.composite
    def build(draw: st.DrawFn) -> CaseSnapshot:
        opened = (
            data if data is not None else _workflows.initial_data_strategy(chosen, start, overrides)
        )
        return _workflows.drive(
            draw,
            chosen,
            data=opened,
            target=state,
            max_steps=steps,
            start=start,
            overrides=overrides,
            makers=resolved,
        )

    return build()


def models(model: type[T], **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[T]:
    """Valid instances of any pydantic model, derived from its fields (``fields`` override).

    Fields of our value types use this module's strategies.

    Raises:
        InvalidInputError: ``model`` is not a pydantic model class, or an override is not a
            strategy.

    Examples:
        >>> from hypothesis import find
        >>> from walletsupport.workflows.ticket import PutOnHold
        >>> find(models(PutOnHold), lambda c: True).event
        'hold'
    """
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise InvalidInputError(f"expected a pydantic model class, got {shown(model)}")
    if not all(isinstance(v, st.SearchStrategy) for v in fields.values()):
        raise InvalidInputError("field overrides must be hypothesis strategies")
    derived: st.SearchStrategy[Any] = model_strategy(
        model, overrides=_value_overrides(), fixed=fields
    )
    return derived
