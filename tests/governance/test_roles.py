"""The full permission matrix: every role × every action, as data and as enforced by the library."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from fairwitness.detectors.runs import NoRun
from fairwitness.governance import (
    audit, cases, decisions, intake, pseudonyms, purposes, responses, retention, roles, sar, users, workforce,
    detector_state, verification,
)  # fmt: skip
from fairwitness.reports.governed import governed_explain_data, governed_flags
from fairwitness.governance.errors import PermissionDenied
from fairwitness.governance.models import AuditEvent, User

from .governance_world import PASSWORD, RATIONALE, World, candidate

# Expected permissions, written out by hand. Y = allowed, . = refused.
MATRIX = """
action           analyst reviewer senior_reviewer dpo auditor admin
user.create      .       .        .               .   .       Y
user.disable     .       .        .               .   .       Y
user.list        .       .        .               Y   Y       Y
case.import      Y       .        Y               .   .       .
case.list        Y       Y        Y               .   Y       .
case.view        Y       Y        Y               .   Y       .
case.assign      .       .        Y               .   .       .
case.triage      Y       Y        Y               .   .       .
case.review      .       Y        Y               .   .       .
case.close       .       Y        Y               .   .       .
case.reopen      .       .        Y               .   .       .
case.note        Y       Y        Y               .   .       .
case.decide      .       Y        Y               .   .       .
case.concur      .       Y        Y               .   .       .
case.respond     Y       Y        Y               .   .       .
case.disclose    .       .        Y               Y   .       .
case.reidentify  .       Y        Y               .   .       .
stats.precision  Y       Y        Y               Y   Y       .
audit.verify     .       .        .               Y   Y       Y
audit.anchor     .       .        .               .   Y       Y
retention.plan   .       .        .               Y   Y       .
retention.run    .       .        .               Y   .       .
sar.export       .       .        .               Y   .       .
purposes.export  Y       Y        Y               Y   Y       Y
workforce.refresh .      .        .               .   .       Y
run.flags        Y       Y        Y               .   Y       .
run.explain      Y       Y        Y               .   Y       .
detector.reenable .      .        .               Y   .       .
"""


def _expected() -> dict[str, dict[str, bool]]:
    lines = [line.split() for line in MATRIX.strip().splitlines()]
    header, rows = lines[0][1:], lines[1:]
    return {row[0]: {role: mark == "Y" for role, mark in zip(header, row[1:], strict=True)} for row in rows}


EXPECTED = _expected()


def test_matrix_header_lists_every_role() -> None:
    assert MATRIX.strip().splitlines()[0].split()[1:] == list(roles.ROLES)


def test_permission_data_matches_the_expected_matrix() -> None:
    assert set(EXPECTED) == set(roles.ACTIONS)
    for action, by_role in EXPECTED.items():
        for role, allowed in by_role.items():
            assert roles.allowed(role=role, action=action) is allowed, (role, action)


def test_unknown_role_and_action() -> None:
    with pytest.raises(ValueError):
        roles.allowed(role="superuser", action="case.view")
    assert not roles.allowed(role="admin", action="case.delete")


# -- enforcement: each action attempted for real by an account of each role --------------------

Attempt = Callable[[World, User, Path], None]


def _under_review(w: World) -> int:
    return w.case("S500", state="under_review")


def _pending_adverse(w: World) -> int:
    case_id = _under_review(w)
    with w.session() as s:
        decisions.decide(session=s, actor=w.reviewer2, case_id=case_id, outcome="advice", rationale=RATIONALE, line_managers={})
    return case_id


def _run(w: World, fn: Callable[..., object], **kwargs: object) -> None:
    with w.session() as s:
        fn(session=s, **kwargs)


def _disable(w: World, actor: User, tmp: Path) -> None:
    victim = w.user("analyst")
    _run(w, users.disable_user, actor=actor, username=victim.username)


def _no_run(w: World, fn: Callable[..., object], **kwargs: object) -> None:
    """The permission is checked before the run is read: with no run, an allowed role gets `NoRun`."""
    try:
        _run(w, fn, **kwargs)
    except NoRun:
        pass


def _respond(w: World, actor: User, tmp: Path) -> None:
    _run(w, responses.record_response, actor=actor, case_id=w.case("S500"), text="I was on an approved course", attachments=[("c.txt", b"x")])


def _reenable(w: World, actor: User, tmp: Path) -> None:
    with w.session() as s:
        detector_state.put_under_review(session=s, detector="overtime_no_presence", reasons=["precision 0.40 under the floor"])
    _run(w, detector_state.reenable, actor=actor, detector="overtime_no_presence", reason="threshold corrected after review")


ATTEMPTS: dict[str, Attempt] = {
    "user.create": lambda w, a, t: _run(w, users.create_user, actor=a, username=f"new-{a.username}", password=PASSWORD, role="analyst"),
    "user.disable": _disable,
    "user.list": lambda w, a, t: _run(w, users.list_users, actor=a),
    "case.import": lambda w, a, t: _run(w, intake.import_candidates, actor=a, candidates=[candidate(f"imp-{a.username}", staff_id="S500")]),
    "case.list": lambda w, a, t: _run(w, cases.list_cases, actor=a),
    "case.view": lambda w, a, t: _run(w, cases.show_case, actor=a, case_id=w.case("S500")),
    "case.assign": lambda w, a, t: _run(w, cases.assign, actor=a, case_id=w.case("S500"), assignee="rob", line_managers={}),
    "case.triage": lambda w, a, t: _run(w, cases.transition, actor=a, case_id=w.case("S500"), to_state="triaged"),
    "case.review": lambda w, a, t: _run(w, cases.transition, actor=a, case_id=w.case("S500", state="triaged"), to_state="under_review"),
    "case.close": lambda w, a, t: _run(w, cases.transition, actor=a, case_id=w.case("S500", state="decided"), to_state="closed"),
    "case.reopen": lambda w, a, t: _run(
        w, cases.transition, actor=a, case_id=w.case("S500", state="closed"), to_state="reopened", reason="new evidence arrived"
    ),
    "case.note": lambda w, a, t: _run(w, cases.add_note, actor=a, case_id=w.case("S500"), text="checked the roster"),
    "case.decide": lambda w, a, t: _run(
        w, decisions.decide, actor=a, case_id=_under_review(w), outcome="no_further_action", rationale=RATIONALE, line_managers={}
    ),
    "case.concur": lambda w, a, t: _run(w, decisions.concur, actor=a, case_id=_pending_adverse(w), rationale=RATIONALE, line_managers={}),
    "case.respond": _respond,
    "case.disclose": lambda w, a, t: _run(w, responses.export_disclosure_pack, actor=a, case_id=w.case("S500"), out=t / f"{a.username}.zip"),
    "case.reidentify": lambda w, a, t: _run(
        w, pseudonyms.reidentify, actor=a, case_id=w.case("S500"), reason="needed to check the duty roster", line_managers={}
    ),
    "stats.precision": lambda w, a, t: _run(w, decisions.detector_precision, actor=a),
    "audit.verify": lambda w, a, t: _run(w, verification.verify, actor=a),
    "audit.anchor": lambda w, a, t: _run(w, verification.anchor, actor=a),
    "retention.plan": lambda w, a, t: _run(w, retention.run, actor=a, dry_run=True),
    "retention.run": lambda w, a, t: _run(w, retention.run, actor=a),
    "sar.export": lambda w, a, t: _run(w, sar.export, actor=a, staff_id="S500", out=t / f"sar-{a.username}"),
    "purposes.export": lambda w, a, t: _run(w, purposes.export_register, actor=a, out_dir=t / a.username),
    "workforce.refresh": lambda w, a, t: _run(w, workforce.refresh_by, actor=a, people=w.people),
    "run.flags": lambda w, a, t: _no_run(w, governed_flags, actor=a, workspace=t / "ws", format="csv"),
    "run.explain": lambda w, a, t: _no_run(w, governed_explain_data, actor=a, workspace=t / "ws", who="S500"),
    "detector.reenable": _reenable,
}


def test_every_action_has_an_attempt() -> None:
    assert set(ATTEMPTS) == set(roles.ACTIONS)


@pytest.mark.parametrize("action", sorted(roles.ACTIONS))
def test_library_enforces_the_matrix(action: str, world: World, tmp_path: Path) -> None:
    made = world.users(*[(role, f"as-{role.replace('_', '-')}") for role in roles.ROLES])
    actors = dict(zip(roles.ROLES, made, strict=True))
    observed: dict[str, bool] = {}
    for role, actor in actors.items():
        try:
            ATTEMPTS[action](world, actor, tmp_path)
            observed[role] = True
        except PermissionDenied as exc:
            assert exc.action == action
            observed[role] = False
    assert observed == EXPECTED[action]
    with world.session() as s:
        denials = s.scalars(
            select(AuditEvent.actor).where(AuditEvent.action == "security.permission_denied", AuditEvent.object_id == action)
        ).all()
        assert sorted(denials) == sorted(actors[r].username for r, ok in observed.items() if not ok)
        assert verification.verify_chain(session=s).ok


def test_disabled_account_is_refused_even_with_a_stale_object(world: World) -> None:
    reviewer = world.user("reviewer", "gone")
    with world.session() as s:
        users.disable_user(session=s, actor=world.admin, username="gone")
    with pytest.raises(PermissionDenied, match="disabled"), world.session() as s:
        cases.list_cases(session=s, actor=reviewer)


def test_role_change_in_the_store_takes_effect_at_once(world: World) -> None:
    analyst = world.user("analyst", "promoted", staff_id="S9")
    with world.session() as s:
        s.get(User, analyst.id).role = "reviewer"  # type: ignore[union-attr]
    case_id = world.case("S501", state="under_review")
    with world.session() as s:
        view = decisions.decide(session=s, actor=analyst, case_id=case_id, outcome="false_positive", rationale=RATIONALE, line_managers={})
    assert view.reviewer == "promoted" and view.status == "final"
