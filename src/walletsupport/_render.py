"""Plain-text rendering of an [Assistance][walletsupport.Assistance], English or Chinese."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from walletsupport.contact import Route, UnboundedWait, WaitEstimate
from walletsupport.values import Locale

if TYPE_CHECKING:
    from walletsupport._assist import Assistance

_LABELS: dict[str, tuple[str, str]] = {
    "issue": ("Issue", "问题类型"),
    "confidence": ("confidence", "置信度"),
    "unsure": ("Not sure; it may also be", "不太确定，也可能是"),
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


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M %Z").strip()


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
    else:
        lines.append(
            f"{_t('issue', zh)}{sep}{category.name.text(locale)} "
            f"({_t('confidence', zh)} {category.confidence:.2f})"
        )
        if answer.alternatives:
            names = "、" if zh else ", "
            lines.append(
                f"{_t('unsure', zh)}{sep}"
                + names.join(alt.name.text(locale) for alt in answer.alternatives)
            )
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
            else f"{_t('opens', zh)} {_when(routed.opens_at)} "
            f"({_t('your_time', zh)} {_when(routed.opens_at_caller)})"
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
        lines.extend(
            f"  - {d.name.replace('_', ' ')}: {_when(d.due_at)} ({d.source})"
            for d in answer.deadlines
        )
    return "\n".join(lines)
