"""Argument parsing and dispatch for the ``walletsupport`` command.

argparse (stdlib) is enough for six subcommands, so the CLI needs no extra dependency.
Errors a user can fix (bad region, naive ``--at``, unknown line or case) print one line on
stderr and exit with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any, TextIO

from walletsupport._version import __version__
from walletsupport.cli import _worker
from walletsupport.cli._paths import default_db_path
from walletsupport.errors import WalletSupportError


class _Deferred:
    """``_commands.NAME``: the commands module is imported when a command runs, not for
    ``--help`` (each command loads only what it uses)."""

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if not name.endswith("_command"):
            return getattr(_load(), name)  # type: ignore[no-any-return]

        def run(*args: Any, **kwargs: Any) -> Any:
            return getattr(_load(), name)(*args, **kwargs)

        return run


def _load() -> ModuleType:
    from walletsupport.cli import _commands as module

    return module


_commands = _Deferred()

__all__ = ["main"]

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors go through our one error path."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{self.prog}: {message}")


class _UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar."""
    parser = _Parser(
        prog="walletsupport",
        description="Customer-support answers for a digital wallet: what the issue is, who to "
        "call and when, how long the wait is, what to have ready, which deadlines run.",
    )
    parser.add_argument("--version", action="version", version=f"walletsupport {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("assist", help="answer one customer message (EN or ZH)")
    p.add_argument("text", help="what the customer said, e.g. '我的账户被锁定了'")
    p.add_argument("--region", help="caller's region, ISO 3166 (default: CN for Chinese, else US)")
    p.add_argument("--at", help="ISO 8601 instant with offset (default: now)")
    p.add_argument("--lang", choices=["en", "zh"], help="answer language (default: the message's)")
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.add_argument("--directory", help="JSON file with the support-line directory")
    p.set_defaults(run=_commands.assist_command)

    p = sub.add_parser("hours", help="is a line open, and when does it open or close")
    p.add_argument("line_id")
    p.add_argument("--at", help="ISO 8601 instant with offset (default: now)")
    p.add_argument("--directory", help="JSON file with the support-line directory")
    p.set_defaults(run=_commands.hours_command)

    p = sub.add_parser("lines", help="list support lines")
    p.add_argument("--region", help="only lines serving this region")
    p.add_argument("--category", help="only lines handling this issue category")
    p.add_argument("--directory", help="JSON file with the support-line directory")
    p.set_defaults(run=_commands.lines_command)

    p = sub.add_parser("diagram", help="draw a workflow's state machine")
    p.add_argument("workflow", help="e.g. ticket, account_lock, transaction_dispute")
    p.add_argument("--format", choices=["mermaid"], default="mermaid")
    p.set_defaults(run=_commands.diagram_command)

    case = sub.add_parser("case", help="run a workflow case against the embedded sqlite store")
    case.add_argument("--db", help=f"sqlite file (default: {default_db_path()})")
    case_sub = case.add_subparsers(dest="case_command", required=True, parser_class=_Parser)
    c = case_sub.add_parser("new", help="open a case")
    c.add_argument("kind", help="workflow kind, e.g. ticket")
    c.add_argument("--id", dest="case_id", help="case id (default: a new random id)")
    c.add_argument("--data", default="{}", help="case data as a JSON object")
    c.add_argument("--actor", default="cli")
    c.add_argument("--key", help="idempotency key")
    c.set_defaults(run=_commands.case_new_command)
    c = case_sub.add_parser("apply", help="apply a command to a case")
    c.add_argument("case_id")
    c.add_argument("command_name", help="command class name, e.g. SolveTicket")
    c.add_argument(
        "--args",
        default="{}",
        help="command fields as a JSON object, or '-' to read them from stdin (use '-' for "
        "codes, tokens and passwords: the command line is visible to other users and history)",
    )
    c.add_argument("--key", help="idempotency key (default: a new random key)")
    c.add_argument("--actor", default="cli")
    c.set_defaults(run=_commands.case_apply_command)
    c = case_sub.add_parser("show", help="show a case, its audit trail and allowed commands")
    c.add_argument("case_id")
    c.add_argument("--json", action="store_true")
    c.set_defaults(run=_commands.case_show_command)
    c = case_sub.add_parser("due", help="list a case's running deadlines")
    c.add_argument("case_id")
    c.add_argument("--at", help="ISO 8601 instant with offset (default: now)")
    c.set_defaults(run=_commands.case_due_command)

    p = sub.add_parser("demo", help="a short scripted tour")
    p.set_defaults(run=_commands.demo_command)

    _worker.register(sub)
    return parser


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input).

    Examples:
        >>> import io
        >>> out = io.StringIO()
        >>> main(["diagram", "ticket"], stdout=out)
        0
        >>> out.getvalue().splitlines()[0]
        'stateDiagram-v2'
        >>> err = io.StringIO()
        >>> main(["hours", "no-such-line"], stderr=err)
        2
        >>> err.getvalue().strip()
        "walletsupport: error: unknown support line 'no-such-line'"
    """
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    args_list = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
        status: int = args.run(args, out)
    except _UsageError as exc:
        print(str(exc), file=err)
        return EXIT_USAGE
    except WalletSupportError as exc:
        print(f"walletsupport: error: {exc}", file=err)
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    return status
