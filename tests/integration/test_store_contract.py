"""One contract for every WorkflowStore. Add a store by adding a factory to STORE_FACTORIES."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from walletsupport.adapters import MemoryStore, SqliteStore
from walletsupport.clock import FixedClock
from walletsupport.errors import (
    CaseAlreadyExistsError,
    CaseNotFoundError,
    ConcurrencyConflictError,
    IdempotencyKeyReusedError,
    InvalidInputError,
)
from walletsupport.ports import WorkflowStore
from walletsupport.workflows import CaseSnapshot, WorkflowService
from walletsupport.workflows.ticket import (
    AskCustomer,
    CustomerReplied,
    StartWork,
    TicketData,
    ticket_workflow,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

StoreFactory = Callable[[Path], WorkflowStore]

STORE_FACTORIES: dict[str, StoreFactory] = {
    "memory": lambda _tmp: MemoryStore(),
    "sqlite-file": lambda tmp: SqliteStore(tmp / "cases.db"),
    "sqlite-memory": lambda _tmp: SqliteStore(":memory:"),
}


@pytest.fixture(
    params=[*sorted(STORE_FACTORIES), pytest.param("postgres", marks=pytest.mark.postgres)]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[WorkflowStore]:
    if request.param == "postgres":  # a real server, a fresh schema per test: see conftest.py
        made = request.getfixturevalue("postgres_store_factory")()
    else:
        made = STORE_FACTORIES[request.param](tmp_path)
    yield made
    close = getattr(made, "close", None)
    if close is not None:
        close()


def history(case_id: str = "T-1", subject: str = "refund 退款 ✓") -> list[CaseSnapshot]:
    """Versions 1..4 of a ticket, produced by the real service on a scratch store."""
    scratch = MemoryStore()
    clock = FixedClock(T0)
    service = WorkflowService(scratch, clock, [ticket_workflow()])
    snaps = [service.open("ticket", TicketData(subject=subject), case_id=case_id, actor="c")]
    for n, command in enumerate([StartWork(), AskCustomer(question="?"), CustomerReplied()]):
        clock.advance(timedelta(minutes=10))
        snaps.append(service.apply(case_id, command, idempotency_key=f"k{n}", actor="a"))
    return snaps


def save_all(store: WorkflowStore, snaps: list[CaseSnapshot]) -> None:
    for snap in snaps:
        store.save(snap, expected_version=snap.version - 1)


def test_the_store_implements_the_port(store: WorkflowStore):
    assert isinstance(store, WorkflowStore)


def test_a_saved_case_loads_back_equal(store: WorkflowStore):
    snaps = history()
    save_all(store, snaps)
    assert store.load("T-1") == snaps[-1]


def test_every_earlier_version_can_be_loaded(store: WorkflowStore):
    snaps = history()
    save_all(store, snaps)
    for snap in snaps:
        assert store.load("T-1", version=snap.version) == snap


def test_loading_an_unknown_case_or_version_raises_case_not_found(store: WorkflowStore):
    save_all(store, history()[:2])
    with pytest.raises(CaseNotFoundError):
        store.load("nope")
    with pytest.raises(CaseNotFoundError):
        store.load("T-1", version=3)


def test_creating_an_existing_case_is_refused(store: WorkflowStore):
    first = history()[0]
    store.save(first, expected_version=0)
    with pytest.raises(CaseAlreadyExistsError):
        store.save(first, expected_version=0)


def test_a_stale_save_conflicts_and_writes_nothing(store: WorkflowStore):
    snaps = history()
    save_all(store, snaps[:3])
    # a writer that loaded version 1 tries to save its version 2
    with pytest.raises(ConcurrencyConflictError) as info:
        store.save(snaps[1], expected_version=1)
    assert (info.value.expected_version, info.value.actual_version) == (1, 3)
    assert store.load("T-1") == snaps[2]


def test_saving_to_a_missing_case_raises_case_not_found(store: WorkflowStore):
    with pytest.raises(CaseNotFoundError):
        store.save(history()[1], expected_version=1)


def test_a_save_must_advance_exactly_one_version(store: WorkflowStore):
    snaps = history()
    store.save(snaps[0], expected_version=0)
    with pytest.raises(InvalidInputError):
        store.save(snaps[2], expected_version=0)


def test_an_idempotency_key_is_unique_per_case(store: WorkflowStore):
    snaps = history()
    save_all(store, snaps[:3])
    entry = snaps[3].audit[-1].model_copy(update={"idempotency_key": "k0"})
    clash = snaps[3].model_copy(update={"audit": (*snaps[2].audit, entry)})
    with pytest.raises(IdempotencyKeyReusedError):
        store.save(clash, expected_version=3)
    assert store.load("T-1").version == 3


def test_the_same_key_may_be_used_by_different_cases(store: WorkflowStore):
    save_all(store, history("A"))
    save_all(store, history("B"))
    assert store.audit("B")[1].idempotency_key == store.audit("A")[1].idempotency_key == "k0"
    assert store.entry_for_key("B", "k0") == store.audit("B")[1]


def test_find_filters_by_kind_and_state(store: WorkflowStore):
    save_all(store, history("A"))
    save_all(store, history("B")[:3])
    assert store.find(kind="ticket") == ["A", "B"]
    assert store.find(state="pending") == ["B"]
    assert store.find(kind="account_lock") == []
    assert store.find(limit=1) == ["A"]


def test_find_due_before_lists_running_deadlines_earliest_first(store: WorkflowStore):
    a, b = history("A"), history("B")
    save_all(store, a[:2])  # open: deadlines run
    save_all(store, b[:3])  # pending: SLA paused, no deadline
    due = a[1].next_due_at
    assert due is not None
    assert store.find(due_before=due + timedelta(seconds=1)) == ["A"]
    assert store.find(due_before=due) == []
    save_all(store, history("C")[:1])  # same first-reply deadline as A: ties go by id
    assert store.find(due_before=due + timedelta(days=30)) == ["A", "C"]


def test_find_rejects_a_naive_instant(store: WorkflowStore):
    with pytest.raises(InvalidInputError):
        store.find(due_before=datetime(2026, 1, 1))


def test_mutating_a_loaded_snapshot_never_rewrites_the_stored_history(store: WorkflowStore):
    save_all(store, history())
    loaded = store.load("T-1")
    loaded.data["subject"] = "rewritten by a caller"
    loaded.audit[0].details["injected"] = True
    store.audit("T-1")[0].details["injected"] = True
    again = store.load("T-1")
    assert again.data["subject"] == "refund 退款 ✓"
    assert "injected" not in again.audit[0].details
    assert all("injected" not in e.details for e in store.audit("T-1"))


def test_load_carries_only_the_entry_of_its_version(store: WorkflowStore):
    snaps = history()
    save_all(store, snaps)
    for snap in snaps:
        loaded = store.load("T-1", version=snap.version)
        assert [e.version for e in loaded.audit] == [snap.version]
        assert loaded.last_entry == snap.last_entry


def test_the_audit_is_paged_oldest_first(store: WorkflowStore):
    snaps = history()
    save_all(store, snaps)
    whole = store.audit("T-1")
    assert whole == [s.last_entry for s in snaps]
    assert store.audit("T-1", after=1, limit=2) == whole[1:3]
    assert store.audit("T-1", after=4) == []
    assert store.audit("T-1", limit=0) == []
    pages, after = [], 0
    while page := store.audit("T-1", after=after, limit=3):
        pages += page
        after = page[-1].version
    assert pages == whole


def test_audit_and_key_lookup_of_an_unknown_case_raise_case_not_found(store: WorkflowStore):
    with pytest.raises(CaseNotFoundError):
        store.audit("nope")
    with pytest.raises(CaseNotFoundError):
        store.entry_for_key("nope", "k")


def test_audit_refuses_a_bad_page(store: WorkflowStore):
    save_all(store, history())
    for after, limit in [(-1, None), (0, -1), ("1", None), (0, 1.5), (True, None)]:
        with pytest.raises(InvalidInputError):
            store.audit("T-1", after=after, limit=limit)  # type: ignore[arg-type]


def test_keys_are_found_by_index_whatever_the_version(store: WorkflowStore):
    snaps = history()
    save_all(store, snaps)
    for snap in snaps[1:]:
        key = snap.last_entry.idempotency_key
        assert key is not None
        assert store.entry_for_key("T-1", key) == snap.last_entry
    assert store.entry_for_key("T-1", "never-used") is None


def test_a_lone_surrogate_in_an_id_is_a_library_error(store: WorkflowStore):
    save_all(store, history())
    for call in (
        lambda: store.load("T-\ud800"),
        lambda: store.audit("T-\ud800"),
        lambda: store.entry_for_key("T-\ud800", "k"),
    ):
        with pytest.raises(CaseNotFoundError):
            call()
    for other in (
        lambda: store.entry_for_key("T-1", "k-\udc80"),
        lambda: store.find(state="\ud800"),
    ):
        try:  # a store that cannot hold the text refuses it; one that can finds nothing
            found = other()
        except InvalidInputError as exc:
            found, context = None, exc.__context__
        else:
            context = None
        assert found in (None, [])
        assert context is None


def test_a_worker_whose_clock_is_behind_never_makes_a_case_unloadable(store: WorkflowStore):
    ahead = WorkflowService(store, FixedClock(T0 + timedelta(seconds=5)), [ticket_workflow()])
    behind = WorkflowService(store, FixedClock(T0), [ticket_workflow()])
    opened = ahead.open("ticket", TicketData(subject="skew"), case_id="T-9", actor="c")
    applied = behind.apply("T-9", StartWork(), idempotency_key="k", actor="a")
    assert applied.updated_at >= opened.updated_at
    assert store.load("T-9") == applied
