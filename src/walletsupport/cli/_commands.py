"""The subcommands of ``walletsupport``. Each takes the parsed arguments and an output stream."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from zoneinfo import ZoneInfo

from walletsupport._assist import assist
from walletsupport._shown import shown
from walletsupport.cli._paths import default_db_path
from walletsupport.clock import FixedClock, SystemClock, ensure_aware
from walletsupport.contact import Directory, sample_directory
from walletsupport.errors import InvalidInputError, NeverClosesError, NeverOpenError
from walletsupport.issues import DetectedLanguage, IssueRegistry, default_registry, triage
from walletsupport.values import new_case_id, parse_region

if TYPE_CHECKING:  # the workflows (and python-statemachine) load only for the commands using them
    from walletsupport.workflows import AuditEntry, Workflow, WorkflowService

__all__ = [
    "assist_command",
    "case_apply_command",
    "case_due_command",
    "case_new_command",
    "case_show_command",
    "default_db_path",
    "demo_command",
    "diagram_command",
    "hours_command",
    "installed",
    "lines_command",
]


def _instant(text: str | None) -> datetime:
    if text is None:
        return SystemClock().now()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(
            f"--at {shown(text)} is not an ISO 8601 datetime (e.g. 2026-11-25T10:30:00+08:00)"
        ) from None
    return ensure_aware(parsed, "--at")


def _json_object(text: str, option: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"{option} is not valid JSON: {exc.msg}") from None
    if not isinstance(value, dict):
        raise InvalidInputError(f"{option} must be a JSON object")
    return value


def _directory(path: str | None) -> Directory:
    if path is None:
        return sample_directory()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInputError(
            f"cannot read directory file {shown(path)}: {exc.strerror}"
        ) from None
    return Directory.load(_json_object(text, "--directory"), registry=installed(workflows=False)[0])


def installed(*, workflows: bool = True) -> tuple[IssueRegistry, tuple[Workflow[Any, Any], ...]]:
    """The categories and workflows every command serves: built-ins plus installed ones.

    Installed distributions advertise categories in the ``walletsupport.issue_types``
    entry-point group and workflows in ``walletsupport.workflows``. With
    ``workflows=False`` the workflows are not loaded (an empty tuple), so commands that need
    none stay cheap.
    """
    registry = default_registry()
    registry.load_entry_points()
    if not workflows:
        return registry, ()
    from walletsupport.workflows import installed_workflows

    return registry, installed_workflows()


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


# --- assist, hours, lines, diagram --------------------------------------------------------


def assist_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport assist TEXT``."""
    at = _instant(args.at)
    region = args.region
    if region is None:
        language = triage(args.text).language
        region = "US" if language is DetectedLanguage.EN else "CN"
    answer = assist(
        args.text,
        region=region,
        at=at,
        locale=args.lang,
        directory=_directory(args.directory),
        registry=installed(workflows=False)[0],
    )
    if args.json:
        print(answer.model_dump_json(indent=2), file=out)
    else:
        print(answer.to_text(), file=out)
    return 0


def hours_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport hours LINE_ID``."""
    line = _directory(args.directory).get(args.line_id)
    schedule = line.schedule
    at = _instant(args.at).astimezone(ZoneInfo(schedule.zone))
    is_open = schedule.is_open(at)
    print(f"{line.id}: {line.name.en} / {line.name.zh}", file=out)
    print(f"zone: {schedule.zone}; at {_when(at)}: {'OPEN' if is_open else 'CLOSED'}", file=out)
    try:
        if is_open:
            print(f"closes: {_when(schedule.next_close(at))}", file=out)
        else:
            print(f"opens: {_when(schedule.next_open(at))}", file=out)
    except NeverClosesError:
        print("closes: never (open around the clock)", file=out)
    except NeverOpenError:
        print("opens: not within the schedule's horizon", file=out)
    return 0


def lines_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport lines``."""
    directory = _directory(args.directory)
    registry = installed(workflows=False)[0]
    region = parse_region(args.region) if args.region else None
    shown = 0
    for line in directory.lines:
        if region is not None and not line.serves(region):
            continue
        if args.category is not None and not line.handles(args.category, registry):
            continue
        number = line.number.format_international()
        hours = "24/7" if line.is_always_open else line.schedule.zone
        print(
            f"{line.id:<24} {number:<20} {','.join(line.regions):<12} {hours:<18} {line.name.en}",
            file=out,
        )
        shown += 1
    if shown == 0:
        print("no matching line", file=out)
    return 0


def diagram_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport diagram WORKFLOW``."""
    from walletsupport.workflows import render_mermaid

    workflows = {w.kind: w for w in installed()[1]}
    if args.workflow not in workflows:
        known = ", ".join(sorted(workflows))
        raise InvalidInputError(f"unknown workflow {shown(args.workflow)}; choose one of: {known}")
    print(render_mermaid(workflows[args.workflow]), file=out)
    return 0


# --- case --------------------------------------------------------------------------------


def _service(args: argparse.Namespace) -> WorkflowService:
    from walletsupport.adapters import SqliteStore
    from walletsupport.workflows import WorkflowService

    path = Path(args.db) if args.db else default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return WorkflowService(SqliteStore(path), SystemClock(), installed()[1])


def _print_case(service: WorkflowService, case_id: str, out: TextIO) -> None:
    snapshot = service.load(case_id)
    workflow = service.workflow(snapshot.kind)
    print(
        f"case {snapshot.id} ({snapshot.kind}) state={snapshot.state} version={snapshot.version}",
        file=out,
    )
    allowed = sorted(
        command.__name__
        for command in workflow.commands
        if command.event in workflow.events_in(snapshot.state)
    )
    print(f"commands: {', '.join(allowed) if allowed else '(none: final state)'}", file=out)


def case_new_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport case new KIND``."""
    service = _service(args)
    snapshot = service.open(
        args.kind,
        _json_object(args.data, "--data"),
        case_id=args.case_id or new_case_id(),
        actor=args.actor,
        idempotency_key=args.key,
    )
    _print_case(service, snapshot.id, out)
    return 0


def case_apply_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport case apply CASE_ID COMMAND``."""
    service = _service(args)
    workflow = service.workflow(service.load(args.case_id).kind)
    command_class = workflow.command_named(args.command_name)
    if command_class is None:
        names = ", ".join(c.__name__ for c in workflow.commands)
        raise InvalidInputError(
            f"{workflow.kind} has no command {shown(args.command_name)}; choose one of: {names}"
        )
    fields = args.args if args.args != "-" else sys.stdin.read()
    command = command_class.model_validate(_json_object(fields, "--args"))
    service.apply(
        args.case_id,
        command,
        idempotency_key=args.key or f"cli-{secrets.token_hex(8)}",
        actor=args.actor,
    )
    _print_case(service, args.case_id, out)
    return 0


def _whole_audit(service: WorkflowService, case_id: str) -> Iterator[AuditEntry]:
    """Every audit entry of the case, read from the store page by page."""
    after = 0
    while page := service.store.audit(case_id, after=after, limit=500):
        yield from page
        after = page[-1].version


def case_show_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport case show CASE_ID``."""
    service = _service(args)
    if args.json:
        case = service.load(args.case_id)
        whole = case.model_copy(update={"audit": tuple(_whole_audit(service, args.case_id))})
        print(whole.model_dump_json(indent=2), file=out)
        return 0
    _print_case(service, args.case_id, out)
    for entry in _whole_audit(service, args.case_id):
        print(
            f"  v{entry.version} {_when(entry.at)} {entry.actor}: {entry.event} "
            f"{entry.from_state or '-'} -> {entry.to_state}",
            file=out,
        )
    return 0


def case_due_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport case due CASE_ID``."""
    service = _service(args)
    at = _instant(args.at)
    deadlines = service.due(service.load(args.case_id), at)
    if not deadlines:
        print("no running deadline", file=out)
    for deadline in deadlines:
        flag = "OVERDUE " if deadline.is_overdue(at) else ""
        print(f"{flag}{deadline.name}: {_when(deadline.due_at)} ({deadline.source})", file=out)
    return 0


# --- demo --------------------------------------------------------------------------------


def demo_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport demo``: a scripted tour on a fixed instant."""
    from walletsupport.adapters import MemoryStore
    from walletsupport.workflows import WorkflowService
    from walletsupport.workflows.ticket import ReplyToCustomer, SolveTicket, StartWork

    at = datetime(2026, 11, 25, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    print(f"== walletsupport demo, at {_when(at)} ==\n", file=out)
    for text, region in (
        ("我的账户被锁定了", "CN"),
        ("someone took $200 from my wallet, I did not make this payment", "US"),
    ):
        print(f"$ walletsupport assist {text!r} --region {region}", file=out)
        print(assist(text, region=region, at=at).to_text(), file=out)
        print(file=out)
    print("$ walletsupport hours acme-us-main", file=out)
    hours_command(
        argparse.Namespace(line_id="acme-us-main", at=at.isoformat(), directory=None), out
    )
    print("\n-- a support ticket, in memory --", file=out)
    clock = FixedClock(at)
    service = WorkflowService(MemoryStore(), clock)
    case = service.open("ticket", {"subject": "locked account"}, case_id="T-1", actor="customer")
    print(f"opened {case.id}: {case.state}", file=out)
    for deadline in service.due(case, at):
        print(f"  due {deadline.name}: {_when(deadline.due_at)} ({deadline.source})", file=out)
    case = service.apply("T-1", StartWork(), idempotency_key="demo-1", actor="agent")
    clock.advance(timedelta(minutes=20))  # the clock is injected: a scheduler or a test moves it
    case = service.apply("T-1", ReplyToCustomer(), idempotency_key="demo-2", actor="agent")
    resolution = SolveTicket(resolution="identity verified, account unlocked")
    case = service.apply("T-1", resolution, idempotency_key="demo-3", actor="agent")
    print(
        f"{case.id} is now {case.state}, version {case.version}, {case.version} audit entries",
        file=out,
    )
    return 0
