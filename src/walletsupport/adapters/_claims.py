"""Deadline claims (``DeadlineClaimStore``): argument checks and the statements of each store.

One claim row per case a runner has seen, in ``ws_deadline_claims``. A case is claimable
when its ``next_due_at`` is at or before ``at``, no live lease holds it, and it needs a look
(never finished, changed since, or woken). See
[DeadlineClaimStore][walletsupport.ports.DeadlineClaimStore].
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

from walletsupport.adapters._common import MAX_INT64, check_text
from walletsupport.clock import ensure_aware
from walletsupport.errors import InvalidInputError
from walletsupport.workflows._claims import DeadlineClaim

__all__ = [
    "ClaimArgs",
    "ReleaseArgs",
    "check_claim",
    "check_release",
    "claim_from",
    "is_claimable",
]


class ClaimArgs(NamedTuple):
    at: datetime
    now: datetime
    owner: str
    lease_until: datetime
    limit: int


class ReleaseArgs(NamedTuple):
    claim: DeadlineClaim
    seen_version: int
    handled_through: datetime | None
    wake_at: datetime | None
    failures: int
    retry_at: datetime | None


def _utc(value: object, name: str) -> datetime:
    return ensure_aware(value, name).astimezone(UTC)


def _optional(value: object, name: str) -> datetime | None:
    return None if value is None else _utc(value, name)


def check_claim(
    at: object, now: object, owner: object, lease_until: object, limit: object
) -> ClaimArgs:
    """Validate the arguments of ``claim_due`` (instants in UTC)."""
    owner = check_text(owner, "owner")
    if not 1 <= len(owner) <= 200 or "\x00" in owner:
        raise InvalidInputError("owner must be 1-200 characters (no NUL)")
    if type(limit) is not int or not 1 <= limit <= 10_000:
        raise InvalidInputError("limit must be an int between 1 and 10000")
    return ClaimArgs(
        _utc(at, "at"), _utc(now, "now"), owner, _utc(lease_until, "lease_until"), limit
    )


def check_release(
    claim: object,
    seen_version: object,
    handled_through: object,
    wake_at: object,
    failures: object,
    retry_at: object,
) -> ReleaseArgs:
    """Validate the arguments of ``release_claim`` (instants in UTC)."""
    if not isinstance(claim, DeadlineClaim):
        raise InvalidInputError(f"expected a DeadlineClaim, got {type(claim).__name__}")
    for name, value in (("seen_version", seen_version), ("failures", failures)):
        if type(value) is not int or not 0 <= value <= MAX_INT64:
            raise InvalidInputError(f"{name} must be a non-negative int")
    assert isinstance(seen_version, int)  # noqa: S101 - narrowed above
    assert isinstance(failures, int)  # noqa: S101 - narrowed above
    return ReleaseArgs(
        claim,
        seen_version,
        _optional(handled_through, "handled_through"),
        _optional(wake_at, "wake_at"),
        failures,
        _optional(retry_at, "retry_at"),
    )


def is_claimable(
    version: int,
    next_due_at: datetime | None,
    row: dict[str, object] | None,
    args: ClaimArgs,
) -> bool:
    """The claim rule, for a store that evaluates it in Python (the memory store)."""
    if next_due_at is None or next_due_at > args.at:
        return False
    if row is None:
        return True
    lease = row["lease_until"]
    if isinstance(lease, datetime) and lease > args.now:
        return False
    wake = row["wake_at"]
    return row["seen_version"] != version or (isinstance(wake, datetime) and wake <= args.at)


def claim_from(row: tuple[object, ...], owner: str, lease_until: datetime) -> DeadlineClaim:
    """A claim from a row ``(case_id, version, seen_version, handled_through, wake_at, failures)``.

    SQLite returns instants as ISO text; PostgreSQL as datetimes.
    """
    case_id, version, seen, handled, wake, failures = row

    def instant(value: object) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            return datetime.fromisoformat(value)
        assert isinstance(value, datetime)  # noqa: S101 - the driver's type
        return value

    return DeadlineClaim(
        case_id=str(case_id),
        version=int(str(version)),
        owner=owner,
        lease_until=lease_until,
        seen_version=int(str(seen or 0)),
        handled_through=instant(handled),
        wake_at=instant(wake),
        failures=int(str(failures or 0)),
    )


#: The claims table of SQLite (timestamps as sortable UTC text, as in ``ws_cases``).
SQLITE_TABLE = """CREATE TABLE IF NOT EXISTS ws_deadline_claims (
    case_id         TEXT PRIMARY KEY REFERENCES ws_cases (case_id),
    owner           TEXT,
    lease_until     TEXT,
    claimed_version INTEGER NOT NULL DEFAULT 0,
    seen_version    INTEGER NOT NULL DEFAULT 0,
    handled_through TEXT,
    wake_at         TEXT,
    failures        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID"""

_CANDIDATES = """
SELECT c.case_id, c.version, k.seen_version, k.handled_through, k.wake_at, k.failures
FROM {cases} c
LEFT JOIN {claims} k ON k.case_id = c.case_id
WHERE c.next_due_at IS NOT NULL AND c.next_due_at <= {at}
  AND (k.case_id IS NULL
       OR ((k.lease_until IS NULL OR k.lease_until <= {now})
           AND (k.seen_version <> c.version OR k.wake_at <= {at})))
ORDER BY c.next_due_at, c.case_id
LIMIT {limit}
"""

#: SQLite: the candidates, read inside the ``BEGIN IMMEDIATE`` that leases them.
SQLITE_CANDIDATES = _CANDIDATES.format(
    cases="ws_cases", claims="ws_deadline_claims", at=":at", now=":now", limit=":limit"
)

#: SQLite: lease one candidate (same transaction: writers are serialised).
SQLITE_LEASE = """
INSERT INTO ws_deadline_claims (case_id, owner, lease_until, claimed_version)
VALUES (:id, :owner, :until, :version)
ON CONFLICT (case_id) DO UPDATE SET
    owner = excluded.owner, lease_until = excluded.lease_until,
    claimed_version = excluded.claimed_version
"""

_RELEASE = """
UPDATE {claims} SET owner = NULL, lease_until = {retry}, seen_version = {seen},
    handled_through = {handled}, wake_at = {wake}, failures = {failures}
WHERE case_id = {id} AND owner = {owner}
"""

SQLITE_RELEASE = _RELEASE.format(
    claims="ws_deadline_claims",
    retry=":retry",
    seen=":seen",
    handled=":handled",
    wake=":wake",
    failures=":failures",
    id=":id",
    owner=":owner",
)

#: PostgreSQL: one statement picks the due cases, skipping rows other workers are locking,
#: and leases them; the ``ON CONFLICT ... WHERE`` re-checks the claim row as it stands
#: now, so a lease committed after this statement's snapshot is never taken twice.
POSTGRES_CLAIM = (
    "WITH picked AS ("
    + _CANDIDATES.format(
        cases="{schema}.ws_cases",
        claims="{schema}.ws_deadline_claims",
        at="%(at)s",
        now="%(now)s",
        limit="%(limit)s",
    )
    + """FOR UPDATE OF c SKIP LOCKED
)
INSERT INTO {schema}.ws_deadline_claims AS k (case_id, owner, lease_until, claimed_version)
SELECT case_id, %(owner)s, %(until)s, version FROM picked
ON CONFLICT (case_id) DO UPDATE SET
    owner = excluded.owner, lease_until = excluded.lease_until,
    claimed_version = excluded.claimed_version
WHERE (k.lease_until IS NULL OR k.lease_until <= %(now)s)
  AND (k.seen_version <> excluded.claimed_version OR k.wake_at <= %(at)s)
RETURNING k.case_id, k.claimed_version, k.seen_version, k.handled_through, k.wake_at,
    k.failures
"""
)

POSTGRES_RELEASE = _RELEASE.format(
    claims="{schema}.ws_deadline_claims",
    retry="%(retry)s",
    seen="%(seen)s",
    handled="%(handled)s",
    wake="%(wake)s",
    failures="%(failures)s",
    id="%(id)s",
    owner="%(owner)s",
)

#: PostgreSQL: the claims table (migration 3).
POSTGRES_TABLE = """
CREATE TABLE {schema}.ws_deadline_claims (
    case_id         text PRIMARY KEY REFERENCES {schema}.ws_cases (case_id) ON DELETE CASCADE,
    owner           text,
    lease_until     timestamptz,
    claimed_version integer NOT NULL DEFAULT 0,
    seen_version    integer NOT NULL DEFAULT 0,
    handled_through timestamptz,
    wake_at         timestamptz,
    failures        integer NOT NULL DEFAULT 0
)
"""
