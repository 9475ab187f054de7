"""PostgresStore against a real PostgreSQL server (fixtures in tests/integration/conftest.py).

The shared store contract (memory, sqlite, postgres) lives in test_store_contract.py; this file
covers what is PostgreSQL's own: migrations, one-statement saves, the due index, connection
modes, typed and credential-free errors.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import sql

from walletsupport.adapters.postgres import SCHEMA_VERSION, PostgresStore
from walletsupport.clock import FixedClock
from walletsupport.errors import (
    CaseAlreadyExistsError,
    CaseNotFoundError,
    ConcurrencyConflictError,
    IdempotencyKeyReusedError,
    InvalidInputError,
    StorageError,
)
from walletsupport.ports import WorkflowStore
from walletsupport.workflows import AuditEntry, CaseSnapshot, WorkflowService
from walletsupport.workflows.ticket import (
    AskCustomer,
    ReplyToCustomer,
    StartWork,
    TicketData,
    ticket_workflow,
)

pytestmark = pytest.mark.postgres

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
PASSWORD = "Sup3r-Secret-Pw"


def _service(store: WorkflowStore, at: datetime = T0) -> WorkflowService:
    return WorkflowService(store, FixedClock(at), [ticket_workflow()])


def _with_password(dsn: str) -> str:
    """The test DSN with a password added (trust auth ignores it, the store must hide it)."""
    return dsn.replace("postgresql://walletsupport@", f"postgresql://walletsupport:{PASSWORD}@")


def _snapshot(case_id: str, data: dict[str, Any], *, key: str | None = None) -> CaseSnapshot:
    entry = AuditEntry(
        version=1,
        at=T0,
        actor="test",
        event="open",
        command="open",
        from_state=None,
        to_state="new",
        idempotency_key=key,
        command_digest="0" * 64,
    )
    return CaseSnapshot(
        id=case_id,
        kind="ticket",
        state="new",
        version=1,
        data=data,
        created_at=T0,
        updated_at=T0,
        audit=(entry,),
    )


@pytest.fixture
def store(postgres_store_factory: Callable[[], PostgresStore]) -> PostgresStore:
    return postgres_store_factory()


# --- migrations ------------------------------------------------------------------------------


def test_migrate_creates_the_schema_once_and_is_idempotent(postgres_dsn, postgres_schema):
    store = PostgresStore(postgres_dsn, schema=postgres_schema, migrate=False)
    try:
        assert store.schema_version() == 0
        assert store.migrate() == SCHEMA_VERSION
        assert store.migrate() == SCHEMA_VERSION
        assert store.schema_version() == SCHEMA_VERSION
        with psycopg.connect(postgres_dsn) as conn:
            rows = conn.execute(
                sql.SQL("SELECT version FROM {}.ws_schema_migrations").format(
                    sql.Identifier(postgres_schema)
                )
            ).fetchall()
        assert rows == [(v,) for v in range(1, SCHEMA_VERSION + 1)]
    finally:
        store.close()


def test_instances_starting_together_apply_each_migration_exactly_once(
    postgres_dsn, postgres_schema
):
    errors: list[BaseException] = []
    stores: list[PostgresStore] = []

    def start() -> None:
        try:
            stores.append(PostgresStore(postgres_dsn, schema=postgres_schema))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.close()
    assert errors == []
    with psycopg.connect(postgres_dsn) as conn:
        count = conn.execute(
            sql.SQL("SELECT count(*) FROM {}.ws_schema_migrations").format(
                sql.Identifier(postgres_schema)
            )
        ).fetchone()
    assert count == (SCHEMA_VERSION,)


def test_a_database_newer_than_the_library_is_refused(postgres_dsn, store):
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(
            sql.SQL(
                "INSERT INTO {}.ws_schema_migrations (version, description) VALUES (%s, 'future')"
            ).format(sql.Identifier(store.schema)),
            (SCHEMA_VERSION + 1,),
        )
    with pytest.raises(StorageError, match="newer than this library"):
        store.migrate()


def test_a_store_without_migrations_names_the_fix_and_chains_the_driver_error(
    postgres_dsn, postgres_schema
):
    with (
        PostgresStore(postgres_dsn, schema=postgres_schema, migrate=False) as store,
        pytest.raises(StorageError, match=r"migrate\(\)") as info,
    ):
        store.load("T-1")
    assert isinstance(info.value.__cause__, psycopg.errors.UndefinedTable)


# --- saves, loads, queries -------------------------------------------------------------------


def test_service_round_trip_keeps_every_version(store):
    service = _service(store)
    opened = service.open("ticket", {"subject": "card declined"}, case_id="T-1", actor="c")
    second = service.apply("T-1", StartWork(), idempotency_key="k1", actor="agent:1")
    third = service.apply("T-1", ReplyToCustomer(), idempotency_key="k2", actor="agent:1")
    assert store.load("T-1") == third
    assert store.load("T-1", version=1) == opened
    assert store.load("T-1", version=2) == second
    with pytest.raises(CaseNotFoundError):
        store.load("T-1", version=4)
    with pytest.raises(CaseNotFoundError):
        store.load("T-404")


def test_replaying_a_key_through_the_service_writes_nothing(store):
    service = _service(store)
    service.open("ticket", {"subject": "x"}, case_id="T-1", actor="c")
    first = service.apply("T-1", StartWork(), idempotency_key="k1", actor="a")
    again = service.apply("T-1", StartWork(), idempotency_key="k1", actor="a")
    assert again == first
    assert store.load("T-1").version == 2


def test_creating_a_taken_id_is_refused_and_writes_nothing(store):
    store.save(_snapshot("T-1", {"subject": "a"}), expected_version=0)
    with pytest.raises(CaseAlreadyExistsError):
        store.save(_snapshot("T-1", {"subject": "b"}), expected_version=0)
    assert store.load("T-1").data == {"subject": "a"}


def test_a_stale_writer_gets_a_typed_conflict_with_the_stored_version(store):
    service = _service(store)
    opened = service.open("ticket", {"subject": "x"}, case_id="T-1", actor="c")
    service.apply("T-1", StartWork(), idempotency_key="k1", actor="a")
    service.apply("T-1", ReplyToCustomer(), idempotency_key="k2", actor="a")
    stale = _service(store).workflow("ticket")  # the same definition, reused below
    from walletsupport.workflows import _engine

    late = _engine.step(stale, opened, AskCustomer(), at=T0, actor="b", idempotency_key="k3")
    with pytest.raises(ConcurrencyConflictError) as info:
        store.save(late, expected_version=1)
    assert (info.value.expected_version, info.value.actual_version) == (1, 3)
    assert store.load("T-1").version == 3
    assert len(store.audit("T-1")) == 3


def test_updating_a_missing_case_is_not_found_and_writes_nothing(store):
    store.save(_snapshot("T-1", {"subject": "x"}), expected_version=0)
    moved = _service(store).apply("T-1", StartWork(), idempotency_key="k", actor="a")
    other = moved.model_copy(update={"id": "T-2"})
    with pytest.raises(CaseNotFoundError):
        store.save(other, expected_version=1)
    assert store.find() == ["T-1"]


def test_an_idempotency_key_is_unique_per_case_and_a_reuse_writes_nothing(store):
    service = _service(store)
    service.open("ticket", {"subject": "x"}, case_id="T-1", actor="c", idempotency_key="open")
    moved = service.apply("T-1", StartWork(), idempotency_key="k1", actor="a")
    from walletsupport.workflows import _engine

    workflow = service.workflow("ticket")
    reused = _engine.step(
        workflow, moved, ReplyToCustomer(), at=T0, actor="a", idempotency_key="k1"
    )
    with pytest.raises(IdempotencyKeyReusedError) as info:
        store.save(reused, expected_version=2)
    assert info.value.idempotency_key == "k1"
    assert store.load("T-1") == moved
    # the same key in another case is fine
    service.open("ticket", {"subject": "y"}, case_id="T-2", actor="c", idempotency_key="open")
    assert service.apply("T-2", StartWork(), idempotency_key="k1", actor="a").version == 2


def test_find_filters_by_kind_and_state_and_orders_due_cases_earliest_first(store):
    service = _service(store)
    for n, hours in enumerate((5, 1, 3)):
        case_id = f"T-{n}"
        snap = _snapshot(case_id, {"subject": "s"})
        due = snap.model_copy(update={"next_due_at": T0 + timedelta(hours=hours)})
        store.save(due, expected_version=0)
    service.open("ticket", {"subject": "s"}, case_id="T-9", actor="c")
    service.apply("T-9", StartWork(), idempotency_key="k", actor="a")
    assert store.find(kind="ticket", state="new") == ["T-0", "T-1", "T-2"]
    assert store.find(state="open") == ["T-9"]
    assert store.find(kind="account_lock") == []
    assert store.find(due_before=T0 + timedelta(hours=4)) == ["T-1", "T-2"]
    assert store.find(due_before=T0 + timedelta(hours=6), limit=2) == ["T-1", "T-2"]
    assert store.find(due_before=T0 + timedelta(hours=1)) == []  # strictly before


def test_the_scheduler_query_reads_the_due_index(postgres_dsn, store):
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(
            sql.SQL(
                "INSERT INTO {}.ws_cases (case_id, kind, state, version, next_due_at,"
                " created_at, updated_at) SELECT 'C-' || g, 'ticket', 'open', 1,"
                " %s::timestamptz + g * interval '1 minute', %s, %s"
                " FROM generate_series(1, 5000) AS g"
            ).format(sql.Identifier(store.schema)),
            (T0, T0, T0),
        )
        conn.execute(sql.SQL("ANALYZE {}.ws_cases").format(sql.Identifier(store.schema)))
        query, params = store._find_query(None, None, T0 + timedelta(minutes=10), 100)
        plan = "\n".join(r[0] for r in conn.execute(sql.SQL("EXPLAIN ") + query, params))
    assert "ws_cases_next_due" in plan
    assert store.find(due_before=T0 + timedelta(minutes=4)) == ["C-1", "C-2", "C-3"]


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.text(), _json_values, max_size=4))
def test_any_json_data_round_trips_exactly(store, data):
    case_id = f"J-{next(_ids)}"
    snapshot = _snapshot(case_id, data)
    store.save(snapshot, expected_version=0)
    assert store.load(case_id) == snapshot


_ids = itertools.count()


# --- connection modes ------------------------------------------------------------------------


def test_an_autocommit_connection_given_by_the_caller_stays_open(postgres_dsn, postgres_schema):
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        store = PostgresStore(conn, schema=postgres_schema)
        _service(store).open("ticket", {"subject": "x"}, case_id="T-1", actor="c")
        store.close()
        assert not conn.closed
        assert store.load("T-1").version == 1


def test_a_save_on_a_non_autocommit_connection_is_committed(postgres_dsn, postgres_schema):
    with psycopg.connect(postgres_dsn) as conn:
        store = PostgresStore(conn, schema=postgres_schema)
        _service(store).open("ticket", {"subject": "x"}, case_id="T-1", actor="c")
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    with PostgresStore(postgres_dsn, schema=postgres_schema) as other:
        assert other.load("T-1").version == 1


class _TinyPool:
    """Duck-typed like psycopg_pool.ConnectionPool: connection() lends and takes back."""

    def __init__(self, dsn: str, size: int) -> None:
        self._free = [psycopg.connect(dsn) for _ in range(size)]
        self._lock = threading.Condition()
        self.lent = 0

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        with self._lock:
            self._lock.wait_for(lambda: bool(self._free))
            conn = self._free.pop()
            self.lent += 1
        try:
            yield conn
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            with self._lock:
                self._free.append(conn)
                self._lock.notify()

    def close(self) -> None:
        for conn in self._free:
            conn.close()


def test_a_pool_lends_a_connection_per_operation(postgres_dsn, postgres_schema):
    pool = _TinyPool(postgres_dsn, 2)
    try:
        store = PostgresStore(pool, schema=postgres_schema)
        service = _service(store)
        service.open("ticket", {"subject": "x"}, case_id="T-1", actor="c")
        service.apply("T-1", StartWork(), idempotency_key="k", actor="a")
        assert store.find(state="open") == ["T-1"]
        assert pool.lent >= 5  # migrate, save, load, save, find
    finally:
        pool.close()


def test_threads_sharing_one_store_lose_no_update(store):
    service = _service(store)
    for n in range(3):
        service.open("ticket", {"subject": "x"}, case_id=f"T-{n}", actor="c")
    conflicts = 0
    lock = threading.Lock()
    failures: list[BaseException] = []

    def work(worker: int) -> None:
        nonlocal conflicts
        for i in range(15):
            while True:
                try:
                    service.apply(
                        f"T-{i % 3}", ReplyToCustomer(), idempotency_key=f"{worker}-{i}", actor="a"
                    )
                    break
                except ConcurrencyConflictError:
                    with lock:
                        conflicts += 1
                except BaseException as exc:  # collected and asserted below
                    failures.append(exc)
                    return

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert sum(store.load(f"T-{n}").version for n in range(3)) == 3 + 4 * 15


@pytest.mark.parametrize("bad", [42, None, object()])
def test_a_source_that_is_no_dsn_connection_or_pool_is_refused(bad):
    with pytest.raises(InvalidInputError, match="source must be"):
        PostgresStore(bad, migrate=False)


@pytest.mark.parametrize("schema", ["", "Upper", "1abc", "a-b", "x" * 64, "a;drop"])
def test_schema_names_are_plain_identifiers(schema):
    with pytest.raises(InvalidInputError, match="schema"):
        PostgresStore("dbname=x", schema=schema, migrate=False)


# --- credentials -----------------------------------------------------------------------------


def _every_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc) + repr(exc.__cause__)


def test_a_refused_connection_error_never_shows_the_password():
    dsn = f"postgresql://app:{PASSWORD}@127.0.0.1:1/cases?connect_timeout=2"
    with pytest.raises(StorageError) as info:
        PostgresStore(dsn)
    assert isinstance(info.value.__cause__, psycopg.OperationalError)
    assert PASSWORD not in _every_text(info.value)
    assert "host=127.0.0.1 port=1" in str(info.value)


def test_an_unparsable_dsn_is_described_not_quoted():
    with pytest.raises(InvalidInputError) as info:
        PostgresStore(f"host=x password={PASSWORD} garbage", migrate=False)
    assert PASSWORD not in _every_text(info.value)
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


def test_a_working_store_keeps_its_password_out_of_reprs_errors_and_logs(
    postgres_dsn, postgres_schema, caplog
):
    caplog.set_level(logging.DEBUG)
    with PostgresStore(_with_password(postgres_dsn), schema=postgres_schema) as store:
        _service(store).open("ticket", {"subject": "x"}, case_id="T-1", actor="c")
        assert store.load("T-1").version == 1
        assert PASSWORD not in repr(store)
        assert PASSWORD not in repr(vars(store))
        drop_it = sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(postgres_schema))
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            conn.execute(drop_it)
        with pytest.raises(StorageError) as info:
            store.load("T-1")
    assert isinstance(info.value.__cause__, psycopg.errors.UndefinedTable)
    assert PASSWORD not in _every_text(info.value)
    assert any("applied schema migration" in r.getMessage() for r in caplog.records)
    assert all(PASSWORD not in r.getMessage() for r in caplog.records)


def test_a_driver_message_echoing_the_password_is_scrubbed():
    store = PostgresStore(f"postgresql://app:{PASSWORD}@h/db", migrate=False)
    driver = psycopg.OperationalError(
        f"bad dsn postgresql://app:{PASSWORD}@h/db password={PASSWORD}"
    )
    error = store._failure("cannot connect", driver)
    assert PASSWORD not in str(error)
    assert PASSWORD not in str(driver)


def test_a_forked_child_opens_its_own_connection_and_leaves_the_parents_alone(store):
    _service(store).open("ticket", {"subject": "x"}, case_id="T-1", actor="c")
    pid = os.fork()
    if pid == 0:  # the child: use the inherited store, then close it
        code = 1
        try:
            code = 0 if store.load("T-1").version == 1 else 1
            store.close()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert store.load("T-1").version == 1  # the parent's connection still works


def test_a_password_on_the_drivers_own_chain_is_scrubbed_too():
    store = PostgresStore(f"postgresql://app:{PASSWORD}@h/db", migrate=False)
    inner = psycopg.OperationalError(f"connection to postgresql://app:{PASSWORD}@h/db refused")
    inner.add_note(f"dsn password={PASSWORD}")
    driver = psycopg.OperationalError("could not connect")
    driver.__context__ = inner

    def fail() -> None:
        try:
            raise driver
        except psycopg.Error as exc:
            raise store._failure("cannot connect", exc) from exc

    with pytest.raises(StorageError) as info:
        fail()
    assert PASSWORD not in _every_text(info.value)
    assert PASSWORD not in "".join(traceback.format_exception(info.value))


def test_a_lone_surrogate_in_the_dsn_is_a_library_error_without_the_dsn():
    with pytest.raises(InvalidInputError) as info:
        PostgresStore(f"postgresql://app:{PASSWORD}\udc80@h/db", migrate=False)
    assert info.value.__context__ is None
    assert PASSWORD not in _every_text(info.value)


def _raw(dsn: str, schema: str, statement: str, params: tuple[object, ...] = ()) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(statement.replace("{schema}", f'"{schema}"'), params)  # type: ignore[arg-type]


def test_edited_json_or_a_case_row_behind_its_versions_is_a_storage_error(
    postgres_dsn, postgres_schema, store
):
    service = _service(store)
    service.open("ticket", {"subject": "x"}, case_id="T-1", actor="c")
    service.apply("T-1", StartWork(), idempotency_key="k1", actor="a")
    service.open("ticket", {"subject": "y"}, case_id="T-2", actor="c")
    _raw(
        postgres_dsn,
        postgres_schema,
        "UPDATE {schema}.ws_versions SET header = replace(header::text, '\"x\"', '\"z\"')::json"
        " WHERE case_id = 'T-1'",
    )
    for call in (lambda: store.load("T-1"), lambda: store.audit("T-1")):
        with pytest.raises(StorageError, match="'T-1' is corrupt"):
            call()
    _raw(
        postgres_dsn,
        postgres_schema,
        "UPDATE {schema}.ws_cases SET version = 0 + 1 WHERE case_id = 'T-2'",
    )
    service.apply("T-2", StartWork(), idempotency_key="k1", actor="a")
    _raw(
        postgres_dsn,
        postgres_schema,
        "UPDATE {schema}.ws_cases SET version = 1 WHERE case_id = 'T-2'",
    )
    with pytest.raises(StorageError, match="'T-2' is corrupt"):
        store.load("T-2")


def test_a_schema_1_database_is_migrated_with_checksums_and_ticket_pauses(
    postgres_dsn, postgres_schema
):
    from walletsupport.adapters import _postgres_schema

    first = _postgres_schema.MIGRATIONS[:1]
    old = PostgresStore(postgres_dsn, schema=postgres_schema, migrate=False)
    original = _postgres_schema.MIGRATIONS
    import walletsupport.adapters.postgres as module

    module.MIGRATIONS, module.SCHEMA_VERSION = first, 1  # type: ignore[misc]
    try:
        old.migrate()
    finally:
        module.MIGRATIONS, module.SCHEMA_VERSION = original, SCHEMA_VERSION  # type: ignore[misc]
    old.close()
    pending = _snapshot("T-1", {"subject": "x"})
    entry = pending.audit[0].model_copy(
        update={"version": 2, "from_state": "new", "to_state": "pending", "event": "ask_customer"}
    )
    later = pending.model_copy(update={"version": 2, "state": "pending", "audit": (entry,)})
    for snap in (pending, later):  # written as walletsupport 0.1 wrote them
        _raw(
            postgres_dsn,
            postgres_schema,
            "INSERT INTO {schema}.ws_cases VALUES (%s, 'ticket', %s, %s, NULL, %s, %s)"
            " ON CONFLICT (case_id) DO UPDATE SET version = EXCLUDED.version,"
            " state = EXCLUDED.state",
            ("T-1", snap.state, snap.version, T0, T0),
        )
        _raw(
            postgres_dsn,
            postgres_schema,
            "INSERT INTO {schema}.ws_versions VALUES (%s, %s, NULL, %s::json, %s::json)",
            (
                "T-1",
                snap.version,
                snap.model_dump_json(exclude={"audit"}),
                snap.audit[-1].model_dump_json(),
            ),
        )
    store = PostgresStore(postgres_dsn, schema=postgres_schema)
    try:
        assert store.schema_version() == SCHEMA_VERSION
        loaded = store.load("T-1")
        assert loaded.version == 2
        assert TicketData.model_validate(loaded.data).pauses == ((T0, None),)
        assert [e.version for e in store.audit("T-1")] == [1, 2]
    finally:
        store.close()
