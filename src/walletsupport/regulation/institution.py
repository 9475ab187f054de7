"""`Institution`: who owes the customer the legal deadlines, and on which business days.

An institution names its jurisdiction, the regimes it answers to and its business-day
[Schedule][walletsupport.calendars.Schedule]. It is the only place a legal deadline's calendar
comes from: a support line's hours never define a regulatory business day. Regulation E counts
"any day on which the offices of the consumer's financial institution are open to the public for
carrying on substantially all business functions" (12 CFR 1005.2(d), ``BD_REG_E_DEFINITION``),
back office included: a Saturday call centre or a 24/7 loss line does not make a business day
(Official Interpretation comments 2(d)-2 and 2(d)-4, ``BD_REG_E_BACK_OFFICE``,
``BD_REG_E_PHONE_LINE``). PSD2 and the UK Payment Services Regulations 2017 count the PSP's days
open for executing payment transactions (PSD2 Art. 4(37), not re-checked [nr]; PSRs 2009 reg
2(1), ``BD_UK_PSRS_2009``).

Presets (each schedule is whole days, 00:00-24:00, Monday to Friday, minus the closures):

* [us_bank][walletsupport.regulation.Institution.us_bank]: the Federal Reserve holiday schedule:
  open the Friday before a Saturday holiday, closed the Monday after a Sunday one
  (federalreserve.gov K.8, ``BD_FED_WEEKEND_RULE``, ``BD_FED_VS_OPM_DIFF``);
* [eu_psp][walletsupport.regulation.Institution.eu_psp]: a PSP in one EEA member state, with
  that state's national public holidays from the `holidays` package;
* [uk_psp][walletsupport.regulation.Institution.uk_psp]: a PSP in one UK nation, with that
  nation's bank holidays (which also gives the FCA Glossary "business day" of DISP,
  ``BD_UK_FCA_GLOSSARY``);
* [cn_institution][walletsupport.regulation.Institution.cn_institution]: China's statutory
  holidays *and* the make-up working days (调休) of the State Council's annual notice
  (``BD_CN_ANNUAL_NOTICE``).

An institution that keeps other days (a Saturday with back-office work, a local closure) passes
its own schedule: ``Institution(name=..., jurisdiction="US", schedule=..., regimes=(...))``.

Examples:
    >>> from datetime import date
    >>> bank = Institution.for_region("US")
    >>> bank.zone, [r.value for r in bank.regimes]
    ('America/New_York', ['reg_e', 'reg_z'])
    >>> bank.schedule.is_business_day(date(2026, 7, 3))  # Fed Banks open: 4 July is a Saturday
    True
    >>> Institution.for_region("DE").schedule.is_business_day(date(2028, 10, 3))
    False
    >>> Institution.for_region("CN").schedule.is_business_day(date(2026, 2, 14))  # 调休 Saturday
    True
"""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from walletsupport._model import WalletModel
from walletsupport.calendars import HolidayCalendar, Schedule
from walletsupport.errors import ConfigurationError, InvalidInputError, WalletSupportError
from walletsupport.regulation._engine import Regime
from walletsupport.values.region import parse_region

__all__ = ["EEA_ZONES", "UK_NATIONS", "Institution"]

#: EEA member states (PSD2 applies: Directive (EU) 2015/2366 Art. 2; EEA Agreement) and the
#: IANA zone of each state's capital, where a PSP's business days are counted.
EEA_ZONES: dict[str, str] = {
    "AT": "Europe/Vienna",
    "BE": "Europe/Brussels",
    "BG": "Europe/Sofia",
    "HR": "Europe/Zagreb",
    "CY": "Asia/Nicosia",
    "CZ": "Europe/Prague",
    "DK": "Europe/Copenhagen",
    "EE": "Europe/Tallinn",
    "FI": "Europe/Helsinki",
    "FR": "Europe/Paris",
    "DE": "Europe/Berlin",
    "GR": "Europe/Athens",
    "HU": "Europe/Budapest",
    "IE": "Europe/Dublin",
    "IT": "Europe/Rome",
    "LV": "Europe/Riga",
    "LT": "Europe/Vilnius",
    "LU": "Europe/Luxembourg",
    "MT": "Europe/Malta",
    "NL": "Europe/Amsterdam",
    "PL": "Europe/Warsaw",
    "PT": "Europe/Lisbon",
    "RO": "Europe/Bucharest",
    "SK": "Europe/Bratislava",
    "SI": "Europe/Ljubljana",
    "ES": "Europe/Madrid",
    "SE": "Europe/Stockholm",
    "IS": "Atlantic/Reykjavik",
    "LI": "Europe/Vaduz",
    "NO": "Europe/Oslo",
}

#: UK nations (the `holidays` package's GB subdivisions): bank holidays differ between them
#: (Banking and Financial Dealings Act 1971, ``BD_UK_BANK_HOLIDAYS_BY_NATION``, [nr]).
UK_NATIONS: dict[str, str] = {
    "ENG": "England",
    "WLS": "Wales",
    "SCT": "Scotland",
    "NIR": "Northern Ireland",
}


def _whole_days(zone: str, calendar: HolidayCalendar) -> Schedule:
    return Schedule.weekdays(zone, "00:00", "24:00", holiday_calendar=calendar)


class Institution(WalletModel, frozen=True, extra="forbid"):
    """A financial institution or payment service provider, with its business-day calendar.

    Attributes:
        name: how the institution is called in answers and logs.
        jurisdiction: the ISO 3166-1 alpha-2 code of the law it answers to (``"US"``, ``"DE"``,
            ``"GB"``, ``"CN"``).
        subdivision: a part of the jurisdiction whose calendar applies (a UK nation: ``"ENG"``,
            ``"WLS"``, ``"SCT"``, ``"NIR"``).
        schedule: the days it is open for substantially all business functions (Reg E) or for
            executing payment transactions (PSD2, PSRs); only its business days matter.
        regimes: the regimes that apply to its customers, most general first.

    Raises:
        ConfigurationError: a bad region code, an empty regime list.

    Examples:
        >>> Institution.uk_psp(nation="SCT").subdivision
        'SCT'
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    name: str = Field(min_length=1, max_length=200)
    jurisdiction: str = Field(min_length=2, max_length=2)
    subdivision: str | None = Field(default=None, min_length=1, max_length=10)
    schedule: Schedule
    regimes: tuple[Regime, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_region(self) -> Self:
        try:
            code = parse_region(self.jurisdiction)
        except InvalidInputError as exc:
            raise PydanticCustomError("walletsupport.institution", str(exc)) from None
        if code != self.jurisdiction:
            raise PydanticCustomError(
                "walletsupport.institution", "jurisdiction is an upper-case ISO 3166 code"
            )
        return self

    @property
    def zone(self) -> str:
        """The IANA zone business days are counted in (the schedule's)."""
        return self.schedule.zone

    # --- presets ---------------------------------------------------------------------------

    @classmethod
    def us_bank(cls, *, name: str = "US bank", zone: str = "America/New_York") -> Institution:
        """A US bank on the Federal Reserve holiday schedule (Regulation E and Z).

        Monday to Friday, closed on the 11 legal public holidays (5 U.S.C. 6103(a)), on the
        Monday after a Sunday holiday, and open on the Friday before a Saturday one: Federal
        Reserve Banks "will be open the preceding Friday" (federalreserve.gov K.8,
        ``BD_FED_WEEKEND_RULE``). Reg E does not name this calendar: it is a default for an
        institution that closes when the Fed closes (12 CFR 1005.2(d), ``BD_REG_E_DEFINITION``).

        Examples:
            >>> from datetime import date
            >>> s = Institution.us_bank().schedule
            >>> s.is_business_day(date(2027, 12, 31)), s.is_business_day(date(2027, 7, 5))
            (True, False)
        """
        return cls(
            name=name,
            jurisdiction="US",
            schedule=_whole_days(zone, HolidayCalendar.federal_reserve()),
            regimes=(Regime.REG_E, Regime.REG_Z),
        )

    @classmethod
    def eu_psp(cls, member_state: str, *, name: str | None = None) -> Institution:
        """A payment service provider in an EEA member state (PSD2, Directive (EU) 2015/2366).

        Business days: Monday to Friday in the state's capital zone, minus that state's national
        public holidays from the `holidays` package (PSD2 Art. 4(37), [nr]: the PSP's own days;
        pass your own schedule when they differ).

        Raises:
            InvalidInputError: ``member_state`` is not an EEA member state.

        Examples:
            >>> Institution.eu_psp("fr").zone
            'Europe/Paris'
        """
        code = parse_region(member_state)
        if code not in EEA_ZONES:
            raise InvalidInputError(f"{code} is not an EEA member state")
        return cls(
            name=name or f"{code} payment service provider",
            jurisdiction=code,
            schedule=_whole_days(EEA_ZONES[code], HolidayCalendar(country=code)),
            regimes=(Regime.PSD2,),
        )

    @classmethod
    def uk_psp(cls, *, nation: str = "ENG", name: str | None = None) -> Institution:
        """A UK payment service provider (PSRs 2017, PSR APP reimbursement, FCA DISP).

        Business days: Monday to Friday in London minus the bank holidays of ``nation``
        (``"ENG"``, ``"WLS"``, ``"SCT"``, ``"NIR"``): the FCA Glossary "business day" is "any
        day which is not a Saturday or Sunday, Christmas Day, Good Friday or a bank holiday in
        that part of the United Kingdom" (``BD_UK_FCA_GLOSSARY``).

        Raises:
            InvalidInputError: an unknown nation.

        Examples:
            >>> from datetime import date
            >>> Institution.uk_psp(nation="SCT").schedule.is_business_day(date(2026, 11, 30))
            False
        """
        code = nation.upper() if isinstance(nation, str) else nation
        if code not in UK_NATIONS:
            raise InvalidInputError(
                f"nation must be one of {', '.join(UK_NATIONS)}, got {nation!r}"
            )
        return cls(
            name=name or f"UK payment service provider ({UK_NATIONS[code]})",
            jurisdiction="GB",
            subdivision=code,
            schedule=_whole_days("Europe/London", HolidayCalendar(country="GB", subdivision=code)),
            regimes=(Regime.UK,),
        )

    @classmethod
    def cn_institution(cls, *, name: str = "CN payment institution") -> Institution:
        """A Chinese payment institution: 工作日 with the statutory holidays and 调休.

        The State Council's annual notice (国务院办公厅《关于部分节假日安排的通知》) fixes the
        days off and the weekend days worked (``BD_CN_ANNUAL_NOTICE``); the `holidays` package
        carries both (its ``weekend_workdays``).

        Examples:
            >>> from datetime import date
            >>> s = Institution.cn_institution().schedule
            >>> s.is_business_day(date(2026, 2, 23)), s.is_business_day(date(2026, 2, 28))
            (False, True)
        """
        return cls(
            name=name,
            jurisdiction="CN",
            schedule=_whole_days("Asia/Shanghai", HolidayCalendar(country="CN")),
            regimes=(Regime.CN,),
        )

    @classmethod
    def for_region(cls, region: str) -> Institution:
        """The preset for a customer's region: US bank, EEA PSP, UK PSP (England) or China.

        Raises:
            InvalidInputError: a bad region code, or one with no preset (build an
                ``Institution`` yourself there).

        Examples:
            >>> Institution.for_region("gb").regimes
            (<Regime.UK: 'uk'>,)
        """
        code = parse_region(region)
        cached = _PRESETS.get(code)
        if cached is not None:
            return cached
        if code == "US":
            built = cls.us_bank()
        elif code in EEA_ZONES:
            built = cls.eu_psp(code)
        elif code == "GB":
            built = cls.uk_psp()
        elif code == "CN":
            built = cls.cn_institution()
        else:
            raise InvalidInputError(
                f"no institution preset for region {code}; build an Institution"
            )
        _PRESETS[code] = built
        return built


#: Presets built once per region (frozen values; each schedule caches its own holiday years).
_PRESETS: dict[str, Institution] = {}
