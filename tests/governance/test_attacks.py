"""Issue 15, re-run as an attacker with an account would: every attack refused or harmless.

Run alone: ``pytest tests/governance/test_attacks.py`` (``-m "not postgres"`` for SQLite only).
Each test names the attack it reproduces; store-backed tests run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
import zipfile
from pathlib import Path

import pytest
import typer
from sqlalchemy import select, text
from typer.testing import CliRunner

from fairwitness.governance import (
    audit, cases, cli, db, decisions, intake, pseudonyms, responses, retention, sar, users, verification,
    workforce,
)  # fmt: skip
from fairwitness.governance.conflicts import ConflictsUncheckable
from fairwitness.governance.errors import AuthenticationFailed, FourEyesViolation, InvalidInput, NotFound
from fairwitness.governance.models import AuditEvent, Case, Setting
from fairwitness.governance.outputs import OutputRefused

from .governance_world import PASSWORD, RATIONALE, WORKFORCE, World, candidate, signal, write_candidates

REASON = "to arrange the misconduct meeting"


def _events(world: World, action: str) -> list[AuditEvent]:
    with world.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)))


def _refused(world: World, fn, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound) as exc, world.session() as s:
        fn(session=s, **kwargs)
    return str(exc.value)


# -- 1. conflict checks fail closed ---------------------------------------------------------------


def test_1_a_manager_cannot_act_on_their_reports_case_with_no_workspace_at_hand(world: World, tmp_path: Path) -> None:
    """The chain lives in the store: `--db URL` from an empty directory still refuses M1 on S1's case."""
    boss = world.user("senior_reviewer", "boss", staff_id="M1")
    case_id = world.case("S1", state="under_review")
    app = typer.Typer()
    cli.register(app)  # no line-management hook at all, and no workspace: the store's workforce is used
    nowhere = tmp_path / "empty"
    nowhere.mkdir()
    env = {"FAIRWITNESS_PASSWORD": PASSWORD}
    for args in (["reidentify", str(case_id), "--reason", REASON], ["cases", "decide", str(case_id), "--outcome",
                 "false_positive", "--rationale", RATIONALE], ["cases", "show", str(case_id)]):  # fmt: skip
        result = CliRunner().invoke(app, [*args, "--workspace", str(nowhere), "--db", world.store.url, "--as", "boss"], env=env)
        assert result.exit_code == 1 and f"no case {case_id}" in result.output, result.output
    assert boss.staff_id == "M1"


def test_1_with_no_workforce_every_conflict_checked_action_is_refused(world: World, tmp_path: Path) -> None:
    case_id = world.case("S2", state="under_review")
    with world.session() as s:
        workforce.refresh(session=s, actor="test", people={})
    attempts = [
        (cases.list_cases, {"actor": world.reviewer}),
        (cases.show_case, {"actor": world.reviewer, "case_id": case_id}),
        (cases.assign, {"actor": world.senior, "case_id": case_id, "assignee": "rob"}),
        (cases.transition, {"actor": world.reviewer, "case_id": case_id, "to_state": "triaged"}),
        (cases.add_note, {"actor": world.analyst, "case_id": case_id, "text": "a note"}),
        (responses.record_response, {"actor": world.analyst, "case_id": case_id, "text": "a response"}),
        (responses.export_disclosure_pack, {"actor": world.dpo, "case_id": case_id, "out": tmp_path / "p.zip"}),
        (decisions.decide, {"actor": world.reviewer, "case_id": case_id, "outcome": "advice", "rationale": RATIONALE}),
        (pseudonyms.reidentify, {"actor": world.reviewer, "case_id": case_id, "reason": REASON}),
    ]
    for fn, kwargs in attempts:
        with pytest.raises(ConflictsUncheckable, match="no workforce"), world.session() as s:
            fn(session=s, **kwargs)
    assert len(_events(world, "security.conflict_uncheckable")) == len(attempts)


def test_1_ingest_refreshes_the_stores_workforce(tmp_path: Path) -> None:
    from fairwitness.cli import app
    from fairwitness.testing.fixtures import write_minimal

    ws = tmp_path / "ws"
    result = CliRunner().invoke(app, ["ingest", str(write_minimal(tmp_path / "data")), "--workspace", str(ws)])
    assert result.exit_code == 0, result.output
    store = db.create_store(db.store_url(workspace=ws))
    try:
        with store.session() as s:
            assert workforce.line_managers(s) == {"P1": None, "P2": "P1", "P3": "P1"}
            assert [e.actor for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "workforce.refresh"))] == ["ingest"]
    finally:
        store.dispose()


# -- 2. every person in free text is a pseudonym -----------------------------------------------------


def _leaky_world(world: World) -> int:
    """S1's case names S2 and S3 everywhere free text can: evidence detail, keys, explanations, notes, rationale."""
    sigs = (
        signal("r-1", detector="reciprocal_authorisation", detail="pair S1 ⇄ S2, 4 claims each way",
               keys=["S1|2026-01-05|S2", "S3-S2"], counterpart_staff_id="S2"),
        signal("r-2", detector="alpha", detail="edited by S3"),
    )  # fmt: skip
    cand = candidate("leak", staff_id="S1", signals=sigs).model_copy(update={"explanation": "S1 and S2 approved each other"})
    case_id = world.case("S1", state="under_review", cand=cand)
    with world.session() as s:
        cases.add_note(session=s, actor=world.reviewer, case_id=case_id, text="spoke to S3 about S2's claims")
        responses.record_response(session=s, actor=world.analyst, case_id=case_id, text="S2 asked me to; ask S3")
        decisions.decide(session=s, actor=world.reviewer, case_id=case_id, outcome="advice",
                         rationale="S2 confirmed the loop; S3 saw the roster")  # fmt: skip
    return case_id


def _ids_in(text_: str, allowed: set[str] = frozenset()) -> set[str]:  # type: ignore[assignment]
    people = set(WORKFORCE) | {"E-RITA", "E-ROB", "E-SAM"}
    return {sid for sid in people - allowed if re.search(rf"(?<![A-Za-z0-9]){re.escape(sid)}(?![A-Za-z0-9])", text_)}


def test_2_no_staff_id_of_the_workforce_in_any_view_export_pack_or_sar(world: World, tmp_path: Path) -> None:
    case_id = _leaky_world(world)
    with world.session() as s:
        shown = cases.show_case(session=s, actor=world.reviewer2, case_id=case_id).model_dump_json()
        listed = json.dumps([c.model_dump(mode="json") for c in cases.list_cases(session=s, actor=world.reviewer2)])
        pseudonyms.reidentify(session=s, actor=world.reviewer2, case_id=case_id, reason=REASON)
    with world.session() as s:
        revealed = cases.show_case(session=s, actor=world.reviewer2, case_id=case_id).model_dump_json()
        pack = responses.export_disclosure_pack(session=s, actor=world.dpo, case_id=case_id, out=tmp_path / "pack.zip")
        sar_s1 = sar.export(session=s, actor=world.dpo, staff_id="S1", out=tmp_path / "sar-s1")
        sar_s2 = sar.export(session=s, actor=world.dpo, staff_id="S2", out=tmp_path / "sar-s2")
    assert "S2" not in shown and _ids_in(shown) == set() and _ids_in(listed) == set()
    assert _ids_in(revealed, {"S1"}) == set() and "S1" in revealed  # a grant reveals the subject, nobody else
    with zipfile.ZipFile(pack) as zf:
        for name in zf.namelist():
            if not name.startswith("attachments/"):
                assert _ids_in(zf.read(name).decode(), {"S1"}) == set(), name
    for path in (sar_s1.json_path, sar_s1.html_path):
        assert _ids_in(path.read_text(), {"S1"}) == set()
    for path in (sar_s2.json_path, sar_s2.html_path):
        assert _ids_in(path.read_text(), {"S2"}) == set()


# -- 3. the subject and their chain cannot act on their own case ----------------------------------


def test_3_the_subject_and_their_chain_cannot_touch_the_case(world: World, tmp_path: Path) -> None:
    subject = world.user("senior_reviewer", "subject", staff_id="S1")
    manager = world.user("analyst", "manager", staff_id="M1")
    report = world.user("dpo", "report", staff_id="R1")
    new, decided = world.case("S1"), world.case("S1", state="decided")
    closed = world.case("S1", state="closed")
    attempts = [
        (cases.assign, {"actor": subject, "case_id": new, "assignee": "rita"}),
        (cases.transition, {"actor": subject, "case_id": new, "to_state": "triaged"}),
        (cases.transition, {"actor": subject, "case_id": decided, "to_state": "closed"}),
        (cases.transition, {"actor": subject, "case_id": closed, "to_state": "reopened", "reason": "I want it reopened"}),
        (cases.add_note, {"actor": subject, "case_id": new, "text": "nothing to see"}),
        (responses.record_response, {"actor": subject, "case_id": new, "text": "all fine"}),
        (responses.export_disclosure_pack, {"actor": subject, "case_id": new, "out": tmp_path / "a.zip"}),
        (cases.transition, {"actor": manager, "case_id": new, "to_state": "triaged"}),
        (cases.add_note, {"actor": manager, "case_id": new, "text": "my officer is fine"}),
        (responses.record_response, {"actor": manager, "case_id": new, "text": "I vouch"}),
        (responses.export_disclosure_pack, {"actor": report, "case_id": new, "out": tmp_path / "b.zip"}),
    ]
    for fn, kwargs in attempts:
        assert _refused(world, fn, **kwargs) == f"no case {kwargs['case_id']}"
    with world.session() as s:
        assert s.get(Case, new).state == "new" and not s.get(Case, new).notes  # type: ignore[union-attr]
    assert len(_events(world, "security.own_case_refused")) + len(_events(world, "security.conflict_refused")) == len(attempts)


# -- 4. refusals do not leak, and are audited -----------------------------------------------------------


def test_4_conflict_refusal_is_the_same_as_no_such_case_and_four_eyes_is_audited(world: World) -> None:
    world.link("E-ROB", "S2")  # rob reports to S2
    case_id = world.case("S2", state="under_review")
    missing = _refused(world, decisions.decide, actor=world.reviewer2, case_id=9999, outcome="advice", rationale=RATIONALE)
    conflicted = _refused(world, decisions.decide, actor=world.reviewer2, case_id=case_id, outcome="advice", rationale=RATIONALE)
    assert missing == "no case 9999" and conflicted == f"no case {case_id}"
    [event] = _events(world, "security.conflict_refused")
    assert event.actor == "rob" and event.object_id == str(case_id) and "level" not in event.detail
    with world.session() as s:
        decisions.decide(session=s, actor=world.reviewer, case_id=case_id, outcome="advice", rationale=RATIONALE)
    with pytest.raises(FourEyesViolation), world.session() as s:
        decisions.concur(session=s, actor=world.reviewer, case_id=case_id, rationale=RATIONALE)
    [event] = _events(world, "security.four_eyes_refused")
    assert event.actor == "rita" and event.object_id == str(case_id)


# -- 5. one person, one pair of eyes ------------------------------------------------------------


def test_5_usernames_are_normalised_and_staff_ids_checked(world: World) -> None:
    world.user("reviewer", "rev1", staff_id="S5")
    for name, staff, message in [
        ("Rev1", "S9", "already exists"),
        ("rev1", "S9", "already exists"),
        ("r\u0435v1", "S9", "look-alike"),  # Cyrillic е
        ("ｒｅｖ２", "S5", "one person, one account"),  # full-width: NFKC → rev2, but S5 already has an account
        ("rev3", None, "must be linked"),
        ("rev4", "NOBODY", "not in the workforce"),
    ]:
        with pytest.raises(InvalidInput, match=message), world.session() as s:
            users.create_user(session=s, actor=world.admin, username=name, password=PASSWORD, role="reviewer", staff_id=staff)
    trimmed = world.user("reviewer", "rev5", staff_id="  S9 ")
    assert trimmed.staff_id == "S9"
    with world.session() as s:
        assert users.authenticate(session=s, username="REV1", password=PASSWORD).username == "rev1"


# -- 6. retention is not undone -------------------------------------------------------------------


def test_6_a_purged_case_is_not_brought_back_by_importing_its_run_again(world: World) -> None:
    cand = candidate("purge-me", staff_id="S3", route="criminal_referral")
    case_id = world.case("S3", state="closed", cand=cand, outcome="false_positive")
    with world.session() as s:
        s.get(Case, case_id).closed_at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # type: ignore[union-attr]
    with world.session() as s:
        assert [i.case_id for i in retention.run(session=s, actor=world.dpo).cases] == [case_id]
    with world.session() as s:
        again = intake.import_candidates(session=s, actor=world.analyst, candidates=[cand])
        assert again.created == [] and again.purged == ["purge-me"]
        assert s.scalar(select(Case).where(Case.candidate_id == "purge-me")) is None
        assert retention.purged_in_run(session=s, run_id="run-1") == {pseudonyms.pseudonym(session=s, staff_id="S3")}


# -- 8. the database credential does not bypass the audit log ----------------------------------------


def _sql(store: db.Store, *statements: str) -> None:
    with store.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def _off(store: db.Store) -> None:
    if store.engine.dialect.name == "postgresql":
        _sql(store, "ALTER TABLE audit_events DISABLE TRIGGER USER")
    else:
        _sql(store, "DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete")


def test_8_disabled_triggers_are_reported_even_when_the_chain_is_intact(isolated_store: db.Store) -> None:
    w = World(isolated_store)
    w.case("S1", state="decided")
    _off(isolated_store)
    with w.session() as s:
        report = verification.verify_chain(session=s)
    assert not report.ok and report.problems[0].kind == "triggers"


def test_8_an_edited_decision_is_found_by_verify(isolated_store: db.Store) -> None:
    w = World(isolated_store)
    case_id = w.case("S1", state="decided", outcome="advice")
    _sql(isolated_store, f"UPDATE decisions SET outcome = 'false_positive' WHERE case_id = {case_id}")
    with w.session() as s:
        kinds = [p.kind for p in verification.verify_chain(session=s).problems]
    assert kinds == ["decision_edited"]


def test_8_a_rehashed_edit_is_named_at_the_first_bad_event(isolated_store: db.Store) -> None:
    w = World(isolated_store)
    w.case("S1", state="decided")
    _off(isolated_store)
    _sql(isolated_store, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 3")
    with isolated_store.sessions() as s:
        rows = list(s.scalars(select(AuditEvent).where(AuditEvent.seq >= 2).order_by(AuditEvent.seq)))
        prev = rows[0].hash
        for row in rows[1:]:
            h = audit.digest(prev_hash=prev, at=row.at, actor=row.actor, action=row.action, object_type=row.object_type,
                             object_id=row.object_id, subject=row.subject, detail=row.detail)  # fmt: skip
            s.execute(text("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE seq = :s"), {"p": prev, "h": h, "s": row.seq})
            prev = h
        s.commit()
    with w.session() as s:
        problems = [p for p in verification.verify_chain(session=s).problems if p.kind != "triggers"]
    assert problems[0].seq == 3 and problems[0].kind == "unsealed"


def test_8_a_forged_event_after_the_anchor_and_a_forged_anchor_are_refused(store: db.Store, world: World, tmp_path: Path) -> None:
    world.case("S1")
    with world.session() as s:
        anchor = verification.anchor(session=s, actor=world.auditor)
    with store.sessions() as s:  # an attacker appends a correctly chained event without the key
        seq, prev = s.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).one()
        at = audit.now()
        item = dict(actor="rita", action="case.view", object_type="case", object_id="1", subject=None, detail="{}")
        h = audit.digest(prev_hash=prev, at=at, **item)
        s.add(AuditEvent(seq=seq + 1, at=at, prev_hash=prev, hash=h, mac="0" * 64, **item))
        s.commit()
    with world.session() as s:
        problems = verification.verify_chain(session=s, anchor=anchor).problems
        assert [(p.seq, p.kind) for p in problems] == [(seq + 1, "unsealed")]
        forged = anchor.model_copy(update={"seq": 1})
        assert [p.kind for p in verification.verify_chain(session=s, anchor=forged).problems][-1] == "anchor_forged"


def test_8_no_pseudonym_key_in_the_database(store: db.Store) -> None:
    with store.session() as s:
        assert s.scalar(select(Setting.value).where(Setting.key == "pseudonym_key")) is None


@pytest.mark.postgres
def test_8_the_application_role_cannot_alter_disable_delete_or_read_a_key(pg_cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import DBAPIError

    from fairwitness.governance import privileges

    pg_cluster.admin("CREATE ROLE fw_owner LOGIN PASSWORD 'owner'")
    pg_cluster.admin("CREATE ROLE fw_app LOGIN PASSWORD 'app'")
    pg_cluster.admin("CREATE DATABASE fw_roles OWNER fw_owner")
    base = f"postgresql+psycopg://{{}}@127.0.0.1:{pg_cluster.port}/fw_roles"
    owner = db.create_store(base.format("fw_owner:owner"))
    privileges.grant_application_role(engine=owner.engine, role="fw_app")
    app = db.create_store(base.format("fw_app:app"), migrate=False)
    try:
        w = World(app)  # the application works as the application role
        w.case("S1", state="decided")
        for statement in (
            "ALTER TABLE audit_events DISABLE TRIGGER USER",
            "ALTER TABLE decisions ADD COLUMN x int",
            "DROP TRIGGER audit_events_no_delete ON audit_events",
            "DELETE FROM audit_events WHERE seq = 1",
            "UPDATE settings SET value = '99' WHERE key = 'audit_sealed_after_seq'",
            "TRUNCATE audit_events",
            "SET session_replication_role = replica",
        ):
            with pytest.raises(DBAPIError):
                _sql(app, statement)
        with w.session() as s:
            assert verification.verify_chain(session=s).ok
            assert s.scalar(select(Setting.value).where(Setting.key == "pseudonym_key")) is None
    finally:
        app.dispose()
        owner.dispose()


# -- 9. outputs never overwrite ---------------------------------------------------------------------


def test_9_exports_never_replace_the_store_or_an_existing_file(tmp_path: Path) -> None:
    os.environ.pop("FAIRWITNESS_DB", None)
    ws = tmp_path / "ws"
    ws.mkdir()
    store = db.create_store(db.store_url(workspace=ws))
    try:
        w = World(store)
        case_id = w.case("S1")
        with pytest.raises(OutputRefused, match="inside the workspace"), w.session() as s:
            responses.export_disclosure_pack(session=s, actor=w.dpo, case_id=case_id, out=ws / "governance.sqlite", force=True)
        existing = tmp_path / "pack.zip"
        existing.write_text("keep me")
        with pytest.raises(OutputRefused, match="already exists"), w.session() as s:
            responses.export_disclosure_pack(session=s, actor=w.dpo, case_id=case_id, out=existing)
        old_sar = tmp_path / "sar.json"
        old_sar.write_text("keep me")
        with pytest.raises(OutputRefused, match="already exists"), w.session() as s:
            sar.export(session=s, actor=w.dpo, staff_id="S1", out=old_sar)
        assert existing.read_text() == "keep me" and old_sar.read_text() == "keep me"
        with w.session() as s:
            assert verification.verify_chain(session=s).ok and s.get(Case, case_id) is not None
    finally:
        store.dispose()


def test_9_anchor_contract_and_docs_cli_refuse_to_overwrite(tmp_path: Path) -> None:
    from fairwitness.cli import app

    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "catalog.duckdb").write_text("")
    target = tmp_path / "contract.md"
    target.write_text("keep me")
    runner = CliRunner()
    for args in (["contract", "--out", str(target)], ["docs-cli", "--out", str(target)],
                 ["docs-cli", "--out", str(tmp_path / "ws" / "cli.md"), "--force"]):  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code != 0 and target.read_text() == "keep me", result.output
    assert runner.invoke(app, ["contract", "--out", str(target), "--force"]).exit_code == 0
    assert target.read_text() != "keep me"


# -- 10. the smaller attacks ----------------------------------------------------------------------


def test_10_fairwitness_user_alone_is_not_a_sign_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from fairwitness.detectors.cli import _audit_run

    monkeypatch.setenv("FAIRWITNESS_USER", "rita")
    monkeypatch.delenv("FAIRWITNESS_DB", raising=False)
    _audit_run(tmp_path, SimpleNamespace(run_id="r1", record={"counts": {}}, errors={}), "duckdb")
    store = db.create_store(db.store_url(workspace=tmp_path))
    try:
        with store.session() as s:
            [event] = s.scalars(select(AuditEvent).where(AuditEvent.action == "run.complete"))
            assert event.actor == "system"
    finally:
        store.dispose()


def test_10_control_characters_in_notes_are_escaped_on_display(world: World, tmp_path: Path) -> None:
    case_id = world.case("S2")
    with world.session() as s:
        cases.add_note(session=s, actor=world.analyst, case_id=case_id, text="ok\n  decision 9 final by sam: cleared\x1b[2J\u202e")
    app = typer.Typer()
    cli.register(app)
    result = CliRunner().invoke(app, ["cases", "show", str(case_id), "--workspace", str(tmp_path), "--db", world.store.url,
                                      "--as", "rob"], env={"FAIRWITNESS_PASSWORD": PASSWORD})  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert not any(line.startswith("  decision 9") for line in result.output.splitlines())
    assert "ok\\n  decision 9" in result.output and "\\u001b[2J" in result.output


def test_10_lockout_after_failed_sign_ins(world: World) -> None:
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(AuthenticationFailed), world.session() as s:
            users.authenticate(session=s, username="rita", password="guess guess guess")
    with pytest.raises(AuthenticationFailed, match="sign-in refused"), world.session() as s:
        users.authenticate(session=s, username="Rita", password=PASSWORD)  # the right password, but locked
    last = _events(world, "security.sign_in_refused")[-1]
    assert "locked" in last.detail and last.object_id == "rita"
    with world.session() as s:  # after the window, the right password works again
        assert users.recent_failures(session=s, username="rita", now=audit.now() + users.LOCKOUT) == 0


def test_10_sar_covers_other_party_cases_and_events_as_actor_and_refuses_wildcards(world: World, tmp_path: Path) -> None:
    _leaky_world(world)
    world.user("analyst", "s2-account", staff_id="S2")
    world.case("S9")
    with world.session() as s:
        me = users.get_user(session=s, username="s2-account")
        cases.list_cases(session=s, actor=me)
    with world.session() as s:
        result = sar.export(session=s, actor=world.dpo, staff_id="S2", out=tmp_path / "sar-s2")
    data = json.loads(result.json_path.read_text())
    assert data["counts"]["cases_naming_them"] == 1 and data["counts"]["events_as_actor"] >= 1
    assert {e["action"] for e in data["events_as_actor"]} >= {"case.list"}
    for wildcard in ("%", "_", "*", "NOBODY"):
        with pytest.raises(NotFound), world.session() as s:
            sar.export(session=s, actor=world.dpo, staff_id=wildcard, out=tmp_path / f"w{ord(wildcard[0])}")
    assert not (tmp_path / "w37.json").exists()


def test_10_signal_without_equals_is_a_clear_error() -> None:
    assert cli.parse_signal_outcomes(["a=advice", " b = false_positive "]) == {"a": "advice", "b": "false_positive"}
    for bad in ("X", "=advice", "X="):
        with pytest.raises(InvalidInput, match="expected SIGNAL_ID=OUTCOME"):
            cli.parse_signal_outcomes([bad])


def test_anchor_files_are_written_read_only(world: World, tmp_path: Path) -> None:
    app = typer.Typer()
    cli.register(app)
    out = tmp_path / "anchors" / "a1.json"
    common = ["--workspace", str(tmp_path), "--db", world.store.url, "--as", "audrey"]
    env = {"FAIRWITNESS_PASSWORD": PASSWORD}
    assert CliRunner().invoke(app, ["audit", "anchor", "--out", str(out), *common], env=env).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o444
    again = CliRunner().invoke(app, ["audit", "anchor", "--out", str(out), *common], env=env)
    assert again.exit_code == 1 and "already exists" in again.output
    verified = CliRunner().invoke(app, ["audit", "verify", "--anchor", str(out), *common], env=env)
    assert verified.exit_code == 0 and "matches anchor" in verified.output and "warning" not in verified.output


def test_9_and_10_the_commands_as_the_attacker_typed_them(tmp_path: Path) -> None:
    """`cases disclose --out WS/governance.sqlite`, `sar "%"`, `--signal X`: refused with one clear line each."""
    app = typer.Typer()
    cli.register(app, line_managers=lambda ws: {**WORKFORCE, "E-RITA": None, "E-SAM": None})
    ws = tmp_path / "ws"
    ws.mkdir()
    runner = CliRunner()
    env = {"FAIRWITNESS_PASSWORD": PASSWORD, "FAIRWITNESS_NEW_PASSWORD": PASSWORD}

    def run(*args: str, as_: str | None = None, code: int = 0) -> str:
        result = runner.invoke(app, [*args, "--workspace", str(ws), *(["--as", as_] if as_ else [])], env=env)
        assert result.exit_code == code, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result.output

    run("users", "create", "admin", "--role", "admin")
    run("workforce", "refresh", as_="admin")
    for name, role, staff in (("ann", "analyst", None), ("rita", "reviewer", "E-RITA"), ("dora", "dpo", None)):
        run("users", "create", name, "--role", role, *(["--staff-id", staff] if staff else []), as_="admin")
    write_candidates([candidate("c1", staff_id="S1")], intake.candidates_path(workspace=ws, run_id="run-1"))
    run("cases", "import", "--run", "run-1", as_="ann")
    store_file = ws / "governance.sqlite"
    before = store_file.read_bytes()[:16]
    assert "inside the workspace" in run("cases", "disclose", "1", "--out", str(store_file), "--force", as_="dora", code=1)
    assert store_file.read_bytes()[:16] == before == b"SQLite format 3\x00"
    assert "not known to the store" in run("sar", "%", "--out", str(tmp_path / "all"), as_="dora", code=1)
    assert not (tmp_path / "all.json").exists()
    run("cases", "transition", "1", "triaged", as_="ann")
    run("cases", "transition", "1", "under_review", as_="rita")
    out = run("cases", "decide", "1", "--outcome", "advice", "--rationale", RATIONALE, "--signal", "X", as_="rita", code=1)
    assert "--signal 'X': expected SIGNAL_ID=OUTCOME" in out
    assert "intact" in run("audit", "verify", as_="admin")


@pytest.mark.postgres
def test_8_store_grant_app_role_from_the_command_line(pg_cluster) -> None:  # type: ignore[no-untyped-def]
    pg_cluster.admin("CREATE ROLE cli_owner LOGIN PASSWORD 'owner'")
    pg_cluster.admin("CREATE ROLE cli_app LOGIN PASSWORD 'app'")
    pg_cluster.admin("CREATE DATABASE cli_roles OWNER cli_owner")
    url = f"postgresql://{{}}@127.0.0.1:{pg_cluster.port}/cli_roles"
    app = typer.Typer()
    cli.register(app)
    runner = CliRunner()
    refused = runner.invoke(app, ["store", "grant-app-role", "cli_owner", "--db", url.format("cli_owner:owner")])
    assert refused.exit_code == 1 and "owns the database" in refused.output
    done = runner.invoke(app, ["store", "grant-app-role", "cli_app", "--db", url.format("cli_owner:owner")])
    assert done.exit_code == 0 and "GRANT SELECT, INSERT ON audit_events, tombstones" in done.output
    store = db.create_store(url.format("cli_app:app"), migrate=False)
    try:
        from sqlalchemy.exc import DBAPIError

        with pytest.raises(DBAPIError, match="must be owner"):
            _sql(store, "ALTER TABLE audit_events DISABLE TRIGGER USER")
    finally:
        store.dispose()
