"""The persisted form of a case: ``CaseSnapshot``.

A snapshot is plain JSON-able data: the workflow kind, the machine's state value (a
``StrEnum`` value, so it survives renames of Python names), the version, the workflow's data
as a JSON object, and the newest entries of the append-only audit trail. A snapshot carries
what the engine needs and no more, so that loading and applying a command costs the same at
10 or 10,000 entries: stores return it with the newest entry only, and hand out the whole
trail, page by page, from ``store.audit(case_id, after=..., limit=...)``. Its invariant: the
entries it carries are numbered consecutively up to ``version`` and the last entry's
``to_state`` is ``state``.

Examples:
    >>> from datetime import datetime, timezone
    >>> from walletsupport.workflows.audit import AuditEntry
    >>> t = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
    >>> first = AuditEntry(
    ...     version=1, at=t, actor="agent:7", event="open", command="open",
    ...     from_state=None, to_state="new", idempotency_key=None, command_digest="0" * 64,
    ... )
    >>> snap = CaseSnapshot(
    ...     id="T-1", kind="ticket", state="new", version=1, data={"subject": "card"},
    ...     created_at=t, updated_at=t, audit=(first,),
    ... )
    >>> CaseSnapshot.model_validate_json(snap.model_dump_json()) == snap
    True
"""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import AwareDatetime, Field, JsonValue, model_validator
from pydantic_core import PydanticCustomError

from walletsupport._model import WalletModel
from walletsupport.workflows.audit import AuditEntry

__all__ = ["CaseId", "CaseSnapshot"]

#: A case id: 1-128 characters of letters, digits and ``._:-``.
CaseId = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9._:\-]+$")]


class CaseSnapshot(WalletModel, frozen=True, extra="forbid"):
    """One version of a case, as stored.

    Attributes:
        id: the case id.
        kind: the workflow kind (``"ticket"``, ``"account_lock"``...).
        state: the machine's state value.
        version: 1 after creation, +1 per accepted command.
        data: the workflow's data model as JSON (never a secret).
        created_at: when the case was opened.
        updated_at: when the last command was applied.
        next_due_at: the earliest running deadline, computed by the service at save time,
            so stores can index "cases with a deadline before T".
        audit: the newest audit entries, oldest first, ending with the one that produced
            this version (stores load the newest entry only; the whole trail is
            ``store.audit(case_id)``).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.workflows.audit import AuditEntry
        >>> t = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> entry = AuditEntry(
        ...     version=1, at=t, actor="system", event="open", command="open",
        ...     from_state=None, to_state="active", idempotency_key=None,
        ...     command_digest="0" * 64,
        ... )
        >>> CaseSnapshot(
        ...     id="A-1", kind="account_lock", state="active", version=1, data={},
        ...     created_at=t, updated_at=t, audit=(entry,),
        ... ).last_entry.to_state
        'active'
    """

    id: CaseId
    kind: str = Field(min_length=1, max_length=64)
    state: str = Field(min_length=1, max_length=100)
    version: int = Field(ge=1)
    data: dict[str, JsonValue]
    created_at: AwareDatetime
    updated_at: AwareDatetime
    next_due_at: AwareDatetime | None = None
    audit: tuple[AuditEntry, ...]

    @model_validator(mode="after")
    def _audit_matches_version(self) -> Self:
        if not self.audit or len(self.audit) > self.version:
            raise PydanticCustomError(
                "walletsupport.snapshot_audit",
                "a snapshot carries between one and `version` audit entries",
            )
        first = self.version - len(self.audit) + 1
        for number, entry in enumerate(self.audit, start=first):
            if entry.version != number:
                raise PydanticCustomError(
                    "walletsupport.snapshot_audit",
                    "audit entries must be numbered consecutively up to the version",
                )
        if self.audit[-1].to_state != self.state:
            raise PydanticCustomError(
                "walletsupport.snapshot_audit", "the last audit entry must end in the case state"
            )
        if self.updated_at < self.created_at:
            raise PydanticCustomError(
                "walletsupport.snapshot_times", "updated_at must not be before created_at"
            )
        return self

    @property
    def last_entry(self) -> AuditEntry:
        """The newest audit entry (the one that produced this version).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.workflows.audit import AuditEntry
            >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> e = AuditEntry(version=1, at=t, actor="a", event="open", command="open",
            ...     from_state=None, to_state="new", idempotency_key="k",
            ...     command_digest="0" * 64)
            >>> CaseSnapshot(id="x", kind="ticket", state="new", version=1, data={},
            ...     created_at=t, updated_at=t, audit=(e,)).last_entry.idempotency_key
            'k'
        """
        return self.audit[-1]

    def entry_for_key(self, idempotency_key: str) -> AuditEntry | None:
        """The carried audit entry recorded under ``idempotency_key``, or ``None``.

        Only the entries this snapshot carries are searched; a store answers for the whole
        trail by index (``store.entry_for_key(case_id, key)``).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.workflows.audit import AuditEntry
            >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> e = AuditEntry(version=1, at=t, actor="a", event="open", command="open",
            ...     from_state=None, to_state="new", idempotency_key="k",
            ...     command_digest="0" * 64)
            >>> s = CaseSnapshot(id="x", kind="ticket", state="new", version=1, data={},
            ...     created_at=t, updated_at=t, audit=(e,))
            >>> s.entry_for_key("k").version, s.entry_for_key("other")
            (1, None)
        """
        for entry in reversed(self.audit):
            if entry.idempotency_key == idempotency_key:
                return entry
        return None
