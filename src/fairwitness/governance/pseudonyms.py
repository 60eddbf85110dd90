"""Stable pseudonyms and audited, expiring re-identification.

A person appears in every case view as ``P-`` followed by ten base-32
characters of ``HMAC-SHA256(key, staff_id)``. The key is random and kept outside
the database (`fairwitness.governance.keys`: a key file or the environment), so
every workstation configured with the store's key sees the same pseudonym for the
same person, and someone holding only the database cannot link a pseudonym to a
staff number.

Re-identification reveals the staff number behind one case's pseudonym to one
reviewer, for a limited time (default one hour, at most eight), and only with a
written reason; the grant and the reason are recorded and audited. A reviewer
cannot re-identify a case about themselves or their own line-management chain.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from fairwitness.governance import audit, conflicts
from fairwitness.governance.access import require
from fairwitness.governance.errors import InvalidInput, NotFound
from fairwitness.governance.models import Case, Reidentification, User

DEFAULT_TTL = dt.timedelta(hours=1)
MAX_TTL = dt.timedelta(hours=8)
MIN_REASON_LENGTH = 15
KEY_INFO = "fairwitness.store_key"
"""Where a store's sessions carry its key (`fairwitness.governance.db.create_store` puts it there)."""


def _key(session: Session) -> bytes:
    key = session.info.get(KEY_INFO)
    if key is None:
        raise RuntimeError("this session has no store key: open stores with fairwitness.governance.db.create_store")
    return key


def pseudonym(*, session: Session, staff_id: str) -> str:
    """The stable pseudonym of ``staff_id`` in this store."""
    mac = hmac.new(_key(session), staff_id.encode("utf-8"), hashlib.sha256).digest()
    return "P-" + base64.b32encode(mac).decode("ascii")[:10]


class Grant(BaseModel):
    """A re-identification: who may see whom, why, until when."""

    case_id: int
    pseudonym: str
    staff_id: str
    username: str
    reason: str
    granted_at: dt.datetime
    expires_at: dt.datetime


def reidentify(
    *,
    session: Session,
    actor: User,
    case_id: int,
    reason: str,
    line_managers: Mapping[str, str | None] | None = None,
    ttl: dt.timedelta = DEFAULT_TTL,
    now: dt.datetime | None = None,
) -> Grant:
    """Reveal who is behind a case's pseudonym to ``actor``, for ``ttl``, recording why.

    ``line_managers`` is ignored (kept for callers of the earlier signature): the chain is the store's workforce.
    """
    user = require(session=session, actor=actor, action="case.reidentify")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise InvalidInput(f"re-identification needs a written reason (at least {MIN_REASON_LENGTH} characters)")
    if not dt.timedelta(0) < ttl <= MAX_TTL:
        raise InvalidInput(f"re-identification lasts more than 0 and at most {MAX_TTL}")
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    conflicts.guard(session=session, user=user, case=case)
    granted = now or audit.now()
    row = Reidentification(
        case_id=case.id,
        user_id=user.id,
        pseudonym=case.pseudonym,
        reason=reason,
        granted_at=granted,
        expires_at=granted + ttl,
    )
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        actor=user,
        action="case.reidentify",
        object_type="case",
        object_id=case.id,
        subject=case.pseudonym,
        detail={"reason": reason, "expires_at": row.expires_at.isoformat()},
    )
    return Grant(
        case_id=case.id,
        pseudonym=case.pseudonym,
        staff_id=case.staff_id,
        username=user.username,
        reason=reason,
        granted_at=row.granted_at,
        expires_at=row.expires_at,
    )


def active_grant(
    *, session: Session, user: User, case_id: int, now: dt.datetime | None = None
) -> Reidentification | None:
    """``user``'s unexpired re-identification of ``case_id``, if any."""
    at = now or audit.now()
    return session.scalar(
        select(Reidentification)
        .where(Reidentification.case_id == case_id, Reidentification.user_id == user.id)
        .where(Reidentification.granted_at <= at, Reidentification.expires_at > at)
        .order_by(Reidentification.expires_at.desc())
        .limit(1)
    )
