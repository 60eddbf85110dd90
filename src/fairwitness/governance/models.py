"""The governance store's tables (SQLAlchemy 2 declarative).

The schema is created by the Alembic migrations in ``migrations/``, never by
``create_all``; a test checks that these models and the migrations agree.
Timestamps are timezone-aware UTC on both SQLite and PostgreSQL (`UTCDateTime`).
Cases carry a ``version`` column used for optimistic concurrency: an update
whose version is stale fails instead of overwriting someone else's work.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

UTC = dt.UTC

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in and out, on every backend (SQLite stores naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: governance timestamps must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Setting(Base):
    """Store-wide settings (never the key: that lives outside the database, see `keys`)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    staff_id: Mapped[str | None] = mapped_column(String(64), index=True)
    """Links the account to the workforce, so self and line-chain review can be refused."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (  # the web queue's counts and sorts (migration 0003_queue_indexes)
        Index("ix_cases_queue_route_state", "route", "state"),
        Index("ix_cases_queue_score", "score", "id"),
        Index("ix_cases_queue_created", "created_at", "id"),
        Index("ix_cases_queue_route_score", "route", "score", "id"),
        Index("ix_cases_queue_route_created", "route", "created_at", "id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[str] = mapped_column(String(128), unique=True)
    run_id: Mapped[str] = mapped_column(String(128), index=True)
    staff_id: Mapped[str] = mapped_column(String(64), index=True)
    pseudonym: Mapped[str] = mapped_column(String(32), index=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    route: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    detectors: Mapped[list[str]] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)

    signals: Mapped[list[Signal]] = relationship(back_populates="case", order_by="Signal.id")
    notes: Mapped[list[Note]] = relationship(order_by="Note.id")
    decisions: Mapped[list[Decision]] = relationship(back_populates="case", order_by="Decision.id")
    responses: Mapped[list[Response]] = relationship(order_by="Response.id")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])

    __mapper_args__ = {"version_id_col": version}


class Signal(Base):
    __tablename__ = "signals"
    __table_args__ = (UniqueConstraint("case_id", "signal_id"), Index("ix_signals_queue_detector", "detector", "case_id"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    signal_id: Mapped[str] = mapped_column(String(128))
    detector: Mapped[str] = mapped_column(String(128), index=True)
    detector_version: Mapped[str] = mapped_column(String(64))
    route: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    severity: Mapped[str] = mapped_column(String(32))
    explanation: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)

    case: Mapped[Case] = relationship(back_populates="signals")


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    author: Mapped[User] = relationship()


class Decision(Base):
    """A reviewer's decision. Adverse outcomes wait (``pending``) for a second reviewer."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str] = mapped_column(String(40))
    rationale: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    """pending (awaiting concurrence), final, rejected (second reviewer dissented), superseded."""
    requires_concurrence: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    concurred_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    concurred_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    concurrence_rationale: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="decisions")
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])
    concurred_by: Mapped[User | None] = relationship(foreign_keys=[concurred_by_id])
    signal_outcomes: Mapped[list[SignalOutcome]] = relationship(order_by="SignalOutcome.id")


class SignalOutcome(Base):
    """The outcome a decision gives one signal: what detector precision is computed from."""

    __tablename__ = "signal_outcomes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    signal_pk: Mapped[int] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(40))

    signal: Mapped[Signal] = relationship()


class OutcomeTally(Base):
    """Counts of final signal outcomes of purged cases, so precision survives retention."""

    __tablename__ = "outcome_tallies"
    __table_args__ = (UniqueConstraint("detector", "detector_version", "outcome"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    detector: Mapped[str] = mapped_column(String(128))
    detector_version: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer)


class Response(Base):
    """The subject's response to a case, recorded on their behalf."""

    __tablename__ = "responses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    recorded_by: Mapped[User] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(order_by="Attachment.id")


class Attachment(Base):
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Reidentification(Base):
    """A recorded, expiring grant to see who is behind one case's pseudonym."""

    __tablename__ = "reidentifications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    pseudonym: Mapped[str] = mapped_column(String(32), index=True)
    reason: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class AuditEvent(Base):
    """One link of the hash chain. Append-only: database triggers refuse UPDATE and DELETE."""

    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(128))
    subject: Mapped[str | None] = mapped_column(String(32), index=True)
    """Pseudonym of the person the event is about, if any (subject access finds events by it)."""
    detail: Mapped[str] = mapped_column(Text)
    """Canonical JSON (sorted keys), hashed exactly as stored."""
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    mac: Mapped[str | None] = mapped_column(String(64))
    """``HMAC(audit key, hash)``: the seal only a holder of the key kept outside the database can make."""


class WorkforceMember(Base):
    """One person of the workforce and their line manager, kept with the store (refreshed on ingest)."""

    __tablename__ = "workforce"
    staff_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    line_manager_id: Mapped[str | None] = mapped_column(String(64))
    refreshed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Tombstone(Base):
    """A candidate purged by retention: never imported again, its run's evidence never served again."""

    __tablename__ = "tombstones"
    candidate_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    """SHA-256 of the candidate id (the id itself may carry the staff number)."""
    run_id: Mapped[str] = mapped_column(String(128), index=True)
    pseudonym: Mapped[str] = mapped_column(String(32), index=True)
    purged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
