"""Corrupted SQLite files: every damage is a StorageError naming the case, never stale data.

These tests damage real database files the way disks, editors and bad restores do: a flipped
bit in the schema page, a case row restored behind its version rows, JSON edited in place.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from walletsupport.adapters import SqliteStore
from walletsupport.adapters.sqlite import SCHEMA_VERSION
from walletsupport.clock import FixedClock
from walletsupport.errors import StorageError, WalletSupportError
from walletsupport.workflows import CaseSnapshot, WorkflowService
from walletsupport.workflows.ticket import AskCustomer, StartWork, TicketData, ticket_workflow

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


def _build(path: Path) -> list[CaseSnapshot]:
    store = SqliteStore(path)
    clock = FixedClock(T0)
    service = WorkflowService(store, clock, [ticket_workflow()])
    service.open("ticket", {"subject": "card declined"}, case_id="T-1", actor="c")
    clock.advance(timedelta(minutes=5))
    service.apply("T-1", StartWork(), idempotency_key="k1", actor="a")
    clock.advance(timedelta(minutes=5))
    service.apply("T-1", AskCustomer(question="which card?"), idempotency_key="k2", actor="a")
    snaps = [store.load("T-1", version=v) for v in (1, 2, 3)]
    store.close()
    return snaps


def _checkpoint(path: Path) -> None:
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.execute("PRAGMA journal_mode=DELETE")


def _read_all(path: Path) -> tuple[CaseSnapshot, list[object]]:
    store = SqliteStore(path)
    try:
        return store.load("T-1"), list(store.audit("T-1"))
    finally:
        store.close()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[CaseSnapshot]]:
    path = tmp_path_factory.mktemp("pristine") / "cases.db"
    snaps = _build(path)
    _checkpoint(path)
    return path, snaps


def test_a_flipped_bit_anywhere_in_the_schema_page_is_a_library_error_or_harmless(
    pristine: tuple[Path, list[CaseSnapshot]], tmp_path: Path
):
    source, snaps = pristine
    data = source.read_bytes()
    page_size = int.from_bytes(data[16:18], "big")
    flipped = 0
    for offset in range(100, page_size, 5):
        for bit in (0, 7):
            damaged = bytearray(data)
            damaged[offset] ^= 1 << bit
            path = tmp_path / f"c{offset}-{bit}.db"
            path.write_bytes(damaged)
            try:
                loaded, trail = _read_all(path)
            except WalletSupportError:
                flipped += 1
                continue
            # a flip the database does not notice must not change what is read
            assert loaded == snaps[-1]
            assert trail == [s.last_entry for s in snaps]
            path.unlink()
    assert flipped > 0  # the schema page really was damaged


def test_undecodable_text_in_the_schema_is_a_storage_error(
    pristine: tuple[Path, list[CaseSnapshot]], tmp_path: Path
):
    source, _ = pristine
    data = bytearray(source.read_bytes())
    at = data.index(b"CREATE TABLE ws_cases")
    data[at + 13 : at + 15] = b"\xff\xfe"  # the table's name is no longer UTF-8
    path = tmp_path / "cases.db"
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError):
        _read_all(path)


def test_a_case_row_behind_its_versions_is_a_storage_error_naming_the_case(
    pristine: tuple[Path, list[CaseSnapshot]], tmp_path: Path
):
    path = tmp_path / "cases.db"
    shutil.copy(pristine[0], path)
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE ws_cases SET version = 2, state = 'open' WHERE case_id = 'T-1'")
    store = SqliteStore(path)
    service = WorkflowService(store, FixedClock(T0 + timedelta(hours=1)), [ticket_workflow()])
    with pytest.raises(StorageError, match="'T-1' is corrupt"):
        store.load("T-1")
    with pytest.raises(StorageError, match="'T-1' is corrupt"):
        service.apply("T-1", StartWork(), idempotency_key="k9", actor="a")
    store.close()


def test_a_missing_newest_version_row_is_a_storage_error(
    pristine: tuple[Path, list[CaseSnapshot]], tmp_path: Path
):
    path = tmp_path / "cases.db"
    shutil.copy(pristine[0], path)
    with sqlite3.connect(path) as raw:
        raw.execute("DELETE FROM ws_versions WHERE case_id = 'T-1' AND version = 2")
    store = SqliteStore(path)
    with pytest.raises(StorageError, match="'T-1' is corrupt"):
        store.audit("T-1")
    store.close()


_FIELDS = ("header", "entry")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(_FIELDS),
    version=st.integers(1, 3),
    position=st.integers(0, 10_000),
    replacement=st.text(min_size=1, max_size=3),
)
def test_any_edit_of_a_rows_json_is_detected(
    pristine: tuple[Path, list[CaseSnapshot]],
    tmp_path_factory: pytest.TempPathFactory,
    field: str,
    version: int,
    position: int,
    replacement: str,
):
    path = tmp_path_factory.mktemp("edit") / "cases.db"
    shutil.copy(pristine[0], path)
    with sqlite3.connect(path) as raw:
        (text,) = raw.execute(
            f"SELECT {field} FROM ws_versions WHERE version = ?",  # noqa: S608 - fixed names
            (version,),
        ).fetchone()
        at = position % len(text)
        edited = text[:at] + replacement + text[at + len(replacement) :]
        if edited == text:
            return
        raw.execute(
            f"UPDATE ws_versions SET {field} = ? WHERE version = ?",  # noqa: S608 - fixed names
            (edited, version),
        )
    store = SqliteStore(path)
    try:
        with pytest.raises(StorageError, match="'T-1' is corrupt"):
            store.audit("T-1")
        if version == 3:
            with pytest.raises(StorageError, match="'T-1' is corrupt"):
                store.load("T-1")
    finally:
        store.close()


def test_a_version_1_database_is_migrated_with_checksums_and_ticket_pauses(tmp_path: Path):
    path = tmp_path / "old.db"
    snaps = _build(tmp_path / "new.db")
    with sqlite3.connect(path) as raw:  # the layout walletsupport 0.1 wrote
        raw.executescript(
            """
            CREATE TABLE ws_cases (case_id TEXT PRIMARY KEY, kind TEXT NOT NULL,
                state TEXT NOT NULL, version INTEGER NOT NULL, next_due_at TEXT,
                updated_at TEXT NOT NULL);
            CREATE TABLE ws_versions (case_id TEXT NOT NULL, version INTEGER NOT NULL,
                idempotency_key TEXT, header TEXT NOT NULL, entry TEXT NOT NULL,
                PRIMARY KEY (case_id, version), UNIQUE (case_id, idempotency_key))
                WITHOUT ROWID;
            """
        )
        raw.execute(
            "INSERT INTO ws_cases VALUES ('T-1', 'ticket', 'pending', 3, NULL, 'x')",
        )
        for snap in snaps:
            header = json.loads(snap.model_dump_json(exclude={"audit"}))
            del header["data"]["pauses"]
            raw.execute(
                "INSERT INTO ws_versions VALUES ('T-1', ?, ?, ?, ?)",
                (
                    snap.version,
                    snap.last_entry.idempotency_key,
                    json.dumps(header),
                    snap.last_entry.model_dump_json(),
                ),
            )
    store = SqliteStore(path)
    assert store.schema_version() == SCHEMA_VERSION
    loaded = store.load("T-1")
    assert TicketData.model_validate(loaded.data).pauses == ((T0 + timedelta(minutes=10), None),)
    assert [e.version for e in store.audit("T-1")] == [1, 2, 3]
    store.close()
