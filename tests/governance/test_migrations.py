"""The store is created by Alembic migrations, on both databases, and matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select

from fairwitness.governance import db
from fairwitness.governance.models import Base, Setting

TABLES = {
    "alembic_version", "attachments", "audit_events", "cases", "decisions", "detector_states", "held_signals",
    "notes", "outcome_tallies",
    "reidentifications", "responses", "settings", "signal_outcomes", "signals", "users",
}  # fmt: skip


def test_upgrade_from_empty_creates_the_schema(empty_url: str) -> None:
    engine = db.create_engine_for(empty_url)
    assert db.current_revision(engine=engine) is None
    assert inspect(engine).get_table_names() == []
    store = db.create_store(empty_url)
    try:
        assert db.current_revision(engine=store.engine) == db.head_revision()
        assert set(inspect(store.engine).get_table_names()) == TABLES
        with store.session() as s:
            key = s.scalar(select(Setting.value).where(Setting.key == "pseudonym_key"))
        assert key is not None and len(bytes.fromhex(key)) == 32
    finally:
        store.dispose()
        engine.dispose()


def test_models_match_the_migrations(store: db.Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_downgrade_to_empty_and_upgrade_again(isolated_store: db.Store) -> None:
    db.downgrade(engine=isolated_store.engine, revision="base")
    assert set(inspect(isolated_store.engine).get_table_names()) <= {"alembic_version"}
    db.upgrade(engine=isolated_store.engine)
    assert set(inspect(isolated_store.engine).get_table_names()) == TABLES


def test_opening_an_up_to_date_store_runs_no_migration(store: db.Store) -> None:
    again = db.create_store(store.url)
    try:
        assert db.current_revision(engine=again.engine) == db.head_revision()
    finally:
        again.dispose()


def test_postgres_urls_use_psycopg() -> None:
    assert db.normalise_url("postgresql://u:p@h/d") == "postgresql+psycopg://u:p@h/d"
    assert db.normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.store_url(workspace="/ws", db=None) == "sqlite:////ws/governance.sqlite"
    assert db.store_url(workspace="/ws", db="postgresql://x/y") == "postgresql+psycopg://x/y"


def test_two_processes_opening_a_new_store_at_once_both_succeed(empty_url: str) -> None:
    import threading

    errors: list[BaseException] = []
    start = threading.Barrier(2, timeout=15)

    def open_store() -> None:
        try:
            start.wait()
            db.create_store(empty_url).dispose()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    engine = db.create_engine_for(empty_url)
    try:
        assert db.current_revision(engine=engine) == db.head_revision()
    finally:
        engine.dispose()
