"""The core imports no edge: no sqlite3, hypothesis or pytest, and reads no clock at import."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import walletsupport

SRC = Path(walletsupport.__file__).parent
EDGE_PACKAGES = {"adapters", "testing", "cli", "__main__.py"}
FORBIDDEN_IN_CORE = {"sqlite3", "hypothesis", "pytest", "psycopg", "_pytest"}
# Layers: a module may import only from its own layer or layers below it.
LAYER = {
    "errors": 0,
    "_model": 0,
    "_enum": 0,
    "_version": 0,
    "clock": 1,
    "values": 2,
    "calendars": 3,
    "issues": 3,
    "verification": 3,
    "policies": 4,
    "contact": 4,
    "workflows": 5,
    "ports": 5,
    "_assist": 6,
    "_render": 6,
}


def _core_modules() -> list[Path]:
    return [p for p in SRC.rglob("*.py") if p.relative_to(SRC).parts[0] not in EDGE_PACKAGES]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_core_modules_never_import_edge_libraries() -> None:
    offenders = {
        str(path.relative_to(SRC)): sorted(
            m for m in _imported_modules(path) if m.split(".")[0] in FORBIDDEN_IN_CORE
        )
        for path in _core_modules()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_core_never_imports_the_edge_packages() -> None:
    offenders = []
    for path in _core_modules():
        for module in _imported_modules(path):
            parts = module.split(".")
            if parts[0] == "walletsupport" and len(parts) > 1 and parts[1] in EDGE_PACKAGES:
                offenders.append((str(path.relative_to(SRC)), module))
    assert offenders == []


def test_imports_go_down_the_layers_never_up() -> None:
    offenders = []
    for path in _core_modules():
        own = path.relative_to(SRC).parts[0].removesuffix(".py")
        if own not in LAYER:
            continue
        for module in _imported_modules(path):
            parts = module.split(".")
            if parts[0] != "walletsupport" or len(parts) < 2 or parts[1] not in LAYER:
                continue
            if LAYER[parts[1]] > LAYER[own]:
                offenders.append((str(path.relative_to(SRC)), module))
    assert offenders == []


def test_importing_walletsupport_loads_no_edge_library() -> None:
    code = (
        "import sys, walletsupport\n"
        "edge = ('sqlite3', 'hypothesis', 'pytest', 'psycopg')\n"
        "bad = sorted(m for m in edge if m in sys.modules)\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def test_importing_walletsupport_reads_no_clock_and_no_environment() -> None:
    # Dependencies may read their own settings; walletsupport's modules must read neither the
    # clock nor the environment while being imported. Each spy records its direct caller.
    code = (
        "import datetime, os, sys, time\n"
        "calls = []\n"
        "def mine():\n"
        "    name = sys._getframe(2).f_code.co_filename\n"
        "    return '/walletsupport/' in name.replace(chr(92), '/')\n"
        "class Spy(datetime.datetime):\n"
        "    @classmethod\n"
        "    def now(cls, tz=None):\n"
        "        calls.append('datetime.now') if mine() else None; return super().now(tz)\n"
        "datetime.datetime = Spy\n"
        "real_time = time.time\n"
        "def spy_time():\n"
        "    calls.append('time.time') if mine() else None; return real_time()\n"
        "time.time = spy_time\n"
        "class Env(dict):\n"
        "    def get(self, *a):\n"
        "        calls.append('environ.get') if mine() else None; return dict.get(self, *a)\n"
        "    def __getitem__(self, k):\n"
        "        calls.append('environ[]') if mine() else None; return dict.__getitem__(self, k)\n"
        "saved = os.environ\n"
        "os.environ = Env(saved)\n"
        "import walletsupport\n"
        "os.environ = saved\n"
        "print(';'.join(calls))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def _loaded_after(statement: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``statement``."""
    code = f"import sys\n{statement}\nprint('\\n'.join(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(done.stdout.split())


HEAVY = {"pydantic", "phonenumbers", "holidays", "statemachine", "sqlite3", "psycopg"}


def test_import_walletsupport_loads_no_subpackage_model_or_data() -> None:
    loaded = _loaded_after("import walletsupport")
    ours = {m for m in loaded if m.split(".")[0] == "walletsupport"}
    assert ours == {"walletsupport", "walletsupport._lazy", "walletsupport._version"}
    assert not HEAVY & {m.split(".")[0] for m in loaded}


def test_the_public_names_still_resolve_lazily_and_are_listed_by_dir() -> None:
    loaded = _loaded_after(
        "import walletsupport\n"
        "assert all(hasattr(walletsupport, n) for n in walletsupport.__all__)\n"
        "assert set(walletsupport.__all__) <= set(dir(walletsupport))"
    )
    assert "walletsupport._assist" in loaded


def test_a_submodule_pays_only_for_what_it_imports() -> None:
    errors = _loaded_after("from walletsupport.errors import WalletSupportError")
    assert not HEAVY & {m.split(".")[0] for m in errors}
    schedule = _loaded_after("from walletsupport.calendars import Schedule")
    assert not {"holidays", "phonenumbers", "statemachine"} & {m.split(".")[0] for m in schedule}
    assert not any(
        m.startswith(("walletsupport.issues", "walletsupport.contact")) for m in schedule
    )


def test_the_command_line_help_loads_no_command_module() -> None:
    loaded = _loaded_after("from walletsupport.cli import main")
    assert "walletsupport.cli._commands" not in loaded
    assert not HEAVY & {m.split(".")[0] for m in loaded}


def test_the_assist_command_does_not_load_the_workflows() -> None:
    loaded = _loaded_after("import walletsupport.cli._commands")
    assert "statemachine" not in {m.split(".")[0] for m in loaded}
    assert not any(m.startswith("walletsupport.workflows") for m in loaded)


def test_the_command_line_help_runs_without_loading_a_command_or_a_heavy_library() -> None:
    loaded = _loaded_after(
        "import contextlib, io\n"
        "from walletsupport.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['--help']) == 0\n"
        "    assert main(['assist', '--help']) == 0"
    )
    assert not any(m.startswith("walletsupport.cli._commands") for m in loaded)
    assert not any(m.startswith(("walletsupport._assist", "walletsupport.issues")) for m in loaded)
    assert not HEAVY & {m.split(".")[0] for m in loaded}


# What the phone metadata, the holiday rules and the triage model load: none of it is paid for
# by importing a subpackage or a name that does not use it. (The registry knows the classifier
# protocol, so it may import the classifier module, but never reads the shipped model.)
TRIAGE = {"walletsupport.issues.triage", "walletsupport.issues.training"}
MODEL_READ = (
    "\nimport sys\n"
    "c = sys.modules.get('walletsupport.issues.classifier')\n"
    "print('model-read' if c and c.builtin_classifier.cache_info().currsize else '')"
)


def _heavy(loaded: set[str]) -> set[str]:
    return ({"phonenumbers", "holidays", "statemachine"} & {m.split(".")[0] for m in loaded}) | (
        TRIAGE & loaded
    )


def test_importing_a_subpackage_loads_none_of_its_modules() -> None:
    for package in ("issues", "verification", "regulation", "values", "contact", "calendars"):
        loaded = _loaded_after(f"import walletsupport.{package}")
        ours = {m for m in loaded if m.split(".")[0] == "walletsupport"}
        assert ours == {
            "walletsupport",
            "walletsupport._lazy",
            "walletsupport._version",
            f"walletsupport.{package}",
        }, package
        assert not HEAVY & {m.split(".")[0] for m in loaded}, package


def test_a_name_loads_only_what_it_needs() -> None:
    for statement in (
        "from walletsupport.issues import IssueCategory, Urgency, OTHER_ID",
        "from walletsupport.issues import IssueRegistry, default_registry, ENTRY_POINT_GROUP",
        "from walletsupport.verification import plan_verification, VerificationSession",
        "from walletsupport.verification import issue_code, verify_totp",
        "from walletsupport.values import Region, Money, parse_region\nparse_region('cn')",
        "from walletsupport.values import PhoneNumber",
        "from walletsupport.regulation import Institution, reg_e",
    ):
        loaded = _loaded_after(statement + MODEL_READ)
        assert _heavy(loaded) == set(), statement
        assert "model-read" not in loaded, statement
    categories = _loaded_after("from walletsupport.issues import IssueCategory")
    assert "walletsupport.issues.classifier" not in categories
    assert {m for m in categories if m.startswith("walletsupport.verification.")} == {
        "walletsupport.verification.actions"
    }


def test_the_triage_model_and_phone_metadata_load_on_first_use() -> None:
    loaded = _loaded_after(
        "from walletsupport.issues import triage\n"
        "from walletsupport.values import PhoneNumber\n"
        "assert triage('my account is locked').top.category_id == 'account_locked'\n"
        "assert PhoneNumber.parse('95188', region='CN').is_short" + MODEL_READ
    )
    assert {"walletsupport.issues.triage", "model-read", "phonenumbers"} <= loaded
    assert "walletsupport.issues.training" not in loaded


def test_the_assist_command_loads_only_what_its_answer_uses() -> None:
    loaded = _loaded_after(
        "import contextlib, io\n"
        "from walletsupport.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['assist', 'my card was charged twice', '--region', 'US',\n"
        "                 '--at', '2026-03-02T15:00:00+00:00']) == 0"
    )
    assert "walletsupport.regulation.reg_e" in loaded  # the answer's deadlines
    unused = {
        "walletsupport.cli._views",  # categories and hours only
        "walletsupport.verification.otp",  # the password-reset advice only
        "walletsupport.verification.reset",
        "walletsupport.verification.session",
        "walletsupport.regulation.psd2",  # other regions' regimes
        "walletsupport.regulation.uk",
        "walletsupport.issues.training",
        "walletsupport.adapters",
    }
    assert unused & loaded == set()


def test_every_subpackage_name_resolves_and_is_listed_by_dir() -> None:
    for package in ("issues", "verification", "regulation", "values", "contact", "calendars"):
        _loaded_after(
            f"import walletsupport.{package} as p\n"
            "assert all(getattr(p, n) is not None for n in p.__all__)\n"
            "assert set(p.__all__) <= set(dir(p))\n"
            "try:\n"
            "    p.no_such_name\n"
            "except AttributeError:\n"
            "    pass\n"
            "else:\n"
            "    raise AssertionError('no AttributeError')"
        )
