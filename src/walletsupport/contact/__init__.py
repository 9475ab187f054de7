"""Support lines: which number to call, is it open, how long the wait, what to have ready.

Examples:
    >>> from datetime import datetime, timezone
    >>> r = route(sample_directory(), region="US", category="app_crash",
    ...           at=datetime(2026, 1, 5, 15, 0, tzinfo=timezone.utc))
    >>> r.line.id, r.open_now, r.dial.digits
    ('acme-us-main', True, '(202) 555-0142')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from walletsupport import _lazy

if TYPE_CHECKING:
    from walletsupport.contact.checklists import (
        CallChecklist,
        ChecklistEntry,
        asks_for_secret,
        call_checklist,
    )
    from walletsupport.contact.lines import (
        Directory,
        FallbackChannel,
        LineTier,
        LocalizedText,
        SupportLine,
    )
    from walletsupport.contact.routing import (
        DialInfo,
        NoRoute,
        Route,
        RouteResult,
        RouteRule,
        caller_zone_for,
        route,
    )
    from walletsupport.contact.samples import sample_directory, sample_directory_data
    from walletsupport.contact.wait import (
        QueueBand,
        QueueParameters,
        QueueWait,
        StaffingResult,
        UnboundedWait,
        WaitEstimate,
        agents_needed,
        erlang_b,
        erlang_c,
        estimate_wait,
        offered_traffic,
        wait_at,
    )

# Each public name loads its module on first use (see walletsupport._lazy).
__getattr__, __dir__ = _lazy.exports(
    __name__,
    {
        "CallChecklist": ".checklists",
        "ChecklistEntry": ".checklists",
        "asks_for_secret": ".checklists",
        "call_checklist": ".checklists",
        "Directory": ".lines",
        "FallbackChannel": ".lines",
        "LineTier": ".lines",
        "LocalizedText": ".lines",
        "SupportLine": ".lines",
        "DialInfo": ".routing",
        "NoRoute": ".routing",
        "Route": ".routing",
        "RouteResult": ".routing",
        "RouteRule": ".routing",
        "caller_zone_for": ".routing",
        "route": ".routing",
        "sample_directory": ".samples",
        "sample_directory_data": ".samples",
        "QueueBand": ".wait",
        "QueueParameters": ".wait",
        "QueueWait": ".wait",
        "StaffingResult": ".wait",
        "UnboundedWait": ".wait",
        "WaitEstimate": ".wait",
        "agents_needed": ".wait",
        "erlang_b": ".wait",
        "erlang_c": ".wait",
        "estimate_wait": ".wait",
        "offered_traffic": ".wait",
        "wait_at": ".wait",
    },
)

__all__ = [
    "CallChecklist",
    "ChecklistEntry",
    "DialInfo",
    "Directory",
    "FallbackChannel",
    "LineTier",
    "LocalizedText",
    "NoRoute",
    "QueueBand",
    "QueueParameters",
    "QueueWait",
    "Route",
    "RouteResult",
    "RouteRule",
    "StaffingResult",
    "SupportLine",
    "UnboundedWait",
    "WaitEstimate",
    "agents_needed",
    "asks_for_secret",
    "call_checklist",
    "caller_zone_for",
    "erlang_b",
    "erlang_c",
    "estimate_wait",
    "offered_traffic",
    "route",
    "sample_directory",
    "sample_directory_data",
    "wait_at",
]
