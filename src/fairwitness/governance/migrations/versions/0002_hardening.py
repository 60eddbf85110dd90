"""Hardening: the workforce kept with the store, retention tombstones, sealed audit events,
normalised usernames, and the pseudonym key moved out of the database.

Revision ID: 0002_hardening
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

from fairwitness.governance import keys

revision = "0002_hardening"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
SETTINGS = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text))
MAC_FROM = "audit_sealed_after_seq"


def _url() -> str:
    return op.get_bind().engine.url.render_as_string(hide_password=False)


def _normalise_usernames(bind: sa.Connection) -> None:
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("username", sa.String))
    rows = bind.execute(sa.select(users.c.id, users.c.username)).all()
    seen: dict[str, str] = {}
    for row in rows:
        name = unicodedata.normalize("NFKC", row.username).casefold()
        if name in seen:
            raise RuntimeError(
                f"accounts {seen[name]!r} and {row.username!r} are the same name once normalised: "
                "disable and rename one before upgrading"
            )
        seen[name] = row.username
    for row in rows:
        name = unicodedata.normalize("NFKC", row.username).casefold()
        if name != row.username:
            bind.execute(users.update().where(users.c.id == row.id).values(username=name))


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "workforce",
        sa.Column("staff_id", sa.String(64), nullable=False),
        sa.Column("line_manager_id", sa.String(64), nullable=True),
        sa.Column("refreshed_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_workforce")),
    )
    op.create_table(
        "tombstones",
        sa.Column("candidate_hash", sa.String(64), nullable=False),
        sa.Column("run_id", sa.String(128), nullable=False),
        sa.Column("pseudonym", sa.String(32), nullable=False),
        sa.Column("purged_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("candidate_hash", name=op.f("pk_tombstones")),
    )
    op.create_index(op.f("ix_tombstones_run_id"), "tombstones", ["run_id"])
    op.create_index(op.f("ix_tombstones_pseudonym"), "tombstones", ["pseudonym"])
    # ADD COLUMN, not a batch rebuild: rebuilding audit_events on SQLite would drop its triggers
    op.add_column("audit_events", sa.Column("mac", sa.String(64), nullable=True))
    _normalise_usernames(bind)

    head = bind.execute(sa.text("SELECT max(seq) FROM audit_events")).scalar() or 0
    op.bulk_insert(SETTINGS, [{"key": MAC_FROM, "value": str(head)}])
    legacy = bind.execute(sa.select(SETTINGS.c.value).where(SETTINGS.c.key == "pseudonym_key")).scalar()
    in_use = bool(head) or bool(bind.execute(sa.text("SELECT count(*) FROM cases")).scalar())
    keys.provide(_url(), legacy=bytes.fromhex(legacy) if legacy and in_use else None)
    bind.execute(SETTINGS.delete().where(SETTINGS.c.key == "pseudonym_key"))


def downgrade() -> None:
    bind = op.get_bind()
    key = keys.load(_url())
    op.bulk_insert(SETTINGS, [{"key": "pseudonym_key", "value": key.hex()}])
    bind.execute(SETTINGS.delete().where(SETTINGS.c.key == MAC_FROM))
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")  # SQLite cannot drop a column under triggers
        op.drop_column("audit_events", "mac")
        op.execute(
            "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END"
        )
    else:
        op.drop_column("audit_events", "mac")
    op.drop_index(op.f("ix_tombstones_pseudonym"), table_name="tombstones")
    op.drop_index(op.f("ix_tombstones_run_id"), table_name="tombstones")
    op.drop_table("tombstones")
    op.drop_table("workforce")
