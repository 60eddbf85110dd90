"""Initial governance schema: users, cases, signals, decisions, responses, re-identification,
the hash-chained audit log with append-only triggers, and the pseudonym key.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)

SQLITE_TRIGGERS = (
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END""",
)
POSTGRES_TRIGGERS = (
    """CREATE FUNCTION audit_events_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$""",
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse()""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse()""",
    """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse()""",
)


def _pk(table: str, *cols: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*cols, name=op.f(f"pk_{table}"))


def _fk(table: str, col: str, target: str, *, cascade: bool = False) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [col], [f"{target}.id"], name=op.f(f"fk_{table}_{col}_{target}"), ondelete="CASCADE" if cascade else None
    )


def _index(table: str, *cols: str) -> None:
    for col in cols:
        op.create_index(op.f(f"ix_{table}_{col}"), table, [col])


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        _pk("settings", "key"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("staff_id", sa.String(64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("disabled_at", TS, nullable=True),
        _pk("users", "id"),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    _index("users", "staff_id")
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.String(128), nullable=False),
        sa.Column("run_id", sa.String(128), nullable=False),
        sa.Column("staff_id", sa.String(64), nullable=False),
        sa.Column("pseudonym", sa.String(32), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("route", sa.String(40), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("detectors", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("cases", "assignee_id", "users"),
        _pk("cases", "id"),
        sa.UniqueConstraint("candidate_id", name=op.f("uq_cases_candidate_id")),
    )
    _index("cases", "pseudonym", "run_id", "staff_id", "state")
    op.create_table(
        "signals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("signal_id", sa.String(128), nullable=False),
        sa.Column("detector", sa.String(128), nullable=False),
        sa.Column("detector_version", sa.String(64), nullable=False),
        sa.Column("route", sa.String(40), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("severity", sa.String(32), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        _fk("signals", "case_id", "cases", cascade=True),
        _pk("signals", "id"),
        sa.UniqueConstraint("case_id", "signal_id", name=op.f("uq_signals_case_id")),
    )
    _index("signals", "case_id", "detector")
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        _fk("notes", "author_id", "users"),
        _fk("notes", "case_id", "cases", cascade=True),
        _pk("notes", "id"),
    )
    _index("notes", "case_id")
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("requires_concurrence", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("concurred_by_id", sa.Integer(), nullable=True),
        sa.Column("concurred_at", TS, nullable=True),
        sa.Column("concurrence_rationale", sa.Text(), nullable=True),
        _fk("decisions", "case_id", "cases", cascade=True),
        _fk("decisions", "concurred_by_id", "users"),
        _fk("decisions", "reviewer_id", "users"),
        _pk("decisions", "id"),
    )
    _index("decisions", "case_id")
    op.create_table(
        "signal_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("signal_pk", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        _fk("signal_outcomes", "decision_id", "decisions", cascade=True),
        sa.ForeignKeyConstraint(
            ["signal_pk"], ["signals.id"], name=op.f("fk_signal_outcomes_signal_pk_signals"), ondelete="CASCADE"
        ),
        _pk("signal_outcomes", "id"),
    )
    _index("signal_outcomes", "decision_id", "signal_pk")
    op.create_table(
        "outcome_tallies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("detector", sa.String(128), nullable=False),
        sa.Column("detector_version", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        _pk("outcome_tallies", "id"),
        sa.UniqueConstraint("detector", "detector_version", "outcome", name=op.f("uq_outcome_tallies_detector")),
    )
    op.create_table(
        "responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        _fk("responses", "case_id", "cases", cascade=True),
        _fk("responses", "recorded_by_id", "users"),
        _pk("responses", "id"),
    )
    _index("responses", "case_id")
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("media_type", sa.String(127), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        _fk("attachments", "response_id", "responses", cascade=True),
        _pk("attachments", "id"),
    )
    _index("attachments", "response_id")
    op.create_table(
        "reidentifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("granted_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        _fk("reidentifications", "case_id", "cases", cascade=True),
        _fk("reidentifications", "user_id", "users"),
        _pk("reidentifications", "id"),
    )
    _index("reidentifications", "case_id", "pseudonym", "user_id")
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("object_type", sa.String(32), nullable=False),
        sa.Column("object_id", sa.String(128), nullable=True),
        sa.Column("subject", sa.String(32), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        _pk("audit_events", "seq"),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_events_hash")),
    )
    _index("audit_events", "action", "subject")
    triggers = POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for ddl in triggers:
        op.execute(ddl)

    settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.bulk_insert(settings, [{"key": "pseudonym_key", "value": secrets.token_hex(32)}])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trigger in ("audit_events_no_update", "audit_events_no_delete", "audit_events_no_truncate"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_refuse()")
    for table in (
        "audit_events",
        "reidentifications",
        "attachments",
        "responses",
        "outcome_tallies",
        "signal_outcomes",
        "decisions",
        "notes",
        "signals",
        "cases",
        "users",
        "settings",
    ):
        op.drop_table(table)  # SQLite drops a table's triggers and indexes with it
