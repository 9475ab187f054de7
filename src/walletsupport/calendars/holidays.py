"""Public holidays generated from the `holidays` package, one calendar year at a time.

A [HolidayCalendar][walletsupport.calendars.HolidayCalendar] names a country (ISO 3166-1
alpha-2) and optionally a subdivision. For China it also yields the official make-up working
days (调休, the package's ``weekend_workdays``): weekend dates that open like a working day.

Generation is lazy: a [Schedule][walletsupport.calendars.Schedule] asks for a year only when a
question touches it, and keeps the answer on the schedule instance (never in a module global).

Examples:
    >>> cn = HolidayCalendar(country="CN")
    >>> year = cn.year(2026)
    >>> date(2026, 10, 1) in year.holidays, date(2026, 10, 10) in year.workdays
    (True, True)
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Self

import holidays as _holidays
from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from walletsupport._model import WalletModel
from walletsupport._shown import shown
from walletsupport.errors import InvalidInputError, InvalidScheduleError, WalletSupportError

__all__ = ["HolidayCalendar", "HolidayYear"]


class HolidayYear(WalletModel, frozen=True, extra="forbid"):
    """The generated holidays and make-up working days of one calendar year.

    Examples:
        >>> HolidayYear(year=2026, holidays=frozenset(), workdays=frozenset()).year
        2026
    """

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]


class HolidayCalendar(WalletModel, frozen=True, extra="forbid"):
    """Public holidays of a country (and optional subdivision) from the `holidays` package.

    Attributes:
        country: ISO 3166-1 alpha-2 code, e.g. ``"US"``, ``"CN"``, ``"GB"``.
        subdivision: the package's subdivision code, e.g. ``"CA"`` for California.

    Raises:
        InvalidScheduleError: an unknown country or subdivision.

    Examples:
        >>> us = HolidayCalendar(country="US")
        >>> sorted(us.year(2026).holidays)[0]
        datetime.date(2026, 1, 1)
        >>> us.year(2026).workdays
        frozenset()
    """

    invalid_error: ClassVar[type[WalletSupportError]] = InvalidScheduleError

    country: str = Field(min_length=2, max_length=3, pattern=r"^[A-Za-z]+$", examples=["US", "CN"])
    subdivision: str | None = Field(
        default=None, max_length=16, pattern=r"^[A-Za-z0-9-]+$", examples=["CA"]
    )

    @model_validator(mode="after")
    def _known(self) -> Self:
        try:
            self._generate(())
        except NotImplementedError:
            raise PydanticCustomError(
                "walletsupport.holiday_calendar",
                "the holidays package knows no country {country!r} with subdivision {subdiv!r}",
                {"country": self.country, "subdiv": self.subdivision},
            ) from None
        return self

    def _generate(self, years: Any) -> Any:
        return _holidays.country_holidays(self.country, subdiv=self.subdivision, years=years)

    def year(self, year: int) -> HolidayYear:
        """Generate the holidays and make-up working days of one calendar year.

        This calls the `holidays` package; a schedule caches the result per instance.

        Examples:
            >>> date(2025, 1, 26) in HolidayCalendar(country="CN").year(2025).workdays
            True

        Raises:
            InvalidInputError: ``year`` is not an int from 1 to 9999.
        """
        if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
            raise InvalidInputError(f"year must be an int from 1 to 9999, got {shown(year)}")
        generated = self._generate(year)
        days = frozenset(d for d in generated if d.year == year)
        extra = getattr(generated, "weekend_workdays", None) or ()
        workdays = frozenset(d for d in extra if d.year == year and d not in days)
        return HolidayYear(year=year, holidays=days, workdays=workdays)
