"""``case verify``: a locked account is unlocked from the command line by the library's checks.

The caller's code is issued and checked by the library; external checks are recorded with
who ran them; the session is sealed into evidence bound to account and case. A session file
edited by hand, pasted evidence, or a plan needing a secret the CLI does not hold are refused
with one clean line.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from walletsupport.cli import main
from walletsupport.workflows import CaseSnapshot

T0 = "2026-03-02T10:00:00+00:00"


def at(seconds: int) -> str:
    return f"2026-03-02T10:{seconds // 60:02d}:{seconds % 60:02d}+00:00"


class Cli:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.db = tmp_path / "cases.sqlite3"
        self.key = tmp_path / "server.key"
        self.key.write_bytes(b"a-32-byte-key-kept-in-your-vault")

    def run(self, *args: str, stdin: str = "") -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        old = sys.stdin
        sys.stdin = io.StringIO(stdin)
        try:
            status = main(
                ["case", "--db", str(self.db), "--server-key-file", str(self.key), *args],
                stdout=out,
                stderr=err,
            )
        finally:
            sys.stdin = old
        return status, out.getvalue(), err.getvalue()

    def ok(self, *args: str, stdin: str = "") -> str:
        status, out, err = self.run(*args, stdin=stdin)
        assert status == 0, err
        return out

    def case(self) -> CaseSnapshot:
        return CaseSnapshot.model_validate_json(self.ok("show", "L-1", "--json"))

    def locked(self) -> None:
        self.ok(
            "new", "account_lock", "--id", "L-1", "--data", '{"account_id": "acc-42"}', "--at", T0
        )
        self.ok("apply", "L-1", "LockForRisk", "--args", '{"reason": "new device"}', "--at", T0)

    def start(self) -> None:
        self.ok("verify", "start", "L-1", "--factors", "otp_sms,security_question", "--at", T0)

    def send_code(self, when: str) -> str:
        target = self.tmp / f"code-{len(list(self.tmp.iterdir()))}"
        self.ok("verify", "send-code", "L-1", "--deliver-to", str(target), "--at", when)
        return target.read_text().strip()

    def session_files(self) -> list[Path]:
        return sorted(self.db.parent.glob("*.sessions/*.json"))


def test_a_locked_account_is_unlocked_by_the_librarys_own_checks(tmp_path):
    cli = Cli(tmp_path)
    cli.locked()
    cli.start()
    assert cli.case().state == "pending_verification"  # start began the verification
    cli.ok("verify", "check", "L-1", "--passed", "--verifier", "agent:7", "--at", at(20))
    code = cli.send_code(at(30))
    assert code not in "".join(f.read_text() for f in cli.session_files())
    out = cli.ok("verify", "check", "L-1", "--code", "-", "--at", at(50), stdin=code + "\n")
    assert "state=active" in out
    case = cli.case()
    assert case.state == "active"
    assert case.last_entry.event == "verify"
    assert sorted(case.last_entry.details["factors"]) == ["otp_sms", "security_question"]
    assert cli.session_files() == []  # the session is gone once used


def test_a_wrong_code_counts_and_the_right_one_still_unlocks(tmp_path):
    cli = Cli(tmp_path)
    cli.locked()
    cli.start()
    cli.ok("verify", "check", "L-1", "--passed", "--verifier", "agent:7", "--at", at(10))
    code = cli.send_code(at(20))
    wrong = "000000" if code != "000000" else "111111"
    out = cli.ok("verify", "check", "L-1", "--code", "-", "--at", at(30), stdin=wrong)
    assert "mismatch" in out
    assert cli.case().state == "pending_verification"
    cli.ok("verify", "check", "L-1", "--code", "-", "--at", at(40), stdin=code)
    assert cli.case().state == "active"


def test_too_many_wrong_codes_fail_the_verification_and_the_account_stays_locked(tmp_path):
    cli = Cli(tmp_path)
    cli.locked()
    cli.start()
    cli.ok("verify", "check", "L-1", "--passed", "--verifier", "agent:7", "--at", at(10))
    code = cli.send_code(at(20))
    wrong = "000000" if code != "000000" else "111111"
    for n in range(5):
        cli.ok("verify", "check", "L-1", "--code", "-", "--at", at(30 + n), stdin=wrong)
    assert cli.case().state == "locked"
    assert cli.case().last_entry.event == "fail_verification"
    assert cli.session_files() == []


def test_a_session_file_edited_by_hand_is_refused(tmp_path):
    cli = Cli(tmp_path)
    cli.locked()
    cli.start()
    (path,) = cli.session_files()
    document = json.loads(path.read_text())
    session = document["session"]
    session["outcomes"] = [
        {"kind": step["kind"], "passed": True, "at": T0, "method": "external", "verifier": "me"}
        for step in session["plan"]["steps"]
    ]
    path.write_text(json.dumps(document))
    status, _, err = cli.run(
        "verify", "check", "L-1", "--passed", "--verifier", "x", "--at", at(10)
    )
    assert status == 2
    assert len(err.strip().splitlines()) == 1, err
    assert cli.case().state == "pending_verification"


def test_pasted_evidence_is_not_accepted(tmp_path):
    cli = Cli(tmp_path)
    cli.locked()
    cli.ok("apply", "L-1", "StartVerification", "--at", T0)
    for fields in ('{"session": {}}', '{"evidence": {"evidence_id": "x"}}'):
        status, _, err = cli.run("apply", "L-1", "CompleteVerification", "--args", fields)
        assert status == 2
        assert "Traceback" not in err
    assert cli.case().state == "pending_verification"


@pytest.mark.parametrize(
    ("factors", "message"),
    [
        ("password,otp_sms", "does not hold"),
        ("otp_sms", "cannot verify"),
        ("otp_smss,biometric", "did you mean 'otp_sms'"),
    ],
)
def test_a_plan_the_cli_cannot_run_is_one_clean_error(tmp_path, factors, message):
    cli = Cli(tmp_path)
    cli.locked()
    status, _, err = cli.run("verify", "start", "L-1", "--factors", factors, "--at", T0)
    assert status == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_verify_needs_the_server_key(tmp_path, monkeypatch):
    monkeypatch.delenv("WALLETSUPPORT_SERVER_KEY_FILE", raising=False)
    cli = Cli(tmp_path)
    cli.locked()
    err = io.StringIO()
    status = main(
        ["case", "--db", str(cli.db), "verify", "start", "L-1", "--factors", "otp_sms,biometric"],
        stdout=io.StringIO(),
        stderr=err,
    )
    assert status == 2
    assert "server key" in err.getvalue()


def test_an_idle_verification_expires_and_must_start_again(tmp_path):
    cli = Cli(tmp_path)
    cli.locked()
    cli.start()
    status, _, err = cli.run(
        "verify",
        "check",
        "L-1",
        "--passed",
        "--verifier",
        "agent:7",
        "--at",
        "2026-03-02T10:30:00+00:00",
    )
    assert status == 2
    assert "expired" in err
    assert "start" in err
    assert cli.session_files() == []
    assert cli.case().state == "pending_verification"
