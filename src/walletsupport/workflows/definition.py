"""How a workflow is defined: commands, the case context callbacks see, deadlines, the definition.

A workflow is four things, bundled in a [Workflow][walletsupport.workflows.Workflow]:

* a python-statemachine ``StateMachine`` subclass whose states come from a ``StrEnum`` via
  ``States.from_enum`` (the machine holds the rules, nothing else);
* a frozen pydantic model for the case data (JSON, never a secret);
* the [Command][walletsupport.workflows.Command] classes it accepts; each names the event it
  sends through ``event: ClassVar[str]``;
* a policy value (presets, schedules) guards consult, and optionally a function that lists
  the case's running [Deadline][walletsupport.workflows.Deadline] values.

Guards and actions are machine methods that ask for ``case`` (a
[CaseContext][walletsupport.workflows.CaseContext]) and/or ``command`` by parameter name;
python-statemachine injects them.

Examples:
    >>> from enum import StrEnum
    >>> from typing import ClassVar
    >>> from pydantic import BaseModel
    >>> from statemachine import StateMachine
    >>> from statemachine.states import States
    >>> class DoorState(StrEnum):
    ...     CLOSED = "closed"
    ...     OPEN = "open"
    >>> class DoorMachine(StateMachine):
    ...     _ = States.from_enum(DoorState, initial=DoorState.CLOSED)
    ...     open_door = _.CLOSED.to(_.OPEN)
    ...     close_door = _.OPEN.to(_.CLOSED)
    >>> class DoorData(BaseModel, frozen=True, extra="forbid"):
    ...     openings: int = 0
    >>> class OpenDoor(Command):
    ...     event: ClassVar[str] = "open_door"
    >>> door = Workflow(kind="door", machine=DoorMachine, data=DoorData,
    ...                 commands=(OpenDoor,), policy=None)
    >>> door.initial_state, sorted(door.states)
    ('closed', ['closed', 'open'])
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NoReturn, TypeVar

from pydantic import BaseModel, JsonValue, model_validator
from statemachine import StateMachine

from walletsupport._model import WalletModel
from walletsupport._shown import shown
from walletsupport.errors import ConfigurationError, InvalidInputError
from walletsupport.regulation import Deadline
from walletsupport.values.text import redact_text_value
from walletsupport.workflows._checks import items_of

if TYPE_CHECKING:
    from walletsupport.workflows.audit import AuditEntry
    from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = [
    "CaseContext",
    "Command",
    "Deadline",
    "DeadlineCommand",
    "DeadlineFunction",
    "Workflow",
]

D = TypeVar("D", bound=BaseModel)
P = TypeVar("P")

_KIND = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class Command(WalletModel, frozen=True, extra="forbid"):
    """Base class of every command a workflow accepts.

    Subclasses name the machine event they send with ``event: ClassVar[str]`` and add
    fields the guards and actions read. Fields that hold a secret must be declared with
    ``Field(repr=False)``: they are then left out of the audit details and the digest.

    Examples:
        >>> from typing import ClassVar
        >>> class Reopen(Command):
        ...     event: ClassVar[str] = "reopen"
        ...     reason: str
        >>> Reopen(reason="still broken").audit_details()
        {'reason': 'still broken'}
        >>> len(Reopen(reason="x").digest())
        64
    """

    event: ClassVar[str]

    @model_validator(mode="before")
    @classmethod
    def _redact_free_text(cls, data: Any) -> Any:
        """Redact card numbers, codes and passwords in every text field that is not a secret.

        A reason or a note is stored in the audit and shown by ``case show``: a PAN typed
        into one must never reach the store (PCI DSS v4.0 Req. 3.5.1). Fields declared
        ``repr=False`` (secrets, checked as such) are left alone.
        """
        if not isinstance(data, dict):
            return data
        fields = cls.model_fields
        return {
            name: redact_text_value(value) if name in fields and fields[name].repr else value
            for name, value in data.items()
        }

    def audit_details(self) -> dict[str, JsonValue]:
        """The command's non-secret fields as JSON (fields with ``repr=False`` are left out).

        Examples:
            >>> from typing import ClassVar
            >>> from pydantic import Field
            >>> class Submit(Command):
            ...     event: ClassVar[str] = "submit"
            ...     channel: str
            ...     code: str = Field(repr=False)
            >>> Submit(channel="sms", code="123456").audit_details()
            {'channel': 'sms'}
        """
        secret = {name for name, info in type(self).model_fields.items() if not info.repr}
        dumped: dict[str, JsonValue] = self.model_dump(mode="json", exclude=secret or None)
        return dumped

    def digest(self) -> str:
        """SHA-256 over the command's class name and its non-secret JSON (for idempotency).

        Examples:
            >>> from typing import ClassVar
            >>> class Ping(Command):
            ...     event: ClassVar[str] = "ping"
            >>> Ping().digest() == Ping().digest()
            True
        """
        return digest_of(type(self).__name__, self.audit_details())


def digest_of(name: str, details: Mapping[str, JsonValue]) -> str:
    """SHA-256 hex digest of a name and JSON details, in canonical form (sorted keys)."""
    text = json.dumps([name, details], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class _Rejected(Exception):  # an internal signal, not an error of the library
    """Raised by [CaseContext.reject][walletsupport.workflows.CaseContext.reject]."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class CaseContext(Generic[D, P]):
    """What guards and actions see of the case while one command runs.

    Ask for it by naming a callback parameter ``case``. It is built by the engine per command
    and thrown away afterwards: changes reach the store only through ``data`` (replace it or
    call [update][walletsupport.workflows.CaseContext.update]) and
    [note][walletsupport.workflows.CaseContext.note]. If the command fails, nothing is kept.

    Attributes:
        case_id: the case id.
        kind: the workflow kind.
        state: the state value before this command.
        version: the version before this command.
        created_at: when the case was opened.
        at: the instant the command is applied (from the service's clock).
        actor: who sent the command.
        event: the event being sent.
        audit: the newest audit entries the loaded snapshot carries (oldest first; the
            entry of the current version last). The whole trail is not loaded: a workflow
            keeps what its rules need in its data.
        policy: the workflow's policy value (presets, schedules).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from pydantic import BaseModel
        >>> class Counter(BaseModel, frozen=True, extra="forbid"):
        ...     n: int = 0
        >>> ctx = CaseContext(
        ...     case_id="c", kind="k", state="s", version=1,
        ...     created_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...     at=datetime(2026, 1, 2, tzinfo=timezone.utc), actor="a", event="e",
        ...     audit=(), data=Counter(), policy=None,
        ... )
        >>> ctx.update(n=ctx.data.n + 1).n
        1
        >>> ctx.note(reason="customer asked")
        >>> ctx.notes
        {'reason': 'customer asked'}
    """

    __slots__ = (
        "_data",
        "_notes",
        "actor",
        "at",
        "audit",
        "case_id",
        "created_at",
        "event",
        "kind",
        "policy",
        "state",
        "version",
    )

    def __init__(
        self,
        *,
        case_id: str,
        kind: str,
        state: str,
        version: int,
        created_at: datetime,
        at: datetime,
        actor: str,
        event: str,
        audit: tuple[AuditEntry, ...],
        data: D,
        policy: P,
    ) -> None:
        self.case_id = case_id
        self.kind = kind
        self.state = state
        self.version = version
        self.created_at = created_at
        self.at = at
        self.actor = actor
        self.event = event
        self.audit = audit
        self.policy = policy
        self._data = data
        self._notes: dict[str, JsonValue] = {}

    @property
    def data(self) -> D:
        """The case data as it stands (after any updates made by earlier callbacks)."""
        return self._data

    @data.setter
    def data(self, value: D) -> None:
        if type(value) is not type(self._data):
            raise ConfigurationError(
                f"case data must stay a {type(self._data).__name__}, got {type(value).__name__}"
            )
        self._data = value

    def update(self, **changes: object) -> D:
        """Replace some fields of the case data (validated) and return the new data.

        Raises:
            pydantic.ValidationError: a change does not fit the data model (a programming
                error in the workflow, not a caller error).
        """
        model = type(self._data)
        self._data = model.model_validate({**dict(self._data), **changes})
        return self._data

    def note(self, **details: JsonValue) -> None:
        """Add non-secret details to this command's audit entry."""
        self._notes.update(details)

    @property
    def notes(self) -> dict[str, JsonValue]:
        """The details noted so far."""
        return dict(self._notes)

    def reject(self, reason: str) -> NoReturn:
        """Refuse the command with a reason: the caller gets a ``GuardRejectedError``.

        Call it from a validator (``validators="..."`` on the transition) or a ``before_``
        action; nothing of the command is kept.

        Examples:
            >>> from datetime import datetime, timezone
            >>> ctx = CaseContext(case_id="c", kind="k", state="s", version=1,
            ...     created_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
            ...     at=datetime(2026, 1, 1, tzinfo=timezone.utc), actor="a", event="e",
            ...     audit=(), data=Deadline(name="n", due_at=datetime(2026, 1, 1,
            ...     tzinfo=timezone.utc), source="s"), policy=None)
            >>> try:
            ...     ctx.reject("outside the reopen window")
            ... except Exception as exc:
            ...     print(exc)
            outside the reopen window

        Raises:
            InvalidInputError: ``reason`` is not a non-empty string.
        """
        if not isinstance(reason, str) or not reason.strip():
            raise InvalidInputError("reject() needs a non-empty reason string")
        raise _Rejected(reason)


#: ``deadlines(snapshot, data, policy, at)`` -> the case's running deadlines at ``at``.
DeadlineFunction = Callable[["CaseSnapshot", D, P, datetime], Iterable[Deadline]]

#: What a deadline triggers when it falls due: a command class of the workflow, built with no
#: arguments, or a function of the [Deadline][walletsupport.workflows.Deadline] that returns
#: the command (see ``Workflow.on_deadline``).
DeadlineCommand = type[Command] | Callable[[Deadline], Command]


@dataclass(frozen=True, slots=True)
class _MachineInfo:
    """Per-class facts about a machine, computed once per definition."""

    initial: str
    states: tuple[str, ...]
    final: frozenset[str]
    events_by_state: Mapping[str, frozenset[str]]
    events: frozenset[str]


def _inspect_machine(kind: str, machine: type[StateMachine]) -> _MachineInfo:
    if not (isinstance(machine, type) and issubclass(machine, StateMachine)):
        raise ConfigurationError(f"workflow {kind!r}: machine must be a StateMachine subclass")
    states_map: Mapping[Any, Any] = machine.states_map
    initial_state = machine.initial_state
    if initial_state is None or not states_map:
        raise ConfigurationError(f"workflow {kind!r}: the machine has no states")
    events_by_state: dict[str, frozenset[str]] = {}
    final: set[str] = set()
    for value, state in states_map.items():
        if not isinstance(value, str):
            raise ConfigurationError(
                f"workflow {kind!r}: state values must be strings (use a StrEnum), got {value!r}"
            )
        names = {str(event) for transition in state.transitions for event in transition.events}
        events_by_state[str(value)] = frozenset(names)
        if state.final:
            final.add(str(value))
    events = frozenset(e for names in events_by_state.values() for e in names)
    return _MachineInfo(
        initial=str(initial_state.value),
        states=tuple(str(v) for v in states_map),
        final=frozenset(final),
        events_by_state=events_by_state,
        events=events,
    )


class _MachineModel:
    """The object a machine keeps its state on (python-statemachine's "model")."""

    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state: Any = state


#: How many idle machines a definition keeps for reuse.
_POOL_SIZE = 32


def _restarted(machine: StateMachine) -> bool:
    """Restart the engine of a machine that entered a final state; whether it now runs.

    The configuration is read from the model, so nothing of the finished case stays but the
    stopped flag and the (empty) event queues; any queued trigger is dropped with them.
    """
    engine: Any = getattr(machine, "_engine", None)
    if not isinstance(getattr(engine, "running", None), bool) or not callable(
        getattr(engine, "clear", None)
    ):
        return False  # another python-statemachine layout: build a new machine instead
    engine.clear()
    engine.running = True
    return not machine.is_terminated


@dataclass(frozen=True, eq=False)
class Workflow(Generic[D, P]):
    """The definition of one workflow kind, handed to the service.

    Checked once at construction: the kind is a lowercase identifier, the machine's state
    values are strings, every command's event exists in the machine.

    Args:
        kind: the workflow kind stored in snapshots (``"ticket"``).
        machine: the ``StateMachine`` subclass.
        data: the frozen pydantic model of the case data.
        commands: the command classes this workflow accepts.
        policy: the value guards read as ``case.policy`` (``None`` when there is none).
        deadlines: lists the case's running deadlines; ``None`` when it has none.
        title: a one-line human title for docs.
        on_deadline: deadline name -> the command it triggers when due (a command class of
            this workflow, built with no arguments, or a function of the ``Deadline``);
            [DeadlineRunner][walletsupport.workflows.DeadlineRunner] applies it. A deadline
            not listed has no automatic command: the runner reports it and leaves the case.

    Raises:
        ConfigurationError: the definition is inconsistent.

    Examples:
        >>> from enum import StrEnum
        >>> from statemachine import StateMachine
        >>> from statemachine.states import States
        >>> class S(StrEnum):
        ...     A = "a"
        ...     B = "b"
        >>> class M(StateMachine):
        ...     _ = States.from_enum(S, initial=S.A, final=S.B)
        ...     go = _.A.to(_.B)
        >>> class Empty(BaseModel, frozen=True, extra="forbid"):
        ...     pass
        >>> class Stop(Command):
        ...     event: ClassVar[str] = "stop"
        >>> Workflow(kind="demo", machine=M, data=Empty, commands=(Stop,), policy=None)
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        walletsupport.errors.ConfigurationError: workflow 'demo': command Stop sends unknown ...
    """

    kind: str
    machine: type[StateMachine]
    data: type[D]
    commands: tuple[type[Command], ...]
    policy: P
    deadlines: DeadlineFunction[D, P] | None = None
    title: str = ""
    on_deadline: Mapping[str, DeadlineCommand] = field(default_factory=dict)
    _info: _MachineInfo = field(init=False, repr=False)
    _pool: deque[tuple[StateMachine, _MachineModel]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str) or not _KIND.match(self.kind):
            raise ConfigurationError(
                f"workflow kind must be a lowercase identifier, got {shown(self.kind)}"
            )
        info = _inspect_machine(self.kind, self.machine)
        if not (isinstance(self.data, type) and issubclass(self.data, BaseModel)):
            raise ConfigurationError(f"workflow {self.kind!r}: data must be a pydantic model")
        seen: set[str] = set()
        commands = items_of(self.commands, f"workflow {self.kind!r}: commands", ConfigurationError)
        for command in commands:
            if not (isinstance(command, type) and issubclass(command, Command)):
                raise ConfigurationError(
                    f"workflow {self.kind!r}: {command!r} is not a Command subclass"
                )
            event = getattr(command, "event", None)
            if event not in info.events:
                raise ConfigurationError(
                    f"workflow {self.kind!r}: command {command.__name__} "
                    f"sends unknown event {event!r}"
                )
            if command.__name__ in seen:
                raise ConfigurationError(
                    f"workflow {self.kind!r}: two commands are named {command.__name__}"
                )
            seen.add(command.__name__)
        object.__setattr__(self, "on_deadline", self._checked_hooks(commands))
        object.__setattr__(self, "_info", info)
        object.__setattr__(self, "_pool", deque(maxlen=_POOL_SIZE))

    def _checked_hooks(self, commands: Iterable[object]) -> Mapping[str, DeadlineCommand]:
        """``on_deadline`` as a read-only mapping, each entry checked."""
        hooks = self.on_deadline
        if not isinstance(hooks, Mapping):
            raise ConfigurationError(f"workflow {self.kind!r}: on_deadline must be a mapping")
        for name, factory in hooks.items():
            if not isinstance(name, str) or not _KIND.match(name):
                raise ConfigurationError(
                    f"workflow {self.kind!r}: on_deadline keys are deadline names, got {name!r}"
                )
            if isinstance(factory, type):
                if factory not in commands:
                    raise ConfigurationError(
                        f"workflow {self.kind!r}: on_deadline[{name!r}] is not one of its commands"
                    )
            elif not callable(factory):
                raise ConfigurationError(
                    f"workflow {self.kind!r}: on_deadline[{name!r}] must be a command class "
                    "or a function of the deadline"
                )
        return MappingProxyType(dict(hooks))

    def deadline_command(self, deadline: Deadline) -> Command | None:
        """The command ``deadline`` triggers when it falls due, or ``None`` (report only).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.workflows import builtin_workflows
            >>> lock = {w.kind: w for w in builtin_workflows()}["account_lock"]
            >>> due = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> lock.deadline_command(Deadline(name="verification_expiry", due_at=due,
            ...                                source="policy"))
            ExpireVerification()
            >>> lock.deadline_command(Deadline(name="other", due_at=due, source="policy")) is None
            True

        Raises:
            InvalidInputError: ``deadline`` is not a ``Deadline``.
            ConfigurationError: the hook returned something that is not a command of this
                workflow.
        """
        if not isinstance(deadline, Deadline):
            raise InvalidInputError(f"expected a Deadline, got {type(deadline).__name__}")
        factory = self.on_deadline.get(deadline.name)
        if factory is None:
            return None
        command = factory() if isinstance(factory, type) else factory(deadline)
        if not isinstance(command, self.commands):
            raise ConfigurationError(
                f"workflow {self.kind!r}: on_deadline[{deadline.name!r}] returned "
                f"{type(command).__name__}, not one of its commands"
            )
        return command

    def _checkout(self, state: str) -> tuple[StateMachine, _MachineModel]:
        """A machine standing in ``state``: an idle one re-pointed, or a new one.

        Building a python-statemachine instance costs about as much as sending an event, so
        idle machines are reused: the configuration is read from the model's ``state``, so
        setting it is all a rebuild needs, and no initial entry action runs. A machine is
        used by one thread at a time (``deque.pop``/``append`` are atomic).
        """
        try:
            machine, model = self._pool.pop()
        except IndexError:
            model = _MachineModel(state)
            return self.machine(model), model
        model.state = state
        return machine, model

    def _checkin(self, machine: StateMachine, model: _MachineModel) -> None:
        """Return a machine after a successful step (one that failed is dropped).

        Entering a top-level final state stops python-statemachine's engine (the machine is
        then ``is_terminated``): it is restarted so the machine serves the next case instead
        of a new one being built; if that cannot be done, the machine is dropped.
        """
        if machine.is_terminated and not _restarted(machine):
            return
        self._pool.append((machine, model))

    @property
    def initial_state(self) -> str:
        """The state value a new case starts in."""
        return self._info.initial

    @property
    def states(self) -> tuple[str, ...]:
        """Every state value, in definition order."""
        return self._info.states

    @property
    def final_states(self) -> frozenset[str]:
        """The absorbing state values."""
        return self._info.final

    def events_in(self, state: str) -> frozenset[str]:
        """The events that have a transition out of ``state`` (guards not consulted).

        Examples:
            >>> from walletsupport.workflows import builtin_workflows
            >>> ticket = {w.kind: w for w in builtin_workflows()}["ticket"]
            >>> "reopen" in ticket.events_in("solved")
            True
        """
        if not isinstance(state, str):
            raise InvalidInputError(f"state must be a str, got {type(state).__name__}")
        return self._info.events_by_state.get(state, frozenset())

    def command_named(self, name: str) -> type[Command] | None:
        """The command class called ``name``, or ``None``.

        Examples:
            >>> from walletsupport.workflows import builtin_workflows
            >>> ticket = {w.kind: w for w in builtin_workflows()}["ticket"]
            >>> ticket.command_named("SolveTicket").event
            'solve'
        """
        for command in self.commands:
            if command.__name__ == name:
                return command
        return None
