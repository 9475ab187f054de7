"""The command line as a newcomer meets it: help, listings, hints, no stray files, --at, widths.

Expectations come from the library (the registry, the directory, the workflows), never from
a hard-coded list of ids, so the tests hold whatever categories or lines are registered.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import unicodedata
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest
from pydantic import TypeAdapter

from walletsupport.cli import main
from walletsupport.cli._views import CategoryView, HoursView
from walletsupport.contact import SupportLine, sample_directory
from walletsupport.issues import default_registry
from walletsupport.regulation import Deadline
from walletsupport.workflows import CaseSnapshot, WorkflowService, builtin_workflows

AT = "2026-11-25T10:30:00+08:00"


def width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def cli(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        status = main(list(args), stdout=out, stderr=err)
    finally:
        sys.stdin = old
    return status, out.getvalue(), err.getvalue()


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "walletsupport", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
        cwd=cwd,
    )


def registry():
    reg = default_registry()
    reg.load_entry_points()  # plugged-in categories (the example integrator package)
    return reg


# --- bare command --------------------------------------------------------------------------


def test_bare_command_prints_the_help_with_one_line_per_command_and_exits_0():
    result = run()
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    for command in ("assist", "categories", "hours", "lines", "diagram", "case", "demo"):
        described = [ln for ln in lines if ln.split()[:1] == [command] and len(ln.split()) > 1]
        assert len(described) == 1, f"{command} has no one-line description:\n{result.stdout}"
    assert all(width(line) <= 80 for line in lines)


# --- categories ----------------------------------------------------------------------------


def test_categories_json_lists_every_registered_category_with_its_facts():
    status, out, err = cli("categories", "--json")
    assert status == 0, err
    document = json.loads(out)
    jsonschema.validate(document, TypeAdapter(list[CategoryView]).json_schema(mode="serialization"))
    reg = registry()
    assert [row["id"] for row in document] == list(reg.ids())
    for row in document:
        category = reg.get(row["id"])
        assert row["group"] == category.group.value
        assert row["urgency"] == category.urgency.value
        assert row["name_en"] == category.name_en
        assert row["name_zh"] == category.name_zh
        assert row["workflow"] == category.workflow
    plugged = set(reg.ids()) - set(default_registry().ids())
    assert plugged, "the example integrator package should plug in a category"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_categories_table_shows_every_category_in_the_language_within_80_columns(lang):
    status, out, err = cli("categories", "--lang", lang)
    assert status == 0, err
    assert all(width(line) <= 80 for line in out.splitlines()), out
    flat = "".join(out.split())
    for category in registry():
        assert category.id in out
        name = category.name_zh if lang == "zh" else category.name_en
        # a wrapped name continues on the next line of its cell: compare without blanks
        assert "".join(name.split()) in flat


# --- unknown names -------------------------------------------------------------------------


def _near(name: str) -> str:
    """A plausible typo: the name with one inner letter dropped."""
    return name[:2] + name[3:]


@pytest.mark.parametrize(
    ("make_args", "valid"),
    [
        (lambda n: ("lines", "--category", n), lambda: list(registry().ids())),
        (lambda n: ("diagram", n), lambda: [w.kind for w in builtin_workflows()]),
        (lambda n: ("hours", n), lambda: [line.id for line in sample_directory().lines]),
        (lambda n: (n,), lambda: ["assist", "categories", "hours", "lines", "diagram", "case"]),
    ],
    ids=["category", "workflow", "line", "command"],
)
def test_unknown_names_suggest_the_nearest_and_list_the_valid_ones(make_args, valid):
    names = valid()
    for name in names:
        typo = _near(name)
        if typo in names:
            continue
        status, out, err = cli(*make_args(typo))
        assert status == 2
        assert out == ""
        assert len(err.strip().splitlines()) == 1, err
        assert repr(name) in err or f"'{name}'" in err, err
    status, out, err = cli(*make_args("qqqqqqqqqq"))
    assert status == 2
    assert all(name in err for name in names), err


def test_unknown_workflow_kind_for_case_new_lists_the_kinds(tmp_path):
    status, _, err = cli("case", "--db", str(tmp_path / "c.db"), "new", "nope_kind")
    assert status == 2
    assert all(w.kind in err for w in builtin_workflows()), err


def test_unknown_command_of_a_case_suggests_the_nearest(tmp_path):
    db = str(tmp_path / "c.db")
    assert (
        cli("case", "--db", db, "new", "ticket", "--id", "T-1", "--data", '{"subject": "x"}')[0]
        == 0
    )
    status, _, err = cli("case", "--db", db, "apply", "T-1", "SolveTiket")
    assert status == 2
    assert "did you mean 'SolveTicket'" in err


def test_unknown_region_lists_the_regions_the_directory_serves():
    served = sorted({r for line in sample_directory().lines for r in line.regions})
    status, _, err = cli("lines", "--region", "XX")
    assert status == 2
    assert all(region in err for region in served), err
    status, _, err = cli("lines", "--region", "JP")  # a real region no line serves
    assert status == 2
    assert all(region in err for region in served), err


# --- read-only commands create nothing -----------------------------------------------------


def _snapshot_tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_case_show_on_a_missing_database_is_one_clean_error_and_creates_nothing(tmp_path):
    db = tmp_path / "nonexistent" / "dir" / "x.db"
    for args in (("show", "T-1"), ("due", "T-1", "--at", AT), ("show", "T-1", "--json")):
        result = run("case", "--db", str(db), *args)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert str(db) in result.stderr
    assert not (tmp_path / "nonexistent").exists()


def test_read_only_commands_create_no_file_or_folder_anywhere(tmp_path):
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    for args in (
        ("case", "show", "T-1"),
        ("case", "due", "T-1"),
        ("hours", "acme-us-main", "--at", AT),
        ("lines",),
        ("categories",),
        ("diagram", "ticket"),
        ("assist", "my account is locked", "--region", "US", "--at", AT),
        (),
    ):
        run(*args, env=env, cwd=work)
        assert _snapshot_tree(home) == set(), args
        assert _snapshot_tree(work) == set(), args


# --- --at and error wording ----------------------------------------------------------------


def test_case_new_and_apply_take_at_and_stamp_the_case_with_it(tmp_path):
    db = str(tmp_path / "c.db")
    status, _, err = cli(
        "case", "--db", db, "new", "ticket", "--id", "T-1", "--data", '{"subject": "s"}', "--at", AT
    )
    assert status == 0, err
    later = "2026-11-25T11:00:00+08:00"
    status, _, err = cli("case", "--db", db, "apply", "T-1", "StartWork", "--at", later)
    assert status == 0, err
    snapshot = CaseSnapshot.model_validate_json(cli("case", "--db", db, "show", "T-1", "--json")[1])
    assert snapshot.created_at == datetime.fromisoformat(AT)
    assert snapshot.audit[-1].at == datetime.fromisoformat(later)


def test_invalid_data_names_the_kind_with_the_right_article(tmp_path):
    status, _, err = cli(
        "case", "--db", str(tmp_path / "c.db"), "new", "account_lock", "--data", '{"account_id": 5}'
    )
    assert status == 2
    assert "invalid data for an 'account_lock' case" in err


@pytest.mark.parametrize(
    "args",
    [
        (
            "new",
            "unauthorized_transaction",
            "--data",
            '{"transfers": [{"at": "2026-03-01T10:00:00", "amount": 9}]}',
        ),
        ("new", "ticket", "--data", '{"subject": "s"}', "--at", "2026-11-25T10:30:00"),
    ],
)
def test_a_naive_datetime_gives_one_clear_message(tmp_path, args):
    status, _, err = cli("case", "--db", str(tmp_path / "c.db"), *args)
    assert status == 2
    assert len(err.strip().splitlines()) == 1
    assert err.count("timezone") == 1, err
    assert ";" not in err.split("timezone")[1], err  # nothing else reported after it
    assert "Tuple" not in err
    assert "at least 1 item" not in err


# --- tables and JSON -----------------------------------------------------------------------


def _case_with_deadlines(tmp_path) -> str:
    db = str(tmp_path / "c.db")
    data = json.dumps({"subject": "a long subject " * 5})
    assert (
        cli("case", "--db", db, "new", "ticket", "--id", "T-1", "--data", data, "--at", AT)[0] == 0
    )
    assert (
        cli(
            "case",
            "--db",
            db,
            "apply",
            "T-1",
            "StartWork",
            "--at",
            AT,
            "--actor",
            "agent:with-a-rather-long-name-for-the-audit-column",
        )[0]
        == 0
    )
    return db


def test_every_table_fits_80_columns(tmp_path):
    db = _case_with_deadlines(tmp_path)
    for args in (
        ("lines",),
        ("lines", "--region", "GB"),
        ("categories",),
        ("categories", "--lang", "zh"),
        ("case", "--db", db, "show", "T-1"),
        ("case", "--db", db, "due", "T-1", "--at", AT),
        ("hours", "contoso-eu-main", "--at", AT),
        (
            "case",
            "--db",
            db,
            "new",
            "transaction_dispute",
            "--data",
            '{"amount": "20", "merchant": "Shop"}',
            "--id",
            "D-1",
        ),
        ("case", "--db", db, "apply", "D-1", "ContactMerchant"),
        (),
        ("case",),
        ("case", "new", "--help"),
    ):
        status, out, err = cli(*args)
        assert status == 0, (args, err)
        too_wide = [line for line in out.splitlines() if width(line) > 80]
        assert not too_wide, (args, too_wide)


def test_the_lines_table_loses_no_region(tmp_path):
    _, out, _ = cli("lines")
    flat = out.replace("\n", " ")
    for line in sample_directory().lines:
        assert line.id in out
        for region in line.regions:
            assert region in flat


def test_every_table_has_a_json_form_that_validates(tmp_path):
    db = _case_with_deadlines(tmp_path)
    expectations = [
        (("lines", "--json"), TypeAdapter(list[SupportLine])),
        (("categories", "--json"), TypeAdapter(list[CategoryView])),
        (("case", "--db", db, "due", "T-1", "--at", AT, "--json"), TypeAdapter(list[Deadline])),
        (("case", "--db", db, "show", "T-1", "--json"), TypeAdapter(CaseSnapshot)),
        (("hours", "acme-us-main", "--at", AT, "--json"), TypeAdapter(HoursView)),
    ]
    for args, adapter in expectations:
        status, out, err = cli(*args)
        assert status == 0, (args, err)
        document = json.loads(out)
        jsonschema.validate(document, adapter.json_schema(mode="serialization"))
        adapter.validate_json(out)
    _, out, _ = cli("lines", "--json", "--region", "CN")
    assert {line["id"] for line in json.loads(out)} == {
        line.id for line in sample_directory().lines if line.serves("CN")
    }
    _, out, _ = cli("case", "--db", db, "due", "T-1", "--at", AT, "--json")
    from walletsupport.adapters import SqliteStore
    from walletsupport.clock import FixedClock

    at = datetime.fromisoformat(AT)
    service = WorkflowService(SqliteStore(db), FixedClock(at))
    expected = service.due(service.load("T-1"), at)
    assert [Deadline.model_validate(d) for d in json.loads(out)] == list(expected)


def test_output_cut_short_by_a_pipe_is_not_a_traceback():
    with subprocess.Popen(
        [sys.executable, "-m", "walletsupport", "categories"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()  # the reader goes away, as `| head -n 1` does
        errors = process.stderr.read()
        process.wait(timeout=120)
    assert first.startswith("ID")
    assert "Traceback" not in errors


def test_read_only_commands_leave_an_existing_database_as_it_was(tmp_path):
    db = tmp_path / "c.db"
    assert (
        cli("case", "--db", str(db), "new", "ticket", "--id", "T-1", "--data", '{"subject": "s"}')[
            0
        ]
        == 0
    )
    before = (db.read_bytes(), _snapshot_tree(tmp_path))
    for args in (("show", "T-1"), ("show", "T-1", "--json"), ("due", "T-1", "--at", AT)):
        assert run("case", "--db", str(db), *args).returncode == 0
    assert (db.read_bytes(), _snapshot_tree(tmp_path)) == before


def test_lines_filter_by_a_group_of_categories():
    reg = registry()
    for group in {category.group.value for category in reg}:
        status, out, err = cli("lines", "--category", group, "--json")
        assert status == 0, err
        members = [c for c in reg if c.group.value == group]
        expected = [
            line.id
            for line in sample_directory().lines
            if any(line.handles(c, reg) for c in members)
        ]
        assert [line["id"] for line in json.loads(out)] == expected
