"""Drive a workflow through a real WorkflowService to reach states (used by the strategies).

A snapshot is never written by hand: the driver opens a case in a fresh ``MemoryStore`` under
a ``FixedClock``, then sends commands (and advances the clock) through
``WorkflowService.apply``. Refused commands change nothing and are simply skipped. When a
target state is asked for, each step prefers events that bring the case closer to it in the
machine's transition graph.

Commands are made by *makers*: by default a command is derived from its fields; the built-in
workflows whose commands carry one-time codes or verification sessions have hand-written
makers that issue real codes through the workflow's own policy and remember them, so the
driver can also send the right code.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st
from pydantic import BaseModel, SecretBytes, SecretStr

from walletsupport.adapters.memory import MemoryStore
from walletsupport.clock import FixedClock
from walletsupport.errors import WalletSupportError
from walletsupport.testing._models import Overrides, model_strategy
from walletsupport.workflows.definition import Command, Workflow
from walletsupport.workflows.service import WorkflowService
from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = [
    "DEFAULT_START",
    "Context",
    "Maker",
    "builtin_workflow",
    "distances_to",
    "drive",
    "initial_data_strategy",
    "is_builtin",
    "make_command",
    "reachable_states",
    "resolve_makers",
]

DEFAULT_START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
#: The key the kit gives built-in workflows that need one (account_lock, password_reset,
#: card_add).
TEST_KEY = b"walletsupport-testing-key-000000"
_ADVANCES = (
    timedelta(minutes=1),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=20),
    timedelta(days=8),
)


@dataclass
class Context:
    """What a maker sees: the workflow, the case so far, the time, and issued secrets."""

    workflow: Workflow[Any, Any]
    snapshot: CaseSnapshot | None
    at: datetime
    overrides: Overrides
    case_id: str = "case-1"
    secrets: dict[str, str] = field(default_factory=dict)


#: ``maker(draw, context)`` -> a command, or ``None`` when it cannot be made right now.
Maker = Callable[[st.DrawFn, Context], Command | None]


# --- the transition graph --------------------------------------------------------------------


def _edges(workflow: Workflow[Any, Any]) -> dict[str, dict[str, set[str]]]:
    edges: dict[str, dict[str, set[str]]] = {state: {} for state in workflow.states}
    sendable = {command.event for command in workflow.commands}
    for value, state in workflow.machine.states_map.items():
        for transition in state.transitions:
            target = transition.target
            target_value = str(target.value) if target is not None else str(value)
            for event in transition.events:
                if str(event) in sendable:
                    edges[str(value)].setdefault(str(event), set()).add(target_value)
    return edges


def reachable_states(workflow: Workflow[Any, Any]) -> frozenset[str]:
    """States reachable from the initial state by commands the workflow accepts."""
    edges = _edges(workflow)
    seen = {workflow.initial_state}
    queue = deque(seen)
    while queue:
        for targets in edges[queue.popleft()].values():
            for target in targets - seen:
                seen.add(target)
                queue.append(target)
    return frozenset(seen)


def distances_to(workflow: Workflow[Any, Any], target: str) -> dict[str, int]:
    """Fewest events from each state to ``target`` (states that cannot reach it are absent)."""
    backwards: dict[str, set[str]] = {}
    for source, by_event in _edges(workflow).items():
        for targets in by_event.values():
            for state in targets:
                backwards.setdefault(state, set()).add(source)
    distance = {target: 0}
    queue = deque([target])
    while queue:
        state = queue.popleft()
        for source in backwards.get(state, ()):
            if source not in distance:
                distance[source] = distance[state] + 1
                queue.append(source)
    return distance


# --- making commands ------------------------------------------------------------------------


def _rng(draw: st.DrawFn) -> Callable[[int], int]:
    return draw(st.randoms(use_true_random=False)).randrange


def _data(context: Context, model: type[BaseModel]) -> Any:
    if context.snapshot is None:
        return None
    return model.model_validate(context.snapshot.data)


def _secret_or_wrong(draw: st.DrawFn, context: Context, digest: str | None, wrong: str) -> str:
    known = context.secrets.get(digest) if digest is not None else None
    if known is not None and draw(st.integers(0, 3)) > 0:
        return known
    return wrong


def _account_lock_makers() -> dict[str, Maker]:
    from walletsupport.verification.plans import plan_verification
    from walletsupport.verification.session import VerificationSession
    from walletsupport.workflows.account_lock import AccountLockData, CompleteVerification

    def complete(draw: st.DrawFn, context: Context) -> Command | None:
        action = draw(st.sampled_from(["unlock_account", "unlock_account", "view_info"]))
        plan = plan_verification(action, "low", ["registered_device", "biometric"])
        started = context.at - draw(st.sampled_from([timedelta(0), timedelta(hours=2)]))
        data = _data(context, AccountLockData)
        account = data.account_id if data is not None else "unknown"
        session = VerificationSession.start(plan, started)
        try:
            for step in plan.steps:
                session = session.record_external(
                    TEST_KEY,
                    step.kind,
                    passed=draw(st.integers(0, 3)) > 0,
                    verifier="kit",
                    at=started,
                )
            evidence = session.seal(
                TEST_KEY, account_id=account, case_id=context.case_id, at=context.at
            )
        except WalletSupportError:
            return None
        return CompleteVerification(evidence=evidence)

    return {"CompleteVerification": complete}


def _password_reset_makers() -> dict[str, Maker]:
    from walletsupport.testing.strategies import _strong_password_texts
    from walletsupport.values import Password
    from walletsupport.workflows import password_reset as pr

    def policy(context: Context) -> pr.PasswordResetPolicy:
        chosen: pr.PasswordResetPolicy = context.workflow.policy
        return chosen

    def send(draw: st.DrawFn, context: Context) -> Command | None:
        channel = draw(st.sampled_from([pr.ResetChannel.SMS, pr.ResetChannel.EMAIL]))
        try:
            issued, command = policy(context).issue_code(
                context.case_id, context.at, channel=channel, rng=_rng(draw)
            )
        except WalletSupportError:
            return None
        context.secrets[command.otp.digest] = issued.reveal()
        return command

    def resend(draw: st.DrawFn, context: Context) -> Command | None:
        if context.snapshot is None:
            return None
        try:
            issued, command = policy(context).resend_code(
                context.snapshot, context.at, rng=_rng(draw)
            )
        except WalletSupportError:
            return None
        context.secrets[command.otp.digest] = issued.reveal()
        return command

    def issue_token(draw: st.DrawFn, context: Context) -> Command | None:
        try:
            data = _data(context, pr.PasswordResetData)
            account = data.account_ref if data is not None else None
            token, command = policy(context).issue_token(
                context.case_id, context.at, account_ref=account
            )
        except WalletSupportError:
            return None
        context.secrets[command.token.digest] = token.reveal()
        return command

    def submit_code(draw: st.DrawFn, context: Context) -> Command:
        data = _data(context, pr.PasswordResetData)
        digest = data.otp.digest if data is not None and data.otp is not None else None
        return pr.SubmitResetCode(
            code=SecretStr(_secret_or_wrong(draw, context, digest, "00000000"))
        )

    def submit_token(draw: st.DrawFn, context: Context) -> Command:
        data = _data(context, pr.PasswordResetData)
        digest = data.token.digest if data is not None and data.token is not None else None
        return pr.SubmitResetToken(
            token=SecretStr(_secret_or_wrong(draw, context, digest, "wrong-token"))
        )

    def complete(draw: st.DrawFn, context: Context) -> Command:
        text = draw(_strong_password_texts(policy(context).password))
        return pr.CompleteReset(new_password=Password.parse(text))

    return {
        "SendResetCode": send,
        "ResendResetCode": resend,
        "IssueResetToken": issue_token,
        "SubmitResetCode": submit_code,
        "SubmitResetToken": submit_token,
        "CompleteReset": complete,
    }


def _card_add_makers() -> dict[str, Maker]:
    from walletsupport.workflows import card_add as ca

    def start(draw: st.DrawFn, context: Context) -> Command | None:
        if draw(st.booleans()):
            return ca.StartCardVerification(method=ca.CardVerificationMethod.BANK)
        policy: ca.CardAddPolicy = context.workflow.policy
        try:
            issued, command = policy.issue_code(context.case_id, context.at, rng=_rng(draw))
        except WalletSupportError:
            return None
        if command.otp is not None:  # an SMS verification always carries its code
            context.secrets[command.otp.digest] = issued.reveal()
        return command

    def confirm(draw: st.DrawFn, context: Context) -> Command:
        data = _data(context, ca.CardAddData)
        digest = data.otp.digest if data is not None and data.otp is not None else None
        return ca.ConfirmCardCode(
            code=SecretStr(_secret_or_wrong(draw, context, digest, "00000000"))
        )

    return {"StartCardVerification": start, "ConfirmCardCode": confirm}


_BUILTIN_MAKERS: dict[str, Callable[[], dict[str, Maker]]] = {
    "account_lock": _account_lock_makers,
    "password_reset": _password_reset_makers,
    "card_add": _card_add_makers,
}


def is_builtin(workflow: Workflow[Any, Any]) -> bool:
    """Whether ``workflow`` runs one of the library's own machines."""
    return workflow.machine.__module__ == f"walletsupport.workflows.{workflow.kind}"


def resolve_makers(
    workflow: Workflow[Any, Any], makers: Mapping[str, Maker] | None
) -> dict[str, Maker]:
    """The built-in makers of a built-in workflow, overridden by ``makers``."""
    found: dict[str, Maker] = {}
    if is_builtin(workflow) and workflow.kind in _BUILTIN_MAKERS:
        found.update(_BUILTIN_MAKERS[workflow.kind]())
    found.update(makers or {})
    return found


def make_command(
    draw: st.DrawFn,
    context: Context,
    command: type[Command],
    makers: Mapping[str, Maker],
) -> Command | None:
    """One ``command``: from a maker when there is one, else derived from its fields."""
    maker = makers.get(command.__name__)
    if maker is not None:
        return maker(draw, context)
    return draw(model_strategy(command, overrides=context.overrides), label=command.__name__)


# --- initial data ---------------------------------------------------------------------------


def builtin_workflow(kind: str) -> Workflow[Any, Any]:
    """A built-in workflow, with a test key where its policy needs one."""
    from walletsupport.workflows import builtin_workflows

    if kind == "password_reset":
        from walletsupport.workflows.password_reset import (
            PasswordResetPolicy,
            password_reset_workflow,
        )

        return password_reset_workflow(policy=PasswordResetPolicy(key=SecretBytes(TEST_KEY)))
    if kind == "account_lock":
        from walletsupport.workflows.account_lock import AccountLockPolicy, account_lock_workflow

        return account_lock_workflow(policy=AccountLockPolicy(key=SecretBytes(TEST_KEY)))
    if kind == "card_add":
        from walletsupport.workflows.card_add import CardAddPolicy, card_add_workflow

        return card_add_workflow(policy=CardAddPolicy(key=SecretBytes(TEST_KEY)))
    for workflow in builtin_workflows():
        if workflow.kind == kind:
            return workflow
    raise LookupError(kind)


_SUBJECTS = st.sampled_from(
    ["card declined", "refund missing", "app crashes", "银行卡无法绑定", "locked out"]
)


def _builtin_data(kind: str, start: datetime) -> st.SearchStrategy[Any] | None:
    if kind == "ticket":
        return st.fixed_dictionaries({"subject": _SUBJECTS})
    if kind == "account_lock":
        return st.fixed_dictionaries(
            {"account_id": st.from_regex(r"acc-[0-9]{1,6}", fullmatch=True)}
        )
    if kind == "password_reset":
        return st.fixed_dictionaries({"account_ref": st.just("acct-1")})
    if kind == "card_add":
        from walletsupport.testing import strategies
        from walletsupport.workflows.card_add import card_add_data

        @st.composite
        def card(draw: st.DrawFn) -> Any:
            number = draw(strategies.card_numbers())
            later = start + timedelta(days=draw(st.integers(31, 3000)))
            expiry = f"{later.month:02d}/{later.year}"
            cvc = draw(strategies.cvcs(number.brand))
            return card_add_data(number, expiry, cvc, fingerprint_key=TEST_KEY)

        return card()
    if kind == "unauthorized_transaction":
        from walletsupport.regulation import UnauthorizedTransfer

        transfer = st.builds(
            UnauthorizedTransfer,
            at=st.integers(1, 50).map(lambda days: start - timedelta(days=days)),
            amount=st.integers(1, 5_000).map(Decimal),
        )
        return st.fixed_dictionaries(
            {"transfers": st.lists(transfer, min_size=1, max_size=3).map(tuple)},
            optional={"device_lost_or_stolen": st.booleans()},
        )
    if kind == "transaction_dispute":
        return st.fixed_dictionaries(
            {
                "amount": st.integers(1, 5_000).map(Decimal),
                "merchant": st.sampled_from(["Shoe Shop", "鞋店", "Acme Air"]),
            }
        )
    return None


def initial_data_strategy(
    workflow: Workflow[Any, Any], start: datetime, overrides: Overrides
) -> st.SearchStrategy[Any]:
    """Data to open a case with: hand-made for built-ins, else the data model's required fields."""
    builtin = _builtin_data(workflow.kind, start) if is_builtin(workflow) else None
    if builtin is not None:
        return builtin
    return model_strategy(workflow.data, overrides=overrides, required_only=True)


# --- the driver -----------------------------------------------------------------------------


def drive(
    draw: st.DrawFn,
    workflow: Workflow[Any, Any],
    *,
    data: st.SearchStrategy[Any],
    target: str | None,
    max_steps: int,
    start: datetime,
    overrides: Overrides,
    makers: Mapping[str, Maker],
    case_id: str = "case-1",
) -> CaseSnapshot:
    """Open a case and send commands until ``target`` is reached (or ``max_steps`` are spent)."""
    clock = FixedClock(start)
    service = WorkflowService(MemoryStore(), clock, [workflow])
    opened = data
    snapshot = service.open(workflow.kind, draw(opened, label="data"), case_id=case_id, actor="kit")
    distance = distances_to(workflow, target) if target is not None else {}
    edges = _edges(workflow)
    context = Context(workflow, snapshot, start, overrides, case_id=case_id)
    steps = max_steps if target is not None else draw(st.integers(0, max_steps), label="steps")
    for number in range(steps):
        if target is not None and snapshot.state == target:
            break
        if draw(st.integers(0, 4), label="advance") == 0:
            clock.advance(draw(st.sampled_from(_ADVANCES), label="by"))
        events = sorted(edges[snapshot.state])
        if not events:
            break
        if target is not None and draw(st.integers(0, 3), label="guided") > 0:
            here = distance.get(snapshot.state, 1 << 30)
            closer = [
                e
                for e in events
                if min(distance.get(t, 1 << 30) for t in edges[snapshot.state][e]) < here
            ]
            events = closer or events
        event = draw(st.sampled_from(events), label="event")
        classes = [c for c in workflow.commands if c.event == event]
        context.snapshot, context.at = snapshot, clock.now()
        command = make_command(draw, context, draw(st.sampled_from(classes)), makers)
        if command is None:
            continue
        try:
            snapshot = service.apply(case_id, command, idempotency_key=f"kit-{number}", actor="kit")
        except WalletSupportError:  # refused (not allowed, guard, bad input): nothing changed
            continue
    if target is not None and snapshot.state != target:
        reject()
    # the generated case carries its whole trail (stores load the newest entry only)
    return snapshot.model_copy(update={"audit": tuple(service.store.audit(case_id))})
