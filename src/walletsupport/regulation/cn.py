"""China: business days with 调休, and complaint SLAs the institution configures.

Only what the reference verifies is built in:

* 工作日 follow the State Council's annual notice (国务院办公厅《关于部分节假日安排的通知》): the
  statutory holidays of 《全国年节及纪念日放假办法》 (13 days from 2025-01-01) are off, and the
  weekend days the notice names as working days (调休, "上班") are working days
  (``BD_CN_ANNUAL_NOTICE``, ``BD_CN_TIAOXIU_PRINCIPLE``). ``Institution.cn_institution()`` carries
  them (the `holidays` package's ``weekend_workdays``).
* The complaint deadline of payment institutions under 《中国人民银行金融消费者权益保护实施办法》
  (PBOC Order [2020] No. 5) is **not** verified (``CN_COMPLAINT_PAYMENT_INSTITUTION``,
  ``CN_PBOC_COMPLAINT_DEADLINE``, [nr]): no number is hard-coded. The institution states its own
  [ComplaintSla][walletsupport.regulation.cn.ComplaintSla], in 日 or 工作日.

Examples:
    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from walletsupport.regulation import Institution
    >>> sla = ComplaintSla(amount=15, unit="business_days")
    >>> received = datetime(2026, 9, 30, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> [d.due_at.date().isoformat() for d in complaint_deadlines(
    ...     received, Institution.cn_institution(), sla)]
    ['2026-10-28']
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from pydantic import Field, model_validator

from walletsupport._model import WalletModel
from walletsupport.clock import ensure_aware
from walletsupport.errors import ConfigurationError, InvalidInputError, WalletSupportError
from walletsupport.regulation._engine import DayCount, Deadline, TimeLimit, schedule_of
from walletsupport.regulation.institution import Institution

__all__ = ["ComplaintSla", "complaint_deadlines"]


class ComplaintSla(WalletModel, frozen=True, extra="forbid"):
    """An institution's complaint reply time, as it states it (not a number from the law).

    Attributes:
        amount: how many days.
        unit: ``"calendar_days"`` (日) or ``"business_days"`` (工作日, with 调休).
        civil_code_rollover: for 日: when the last day is a rest day, the period ends on the
            next working day (民法典 第二百零三条, ``BD_CN_DEADLINE_COUNTING``, [nr]).
        source: what the figure rests on; by default the unverified PBOC order.
        rule_id: the reference's rule id.

    Raises:
        ConfigurationError: weeks or months, or a negative amount.

    Examples:
        >>> ComplaintSla(amount=15, unit="calendar_days").source
        '[nr] PBOC Order [2020] No. 5'
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    amount: int = Field(ge=1, le=365)
    unit: DayCount
    civil_code_rollover: bool = True
    source: str = Field(default="[nr] PBOC Order [2020] No. 5", min_length=1, max_length=200)
    rule_id: str = Field(default="CN_COMPLAINT_PAYMENT_INSTITUTION", min_length=1, max_length=80)

    @model_validator(mode="after")
    def _days_only(self) -> ComplaintSla:
        if self.unit not in (DayCount.CALENDAR_DAYS, DayCount.BUSINESS_DAYS):
            raise ValueError("a complaint SLA is in calendar_days (日) or business_days (工作日)")
        return self


def complaint_deadlines(
    received_at: datetime,
    institution: Institution,
    sla: ComplaintSla,
    *,
    answered_at: datetime | None = None,
) -> tuple[Deadline, ...]:
    """The reply deadline of one complaint under the institution's own SLA (running or late).

    Day 0 is the date of receipt in Beijing time (periods in 日 exclude the start day); 工作日
    come from the institution's calendar, 调休 included.

    Raises:
        InvalidInputError: ``sla`` is not a ComplaintSla.
        NaiveDatetimeError: an instant is naive.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> sla = ComplaintSla(amount=3, unit="calendar_days")
        >>> # received 28 Sep 2026: day 3 is 1 Oct (国庆节), so the period ends on 8 Oct
        >>> [d.due_at.date().isoformat() for d in complaint_deadlines(
        ...     datetime(2026, 9, 28, 2, tzinfo=timezone.utc), Institution.cn_institution(), sla)]
        ['2026-10-09']
    """
    if not isinstance(sla, ComplaintSla):
        raise InvalidInputError("sla must be a cn.ComplaintSla")
    schedule = schedule_of(institution)
    received = ensure_aware(received_at, "received_at")
    last = TimeLimit(amount=sla.amount, unit=sla.unit).last_day(received, schedule)
    if sla.unit is DayCount.CALENDAR_DAYS and sla.civil_code_rollover:
        last = schedule.business_days_after(last - timedelta(days=1), 1)
    deadline = Deadline(
        name="complaint_reply",
        due_at=schedule.end_of_day(last),
        source=sla.source,
        rule_id=sla.rule_id,
    )
    if answered_at is None:
        return (deadline,)
    answered = ensure_aware(answered_at, "answered_at")
    return (
        (deadline.model_copy(update={"met_at": answered}),) if answered >= deadline.due_at else ()
    )
