"""Garbage in, a typed error out: the public API's input-validation contract.

Every public callable of every public subpackage (functions, classmethods, the public methods
of public classes, class constructors, ``model_validate``/``model_validate_json``) is called
once with valid arguments, then again with each argument in turn replaced by garbage: ``None``,
numbers where text is expected, text where a datetime is expected, naive datetimes, empty and
huge strings, negative numbers, dicts, bare ``object()`` ... Whatever it raises must be a
``WalletSupportError``: never a bare ``KeyError``, ``AttributeError`` or ``TypeError``.

Out of scope (programming errors a type checker catches, not input validation): a wrong
number of arguments or an unknown keyword, and pydantic's frozen-instance error on attribute
assignment.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import math
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from functools import cache, cached_property, partial
from pathlib import Path
from typing import Any, TypeVar, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import walletsupport
from walletsupport import (
    Assistance,
    Triage,
    VerificationPlan,
    assist,
    default_registry,
    plan_verification,
    sample_directory,
    triage,
)
from walletsupport.adapters import MemoryStore, SqliteStore
from walletsupport.calendars import HolidayCalendar, Interval, Schedule
from walletsupport.clock import FixedClock, SystemClock, ensure_aware
from walletsupport.contact import (
    CallChecklist,
    DialInfo,
    Directory,
    LocalizedText,
    QueueParameters,
    SupportLine,
    agents_needed,
    asks_for_secret,
    call_checklist,
    caller_zone_for,
    erlang_b,
    erlang_c,
    estimate_wait,
    offered_traffic,
    route,
    sample_directory_data,
    wait_at,
)
from walletsupport.errors import MAX_MESSAGE_CHARS, WalletSupportError
from walletsupport.issues import (
    Evaluation,
    IssueCategory,
    IssueRegistry,
    LinearClassifier,
    builtin_categories,
    builtin_classifier,
    evaluate,
    fit,
    read_labelled,
)
from walletsupport.policies import (
    LockoutPolicy,
    PasswordPolicy,
    RiskPolicy,
    RiskSignals,
    assess_risk,
    explain_risk,
)
from walletsupport.values import (
    CardExpiry,
    CardNumber,
    Cvc,
    Money,
    Password,
    PhoneNumber,
    new_case_id,
    parse_region,
    redact_free_text,
)
from walletsupport.verification import (
    IssuedCode,
    IssuedResetToken,
    OtpCheck,
    OtpPolicy,
    OtpState,
    PasswordResetRequest,
    ResetTokenCheck,
    ResetTokenPolicy,
    ResetTokenState,
    SealedEvidence,
    VerificationSession,
    factor,
    hotp,
    issue_code,
    request_password_reset,
    requirement_for,
    resend_code,
    reset_token_digest,
    totp,
    totp_key_from_base32,
    verify_code,
    verify_reset_token,
    verify_totp,
)
from walletsupport.workflows import (
    CaseContext,
    CaseSnapshot,
    Command,
    DeadlineClaim,
    DeadlineOutcome,
    DeadlineRunner,
    RunnerStats,
    Workflow,
    WorkflowService,
    builtin_workflows,
    render_mermaid,
    render_workflows_markdown,
)
from walletsupport.workflows.definition import _Rejected
from walletsupport.workflows.ticket import PutOnHold, StartWork, TicketData

PACKAGES = (
    "walletsupport",
    "walletsupport.values",
    "walletsupport.calendars",
    "walletsupport.issues",
    "walletsupport.verification",
    "walletsupport.policies",
    "walletsupport.contact",
    "walletsupport.workflows",
    "walletsupport.adapters",
    "walletsupport.clock",
)

AT = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
KEY = b"k" * 32
SESSION_PASSWORD = Password.parse("the customer's password")


GARBAGE: tuple[tuple[str, object], ...] = (
    ("None", None),
    ("zero", 0),
    ("negative int", -1),
    ("huge int", 10**40),
    ("negative float", -3.5),
    ("nan", math.nan),
    ("inf", math.inf),
    ("True", True),
    ("decimal nan", Decimal("NaN")),
    ("empty str", ""),
    ("blank str", "   "),
    ("huge str", "x" * 100_000),
    ("nul str", "\x00"),
    ("iso str", "2026-03-02T15:00:00+00:00"),
    ("bytes", b"\xff\x00"),
    ("naive datetime", datetime(2026, 3, 2, 15, 0)),
    ("aware datetime", AT),
    ("date", date(2026, 3, 2)),
    ("negative timedelta", timedelta(days=-1)),
    ("empty dict", {}),
    ("dict", {"a": 1, "b": [None]}),
    ("list of None", [None]),
    ("empty tuple", ()),
    ("object", object()),
)


def _deep(depth: int) -> dict[str, object]:
    value: dict[str, object] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


#: Input that probes the edges: huge reprs, near-overflow instants, decimal traps, surrogates.
HOSTILE: tuple[tuple[str, object], ...] = (
    ("5000-digit int", 10**5000),
    ("200k-element list", [0] * 200_000),
    ("200k-element str list", ["x"] * 200_000),
    ("deep dict", _deep(200)),
    ("lone surrogate", "12\udc8034"),
    ("year 1", datetime(1, 1, 1, tzinfo=UTC)),
    ("year 9999", datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)),
    ("timedelta.min", timedelta.min),
    ("timedelta.max", timedelta.max),
    ("huge decimal", Decimal("9e999999")),
    ("tiny decimal", Decimal("1e-999999")),
    ("signalling nan", Decimal("sNaN")),
    ("huge float", 1e308),
)

#: A library error stays short (``errors.MAX_MESSAGE_CHARS``) and its whole traceback bounded.
MAX_TRACEBACK_CHARS = 50_000
#: CPU seconds any single call may take on garbage (CPU time: other processes' load on a
#: shared machine does not count), and a generous wall-clock bound on hangs. Not benchmarks.
MAX_CALL_SECONDS = 1.0
MAX_CALL_WALL_SECONDS = 10.0

garbage_values = st.one_of(
    st.sampled_from([value for _, value in GARBAGE]),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.text(max_size=40),
    st.binary(max_size=20),
    st.datetimes(),
    st.datetimes(timezones=st.timezones()),
    st.dates(),
    st.timedeltas(),
    st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=3),
    st.lists(st.integers() | st.none() | st.text(max_size=5), max_size=3),
    st.builds(object),
)


def _outcome(call: Callable[[], object]) -> BaseException | None:
    """Run ``call``; the exception it raised, or None."""
    try:
        result = call()
        if isinstance(result, Iterator):  # lazy results validate when iterated
            list(itertools.islice(result, 5))
    except Exception as exc:
        return exc
    return None


def _is_out_of_scope(exc: BaseException) -> bool:
    """Python's own arity/keyword TypeError: a programming error, not bad input."""
    if type(exc) is not TypeError:
        return False
    text = str(exc)
    return any(
        phrase in text
        for phrase in (
            "positional argument",
            "unexpected keyword argument",
            "required keyword-only argument",
            "missing 1 required",
            "missing 2 required",
        )
    )


T = TypeVar("T")


def _some(value: T | None) -> T:
    assert value is not None
    return value


# --- the samples: one cheap, valid instance of every public class ---------------------------


class World:
    """Valid objects the calls below are built from, each built on first use."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp

    @cached_property
    def registry(self) -> IssueRegistry:
        return default_registry()

    @cached_property
    def directory(self) -> Directory:
        return sample_directory()

    @cached_property
    def schedule(self) -> Schedule:
        return Schedule.weekdays("Europe/Berlin")

    @cached_property
    def category(self) -> IssueCategory:
        return self.registry.get("app_crash")

    @cached_property
    def line(self) -> SupportLine:
        return self.directory.lines[0]

    @cached_property
    def queue(self) -> QueueParameters:
        assert self.line.queue is not None
        return self.line.queue

    @cached_property
    def assistance(self) -> Assistance:
        return assist("someone used my card without my permission", region="US", at=AT)

    @cached_property
    def triage(self) -> Triage:
        return triage("app keeps crashing")

    @cached_property
    def model_file(self) -> Path:
        path = self.tmp / "model.bin"
        self.tiny_model.save(path)
        return path

    @cached_property
    def labelled_file(self) -> Path:
        path = self.tmp / "labelled.jsonl"
        path.write_text('{"text": "lost my card", "label": "lost_or_stolen"}\n')
        return path

    @cached_property
    def evaluation(self) -> Evaluation:
        return evaluate(builtin_classifier(), ["I lost my card"], ["lost_or_stolen"])

    @cached_property
    def tiny_model(self) -> LinearClassifier:
        return LinearClassifier(
            classes=("lost_or_stolen", "other"),
            vocabulary=("=lost", "=card"),
            weights=((1.0, -1.0), (0.5, 0.0)),
            idf=(1.0, 1.2),
            bias=(0.0, 0.1),
        )

    @cached_property
    def plan(self) -> VerificationPlan:
        return plan_verification("refund", "low", ["password", "otp_sms"])

    @cached_property
    def session(self) -> VerificationSession:
        return VerificationSession.start(self.plan, AT)

    def _started(self, factors: list[str]) -> VerificationSession:
        return VerificationSession.start(plan_verification("view_info", "low", factors), AT)

    @property
    def password_session(self) -> VerificationSession:
        return self._started(["password"])

    @property
    def code_session(self) -> VerificationSession:
        return self._started(["otp_sms"])

    @property
    def totp_session(self) -> VerificationSession:
        return self._started(["otp_app"])

    @property
    def device_session(self) -> VerificationSession:
        return self._started(["biometric"])

    @cached_property
    def satisfied_session(self) -> VerificationSession:
        return self.device_session.record_external(
            KEY, "biometric", passed=True, verifier="device-os", at=AT
        )

    @cached_property
    def evidence(self) -> SealedEvidence:
        return self.satisfied_session.seal(KEY, account_id="acc-1", case_id="L-1", at=AT)

    @cached_property
    def otp_policy(self) -> OtpPolicy:
        return OtpPolicy()

    @cached_property
    def otp(self) -> tuple[IssuedCode, OtpState]:
        return issue_code(self.otp_policy, KEY, AT)

    @property
    def issued(self) -> IssuedCode:
        return self.otp[0]

    @property
    def otp_state(self) -> OtpState:
        return self.otp[1]

    @cached_property
    def otp_check(self) -> OtpCheck:
        return verify_code(self.otp_state, KEY, self.issued.reveal(), AT)

    @cached_property
    def reset(self) -> PasswordResetRequest:
        return request_password_reset(account_found=True, key=KEY, at=AT)

    @property
    def reset_token(self) -> IssuedResetToken:
        assert self.reset.token is not None
        return self.reset.token

    @property
    def reset_state(self) -> ResetTokenState:
        assert self.reset.state is not None
        return self.reset.state

    @cached_property
    def reset_check(self) -> ResetTokenCheck:
        return verify_reset_token(self.reset_state, KEY, self.reset_token.reveal(), AT)

    @cached_property
    def lockout(self) -> LockoutPolicy:
        return LockoutPolicy.nist()

    @cached_property
    def password_policy(self) -> PasswordPolicy:
        return PasswordPolicy()

    @cached_property
    def checklist(self) -> CallChecklist:
        return call_checklist("app_crash")

    @cached_property
    def service(self) -> WorkflowService:
        return WorkflowService(MemoryStore(), FixedClock(AT))

    @cached_property
    def opened(self) -> CaseSnapshot:
        """Ticket T-1 as opened (version 1)."""
        return self.service.open(
            "ticket", TicketData(subject="card declined"), case_id="T-1", actor="agent:7"
        )

    @cached_property
    def snapshot(self) -> CaseSnapshot:
        """Ticket T-1 after StartWork (version 2)."""
        _ = self.opened
        return self.service.apply("T-1", StartWork(), idempotency_key="k-1", actor="agent:7")

    @cached_property
    def store(self) -> MemoryStore:
        store = MemoryStore()
        store.save(self.opened, expected_version=0)
        return store

    @cached_property
    def workflow(self) -> Workflow[Any, Any]:
        return self.service.workflow("ticket")

    @cached_property
    def sqlite(self) -> SqliteStore:
        store = SqliteStore(self.tmp / "contract.sqlite3")
        store.save(self.opened, expected_version=0)
        return store

    def close(self) -> None:
        if "sqlite" in self.__dict__:
            self.sqlite.close()

    def samples(self) -> dict[type[BaseModel], BaseModel]:
        """One valid instance of every public pydantic model."""
        found: list[BaseModel] = [
            self.assistance,
            _some(self.assistance.category),
            self.triage,
            self.triage.candidates[0],
            self.triage.candidates[0].evidence[0],
            self.evaluation,
            self.evaluation.categories[0],
            self.evaluation.reliability[0],
            self.plan,
            self.plan.requirement,
            self.session,
            self.issued,
            self.otp_state,
            self.otp_state.policy,
            self.otp_check,
            self.reset,
            self.reset.response,
            self.reset_token,
            self.reset_state,
            self.reset_check,
            verify_totp(KEY, "000000", AT),
            self.satisfied_session.outcomes[0],
            self.evidence,
            self.evidence.factors[0],
            factor("otp_sms"),
            self.lockout,
            self.lockout.evaluate([AT], AT),
            self.password_policy,
            self.password_policy.check("correct horse battery staple"),
            RiskPolicy(),
            RiskSignals(),
            explain_risk(RiskSignals()),
            self.schedule,
            HolidayCalendar(country="DE"),
            HolidayCalendar(country="DE").year(2026),
            Interval(start=AT, end=AT + timedelta(hours=1)),
            self.category,
            self.category.checklist[0],
            self.directory,
            self.line,
            self.line.name,
            self.queue,
            self.queue.bands[0],
            self.checklist,
            self.checklist.items[0],
            route(self.directory, region="US", category="app_crash", at=AT),
            route(self.directory, region="JP", category="app_crash", at=AT),
            estimate_wait(agents=5, traffic=2.0, aht_seconds=180),
            estimate_wait(agents=1, traffic=2.0, aht_seconds=180),
            agents_needed(traffic=2.0, aht_seconds=180),
            self.snapshot,
            self.snapshot.audit[0],
            StartWork(),
            Command(),
            _some(DialInfo.for_line(self.line, "US")),
            ResetTokenPolicy(),
            self.category.vocabulary[0],
            CardExpiry.parse("12/30"),
            CardNumber.parse("4111111111111111"),
            Cvc.parse("123"),
            Money.of("10.00", "EUR"),
            Password.parse("correct horse battery staple"),
            PhoneNumber.parse("+14155552671"),
            CLAIM,
            RunnerStats(),
            DeadlineOutcome(case_id="T-1", outcome="reported", at=AT),
        ]
        if self.assistance.legal_window is not None:
            found.append(self.assistance.legal_window)
        found.extend(self.service.due(self.snapshot))
        fallback = plan_verification("reset_password", "high", ["password"]).fallback
        assert fallback is not None
        found.append(fallback)
        return {type(m): m for m in found}


CLAIM = DeadlineClaim(case_id="T-1", version=1, owner="w1", lease_until=AT)


def _runner(world: World) -> DeadlineRunner:
    return DeadlineRunner(world.store, FixedClock(AT))


def _stopped() -> threading.Event:
    stop = threading.Event()
    stop.set()
    return stop


@dataclass(frozen=True)
class Call:
    """A public callable with valid arguments; ``target`` builds the callable from a World."""

    name: str
    target: Callable[[World], Callable[..., object]]
    args: Callable[[World], tuple[Any, ...]] = lambda w: ()
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}


def _c(
    name: str,
    target: Callable[[World], Callable[..., object]],
    *args: Any,
    **kwargs: Any,
) -> Call:
    """A call whose valid arguments are constants (or callables of the World)."""

    def resolve(value: Any, world: World) -> Any:
        return value(world) if isinstance(value, _W) else value

    return Call(
        name,
        target,
        lambda w: tuple(resolve(a, w) for a in args),
        lambda w: {k: resolve(v, w) for k, v in kwargs.items()},
    )


@dataclass(frozen=True)
class _W:
    """A World-dependent argument."""

    get: Callable[[World], Any]

    def __call__(self, world: World) -> Any:
        return self.get(world)


def w(get: Callable[[World], Any]) -> _W:
    return _W(get)


def fn(f: Callable[..., object]) -> Callable[[World], Callable[..., object]]:
    return lambda _world: f


CALLS: tuple[Call, ...] = (
    # walletsupport
    _c("walletsupport.assist", fn(assist), "app keeps crashing", region="US", at=AT, locale="en"),
    _c(
        "walletsupport.assist(directory, registry)",
        fn(assist),
        "app crashed",
        region="US",
        at=AT,
        directory=w(lambda w: w.directory),
        registry=w(lambda w: w.registry),
    ),
    _c("walletsupport.default_registry", fn(default_registry)),
    _c(
        "walletsupport.plan_verification",
        fn(plan_verification),
        "reset_password",
        "low",
        ["otp_sms", "password"],
    ),
    _c("walletsupport.regime_for", fn(walletsupport.regime_for), "US"),
    _c("walletsupport.sample_directory", fn(sample_directory)),
    _c("walletsupport.triage", fn(triage), "app keeps crashing", w(lambda w: w.registry), "en"),
    _c("walletsupport.Assistance.checklist", lambda w: w.assistance.checklist, "zh"),
    _c("walletsupport.Assistance.to_text", lambda w: w.assistance.to_text, "en"),
    _c("walletsupport.Triage.ranked_ids", lambda w: w.triage.ranked_ids, 2),
    _c("walletsupport.Triage.is_confident", lambda w: w.triage.is_confident, 0.5),
    # clock
    _c("clock.ensure_aware", fn(ensure_aware), AT, "at"),
    _c("clock.FixedClock", fn(FixedClock), AT),
    _c("clock.FixedClock.set", lambda w: FixedClock(AT).set, AT),
    _c("clock.FixedClock.advance", lambda w: FixedClock(AT).advance, timedelta(minutes=5)),
    _c("clock.FixedClock.now", lambda w: FixedClock(AT).now),
    _c("clock.SystemClock", fn(SystemClock)),
    _c("clock.SystemClock.now", lambda w: SystemClock().now),
    # values
    _c("values.new_case_id", fn(new_case_id), b"0123456789abcdef"),
    _c("values.parse_region", fn(parse_region), "us"),
    _c("values.redact_free_text", fn(redact_free_text), "card 4111 1111 1111 1111 cvc 123"),
    _c("values.CardExpiry.parse", fn(CardExpiry.parse), "12/30"),
    _c("values.CardExpiry.is_expired", lambda w: CardExpiry.parse("12/30").is_expired, AT),
    _c("values.CardNumber.parse", fn(CardNumber.parse), "4111 1111 1111 1111"),
    _c(
        "values.CardNumber.fingerprint",
        lambda w: CardNumber.parse("4111111111111111").fingerprint,
        KEY,
    ),
    _c("values.Cvc.parse", fn(Cvc.parse), "1234", "amex"),
    _c("values.Cvc.matches", lambda w: Cvc.parse("123").matches, "123"),
    _c("values.Money.of", fn(Money.of), "10.50", "EUR"),
    _c("values.Money.from_minor_units", fn(Money.from_minor_units), 1050, "EUR"),
    _c("values.Money.zero", fn(Money.zero), "JPY"),
    _c("values.Password.parse", fn(Password.parse), "correct horse battery staple"),
    _c("values.Password.matches", lambda w: Password.parse("abcdefgh!").matches, "abcdefgh!"),
    _c("values.PhoneNumber.parse", fn(PhoneNumber.parse), "(415) 555-2671", "US"),
    _c(
        "values.PhoneNumber.format_international",
        lambda w: PhoneNumber.parse("+14155552671").format_international,
    ),
    _c(
        "values.PhoneNumber.format_national",
        lambda w: PhoneNumber.parse("+14155552671").format_national,
    ),
    _c("values.PhoneNumber.dial_from", lambda w: PhoneNumber.parse("+14155552671").dial_from, "GB"),
    _c(
        "values.PhoneNumber.is_dialable_from",
        lambda w: PhoneNumber.parse("+14155552671").is_dialable_from,
        "GB",
    ),
    # calendars
    _c(
        "calendars.Schedule",
        fn(Schedule),
        zone="Europe/Berlin",
        hours={"mon": [("09:00", "17:00")]},
        breaks={"mon": [("12:00", "13:00")]},
    ),
    _c("calendars.Schedule.always_open", fn(Schedule.always_open), "Asia/Shanghai"),
    _c(
        "calendars.Schedule.weekdays",
        fn(Schedule.weekdays),
        "Europe/Berlin",
        "08:00",
        "18:00",
        "mon-sat",
        HolidayCalendar(country="DE"),
    ),
    _c("calendars.Schedule.is_open", lambda w: w.schedule.is_open, AT),
    _c("calendars.Schedule.next_open", lambda w: w.schedule.next_open, AT),
    _c("calendars.Schedule.next_close", lambda w: w.schedule.next_close, AT),
    _c("calendars.Schedule.is_on_break", lambda w: w.schedule.is_on_break, AT),
    _c("calendars.Schedule.is_holiday", lambda w: w.schedule.is_holiday, AT),
    _c(
        "calendars.Schedule.add_business_time",
        lambda w: w.schedule.add_business_time,
        AT,
        timedelta(hours=3),
    ),
    _c(
        "calendars.Schedule.subtract_business_time",
        lambda w: w.schedule.subtract_business_time,
        AT,
        timedelta(hours=3),
    ),
    _c(
        "calendars.Schedule.business_time_between",
        lambda w: w.schedule.business_time_between,
        AT,
        AT + timedelta(days=2),
    ),
    _c("calendars.Schedule.periods", lambda w: w.schedule.periods, AT, AT + timedelta(days=2)),
    _c(
        "calendars.Schedule.is_business_day", lambda w: w.schedule.is_business_day, date(2026, 3, 2)
    ),
    _c(
        "calendars.Schedule.count_business_days",
        lambda w: w.schedule.count_business_days,
        date(2026, 3, 2),
        date(2026, 3, 20),
    ),
    _c(
        "calendars.Schedule.business_days_after",
        lambda w: w.schedule.business_days_after,
        date(2026, 3, 2),
        3,
    ),
    _c("calendars.Schedule.add_business_days", lambda w: w.schedule.add_business_days, AT, 3),
    _c(
        "calendars.Schedule.subtract_business_days",
        lambda w: w.schedule.subtract_business_days,
        AT,
        3,
    ),
    _c("calendars.HolidayCalendar.year", lambda w: HolidayCalendar(country="DE").year, 2026),
    _c("calendars.HolidayCalendar.federal_reserve", fn(HolidayCalendar.federal_reserve)),
    _c("calendars.Schedule.end_of_day", lambda w: w.schedule.end_of_day, date(2026, 3, 2)),
    _c("calendars.Schedule.local_date", lambda w: w.schedule.local_date, AT),
    _c(
        "calendars.Interval.contains",
        lambda w: Interval(start=AT, end=AT + timedelta(hours=1)).contains,
        AT,
    ),
    # issues
    _c("issues.builtin_categories", fn(builtin_categories)),
    _c("issues.IssueRegistry.use_classifier", lambda w: w.registry.use_classifier, None),
    _c(
        "issues.LinearClassifier",
        fn(LinearClassifier),
        classes=("a", "b"),
        vocabulary=("=x",),
        weights=((1.0, 0.0),),
        idf=(1.0,),
        bias=(0.0, 0.0),
        temperature=1.0,
        alpha=10.0,
        beta=-5.0,
        meta={},
    ),
    _c("issues.LinearClassifier.explain", lambda w: w.tiny_model.explain, "lost card", "other", 2),
    _c(
        "issues.LinearClassifier.extended",
        lambda w: w.tiny_model.extended,
        {"parcel": ["my parcel is late"]},
    ),
    _c(
        "issues.LinearClassifier.from_bytes",
        fn(LinearClassifier.from_bytes),
        w(lambda w: w.tiny_model.to_bytes()),
    ),
    _c("issues.LinearClassifier.load", fn(LinearClassifier.load), w(lambda w: w.model_file)),
    _c("issues.LinearClassifier.predict_proba", lambda w: w.tiny_model.predict_proba, "lost card"),
    _c("issues.LinearClassifier.save", lambda w: w.tiny_model.save, w(lambda w: w.tmp / "m.bin")),
    _c("issues.LinearClassifier.to_bytes", lambda w: w.tiny_model.to_bytes),
    _c(
        "issues.evaluate",
        fn(evaluate),
        w(lambda w: w.tiny_model),
        ["lost card"],
        ["lost_or_stolen"],
    ),
    _c(
        "issues.fit",
        fn(fit),
        ["lost my card", "card stolen", "weather today", "tell me a joke"] * 3,
        ["lost_or_stolen", "lost_or_stolen", "other", "other"] * 3,
        seed=0,
        regularization=10.0,
        min_count=1,
        calibration_share=0.25,
        sample_weight=None,
        progress=None,
        metadata=None,
    ),
    _c("issues.read_labelled", fn(read_labelled), w(lambda w: w.labelled_file), mapping=None),
    _c("issues.Evaluation.summary", lambda w: w.evaluation.summary),
    _c("issues.Evaluation.category_table", lambda w: w.evaluation.category_table),
    _c("issues.Evaluation.reliability_table", lambda w: w.evaluation.reliability_table),
    _c("issues.Evaluation.confusion_table", lambda w: w.evaluation.confusion_table),
    _c("issues.Evaluation.confusion_svg", lambda w: w.evaluation.confusion_svg),
    _c("issues.IssueRegistry", fn(IssueRegistry), w(lambda w: builtin_categories()[:3])),
    _c(
        "issues.IssueRegistry.register", lambda w: IssueRegistry().register, w(lambda w: w.category)
    ),
    _c("issues.IssueRegistry.get", lambda w: w.registry.get, "app_crash"),
    _c("issues.IssueRegistry.ids", lambda w: w.registry.ids),
    _c(
        "issues.IssueRegistry.load_entry_points",
        lambda w: IssueRegistry().load_entry_points,
        "walletsupport.contract_test_nothing_here",
    ),
    _c("issues.IssueCategory.localized_name", lambda w: w.category.localized_name, "zh"),
    _c("issues.IssueCategory.localized_guidance", lambda w: w.category.localized_guidance, "en"),
    _c("issues.ChecklistItem.text", lambda w: w.category.checklist[0].text, "zh"),
    # verification
    _c("verification.factor", fn(factor), "otp_app"),
    _c("verification.hotp", fn(hotp), KEY, 7, digits=8, algorithm="sha256"),
    _c("verification.totp", fn(totp), KEY, AT, step=30, digits=6, algorithm="sha1"),
    _c(
        "verification.verify_totp",
        fn(verify_totp),
        KEY,
        totp(KEY, AT),
        AT,
        window=1,
        step=30,
        digits=6,
        algorithm="sha1",
    ),
    _c(
        "verification.totp_key_from_base32",
        fn(totp_key_from_base32),
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    ),
    _c(
        "verification.issue_code",
        fn(issue_code),
        w(lambda w: w.otp_policy),
        KEY,
        AT,
        purpose="login",
    ),
    _c(
        "verification.resend_code",
        fn(resend_code),
        w(lambda w: w.otp_state),
        KEY,
        AT + timedelta(minutes=2),
        purpose="",
    ),
    _c(
        "verification.verify_code",
        fn(verify_code),
        w(lambda w: w.otp_state),
        KEY,
        w(lambda w: w.issued.reveal()),
        AT,
        purpose="",
    ),
    _c(
        "verification.plan_verification",
        fn(plan_verification),
        "add_card",
        "high",
        w(lambda w: ["otp_sms", "biometric", "password"]),
    ),
    _c("verification.requirement_for", fn(requirement_for), "refund", "medium"),
    _c(
        "verification.request_password_reset",
        fn(request_password_reset),
        account_found=True,
        key=KEY,
        at=AT,
        policy=ResetTokenPolicy(),
        purpose="reset:R-1",
    ),
    _c("verification.reset_token_digest", fn(reset_token_digest), KEY, "token", purpose="R-1"),
    _c(
        "verification.verify_reset_token",
        fn(verify_reset_token),
        w(lambda w: w.reset_state),
        KEY,
        w(lambda w: w.reset_token.reveal()),
        AT,
        purpose="",
    ),
    _c("verification.IssuedCode.reveal", lambda w: w.issued.reveal),
    _c("verification.IssuedResetToken.reveal", lambda w: w.reset_token.reveal),
    _c("verification.OtpCheck.raise_for_outcome", lambda w: w.otp_check.raise_for_outcome),
    _c("verification.ResetTokenCheck.raise_for_outcome", lambda w: w.reset_check.raise_for_outcome),
    _c("verification.OtpState.is_expired", lambda w: w.otp_state.is_expired, AT),
    _c("verification.OtpState.can_verify", lambda w: w.otp_state.can_verify, AT),
    _c(
        "verification.VerificationSession.start",
        fn(VerificationSession.start),
        w(lambda w: w.plan),
        AT,
        inactivity_timeout=timedelta(minutes=5),
    ),
    _c("verification.VerificationSession.is_expired", lambda w: w.session.is_expired, AT),
    _c("verification.VerificationSession.status", lambda w: w.session.status, AT),
    _c(
        "verification.VerificationSession.check_password",
        lambda w: w.password_session.check_password,
        KEY,
        w(lambda w: SESSION_PASSWORD),
        "the customer's password",
        at=AT,
    ),
    _c(
        "verification.VerificationSession.check_code",
        lambda w: w.code_session.check_code,
        KEY,
        "otp_sms",
        w(lambda w: w.otp_state),
        w(lambda w: w.issued.reveal()),
        at=AT,
    ),
    _c(
        "verification.VerificationSession.check_totp",
        lambda w: w.totp_session.check_totp,
        KEY,
        b"12345678901234567890",
        "287082",
        at=AT,
    ),
    _c(
        "verification.VerificationSession.record_external",
        lambda w: w.device_session.record_external,
        KEY,
        "biometric",
        passed=True,
        verifier="device-os",
        at=AT,
    ),
    _c("verification.VerificationSession.is_genuine", lambda w: w.session.is_genuine, KEY),
    _c(
        "verification.VerificationSession.seal",
        lambda w: w.satisfied_session.seal,
        KEY,
        account_id="acc-1",
        case_id="L-1",
        at=AT,
    ),
    _c(
        "verification.SealedEvidence.verify",
        lambda w: w.evidence.verify,
        KEY,
        account_id="acc-1",
        case_id="L-1",
        action="view_info",
        at=AT,
    ),
    # policies
    _c("policies.assess_risk", fn(assess_risk), {"new_device": True}, RiskPolicy()),
    _c("policies.explain_risk", fn(explain_risk), w(lambda w: RiskSignals()), None),
    _c(
        "policies.LockoutPolicy.psd2_rts",
        fn(LockoutPolicy.psd2_rts),
        window=timedelta(days=1),
        cooldown=timedelta(minutes=30),
    ),
    _c("policies.LockoutPolicy.nist", fn(LockoutPolicy.nist), 50, cooldown=timedelta(hours=1)),
    _c("policies.LockoutPolicy.evaluate", lambda w: w.lockout.evaluate, [AT], AT),
    _c(
        "policies.PasswordPolicy.must_change",
        lambda w: w.password_policy.must_change,
        compromised=True,
    ),
    _c(
        "policies.PasswordPolicy.check",
        lambda w: w.password_policy.check,
        "correct horse battery staple",
        context=["alice"],
    ),
    # contact
    _c(
        "contact.agents_needed",
        fn(agents_needed),
        traffic=2.0,
        aht_seconds=180.0,
        target_seconds=20.0,
        service_level=0.8,
        max_occupancy=1.0,
        shrinkage=0.3,
    ),
    _c("contact.asks_for_secret", fn(asks_for_secret), "please tell me your CVV"),
    _c(
        "contact.call_checklist",
        fn(call_checklist),
        "app_crash",
        "zh",
        registry=w(lambda w: w.registry),
    ),
    _c("contact.caller_zone_for", fn(caller_zone_for), "DE"),
    _c("contact.erlang_b", fn(erlang_b), 3, 2.0),
    _c("contact.erlang_c", fn(erlang_c), 3, 2.0),
    _c(
        "contact.estimate_wait",
        fn(estimate_wait),
        agents=3,
        traffic=2.0,
        aht_seconds=180.0,
        target_seconds=20.0,
    ),
    _c("contact.offered_traffic", fn(offered_traffic), 100.0, 3600.0, 180.0),
    _c(
        "contact.route",
        fn(route),
        w(lambda w: w.directory),
        region="US",
        category="app_crash",
        at=AT,
        language="en",
        caller_zone="America/New_York",
        registry=w(lambda w: w.registry),
    ),
    _c("contact.sample_directory_data", fn(sample_directory_data)),
    _c("contact.wait_at", fn(wait_at), w(lambda w: w.line), AT, zone="America/New_York"),
    _c("contact.wait_at(queue)", fn(wait_at), w(lambda w: w.queue), AT, zone="UTC"),
    _c("contact.Directory.get", lambda w: w.directory.get, "acme-us-main"),
    _c(
        "contact.Directory.load",
        fn(lambda data, **kw: type(sample_directory()).load(data, **kw)),
        w(lambda w: sample_directory_data()),
        registry=w(lambda w: w.registry),
    ),
    _c(
        "contact.SupportLine.handles",
        lambda w: w.line.handles,
        "app_crash",
        w(lambda w: w.registry),
    ),
    _c("contact.SupportLine.serves", lambda w: w.line.serves, "US"),
    _c("contact.SupportLine.speaks", lambda w: w.line.speaks, "en"),
    _c("contact.SupportLine.dial_from", lambda w: w.line.dial_from, "GB"),
    _c("contact.SupportLine.dialed_number", lambda w: w.line.dialed_number, "GB"),
    _c("contact.SupportLine.category_ids", lambda w: w.line.category_ids, w(lambda w: w.registry)),
    _c("contact.CallChecklist.render", lambda w: w.checklist.render),
    _c("contact.DialInfo.for_line", fn(DialInfo.for_line), w(lambda w: w.line), "GB"),
    _c("contact.LocalizedText.text", lambda w: LocalizedText(en="hi", zh="你好").text, "zh"),
    _c("contact.QueueBand.week_intervals", lambda w: w.queue.bands[0].week_intervals),
    _c("contact.QueueBand.covers", lambda w: w.queue.bands[0].covers, datetime(2026, 3, 2, 9, 0)),
    _c("contact.QueueParameters.band_at", lambda w: w.queue.band_at, datetime(2026, 3, 2, 9, 0)),
    _c(
        "contact.QueueParameters.estimate",
        lambda w: w.queue.estimate,
        w(lambda w: w.queue.bands[0]),
    ),
    # workflows
    _c("workflows.builtin_workflows", fn(builtin_workflows)),
    _c("workflows.render_mermaid", fn(render_mermaid), w(lambda w: w.workflow)),
    _c(
        "workflows.render_workflows_markdown",
        fn(render_workflows_markdown),
        w(lambda w: builtin_workflows()[:1]),
    ),
    _c(
        "workflows.WorkflowService",
        fn(WorkflowService),
        w(lambda w: MemoryStore()),
        w(lambda w: FixedClock(AT)),
        w(lambda w: builtin_workflows()),
    ),
    _c("workflows.WorkflowService.workflow", lambda w: w.service.workflow, "ticket"),
    _c(
        "workflows.WorkflowService.open",
        lambda w: w.service.open,
        "ticket",
        {"subject": "refund"},
        case_id="T-2",
        actor="customer",
        idempotency_key="open-1",
    ),
    _c(
        "workflows.WorkflowService.start",
        lambda w: w.service.start,
        "account_lock",
        {"account_id": "acc-1"},
        case_id="L-1",
        actor="system",
        idempotency_key=None,
    ),
    _c("workflows.WorkflowService.load", lambda w: (w.opened, w.service.load)[1], "T-1"),
    _c(
        "workflows.WorkflowService.apply",
        lambda w: (w.snapshot, w.service.apply)[1],
        "T-1",
        PutOnHold(reason="waiting for bank"),
        idempotency_key="k-2",
        actor="agent:7",
    ),
    _c("workflows.WorkflowService.due", lambda w: w.service.due, w(lambda w: w.snapshot), AT),
    _c("workflows.CaseSnapshot.entry_for_key", lambda w: w.snapshot.entry_for_key, "k-1"),
    _c("workflows.Command.audit_details", lambda w: StartWork().audit_details),
    _c("workflows.Command.digest", lambda w: StartWork().digest),
    _c("workflows.Deadline.is_overdue", lambda w: w.service.due(w.snapshot)[0].is_overdue, AT),
    _c("workflows.Deadline.sort_key", lambda w: w.service.due(w.snapshot)[0].sort_key),
    _c("workflows.Deadline.is_violated", lambda w: w.service.due(w.snapshot)[0].is_violated, AT),
    _c("workflows.Workflow.events_in", lambda w: w.workflow.events_in, "open"),
    _c(
        "workflows.Workflow.deadline_command",
        lambda w: w.workflow.deadline_command,
        w(lambda w: w.service.due(w.snapshot)[0]),
    ),
    _c(
        "workflows.DeadlineRunner",
        fn(DeadlineRunner),
        w(lambda w: w.store),
        FixedClock(AT),
        w(lambda w: builtin_workflows()),
        lease_clock=FixedClock(AT),
        owner="w1",
        actor="system:deadlines",
        batch=5,
        lease=timedelta(minutes=1),
        retries=2,
        max_failures=2,
        backoff=timedelta(seconds=5),
        on_outcome=print,
    ),
    _c("workflows.DeadlineRunner.run_once", lambda w: _runner(w).run_once, stop=None),
    _c(
        "workflows.DeadlineRunner.run_until_idle",
        lambda w: _runner(w).run_until_idle,
        stop=lambda: False,
    ),
    _c(
        "workflows.DeadlineRunner.serve",
        lambda w: _runner(w).serve,
        interval=0.01,
        stop=w(lambda w: _stopped()),
    ),
    _c("workflows.DeadlineRunner.stats", lambda w: _runner(w).stats),
    _c(
        "workflows.DeadlineOutcome.line",
        lambda w: DeadlineOutcome(case_id="T-1", outcome="reported", at=AT).line,
    ),
    _c("workflows.Workflow.command_named", lambda w: w.workflow.command_named, "PutOnHold"),
    _c(
        "workflows.Workflow",
        fn(Workflow),
        kind="ticket2",
        machine=w(lambda w: w.workflow.machine),
        data=TicketData,
        commands=w(lambda w: w.workflow.commands),
        policy=w(lambda w: w.workflow.policy),
        deadlines=w(lambda w: w.workflow.deadlines),
        title="Tickets again",
    ),
    _c(
        "workflows.CaseContext",
        fn(CaseContext),
        case_id="c",
        kind="ticket",
        state="open",
        version=1,
        created_at=AT,
        at=AT,
        actor="a",
        event="e",
        audit=(),
        data=TicketData(subject="x"),
        policy=None,
    ),
    _c("workflows.CaseContext.update", lambda w: _case_context().update, subject="y"),
    _c("workflows.CaseContext.note", lambda w: _case_context().note, reason="asked"),
    _c("workflows.CaseContext.reject", lambda w: _case_context().reject, "not allowed"),
    # adapters
    _c("adapters.MemoryStore", fn(MemoryStore)),
    _c("adapters.MemoryStore.load", lambda w: w.store.load, "T-1", version=1),
    _c(
        "adapters.MemoryStore.save",
        lambda w: MemoryStore().save,
        w(lambda w: w.opened),
        expected_version=0,
    ),
    _c(
        "adapters.MemoryStore.find",
        lambda w: w.store.find,
        kind="ticket",
        state="open",
        due_before=AT + timedelta(days=30),
        limit=10,
    ),
    _c(
        "adapters.SqliteStore",
        lambda w: SqliteStore,
        w(lambda w: w.tmp / "other.sqlite3"),
        timeout=1.0,
        synchronous="FULL",
    ),
    _c("adapters.SqliteStore.load", lambda w: w.sqlite.load, "T-1", version=1),
    _c(
        "adapters.SqliteStore.save",
        lambda w: w.sqlite.save,
        w(lambda w: w.snapshot),
        expected_version=1,
    ),
    _c(
        "adapters.SqliteStore.find",
        lambda w: w.sqlite.find,
        kind="ticket",
        state=None,
        due_before=AT + timedelta(days=30),
        limit=10,
    ),
    _c("adapters.MemoryStore.audit", lambda w: w.store.audit, "T-1", after=0, limit=10),
    _c("adapters.MemoryStore.entry_for_key", lambda w: w.store.entry_for_key, "T-1", "k"),
    _c("adapters.SqliteStore.audit", lambda w: w.sqlite.audit, "T-1", after=0, limit=10),
    _c("adapters.SqliteStore.entry_for_key", lambda w: w.sqlite.entry_for_key, "T-1", "k"),
    _c("adapters.SqliteStore.schema_version", lambda w: w.sqlite.schema_version),
    _c("adapters.SqliteStore.migrate", lambda w: w.sqlite.migrate),
    _c("adapters.SqliteStore.close", lambda w: w.sqlite.close),
    _c(
        "adapters.MemoryStore.claim_due",
        lambda w: w.store.claim_due,
        at=AT,
        now=AT,
        owner="w1",
        lease_until=AT + timedelta(minutes=1),
        limit=5,
    ),
    _c(
        "adapters.SqliteStore.claim_due",
        lambda w: w.sqlite.claim_due,
        at=AT,
        now=AT,
        owner="w1",
        lease_until=AT + timedelta(minutes=1),
        limit=5,
    ),
    _c(
        "adapters.MemoryStore.release_claim",
        lambda w: w.store.release_claim,
        CLAIM,
        seen_version=1,
        handled_through=AT,
        wake_at=None,
        failures=0,
        retry_at=None,
    ),
    _c(
        "adapters.SqliteStore.release_claim",
        lambda w: w.sqlite.release_claim,
        CLAIM,
        seen_version=1,
        handled_through=AT,
        wake_at=AT,
        failures=1,
        retry_at=AT,
    ),
)


def _case_context() -> CaseContext[TicketData, None]:
    return CaseContext(
        case_id="c",
        kind="ticket",
        state="open",
        version=1,
        created_at=AT,
        at=AT,
        actor="a",
        event="e",
        audit=(),
        data=TicketData(subject="x"),
        policy=None,
    )


# --- enumeration: what the public surface is ------------------------------------------------


def _is_callable_surface(obj: object) -> bool:
    return inspect.isfunction(obj) or (
        inspect.isclass(obj)
        and not issubclass(obj, BaseException)
        and not getattr(obj, "_is_protocol", False)
    )


@cache
def public_surface() -> frozenset[str]:
    """``name`` or ``Class.method`` for every public callable of every public subpackage."""
    names: set[str] = set()
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            obj = getattr(module, name)
            if not _is_callable_surface(obj):
                continue
            names.add(obj.__name__)
            if not inspect.isclass(obj) or issubclass(obj, Enum):
                continue
            if issubclass(obj, BaseModel):
                names.update(
                    f"{obj.__name__}.{m}" for m in ("model_validate", "model_validate_json")
                )
            for attr, value in vars(obj).items():
                if attr.startswith("_") or attr in {"model_post_init", "invalid_error"}:
                    continue
                if isinstance(value, classmethod | staticmethod) or inspect.isfunction(value):
                    names.add(f"{obj.__name__}.{attr}")
    return frozenset(names)


def _public_models() -> list[type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, BaseModel):
                found[obj.__qualname__] = obj
    return [found[k] for k in sorted(found)]


def _public_enums() -> list[type[Enum]]:
    found: dict[str, type[Enum]] = {}
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, Enum):
                found[obj.__qualname__] = obj
    return [found[k] for k in sorted(found)]


MODELS = _public_models()
ENUMS = _public_enums()
#: Public callables covered elsewhere in this file, or with no input to validate.
NOT_IN_CALLS = frozenset(
    {
        "PostgresStore",  # needs a server: tests/integration covers its typed errors
        "PostgresStore.close",
        "PostgresStore.migrate",
        "PostgresStore.schema_version",
        "PostgresStore.load",
        "PostgresStore.find",
        "PostgresStore.save",
        "PostgresStore.audit",
        "PostgresStore.entry_for_key",
        "PostgresStore.claim_due",
        "PostgresStore.release_claim",
    }
)


def _covered() -> set[str]:
    names = {call.name.split(".", 1)[1].split("(")[0] for call in CALLS}
    names.update(m.__name__ for m in MODELS)
    names.update(
        f"{m.__name__}.{v}" for m in MODELS for v in ("model_validate", "model_validate_json")
    )
    names.update(e.__name__ for e in ENUMS)
    return names


def test_every_public_callable_of_every_subpackage_is_called_with_garbage() -> None:
    assert sorted(public_surface() - _covered() - NOT_IN_CALLS) == []
    assert len(public_surface()) > 150


# --- the contract ---------------------------------------------------------------------------


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.chdir(tmp_path)  # SqliteStore("   ") is a valid relative path: keep it here
    made = World(tmp_path)
    yield made
    made.close()


def _arguments(
    call: Call, world: World
) -> Iterator[tuple[str, Callable[[object], Callable[[], object]]]]:
    """Each parameter of ``call``, with a function that builds the call with garbage in it."""
    target = call.target(world)
    signature = inspect.signature(target)
    for name, parameter in signature.parameters.items():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue

        def with_garbage(garbage: object, name: str = name) -> Callable[[], object]:
            bound = signature.bind_partial(*call.args(world), **call.kwargs(world))
            bound.arguments[name] = garbage
            return lambda: call.target(world)(*bound.args, **bound.kwargs)

        yield name, with_garbage


def _violation(exc: BaseException | None) -> bool:
    return exc is not None and not isinstance(exc, WalletSupportError) and not _is_out_of_scope(exc)


#: Calls whose whole job is to raise: CaseContext.reject raises the engine's internal signal,
#: which the engine turns into GuardRejectedError; only its argument check is under test.
SIGNALS = {"workflows.CaseContext.reject": "_Rejected"}

#: Known violations, as strict xfails: fixing one makes its entry fail until it is removed.
KNOWN_GAPS: dict[str, str] = {}


def _calls() -> list[Any]:
    return [
        pytest.param(
            call,
            id=call.name,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[call.name])]
            if call.name in KNOWN_GAPS
            else [],
        )
        for call in CALLS
    ]


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.name)
def test_valid_arguments_are_accepted(call: Call, world: World) -> None:
    target = call.target(world)
    exc = _outcome(lambda: target(*call.args(world), **call.kwargs(world)))
    if call.name in SIGNALS:
        assert type(exc).__name__ == SIGNALS[call.name]
    else:
        assert exc is None


@pytest.mark.parametrize("call", _calls())
def test_garbage_in_any_argument_raises_a_wallet_support_error(call: Call, world: World) -> None:
    found = []
    for name, with_garbage in _arguments(call, world):
        for label, garbage in GARBAGE:
            exc = _outcome(with_garbage(garbage))
            if _violation(exc) and type(exc).__name__ != SIGNALS.get(call.name):
                found.append(f"{name}={label}: {type(exc).__name__}: {str(exc)[:120]}")
    assert found == []


def _hostile_problem(call: Callable[[], object]) -> str | None:
    """What is wrong with ``call`` on hostile input: a foreign error, a long message, slowness."""
    started, wall = time.process_time(), time.perf_counter()
    exc = _outcome(call)
    spent, waited = time.process_time() - started, time.perf_counter() - wall
    if spent > MAX_CALL_SECONDS:
        return f"took {spent:.1f} s of CPU"
    if waited > MAX_CALL_WALL_SECONDS:
        return f"took {waited:.1f} s"
    if exc is None or isinstance(exc, _Rejected):
        return None
    if _violation(exc):
        return f"{type(exc).__name__}: {str(exc)[:120]}"
    if len(str(exc)) > MAX_MESSAGE_CHARS:
        return f"a {len(str(exc))}-character message"
    if len("".join(traceback.format_exception(exc))) > MAX_TRACEBACK_CHARS:
        return "a traceback longer than 50,000 characters"
    return None


#: Known hostile-input violations, as strict xfails: fixing one makes its entry fail.
HOSTILE_GAPS: dict[str, str] = {}


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(
            call,
            id=call.name,
            marks=[pytest.mark.xfail(strict=True, reason=HOSTILE_GAPS[call.name])]
            if call.name in HOSTILE_GAPS
            else [],
        )
        for call in CALLS
    ],
)
def test_hostile_garbage_in_any_argument_fails_fast_with_a_short_library_error(
    call: Call, world: World
) -> None:
    found = []
    for name, with_garbage in _arguments(call, world):
        for label, garbage in HOSTILE:
            problem = _hostile_problem(with_garbage(garbage))
            if problem is not None:
                found.append(f"{name}={label}: {problem}")
    assert found == []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_hostile_garbage_in_any_field_fails_fast_with_a_short_library_error(
    model: type[BaseModel], world: World
) -> None:
    sample = world.samples()[model]
    valid = {name: getattr(sample, name) for name in type(sample).model_fields}
    found = []
    for name, (label, garbage) in itertools.product(valid, HOSTILE):
        problem = _hostile_problem(partial(model.model_validate, {**valid, name: garbage}))
        if problem is not None:
            found.append(f"{name}={label}: {problem}")
    for label, garbage in HOSTILE:
        problem = _hostile_problem(partial(model.model_validate, garbage))
        if problem is not None:
            found.append(f"document {label}: {problem}")
    assert found == []


@pytest.fixture(scope="module")
def shared_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("garbage")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp)  # SqliteStore("   ") is a valid relative path: keep it here
        made = World(tmp)
        yield made
        made.close()


def test_random_garbage_in_any_argument_raises_a_wallet_support_error(shared_world: World) -> None:
    pairs = [
        (call, name, build)
        for call in CALLS
        if call.name not in KNOWN_GAPS
        for name, build in _arguments(call, shared_world)
    ]

    @settings(max_examples=300)
    @given(st.sampled_from(range(len(pairs))), garbage_values)
    def check(index: int, garbage: object) -> None:
        call, name, build = pairs[index]
        exc = _outcome(build(garbage))
        if type(exc).__name__ == SIGNALS.get(call.name):
            return
        assert not _violation(exc), f"{call.name}({name}={garbage!r}) -> {exc!r}"

    check()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_public_model_has_a_valid_sample(model: type[BaseModel], world: World) -> None:
    assert model in world.samples()


def _construct(model: type[BaseModel], data: dict[str, object]) -> BaseModel:
    return model(**data)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_garbage_in_any_field_raises_a_wallet_support_error(
    model: type[BaseModel], world: World
) -> None:
    sample = world.samples()[model]
    valid = {name: getattr(sample, name) for name in type(sample).model_fields}
    found = []
    for name, (label, garbage) in itertools.product(valid, GARBAGE):
        data = {**valid, name: garbage}
        builds = (
            ("init", partial(_construct, model, data)),
            ("validate", partial(model.model_validate, data)),
        )
        for how, build in builds:
            exc = _outcome(build)
            if _violation(exc):
                found.append(f"{how} {name}={label}: {type(exc).__name__}: {str(exc)[:120]}")
    assert found == []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_garbage_documents_raise_a_wallet_support_error(model: type[BaseModel]) -> None:
    found = []
    documents = [value for _, value in GARBAGE] + ["{", "null", "[]", "{}", '{"x": 1}', b"\xff"]
    for garbage in documents:
        for how, build in (
            ("model_validate", partial(model.model_validate, garbage)),
            ("model_validate_json", partial(model.model_validate_json, cast(Any, garbage))),
        ):
            exc = _outcome(build)
            if _violation(exc):
                found.append(f"{how}({garbage!r:.40}): {type(exc).__name__}: {str(exc)[:120]}")
    assert found == []


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_unknown_enum_values_raise_a_wallet_support_error(enum: type[Enum]) -> None:
    found = []
    for label, garbage in GARBAGE:
        exc = _outcome(partial(enum, garbage))
        if _violation(exc):
            found.append(f"{label}: {type(exc).__name__}: {str(exc)[:120]}")
    assert found == []
