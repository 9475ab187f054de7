"""Plain-text rendering of an [Assistance][walletsupport.Assistance], English or Chinese."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from walletsupport.contact import Route, UnboundedWait, WaitEstimate
from walletsupport.values import Locale

if TYPE_CHECKING:
    from walletsupport._assist import Assistance

_LABELS: dict[str, tuple[str, str]] = {
    "issue": ("Issue", "问题类型"),
    "confidence": ("confidence", "置信度"),
    "unsure": ("Not sure; it may also be", "不确定，也可能是"),
    "unsure_ask": (
        "Not sure: please tell us more so we can be certain",
        "不确定：请再多描述一些，以便我们确认",
    ),
    "other": (
        "None of our issue types fits well; it may be",
        "没有完全符合的问题类型，可能是",
    ),
    "unknown": ("Issue: not recognised", "问题类型：无法识别"),
    "urgency": ("Urgency", "紧急程度"),
    "advice": ("Do now", "现在请"),
    "verify": ("Identity checks the agent will run", "客服将进行的身份核验"),
    "verify_fallback": ("If these are not possible", "如无法完成"),
    "call": ("Call", "拨打"),
    "open_now": ("open now", "现在营业"),
    "opens": ("opens", "开始营业时间"),
    "your_time": ("your time", "您当地时间"),
    "why": ("Why this line", "选择原因"),
    "wait": ("Expected wait", "预计等待"),
    "unbounded": ("long: more calls than agents right now", "较长：当前来电多于客服人数"),
    "no_line": ("No phone line for this; use", "没有对应的电话热线，请使用"),
    "prepare": ("Have ready", "请准备"),
    "deadlines": ("Deadlines once reported", "报告后开始计算的期限"),
}

_URGENCY = {
    "low": ("low", "低"),
    "normal": ("normal", "一般"),
    "high": ("high", "高"),
    "critical": ("critical", "紧急"),
}

_FALLBACK = {
    "in_app_chat": ("in-app chat", "应用内在线客服"),
    "email": ("email", "电子邮件"),
}


_FACTOR_ZH = {
    "password": "客户在应用内输入账户密码",
    "security_question": "回答预设的安全问题",
    "recent_transactions": "说出最近的几笔交易",
    "otp_sms": "短信验证码（由客户在应用内输入，切勿告诉客服）",
    "otp_email": "邮件验证码（由客户在应用内输入，切勿告诉客服）",
    "otp_app": "身份验证器应用生成的动态码（RFC 6238）",
    "registered_device": "在已登记的手机上确认",
    "biometric": "在应用内进行指纹或面部识别",
    "id_document": "核验本人有效身份证件",
    "selfie_match": "自拍与证件照片比对",
}


def _t(key: str, zh: bool) -> str:
    en_text, zh_text = _LABELS[key]
    return zh_text if zh else en_text


_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_MONTHS_EN = (
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)

#: Deadline names (the regime modules' snake_case names) said in Chinese.
_DEADLINE_ZH = {
    "decision": "调查结论",
    "extended_decision": "延长后的调查结论",
    "provisional_credit": "临时入账",
    "provisional_credit_notice": "临时入账通知",
    "written_confirmation": "书面确认",
    "report_results": "告知调查结果",
    "honour_payments_after_reversal": "撤销入账后继续兑付",
    "refund": "退款",
    "complaint_reply": "投诉答复",
    "final_response": "最终答复",
    "holding_reply": "临时答复",
    "acknowledgment": "确认收到",
    "resolution": "处理完毕",
}


def zone_name(moment: datetime) -> str:
    """The IANA name of ``moment``'s zone (``Etc/GMT-8`` said as ``UTC+08:00``)."""
    key = getattr(moment.tzinfo, "key", None)
    if isinstance(key, str) and not key.startswith("Etc/"):
        return key
    offset = moment.strftime("%z")
    return "UTC" if offset in ("+0000", "") else f"UTC{offset[:3]}:{offset[3:]}"


def _local_day(due_at: datetime) -> datetime:
    """The last local day before an exclusive end-of-day instant."""
    return due_at - timedelta(microseconds=1)


def _day_en(moment: datetime) -> str:
    return (
        f"{_WEEKDAYS_EN[moment.weekday()]} {moment.day} {_MONTHS_EN[moment.month - 1]} "
        f"{moment.year}"
    )


def _day_zh(moment: datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日（{_WEEKDAYS_ZH[moment.weekday()]}）"


def end_of_day_en(due_at: datetime) -> str:
    """``by the end of Tuesday 8 December 2026 (America/New_York)`` for an exclusive due instant.

    Examples:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> end_of_day_en(datetime(2026, 12, 9, tzinfo=ZoneInfo("America/New_York")))
        'by the end of Tuesday 8 December 2026 (America/New_York)'
    """
    if (due_at.hour, due_at.minute, due_at.second, due_at.microsecond) != (0, 0, 0, 0):
        return f"before {_day_en(due_at)} {due_at:%H:%M} ({zone_name(due_at)})"
    return f"by the end of {_day_en(_local_day(due_at))} ({zone_name(due_at)})"


def end_of_day_zh(due_at: datetime) -> str:
    """``2026年12月8日（星期二）结束前（America/New_York）``.

    Examples:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> end_of_day_zh(datetime(2026, 12, 9, tzinfo=ZoneInfo("America/New_York")))
        '2026年12月8日（星期二）结束前（America/New_York）'
    """
    if (due_at.hour, due_at.minute, due_at.second, due_at.microsecond) != (0, 0, 0, 0):
        return f"{_day_zh(due_at)}{due_at:%H:%M}前（{zone_name(due_at)}）"
    return f"{_day_zh(_local_day(due_at))}结束前（{zone_name(due_at)}）"


def _when(moment: datetime, zh: bool) -> str:
    """An opening instant: weekday, date, time and IANA zone."""
    if zh:
        return f"{_day_zh(moment)}{moment:%H:%M}（{zone_name(moment)}）"
    return f"{_day_en(moment)} {moment:%H:%M} ({zone_name(moment)})"


def _minutes(seconds: float, zh: bool) -> str:
    if seconds < 60:
        return f"{seconds:.0f} 秒" if zh else f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} 分钟" if zh else f"{seconds / 60:.0f} min"


def render_assistance(answer: Assistance, locale: Locale) -> str:
    """The lines of the answer, in ``locale``."""
    zh = locale is Locale.ZH
    sep = "：" if zh else ": "
    lines: list[str] = []
    category = answer.category
    if category is None:
        lines.append(_t("unknown", zh))
        if answer.alternatives:
            lines.append(
                f"{_t('other', zh)}{sep}"
                + ("、" if zh else ", ").join(alt.name.text(locale) for alt in answer.alternatives)
            )
    else:
        confidence = f"{_t('confidence', zh)} {category.confidence:.2f}"
        lines.append(
            f"{_t('issue', zh)}{sep}{category.name.text(locale)}"
            + (f"（{confidence}）" if zh else f" ({confidence})")
        )
        if answer.alternatives:
            names = "、" if zh else ", "
            lines.append(
                f"{_t('unsure', zh)}{sep}"
                + names.join(alt.name.text(locale) for alt in answer.alternatives)
            )
        elif answer.unsure:
            lines.append(_t("unsure_ask", zh))
        urgency = _URGENCY.get(answer.urgency.value, (answer.urgency.value,) * 2)
        lines.append(f"{_t('urgency', zh)}{sep}{urgency[1] if zh else urgency[0]}")

    lines.append(f"{_t('advice', zh)}{sep.rstrip()}")
    lines.extend(f"  - {item.text(locale)}" for item in answer.advice)

    if answer.verification is not None:
        plan = answer.verification
        lines.append(f"{_t('verify', zh)}{sep.rstrip()}")
        for i, step in enumerate(plan.steps, 1):
            text = _FACTOR_ZH.get(step.kind.value, step.description) if zh else step.description
            lines.append(f"  {i}. {text}")
        if plan.fallback is not None and not plan.satisfiable:
            lines.append(f"  {_t('verify_fallback', zh)}{sep}{plan.fallback.reason}")

    routed = answer.route
    if isinstance(routed, Route):
        status = (
            _t("open_now", zh)
            if routed.open_now
            else f"{_t('opens', zh)} {_when(routed.opens_at, zh)}"
            + (
                f"（{_t('your_time', zh)} {_when(routed.opens_at_caller, zh)}）"
                if zh
                else f" ({_t('your_time', zh)} {_when(routed.opens_at_caller, zh)})"
            )
        )
        lines.append(
            f"{_t('call', zh)}{sep}{routed.line.name.text(locale)} {routed.dial.digits} — {status}"
        )
        lines.append(f"  {_t('why', zh)}{sep}{routed.explanation.text(locale)}")
        if isinstance(routed.wait, WaitEstimate):
            lines.append(
                f"  {_t('wait', zh)}{sep}"
                f"{_minutes(routed.wait.average_speed_of_answer_seconds, zh)}"
            )
        elif isinstance(routed.wait, UnboundedWait):
            lines.append(f"  {_t('wait', zh)}{sep}{_t('unbounded', zh)}")
    else:
        channels = ("、" if zh else ", ").join(
            (_FALLBACK.get(c.value, (c.value, c.value))[1 if zh else 0]) for c in routed.fallback
        )
        lines.append(f"{_t('no_line', zh)}{sep}{channels}")

    checklist = answer.checklist(locale)
    if checklist is not None and checklist.items:
        lines.append(f"{_t('prepare', zh)}{sep.rstrip()}")
        lines.extend(f"  - {item.text}" for item in checklist.items)
        lines.append(f"  ! {checklist.warning}")

    if answer.deadlines:
        lines.append(f"{_t('deadlines', zh)}{sep.rstrip()}")
        for d in answer.deadlines:
            if zh:
                name = _DEADLINE_ZH.get(d.name, d.name)
                source = d.source.replace("(", "（").replace(")", "）")
                lines.append(f"  - {name}：{end_of_day_zh(d.due_at)}（依据：{source}）")
            else:
                name = d.name.replace("_", " ")
                lines.append(f"  - {name}: due {end_of_day_en(d.due_at)} ({d.source})")
    return "\n".join(lines)
