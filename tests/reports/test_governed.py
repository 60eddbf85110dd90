"""flags and explain for a signed-in user: permitted roles, pseudonyms unless granted, conflicts and purges left out, audited.

Issue 15, attack 7 (reports without a user) and the flags/explain half of attacks 2 and 6.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from fairwitness.detectors.registry import load_registry
from fairwitness.detectors.runner import run
from fairwitness.detectors.runs import current_run_id
from fairwitness.governance import cases, db, decisions, intake, pseudonyms, retention, users, workforce
from fairwitness.governance.errors import PermissionDenied
from fairwitness.governance.models import AuditEvent, Case
from fairwitness.reports.governed import NoFlag, governed_explain_data, governed_explain_text, governed_flags

from test_reports import JAN, SelfEdits  # tests/reports is not a package: imported by pytest's rootdir path

PASSWORD = "correct horse battery"
PEOPLE = {"P1": "MGR", "P2": None, "P3": None, "MGR": None, "EDITOR99": None, "RV1": None, "RV2": None}
RATIONALE = "checked every roster entry against the approvals"


@pytest.fixture
def governed(make_workspace, contract_table, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FAIRWITNESS_PSEUDONYM_KEY", "3c" * 32)
    monkeypatch.delenv("FAIRWITNESS_DB", raising=False)
    rows = [
        dict(change_id=f"{s}-{i}", shift_id="SH1", staff_id=s, changed_by="EDITOR99", changed_at=f"2025-01-{i + 2:02d} 10:00",
             field="duty_type", old_value="normal", new_value="bank_holiday")
        for s, n in (("P1", 2), ("P2", 3), ("P3", 1))
        for i in range(n)
    ]  # fmt: skip
    ws = make_workspace({"roster_changes": contract_table("roster_changes", rows)})
    run(ws, registry=load_registry([SelfEdits], plugins=False), **JAN)
    store = db.create_store(db.store_url(workspace=ws.path))
    with store.session() as s:
        workforce.refresh(session=s, actor="test", people=PEOPLE)
        admin = users.create_user(session=s, actor=None, username="admin", password=PASSWORD, role="admin")
        for name, role, staff in (("ann", "analyst", None), ("mgr", "analyst", "MGR"), ("rv1", "reviewer", "RV1"),
                                  ("rv2", "senior_reviewer", "RV2"), ("aud", "auditor", None)):  # fmt: skip
            users.create_user(session=s, actor=admin, username=name, password=PASSWORD, role=role, staff_id=staff)
    yield ws, store
    store.dispose()


def _user(store, name):  # type: ignore[no-untyped-def]
    with store.session() as s:
        return users.get_user(session=s, username=name)


def _tokens(text: str, *ids: str) -> set[str]:
    return {i for i in ids if re.search(rf"(?<![A-Za-z0-9]){i}(?![A-Za-z0-9])", text)}


def test_flags_need_a_permitted_role_show_pseudonyms_and_are_audited(governed) -> None:  # type: ignore[no-untyped-def]
    ws, store = governed
    admin, ann = _user(store, "admin"), _user(store, "ann")
    with pytest.raises(PermissionDenied), store.session() as s:
        governed_flags(session=s, actor=admin, workspace=ws, format="csv")
    with store.session() as s:
        text = governed_flags(session=s, actor=ann, workspace=ws, format="csv")
        signals = governed_flags(session=s, actor=ann, workspace=ws, format="json", level="signals")
        p2 = pseudonyms.pseudonym(session=s, staff_id="P2")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["staff_id"] for r in rows][1] == p2 and all(r["staff_id"].startswith("P-") for r in rows)
    assert _tokens(text + signals, *PEOPLE) == set()
    with store.session() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "run.flags")).all()
    assert [e.actor for e in events] == ["ann", "ann"]


def test_a_manager_does_not_see_their_reports_flags(governed) -> None:  # type: ignore[no-untyped-def]
    ws, store = governed
    mgr = _user(store, "mgr")
    with store.session() as s:
        text = governed_flags(session=s, actor=mgr, workspace=ws, format="csv")
        p1 = pseudonyms.pseudonym(session=s, staff_id="P1")
    assert p1 not in text
    with pytest.raises(NoFlag, match="has no flag"), store.session() as s:
        governed_explain_data(session=s, actor=mgr, workspace=ws, who=p1)
    with store.session() as s:
        [event] = s.scalars(select(AuditEvent).where(AuditEvent.action == "security.explain_refused")).all()
    assert event.actor == "mgr" and "conflict" in event.detail


def test_explain_by_pseudonym_masks_everyone_unless_granted(governed) -> None:  # type: ignore[no-untyped-def]
    ws, store = governed
    ann, rv1 = _user(store, "ann"), _user(store, "rv1")
    with store.session() as s:
        p2 = pseudonyms.pseudonym(session=s, staff_id="P2")
        text = governed_explain_text(session=s, actor=ann, workspace=ws, who=p2, width=200)
    assert "3 roster entries edited into premium duty" in text and p2 in text
    assert _tokens(text, *PEOPLE) == set()
    # a reviewer who holds a re-identification of P2's case sees P2, and still nobody else
    rid = current_run_id(ws)
    with store.session() as s:
        intake.import_candidates(session=s, actor=ann,
                                 candidates=intake.load_candidates(intake.candidates_path(workspace=ws.path, run_id=rid)))  # fmt: skip
        case_id = s.scalar(select(Case.id).where(Case.staff_id == "P2"))
        pseudonyms.reidentify(session=s, actor=rv1, case_id=case_id, reason="to arrange the interview")
    with store.session() as s:
        text = governed_explain_text(session=s, actor=rv1, workspace=ws, who=p2, width=200)
    assert _tokens(text, *PEOPLE) == {"P2"}


def test_a_purged_case_is_no_longer_served_by_flags_or_explain(governed) -> None:  # type: ignore[no-untyped-def]
    ws, store = governed
    rid = current_run_id(ws)
    ann, rv1, rv2 = (_user(store, n) for n in ("ann", "rv1", "rv2"))
    with store.session() as s:
        intake.import_candidates(session=s, actor=ann,
                                 candidates=intake.load_candidates(intake.candidates_path(workspace=ws.path, run_id=rid)))  # fmt: skip
        case_id = s.scalar(select(Case.id).where(Case.staff_id == "P2"))
        for state in ("triaged", "under_review"):
            cases.transition(session=s, actor=rv1, case_id=case_id, to_state=state)
        decisions.decide(session=s, actor=rv1, case_id=case_id, outcome="false_positive", rationale=RATIONALE)
        cases.transition(session=s, actor=rv2, case_id=case_id, to_state="closed")
    with store.session() as s:
        s.get(Case, case_id).closed_at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # type: ignore[union-attr]
        dpo = users.create_user(session=s, actor=users.get_user(session=s, username="admin"), username="dora",
                                password=PASSWORD, role="dpo")  # fmt: skip
    with store.session() as s:
        assert len(retention.run(session=s, actor=dpo).cases) == 1
        p2 = pseudonyms.pseudonym(session=s, staff_id="P2")
        assert p2 not in governed_flags(session=s, actor=ann, workspace=ws, format="json")
    with pytest.raises(NoFlag), store.session() as s:
        governed_explain_data(session=s, actor=ann, workspace=ws, who="P2")


def test_the_flags_and_explain_commands_need_a_sign_in(governed) -> None:  # type: ignore[no-untyped-def]
    from fairwitness.cli import app
    from fairwitness.detectors import cli as detectors_cli

    ws, _ = governed
    runner = CliRunner()
    original = detectors_cli._open
    detectors_cli._open = lambda path: ws  # the test lake is not a full workspace
    try:
        anonymous = runner.invoke(app, ["flags", "--workspace", str(ws.path)], env={"FAIRWITNESS_USER": "ann"})
        assert anonymous.exit_code != 0 and "P-" not in anonymous.output
        wrong = runner.invoke(app, ["explain", "P2", "--workspace", str(ws.path), "--as", "ann", "--password", "nope nope nope"])
        assert wrong.exit_code == 1 and "sign-in refused" in wrong.output
        ok = runner.invoke(app, ["flags", "--workspace", str(ws.path), "--as", "ann", "--format", "csv"],
                           env={"FAIRWITNESS_PASSWORD": PASSWORD})  # fmt: skip
        assert ok.exit_code == 0 and "P-" in ok.output and _tokens(ok.output, *PEOPLE) == set()
    finally:
        detectors_cli._open = original
