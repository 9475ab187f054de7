"""Fixtures for integration tests that need a real PostgreSQL server.

Where the server comes from, in order:

1. ``WALLETSUPPORT_TEST_POSTGRES_DSN`` (``.ci/run`` sets it after starting a cluster);
2. a throwaway cluster started here with Debian's server binaries
   (``/usr/lib/postgresql/*/bin``, or ``pg_ctl`` on ``PATH``) in a temp dir on a free loopback
   port, stopped at the end of the session;
3. otherwise the PostgreSQL tests fail when ``CI`` is set, and are skipped with a reason
   locally.

Each test gets its own PostgreSQL schema (``postgres_schema``), dropped afterwards, so tests
never see each other's cases.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

DSN_VARIABLE = "WALLETSUPPORT_TEST_POSTGRES_DSN"
_INSTALL_HINT = (
    "no PostgreSQL server binaries found: install Debian's postgresql package "
    "(apt-get install postgresql) or set " + DSN_VARIABLE + " to a server's DSN"
)


def _server_bindir() -> Path | None:
    """The newest Debian server bin dir, or the directory of ``pg_ctl`` on PATH."""

    def version(path: str) -> tuple[int, ...]:
        parts = Path(path).parts[-3].split(".")
        return tuple(int(p) for p in parts if p.isdigit())

    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=version)
    if candidates:
        return Path(candidates[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Cluster:
    """A throwaway cluster: ``initdb`` + ``pg_ctl start`` in a temp dir, trust auth on loopback."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="walletsupport-pg-test."))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.root, "postgres", "postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_postgres, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> str:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "walletsupport",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=60"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "log"),
            "-w",
            "-o",
            options,
            "start",
        )
        self._run(
            str(self.bindir / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "walletsupport",
            "walletsupport_test",
        )
        return f"postgresql://walletsupport@127.0.0.1:{self.port}/walletsupport_test"

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A DSN of a live PostgreSQL server for this test session (see the module docstring)."""
    import psycopg

    dsn = os.environ.get(DSN_VARIABLE)
    cluster: _Cluster | None = None
    if not dsn:
        bindir = _server_bindir()
        if bindir is None:
            _unavailable(_INSTALL_HINT)
            return
        try:
            cluster = _Cluster(bindir)
            dsn = cluster.start()
        except (subprocess.SubprocessError, OSError, LookupError) as exc:
            if cluster is not None:
                cluster.stop()
            _unavailable(f"could not start a throwaway PostgreSQL cluster with {bindir}: {exc}")
            return
    try:
        with psycopg.connect(dsn, connect_timeout=10):
            pass
    except psycopg.Error as exc:
        if cluster is not None:
            cluster.stop()
        _unavailable(f"the PostgreSQL server at {DSN_VARIABLE} does not answer: {exc}")
        return
    try:
        yield dsn
    finally:
        if cluster is not None:
            cluster.stop()


def drop_schema(dsn: str, schema: str) -> None:
    """Drop ``schema`` and everything in it (test cleanup)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET lock_timeout = '20s'")  # a test that left a lock behind fails loudly
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture
def postgres_schema(postgres_dsn: str) -> Iterator[str]:
    """A fresh, unique schema name for one test; dropped when the test ends."""
    schema = "t_" + uuid.uuid4().hex[:16]
    yield schema
    drop_schema(postgres_dsn, schema)


@pytest.fixture
def postgres_store_factory(
    postgres_dsn: str, postgres_schema: str
) -> Iterator[Callable[[], object]]:
    """Build ``PostgresStore`` objects on this test's own schema; closes them afterwards."""
    from walletsupport.adapters.postgres import PostgresStore

    stores: list[PostgresStore] = []

    def make() -> PostgresStore:
        store = PostgresStore(postgres_dsn, schema=postgres_schema)
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()
