"""Local accounts: argon2 hashes, bootstrap, create/disable, sign-in refusals on the audit log."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from fairwitness.governance import db, users
from fairwitness.governance.errors import AuthenticationFailed, InvalidInput
from fairwitness.governance.models import AuditEvent, User

from .governance_world import PASSWORD, World


def _events(world: World, action: str) -> list[AuditEvent]:
    with world.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)))


def test_passwords_are_stored_as_argon2id_hashes(world: World) -> None:
    with world.session() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "rita"))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored


def test_sign_in(world: World) -> None:
    with world.session() as s:
        assert users.authenticate(session=s, username="rita", password=PASSWORD).role == "reviewer"


@pytest.mark.parametrize("username,password", [("rita", "wrong password!"), ("nobody", PASSWORD), ("x" * 300, PASSWORD)])
def test_refused_sign_in_is_audited_without_saying_why(world: World, username: str, password: str) -> None:
    with pytest.raises(AuthenticationFailed) as info, world.session() as s:
        users.authenticate(session=s, username=username, password=password)
    assert str(info.value) == f"sign-in refused for {username!r}"
    [event] = _events(world, "security.sign_in_refused")
    assert event.actor == username[:64] and event.object_id == username[:128]  # clipped to the columns


def test_disabled_account_cannot_sign_in(world: World) -> None:
    with world.session() as s:
        users.disable_user(session=s, actor=world.admin, username="rita")
    with pytest.raises(AuthenticationFailed), world.session() as s:
        users.authenticate(session=s, username="rita", password=PASSWORD)
    with world.session() as s:
        rita = users.get_user(session=s, username="rita")
        assert not rita.active and rita.disabled_at is not None


def test_first_account_must_be_an_admin_and_only_the_first_needs_no_actor(store: db.Store) -> None:
    with pytest.raises(InvalidInput, match="must be an admin"), store.session() as s:
        users.create_user(session=s, actor=None, username="ann", password=PASSWORD, role="analyst")
    with store.session() as s:
        users.create_user(session=s, actor=None, username="root", password=PASSWORD, role="admin")
    with pytest.raises(InvalidInput, match="already has accounts"), store.session() as s:
        users.create_user(session=s, actor=None, username="root2", password=PASSWORD, role="admin")


@pytest.mark.parametrize(
    "username,password,role,message",
    [
        ("rita", PASSWORD, "reviewer", "already exists"),
        ("new", "short", "reviewer", "at least 12"),
        ("new", PASSWORD, "superuser", "unknown role"),
        ("bad name!", PASSWORD, "reviewer", "username"),
    ],
)
def test_invalid_accounts_are_refused(world: World, username: str, password: str, role: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message), world.session() as s:
        users.create_user(session=s, actor=world.admin, username=username, password=password, role=role)


def test_last_active_admin_cannot_be_disabled(world: World) -> None:
    with pytest.raises(InvalidInput, match="last active admin"), world.session() as s:
        users.disable_user(session=s, actor=world.admin, username="admin")
    world.user("admin", "admin2")
    with world.session() as s:
        users.disable_user(session=s, actor=world.admin, username="admin2")


def test_list_shows_accounts_but_never_hashes(world: World) -> None:
    world.user("reviewer", "linked", staff_id="S42")
    with world.session() as s:
        rows = users.list_users(session=s, actor=world.admin)
    assert {r.username for r in rows} >= {"admin", "ann", "rita", "rob", "sam", "dora", "audrey", "linked"}
    assert "password_hash" not in rows[0].model_dump()
    assert next(r for r in rows if r.username == "linked").staff_id == "S42"


def test_account_changes_are_audited(world: World) -> None:
    world.user("reviewer", "linked", staff_id="S42")
    with world.session() as s:
        users.disable_user(session=s, actor=world.admin, username="linked")
    created = _events(world, "user.create")
    assert [e.object_id for e in created][:2] == ["admin", "ann"]
    linked = next(e for e in created if e.object_id == "linked")
    assert linked.subject is not None and linked.subject.startswith("P-")  # about a person: found by subject access
    [disabled] = _events(world, "user.disable")
    assert disabled.actor == "admin" and disabled.subject == linked.subject


def test_hash_is_upgraded_when_parameters_change(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    with world.session() as s:
        before = users.get_user(session=s, username="rita").password_hash
    stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    monkeypatch.setattr(users, "password_hasher", lambda: stronger)
    with world.session() as s:
        users.authenticate(session=s, username="rita", password=PASSWORD)
    with world.session() as s:
        after = users.get_user(session=s, username="rita").password_hash
    assert after != before and "t=2" in after
