"""Access control: every governed function calls `require` before doing anything.

The actor is re-read from the store on every check, so a role change or a
disabled account takes effect at once, even for an object loaded earlier.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from fairwitness.governance.errors import PermissionDenied
from fairwitness.governance.models import User
from fairwitness.governance.roles import ACTIONS, allowed


def require(*, session: Session, actor: User, action: str) -> User:
    """The actor, fresh from the store, if its role allows ``action``; else `PermissionDenied`."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    current = session.get(User, actor.id)
    if current is None or not current.active:
        raise PermissionDenied(
            f"account {actor.username!r} is disabled or no longer exists", username=actor.username, action=action
        )
    if not allowed(role=current.role, action=action):
        raise PermissionDenied(
            f"{current.username!r} ({current.role}) may not {ACTIONS[action][0].lower()} [{action}]",
            username=current.username,
            action=action,
        )
    return current
