"""``walletsupport case verify``: verify a caller with the library's own checks, then unlock.

A verification runs over several invocations (send a code, the caller reads it back, an
agent attests a document), so the command line keeps the
[VerificationSession][walletsupport.verification.VerificationSession] between them, as the
session's own JSON, in a folder next to the case database (``<db>.sessions/``, mode 0700,
files 0600). Nothing in it is secret: the session and the code's state are sealed by an HMAC
with the server key, so an edited or hand-built file is refused at the next check
(``InvalidEvidenceError``). When every step passed the session is sealed into
[SealedEvidence][walletsupport.verification.SealedEvidence] bound to the account and the case,
and ``CompleteVerification(evidence=...)`` is applied; a failed session applies
``FailVerification``. A session or evidence is never read from the caller.

Steps the command line runs itself: one-time codes (``otp_sms``, ``otp_email``: issued here,
written to ``--deliver-to`` for delivery, checked with ``--code -``). Steps only the
integrator's systems can check (``registered_device``, ``biometric``, ``id_document``,
``selfie_match``, ``security_question``, ``recent_transactions``) are recorded with
``--passed`` or ``--failed`` and ``--verifier`` naming who or what checked them. A password
or an authenticator code needs the customer's stored secret, which the command line does not
hold: plan without them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any, TextIO

from walletsupport.cli._commands import _clock, _deliver, _server_key, _service, default_db_path
from walletsupport.cli._table import pick, render_table
from walletsupport.errors import InvalidInputError
from walletsupport.verification import (
    FactorKind,
    OtpPolicy,
    OtpState,
    Risk,
    SessionStatus,
    VerificationSession,
    issue_code,
    plan_verification,
)
from walletsupport.workflows import CaseSnapshot, Command, WorkflowService

__all__ = ["verify_check_command", "verify_send_code_command", "verify_start_command"]

#: Workflows a verification completes: kind -> (verification action, event that starts the
#: verification, command applied with the evidence, command applied when it fails).
VERIFIED_WORKFLOWS = {
    "account_lock": (
        "unlock_account",
        "begin_verification",
        "CompleteVerification",
        "FailVerification",
    ),
}
_CODE_STEPS = (FactorKind.OTP_SMS, FactorKind.OTP_EMAIL)
_HELD_SECRETS = (FactorKind.PASSWORD, FactorKind.OTP_APP)


def _key(args: argparse.Namespace) -> bytes:
    key = _server_key(args)
    if key is None:
        raise InvalidInputError(
            "verification needs the server key: pass --server-key-file or set "
            "WALLETSUPPORT_SERVER_KEY_FILE"
        )
    return key


def _session_file(args: argparse.Namespace, case_id: str) -> Path:
    db = Path(args.db) if args.db else default_db_path()
    name = hashlib.sha256(case_id.encode()).hexdigest()[:32]
    return db.with_name(db.name + ".sessions") / f"{name}.json"


def _save(path: Path, session: VerificationSession, code: OtpState | None) -> None:
    path.parent.mkdir(mode=0o700, exist_ok=True)
    document = {
        "session": session.model_dump(mode="json"),
        "code": None if code is None else code.model_dump(mode="json"),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(document, handle)


def _load(path: Path, case_id: str) -> tuple[VerificationSession, OtpState | None]:
    try:
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInputError(
            f"no verification is running for case {case_id!r}: run 'case verify start' first"
        ) from None
    except (OSError, ValueError):
        raise InvalidInputError(f"the verification of case {case_id!r} is unreadable") from None
    session = VerificationSession.model_validate(document.get("session"))
    raw = document.get("code")
    return session, None if raw is None else OtpState.model_validate(raw)


def _verified_case(service: WorkflowService, case_id: str) -> tuple[CaseSnapshot, tuple[str, ...]]:
    snapshot = service.load(case_id)
    pick("workflow a verification completes", snapshot.kind, list(VERIFIED_WORKFLOWS))
    return snapshot, VERIFIED_WORKFLOWS[snapshot.kind]


def _apply(
    service: WorkflowService, snapshot: CaseSnapshot, command: Command, args: argparse.Namespace
) -> CaseSnapshot:
    return service.apply(
        snapshot.id, command, idempotency_key=f"cli-{secrets.token_hex(8)}", actor=args.actor
    )


def _report(session: VerificationSession, args: argparse.Namespace, out: TextIO) -> None:
    at = _clock(args).now()
    rows = [
        [str(n), step.kind.value, step.description] for n, step in enumerate(session.plan.steps, 1)
    ]
    print(render_table(["#", "STEP", "WHAT"], rows, wrap=[2]), file=out)
    step = session.next_step
    print(
        f"session: {session.status(at).value}; next: {step.kind.value if step else '-'}", file=out
    )


def verify_start_command(args: argparse.Namespace, out: TextIO) -> int:
    """``case verify start CASE_ID --factors ...``: plan and start a verification."""
    key = _key(args)
    service = _service(args, create=False)
    snapshot, (action, begin, _, _) = _verified_case(service, args.case_id)
    workflow = service.workflow(snapshot.kind)
    if begin in workflow.events_in(snapshot.state):
        begin_command = next(c for c in workflow.commands if c.event == begin)
        snapshot = _apply(service, snapshot, begin_command(), args)
    factors = [name.strip() for name in args.factors.split(",") if name.strip()]
    for name in factors:
        pick("factor", name, [kind.value for kind in FactorKind])
    risk = pick("risk", args.risk, [r.value for r in Risk])
    plan = plan_verification(action, risk, factors)
    if not plan.steps:
        raise InvalidInputError(
            f"these factors cannot verify {action} at {risk} risk: {'; '.join(plan.missing)}"
        )
    held = [step.kind.value for step in plan.steps if step.kind in _HELD_SECRETS]
    if held:
        raise InvalidInputError(
            f"the plan needs {', '.join(held)}, checked against the customer's stored secret, "
            "which the command line does not hold: choose other factors"
        )
    at = _clock(args).now()
    session = VerificationSession.start(plan, max(at, snapshot.updated_at))
    session.is_genuine(key)  # the key is valid (check_key raises otherwise)
    _save(_session_file(args, snapshot.id), session, None)
    print(f"verification of case {snapshot.id} started ({action}, {risk} risk)", file=out)
    _report(session, args, out)
    return 0


def verify_send_code_command(args: argparse.Namespace, out: TextIO) -> int:
    """``case verify send-code CASE_ID --deliver-to FILE``: issue the code of the next step."""
    key = _key(args)
    service = _service(args, create=False)
    snapshot, _ = _verified_case(service, args.case_id)
    path = _session_file(args, snapshot.id)
    session, _ = _load(path, snapshot.id)
    step = session.next_step
    if step is None or step.kind not in _CODE_STEPS:
        raise InvalidInputError(
            f"the next step is {step.kind.value if step else 'none'}, not a one-time code"
        )
    issued, state = issue_code(OtpPolicy(), key, _clock(args).now(), purpose=_purpose(snapshot))
    _save(path, session, state)
    _deliver(args.deliver_to, issued.reveal())
    print(f"{step.kind.value} code written to {args.deliver_to} for delivery", file=out)
    return 0


def _purpose(snapshot: CaseSnapshot) -> str:
    return f"verify:{snapshot.kind}:{snapshot.id}"


def verify_check_command(args: argparse.Namespace, out: TextIO) -> int:
    """``case verify check CASE_ID``: run the next step's check; unlock when all passed."""
    key = _key(args)
    service = _service(args, create=False)
    snapshot, (_, _, complete, fail) = _verified_case(service, args.case_id)
    path = _session_file(args, snapshot.id)
    session, code = _load(path, snapshot.id)
    step = session.next_step
    at = max(_clock(args).now(), session.last_activity_at)
    if session.status(at) in (SessionStatus.EXPIRED, SessionStatus.FAILED):
        path.unlink(missing_ok=True)
        raise InvalidInputError(
            f"the verification is {session.status(at).value}: run 'case verify start' again"
        )
    if step is None:
        raise InvalidInputError("the verification has no step left to check")
    if step.kind in _CODE_STEPS:
        if args.code is None:
            raise InvalidInputError(f"{step.kind.value} is checked with --code - (from stdin)")
        if code is None:
            raise InvalidInputError("no code was sent for this step: run 'case verify send-code'")
        presented = (sys.stdin.read() if args.code == "-" else args.code).strip()
        session, check = session.check_code(
            key, step.kind, code, presented, at=at, purpose=_purpose(snapshot)
        )
        code = check.state
        print(f"{step.kind.value}: {check.outcome.value}", file=out)
    else:
        if args.result is None or not args.verifier:
            raise InvalidInputError(
                f"{step.kind.value} is checked outside the library: record it with "
                "--passed or --failed and --verifier NAME"
            )
        session = session.record_external(
            key, step.kind, passed=args.result == "passed", verifier=args.verifier, at=at
        )
        print(f"{step.kind.value}: {args.result} (by {args.verifier})", file=out)
    workflow = service.workflow(snapshot.kind)
    status = session.status(at)
    if status is SessionStatus.SATISFIED:
        account = snapshot.data.get("account_id")
        evidence = session.seal(key, account_id=str(account), case_id=snapshot.id, at=at)
        command_class = workflow.command_named(complete)
        if command_class is None:  # pragma: no cover - the table above names real commands
            raise InvalidInputError(f"{snapshot.kind} has no {complete}")
        snapshot = _apply(
            service, snapshot, command_class.model_validate({"evidence": evidence}), args
        )
        path.unlink(missing_ok=True)
    elif status in (SessionStatus.FAILED, SessionStatus.EXPIRED):
        fail_class = workflow.command_named(fail)
        if fail_class is not None and fail_class.event in workflow.events_in(snapshot.state):
            snapshot = _apply(service, snapshot, fail_class(), args)
        path.unlink(missing_ok=True)
    else:
        _save(path, session, code)
        _report(session, args, out)
    print(
        f"case {snapshot.id} ({snapshot.kind}) state={snapshot.state} version={snapshot.version}",
        file=out,
    )
    return 0
