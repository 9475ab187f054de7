"""A sample directory for three FICTIONAL wallets, for docs, the CLI demo and tests.

None of these lines exists. The wallets are invented: *Acme Wallet* (US), *Contoso Pay* (EU,
run from London) and *Lianfu Example Pay* (联付示例, mainland China). Every line has
``example=True``. Numbers come from ranges reserved for fiction where such ranges exist:

* US: ``+1 202 555 01xx`` (the 555-0100 to 555-0199 block is reserved for fictional use);
* UK: ``+44 20 7946 0xxx`` (Ofcom's drama range for London);
* CN: China has no fiction range. ``95000`` is a *format example* of a 95xxx short service
  number and ``+86 10 5555 01xx`` of a Beijing number; they are not our lines and may belong to
  someone else, so do not dial them. Real 95xxx numbers are allocated to real companies: never
  present one as a sample wallet's line.

Hours are plausible contact-centre hours in each line's zone; public holidays come from the
`holidays` package through each schedule's ``holiday_calendar`` (US federal, England, China
with its make-up working days).

Examples:
    >>> directory = sample_directory()
    >>> [line.id for line in directory.lines][:2]
    ['acme-us-main', 'acme-us-fraud']
    >>> all(line.example for line in directory.lines)
    True
"""

from __future__ import annotations

from functools import cache
from typing import Any

from walletsupport.contact.lines import Directory

__all__ = ["sample_directory", "sample_directory_data"]

_WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
_ALL_DAY = {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def _band(start: str, end: str, days: list[str], agents: int, calls: float) -> dict[str, Any]:
    return {"start": start, "end": end, "days": days, "agents": agents, "calls_per_hour": calls}


def sample_directory_data() -> dict[str, Any]:
    """The sample directory as plain data (what a JSON or TOML file would hold).

    Returns a new dict on every call, so callers may change it freely.

    Examples:
        >>> data = sample_directory_data()
        >>> data["lines"][0]["number"]
        '+1 202 555 0142'
    """
    return {
        "fallback": ["in_app_chat", "email"],
        "lines": [
            {
                "id": "acme-us-main",
                "name": {"en": "Acme Wallet customer care", "zh": "Acme 钱包客服"},
                "number": "+1 202 555 0142",
                "regions": ["US", "PR"],
                "languages": ["en", "es"],
                "categories": "all",
                "schedule": {
                    "zone": "America/New_York",
                    "hours": {
                        **{day: [["08:00", "20:00"]] for day in _WEEKDAYS},
                        "sat": [["09:00", "17:00"]],
                    },
                    "holiday_calendar": {"country": "US"},
                },
                "callback": True,
                "queue": {
                    "aht_seconds": 360,
                    "bands": [
                        _band("08:00", "12:00", _WEEKDAYS, 40, 380),
                        _band("12:00", "17:00", _WEEKDAYS, 45, 420),
                        _band("17:00", "20:00", _WEEKDAYS, 20, 170),
                        _band("09:00", "17:00", ["sat"], 12, 100),
                    ],
                },
                "example": True,
            },
            {
                "id": "acme-us-fraud",
                "name": {
                    "en": "Acme Wallet fraud line (24/7)",
                    "zh": "Acme 钱包反欺诈热线（24 小时）",
                },
                "number": "+1 202 555 0199",
                "regions": ["US", "PR"],
                "languages": ["en", "es"],
                "categories": ["unauthorized_transaction", "lost_or_stolen"],
                "groups": ["security"],
                "tier": "urgent",
                "schedule": {"zone": "America/New_York", "hours": _ALL_DAY},
                "queue": {
                    "aht_seconds": 480,
                    "bands": [
                        _band("07:00", "23:00", _all_days(), 12, 60),
                        _band("23:00", "07:00", _all_days(), 4, 12),
                    ],
                },
                "example": True,
            },
            {
                "id": "contoso-eu-main",
                "name": {"en": "Contoso Pay customer service", "zh": "Contoso Pay 客户服务"},
                "number": "+44 20 7946 0123",
                "regions": ["GB", "IE", "DE", "FR", "NL", "ES", "IT"],
                "languages": ["en", "de", "fr"],
                "categories": "all",
                "schedule": {
                    "zone": "Europe/London",
                    "hours": {
                        **{day: [["08:00", "18:00"]] for day in _WEEKDAYS},
                        "sat": [["09:00", "13:00"]],
                    },
                    "holiday_calendar": {"country": "GB", "subdivision": "ENG"},
                },
                "callback": True,
                "queue": {
                    "aht_seconds": 300,
                    "bands": [
                        _band("08:00", "18:00", _WEEKDAYS, 25, 260),
                        _band("09:00", "13:00", ["sat"], 8, 70),
                    ],
                },
                "example": True,
            },
            {
                "id": "contoso-eu-fraud",
                "name": {
                    "en": "Contoso Pay card and fraud line (24/7)",
                    "zh": "Contoso Pay 盗刷热线（24 小时）",
                },
                "number": "+44 20 7946 0999",
                "regions": ["GB", "IE", "DE", "FR", "NL", "ES", "IT"],
                "languages": ["en"],
                "categories": ["unauthorized_transaction", "lost_or_stolen", "card_not_working"],
                "groups": ["security"],
                "tier": "urgent",
                "schedule": {"zone": "Europe/London", "hours": _ALL_DAY},
                "queue": {
                    "aht_seconds": 420,
                    "bands": [_band("00:00", "00:00", _all_days(), 6, 30)],
                },
                "example": True,
            },
            {
                "id": "lianfu-cn-main",
                "name": {
                    "en": "Lianfu Example Pay hotline (example number, do not dial)",
                    "zh": "联付示例客服热线（示例号码，请勿拨打）",
                },
                "number": {"number": "95000", "region": "CN"},
                "international_number": "+86 10 5555 0100",
                "regions": ["CN"],
                "languages": ["zh", "en"],
                "categories": "all",
                "schedule": {
                    "zone": "Asia/Shanghai",
                    "hours": {
                        **{day: [["09:00", "21:00"]] for day in _WEEKDAYS},
                        "sat": [["10:00", "18:00"]],
                        "sun": [["10:00", "18:00"]],
                    },
                    "holiday_calendar": {"country": "CN"},
                },
                "callback": True,
                "queue": {
                    "aht_seconds": 240,
                    "bands": [
                        _band("09:00", "12:00", _WEEKDAYS, 60, 800),
                        _band("12:00", "21:00", _WEEKDAYS, 55, 700),
                        _band("10:00", "18:00", ["sat", "sun"], 30, 400),
                    ],
                },
                "example": True,
            },
            {
                "id": "lianfu-cn-fraud",
                "name": {
                    "en": "Lianfu Example Pay account-security line (example number, 24/7)",
                    "zh": "联付示例账户安全专线（示例号码，24 小时）",
                },
                "number": "+86 10 5555 0110",
                "regions": ["CN"],
                "languages": ["zh"],
                "categories": [
                    "unauthorized_transaction",
                    "lost_or_stolen",
                    "account_locked",
                    "forgot_password",
                ],
                "groups": ["security"],
                "tier": "urgent",
                "schedule": {"zone": "Asia/Shanghai", "hours": _ALL_DAY},
                "queue": {
                    "aht_seconds": 300,
                    "bands": [_band("00:00", "00:00", _all_days(), 15, 120)],
                },
                "example": True,
            },
        ],
    }


def _all_days() -> list[str]:
    return ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@cache
def sample_directory() -> Directory:
    """The sample [Directory][walletsupport.contact.Directory] of the three fictional wallets.

    Built once and shared by every call (it is frozen; its schedules keep their compiled
    timelines), so assist() and route() do not rebuild it per request.

    Examples:
        >>> sample_directory().get("lianfu-cn-main").number.is_short
        True
    """
    return Directory.model_validate(sample_directory_data())
