"""Fixtures for the governance tests: every store-backed test runs on SQLite and PostgreSQL.

PostgreSQL is a real, throwaway cluster started once per test session with the
machine's ``initdb``/``pg_ctl`` (found in ``FAIRWITNESS_PG_BIN``,
``/usr/lib/postgresql/*/bin`` or on ``PATH``). Each test starts from an empty,
migrated store: on SQLite a copied file; on PostgreSQL a shared database whose
tables are emptied before each test (cloning a database costs half a second),
or, for tests that tamper with the schema or triggers (``isolated_store``), a
database of their own cloned from the migrated template. When the binaries are missing the
PostgreSQL half is skipped locally, but fails loudly when ``CI`` is set.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from argon2 import PasswordHasher

from fairwitness.governance import db, users

from .governance_world import World
BACKENDS = ("sqlite", "postgresql")
RESET_TABLES = (
    "attachments", "audit_events", "cases", "decisions", "notes", "outcome_tallies",
    "reidentifications", "responses", "signal_outcomes", "signals", "tombstones", "users", "workforce", "held_signals", "detector_states",
)  # fmt: skip


# -- PostgreSQL cluster ------------------------------------------------------------------------


def _pg_bindir() -> Path | None:
    explicit = os.environ.get("FAIRWITNESS_PG_BIN")
    candidates = [explicit] if explicit else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True)
    if found := shutil.which("initdb"):
        candidates.append(str(Path(found).parent))
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    return None


def _fast_tmp() -> str | None:
    """A RAM-backed temporary directory if there is one (fsync-heavy stores run much faster there)."""
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgCluster:
    bindir: Path
    root: Path
    port: int
    as_postgres: bool
    counter: itertools.count = field(default_factory=itertools.count)

    def _run(self, *args: str) -> None:
        cmd = ["runuser", "-u", "postgres", "--", *args] if self.as_postgres else list(args)
        subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=60)

    def start(self) -> None:
        data = self.root / "data"
        self._run(str(self.bindir / "initdb"), "-N", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        opts = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c max_connections=200"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"  # throwaway: speed over durability
        )
        self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-l", str(self.root / "log"), "-o", opts, "-w", "-t", "30", "start")
        self.admin("CREATE ROLE app LOGIN PASSWORD 'app'")

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")

    def admin(self, sql: str) -> None:
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True) as conn:
            conn.execute(sql)

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://app:app@127.0.0.1:{self.port}/{name}"

    def new_database(self, *, template: str | None = None) -> str:
        name = f"t{next(self.counter)}"
        clause = f" TEMPLATE {template}" if template else ""
        self.admin(f"CREATE DATABASE {name} OWNER app{clause}")
        return self.url(name)

    def reset(self, name: str) -> bool:
        """Empty every governed table of database ``name``; False if its triggers are not intact."""
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=name, autocommit=True) as conn:
            triggers = conn.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass AND NOT tgisinternal"
            ).fetchone()
            if triggers is None or triggers[0] != 3:
                return False
            conn.execute("SET session_replication_role = replica")  # the append-only triggers do not fire
            conn.execute(f"TRUNCATE {', '.join(RESET_TABLES)} RESTART IDENTITY CASCADE")
        return True


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    bindir = _pg_bindir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) not found, and CI is set: install postgresql", pytrace=False)
        pytest.skip("PostgreSQL server binaries not found (set FAIRWITNESS_PG_BIN or install postgresql)")
    as_postgres = os.geteuid() == 0  # initdb refuses to run as root
    root = Path(tempfile.mkdtemp(prefix="fw-pg-", dir=_fast_tmp()))
    if as_postgres:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail("running as root, but there is no 'postgres' user to run the server as", pytrace=False)
        os.chown(root, pw.pw_uid, pw.pw_gid)
    cluster = PgCluster(bindir=bindir, root=root, port=_free_port(), as_postgres=as_postgres)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_template(pg_cluster: PgCluster) -> str:
    """A migrated database to clone per test."""
    pg_cluster.admin("CREATE DATABASE fw_template OWNER app")
    db.create_store(pg_cluster.url("fw_template")).dispose()
    return "fw_template"


@pytest.fixture(scope="session")
def pg_shared(pg_cluster: PgCluster, pg_template: str) -> list[str]:
    """The name of a database reused (emptied) from test to test; replaced if a test broke it."""
    return [pg_cluster.new_database(template=pg_template).rsplit("/", 1)[1]]


@pytest.fixture(scope="session")
def sqlite_template(sqlite_dir: Path) -> Path:
    path = sqlite_dir / "template.sqlite"
    db.create_store(f"sqlite:///{path}").dispose()
    return path


# -- stores ------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with tiny parameters: same code path, milliseconds instead of a tenth of a second."""
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(users, "password_hasher", lambda: hasher)


@pytest.fixture(params=[pytest.param(b, marks=[pytest.mark.postgres] if b == "postgresql" else []) for b in BACKENDS])
def backend(request: pytest.FixtureRequest) -> str:
    """The database under test; every store-backed test runs once per backend (``-m "not postgres"`` skips PG)."""
    return request.param


@pytest.fixture
def empty_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on the backend under test."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite'}"
    return request.getfixturevalue("pg_cluster").new_database()


@pytest.fixture(scope="session")
def sqlite_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="fw-sqlite-", dir=_fast_tmp()))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _sqlite_copy(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    path = request.getfixturevalue("sqlite_dir") / f"{tmp_path.name}.sqlite"
    shutil.copy(request.getfixturevalue("sqlite_template"), path)
    return f"sqlite:///{path}"


@pytest.fixture
def store_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated store on the backend under test (PostgreSQL: a shared database, emptied)."""
    if backend == "sqlite":
        return _sqlite_copy(request, tmp_path)
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    shared: list[str] = request.getfixturevalue("pg_shared")
    if not cluster.reset(shared[0]):
        shared[0] = cluster.new_database(template=request.getfixturevalue("pg_template")).rsplit("/", 1)[1]
    return cluster.url(shared[0])


@pytest.fixture
def isolated_store_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated store of the test's own, for tests that tamper with the schema or triggers."""
    if backend == "sqlite":
        return _sqlite_copy(request, tmp_path)
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database(template=request.getfixturevalue("pg_template"))


@pytest.fixture
def store(store_url: str) -> Iterator[db.Store]:
    s = db.create_store(store_url)
    yield s
    s.dispose()


@pytest.fixture
def isolated_store(isolated_store_url: str) -> Iterator[db.Store]:
    s = db.create_store(isolated_store_url)
    yield s
    s.dispose()


@pytest.fixture
def world(store: db.Store) -> World:
    return World(store)
