"""Local accounts: argon2 password hashes, roles, create and disable, sign-in.

Accounts are never deleted (decisions and the audit log refer to them), only
disabled. The very first account of a store must be an administrator and is
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

from fairwitness.governance import audit, pseudonyms
from fairwitness.governance.access import require
from fairwitness.governance.errors import AuthenticationFailed, InvalidInput, NotFound
from fairwitness.governance.models import User
from fairwitness.governance.roles import ROLES

MIN_PASSWORD_LENGTH = 12


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
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no account {username!r}")
    return user


def _validate(*, session: Session, username: str, password: str, role: str) -> None:
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if not username or len(username) > 64 or not username.replace("_", "").replace(".", "").replace("-", "").isalnum():
        raise InvalidInput("a username is 1-64 letters, digits, '.', '-' or '_'")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise InvalidInput(f"account {username!r} already exists")


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
        actor_name = username
    else:
        actor_name = require(session=session, actor=actor, action="user.create").username
    _validate(session=session, username=username, password=password, role=role)
    now = audit.now()
    user = User(
        username=username,
        password_hash=password_hasher().hash(password),
        role=role,
        staff_id=staff_id or None,
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


def authenticate(*, session: Session, username: str, password: str) -> User:
    """The account, if the password is right and the account active; else `AuthenticationFailed`.

    The message does not say which of the three went wrong.
    """
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
