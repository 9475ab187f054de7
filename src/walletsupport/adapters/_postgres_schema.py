"""The PostgreSQL schema of [PostgresStore][walletsupport.adapters.postgres.PostgresStore].

Migrations are plain SQL, numbered from 1, applied in order, each exactly once, and recorded
in ``ws_schema_migrations``. ``{schema}`` is replaced by the quoted schema name. A migration is
never edited once released: a change of layout is a new migration appended to ``MIGRATIONS``.

Layout after migration 1:

* ``ws_cases``: one row per case: its current ``kind``, ``state``, ``version`` and
  ``next_due_at`` (indexed for "which cases are in state S" and "which cases are due before T");
* ``ws_versions``: one row per version, primary key ``(case_id, version)`` and
  ``UNIQUE (case_id, idempotency_key)``; it holds the version's header (the snapshot without
  its audit) and the audit entry that produced it, as ``json`` (kept as written, so any
  string the snapshot holds round-trips; ``jsonb`` would refuse ``\\u0000``).

Migration 2 adds ``checksum`` (SHA-256 of case id, version, header and entry) to every version
row; the store computes it for the rows already written (``backfill``) in the same
transaction, and fills what snapshots now carry (a ticket's SLA pauses).

Migration 3 adds ``ws_deadline_claims``: the lease and progress of the deadline runners, one
row per case they have seen (see ``walletsupport.adapters._claims``).
"""

from __future__ import annotations

from typing import Final, NamedTuple

from walletsupport.adapters._claims import POSTGRES_TABLE

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Migration"]


class Migration(NamedTuple):
    """One numbered step of the schema."""

    version: int
    description: str
    statements: tuple[str, ...]
    #: The store rewrites every version row with its checksum after the statements.
    backfill: bool = False


MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(
        1,
        "cases, versions (audit), due and state indexes",
        (
            """
            CREATE TABLE {schema}.ws_cases (
                case_id     text PRIMARY KEY,
                kind        text NOT NULL,
                state       text NOT NULL,
                version     integer NOT NULL CHECK (version >= 1),
                next_due_at timestamptz,
                created_at  timestamptz NOT NULL,
                updated_at  timestamptz NOT NULL
            )
            """,
            "CREATE INDEX ws_cases_kind_state ON {schema}.ws_cases (kind, state)",
            "CREATE INDEX ws_cases_state ON {schema}.ws_cases (state)",
            """
            CREATE INDEX ws_cases_next_due ON {schema}.ws_cases (next_due_at, case_id)
                WHERE next_due_at IS NOT NULL
            """,
            """
            CREATE TABLE {schema}.ws_versions (
                case_id         text NOT NULL REFERENCES {schema}.ws_cases (case_id)
                                ON DELETE CASCADE,
                version         integer NOT NULL CHECK (version >= 1),
                idempotency_key text,
                header          json NOT NULL,
                entry           json NOT NULL,
                CONSTRAINT ws_versions_pkey PRIMARY KEY (case_id, version),
                CONSTRAINT ws_versions_idempotency_key UNIQUE (case_id, idempotency_key)
            )
            """,
        ),
    ),
    Migration(
        2,
        "a checksum on every version row",
        ("ALTER TABLE {schema}.ws_versions ADD COLUMN checksum text NOT NULL DEFAULT ''",),
        backfill=True,
    ),
    Migration(3, "deadline claims of the deadline runners", (POSTGRES_TABLE,)),
)

#: The schema version this library writes and reads.
SCHEMA_VERSION: Final[int] = MIGRATIONS[-1].version

#: The bookkeeping table: one row per applied migration.
MIGRATIONS_TABLE: Final[str] = """
CREATE TABLE IF NOT EXISTS {schema}.ws_schema_migrations (
    version     integer PRIMARY KEY,
    description text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
)
"""

#: The constraint whose violation means "this idempotency key is already used in this case".
IDEMPOTENCY_CONSTRAINT: Final[str] = "ws_versions_idempotency_key"
