"""The audit trail of a case: one [AuditEntry][walletsupport.workflows.AuditEntry] per version.

Entries are append-only and never hold a secret: the details of a command are its
JSON dump without secret fields (fields declared with ``repr=False``), plus the non-secret
notes the workflow's actions recorded.

Examples:
    >>> from datetime import datetime, timezone
    >>> entry = AuditEntry(
    ...     version=1, at=datetime(2026, 1, 5, 9, tzinfo=timezone.utc), actor="agent:7",
    ...     event="open", command="open", from_state=None, to_state="new",
    ...     idempotency_key=None, command_digest="0" * 64,
    ... )
    >>> entry.transition
    '-> new'
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, Field, JsonValue

from walletsupport._model import WalletModel

__all__ = ["AuditEntry"]

#: Who acted: ``"agent:42"``, ``"customer"``, ``"system:scheduler"``. Free text, never a secret.
Actor = Annotated[str, Field(min_length=1, max_length=200)]

#: A caller-chosen key that makes a command safe to retry (one per command, per case).
IdempotencyKey = Annotated[str, Field(min_length=1, max_length=200)]


class AuditEntry(WalletModel, frozen=True, extra="forbid"):
    """One accepted command: who, when, what, and the state change it caused.

    Attributes:
        version: the case version this entry produced (the first entry is version 1).
        at: when the command was applied (the service's clock).
        actor: who sent it.
        event: the machine event that ran (``"open"`` for the entry that created the case).
        command: the command's class name (``"open"`` for the creating entry).
        from_state: the state before (``None`` for the creating entry).
        to_state: the state after.
        idempotency_key: the key the command was sent with, if any.
        command_digest: SHA-256 of the command's kind and non-secret JSON; a replayed key
            with a different digest is refused.
        details: non-secret details: the command's public fields and the workflow's notes.

    Examples:
        >>> from datetime import datetime, timezone
        >>> e = AuditEntry(
        ...     version=2, at=datetime(2026, 1, 5, 9, tzinfo=timezone.utc), actor="customer",
        ...     event="reopen", command="ReopenTicket", from_state="solved", to_state="open",
        ...     idempotency_key="k-1", command_digest="ab" * 32, details={"reason": "still broken"},
        ... )
        >>> e.transition, e.details["reason"]
        ('solved -> open', 'still broken')
    """

    version: int = Field(ge=1)
    at: AwareDatetime
    actor: Actor
    event: str = Field(min_length=1, max_length=100)
    command: str = Field(min_length=1, max_length=100)
    from_state: str | None
    to_state: str = Field(min_length=1, max_length=100)
    idempotency_key: IdempotencyKey | None
    command_digest: str = Field(pattern=r"^[0-9a-f]{64}$")
    details: dict[str, JsonValue] = Field(default_factory=dict)

    @property
    def transition(self) -> str:
        """``"from -> to"`` (``"-> to"`` for the creating entry).

        Examples:
            >>> from datetime import datetime, timezone
            >>> AuditEntry(
            ...     version=1, at=datetime(2026, 1, 1, tzinfo=timezone.utc), actor="system",
            ...     event="open", command="open", from_state=None, to_state="active",
            ...     idempotency_key=None, command_digest="0" * 64,
            ... ).transition
            '-> active'
        """
        return f"{self.from_state or ''} -> {self.to_state}".lstrip()
