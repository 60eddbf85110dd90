"""The store: engine, sessions and migrations, on SQLite or PostgreSQL.

``create_store(url)`` opens the database and brings its schema to the newest
migration (Alembic, run programmatically; never ``create_all``). The default
store is ``WS/governance.sqlite``; ``--db postgresql://...`` (or
``postgresql+psycopg://...``) selects PostgreSQL.

Transactions: on SQLite every transaction starts with ``BEGIN IMMEDIATE`` (one
writer at a time, waiting up to ``busy_timeout``), because nearly every
transaction appends to the audit log. On PostgreSQL, cases are protected by
optimistic concurrency (a version column) and audit appends by an advisory lock
taken at commit (see `fairwitness.governance.audit`).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from fairwitness.governance import audit, keys
from fairwitness.governance.errors import GovernanceError
from fairwitness.governance.pseudonyms import KEY_INFO

MIGRATIONS = Path(__file__).parent / "migrations"
DEFAULT_FILENAME = "governance.sqlite"
SQLITE_BUSY_TIMEOUT_MS = 30_000
_MIGRATION_LOCK_KEY = 0x46574D494752  # "FWMIGR": PostgreSQL advisory lock held while migrating


def store_url(*, workspace: str | Path | None = None, db: str | None = None) -> str:
    """The store's URL: ``db`` if given, else ``WS/governance.sqlite``."""
    if db:
        return normalise_url(db)
    if workspace is None:
        raise ValueError("give a workspace directory or a database URL")
    return f"sqlite:///{Path(workspace).resolve() / DEFAULT_FILENAME}"


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # readers no longer wait for the writer (the web app reads while it appends to the audit log); with WAL,
    # NORMAL still never corrupts the store, and a power cut can lose only the last commits, not reorder them
    _use_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _use_wal(cursor: Any) -> None:
    """Put the file in WAL mode (it stays so); retry while another connection holds it.

    Switching a new file to WAL needs it to itself, and SQLite answers "database is locked" at once
    instead of calling the busy handler: two processes opening a new store together met that (1 in 5
    at random on CI). WAL mode is kept in the file, so once any connection has set it the others read it.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine_for(url: str) -> Engine:
    """An engine with the store's per-dialect settings."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest migration (read once per process)."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(*, engine: Engine) -> str | None:
    """The migration the database is at (``None`` for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(*, engine: Engine, revision: str = "head") -> None:
    """Run migrations up to ``revision`` (one process at a time on PostgreSQL; SQLite is exclusive anyway)."""
    cfg = _alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_KEY})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(*, engine: Engine, revision: str = "base") -> None:
    """Run migrations down to ``revision``."""
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


@dataclass
class Store:
    """An open governance store."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on error.

        When the error is a refusal that carries an audit record (failed
        sign-in, permission denied) the refusal is recorded in its own
        transaction after the rollback, then the error propagates.
        """
        session = self.sessions()
        try:
            yield session
            session.commit()
        except GovernanceError as exc:
            session.rollback()
            if exc.audit is not None:
                self.record_event(**exc.audit)
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def record_event(
        self,
        *,
        actor: str,
        action: str,
        object_type: str,
        object_id: str | None = None,
        subject: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append one event in a transaction of its own (e.g. ``run.complete`` from the detector runner)."""
        with self.sessions() as session:
            audit.record(
                session=session,
                actor=actor,
                action=action,
                object_type=object_type,
                object_id=object_id,
                subject=subject,
                detail=detail,
            )
            session.commit()

    def dispose(self) -> None:
        self.engine.dispose()


def create_store(url: str, *, migrate: bool = True) -> Store:
    """Open the store at ``url`` and (unless ``migrate=False``) upgrade it to the newest schema.

    The store's key (`fairwitness.governance.keys`) must be available: every
    session carries it, to pseudonymise and to seal audit events.
    """
    engine = create_engine_for(url)
    try:
        revision = current_revision(engine=engine)
        if migrate and revision != head_revision():
            upgrade(engine=engine)
        elif revision != head_revision():
            raise GovernanceError(f"the store is at migration {revision}, not {head_revision()}: upgrade it first")
        key = keys.load(normalise_url(url))
    except BaseException:
        engine.dispose()
        raise
    sessions = sessionmaker(bind=engine, expire_on_commit=False, info={KEY_INFO: key})
    audit.install(sessions)
    return Store(url=normalise_url(url), engine=engine, sessions=sessions)
