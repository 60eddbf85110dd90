"""Acting on the audit: the biased detector goes under review, its signals are held out of case
import, a DPO re-enables it with a written reason; every step is audited and shown by `detectors`."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from fairwitness.cli import app
from fairwitness.detectors import runs
from fairwitness.governance import detector_state, intake, users, verification, workforce
from fairwitness.governance.db import create_store
from fairwitness.governance.errors import InvalidInput, InvalidTransition, PermissionDenied
from fairwitness.governance.models import AuditEvent, Case
from fairwitness.routes import gravest
from fairwitness.subjects import line_managers

BIASED = "part_time_suspicion"
PW = "correct horse battery"
REASON = "threshold corrected in v2 and part-time staff excluded"


def cli(*args: str, code: int = 0) -> str:
    res = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert res.exit_code == code, res.output
    return res.output


@pytest.fixture
def store(audited_force, tmp_path):
    s = create_store(f"sqlite:///{tmp_path / 'governance.sqlite'}")
    people = dict(line_managers(audited_force.workspace))
    with s.session() as session:
        workforce.refresh(session=session, actor="test", people=people)
        # the reviewer is someone in the workforce who manages nobody (conflict checks fail closed)
        managers = {m for m in people.values() if m}
        reviewer_id = sorted(p for p in people if p not in managers)[0]
        admin = users.create_user(session=session, actor=None, username="ada", password=PW, role="admin")
        for name, role in (("ann", "analyst"), ("dee", "dpo")):
            users.create_user(session=session, actor=admin, username=name, password=PW, role=role)
        users.create_user(session=session, actor=admin, username="rex", password=PW, role="reviewer",
                          staff_id=reviewer_id)
    yield s
    s.dispose()


def _user(session, name):
    return users.authenticate(session=session, username=name, password=PW)


def test_fairness_command_puts_the_biased_detector_under_review_and_detectors_shows_it(
    audited_force, tmp_path, monkeypatch, biased_entry_point
):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    ws = str(audited_force.workspace)
    dry = cli("fairness", "--workspace", ws, "--truth", str(audited_force.data), "--db", url, "--dry-run")
    assert f"{BIASED} would be put under review" in dry and "sex=Female" in dry
    out = cli("fairness", "--workspace", ws, "--truth", str(audited_force.data), "--db", url)
    assert f"{BIASED} now under review" in out
    again = cli("fairness", "--workspace", ws, "--truth", str(audited_force.data), "--db", url)
    assert f"{BIASED} under review" in again and "now under review" not in again
    monkeypatch.setenv("FAIRWITNESS_DB", url)
    listing = cli("detectors", "--workspace", ws)
    assert "state: under_review" in listing and "sex=Female" in listing
    rows = {r["name"]: r for r in json.loads(cli("detectors", "--workspace", ws, "--json"))["detectors"]}
    assert rows[BIASED]["state"]["state"] == "under_review"
    assert rows["self_authorisation"]["state"] == {"state": "active"}
    s = create_store(url)
    try:
        with s.session() as session:
            actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    finally:
        s.dispose()
    assert actions.count("detector.under_review") == 1 and actions.count("fairness.audit") == 2


def test_held_signals_never_reach_a_reviewer_until_a_dpo_reenables(audited_force, store):
    candidates = runs.read_candidates(audited_force.workspace, audited_force.run_id)
    biased = [c for c in candidates if any(s.detector == BIASED for s in c.signals)]
    only_biased = [c for c in biased if {s.detector for s in c.signals} == {BIASED}]
    mixed = [c for c in biased if len({s.detector for s in c.signals}) > 1]
    assert only_biased, "the force has people flagged by the biased detector alone"
    if not mixed:  # no part-timer happens to be flagged by another detector too: make one such candidate
        other = next(c for c in candidates if BIASED not in {s.detector for s in c.signals})
        extra = only_biased[0].signals[0].model_copy(update={"signal_id": "mixed-" + other.candidate_id})
        m = other.model_copy(update={
            "signals": (*other.signals, extra), "detectors": tuple(sorted({*other.detectors, BIASED})),
            "route": gravest([*(g.route for g in other.signals), extra.route]),
        })
        candidates = [m if c is other else c for c in candidates]
        biased, mixed = [*biased, m], [m]
    with store.session() as s:
        assert detector_state.put_under_review(session=s, detector=BIASED, reasons=["FPR ratio 3.55 for sex=Female"])
    with store.session() as s:
        result = intake.import_candidates(session=s, actor=_user(s, "ann"), candidates=candidates)
        cases = list(s.scalars(select(Case)))
        assert len(result.created) == len(candidates) - len(only_biased)
        assert all(BIASED not in c.detectors and all(g.detector != BIASED for g in c.signals) for c in cases)
        for m in mixed:  # kept with the other detectors' signals, its route recomputed from them
            rebuilt = next(c for c in cases if c.candidate_id == m.candidate_id)
            assert rebuilt.route == gravest([g.route for g in m.signals if g.detector != BIASED])
            assert len(rebuilt.signals) == sum(1 for g in m.signals if g.detector != BIASED)
        held = detector_state.held_counts(session=s)
        assert held == {BIASED: sum(1 for c in biased for g in c.signals if g.detector == BIASED)}
    with store.session() as s:
        with pytest.raises(PermissionDenied):
            detector_state.reenable(session=s, actor=_user(s, "rex"), detector=BIASED, reason=REASON)
    with store.session() as s:
        with pytest.raises(InvalidInput, match="written reason"):
            detector_state.reenable(session=s, actor=_user(s, "dee"), detector=BIASED, reason="ok now")
    with store.session() as s:
        view = detector_state.reenable(session=s, actor=_user(s, "dee"), detector=BIASED, reason=REASON)
        assert view.state == "active" and view.reasons == REASON and view.held == held[BIASED]
    with store.session() as s:
        with pytest.raises(InvalidTransition):
            detector_state.reenable(session=s, actor=_user(s, "dee"), detector=BIASED, reason=REASON)
    with store.session() as s:  # re-enabled: the wholly held candidates are imported now
        again = intake.import_candidates(session=s, actor=_user(s, "ann"), candidates=candidates)
        assert len(again.created) == len(only_biased)
        events = {e.action: e for e in s.scalars(select(AuditEvent))}
        assert {"detector.under_review", "detector.hold", "detector.reenable"} <= set(events)
        assert json.loads(events["detector.reenable"].detail)["reason"] == REASON
        assert events["detector.reenable"].actor == "dee"
        assert verification.verify_chain(session=s).ok


def test_reenable_command_needs_a_dpo(audited_force, store):
    with store.session() as s:
        detector_state.put_under_review(session=s, detector=BIASED, reasons=["test"])
    common = ["--workspace", str(audited_force.workspace), "--db", store.url, "--password", PW]
    res = CliRunner().invoke(app, ["reenable", BIASED, "--reason", REASON, "--as", "ann", *common])
    assert res.exit_code == 1 and "may not" in res.output
    out = cli("reenable", BIASED, "--reason", REASON, "--as", "dee", *common)
    assert f"{BIASED} is active again" in out
