"""Public holidays generated from the `holidays` package, one calendar year at a time.

A [HolidayCalendar][walletsupport.calendars.HolidayCalendar] names a country (ISO 3166-1
alpha-2) and optionally a subdivision. For China it also yields the official make-up working
days (调休, the package's ``weekend_workdays``): weekend dates that open like a working day.

Observance: by default the package's own rules for a holiday on a weekend (``observed``). The
Federal Reserve schedule differs: a Saturday holiday is *not* moved to the Friday (Federal
Reserve Banks are open that Friday), a Sunday holiday is observed on the Monday
(federalreserve.gov, "K.8 - Holidays Observed by the Federal Reserve System";
``BD_FED_WEEKEND_RULE``).
[HolidayCalendar.federal_reserve][walletsupport.calendars.HolidayCalendar.federal_reserve]
builds that calendar.

Generation is lazy: a [Schedule][walletsupport.calendars.Schedule] asks for a year only when a
question touches it, and keeps the answer on the schedule instance (never in a module global).

Examples:
    >>> cn = HolidayCalendar(country="CN")
    >>> year = cn.year(2026)
    >>> date(2026, 10, 1) in year.holidays, date(2026, 10, 10) in year.workdays
    (True, True)
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar, Literal, Self

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
        observance: ``"package"`` keeps the package's weekend rules (e.g. OPM's: a Saturday
            holiday is observed on the Friday); ``"sunday_to_monday"`` keeps each holiday on its
            own date and adds the Monday after a Sunday holiday, never the Friday before a
            Saturday one (the Federal Reserve rule, ``BD_FED_WEEKEND_RULE``).

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
    observance: Literal["package", "sunday_to_monday"] = "package"

    @classmethod
    def federal_reserve(cls) -> HolidayCalendar:
        """The Federal Reserve System's holidays: the 11 US legal public holidays (5 U.S.C.
        6103(a), ``BD_LEGAL_HOLIDAYS``), Sunday ones observed on the Monday, Saturday ones not
        moved (``BD_FED_WEEKEND_RULE``; federalreserve.gov K.8, 2026-2030).

        Examples:
            >>> fed = HolidayCalendar.federal_reserve().year(2027).holidays
            >>> date(2027, 12, 24) in fed, date(2027, 7, 5) in fed
            (False, True)
        """
        return cls(country="US", observance="sunday_to_monday")

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
        import holidays as _holidays  # loaded on first use: it costs tens of ms to import

        return _holidays.country_holidays(
            self.country,
            subdiv=self.subdivision,
            years=years,
            observed=self.observance == "package",
        )

    def _years_span(self) -> tuple[int, int] | None:
        """The first and last year the package can hold holidays of, for this entity.

        ``None`` unless generating a year is the package's standard one, which stops at once
        outside ``start_year``-``end_year`` (an entity with its own ``_populate`` may not).
        """
        import holidays as _holidays  # loaded on first use, as in _generate

        entity = self._generate(())
        if getattr(type(entity), "_populate", None) is not _holidays.HolidayBase._populate:
            return None
        start, end = getattr(entity, "start_year", None), getattr(entity, "end_year", None)
        if type(start) is not int or type(end) is not int or start > end:
            return None
        return start, end

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
        own = [d for d in generated if d.year in (year - 1, year)]
        if self.observance == "sunday_to_monday":
            own += [d + timedelta(days=1) for d in own if d.weekday() == 6]
        days = frozenset(d for d in own if d.year == year)
        extra = getattr(generated, "weekend_workdays", None) or ()
        workdays = frozenset(d for d in extra if d.year == year and d not in days)
        return HolidayYear(year=year, holidays=days, workdays=workdays)
