"""Argument parsing and dispatch for the ``walletsupport`` command.

argparse (stdlib) is enough for a handful of subcommands, so the CLI needs no extra dependency.
Errors a user can fix (bad region, naive ``--at``, unknown line or case) print one line on
stderr and exit with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from walletsupport._version import __version__
from walletsupport.cli import _triage, _worker
from walletsupport.cli._paths import SERVER_KEY_ENV, default_db_path
from walletsupport.cli._table import unknown_name
from walletsupport.errors import WalletSupportError


class _Deferred:
    """``_commands.NAME``: a command module is imported when one of its commands runs, not to
    build the parser (``--help`` stays cheap; each command loads only what it uses)."""

    def __init__(self, module: str) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            module = importlib.import_module(f"walletsupport.cli.{self._module}")
            return getattr(module, name)(*args, **kwargs)

        return run


_commands = _Deferred("_commands")
_verify = _Deferred("_verify")

__all__ = ["main"]

EXIT_USAGE = 2


_INVALID_CHOICE = re.compile(
    r"argument (?P<arg>[^:]+): invalid choice: '(?P<value>[^']*)' \(choose from (?P<choices>.*)\)"
)


class _Formatter(argparse.HelpFormatter):
    """Every command on one line: argparse sizes the help column without the extra indent
    of subcommands, so a name as long as ``categories`` would push its help to the next
    line. Reserve room for it."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=24)
        self._action_max_length = 16


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors go through our one error path, with hints."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        found = _INVALID_CHOICE.fullmatch(message)
        if found:
            choices = re.findall(r"'([^']*)'", found["choices"])
            argument = found["arg"]
            what = argument if argument.startswith("-") else "command"
            message = unknown_name(what, found["value"], choices)
        raise _UsageError(f"{self.prog}: error: {message}")


class _UsageError(Exception):
    pass


_AT_HELP = "ISO 8601 instant with offset, e.g. 2026-11-25T10:30:00+08:00 (default: now)"


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar."""
    parser = _Parser(
        prog="walletsupport",
        description="Customer-support answers for a digital wallet: what the issue is, who to "
        "call and when, how long the wait is, what to have ready, which deadlines run.",
        epilog="Run 'walletsupport COMMAND --help' for a command's options. "
        'Example: walletsupport assist "my account is locked" --region US',
    )
    parser.add_argument("--version", action="version", version=f"walletsupport {__version__}")
    sub = parser.add_subparsers(
        dest="command", title="commands", metavar="COMMAND", parser_class=_Parser
    )

    p = sub.add_parser("assist", help="answer one customer message (EN or ZH)")
    p.add_argument("text", help="what the customer said, e.g. '我的账户被锁定了'")
    p.add_argument("--region", help="caller's region, ISO 3166 (default: CN for Chinese, else US)")
    p.add_argument("--at", help=_AT_HELP)
    p.add_argument("--lang", choices=["en", "zh"], help="answer language (default: the message's)")
    p.add_argument(
        "--zone", help="caller's IANA time zone, e.g. Europe/Paris (default: from --at's offset)"
    )
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.add_argument("--directory", help="JSON file with the support-line directory")
    p.set_defaults(run=_commands.assist_command)

    p = sub.add_parser("categories", help="list the issue categories (built-in and plugged in)")
    p.add_argument("--lang", choices=["en", "zh"], default="en", help="language of the names")
    p.add_argument("--json", action="store_true", help="print the categories as JSON")
    p.set_defaults(run=_commands.categories_command)

    p = sub.add_parser("hours", help="is a line open, and when does it open or close")
    p.add_argument("line_id")
    p.add_argument("--at", help=_AT_HELP)
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.add_argument("--directory", help="JSON file with the support-line directory")
    p.set_defaults(run=_commands.hours_command)

    p = sub.add_parser("lines", help="list the support lines")
    p.add_argument("--region", help="only lines serving this region")
    p.add_argument("--category", help="only lines handling this issue category")
    p.add_argument("--json", action="store_true", help="print the lines as JSON")
    p.add_argument("--directory", help="JSON file with the support-line directory")
    p.set_defaults(run=_commands.lines_command)

    p = sub.add_parser("diagram", help="draw a workflow's state machine (mermaid)")
    p.add_argument("workflow", help="e.g. ticket, account_lock, transaction_dispute")
    p.add_argument("--format", choices=["mermaid"], default="mermaid")
    p.set_defaults(run=_commands.diagram_command)

    case = sub.add_parser("case", help="open and drive workflow cases (embedded sqlite store)")
    case.add_argument("--db", help=f"sqlite file (default: {default_db_path()})")
    case.add_argument(
        "--server-key-file",
        help="file holding the server key (16+ bytes) that hashes one-time codes and card "
        f"fingerprints (default: ${SERVER_KEY_ENV})",
    )
    case_sub = case.add_subparsers(
        dest="case_command", title="case commands", metavar="CASE_COMMAND", parser_class=_Parser
    )
    c = case_sub.add_parser("new", help="open a case")
    c.add_argument("kind", help="workflow kind, e.g. ticket")
    c.add_argument("--id", dest="case_id", help="case id (default: a new random id)")
    c.add_argument("--data", default="{}", help="case data as a JSON object ('-': from stdin)")
    c.add_argument(
        "--card",
        help='card_add only: \'-\' reads {"number", "expiry", "cvc"} from stdin; the case '
        "keeps brand, last four, mask and a keyed fingerprint, never the number or the CVC",
    )
    c.add_argument("--at", help=_AT_HELP)
    c.add_argument("--actor", default="cli")
    c.add_argument("--key", help="idempotency key")
    c.add_argument("--json", action="store_true", help="print the new snapshot as JSON")
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
    c.add_argument("--at", help=_AT_HELP)
    c.add_argument("--key", help="idempotency key (default: a new random key)")
    c.add_argument("--actor", default="cli")
    c.add_argument("--json", action="store_true", help="print the new snapshot as JSON")
    c.set_defaults(run=_commands.case_apply_command)
    c = case_sub.add_parser(
        "send-code", help="issue a one-time code (reset, card) and record its hash"
    )
    c.add_argument("case_id")
    c.add_argument("--deliver-to", required=True, help="file (created 0600) the code is written to")
    c.add_argument(
        "--channel", default="sms", help="password_reset: sms, email, app, or link (a token)"
    )
    c.add_argument("--at", help=_AT_HELP)
    c.add_argument("--key", help="idempotency key (default: a new random key)")
    c.add_argument("--actor", default="cli")
    c.add_argument("--json", action="store_true", help="print the new snapshot as JSON")
    c.set_defaults(run=_commands.case_send_code_command)
    c = case_sub.add_parser("show", help="show a case, its audit trail and allowed commands")
    c.add_argument("case_id")
    c.add_argument("--json", action="store_true", help="print the snapshot as JSON")
    c.set_defaults(run=_commands.case_show_command)
    c = case_sub.add_parser("due", help="list a case's running deadlines")
    c.add_argument("case_id")
    c.add_argument("--at", help=_AT_HELP)
    c.add_argument("--json", action="store_true", help="print the deadlines as JSON")
    c.set_defaults(run=_commands.case_due_command)
    verify = case_sub.add_parser(
        "verify", help="verify the caller with the library's checks, then unlock"
    )
    verify_sub = verify.add_subparsers(
        dest="verify_command", title="verify commands", metavar="STEP", parser_class=_Parser
    )
    v = verify_sub.add_parser("start", help="plan the checks and start a verification")
    v.add_argument("case_id")
    v.add_argument(
        "--factors",
        required=True,
        help="what the caller can present, e.g. otp_sms,security_question or "
        "otp_sms,biometric (password and otp_app need secrets the command line does not hold)",
    )
    v.add_argument("--risk", default="low", help="low, medium or high (default: low)")
    v.add_argument("--at", help=_AT_HELP)
    v.add_argument("--actor", default="cli")
    v.set_defaults(run=_verify.verify_start_command)
    v = verify_sub.add_parser("send-code", help="send the one-time code of the next step")
    v.add_argument("case_id")
    v.add_argument("--deliver-to", required=True, help="file (created 0600) for the code")
    v.add_argument("--at", help=_AT_HELP)
    v.set_defaults(run=_verify.verify_send_code_command)
    v = verify_sub.add_parser("check", help="check the next step; unlock when all passed")
    v.add_argument("case_id")
    v.add_argument("--code", help="'-': read the code the caller gave from stdin")
    result = v.add_mutually_exclusive_group()
    result.add_argument(
        "--passed",
        dest="result",
        action="store_const",
        const="passed",
        help="an external check (document, device, ...) passed",
    )
    result.add_argument(
        "--failed",
        dest="result",
        action="store_const",
        const="failed",
        help="an external check failed",
    )
    v.add_argument("--verifier", help="who or what ran an external check, e.g. agent:7")
    v.add_argument("--at", help=_AT_HELP)
    v.add_argument("--actor", default="cli")
    v.set_defaults(run=_verify.verify_check_command)
    verify.set_defaults(run=_help_of(verify))
    case.set_defaults(run=_help_of(case))

    _triage.add_parser(sub, _Parser)

    p = sub.add_parser("demo", help="a short scripted tour")
    p.set_defaults(run=_commands.demo_command)
    _worker.register(sub)
    parser.set_defaults(run=_help_of(parser))
    return parser


def _help_of(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace, TextIO], int]:
    """A command that prints ``parser``'s help (a bare group prints what it offers)."""

    def show_help(args: argparse.Namespace, out: TextIO) -> int:
        parser.print_help(out)
        return 0

    return show_help


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
        >>> err.getvalue().strip()  # doctest: +ELLIPSIS
        "walletsupport: error: unknown support line 'no-such-line'; valid: acme-us-fraud, ..."
    """
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    args_list = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    args = argparse.Namespace(closers=[])
    try:
        parser.parse_args(args_list, namespace=args)
        status: int = args.run(args, out)
    except _UsageError as exc:
        print(str(exc), file=err)
        return EXIT_USAGE
    except WalletSupportError as exc:
        print(f"walletsupport: error: {exc}", file=err)
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    except BrokenPipeError:  # the reader went away (``walletsupport lines | head``)
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        for close in args.closers:
            close()
    return status
