"""Every built-in workflow can be driven to a final state from the command line alone.

Codes and tokens come from the library (``case send-code`` writes them to a 0600 file for
delivery, the case keeps only their hash); secrets are passed on stdin, never as arguments.
"""

from __future__ import annotations

import io
import json
import stat
import sys
from pathlib import Path

import pytest

from walletsupport.cli import main
from walletsupport.workflows import CaseSnapshot, builtin_workflows

AT = "2026-03-02T10:00:00-05:00"
LATER = "2026-03-02T10:01:00-05:00"
FINAL = {w.kind: set(w.final_states) for w in builtin_workflows()}


class Cli:
    def __init__(self, tmp_path: Path) -> None:
        self.db = str(tmp_path / "cases.sqlite3")
        self.key = tmp_path / "server.key"
        self.key.write_bytes(b"k" * 32)
        self.tmp = tmp_path

    def __call__(self, *args: str, stdin: str | None = None) -> str:
        out, err = io.StringIO(), io.StringIO()
        old = sys.stdin
        sys.stdin = io.StringIO(stdin or "")
        try:
            status = main(
                ["case", "--db", self.db, "--server-key-file", str(self.key), *args],
                stdout=out,
                stderr=err,
            )
        finally:
            sys.stdin = old
        assert status == 0, err.getvalue()
        return out.getvalue()

    def state(self, case_id: str) -> str:
        return CaseSnapshot.model_validate_json(self("show", case_id, "--json")).state

    def code(self, case_id: str, *extra: str) -> str:
        path = self.tmp / f"{case_id}-{len(list(self.tmp.iterdir()))}.code"
        shown = self("send-code", case_id, "--deliver-to", str(path), "--at", AT, *extra)
        secret = path.read_text().strip()
        assert secret not in shown
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert secret not in Path(self.db).read_bytes().decode("latin-1")
        return secret


def test_every_builtin_workflow_has_a_drive_below():
    assert set(FINAL) == set(DRIVES) | {"account_lock"}  # account_lock: test_cli_verify.py


def drive_ticket(cli: Cli) -> str:
    cli("new", "ticket", "--id", "T-1", "--data", '{"subject": "card declined"}', "--at", AT)
    cli("apply", "T-1", "StartWork", "--at", AT)
    cli("apply", "T-1", "SolveTicket", "--args", '{"resolution": "re-enabled"}', "--at", AT)
    cli("apply", "T-1", "CloseTicket", "--at", LATER)
    return "T-1"


def drive_password_reset(cli: Cli) -> str:
    cli("new", "password_reset", "--id", "R-1", "--data", '{"account_ref": "acct-1"}', "--at", AT)
    code = cli.code("R-1")
    cli(
        "apply",
        "R-1",
        "SubmitResetCode",
        "--args",
        "-",
        "--at",
        AT,
        stdin=json.dumps({"code": code}),
    )
    assert cli.state("R-1") == "verified"
    password = json.dumps({"new_password": "correct horse battery staple"})
    cli("apply", "R-1", "CompleteReset", "--args", "-", "--at", AT, stdin=password)
    assert "correct horse" not in Path(cli.db).read_bytes().decode("latin-1")
    return "R-1"


def drive_password_reset_by_link(cli: Cli) -> str:
    cli("new", "password_reset", "--id", "R-2", "--at", AT)
    token = cli.code("R-2", "--channel", "link")
    cli(
        "apply",
        "R-2",
        "SubmitResetToken",
        "--args",
        "-",
        "--at",
        AT,
        stdin=json.dumps({"token": token}),
    )
    password = json.dumps({"new_password": "another long pass phrase"})
    cli("apply", "R-2", "CompleteReset", "--args", "-", "--at", AT, stdin=password)
    return "R-2"


def drive_card_add(cli: Cli) -> str:
    card = json.dumps({"number": "4242424242424242", "expiry": "09/30", "cvc": "123"})
    cli("new", "card_add", "--id", "C-1", "--card", "-", "--at", AT, stdin=card)
    stored = Path(cli.db).read_bytes().decode("latin-1")
    assert "4242424242424242" not in stored
    code = cli.code("C-1")
    cli(
        "apply",
        "C-1",
        "ConfirmCardCode",
        "--args",
        "-",
        "--at",
        AT,
        stdin=json.dumps({"code": code}),
    )
    return "C-1"


def drive_card_add_by_bank(cli: Cli) -> str:
    card = json.dumps({"number": "5555555555554444", "expiry": "12/29", "cvc": "321"})
    cli("new", "card_add", "--id", "C-2", "--card", "-", "--at", AT, stdin=card)
    cli("apply", "C-2", "StartCardVerification", "--args", '{"method": "bank"}', "--at", AT)
    decision = '{"approved": true, "reference": "BANK-1"}'
    cli("apply", "C-2", "RecordBankDecision", "--args", decision, "--at", AT)
    return "C-2"


def drive_unauthorized_transaction(cli: Cli) -> str:
    data = json.dumps({"transfers": [{"at": "2026-03-01T10:00:00-05:00", "amount": "200"}]})
    cli("new", "unauthorized_transaction", "--id", "U-1", "--data", data, "--at", AT)
    secure = '{"card_frozen": true, "password_change_advised": true}'
    cli("apply", "U-1", "SecureAccount", "--args", secure, "--at", AT)
    cli("apply", "U-1", "StartInvestigation", "--at", AT)
    cli("apply", "U-1", "ResolveInFavour", "--at", AT)
    cli("apply", "U-1", "CorrectError", "--at", AT)
    cli("apply", "U-1", "ReportResults", "--at", AT)
    cli("apply", "U-1", "CloseCase", "--at", LATER)
    return "U-1"


def drive_transaction_dispute(cli: Cli) -> str:
    cli(
        "new",
        "transaction_dispute",
        "--id",
        "D-1",
        "--data",
        '{"amount": "20", "merchant": "Shop"}',
        "--at",
        AT,
    )
    cli("apply", "D-1", "ContactMerchant", "--at", AT)
    cli("apply", "D-1", "RecordMerchantResponse", "--args", '{"accepted": true}', "--at", AT)
    resolve = '{"outcome": "refund", "refund_amount": "20", "reason": "merchant accepted"}'
    cli("apply", "D-1", "ResolveDispute", "--args", resolve, "--at", AT)
    return "D-1"


DRIVES = {
    "ticket": [drive_ticket],
    "password_reset": [drive_password_reset, drive_password_reset_by_link],
    "card_add": [drive_card_add, drive_card_add_by_bank],
    "unauthorized_transaction": [drive_unauthorized_transaction],
    "transaction_dispute": [drive_transaction_dispute],
}


@pytest.mark.parametrize(
    ("kind", "drive"),
    [(kind, drive) for kind, drives in DRIVES.items() for drive in drives],
    ids=lambda v: v if isinstance(v, str) else v.__name__,
)
def test_the_cli_drives_the_workflow_to_a_final_state(tmp_path, kind, drive):
    cli = Cli(tmp_path)
    case_id = drive(cli)
    snapshot = CaseSnapshot.model_validate_json(cli("show", case_id, "--json"))
    assert snapshot.kind == kind
    assert snapshot.state in FINAL[kind], snapshot.state


def test_send_code_without_a_server_key_is_one_clean_error(tmp_path, monkeypatch):
    monkeypatch.delenv("WALLETSUPPORT_SERVER_KEY_FILE", raising=False)
    db = str(tmp_path / "c.db")
    out, err = io.StringIO(), io.StringIO()
    assert main(["case", "--db", db, "new", "password_reset", "--id", "R-1"], stdout=out) == 0
    status = main(
        ["case", "--db", db, "send-code", "R-1", "--deliver-to", str(tmp_path / "c")],
        stdout=out,
        stderr=err,
    )
    assert status == 2
    assert "server key" in err.getvalue()
    assert len(err.getvalue().strip().splitlines()) == 1
    assert not (tmp_path / "c").exists()
