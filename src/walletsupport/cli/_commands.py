"""The subcommands of ``walletsupport``. Each takes the parsed arguments and an output stream."""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import hmac
import json
import os
import secrets
import sys
import textwrap
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from zoneinfo import ZoneInfo

from pydantic import BaseModel, TypeAdapter

from walletsupport._assist import assist
from walletsupport._shown import shown
from walletsupport.cli._paths import SERVER_KEY_ENV, default_db_path
from walletsupport.cli._table import TABLE_WIDTH, Section, pick, render_table
from walletsupport.clock import Clock, FixedClock, SystemClock, ensure_aware
from walletsupport.contact import Directory, SupportLine, sample_directory
from walletsupport.errors import InvalidInputError, NeverClosesError, NeverOpenError
from walletsupport.issues import DetectedLanguage, IssueCategory, IssueRegistry, triage
from walletsupport.issues.registry import default_registry
from walletsupport.regulation import Deadline
from walletsupport.values import new_case_id, parse_region

if TYPE_CHECKING:  # the workflows (and python-statemachine) load only for the commands using them
    from walletsupport.cli._views import CategoryView
    from walletsupport.workflows import AuditEntry, CaseSnapshot, Command, Workflow, WorkflowService

__all__ = [
    "SERVER_KEY_ENV",
    "assist_command",
    "case_apply_command",
    "case_due_command",
    "case_new_command",
    "case_send_code_command",
    "case_show_command",
    "categories_command",
    "default_db_path",
    "demo_command",
    "diagram_command",
    "hours_command",
    "installed",
    "lines_command",
]


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


# --- shared parsing ------------------------------------------------------------------------


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


def _clock(args: argparse.Namespace) -> Clock:
    """``--at`` as a fixed clock, or the system clock."""
    at: str | None = getattr(args, "at", None)
    return SystemClock() if at is None else FixedClock(_instant(at))


def _read(text: str) -> str:
    """``-`` reads the value from stdin (for secrets: the command line is visible to others)."""
    return sys.stdin.read() if text == "-" else text


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


def _served_regions(directory: Directory) -> list[str]:
    return sorted({region for line in directory.lines for region in line.regions})


def _region(text: str, directory: Directory) -> str:
    """A valid ISO region; the error names the regions the directory serves."""
    try:
        return parse_region(text)
    except InvalidInputError as exc:
        served = ", ".join(_served_regions(directory))
        raise InvalidInputError(f"{exc}; the directory serves: {served}") from None


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def _print_json(value: object, adapter: TypeAdapter[Any], out: TextIO) -> None:
    print(adapter.dump_json(value, indent=2).decode(), file=out)


# --- assist, categories, hours, lines, diagram --------------------------------------------


def assist_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport assist TEXT``."""
    at = _instant(args.at)
    directory = _directory(args.directory)
    region = args.region
    if region is None:
        language = triage(args.text).language
        region = "US" if language is DetectedLanguage.EN else "CN"
    answer = assist(
        args.text,
        region=_region(region, directory),
        at=at,
        locale=args.lang,
        directory=directory,
        registry=installed(workflows=False)[0],
        zone=args.zone,
    )
    if args.json:
        print(answer.model_dump_json(indent=2), file=out)
    else:
        print(answer.to_text(), file=out)
    return 0


def _category_view(category: IssueCategory, lang: str) -> CategoryView:
    from walletsupport.cli._views import CategoryView  # only the commands that print views

    return CategoryView(
        id=category.id,
        group=category.group.value,
        urgency=category.urgency.value,
        workflow=category.workflow,
        name=category.localized_name(lang),
        name_en=category.name_en,
        name_zh=category.name_zh,
        verification_action=category.verification_action.value,
        time_critical=category.time_critical,
    )


def categories_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport categories``: every registered issue category, by group."""
    registry, _ = installed(workflows=False)
    views = [_category_view(category, args.lang) for category in registry]
    if args.json:
        from walletsupport.cli._views import CategoryView

        _print_json(views, TypeAdapter(list[CategoryView]), out)
        return 0
    rows: list[Sequence[str] | Section] = []
    for group in dict.fromkeys(view.group for view in views):  # groups in order of appearance
        rows.append(Section(f"[{group}]"))
        rows.extend(
            [view.id, view.urgency, view.workflow, view.name]
            for view in views
            if view.group == group
        )
    headers = ["ID", "URGENCY", "WORKFLOW", "名称" if args.lang == "zh" else "NAME"]
    print(render_table(headers, rows, wrap=[3]), file=out)
    return 0


def _line(directory: Directory, line_id: str) -> SupportLine:
    pick("support line", line_id, [line.id for line in directory.lines])
    return directory.get(line_id)


def hours_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport hours LINE_ID``."""
    line = _line(_directory(args.directory), args.line_id)
    schedule = line.schedule
    at = _instant(args.at).astimezone(ZoneInfo(schedule.zone))
    is_open = schedule.is_open(at)
    opens_at = closes_at = None
    try:
        if is_open:
            closes_at = schedule.next_close(at)
        else:
            opens_at = schedule.next_open(at)
    except (NeverClosesError, NeverOpenError):
        pass
    if args.json:
        from walletsupport.cli._views import HoursView

        view = HoursView(
            line_id=line.id,
            name_en=line.name.en,
            name_zh=line.name.zh,
            zone=schedule.zone,
            at=at,
            open=is_open,
            opens_at=opens_at,
            closes_at=closes_at,
        )
        print(view.model_dump_json(indent=2), file=out)
        return 0
    print(f"{line.id}: {line.name.en} / {line.name.zh}", file=out)
    print(f"zone: {schedule.zone}; at {_when(at)}: {'OPEN' if is_open else 'CLOSED'}", file=out)
    if is_open:
        print(
            f"closes: {_when(closes_at) if closes_at else 'never (open around the clock)'}",
            file=out,
        )
    else:
        print(
            f"opens: {_when(opens_at) if opens_at else 'not within the schedule horizon'}", file=out
        )
    return 0


def lines_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport lines``."""
    directory = _directory(args.directory)
    registry, _ = installed(workflows=False)
    region = _region(args.region, directory) if args.region else None
    if region is not None and region not in _served_regions(directory):
        served = ", ".join(_served_regions(directory))
        raise InvalidInputError(f"no line serves region {region!r}; the directory serves: {served}")
    wanted: list[IssueCategory] = list(registry)
    if args.category is not None:  # a category id, or a group of them
        groups = sorted({category.group.value for category in registry})
        name = pick("issue category or group", args.category, [*registry.ids(), *groups])
        wanted = [c for c in registry if name in (c.id, c.group.value)]
    matching = [
        line
        for line in directory.lines
        if (region is None or line.serves(region))
        and (args.category is None or any(line.handles(c, registry) for c in wanted))
    ]
    if args.json:
        _print_json(matching, TypeAdapter(list[SupportLine]), out)
        return 0
    if not matching:
        print("no matching line", file=out)
        return 0
    rows = [
        [
            line.id,
            line.number.format_international(),
            ", ".join(line.regions),
            "24/7" if line.is_always_open else line.schedule.zone,
            line.name.en,
        ]
        for line in matching
    ]
    print(render_table(["ID", "NUMBER", "REGIONS", "HOURS", "NAME"], rows, wrap=[2, 4]), file=out)
    return 0


def diagram_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport diagram WORKFLOW``."""
    _, workflows = installed()
    by_kind = {w.kind: w for w in workflows}
    from walletsupport.workflows import render_mermaid

    print(render_mermaid(by_kind[pick("workflow", args.workflow, list(by_kind))]), file=out)
    return 0


# --- case --------------------------------------------------------------------------------


def _server_key(args: argparse.Namespace) -> bytes | None:
    path = args.server_key_file or os.environ.get(SERVER_KEY_ENV)
    if not path:
        return None
    try:
        key = Path(path).read_bytes().strip()
    except OSError as exc:
        raise InvalidInputError(
            f"cannot read the server key file {shown(path)}: {exc.strerror}"
        ) from None
    if len(key) < 16:
        raise InvalidInputError(f"the server key file {shown(path)} must hold at least 16 bytes")
    return key


def _keyed(workflow: Workflow[Any, Any], key: bytes | None) -> Workflow[Any, Any]:
    """``workflow`` with the server key in its policy, when its policy takes one."""
    policy = workflow.policy
    if key is None or not isinstance(policy, BaseModel) or "key" not in type(policy).model_fields:
        return workflow
    fields = {name: getattr(policy, name) for name in type(policy).model_fields}
    return dataclasses.replace(workflow, policy=type(policy)(**{**fields, "key": key}))


def _service(args: argparse.Namespace, *, create: bool) -> WorkflowService:
    """The sqlite-backed service; a read-only command never creates the file or its folder."""
    from walletsupport.adapters import SqliteStore

    path = Path(args.db) if args.db else default_db_path()
    if not create and not path.is_file():
        raise InvalidInputError(
            f"no case database at {path} (nothing was created; 'case new' creates it)"
        )
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    _, workflows = installed()
    key = _server_key(args)
    clock = _clock(args)
    store = SqliteStore(path)
    # main() closes the store when the command ends: a clean close folds the write-ahead log
    # back into the file, so the next (read-only) command finds it as it was left.
    args.closers = [*getattr(args, "closers", []), store.close]
    from walletsupport.workflows import WorkflowService

    return WorkflowService(store, clock, [_keyed(w, key) for w in workflows])


def _kind(service: WorkflowService, kind: str) -> str:
    return pick("workflow", kind, service.kinds)


def _print_case(service: WorkflowService, snapshot: CaseSnapshot, out: TextIO) -> None:
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
    listed = ", ".join(allowed) if allowed else "(none: final state)"
    print(textwrap.fill(f"commands: {listed}", TABLE_WIDTH, subsequent_indent="  "), file=out)


def _show(
    service: WorkflowService, snapshot: CaseSnapshot, args: argparse.Namespace, out: TextIO
) -> int:
    if getattr(args, "json", False):
        print(snapshot.model_dump_json(indent=2), file=out)
    else:
        _print_case(service, snapshot, out)
    return 0


def _card_data(text: str, key: bytes | None) -> dict[str, Any]:
    """What a card_add case stores, from the card the customer typed (read from stdin)."""
    from walletsupport.workflows.card_add import card_add_data

    if key is None:
        raise InvalidInputError(
            f"--card needs the server key (its fingerprint is keyed): pass --server-key-file "
            f"or set {SERVER_KEY_ENV}"
        )
    card = _json_object(_read(text), "--card")
    missing = sorted({"number", "expiry", "cvc"} - set(card))
    if missing:
        raise InvalidInputError(
            f"--card needs number, expiry and cvc; missing: {', '.join(missing)}"
        )
    fingerprint_key = hmac.new(key, b"walletsupport card fingerprint", hashlib.sha256).digest()
    data = card_add_data(
        str(card["number"]), str(card["expiry"]), str(card["cvc"]), fingerprint_key=fingerprint_key
    )
    return data.model_dump(mode="json")


def case_new_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport case new KIND``."""
    service = _service(args, create=True)
    kind = _kind(service, args.kind)
    if args.card is not None:
        if kind != "card_add":
            raise InvalidInputError("--card is for card_add cases")
        data = {**_card_data(args.card, _server_key(args)), **_json_object(args.data, "--data")}
    else:
        data = _json_object(_read(args.data), "--data")
    snapshot = service.open(
        kind,
        data,
        case_id=args.case_id or new_case_id(),
        actor=args.actor,
        idempotency_key=args.key,
    )
    return _show(service, snapshot, args, out)


def case_apply_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport case apply CASE_ID COMMAND``."""
    service = _service(args, create=False)
    workflow = service.workflow(service.load(args.case_id).kind)
    names = [c.__name__ for c in workflow.commands]
    command_class = workflow.command_named(
        pick(f"{workflow.kind} command", args.command_name, names)
    )
    if command_class is None:  # pragma: no cover - pick checked the name
        raise InvalidInputError(f"{workflow.kind} has no command {args.command_name!r}")
    command = command_class.model_validate(_json_object(_read(args.args), "--args"))
    snapshot = service.apply(
        args.case_id,
        command,
        idempotency_key=args.key or f"cli-{secrets.token_hex(8)}",
        actor=args.actor,
    )
    return _show(service, snapshot, args, out)


def _deliver(path: str, secret: str) -> None:
    """Write a code for delivery to a new file only its owner can read."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise InvalidInputError(f"cannot write {shown(path)}: {exc.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret + "\n")


def case_send_code_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport case send-code CASE_ID``: issue a one-time code (or reset link token).

    The library issues the code and keeps only its keyed hash in the case; the code itself is
    written to ``--deliver-to`` (mode 0600) for the channel that delivers it, never printed.
    """
    from walletsupport.workflows.card_add import CardAddPolicy
    from walletsupport.workflows.password_reset import (
        PasswordResetPolicy,
        PasswordResetState,
        ResetChannel,
    )

    service = _service(args, create=False)
    snapshot = service.load(args.case_id)
    policy = service.workflow(snapshot.kind).policy
    at = _clock(args).now()
    command: Command
    if isinstance(policy, PasswordResetPolicy):
        channel = ResetChannel(pick("channel", args.channel, [c.value for c in ResetChannel]))
        if channel is ResetChannel.LINK:
            account_ref = snapshot.data.get("account_ref")
            token, command = policy.issue_token(
                snapshot.id, at, account_ref=account_ref if isinstance(account_ref, str) else None
            )
            secret = token.reveal()
        elif snapshot.state == PasswordResetState.CODE_SENT:
            code, command = policy.resend_code(snapshot, at)
            secret = code.reveal()
        else:
            code, command = policy.issue_code(snapshot.id, at, channel=channel)
            secret = code.reveal()
    elif isinstance(policy, CardAddPolicy):
        code, command = policy.issue_code(snapshot.id, at)
        secret = code.reveal()
    else:
        raise InvalidInputError(
            f"send-code works on password_reset and card_add cases, not {snapshot.kind!r}"
        )
    new = service.apply(
        snapshot.id,
        command,
        idempotency_key=args.key or f"cli-{secrets.token_hex(8)}",
        actor=args.actor,
    )
    _deliver(args.deliver_to, secret)
    print(
        f"code written to {args.deliver_to} for delivery (the case keeps only its hash)", file=out
    )
    return _show(service, new, args, out)


def _whole_audit(service: WorkflowService, case_id: str) -> Iterator[AuditEntry]:
    """Every audit entry of the case, read from the store page by page."""
    after = 0
    while page := service.store.audit(case_id, after=after, limit=500):
        yield from page
        after = page[-1].version


def case_show_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport case show CASE_ID``: the case and its whole audit trail."""
    service = _service(args, create=False)
    snapshot = service.load(args.case_id)
    if args.json:
        whole = snapshot.model_copy(update={"audit": tuple(_whole_audit(service, args.case_id))})
        print(whole.model_dump_json(indent=2), file=out)
        return 0
    _print_case(service, snapshot, out)
    rows = [
        [
            f"v{entry.version}",
            _when(entry.at),
            entry.actor,
            entry.event,
            f"{entry.from_state or '-'} -> {entry.to_state}",
        ]
        for entry in _whole_audit(service, args.case_id)
    ]
    print(render_table(["VER", "AT", "ACTOR", "EVENT", "TRANSITION"], rows, wrap=[2, 4]), file=out)
    return 0


def case_due_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport case due CASE_ID``."""
    service = _service(args, create=False)
    at = _instant(args.at)
    deadlines = service.due(service.load(args.case_id), at)
    if args.json:
        _print_json(list(deadlines), TypeAdapter(list[Deadline]), out)
        return 0
    if not deadlines:
        print("no running deadline", file=out)
        return 0
    rows = [
        [
            deadline.name,
            _when(deadline.due_at),
            "OVERDUE" if deadline.is_overdue(at) else "",
            deadline.source,
        ]
        for deadline in deadlines
    ]
    print(render_table(["DEADLINE", "DUE", "", "SOURCE"], rows, wrap=[3]), file=out)
    return 0


# --- demo --------------------------------------------------------------------------------


def demo_command(args: argparse.Namespace, out: TextIO) -> int:
    """``walletsupport demo``: a scripted tour on a fixed instant."""
    from walletsupport.adapters import MemoryStore
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
        argparse.Namespace(line_id="acme-us-main", at=at.isoformat(), directory=None, json=False),
        out,
    )
    print("\n-- a support ticket, in memory --", file=out)
    clock = FixedClock(at)
    from walletsupport.workflows import WorkflowService

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
