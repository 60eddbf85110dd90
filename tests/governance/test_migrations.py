"""The store is created by Alembic migrations, on both databases, and matches the models."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from fairwitness.governance import db
from fairwitness.governance.models import Base, Setting

TABLES = {
    "alembic_version", "attachments", "audit_events", "cases", "decisions", "notes", "outcome_tallies",
    "reidentifications", "responses", "settings", "signal_outcomes", "signals", "tombstones", "users", "workforce", "detector_states", "held_signals",
}  # fmt: skip


def test_upgrade_from_empty_creates_the_schema(empty_url: str) -> None:
    engine = db.create_engine_for(empty_url)
    assert db.current_revision(engine=engine) is None
    assert inspect(engine).get_table_names() == []
    store = db.create_store(empty_url)
    try:
        assert db.current_revision(engine=store.engine) == db.head_revision()
        assert set(inspect(store.engine).get_table_names()) == TABLES
        with store.session() as s:  # the key is kept outside the database
            assert s.scalar(select(Setting.value).where(Setting.key == "pseudonym_key")) is None
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


def _open_together(url: str) -> list[BaseException]:
    import threading

    errors: list[BaseException] = []
    start = threading.Barrier(2, timeout=15)

    def open_store() -> None:
        try:
            start.wait()
            db.create_store(url).dispose()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


def test_two_processes_opening_a_new_store_at_once_both_succeed(empty_url: str, tmp_path: Path) -> None:
    assert _open_together(empty_url) == []
    engine = db.create_engine_for(empty_url)
    try:
        assert db.current_revision(engine=engine) == db.head_revision()
    finally:
        engine.dispose()
    if empty_url.startswith("sqlite"):
        # switching a new file to WAL met "database is locked" in about 1 opening in 5 (CI, 2026-12-04):
        # twenty new files make a regression all but certain to show
        urls = [f"sqlite:///{tmp_path / f'new{i}.sqlite'}" for i in range(20)]
        assert [(url, errors) for url in urls if (errors := _open_together(url))] == []


def test_upgrading_an_older_store_moves_its_key_out_and_normalises_usernames(
    empty_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0002_hardening: the key leaves the database for the key file, unchanged, so pseudonyms stay stable."""
    from fairwitness.governance import keys

    engine = db.create_engine_for(empty_url)
    try:
        db.upgrade(engine=engine, revision="0001")
        with engine.begin() as conn:
            legacy = conn.execute(text("SELECT value FROM settings WHERE key = 'pseudonym_key'")).scalar()
            conn.execute(text(
                "INSERT INTO users (username, password_hash, role, active, created_at) "
                "VALUES ('Rita', 'x', 'reviewer', true, CURRENT_TIMESTAMP)"
            ))  # fmt: skip
            conn.execute(text(
                "INSERT INTO audit_events (seq, at, actor, action, object_type, detail, prev_hash, hash) "
                "VALUES (1, CURRENT_TIMESTAMP, 'Rita', 'user.create', 'user', '{}', :g, :h)"
            ), {"g": "0" * 64, "h": "1" * 64})  # fmt: skip
        monkeypatch.delenv(keys.ENV_KEY, raising=False)
        monkeypatch.setenv(keys.ENV_KEY_FILE, str(tmp_path / "store.key"))
        db.upgrade(engine=engine)
        assert (tmp_path / "store.key").read_text().strip() == legacy
        assert stat.S_IMODE((tmp_path / "store.key").stat().st_mode) == 0o600
        with engine.begin() as conn:
            assert conn.execute(text("SELECT value FROM settings WHERE key = 'pseudonym_key'")).scalar() is None
            assert conn.execute(text("SELECT username FROM users")).scalar() == "rita"
    finally:
        engine.dispose()


def test_every_table_has_a_privilege_class_for_the_application_role():
    """A new table the application role was never granted fails at run time on PostgreSQL only."""
    from fairwitness.governance import privileges

    classified = set(privileges.READ_WRITE) | set(privileges.APPEND_ONLY) | set(privileges.READ_ONLY)
    assert TABLES == classified
