"""Local accounts: argon2 password hashes, roles, create and disable, sign-in.

Accounts are never deleted (decisions and the audit log refer to them), only
disabled. Usernames are normalised (`fairwitness.governance.usernames`). An
account's staff id is trimmed, must belong to the store's workforce, is required
for the reviewing roles, and no two active accounts share one: one person, one
pair of eyes. After ``MAX_FAILURES`` refused sign-ins within ``LOCKOUT`` an
account is locked (even the right password is refused) until the window passes. The very first account of a store must be an administrator and is
created without an acting user (``actor=None``); after that only an
administrator creates or disables accounts, and the last active administrator
cannot be disabled.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fairwitness.governance import audit, pseudonyms, workforce
from fairwitness.governance.access import require
from fairwitness.governance.conflicts import STAFF_ID_REQUIRED
from fairwitness.governance.errors import AccountLocked, AuthenticationFailed, InvalidInput, NotFound
from fairwitness.governance.models import AuditEvent, User
from fairwitness.governance.usernames import normalise_username, valid_username
from fairwitness.governance.roles import ROLES

MIN_PASSWORD_LENGTH = 12
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)


@lru_cache(maxsize=1)
def password_hasher() -> PasswordHasher:
    """The argon2id hasher (library defaults: RFC 9106 low-memory profile)."""
    return PasswordHasher()


class UserView(BaseModel):
    username: str
    role: str
    staff_id: str | None
    active: bool
    created_at: dt.datetime
    disabled_at: dt.datetime | None


def view(user: User) -> UserView:
    return UserView(
        username=user.username,
        role=user.role,
        staff_id=user.staff_id,
        active=user.active,
        created_at=user.created_at,
        disabled_at=user.disabled_at,
    )


def get_user(*, session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == normalise_username(username)))
    if user is None:
        raise NotFound(f"no account {username!r}")
    return user


def _validate(*, session: Session, username: str, password: str, role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    name = valid_username(username)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise InvalidInput(f"account {name!r} already exists")
    return name


def _staff_id(*, session: Session, staff_id: str | None, role: str) -> str | None:
    sid = (staff_id or "").strip() or None
    if sid is None:
        if role in STAFF_ID_REQUIRED:
            raise InvalidInput(f"a {role} account must be linked to the person's staff id (--staff-id)")
        return None
    if not workforce.is_loaded(session):
        raise InvalidInput("the store holds no workforce, so the staff id cannot be checked: ingest the people first")
    if sid not in workforce.staff_ids(session):
        raise InvalidInput("that staff id is not in the workforce")
    taken = session.scalar(select(User.username).where(User.staff_id == sid, User.active.is_(True)))
    if taken is not None:
        raise InvalidInput(f"that staff id already has an active account ({taken!r}): one person, one account")
    return sid


def create_user(
    *,
    session: Session,
    actor: User | None,
    username: str,
    password: str,
    role: str,
    staff_id: str | None = None,
) -> User:
    """Create an account. ``actor=None`` only for the first account, which must be an admin."""
    if actor is None:
        if session.scalar(select(func.count()).select_from(User)):
            raise InvalidInput("the store already has accounts: an administrator must create new ones (--as)")
        if role != "admin":
            raise InvalidInput("the first account of a store must be an admin")
        actor_name = normalise_username(username)
    else:
        actor_name = require(session=session, actor=actor, action="user.create").username
    username = _validate(session=session, username=username, password=password, role=role)
    staff_id = _staff_id(session=session, staff_id=staff_id, role=role)
    now = audit.now()
    user = User(
        username=username,
        password_hash=password_hasher().hash(password),
        role=role,
        staff_id=staff_id,
        active=True,
        created_at=now,
    )
    session.add(user)
    session.flush()
    subject = pseudonyms.pseudonym(session=session, staff_id=staff_id) if staff_id else None
    detail = {"role": role, "linked_to_workforce": staff_id is not None, "bootstrap": actor is None}
    audit.record(
        session=session,
        actor=actor_name,
        action="user.create",
        object_type="user",
        object_id=username,
        subject=subject,
        detail=detail,
    )
    return user


def disable_user(*, session: Session, actor: User, username: str) -> User:
    """Disable an account (it can no longer sign in or act)."""
    admin = require(session=session, actor=actor, action="user.disable")
    user = get_user(session=session, username=username)
    if not user.active:
        raise InvalidInput(f"account {username!r} is already disabled")
    if user.role == "admin":
        others = session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == "admin", User.active.is_(True), User.id != user.id)
        )
        if not others:
            raise InvalidInput("cannot disable the last active admin")
    user.active = False
    user.disabled_at = audit.now()
    subject = pseudonyms.pseudonym(session=session, staff_id=user.staff_id) if user.staff_id else None
    audit.record(
        session=session, actor=admin, action="user.disable", object_type="user", object_id=username, subject=subject
    )
    return user


def list_users(*, session: Session, actor: User) -> list[UserView]:
    """All accounts (never their password hashes)."""
    user = require(session=session, actor=actor, action="user.list")
    audit.record(session=session, actor=user, action="user.list", object_type="user")
    return [view(u) for u in session.scalars(select(User).order_by(User.username))]


def recent_failures(*, session: Session, username: str, now: dt.datetime | None = None) -> int:
    """Refused sign-ins for ``username`` within the lockout window (from the audit log)."""
    since = (now or audit.now()) - LOCKOUT
    return session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "security.sign_in_refused", AuditEvent.object_id == username)
        .where(AuditEvent.at > since)
    ) or 0


def authenticate(*, session: Session, username: str, password: str) -> User:
    """The account, if the password is right, the account active and not locked; else `AuthenticationFailed`.

    The message does not say which of these went wrong.
    """
    username = normalise_username(username)
    if recent_failures(session=session, username=username[:64]) >= MAX_FAILURES:
        locked = AccountLocked(f"sign-in refused for {username!r}", username=username)
        assert locked.audit is not None
        locked.audit["detail"] = {"reason": f"locked: {MAX_FAILURES} refused sign-ins within {LOCKOUT}"}
        raise locked
    user = session.scalar(select(User).where(User.username == username))
    refused = AuthenticationFailed(f"sign-in refused for {username!r}", username=username)
    if user is None:
        password_hasher().hash(password)  # same work whether or not the account exists
        raise refused
    try:
        password_hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise refused from None
    if not user.active:
        raise refused
    if password_hasher().check_needs_rehash(user.password_hash):
        user.password_hash = password_hasher().hash(password)
    return user
