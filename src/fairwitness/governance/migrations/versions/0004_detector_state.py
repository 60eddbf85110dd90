"""Detector state: detectors under review after a fairness or precision audit, and the signals
held out of case import while they are (`fairwitness.governance.detector_state`).

Revision ID: 0004_detector_state
Revises: 0003_queue_indexes
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_detector_state"
down_revision = "0003_queue_indexes"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "detector_states",
        sa.Column("detector", sa.String(128), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("changed_at", TS, nullable=False),
        sa.Column("changed_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("detector", name=op.f("pk_detector_states")),
    )
    op.create_table(
        "held_signals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("detector", sa.String(128), nullable=False),
        sa.Column("signal_id", sa.String(128), nullable=False),
        sa.Column("run_id", sa.String(128), nullable=False),
        sa.Column("candidate_id", sa.String(128), nullable=False),
        sa.Column("route", sa.String(40), nullable=False),
        sa.Column("held_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["detector"], ["detector_states.detector"], name=op.f("fk_held_signals_detector_detector_states")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_signals")),
    )
    op.create_index(op.f("ix_held_signals_detector"), "held_signals", ["detector"])
    op.create_index(op.f("ix_held_signals_run_id"), "held_signals", ["run_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_held_signals_run_id"), table_name="held_signals")
    op.drop_index(op.f("ix_held_signals_detector"), table_name="held_signals")
    op.drop_table("held_signals")
    op.drop_table("detector_states")
