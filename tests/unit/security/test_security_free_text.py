"""A PAN typed into a free-text field never reaches the store or the screen (issue 17 #3).

The reproducer: ``case apply L-1 LockForRisk --args '{"reason": "customer card 4111 1111 1111
1111 cvc 123"}'`` stored the number in the audit, in ``case show`` and in the SQLite file.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from walletsupport.adapters import SqliteStore
from walletsupport.cli import main

PAN = "4111 1111 1111 1111"
FORMS = (PAN, PAN.replace(" ", ""), PAN.replace(" ", "-"), "cvc 123", "码 123")

CASES = [
    (
        "account_lock",
        {"account_id": "acc-1"},
        [("LockForRisk", {"reason": f"customer card {PAN} cvc 123"})],
    ),
    ("ticket", {"subject": f"card {PAN} declined, cvc 123"}, [("StartWork", {})]),
    (
        "ticket",
        {"subject": "declined"},
        [("StartWork", {}), ("PutOnHold", {"reason": f"waiting: 卡号{PAN}，安全码 123"})],
    ),
]


def run(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    assert status == 0, err.getvalue()
    return out.getvalue()


def raw_bytes(db: Path) -> bytes:
    """The database file and its journals, as they sit on disk."""
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


@pytest.mark.parametrize(
    ("kind", "data", "commands"), CASES, ids=["lock reason", "ticket subject", "hold reason zh"]
)
def test_a_card_number_in_free_text_is_never_stored_or_shown(
    tmp_path: Path,
    kind: str,
    data: dict[str, str],
    commands: list[tuple[str, dict[str, str]]],
) -> None:
    db = str(tmp_path / "cases.sqlite3")
    shown = run("case", "--db", db, "new", kind, "--id", "C-1", "--data", json.dumps(data))
    for i, (command, args) in enumerate(commands):
        shown += run(
            "case",
            "--db",
            db,
            "apply",
            "C-1",
            command,
            "--key",
            f"k{i}",
            "--args",
            json.dumps(args),
        )
    shown += run("case", "--db", db, "show", "C-1")
    store = SqliteStore(db)
    try:
        stored_json = store.load("C-1").model_dump_json()
    finally:
        store.close()
    assert "[card ****1111]" in stored_json  # truncated to the last four, not dropped
    stored = raw_bytes(tmp_path / "cases.sqlite3")
    for form in FORMS:
        assert form not in shown
        assert form not in stored_json
        assert form.encode() not in stored
        assert form.encode("utf-16-le") not in stored
