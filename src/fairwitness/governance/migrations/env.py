"""Alembic environment for the governance store.

Run programmatically by `fairwitness.governance.db.upgrade`, which hands over an
open connection in ``config.attributes["connection"]``. Also usable with the
``alembic`` command (``-x url=...`` or ``sqlalchemy.url``) to write new revisions.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from fairwitness.governance import detector_state  # noqa: F401  (its tables are in Base.metadata)
from fairwitness.governance.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) mode is not supported: triggers differ per database")
run_migrations_online()
