"""Re-identification: reviewers only, with a recorded reason, audited, and it expires."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from fairwitness.governance import audit, cases, pseudonyms
from fairwitness.governance.errors import InvalidInput, NotFound
from fairwitness.governance.models import AuditEvent, Reidentification

from .governance_world import World

REASON = "need to check the duty roster with the unit"


def _view(world: World, actor, case_id: int, now: dt.datetime):  # type: ignore[no-untyped-def]
    with world.session() as s:
        return cases.show_case(session=s, actor=actor, case_id=case_id, now=now)


def test_reidentification_reveals_only_to_that_reviewer_until_it_expires(world: World) -> None:
    case_id = world.case("S123")
    t0 = audit.now()
    with world.session() as s:
        grant = pseudonyms.reidentify(
            session=s, actor=world.reviewer, case_id=case_id, reason=REASON, line_managers={}, ttl=dt.timedelta(minutes=30), now=t0
        )
    assert grant.staff_id == "S123" and grant.expires_at == t0 + dt.timedelta(minutes=30)
    during = _view(world, world.reviewer, case_id, t0 + dt.timedelta(minutes=29))
    assert during.staff_id == "S123" and during.reidentified_until == grant.expires_at
    assert "S123" in during.explanation  # texts are no longer masked for this reader
    assert _view(world, world.reviewer2, case_id, t0 + dt.timedelta(minutes=1)).staff_id is None  # someone else
    after = _view(world, world.reviewer, case_id, t0 + dt.timedelta(minutes=30))
    assert after.staff_id is None and after.reidentified_until is None and "S123" not in after.model_dump_json()


def test_reidentification_is_recorded_and_audited_with_its_reason(world: World) -> None:
    case_id = world.case("S123")
    with world.session() as s:
        pseudonyms.reidentify(session=s, actor=world.senior, case_id=case_id, reason=REASON, line_managers={})
    with world.session() as s:
        row = s.scalar(select(Reidentification))
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "case.reidentify"))
        subject = pseudonyms.pseudonym(session=s, staff_id="S123")
    assert row is not None and row.reason == REASON and row.pseudonym == subject
    assert event is not None and event.actor == "sam" and event.subject == subject
    assert json.loads(event.detail)["reason"] == REASON
    assert "S123" not in event.detail  # the audit log itself stays pseudonymous


@pytest.mark.parametrize("reason", ["", "   ", "curious"])
def test_reidentification_needs_a_written_reason(world: World, reason: str) -> None:
    case_id = world.case("S123")
    with pytest.raises(InvalidInput, match="reason"), world.session() as s:
        pseudonyms.reidentify(session=s, actor=world.reviewer, case_id=case_id, reason=reason, line_managers={})


@pytest.mark.parametrize("ttl", [dt.timedelta(0), dt.timedelta(hours=9), dt.timedelta(minutes=-5)])
def test_reidentification_lasts_a_bounded_time(world: World, ttl: dt.timedelta) -> None:
    case_id = world.case("S123")
    with pytest.raises(InvalidInput, match="at most"), world.session() as s:
        pseudonyms.reidentify(session=s, actor=world.reviewer, case_id=case_id, reason=REASON, line_managers={}, ttl=ttl)


def test_nobody_reidentifies_their_own_chain(world: World) -> None:
    world.link("S123", "M1")
    manager = world.user("reviewer", "mgr", staff_id="M1")
    case_id = world.case("S123")
    with pytest.raises(NotFound, match=f"^no case {case_id}$"), world.session() as s:
        pseudonyms.reidentify(session=s, actor=manager, case_id=case_id, reason=REASON)


def test_pseudonyms_are_keyed_hmacs_not_hashes_of_the_staff_number(world: World) -> None:
    import hashlib

    with world.session() as s:
        p = pseudonyms.pseudonym(session=s, staff_id="S123")
    with world.store.sessions() as other:
        assert p == pseudonyms.pseudonym(session=other, staff_id="S123")
    assert hashlib.sha256(b"S123").hexdigest()[:10].upper() not in p
