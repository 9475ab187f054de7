"""``walletsupport worker``: output, usage errors, and a clean stop on SIGTERM / Ctrl-C."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from walletsupport.adapters import SqliteStore
from walletsupport.cli import main
from walletsupport.clock import FixedClock, SystemClock
from walletsupport.workflows import WorkflowService

AT = datetime(2026, 3, 2, 12, tzinfo=UTC)


def seeded(path: Path, opened_at: datetime, resets: int = 3) -> str:
    store = SqliteStore(path)
    service = WorkflowService(store, FixedClock(opened_at))
    for n in range(resets):
        service.open("password_reset", {}, case_id=f"R-{n}", actor="customer")
    service.open("ticket", {"subject": "refund"}, case_id="T-1", actor="customer")
    store.close()
    return str(path)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(["worker", *args], stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_until_idle_prints_a_line_per_deadline_and_a_summary(tmp_path: Path) -> None:
    db = seeded(tmp_path / "c.sqlite3", AT - timedelta(hours=12))
    status, out, _ = run("--db", db, "--until-idle", "--at", AT.isoformat())
    assert status == 0
    lines = out.splitlines()
    assert sorted(lines[:-1]) == [
        "R-0 reset_request_expiry fired ExpireReset",
        "R-1 reset_request_expiry fired ExpireReset",
        "R-2 reset_request_expiry fired ExpireReset",
        "T-1 first_reply reported",
    ]
    assert "3 fired, 1 reported" in lines[-1]
    status, out, _ = run("--db", db, "--until-idle", "--at", AT.isoformat())
    assert "0 cases, 0 fired" in out  # nothing fires twice


def test_json_lines(tmp_path: Path) -> None:
    db = seeded(tmp_path / "c.sqlite3", AT - timedelta(hours=12), resets=1)
    status, out, _ = run("--db", db, "--until-idle", "--at", AT.isoformat(), "--json")
    assert status == 0
    records = [json.loads(line) for line in out.splitlines()]
    fired = [r for r in records if r.get("outcome") == "fired"]
    assert [(r["case_id"], r["deadline"], r["command"]) for r in fired] == [
        ("R-0", "reset_request_expiry", "ExpireReset")
    ]
    assert records[-1]["summary"]["fired"] == 1


def test_nothing_due_before_at(tmp_path: Path) -> None:
    db = seeded(tmp_path / "c.sqlite3", AT)
    status, out, _ = run("--db", db, "--until-idle", "--at", AT.isoformat())
    assert (status, out.count("fired ")) == (0, 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--at", "2026-03-02T12:00:00+00:00"], "--at needs --until-idle"),
        (["--until-idle", "--at", "2026-03-02T12:00:00"], "timezone-aware"),
        (["--until-idle", "--at", "yesterday"], "not an ISO 8601"),
        (["--interval", "0"], "--interval"),
        (["--until-idle", "--lease", "-1"], "--lease"),
        (["--until-idle", "--batch", "0"], "--batch"),
    ],
)
def test_usage_errors_exit_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    status, _, err = run("--db", str(tmp_path / "c.sqlite3"), *args)
    assert status == 2
    assert message in err
    assert "Traceback" not in err


def test_a_postgres_dsn_password_never_shows(tmp_path: Path) -> None:
    dsn = "postgresql://app:s3cret-pw@127.0.0.1:1/cases?connect_timeout=1"
    status, out, err = run("--db", dsn, "--until-idle")
    assert status == 2
    assert "s3cret-pw" not in out + err


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_polling_worker_stops_cleanly_on_a_signal(tmp_path: Path, sig: signal.Signals) -> None:
    db = seeded(tmp_path / "c.sqlite3", SystemClock().now() - timedelta(hours=1), resets=30)
    args = [sys.executable, "-m", "walletsupport", "worker", "--db", db, "--interval", "0.2"]
    process = subprocess.Popen(
        [*args, "--batch", "30"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    first = process.stdout.readline()  # it is firing
    assert " fired " in first
    process.send_signal(sig)
    out = process.stdout.read()  # not communicate(): it would skip what readline buffered
    assert process.stderr is not None
    err = process.stderr.read()
    assert process.wait(timeout=60) == 0, err
    process.stdout.close()
    process.stderr.close()
    summary = out.splitlines()[-1]
    assert summary.startswith("worker ")
    # The rest of its batch was handed back at once: another worker needs no lease to lapse.
    status, rest, _ = run("--db", db, "--until-idle")
    assert status == 0
    fired_before = 1 + out.count(" fired ")
    assert fired_before + rest.count(" fired ") == 30
