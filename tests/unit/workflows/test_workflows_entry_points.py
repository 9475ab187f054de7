"""Installed workflows: the ``walletsupport.workflows`` entry-point group, the CLI and fixtures.

Issue 21, finding 5: ``walletsupport diagram chargeback_review`` failed with "unknown
workflow", ``assist --directory`` refused an installed category, and workflows had no
entry-point group.
"""

from __future__ import annotations

import io
import json
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel
from statemachine import StateMachine
from statemachine.states import States

from walletsupport.cli import main
from walletsupport.errors import ConfigurationError
from walletsupport.issues import IssueCategory, IssueGroup, TriageTerm, Urgency
from walletsupport.values import Locale
from walletsupport.verification import VerificationAction
from walletsupport.workflows import (
    Command,
    Workflow,
    _plugins,
    builtin_workflows,
    installed_workflows,
)

pytest_plugins = ["pytester"]

WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class DoorState(StrEnum):
    SHUT = "shut"
    AJAR = "ajar"


class DoorMachine(StateMachine):
    _ = States.from_enum(DoorState, initial=DoorState.SHUT, final=DoorState.AJAR)
    open_door = _.SHUT.to(_.AJAR)


class DoorData(BaseModel, frozen=True, extra="forbid"):
    label: str = "front"


class OpenDoor(Command):
    event: ClassVar[str] = "open_door"


def door_workflow() -> Workflow[DoorData, None]:
    return Workflow(
        kind="door", machine=DoorMachine, data=DoorData, commands=(OpenDoor,), policy=None
    )


VAULT = IssueCategory(
    id="vault_locked",
    group=IssueGroup.SECURITY,
    name_en="My vault is locked",
    name_zh="保险库被锁",
    guidance_en="Open the app and follow the unlock steps.",
    guidance_zh="请打开应用按步骤解锁。",
    urgency=Urgency.NORMAL,
    verification_action=VerificationAction.VIEW_INFO,
    vocabulary=(
        TriageTerm(text="vault", locale=Locale.EN, weight=3.0),
        TriageTerm(text="保险库", locale=Locale.ZH, weight=3.0),
    ),
)


class _EntryPoint:
    def __init__(self, name: str, group: str, loaded: object) -> None:
        self.name, self.group, self.value, self._loaded = name, group, f"x:{name}", loaded

    def load(self) -> object:
        if isinstance(self._loaded, Exception):
            raise self._loaded
        return self._loaded


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[_EntryPoint]]:
    """Pretend distributions advertise these entry points (tests add to the lists)."""
    groups: dict[str, list[_EntryPoint]] = {
        "walletsupport.workflows": [],
        "walletsupport.issue_types": [],
    }

    def entry_points(*, group: str) -> list[_EntryPoint]:
        return list(groups.get(group, []))

    monkeypatch.setattr("importlib.metadata.entry_points", entry_points)
    return groups


def test_a_workflow_or_a_factory_is_loaded_from_the_group(installed: Any) -> None:
    installed["walletsupport.workflows"] += [
        _EntryPoint("door", "walletsupport.workflows", door_workflow),
    ]
    loaded = _plugins.load_workflow_entry_points()
    assert [w.kind for w in loaded] == ["door"]
    kinds = [w.kind for w in installed_workflows()]
    assert kinds == [*(w.kind for w in builtin_workflows()), "door"]


def test_a_workflow_value_is_accepted_too(installed: Any) -> None:
    installed["walletsupport.workflows"].append(
        _EntryPoint("door", "walletsupport.workflows", door_workflow())
    )
    assert [w.kind for w in _plugins.load_workflow_entry_points()] == ["door"]


@pytest.mark.parametrize(
    ("loaded", "message"),
    [
        (ImportError("no module"), "failed to load"),
        (42, "not a Workflow"),
        (lambda: "door", "not a Workflow"),
    ],
)
def test_a_broken_entry_point_is_a_configuration_error_naming_it(
    installed: Any, loaded: object, message: str
) -> None:
    installed["walletsupport.workflows"].append(
        _EntryPoint("broken", "walletsupport.workflows", loaded)
    )
    with pytest.raises(ConfigurationError, match=rf"'broken'.*{message}"):
        installed_workflows()


def test_a_kind_clashing_with_a_builtin_is_refused(installed: Any) -> None:
    from walletsupport.workflows.ticket import ticket_workflow

    installed["walletsupport.workflows"].append(
        _EntryPoint("mine", "walletsupport.workflows", ticket_workflow)
    )
    with pytest.raises(ConfigurationError, match="ticket"):
        installed_workflows()


# --- the command line loads installed categories and workflows --------------------------------


def test_diagram_draws_an_installed_workflow(installed: Any) -> None:
    installed["walletsupport.workflows"].append(
        _EntryPoint("door", "walletsupport.workflows", door_workflow)
    )
    out, err = io.StringIO(), io.StringIO()
    assert main(["diagram", "door"], stdout=out, stderr=err) == 0, err.getvalue()
    assert "SHUT --> AJAR" in out.getvalue()


def test_case_opens_an_installed_workflow(installed: Any, tmp_path: Path) -> None:
    installed["walletsupport.workflows"].append(
        _EntryPoint("door", "walletsupport.workflows", door_workflow)
    )
    db = str(tmp_path / "cases.sqlite3")
    out, err = io.StringIO(), io.StringIO()
    status = main(["case", "--db", db, "new", "door", "--id", "D-1"], stdout=out, stderr=err)
    assert status == 0, err.getvalue()
    assert main(["case", "--db", db, "apply", "D-1", "OpenDoor"], stdout=out, stderr=err) == 0
    assert "state=ajar" in out.getvalue()


def test_assist_accepts_a_directory_naming_an_installed_category(
    installed: Any, tmp_path: Path
) -> None:
    installed["walletsupport.issue_types"].append(
        _EntryPoint("vault", "walletsupport.issue_types", VAULT)
    )
    lines = {
        "lines": [
            {
                "id": "vault-desk",
                "name": {"en": "Vault desk", "zh": "保险库服务台"},
                "number": "+6562345678",
                "regions": ["SG"],
                "languages": ["en", "zh"],
                "categories": ["vault_locked"],
                "schedule": {
                    "zone": "Asia/Singapore",
                    "hours": {day: [["00:00", "24:00"]] for day in WEEK},
                },
            }
        ]
    }
    path = tmp_path / "lines.json"
    path.write_text(json.dumps(lines), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    argv = ["assist", "my vault is locked", "--region", "SG", "--directory", str(path)]
    argv += ["--at", "2026-03-02T10:00:00+08:00", "--json"]
    assert main(argv, stdout=out, stderr=err) == 0, err.getvalue()
    answer = json.loads(out.getvalue())
    assert answer["route"]["line"]["id"] == "vault-desk"


# --- the pytest plugin serves installed and the integrator's own -------------------------------

CONFTEST = """
import pytest
pytest_plugins = ["walletsupport.testing.pytest_plugin"]
"""

TEST_FIXTURES = """
def test_installed(registry, workflow_service, directory):
    assert "vault_locked" in registry
    assert workflow_service.workflow("door").kind == "door"
    assert directory.lines
"""

OWN_CONFTEST = """
import pytest
from walletsupport.workflows import installed_workflows
from gate_helper import GATE, gate_workflow
pytest_plugins = ["walletsupport.testing.pytest_plugin"]

@pytest.fixture
def walletsupport_workflows():
    return (*installed_workflows(), gate_workflow())

@pytest.fixture
def walletsupport_categories():
    return (GATE,)

@pytest.fixture
def walletsupport_lines():
    return {"lines": [{
        "id": "gate-desk", "name": {"en": "Gate desk", "zh": "门岗"},
        "number": "+6562345678", "regions": ["SG"], "languages": ["en"],
        "categories": ["gate_stuck"],
        "schedule": {"zone": "Asia/Singapore", "hours": {"mon": [["09:00", "18:00"]]}},
    }]}
"""

TEST_OWN = """
def test_own(registry, workflow_service, directory):
    assert "gate_stuck" in registry
    assert workflow_service.workflow("gate").kind == "gate"
    assert workflow_service.workflow("ticket").kind == "ticket"
    assert [line.id for line in directory.lines] == ["gate-desk"]
"""


def test_plugin_fixtures_serve_installed_categories_and_workflows(
    installed: Any, pytester: pytest.Pytester
) -> None:
    installed["walletsupport.workflows"].append(
        _EntryPoint("door", "walletsupport.workflows", door_workflow)
    )
    installed["walletsupport.issue_types"].append(
        _EntryPoint("vault", "walletsupport.issue_types", VAULT)
    )
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_fixtures=TEST_FIXTURES)
    pytester.runpytest_inprocess("-p", "no:randomly").assert_outcomes(passed=1)


def test_plugin_fixtures_accept_the_integrators_own(pytester: pytest.Pytester) -> None:
    pytester.syspathinsert()
    pytester.makepyfile(gate_helper=HELPER)
    pytester.makeconftest(OWN_CONFTEST)
    pytester.makepyfile(test_own=TEST_OWN)
    pytester.runpytest_inprocess("-p", "no:randomly").assert_outcomes(passed=1)


HELPER = """
from enum import StrEnum
from typing import ClassVar
from pydantic import BaseModel
from statemachine import StateMachine
from statemachine.states import States
from walletsupport.issues import IssueCategory, IssueGroup, TriageTerm, Urgency
from walletsupport.values import Locale
from walletsupport.verification import VerificationAction
from walletsupport.workflows import Command, Workflow

class GateState(StrEnum):
    SHUT = "shut"
    UP = "up"

class GateMachine(StateMachine):
    _ = States.from_enum(GateState, initial=GateState.SHUT, final=GateState.UP)
    lift = _.SHUT.to(_.UP)

class GateData(BaseModel, frozen=True, extra="forbid"):
    pass

class Lift(Command):
    event: ClassVar[str] = "lift"

def gate_workflow():
    return Workflow(kind="gate", machine=GateMachine, data=GateData, commands=(Lift,), policy=None)

GATE = IssueCategory(
    id="gate_stuck", group=IssueGroup.TECHNICAL, name_en="The gate is stuck", name_zh="闸门卡住",
    guidance_en="Restart the app.", guidance_zh="请重启应用。", urgency=Urgency.NORMAL,
    verification_action=VerificationAction.VIEW_INFO,
    vocabulary=(TriageTerm(text="gate", locale=Locale.EN, weight=3.0),),
)
"""
