"""The composed answer for one customer: triage, plan, line, wait, checklist, deadlines.

[assist][walletsupport.assist] is the main job of the library. From what the caller
said, where they are and when, it returns one frozen
[Assistance][walletsupport.Assistance] value:

1. triage the text into a ranked issue category (with alternatives when unsure);
2. the immediate advice for that category, including the legal window for the caller's region
   (US Regulation E, EU PSD2) when money was taken without the customer's consent;
3. the verification plan the agent will run before acting;
4. the support line to call, open now or when it opens (in the caller's zone), with the dial
   string from the caller's region and the expected wait (Erlang C);
5. the checklist of what to have ready, in English and Chinese;
6. the deadlines that start running once the issue is reported.

Everything is pure: the instant comes in as ``at``; nothing reads a clock.

Examples:
    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> at = datetime(2026, 11, 25, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> answer = assist("我的账户被锁定了", region="CN", at=at)
    >>> answer.category.id, answer.locale.value
    ('account_locked', 'zh')
    >>> answer.route.kind, answer.route.open_now
    ('route', True)
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Annotated, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, Field

from walletsupport._model import WalletModel
from walletsupport.clock import ensure_aware
from walletsupport.contact import (
    CallChecklist,
    Directory,
    LocalizedText,
    NoRoute,
    Route,
    call_checklist,
    caller_zone_for,
    route,
    sample_directory,
)
from walletsupport.contact.checklists import SecretVocabulary
from walletsupport.errors import InvalidInputError
from walletsupport.issues import (
    OTHER_ID,
    DetectedLanguage,
    IssueCategory,
    IssueGroup,
    IssueRegistry,
    Urgency,
    triage,
)
from walletsupport.issues.triage import _builtin_registry
from walletsupport.policies.lockout import LockoutPolicy
from walletsupport.regulation import (
    DayCount,
    Deadline,
    DisputeKind,
    Institution,
    Regime,
    TimeLimit,
)
from walletsupport.values import Locale, parse_region
from walletsupport.verification import (
    FactorKind,
    Risk,
    VerificationAction,
    VerificationPlan,
    plan_verification,
)

if TYPE_CHECKING:  # each loads when an answer needs it: a cold start pays for what it uses
    from walletsupport.verification.otp import OtpPolicy
    from walletsupport.verification.reset import ResetTokenPolicy

__all__ = ["Assistance", "CategoryMatch", "LegalWindow", "assist", "regime_for"]

#: The factors a typical wallet customer can present on a call; the plan picks among them.
TYPICAL_FACTORS: tuple[FactorKind, ...] = (
    FactorKind.PASSWORD,
    FactorKind.SECURITY_QUESTION,
    FactorKind.RECENT_TRANSACTIONS,
    FactorKind.OTP_SMS,
    FactorKind.OTP_APP,
    FactorKind.REGISTERED_DEVICE,
    FactorKind.ID_DOCUMENT,
    FactorKind.SELFIE_MATCH,
)

#: The lockout the advice describes by default: the account-lock workflow's (PSD2 RTS Art.
#: 4(3)(b), five failures, manual unlock); a test pins the two equal. Not imported from the
#: workflows so that ``assist`` does not load them.
DEFAULT_LOCKOUT = LockoutPolicy.psd2_rts(cooldown=None)

_MONEY_TAKEN = "unauthorized_transaction"
_LOST_DEVICE = "lost_or_stolen"
# A lost or stolen card or phone starts the same notice window (12 CFR 1005.6(b)(1): "loss or
# theft of an access device"; PSD2 Art. 69(1)(b)) before any money is taken.
_MONEY_TAKEN_IDS = frozenset({_MONEY_TAKEN, _LOST_DEVICE})
_MONEY_DISPUTED = frozenset({"transaction_dispute", "refund_request"})


def regime_for(region: str) -> Regime | None:
    """The consumer-payment regime of the preset institution for a caller in ``region``.

    The preset comes from
    [Institution.for_region][walletsupport.regulation.Institution.for_region]: ``US`` follows
    Regulation E (12 CFR part 1005), the EEA PSD2 (Directive (EU) 2015/2366), ``GB`` the
    Payment Services Regulations 2017, ``CN`` the China module (no statutory deadline verified:
    ``CN_COMPLAINT_PAYMENT_INSTITUTION``). Elsewhere no regime is assumed (``None``).

    Raises:
        InvalidInputError: ``region`` is not an ISO 3166 code.

    Examples:
        >>> regime_for("us"), regime_for("DE"), regime_for("GB"), regime_for("JP")
        (<Regime.REG_E: 'reg_e'>, <Regime.PSD2: 'psd2'>, <Regime.UK: 'uk'>, None)
    """
    institution = _institution_for(parse_region(region))
    return None if institution is None else institution.regimes[0]


def _institution_for(code: str) -> Institution | None:
    try:
        return Institution.for_region(code)
    except InvalidInputError:  # no preset for this region: no regime is assumed
        return None


class CategoryMatch(WalletModel, frozen=True, extra="forbid"):
    """One triaged category, as the answer shows it.

    Examples:
        >>> m = CategoryMatch(id="app_crash", group="technical", name=LocalizedText(
        ...     en="App crash", zh="应用闪退"), urgency="normal", time_critical=False,
        ...     confidence=0.8)
        >>> m.name.text("zh")
        '应用闪退'
    """

    id: str
    group: str
    name: LocalizedText
    urgency: Urgency
    time_critical: bool
    confidence: float = Field(ge=0.0, le=1.0)


class LegalWindow(WalletModel, frozen=True, extra="forbid"):
    """Why the customer should report quickly, with the rule it comes from.

    Examples:
        >>> w = LegalWindow(regime="psd2", text=LocalizedText(en="Report now.", zh="请立即报告。"),
        ...                 source="PSD2 Art. 71(1)")
        >>> w.source
        'PSD2 Art. 71(1)'
    """

    regime: Regime | None = None
    text: LocalizedText
    source: str = ""
    report_by: AwareDatetime | None = None


class Assistance(WalletModel, frozen=True, extra="forbid"):
    """Everything support should tell and prepare for one caller.

    Attributes:
        text_language: the language detected in the message.
        locale: the language to answer in.
        region: the caller's region (ISO 3166-1 alpha-2).
        at: when the caller asked.
        category: the best category, or ``None`` when nothing in the message matched.
        alternatives: other likely categories, shown when triage is unsure.
        unsure: triage could not decide clearly; the agent should ask.
        urgency: how urgent the issue is.
        advice: what the customer should do right now, most important first.
        legal_window: the legal reason to report quickly, where a regime applies.
        verification: the identity checks the agent will run before acting.
        route: the line to call, or the fallback channels when no line matches.
        checklists: what to have ready, one checklist per locale (English, Chinese).
        deadlines: the deadlines that start running once the issue is reported.
    """

    kind: Literal["assistance"] = "assistance"
    text_language: DetectedLanguage
    locale: Locale
    region: str
    at: AwareDatetime
    category: CategoryMatch | None
    alternatives: tuple[CategoryMatch, ...] = ()
    unsure: bool
    urgency: Urgency
    advice: tuple[LocalizedText, ...]
    legal_window: LegalWindow | None = None
    verification: VerificationPlan | None = None
    route: Annotated[Route | NoRoute, Field(discriminator="kind")]
    checklists: tuple[CallChecklist, ...] = ()
    deadlines: tuple[Deadline, ...] = ()

    def checklist(self, locale: Locale | str | None = None) -> CallChecklist | None:
        """The checklist in ``locale`` (default: the answer's locale).

        Examples:
            >>> from datetime import datetime, timezone
            >>> a = assist("app keeps crashing", region="US",
            ...            at=datetime(2026, 3, 2, 15, tzinfo=timezone.utc))
            >>> a.checklist("zh").locale.value
            'zh'
        """
        wanted = Locale(locale) if locale is not None else self.locale
        return next((c for c in self.checklists if c.locale is wanted), None)

    def to_text(self, locale: Locale | str | None = None) -> str:
        """Render the answer as plain text in English or Chinese.

        Raises:
            InvalidInputError: an unknown locale.

        Examples:
            >>> from datetime import datetime, timezone
            >>> a = assist("I forgot my password", region="US",
            ...            at=datetime(2026, 3, 2, 15, tzinfo=timezone.utc))
            >>> a.to_text("en").splitlines()[0].startswith("Issue: Forgotten password or PIN")
            True
        """
        from walletsupport._render import render_assistance

        return render_assistance(self, self.locale if locale is None else Locale(locale))


def assist(
    text: str,
    *,
    region: str,
    at: datetime,
    locale: Locale | str | None = None,
    directory: Directory | None = None,
    registry: IssueRegistry | None = None,
    institution: Institution | None = None,
    zone: str | None = None,
    lockout: LockoutPolicy | None = None,
    otp: OtpPolicy | None = None,
    reset: ResetTokenPolicy | None = None,
    secrets: SecretVocabulary | None = None,
) -> Assistance:
    """Compose the full answer for one customer message.

    Args:
        text: what the customer said or wrote, in English, Chinese or a mix.
        region: where the customer is (ISO 3166-1 alpha-2, e.g. ``"CN"``).
        at: when they asked (aware).
        locale: the language to answer in; by default the language of the message.
        directory: the support lines to route to; the fictional
            [sample directory][walletsupport.contact.sample_directory] by default.
        registry: the issue categories; the built-ins by default.
        institution: the institution whose regime and business days every legal statement
            comes from; the region's preset
            ([Institution.for_region][walletsupport.regulation.Institution.for_region]) by
            default, none where the region has no preset.
        zone: the caller's IANA zone; by default ``at``'s own zone (or its offset).
        lockout: the lockout policy the advice describes (the account-lock workflow's default).
        otp: the one-time-code policy the advice describes.
        reset: the reset-link policy the advice describes.
        secrets: the secrets no checklist item may ask for (``DEFAULT_SECRETS`` by default);
            pass ``DEFAULT_SECRETS.extended(...)`` to add your own. An item that asks for one
            is left out and its id listed in the checklist's ``withheld``.

    Raises:
        EmptyTextError: ``text`` is empty or whitespace.
        NaiveDatetimeError: ``at`` has no time zone.
        InvalidInputError: an unknown region or locale, or arguments of the wrong type.

    Examples:
        >>> from datetime import datetime, timezone
        >>> a = assist("someone stole money from my wallet, I did not make this payment",
        ...            region="US", at=datetime(2026, 3, 2, 15, tzinfo=timezone.utc))
        >>> a.category.id, a.urgency.value, a.legal_window.source
        ('unauthorized_transaction', 'critical', '12 CFR 1005.6(b)(3)')
        >>> [d.name for d in a.deadlines][:2]
        ['decision', 'provisional_credit']
    """
    moment = ensure_aware(at, "at")
    code = parse_region(region)
    caller_zone = _caller_zone(moment, zone, code)
    if institution is None:
        institution = _institution_for(code)
    elif not isinstance(institution, Institution):
        raise InvalidInputError(
            f"institution must be an Institution, not {type(institution).__name__}"
        )
    lockout = _checked(lockout, LockoutPolicy, "lockout") or DEFAULT_LOCKOUT
    if otp is not None:
        from walletsupport.verification.otp import OtpPolicy

        _checked(otp, OtpPolicy, "otp")
    if reset is not None:
        from walletsupport.verification.reset import ResetTokenPolicy

        _checked(reset, ResetTokenPolicy, "reset")
    secrets = _checked(secrets, SecretVocabulary, "secrets")
    if directory is None:
        directory = sample_directory()
    elif not isinstance(directory, Directory):
        raise InvalidInputError(f"directory must be a Directory, not {type(directory).__name__}")
    if registry is not None and not isinstance(registry, IssueRegistry):
        raise InvalidInputError(f"registry must be an IssueRegistry, not {type(registry).__name__}")

    # triage(registry=None) uses the built-ins compiled once; a fresh default_registry() would
    # compile its matcher again on every call (about 90 ms).
    result = triage(text, registry, locale)
    if registry is None:
        registry = _builtin_registry()
    answer_locale = result.locale
    matches = [
        _match(registry.get(c.category_id), c.score)
        for c in result.candidates
        if c.category_id != OTHER_ID
    ]
    top = None if result.is_other else registry.get(result.top.category_id)  # type: ignore[union-attr]

    if top is None:
        # "None of these": the general how-to line, if the registry has that category.
        routed: Route | NoRoute = (
            _route(
                directory,
                code,
                registry.get("feature_inquiry"),
                moment,
                answer_locale,
                registry,
                caller_zone,
            )
            if "feature_inquiry" in registry
            else _no_route(code, directory)
        )
        return Assistance(
            text_language=result.language,
            locale=answer_locale,
            region=code,
            at=moment,
            category=None,
            alternatives=tuple(matches[:3]),
            unsure=True,
            urgency=Urgency.NORMAL,
            advice=(_DESCRIBE_MORE,),
            route=routed,
            checklists=(),
        )

    routed = _route(directory, code, top, moment, answer_locale, registry, caller_zone)
    window = _legal_window(top, institution, code, moment, _device_lost_or_stolen(text, top))
    return Assistance(
        text_language=result.language,
        locale=answer_locale,
        region=code,
        at=moment,
        category=matches[0],
        alternatives=tuple(matches[1:4]) if result.unsure else (),
        unsure=result.unsure,
        urgency=top.urgency,
        advice=_advice(top, window, lockout, otp, reset),
        legal_window=window,
        verification=_plan(top.verification_action, _risk_of(top)),
        route=routed,
        checklists=tuple(
            call_checklist(top, loc, registry=registry, secrets=secrets)
            for loc in (Locale.EN, Locale.ZH)
        ),
        deadlines=_deadlines(top, institution, moment, text),
    )


# --- pieces --------------------------------------------------------------------------------

_DESCRIBE_MORE = LocalizedText(
    en="Tell us a little more: what were you trying to do, and what happened?",
    zh="请再多描述一些：您想做什么，发生了什么？",
)

_ACT_NOW = (
    LocalizedText(
        en="Change your wallet password now from a device you trust.",
        zh="请立即在可信设备上修改钱包密码。",
    ),
    LocalizedText(
        en="Never share a one-time code, CVC or password: support will never ask for them.",
        zh="切勿透露验证码、CVC 安全码或密码：客服绝不会向您索要。",
    ),
)


def _match(category: IssueCategory, score: float) -> CategoryMatch:
    return CategoryMatch(
        id=category.id,
        group=category.group.value if isinstance(category.group, IssueGroup) else category.group,
        name=_localized(category.name_en, category.name_zh),
        urgency=category.urgency,
        time_critical=category.time_critical,
        confidence=score,
    )


@cache  # a few actions times three risks: the plan is a pure function of them
def _plan(action: VerificationAction, risk: Risk) -> VerificationPlan:
    return plan_verification(action, risk, TYPICAL_FACTORS)


def _risk_of(category: IssueCategory) -> Risk:
    """Money at risk needs strong authentication; reading information needs one factor."""
    if category.time_critical or category.urgency >= Urgency.CRITICAL:
        return Risk.HIGH
    if category.verification_action is VerificationAction.VIEW_INFO:
        return Risk.LOW
    return Risk.MEDIUM


def _route(
    directory: Directory,
    region: str,
    category: IssueCategory,
    at: datetime,
    locale: Locale,
    registry: IssueRegistry,
    caller_zone: str,
) -> Route | NoRoute:
    return route(
        directory,
        region=region,
        category=category,
        at=at,
        language=locale.value,
        caller_zone=caller_zone,
        registry=registry,
    )


_T = TypeVar("_T")


def _checked(value: _T | None, kind: type[_T], name: str) -> _T | None:
    if value is not None and not isinstance(value, kind):
        raise InvalidInputError(f"{name} must be a {kind.__name__}, not {type(value).__name__}")
    return value


def _no_route(region: str, directory: Directory) -> NoRoute:
    return NoRoute(
        category_id="unknown",
        region=region,
        explanation=_DESCRIBE_MORE,
        fallback=directory.fallback,
    )


def _caller_zone(at: datetime, zone: str | None, region: str) -> str:
    """The caller's IANA zone: ``zone`` if given, else ``at``'s own zone or offset.

    A fixed offset is read as the region's zone when that zone has the offset at ``at``, else as
    the ``Etc/GMT`` zone of a whole-hour offset; a region's zone is the last resort.
    """
    if zone is not None:
        if not isinstance(zone, str):
            raise InvalidInputError("zone must be an IANA time zone name such as 'Europe/Paris'")
        try:
            ZoneInfo(zone)
        except (ValueError, ZoneInfoNotFoundError):
            raise InvalidInputError(f"unknown time zone {zone!r}") from None
        return zone
    key = getattr(at.tzinfo, "key", None)
    if isinstance(key, str):
        return key
    region_zone = caller_zone_for(region)
    offset = at.utcoffset()
    if offset is None or at.astimezone(ZoneInfo(region_zone)).utcoffset() == offset:
        return region_zone
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    if rest:
        return region_zone
    return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"


_DEVICE_EN = r"(phone|card|device|mobile|iphone|handset|smartphone|wallet app)"
_LOST_EN = r"(lost|stolen|stole|missing|theft|lose|misplaced)"
_LOST_OR_STOLEN = re.compile(
    rf"\b{_DEVICE_EN}s?\b[^.,;!?]{{0,25}}\b{_LOST_EN}\b|\b{_LOST_EN}\b[^.,;!?]{{0,20}}\b{_DEVICE_EN}"
    r"|(手机|银行卡|卡|设备)[^，。,.！？]{0,6}(丢|被偷|被盗|遗失|失窃|被抢)"
    r"|(丢了|丢失|遗失|被偷了|偷了|被盗了|抢了)[^，。,.！？]{0,6}(手机|银行卡|卡|设备)",
    re.IGNORECASE,
)


def _device_lost_or_stolen(text: str, category: IssueCategory) -> bool:
    """Whether the message (or the ``lost_or_stolen`` category) says a device was lost or stolen.

    Only then do the lost-or-stolen liability tiers apply (12 CFR 1005.6(b)(1)-(2), comment
    6(b)(3)-2; PSD2 Art. 74(1); PSRs 2017 reg 77(1)).
    """
    return category.id == _LOST_DEVICE or _LOST_OR_STOLEN.search(text) is not None


_DISPUTE_KINDS: tuple[tuple[re.Pattern[str], DisputeKind], ...] = (
    (
        re.compile(
            r"charged twice|twice for|double[- ]charge|duplicate|charged two times"
            r"|重复扣|扣了两次|扣两次|重复收费|重复支付",
            re.IGNORECASE,
        ),
        DisputeKind.DUPLICATE_CHARGE,
    ),
    (
        re.compile(
            r"wrong amount|overcharged|charged (me )?more|incorrect amount|金额不对|金额错误|多扣",
            re.IGNORECASE,
        ),
        DisputeKind.WRONG_AMOUNT,
    ),
)


def _dispute_kind(text: str) -> DisputeKind:
    """The dispute kind a message names; ``other`` when it names none of the known errors."""
    return next(
        (kind for pattern, kind in _DISPUTE_KINDS if pattern.search(text)), DisputeKind.OTHER
    )


def _legal_window(
    category: IssueCategory,
    institution: Institution | None,
    region: str,
    at: datetime,
    lost: bool,
) -> LegalWindow | None:
    """The legal reason to report quickly, from the institution's own regime and calendar."""
    if category.id not in _MONEY_TAKEN_IDS:
        return None
    regime = None if institution is None else institution.regimes[0]
    if institution is None or regime not in (Regime.REG_E, Regime.PSD2, Regime.UK):
        return LegalWindow(
            regime=regime,
            source="",
            text=LocalizedText(
                en=(
                    f"walletsupport knows no legal deadline or liability limit it can cite for "
                    f"callers in {region}: the provider's own terms apply. Report at once."
                ),
                zh=f"对于{region}地区的来电，没有可引用的法定期限或责任上限：以服务商自己的条款为准。请立即报告。",
            ),
        )
    if regime is Regime.REG_E:
        if lost:
            # 12 CFR 1005.6(b)(1)-(3): the 2 business days run from when the consumer learned of
            # the loss or theft (REG_E_LIABILITY_TIER1_50, comment 6(b)(1)-1), on the bank's days.
            report_by = TimeLimit(amount=2, unit=DayCount.BUSINESS_DAYS).ends_at(at, institution)
            return LegalWindow(
                regime=regime,
                source="12 CFR 1005.6(b)(1)-(3)",
                report_by=report_by,
                text=LocalizedText(
                    en=(
                        "Your card, phone or code was lost or stolen: the 2 business days run "
                        "from when you learned of it. If you learned of it today, tell us "
                        f"{_by_end_en(report_by)} and your liability is at most $50; later it "
                        "can reach $500, and transfers on a statement you do not report within "
                        "60 days of its sending may not be covered at all."
                    ),
                    zh=(
                        "您的银行卡、手机或密码丢失或被盗：2 个工作日从您得知丢失之时起算。"
                        f"如果您今天才得知，请在{_by_end_zh(report_by)}告知我们，您的责任上限为"
                        " 50 美元；逾期最高可达 500 美元，"
                        "对账单寄出后 60 天内未报告的交易可能不予赔付。"
                    ),
                ),
            )
        return LegalWindow(
            regime=regime,
            source="12 CFR 1005.6(b)(3)",
            text=LocalizedText(
                en=(
                    "If no card, phone or code of yours was lost or stolen, you owe nothing for "
                    "unauthorized transfers you report within 60 days of the statement that "
                    "first shows them; later ones may not be covered. If one was lost or "
                    "stolen, tell us: other limits apply."
                ),
                zh=(
                    "如果您的银行卡、手机或密码没有丢失或被盗，"
                    "在首次显示该交易的对账单寄出后 60 天内报告的未授权交易，"
                    "您无需承担任何损失；逾期的可能不予赔付。如有丢失或被盗，请告知我们：适用其他限额。"
                ),
            ),
        )
    if regime is Regime.PSD2:
        cap_en = (
            "Because your payment instrument was lost or stolen, your share is at most EUR 50 "
            "unless you acted fraudulently or with gross negligence"
            if lost
            else "Unless you acted fraudulently or with gross negligence you bear nothing"
        )
        cap_zh = (
            "由于您的支付工具丢失或被盗，除非存在欺诈或重大过失，您的损失上限为 50 欧元"
            if lost
            else "除非存在欺诈或重大过失，您无需承担任何损失"
        )
        return LegalWindow(
            regime=regime,
            source="PSD2 Art. 71(1), 73(1), 74(1)",
            text=LocalizedText(
                en=(
                    "Report without undue delay (at the latest 13 months after the debit). "
                    f"{cap_en}; the provider must refund by the end of the next business day."
                ),
                zh=(
                    f"请毫不迟延地报告（最迟在扣款后 13 个月内）。{cap_zh}；"
                    "支付机构须在下一个工作日结束前退款。"
                ),
            ),
        )
    cap_en = (
        "Because your payment instrument was lost or stolen, your share is at most GBP 35 "
        "unless you acted fraudulently or with gross negligence"
        if lost
        else "Unless you acted fraudulently or with gross negligence you bear nothing"
    )
    cap_zh = (
        "由于您的支付工具丢失或被盗，除非存在欺诈或重大过失，您的损失上限为 35 英镑"
        if lost
        else "除非存在欺诈或重大过失，您无需承担任何损失"
    )
    return LegalWindow(
        regime=regime,
        source="PSRs 2017 reg 74(1), 76, 77",
        text=LocalizedText(
            en=(
                "Report without undue delay (at the latest 13 months after the debit). "
                f"{cap_en}; the provider must refund by the end of the next business day."
            ),
            zh=(
                f"请毫不迟延地报告（最迟在扣款后 13 个月内）。{cap_zh}；"
                "支付机构须在下一个工作日结束前退款。"
            ),
        ),
    )


def _by_end_en(due_at: datetime) -> str:
    from walletsupport._render import end_of_day_en

    return end_of_day_en(due_at)


def _by_end_zh(due_at: datetime) -> str:
    from walletsupport._render import end_of_day_zh

    return end_of_day_zh(due_at)


def _duration_en(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes % 60 == 0 and minutes >= 60:
        return f"{minutes // 60} h"
    return f"{minutes} min"


def _duration_zh(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes % 60 == 0 and minutes >= 60:
        return f"{minutes // 60} 小时"
    return f"{minutes} 分钟"


def _lockout_advice(policy: LockoutPolicy) -> LocalizedText:
    """What a locked-out customer should do, said from the lockout policy itself."""
    window_en = "" if policy.window is None else f" within {_duration_en(policy.window)}"
    window_zh = "" if policy.window is None else f"在 {_duration_zh(policy.window)}内"
    en = (
        f"{policy.max_failures} failed attempts in a row{window_en} lock the account; attempts "
        "while it is locked are refused and not counted, so retrying does not help. "
    )
    zh = (
        f"{window_zh}连续 {policy.max_failures} 次失败会锁定账户；"
        "锁定期间的尝试会被拒绝且不计数，反复尝试没有帮助。"
    )
    if policy.cooldown is None:
        en += (
            "The lock does not lift by itself: contact "
            "support to verify your identity and unlock it."
        )
        zh += "锁定不会自动解除：请联系客服核实身份后解锁。"
    else:
        en += (
            f"The lock lifts by itself after {_duration_en(policy.cooldown)}; to unlock sooner, "
            "contact support to verify your identity."
        )
        zh += (
            f"锁定会在 {_duration_zh(policy.cooldown)} 后自动解除；"
            "如需提前解锁，请联系客服核实身份。"
        )
    return LocalizedText(en=en, zh=zh)


def _reset_advice(otp: OtpPolicy | None, reset: ResetTokenPolicy | None) -> LocalizedText:
    """How the reset works, said from the OTP and reset-token policies (default: theirs)."""
    if otp is None:
        from walletsupport.verification.otp import OtpPolicy

        otp = OtpPolicy()
    if reset is None:
        from walletsupport.verification.reset import ResetTokenPolicy

        reset = ResetTokenPolicy()
    return LocalizedText(
        en=(
            f"The {otp.digits}-digit code we send is valid for {_duration_en(otp.ttl)} and "
            f"allows {otp.max_attempts} tries; the reset link is valid for "
            f"{_duration_en(reset.ttl)}. Type the code only in the app, never tell it to anyone."
        ),
        zh=(
            f"我们发送的 {otp.digits} 位验证码有效期为 {_duration_zh(otp.ttl)}，最多可尝试 "
            f"{otp.max_attempts} 次；重置链接有效期为 {_duration_zh(reset.ttl)}。"
            "验证码只在应用内输入，切勿告诉任何人。"
        ),
    )


_FOREIGN_EXAMPLE = re.compile(
    r"\s*\((?:for example|e\.g\.)[^\n]*(?:Regulation|CFR|PSD2|PSRs|Art\.)[^\n]*\)(?=\.?$)"
)


@lru_cache(maxsize=1024)  # a category's name and guidance are the same on every answer
def _localized(en: str, zh: str) -> LocalizedText:
    return LocalizedText(en=en, zh=zh)


@lru_cache(maxsize=1024)
def _guidance(en: str, zh: str) -> LocalizedText:
    # the legal window says the caller's own law; a category's example from another
    # jurisdiction ("for example ... under US Regulation E") would contradict it
    return LocalizedText(en=_FOREIGN_EXAMPLE.sub("", en), zh=zh)


def _advice(
    category: IssueCategory,
    window: LegalWindow | None,
    lockout: LockoutPolicy,
    otp: OtpPolicy | None,
    reset: ResetTokenPolicy | None,
) -> tuple[LocalizedText, ...]:
    if category.id == "account_locked":
        items = [_lockout_advice(lockout)]
    else:
        items = [_guidance(category.guidance_en, category.guidance_zh)]
    if category.id == "forgot_password":
        items.append(_reset_advice(otp, reset))
    if category.time_critical and category.group is IssueGroup.SECURITY:
        items.extend(_ACT_NOW)
    if window is not None:
        items.append(window.text)
    return tuple(items)


def _deadlines(
    category: IssueCategory, institution: Institution | None, at: datetime, text: str
) -> tuple[Deadline, ...]:
    """The deadlines a report by phone starts, through the regime API the workflows' ``due()``
    uses (the notice is received when the customer tells support)."""
    if institution is None:
        return ()
    # each regime's module loads with its first answer: a cold start pays for one
    regime = institution.regimes[0]
    # an error-resolution notice needs a transfer: a lost card alone starts no 1005.11 clock
    if category.id == _MONEY_TAKEN:
        if regime is Regime.REG_E:
            from walletsupport.regulation import reg_e

            case = reg_e.ErrorCase(notice_at=at, kind=reg_e.ErrorKind.UNAUTHORIZED)
            return reg_e.error_resolution_deadlines(case, institution, at=at)
        if regime is Regime.PSD2:
            from walletsupport.regulation import psd2

            return psd2.unauthorised_deadlines(at, institution)
        if regime is Regime.UK:
            from walletsupport.regulation import uk

            return uk.unauthorised_deadlines(at, institution)
        return ()
    if category.id in _MONEY_DISPUTED:
        if regime is Regime.REG_E:
            from walletsupport.regulation import reg_e

            # only the 1005.11(a) errors get Reg E dates ("goods never arrived" is not one)
            error = reg_e.error_kind_for(_dispute_kind(text))
            if error is None:
                return ()
            case = reg_e.ErrorCase(notice_at=at, kind=error)
            return reg_e.error_resolution_deadlines(case, institution, at=at)
        if regime is Regime.PSD2:
            from walletsupport.regulation import psd2

            return psd2.complaint_deadlines(at, institution)
        if regime is Regime.UK:
            from walletsupport.regulation import uk

            return uk.complaint_deadlines(at, institution, psd_complaint=True)
    return ()
