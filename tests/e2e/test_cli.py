"""The ``walletsupport`` command, run as a user runs it: a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from walletsupport import Assistance

AT = "2026-11-25T10:30:00+08:00"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "walletsupport", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
    )


@pytest.mark.parametrize(
    ("text", "region", "lang", "category", "marker"),
    [
        ("我的账户被锁定了", "CN", "zh", "account_locked", "问题类型"),
        ("locked out after 3 tries, pls help!!", "US", "en", "account_locked", "Issue"),
        (
            "someone took money from my wallet, not me",
            "US",
            "en",
            "unauthorized_transaction",
            "Issue",
        ),
        ("手机丢了，支付宝里的钱被人转走了", "CN", "zh", "unauthorized_transaction", "问题类型"),
    ],
)
def test_assist_prints_a_localized_answer_and_valid_json(text, region, lang, category, marker):
    human = run("assist", text, "--region", region, "--at", AT)
    assert human.returncode == 0, human.stderr
    assert human.stdout.startswith(marker)
    assert "Traceback" not in human.stderr

    machine = run("assist", text, "--region", region, "--at", AT, "--json")
    assert machine.returncode == 0, machine.stderr
    document = json.loads(machine.stdout)
    jsonschema.validate(document, Assistance.model_json_schema(mode="serialization"))
    assert document["category"]["id"] == category
    assert document["locale"] == lang
    assert Assistance.model_validate_json(machine.stdout).category is not None


def test_lang_option_renders_the_answer_in_the_other_language():
    result = run("assist", "我的账户被锁定了", "--region", "CN", "--at", AT, "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Issue: ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("assist", "hello", "--region", "XX", "--at", AT), "region"),
        (("assist", "hello", "--region", "US", "--at", "2026-11-25T10:30:00"), "timezone-aware"),
        (("assist", "hello", "--region", "US", "--at", "yesterday"), "ISO 8601"),
        (("assist", "   ", "--region", "US", "--at", AT), "empty"),
        (("hours", "no-such-line"), "unknown support line"),
        (("diagram", "no_such_workflow"), "unknown workflow"),
        (("lines", "--region", "ZZ"), "region"),
        (("assist",), "the following arguments are required"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line_and_no_traceback(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert message in result.stderr
    assert result.stdout == ""


def test_hours_reports_open_state_and_next_change():
    result = run("hours", "acme-us-main", "--at", "2026-11-25T12:00:00-05:00")
    assert result.returncode == 0, result.stderr
    assert "OPEN" in result.stdout
    assert "closes: 2026-11-25T" in result.stdout


def test_lines_filters_by_region_and_category():
    result = run("lines", "--region", "CN", "--category", "unauthorized_transaction")
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.strip().splitlines()
    assert header.split()[:2] == ["ID", "NUMBER"]
    assert rows
    assert all("CN" in row for row in rows if not row.startswith(" "))  # wrapped cells indent


def test_diagram_prints_mermaid_for_every_builtin_workflow():
    for kind in ("ticket", "account_lock", "password_reset", "card_add"):
        result = run("diagram", kind)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("stateDiagram-v2")


def test_case_commands_drive_a_ticket_through_sqlite(tmp_path):
    db = str(tmp_path / "cases.sqlite3")
    created = run(
        "case",
        "--db",
        db,
        "new",
        "ticket",
        "--id",
        "T-1",
        "--data",
        '{"subject": "locked account"}',
    )
    assert created.returncode == 0, created.stderr
    assert "state=new version=1" in created.stdout

    started = run("case", "--db", db, "apply", "T-1", "StartWork", "--key", "k1")
    assert "state=open version=2" in started.stdout, started.stderr
    replay = run("case", "--db", db, "apply", "T-1", "StartWork", "--key", "k1")
    assert "state=open version=2" in replay.stdout, replay.stderr

    refused = run("case", "--db", db, "apply", "T-1", "CloseTicket", "--key", "k2")
    assert refused.returncode == 2
    assert "not allowed" in refused.stderr

    bad_args = run("case", "--db", db, "apply", "T-1", "SolveTicket", "--args", "{}")
    assert bad_args.returncode == 2
    assert "resolution" in bad_args.stderr

    from_stdin = subprocess.run(
        [
            sys.executable,
            "-m",
            "walletsupport",
            "case",
            "--db",
            db,
            "apply",
            "T-1",
            "SolveTicket",
            "--args",
            "-",
            "--key",
            "k3",
        ],
        input='{"resolution": "unlocked after verification"}',
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "state=solved version=3" in from_stdin.stdout, from_stdin.stderr

    shown = run("case", "--db", db, "show", "T-1", "--json")
    snapshot = json.loads(shown.stdout)
    assert snapshot["version"] == 3
    assert len(snapshot["audit"]) == 3

    due = run("case", "--db", db, "due", "T-1", "--at", "2026-11-25T10:30:00+00:00")
    assert due.returncode == 0, due.stderr
    assert "auto_close" in due.stdout  # a solved ticket closes itself after the reopen window


def test_demo_runs_the_scripted_tour():
    result = run("demo")
    assert result.returncode == 0, result.stderr
    assert "问题类型" in result.stdout
    assert "Issue: " in result.stdout
    assert "is now solved" in result.stdout
