"""SqliteStore's connections: one per thread, released with the thread, closed for good."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from walletsupport.adapters import SqliteStore
from walletsupport.clock import FixedClock
from walletsupport.errors import StorageError
from walletsupport.workflows import WorkflowService

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_connections_of_finished_threads_are_closed(tmp_path: Path):
    store = SqliteStore(tmp_path / "cases.db")
    WorkflowService(store, FixedClock(T0)).open("ticket", {"subject": "x"}, case_id="T", actor="c")

    def one_request() -> None:
        store.load("T")

    for _ in range(60):
        worker = threading.Thread(target=one_request)
        worker.start()
        worker.join()
    store.load("T")  # registering this thread's connection prunes the ended threads' ones
    assert len(store._connections) <= 2  # the main thread's, and at most the last worker's
    store.close()


def test_close_after_other_threads_used_the_store_raises_nothing_and_closes_the_store(
    tmp_path: Path,
):
    store = SqliteStore(tmp_path / "cases.db")
    worker = threading.Thread(target=lambda: store.find())
    worker.start()
    worker.join()
    store.close()
    with pytest.raises(StorageError, match="closed"):
        store.find()


def test_a_row_this_version_cannot_read_is_a_storage_error(tmp_path: Path):
    path = tmp_path / "cases.db"
    store = SqliteStore(path)
    WorkflowService(store, FixedClock(T0)).open("ticket", {"subject": "x"}, case_id="T", actor="c")
    with sqlite3.connect(path) as raw:
        raw.execute('UPDATE ws_versions SET header = \'{"not": "a snapshot"}\'')
    with pytest.raises(StorageError, match="'T' is corrupt"):
        store.load("T")
    store.close()
