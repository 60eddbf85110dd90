"""The workforce's generation: a random token in ``settings`` that the database replaces whenever the
``workforce`` table changes, by any writer (triggers), so a process may keep the line-management chain in
memory and know, with one primary-key read, whether it is still the store's
(`fairwitness.governance.workforce`). On PostgreSQL the trigger function runs as its owner (the
role that migrates), since the application role may only read ``settings``
(`fairwitness.governance.privileges`).

Revision ID: 0005_workforce_generation
Revises: 0004_detector_state
Create Date: 2026-12-03
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0005_workforce_generation"
down_revision = "0004_detector_state"
branch_labels = None
depends_on = None

KEY = "workforce_generation"  # = fairwitness.governance.workforce.GENERATION (migrations do not import the code)
_SET = f"UPDATE settings SET value = {{token}} WHERE key = '{KEY}'"
SQLITE_TRIGGERS = tuple(
    f"""CREATE TRIGGER workforce_generation_{op_name.lower()} AFTER {op_name} ON workforce
    BEGIN {_SET.format(token="lower(hex(randomblob(16)))")}; END"""
    for op_name in ("INSERT", "UPDATE", "DELETE")
)
POSTGRES_TRIGGERS = (  # SECURITY DEFINER: the application role may write the workforce but only read settings
    f"""CREATE FUNCTION workforce_generation_bump() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        {_SET.format(token="md5(random()::text || clock_timestamp()::text)")};
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER workforce_generation_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON workforce
    FOR EACH STATEMENT EXECUTE FUNCTION workforce_generation_bump()""",
)


def upgrade() -> None:
    settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.bulk_insert(settings, [{"key": KEY, "value": secrets.token_hex(16)}])
    for ddl in POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS:
        op.execute(ddl)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS workforce_generation_change ON workforce")
        op.execute("DROP FUNCTION IF EXISTS workforce_generation_bump()")
    else:
        for op_name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS workforce_generation_{op_name}")
    op.execute(f"DELETE FROM settings WHERE key = '{KEY}'")
