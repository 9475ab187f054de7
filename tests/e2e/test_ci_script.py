""".ci/run removes everything it creates: the PostgreSQL cluster, temporary files, caches.

The workspace and cluster helpers of ``.ci/run`` are run in a throwaway folder, made to create
files the way a test session does, and then exit — once cleanly, once failing. Afterwards the
workspace folder is gone, the server is stopped, and a ``.venv`` the run created is removed.
"""

from __future__ import annotations

import glob
import os
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _have_postgres() -> None:
    if glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"):
        return
    if os.environ.get("CI"):
        pytest.fail("Debian's postgresql package is missing (.ci/run installs it)")
    pytest.skip("Debian's postgresql package is not installed")


@pytest.mark.parametrize("exit_status", [0, 3])
def test_the_ci_workspace_and_cluster_leave_nothing_behind(tmp_path: Path, exit_status: int):
    _have_postgres()
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    port = _free_port()
    script = f"""
        set -euo pipefail
        source {ROOT}/.ci/lib.sh
        source {ROOT}/.ci/postgres.sh
        start_workspace
        echo "$CI_TMP"
        start_throwaway_postgres
        mkdir .venv && touch .venv/made-by-the-run          # as the README command would
        echo data > "$TMPDIR/made-by-a-test"
        python3 -c "import tempfile; tempfile.mkdtemp()"   # honours TMPDIR
        {"exit " + str(exit_status) if exit_status else "true"}
    """
    env = {**os.environ, "WALLETSUPPORT_PG_PORT": str(port)}
    env.pop("TMPDIR", None)
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )
    assert result.returncode == exit_status, result.stderr
    workspace = Path(result.stdout.splitlines()[0])
    assert workspace.name.startswith("walletsupport-ci.")
    assert not workspace.exists(), "the CI workspace (PostgreSQL data, temp files) was left"
    assert not (checkout / ".venv").exists()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "the PostgreSQL server still runs"


def test_an_existing_venv_is_kept(tmp_path: Path):
    (tmp_path / ".venv").mkdir()
    script = f"source {ROOT}/.ci/lib.sh; start_workspace; echo $CI_TMP"
    result = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / ".venv").is_dir()
    assert not Path(result.stdout.strip()).exists()
