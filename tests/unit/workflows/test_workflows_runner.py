"""DeadlineRunner on the memory store: fires each due deadline's command exactly once, never
early, reports deadlines without a command, retries conflicts, parks poisoned cases."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from pydantic import BaseModel
from statemachine import StateMachine
from statemachine.states import States

from walletsupport.adapters import MemoryStore, SqliteStore
from walletsupport.clock import FixedClock
from walletsupport.errors import (
    ConcurrencyConflictError,
    ConfigurationError,
    InvalidInputError,
    StorageError,
)
from walletsupport.ports import DeadlineClaimStore
from walletsupport.workflows import (
    Command,
    Deadline,
    DeadlineRunner,
    Workflow,
    WorkflowService,
    builtin_workflows,
)
from walletsupport.workflows.account_lock import (
    ExpireVerification,
    FailVerification,
    LockForRisk,
    StartVerification,
)
from walletsupport.workflows.card_add import (
    CardVerificationMethod,
    StartCardVerification,
    card_add_data,
)
from walletsupport.workflows.runner import deadline_key
from walletsupport.workflows.ticket import ReplyToCustomer, SolveTicket, StartWork

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
TIMEOUT = timedelta(minutes=30)  # the account_lock policy's default verification timeout


def pending_lock(service: WorkflowService, clock: FixedClock, case_id: str, at: datetime) -> None:
    """An account_lock case whose verification started at ``at`` (expires at + TIMEOUT)."""
    before = clock.now()
    clock.set(at)
    service.open("account_lock", {"account_id": case_id}, case_id=case_id, actor="system")
    service.apply(case_id, LockForRisk(reason="new device"), idempotency_key="1", actor="risk")
    service.apply(case_id, StartVerification(), idempotency_key="2", actor="agent:1")
    clock.set(max(before, at))


def fired_keys(store: MemoryStore | SqliteStore, case_id: str) -> list[str]:
    return [
        e.idempotency_key
        for e in store.audit(case_id)
        if e.idempotency_key and e.idempotency_key.startswith("deadline:")
    ]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def service(store: MemoryStore, clock: FixedClock) -> WorkflowService:
    return WorkflowService(store, clock)


# --- the hook on Workflow --------------------------------------------------------------------


def test_builtin_workflows_map_their_expiry_deadlines_to_commands() -> None:
    hooks = {w.kind: dict(w.on_deadline) for w in builtin_workflows()}
    assert hooks["account_lock"] == {"verification_expiry": ExpireVerification}
    assert set(hooks["password_reset"]) == {
        "reset_request_expiry",
        "code_expiry",
        "token_expiry",
        "completion_window",
    }
    assert "verification_expiry" in hooks["card_add"]
    assert "auto_close" in hooks["ticket"]
    assert "merchant_response" in hooks["transaction_dispute"]
    for workflow in builtin_workflows():  # every hook names a command of its workflow
        for factory in workflow.on_deadline.values():
            assert factory in workflow.commands


class _S(StrEnum):
    WAITING = "waiting"
    LATE = "late"


class _M(StateMachine):
    _ = States.from_enum(_S, initial=_S.WAITING, final=_S.LATE)
    lapse = _.WAITING.to(_.LATE, validators="allowed")
    allow = _.WAITING.to.itself()

    def allowed(self, case: Any) -> None:
        if case.data.refuse:
            case.reject("the lapse is refused")

    def on_allow(self, case: Any) -> None:
        case.update(refuse=False)


class _Data(BaseModel, frozen=True, extra="forbid"):
    refuse: bool = False
    due_minutes: int = 10


class Lapse(Command):
    event: ClassVar[str] = "lapse"


class Allow(Command):
    event: ClassVar[str] = "allow"


def _deadlines(snapshot: Any, data: _Data, policy: None, at: datetime) -> list[Deadline]:
    if snapshot.state != _S.WAITING:
        return []
    due = snapshot.created_at + timedelta(minutes=data.due_minutes)
    return [Deadline(name="lapse_due", due_at=due, source="test")]


def _workflow(**hooks: Any) -> Workflow[_Data, None]:
    return Workflow(
        kind="lapsing",
        machine=_M,
        data=_Data,
        commands=(Lapse, Allow),
        policy=None,
        deadlines=_deadlines,
        on_deadline=hooks,
    )


def test_the_hook_accepts_a_function_of_the_deadline() -> None:
    seen: list[str] = []

    def factory(deadline: Deadline) -> Command:
        seen.append(deadline.name)
        return Lapse()

    workflow = _workflow(lapse_due=factory)
    command = workflow.deadline_command(Deadline(name="lapse_due", due_at=T0, source="t"))
    assert isinstance(command, Lapse)
    assert seen == ["lapse_due"]
    assert workflow.deadline_command(Deadline(name="other", due_at=T0, source="t")) is None


@pytest.mark.parametrize(
    "hooks",
    [
        {"lapse_due": ExpireVerification},  # a command of another workflow
        {"Bad Name": Lapse},
        {"lapse_due": "Lapse"},
    ],
)
def test_a_bad_hook_is_refused_when_the_workflow_is_defined(hooks: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        _workflow(**hooks)


def test_a_hook_returning_a_foreign_command_is_a_configuration_error() -> None:
    workflow = _workflow(lapse_due=lambda d: ExpireVerification())
    with pytest.raises(ConfigurationError, match="not one of its commands"):
        workflow.deadline_command(Deadline(name="lapse_due", due_at=T0, source="t"))
    with pytest.raises(InvalidInputError):
        workflow.deadline_command("lapse_due")  # type: ignore[arg-type]


# --- firing ----------------------------------------------------------------------------------


def test_every_shipped_store_can_claim() -> None:
    assert isinstance(MemoryStore(), DeadlineClaimStore)
    sqlite = SqliteStore(":memory:")
    assert isinstance(sqlite, DeadlineClaimStore)
    sqlite.close()


def test_a_due_deadline_fires_its_command_once_with_a_derived_key(
    store: MemoryStore, service: WorkflowService, clock: FixedClock
) -> None:
    pending_lock(service, clock, "L-1", T0)
    runner = DeadlineRunner(store, clock)
    clock.set(T0 + TIMEOUT)  # due_at is exclusive: due exactly at this instant
    outcomes = runner.run_until_idle()
    assert [(o.case_id, o.deadline, o.outcome, o.command) for o in outcomes] == [
        ("L-1", "verification_expiry", "fired", "ExpireVerification")
    ]
    deadline = Deadline(name="verification_expiry", due_at=T0 + TIMEOUT, source="x")
    assert fired_keys(store, "L-1") == [deadline_key(deadline)]
    assert store.load("L-1").state == "locked"
    clock.advance(timedelta(days=3))
    assert runner.run_until_idle() == []
    assert DeadlineRunner(store, clock).run_until_idle() == []
    assert fired_keys(store, "L-1") == [deadline_key(deadline)]


def test_nothing_fires_before_it_is_due(
    store: MemoryStore, service: WorkflowService, clock: FixedClock
) -> None:
    pending_lock(service, clock, "L-1", T0)
    clock.set(T0 + TIMEOUT - timedelta(microseconds=1))
    runner = DeadlineRunner(store, clock)
    assert runner.run_until_idle() == []
    assert store.load("L-1").state == "pending_verification"
    assert runner.stats().cases == 0


def test_a_deadline_without_a_command_is_reported_once_and_the_next_one_when_due(
    store: MemoryStore, service: WorkflowService, clock: FixedClock
) -> None:
    service.open("ticket", {"subject": "refund"}, case_id="T-1", actor="customer")
    first_reply, resolution = (d.due_at for d in service.due(store.load("T-1")))
    runner = DeadlineRunner(store, clock)
    clock.set(first_reply)
    assert [(o.deadline, o.outcome) for o in runner.run_until_idle()] == [
        ("first_reply", "reported")
    ]
    assert runner.run_until_idle() == []  # missed, still listed, not reported again
    service.apply("T-1", StartWork(), idempotency_key="s", actor="agent:1")  # a new version
    assert runner.run_until_idle() == []  # looked at again, nothing new is due
    clock.set(resolution)
    assert [(o.deadline, o.outcome) for o in runner.run_until_idle()] == [
        ("resolution", "reported")
    ]
    assert store.load("T-1").version == 2  # reporting changes nothing
    assert runner.stats().reported == 2


def test_a_solved_ticket_closes_when_the_reopen_window_ends(
    store: MemoryStore, service: WorkflowService, clock: FixedClock
) -> None:
    service.open("ticket", {"subject": "refund"}, case_id="T-1", actor="customer")
    solve = SolveTicket(resolution="card replaced")
    for key, command in enumerate((StartWork(), ReplyToCustomer(), solve)):
        service.apply("T-1", command, idempotency_key=str(key), actor="agent:1")
    (auto_close,) = service.due(store.load("T-1"))
    clock.set(auto_close.due_at + timedelta(hours=1))
    outcomes = DeadlineRunner(store, clock).run_until_idle()
    assert [(o.deadline, o.outcome, o.command) for o in outcomes if o.outcome == "fired"] == [
        ("auto_close", "fired", "CloseTicket")
    ]
    assert store.load("T-1").state == "closed"


def test_a_refused_command_is_reported_and_skipped(clock: FixedClock) -> None:
    store = MemoryStore()
    workflows = [_workflow(lapse_due=Lapse)]
    service = WorkflowService(store, clock, workflows)
    service.open("lapsing", {"refuse": True}, case_id="X-1", actor="a")
    service.open("lapsing", {}, case_id="X-2", actor="a")
    clock.advance(timedelta(hours=1))
    runner = DeadlineRunner(store, clock, workflows)
    outcomes = {o.case_id: o for o in runner.run_until_idle()}
    assert outcomes["X-1"].outcome == "refused"
    assert "refused" in outcomes["X-1"].reason
    assert outcomes["X-2"].outcome == "fired"
    assert runner.run_until_idle() == []
    assert runner.stats().skipped == 1
    # The case changes: the refused deadline, overdue since before the last pass, is retried.
    service.apply("X-1", Allow(), idempotency_key="allow", actor="agent:1")
    assert [(o.case_id, o.outcome) for o in runner.run_until_idle()] == [("X-1", "fired")]
    assert store.load("X-1").state == "late"


def test_lag_and_counters_are_readable(
    store: MemoryStore, service: WorkflowService, clock: FixedClock
) -> None:
    for n in range(4):
        pending_lock(service, clock, f"L-{n}", T0 + timedelta(minutes=n))
    clock.set(T0 + TIMEOUT + timedelta(minutes=10))
    runner = DeadlineRunner(store, clock, batch=3)
    runner.run_until_idle()
    stats = runner.stats()
    assert (stats.cases, stats.fired, stats.conflicts, stats.poisoned) == (4, 4, 0, 0)
    assert stats.lag_max == 600.0
    assert stats.lag_p50 is not None
    assert 420.0 <= stats.lag_p50 <= 540.0
    assert stats.lag_p99 == 600.0


# --- conflicts, failures, poisoned cases -----------------------------------------------------


class _Flaky(MemoryStore):
    """A memory store whose next ``conflicts`` saves lose a race, and whose listed cases fail
    to load."""

    def __init__(self) -> None:
        super().__init__()
        self.conflicts = 0
        self.broken: set[str] = set()

    def save(self, snapshot: Any, *, expected_version: int) -> None:
        if self.conflicts and expected_version > 0:
            self.conflicts -= 1
            raise ConcurrencyConflictError(
                case_id=snapshot.id, expected_version=expected_version, actual_version=None
            )
        super().save(snapshot, expected_version=expected_version)

    def load(self, case_id: str, *, version: int | None = None) -> Any:
        if case_id in self.broken:
            raise StorageError(f"case {case_id!r} is corrupt in the store: test")
        return super().load(case_id, version=version)


def test_conflicting_saves_are_retried(clock: FixedClock) -> None:
    store = _Flaky()
    service = WorkflowService(store, clock)
    pending_lock(service, clock, "L-1", T0)
    store.conflicts = 2
    clock.set(T0 + TIMEOUT)
    runner = DeadlineRunner(store, clock)
    assert [o.outcome for o in runner.run_until_idle()] == ["fired"]
    assert runner.stats().conflicts == 2
    assert len(fired_keys(store, "L-1")) == 1


def test_conflicts_beyond_the_retries_count_as_a_failure_retried_later(clock: FixedClock) -> None:
    store = _Flaky()
    service = WorkflowService(store, clock)
    pending_lock(service, clock, "L-1", T0)
    store.conflicts = 3
    clock.set(T0 + TIMEOUT)
    runner = DeadlineRunner(store, clock, retries=1, backoff=timedelta(minutes=5))
    assert [o.outcome for o in runner.run_until_idle()] == ["failed"]
    assert runner.run_until_idle() == []  # waits out its back-off
    clock.advance(timedelta(minutes=5))
    assert [o.outcome for o in runner.run_until_idle()] == ["fired"]
    assert len(fired_keys(store, "L-1")) == 1


def test_a_poisoned_case_is_reported_and_never_blocks_the_queue(
    clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    store = _Flaky()
    service = WorkflowService(store, clock)
    for n in range(5):
        pending_lock(service, clock, f"L-{n}", T0)
    store.broken = {"L-0"}  # the earliest, first in the queue
    clock.set(T0 + TIMEOUT)
    runner = DeadlineRunner(store, clock, batch=1, max_failures=3, backoff=timedelta(0))
    with caplog.at_level(logging.WARNING, logger="walletsupport.workflows.runner"):
        outcomes = runner.run_until_idle()
    by_case: dict[str, list[str]] = {}
    for outcome in outcomes:
        by_case.setdefault(outcome.case_id, []).append(outcome.outcome)
    assert by_case.pop("L-0") == ["failed", "failed", "poisoned"]
    assert by_case == {f"L-{n}": ["fired"] for n in range(1, 5)}
    assert runner.stats().poisoned == 1
    assert any("L-0" in r.getMessage() and "poisoned" in r.getMessage() for r in caplog.records)
    assert runner.run_until_idle() == []  # parked until the case changes
    store.broken = set()
    service.apply("L-0", FailVerification(), idempotency_key="3", actor="agent:1")
    service.apply("L-0", StartVerification(), idempotency_key="4", actor="agent:1")
    clock.advance(TIMEOUT)
    assert [o.outcome for o in runner.run_until_idle()] == ["fired"]


def test_an_unknown_kind_is_a_poisoned_case_not_a_crash(clock: FixedClock) -> None:
    store = MemoryStore()
    service = WorkflowService(store, clock)
    pending_lock(service, clock, "L-1", T0)
    service.open("ticket", {"subject": "x"}, case_id="T-1", actor="c")
    clock.set(T0 + timedelta(days=5))
    lock_only = [w for w in builtin_workflows() if w.kind == "account_lock"]
    runner = DeadlineRunner(store, clock, lock_only, max_failures=1)
    outcomes = {o.case_id: o for o in runner.run_until_idle()}
    assert outcomes["T-1"].outcome == "poisoned"
    assert "UnknownWorkflowError" in outcomes["T-1"].reason
    assert outcomes["L-1"].outcome == "fired"


def test_a_foreign_exception_is_reported_by_type_only(clock: FixedClock) -> None:
    def explode(deadline: Deadline) -> Command:
        raise RuntimeError("secret 4242424242424242")

    store = MemoryStore()
    workflows = [_workflow(lapse_due=explode)]
    WorkflowService(store, clock, workflows).open("lapsing", {}, case_id="X-1", actor="a")
    clock.advance(timedelta(hours=1))
    (outcome,) = DeadlineRunner(store, clock, workflows, max_failures=1).run_until_idle()
    assert (outcome.outcome, outcome.reason) == ("poisoned", "RuntimeError")


# --- many runners, leases, stopping ----------------------------------------------------------


def test_a_lapsed_lease_lets_another_runner_take_over_without_duplicates(
    store: MemoryStore, service: WorkflowService, clock: FixedClock
) -> None:
    for n in range(3):
        pending_lock(service, clock, f"L-{n}", T0)
    clock.set(T0 + TIMEOUT)
    lease_clock = FixedClock(T0)
    dead = store.claim_due(
        at=clock.now(),
        now=lease_clock.now(),
        owner="dead",
        lease_until=T0 + timedelta(minutes=2),
        limit=10,
    )  # a runner that claimed and was killed
    assert len(dead) == 3
    runner = DeadlineRunner(store, clock, lease_clock=lease_clock, lease=timedelta(minutes=2))
    assert runner.run_until_idle() == []  # the leases still hold
    lease_clock.advance(timedelta(minutes=2))
    assert [o.outcome for o in runner.run_until_idle()] == ["fired"] * 3
    assert not store.release_claim(
        dead[0], seen_version=1, handled_through=None, wake_at=None, failures=0
    )  # the dead runner's lease is gone
    assert all(len(fired_keys(store, f"L-{n}")) == 1 for n in range(3))


def test_a_case_fired_by_a_runner_that_died_before_releasing_is_not_fired_again(
    store: MemoryStore, service: WorkflowService, clock: FixedClock
) -> None:
    pending_lock(service, clock, "L-1", T0)
    clock.set(T0 + TIMEOUT)
    store.claim_due(
        at=clock.now(), now=T0, owner="dead", lease_until=T0 + timedelta(seconds=1), limit=1
    )
    (deadline,) = service.due(store.load("L-1"))
    service.apply("L-1", ExpireVerification(), idempotency_key=deadline_key(deadline), actor="x")
    pending_lock(service, clock, "L-2", T0)
    outcomes = DeadlineRunner(store, clock, lease_clock=FixedClock(T0 + timedelta(seconds=1)))
    assert [o.case_id for o in outcomes.run_until_idle()] == ["L-2"]
    assert len(fired_keys(store, "L-1")) == 1


def test_stopping_releases_the_unhandled_cases_at_once(
    store: MemoryStore, service: WorkflowService, clock: FixedClock
) -> None:
    for n in range(4):
        pending_lock(service, clock, f"L-{n}", T0)
    clock.set(T0 + TIMEOUT)
    handled: list[str] = []
    runner = DeadlineRunner(store, clock, batch=4, on_outcome=lambda o: handled.append(o.case_id))
    runner.run_until_idle(stop=lambda: len(handled) >= 1)
    assert handled == ["L-0"]
    other = DeadlineRunner(store, clock)  # no lease left behind: takes the rest now
    assert sorted(o.case_id for o in other.run_until_idle()) == ["L-1", "L-2", "L-3"]


def test_runners_in_threads_fire_each_deadline_exactly_once(clock: FixedClock) -> None:
    store = MemoryStore()
    service = WorkflowService(store, clock)
    for n in range(60):
        pending_lock(service, clock, f"L-{n:02}", T0 + timedelta(seconds=n))
    clock.set(T0 + TIMEOUT + timedelta(minutes=5))
    runners = [DeadlineRunner(store, clock, batch=3) for _ in range(4)]
    threads = [threading.Thread(target=r.run_until_idle) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.stats().fired for r in runners) == 60
    assert all(len(fired_keys(store, f"L-{n:02}")) == 1 for n in range(60))


def test_serve_polls_until_stopped(
    store: MemoryStore, service: WorkflowService, clock: FixedClock
) -> None:
    pending_lock(service, clock, "L-1", T0)
    clock.set(T0 + TIMEOUT)
    stop = threading.Event()
    runner = DeadlineRunner(store, clock, on_outcome=lambda o: stop.set())
    thread = threading.Thread(target=runner.serve, kwargs={"interval": 0.01, "stop": stop})
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert runner.stats().fired == 1
    with pytest.raises(InvalidInputError):
        runner.serve(interval=0, stop=stop)


# --- secrets, arguments ----------------------------------------------------------------------


def test_logs_and_outcomes_name_case_and_deadline_never_a_secret(
    store: MemoryStore,
    service: WorkflowService,
    clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = card_add_data("4242 4242 4242 4242", "12/29", "987", fingerprint_key=b"f" * 32)
    service.open("card_add", data, case_id="C-1", actor="customer")
    bank = StartCardVerification(method=CardVerificationMethod.BANK)
    service.apply("C-1", bank, idempotency_key="1", actor="system")
    clock.advance(timedelta(days=1))
    with caplog.at_level(logging.DEBUG, logger="walletsupport"):
        outcomes = DeadlineRunner(store, clock).run_until_idle()
    assert [(o.deadline, o.outcome) for o in outcomes] == [("verification_expiry", "fired")]
    text = caplog.text + "".join(o.model_dump_json() for o in outcomes)
    assert "C-1" in caplog.text
    assert "verification_expiry" in caplog.text
    for secret in ("4242424242424242", "4242 4242", "987"):
        assert secret not in text


@pytest.mark.parametrize(
    "kwargs",
    [
        {"batch": 0},
        {"retries": -1},
        {"max_failures": 0},
        {"lease": timedelta(0)},
        {"backoff": timedelta(seconds=-1)},
        {"owner": ""},
        {"lease_clock": "now"},
        {"on_outcome": 3},
    ],
)
def test_bad_arguments_are_configuration_errors(clock: FixedClock, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        DeadlineRunner(MemoryStore(), clock, **kwargs)


def test_a_store_that_cannot_claim_is_refused(clock: FixedClock) -> None:
    class Plain:
        def load(self, case_id: str, *, version: int | None = None) -> None: ...

    with pytest.raises(ConfigurationError, match="DeadlineClaimStore"):
        DeadlineRunner(Plain(), clock)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"limit": 0},
        {"owner": ""},
        {"at": datetime(2026, 1, 5)},  # naive on purpose
        {"lease_until": "soon"},
    ],
)
def test_claim_arguments_are_checked(kwargs: dict[str, Any]) -> None:
    args: dict[str, Any] = {"at": T0, "now": T0, "owner": "w", "lease_until": T0, "limit": 5}
    with pytest.raises(InvalidInputError):
        MemoryStore().claim_due(**{**args, **kwargs})


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    starts=st.lists(st.integers(min_value=0, max_value=120), min_size=1, max_size=8),
    steps=st.lists(
        st.tuples(st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=2)),
        min_size=1,
        max_size=8,
    ),
)
def test_each_deadline_fires_exactly_once_never_early(
    starts: list[int], steps: list[tuple[int, int]]
) -> None:
    clock = FixedClock(T0)
    store = MemoryStore()
    service = WorkflowService(store, clock)
    for n, minute in enumerate(starts):
        pending_lock(service, clock, f"L-{n}", T0 + timedelta(minutes=minute))
    clock.set(T0)
    runners = [DeadlineRunner(store, clock, batch=2) for _ in range(3)]
    for advance, which in steps:
        clock.advance(timedelta(minutes=advance))
        runners[which].run_until_idle()
        for n, minute in enumerate(starts):
            keys = fired_keys(store, f"L-{n}")
            due = T0 + timedelta(minutes=minute) + TIMEOUT
            assert len(keys) == (1 if due <= clock.now() else 0)
    entries = [e for n in range(len(starts)) for e in store.audit(f"L-{n}")]
    for entry in entries:
        if entry.command == "ExpireVerification":
            assert entry.idempotency_key is not None
            due = datetime.fromisoformat(entry.idempotency_key.split(":", 2)[2])
            assert entry.at >= due
    assert sum(r.stats().fired for r in runners) == sum(
        1 for e in entries if e.command == "ExpireVerification"
    )


class RunnerMachine(RuleBasedStateMachine):
    """Cases open, agents act, the clock moves, two runners poll: each expiry fires at most
    once, only once due, and every due one is fired once the runners have caught up."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock(T0)
        self.store = MemoryStore()
        self.service = WorkflowService(self.store, self.clock)
        self.runners = [DeadlineRunner(self.store, self.clock, batch=2) for _ in range(2)]
        self.cases: list[str] = []
        self.caught_up = True

    @rule()
    def open_case(self) -> None:
        case_id = f"L-{len(self.cases)}"
        pending_lock(self.service, self.clock, case_id, self.clock.now())
        self.cases.append(case_id)
        self.caught_up = False

    @rule(minutes=st.integers(min_value=1, max_value=45))
    def advance(self, minutes: int) -> None:
        self.clock.advance(timedelta(minutes=minutes))
        self.caught_up = False

    @rule(which=st.integers(min_value=0, max_value=1))
    def run(self, which: int) -> None:
        self.runners[which].run_until_idle()
        self.caught_up = True

    @rule(data=st.data())
    def agent_relocks(self, data: st.DataObject) -> None:
        if not self.cases:
            return
        case_id = data.draw(st.sampled_from(self.cases))
        if self.store.load(case_id).state == "locked":
            key = f"again-{self.store.load(case_id).version}"
            self.service.apply(case_id, StartVerification(), idempotency_key=key, actor="agent")
            self.caught_up = False

    @invariant()
    def fired_once_never_early(self) -> None:
        for case_id in self.cases:
            keys = fired_keys(self.store, case_id)
            assert len(keys) == len(set(keys))
            for entry in self.store.audit(case_id):
                if entry.command == "ExpireVerification":
                    assert entry.idempotency_key is not None
                    due = datetime.fromisoformat(entry.idempotency_key.split(":", 2)[2])
                    assert entry.at >= due

    @invariant()
    def none_missed_once_caught_up(self) -> None:
        if not self.caught_up:
            return
        for case_id in self.cases:
            snapshot = self.store.load(case_id)
            assert not [d for d in self.service.due(snapshot) if d.is_overdue(self.clock.now())]


TestRunnerMachine = RunnerMachine.TestCase
TestRunnerMachine.settings = settings(max_examples=30, stateful_step_count=20, deadline=None)


def test_a_merchant_window_that_closes_moves_the_dispute_to_review(clock: FixedClock) -> None:
    from walletsupport.workflows.transaction_dispute import ContactMerchant

    store = MemoryStore()
    service = WorkflowService(store, clock)
    service.open(
        "transaction_dispute", {"amount": "5", "merchant": "Cafe"}, case_id="D-1", actor="c"
    )
    service.apply("D-1", ContactMerchant(), idempotency_key="1", actor="agent:1")
    (window,) = [d for d in service.due(store.load("D-1")) if d.name == "merchant_response"]
    runner = DeadlineRunner(store, clock)
    clock.set(window.due_at - timedelta(seconds=1))
    assert [o for o in runner.run_until_idle() if o.outcome == "fired"] == []
    clock.set(window.due_at)
    fired = [o for o in runner.run_until_idle() if o.outcome == "fired"]
    assert [(o.deadline, o.command) for o in fired] == [
        ("merchant_response", "ExpireMerchantWindow")
    ]
    assert store.load("D-1").state == "under_review"
