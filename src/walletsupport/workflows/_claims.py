"""The claim a [DeadlineRunner][walletsupport.workflows.DeadlineRunner] holds on a due case.

Stores that implement [DeadlineClaimStore][walletsupport.ports.DeadlineClaimStore] keep one
claim row per case the runner has seen: who holds it and until when (a lease), the case
version the runner last finished, the instant up to which its deadlines were handled, when
to look at it again, and how many times in a row it failed.
"""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from walletsupport._model import WalletModel

__all__ = ["DeadlineClaim"]


class DeadlineClaim(WalletModel, frozen=True, extra="forbid"):
    """One case claimed by one runner until ``lease_until``.

    Attributes:
        case_id: the claimed case.
        version: the case version when it was claimed.
        owner: the runner holding the claim.
        lease_until: the claim lapses at this instant (of the runner's lease clock); another
            runner may then take the case over.
        seen_version: the case version the runner last finished (0: never).
        handled_through: every deadline due at or before this instant was handled.
        wake_at: when the runner must look at the case again at ``seen_version``.
        failures: consecutive failed attempts.

    Examples:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> DeadlineClaim(case_id="T-1", version=3, owner="w1", lease_until=t).failures
        0
    """

    case_id: str = Field(min_length=1, max_length=128)
    version: int = Field(ge=1)
    owner: str = Field(min_length=1, max_length=200)
    lease_until: AwareDatetime
    seen_version: int = Field(default=0, ge=0)
    handled_through: AwareDatetime | None = None
    wake_at: AwareDatetime | None = None
    failures: int = Field(default=0, ge=0)
