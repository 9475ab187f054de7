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

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, Field

from walletsupport._model import WalletModel
from walletsupport.calendars import HolidayCalendar, Schedule
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
from walletsupport.errors import InvalidInputError
from walletsupport.issues import (
    DetectedLanguage,
    IssueCategory,
    IssueGroup,
    IssueRegistry,
    Urgency,
    default_registry,
    triage,
)
from walletsupport.regulation import Deadline, DeadlinePolicy, Milestone, Regime, psd2, reg_e
from walletsupport.values import Locale, parse_region
from walletsupport.verification import (
    FactorKind,
    Risk,
    VerificationAction,
    VerificationPlan,
    plan_verification,
)

__all__ = ["Assistance", "CategoryMatch", "LegalWindow", "assist", "regime_for"]

#: Member states of the European Economic Area, where PSD2 applies (Art. 2; EEA Agreement).
EEA_REGIONS = frozenset(
    {
        *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
        *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
        *("IS", "LI", "NO"),
    }
)

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

_MONEY_TAKEN = "unauthorized_transaction"
_MONEY_DISPUTED = frozenset({"transaction_dispute", "refund_request"})


def regime_for(region: str) -> Regime | None:
    """The body of consumer-payment rules that applies to a caller in ``region``.

    ``US`` follows Regulation E (12 CFR part 1005); the EEA follows PSD2
    (Directive (EU) 2015/2366). Elsewhere no regime is assumed (``None``): walletsupport does
    not hard-code a deadline it cannot cite (China's complaint deadline for payment
    institutions, PBOC Order [2020] No. 5, is not verified in the reference: rule id
    ``CN_COMPLAINT_PAYMENT_INSTITUTION``).

    Raises:
        InvalidInputError: ``region`` is not an ISO 3166 code.

    Examples:
        >>> regime_for("us"), regime_for("DE"), regime_for("CN")
        (<Regime.REG_E: 'reg_e'>, <Regime.PSD2: 'psd2'>, None)
    """
    code = parse_region(region)
    if code == "US":
        return Regime.REG_E
    if code in EEA_REGIONS:
        return Regime.PSD2
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

    regime: Regime
    text: LocalizedText
    source: str
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

    Raises:
        EmptyTextError: ``text`` is empty or whitespace.
        NaiveDatetimeError: ``at`` has no time zone.
        InvalidInputError: an unknown region or locale, or arguments of the wrong type.

    Examples:
        >>> from datetime import datetime, timezone
        >>> a = assist("someone stole money from my wallet, I did not make this payment",
        ...            region="US", at=datetime(2026, 3, 2, 15, tzinfo=timezone.utc))
        >>> a.category.id, a.urgency.value, a.legal_window.source
        ('unauthorized_transaction', 'critical', '12 CFR 1005.6(b)')
        >>> [d.name for d in a.deadlines][:2]
        ['decision', 'provisional_credit']
    """
    moment = ensure_aware(at, "at")
    code = parse_region(region)
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
        registry = default_registry()
    answer_locale = result.locale
    matches = [_match(registry.get(c.category_id), c.score) for c in result.candidates]
    top = registry.get(result.top.category_id) if result.top is not None else None

    if top is None:
        # Nothing matched: the general how-to line, if the registry has that category.
        routed: Route | NoRoute = (
            _route(
                directory, code, registry.get("feature_inquiry"), moment, answer_locale, registry
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
            unsure=True,
            urgency=Urgency.NORMAL,
            advice=(_DESCRIBE_MORE,),
            route=routed,
            checklists=(),
        )

    routed = _route(directory, code, top, moment, answer_locale, registry)
    regime = regime_for(code)
    calendar = _business_calendar(directory, code, routed)
    window = _legal_window(top, regime, moment, calendar)
    return Assistance(
        text_language=result.language,
        locale=answer_locale,
        region=code,
        at=moment,
        category=matches[0],
        alternatives=tuple(matches[1:4]) if result.unsure else (),
        unsure=result.unsure,
        urgency=top.urgency,
        advice=_advice(top, window),
        legal_window=window,
        verification=plan_verification(top.verification_action, _risk_of(top), TYPICAL_FACTORS),
        route=routed,
        checklists=tuple(
            call_checklist(top, loc, registry=registry) for loc in (Locale.EN, Locale.ZH)
        ),
        deadlines=_deadlines(top, regime, moment, calendar),
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
        name=LocalizedText(en=category.name_en, zh=category.name_zh),
        urgency=category.urgency,
        time_critical=category.time_critical,
        confidence=score,
    )


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
) -> Route | NoRoute:
    return route(
        directory,
        region=region,
        category=category,
        at=at,
        language=locale.value,
        registry=registry,
    )


def _no_route(region: str, directory: Directory) -> NoRoute:
    return NoRoute(
        category_id="unknown",
        region=region,
        explanation=_DESCRIBE_MORE,
        fallback=directory.fallback,
    )


def _business_calendar(directory: Directory, region: str, routed: Route | NoRoute) -> Schedule:
    """The institution's business days for legal deadlines.

    A Regulation E "business day" is a day the institution is open to the public for
    substantially all business functions (12 CFR 1005.2(d), ``REG_E_BUSINESS_DAY``), so a
    24/7 fraud line does not define it: the chosen line's schedule counts only if it is not
    around the clock; else the first line serving the region that keeps office hours; else
    Monday to Friday in the caller's zone with the region's public holidays.
    """
    if isinstance(routed, Route) and not routed.line.is_always_open:
        return routed.line.schedule
    for line in directory.lines:
        if line.serves(region) and not line.is_always_open:
            return line.schedule
    return _weekdays_in(region)


@lru_cache(maxsize=64)
def _weekdays_in(region: str) -> Schedule:
    """Monday to Friday in the region's zone with its public holidays; built once per region."""
    zone = caller_zone_for(region)
    try:
        return Schedule.weekdays(zone, holiday_calendar=HolidayCalendar(country=region))
    except ValueError:  # no public-holiday data for this region (pydantic or schedule error)
        return Schedule.weekdays(zone)


def _legal_window(
    category: IssueCategory, regime: Regime | None, at: datetime, calendar: Schedule
) -> LegalWindow | None:
    if category.id != _MONEY_TAKEN or regime is None:
        return None
    if regime is Regime.REG_E:
        # 12 CFR 1005.6(b)(1): notice within 2 business days of learning of the loss or theft
        # keeps the consumer's liability at $50 (REG_E_LIABILITY_TIER_1).
        day = calendar.business_days_after(at.astimezone(ZoneInfo(calendar.zone)).date(), 2)
        report_by = calendar.end_of_day(day)
        where = calendar.zone
        return LegalWindow(
            regime=regime,
            source="12 CFR 1005.6(b)",
            report_by=report_by,
            text=LocalizedText(
                en=(
                    "Report within 2 business days of noticing the loss (by the end of "
                    f"{day.isoformat()}, {where} time): your liability is then at most $50; "
                    "later it can reach $500, and transfers on a statement you do not report "
                    "within 60 days may not be covered at all."
                ),
                zh=(
                    f"请在发现损失后 2 个工作日内（{where} 时间 {day.isoformat()} 结束前）报告："
                    "您的责任上限为 50 美元；逾期最高可达 500 美元，对账单上的交易超过 60 天"
                    "未报告的可能不予赔付。"
                ),
            ),
        )
    # PSD2 Art. 71(1) (notify without undue delay, at most 13 months after the debit),
    # Art. 74(1) (payer liability capped at EUR 50), Art. 73(1) (refund by the end of the
    # following business day).
    return LegalWindow(
        regime=regime,
        source="PSD2 Art. 71(1), 73(1), 74(1)",
        text=LocalizedText(
            en=(
                "Report without undue delay (at the latest 13 months after the debit). Unless "
                "you acted fraudulently or with gross negligence, your loss is capped at EUR 50, "
                "and the provider must refund by the end of the next business day."
            ),
            zh=(
                "请毫不迟延地报告（最迟在扣款后 13 个月内）。除非存在欺诈或重大过失，"
                "您的损失上限为 50 欧元，支付机构须在下一个工作日结束前退款。"
            ),
        ),
    )


def _advice(category: IssueCategory, window: LegalWindow | None) -> tuple[LocalizedText, ...]:
    items = [LocalizedText(en=category.guidance_en, zh=category.guidance_zh)]
    if category.time_critical and category.group is IssueGroup.SECURITY:
        items.extend(_ACT_NOW)
    if window is not None:
        items.append(window.text)
    return tuple(items)


_POLICIES: dict[tuple[Regime, str], Callable[[], DeadlinePolicy]] = {
    (Regime.REG_E, _MONEY_TAKEN): reg_e.error_resolution_rules,
    (Regime.PSD2, _MONEY_TAKEN): psd2.unauthorised_refund_rules,
    **{(Regime.REG_E, c): reg_e.error_resolution_rules for c in _MONEY_DISPUTED},
    **{(Regime.PSD2, c): psd2.complaint_rules for c in _MONEY_DISPUTED},
}


def _deadlines(
    category: IssueCategory, regime: Regime | None, at: datetime, calendar: Schedule
) -> tuple[Deadline, ...]:
    if regime is None:
        return ()
    factory = _POLICIES.get((regime, category.id))
    if factory is None:
        return ()
    policy = factory()
    reached = {rule.starts_at: at for rule in policy.rules if rule.starts_at in _ENTRY_MILESTONES}
    return policy.deadlines(reached, calendar)


# The milestones a report by phone reaches at once: the notice (Reg E, PSD2 Art. 73) or the
# complaint (PSD2 Art. 101) is received when the customer tells support.
_ENTRY_MILESTONES = frozenset(
    {Milestone.NOTICE_RECEIVED, Milestone.COMPLAINT_RECEIVED, Milestone.REFUND_REQUESTED}
)
