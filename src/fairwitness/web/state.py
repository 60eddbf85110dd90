"""`WebState`: what every request shares — the open store, templates, sessions, the lake's people.

Each person's unit (for the queue filter) is read from the workspace's ``people`` table
once and re-read when the lake's catalogue changes (a new ingest). Line management, for
the independence checks, is the library's business: the store keeps the workforce.

On PostgreSQL the app's connections do not start parallel query workers
(``max_parallel_workers_per_gather = 0``): every query of a page is short, and starting
workers cost more (about 10 ms a query) than they saved.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from fairwitness.governance.db import Store, create_store, store_url
from fairwitness.web.runfiles import RunFiles
from fairwitness.web.sessions import LoginThrottle, SessionStore
from fairwitness.web.settings import WebSettings

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


@dataclass
class People:
    """What the lake says about the workforce that the app needs (no personal details)."""

    unit_of: Mapping[str, str]
    units: list[tuple[str, str]]
    """(unit_id, unit name), by name."""


def read_people(workspace: Path) -> People:
    from fairwitness.workspace import Workspace

    ws = Workspace(workspace)
    if not ws.exists() or "people" not in ws.loaded_tables():
        return People({}, [])
    con = ws.connect()
    try:
        unit_of = dict(con.execute("SELECT staff_id, unit_id FROM people").fetchall())
        units = (
            con.execute("SELECT unit_id, name FROM units ORDER BY name").fetchall()
            if "units" in ws.loaded_tables()
            else [(u, u) for u in sorted(set(unit_of.values()))]
        )
    finally:
        con.close()
    return People(unit_of, [(str(u), str(n)) for u, n in units])


def _no_parallel_workers(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("SET max_parallel_workers_per_gather = 0")
    dbapi_connection.commit()  # a plain SET lasts for the connection, unless its transaction is rolled back


def _serial_queries(engine: Engine) -> None:
    """Every new connection of ``engine`` runs its queries without parallel workers (connections already
    open are closed, so none is left without the setting)."""
    event.listen(engine, "connect", _no_parallel_workers)
    engine.dispose()


@dataclass
class WebState:
    settings: WebSettings
    store: Store
    templates: Jinja2Templates
    sessions: SessionStore
    throttle: LoginThrottle
    runs: RunFiles
    """The run records the case pages read (in memory while their files are unchanged)."""
    _people: People | None = None
    _people_stamp: float | None = None
    _coverage: tuple[float | None, dict[str, Any]] | None = None
    _detectors: list[str] | None = None
    _writer: threading.RLock = field(default_factory=threading.RLock)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, settings: WebSettings) -> WebState:
        store = create_store(store_url(workspace=settings.workspace, db=settings.db))
        if store.engine.dialect.name == "postgresql":
            _serial_queries(store.engine)
        templates = Jinja2Templates(directory=str(TEMPLATES))
        sessions = SessionStore(
            idle=dt.timedelta(minutes=settings.session_idle_minutes), max_age=dt.timedelta(hours=settings.session_max_hours)
        )
        throttle = LoginThrottle(settings.login_attempts, dt.timedelta(minutes=settings.login_window_minutes))
        return cls(settings=settings, store=store, templates=templates, sessions=sessions, throttle=throttle,
                   runs=RunFiles(Path(settings.workspace)))  # fmt: skip

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work on the store (see `Store.session`: refusals are audited).

        On SQLite every transaction is a writer (``BEGIN IMMEDIATE``: each page view appends
        to the audit log), so the app's threads take turns here rather than in SQLite's busy
        handler, whose growing sleeps made the slowest requests wait seconds under load.
        """
        if self.store.engine.dialect.name == "sqlite":
            with self._writer, self.store.session() as s:
                yield s
        else:
            with self.store.session() as s:
                yield s

    def people(self) -> People:
        catalog = Path(self.settings.workspace) / "catalog.duckdb"
        stamp = catalog.stat().st_mtime if catalog.exists() else None
        with self._lock:
            if self._people is None or stamp != self._people_stamp:
                self._people, self._people_stamp = read_people(Path(self.settings.workspace)), stamp
            return self._people

    def coverage(self) -> dict[str, Any]:
        """Each loaded table's coverage (`casefile.read_coverage`), re-read after an ingest."""
        from fairwitness.web.casefile import read_coverage

        catalog = Path(self.settings.workspace) / "catalog.duckdb"
        stamp = catalog.stat().st_mtime if catalog.exists() else None
        cached = self._coverage
        if cached is None or cached[0] != stamp:
            cached = self._coverage = (stamp, read_coverage(Path(self.settings.workspace)))
        return cached[1]

    def detectors(self) -> list[str]:
        """Names of the registered detectors (for the queue's filter), loaded once."""
        if self._detectors is None:
            from fairwitness.detectors.registry import load_registry

            self._detectors = sorted(load_registry().detectors)
        return self._detectors

    def close(self) -> None:
        self.store.dispose()
