"""The audit log: hash chain, append-only triggers, tamper detection that says where, anchors."""

from __future__ import annotations

import gc

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from fairwitness.governance import audit, cases, db, verification
from fairwitness.governance.models import AuditEvent

from .governance_world import World


@pytest.fixture
def iworld(isolated_store: db.Store) -> World:
    """A world on a database of its own (these tests drop triggers), with a few cases' worth of events."""
    w = World(isolated_store)
    for staff in ("S1", "S2"):
        w.case(staff, state="decided")
    return w


def _sql(store: db.Store, *statements: str) -> None:
    with store.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def _drop_triggers(store: db.Store) -> None:
    """What an attacker with database access does first."""
    if store.engine.dialect.name == "postgresql":
        _sql(store, "ALTER TABLE audit_events DISABLE TRIGGER USER")
    else:
        _sql(store, "DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete")


def _verify(w: World, anchor: verification.Anchor | None = None) -> verification.VerifyReport:
    """Verify, leaving out the missing-trigger problem these tests cause on purpose (tested in test_attacks)."""
    with w.session() as s:
        report = verification.verify_chain(session=s, anchor=anchor)
    problems = [p for p in report.problems if p.kind != "triggers"]
    return report.model_copy(update={"problems": problems, "ok": not problems})


def _anchor(w: World) -> verification.Anchor:
    with w.session() as s:
        return verification.anchor(session=s, actor=w.auditor)


def _rows(w: World) -> list[AuditEvent]:
    with w.session() as s:
        return list(s.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def _rehash_from(store: db.Store, start: int) -> None:
    """Recompute hashes from event ``start`` onwards, as a careful attacker would."""
    with store.sessions() as s:
        rows = list(s.scalars(select(AuditEvent).where(AuditEvent.seq >= start - 1).order_by(AuditEvent.seq)))
        prev = rows[0].hash if rows[0].seq == start - 1 else audit.GENESIS
        for row in rows:
            if row.seq < start:
                continue
            h = audit.digest(prev_hash=prev, at=row.at, actor=row.actor, action=row.action, object_type=row.object_type,
                             object_id=row.object_id, subject=row.subject, detail=row.detail)  # fmt: skip
            s.execute(text("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE seq = :s"), {"p": prev, "h": h, "s": row.seq})
            prev = h
        s.commit()


def test_every_action_appends_a_linked_event(world: World) -> None:
    world.case("S1", state="closed")
    rows = _rows(world)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    assert {"user.create", "case.create", "case.import", "case.transition", "case.decide", "case.closed"} <= {r.action for r in rows}
    report = _verify(world)
    assert report.ok and report.events == len(rows) and report.head_hash == rows[-1].hash


def test_rolled_back_work_leaves_no_event(world: World) -> None:
    before = len(_rows(world))
    with pytest.raises(RuntimeError), world.session() as s:
        cases.list_cases(session=s, actor=world.analyst)
        raise RuntimeError("boom")
    assert len(_rows(world)) == before


def test_triggers_refuse_update_and_delete(store: db.Store, world: World) -> None:
    for statement in (
        "UPDATE audit_events SET actor = 'mallory' WHERE seq = 1",
        "DELETE FROM audit_events WHERE seq = 1",
        "DELETE FROM audit_events",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            _sql(store, statement)
    if store.engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"):
            _sql(store, "TRUNCATE audit_events")
    assert _verify(world).ok and _rows(world)[0].actor == "test"  # the world's first event: its workforce


def test_edit_is_detected_at_the_edited_event(iworld: World) -> None:
    _drop_triggers(iworld.store)
    _sql(iworld.store, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 3")
    report = _verify(iworld)
    assert not report.ok
    assert [(p.seq, p.kind) for p in report.problems] == [(3, "edited")]
    assert "event 3: [edited]" in report.summary()


def test_edit_with_its_hash_recomputed_breaks_the_next_link(iworld: World) -> None:
    _drop_triggers(iworld.store)
    _sql(iworld.store, "UPDATE audit_events SET detail = '{}' WHERE seq = 4")
    with iworld.store.sessions() as s:  # recompute event 4's own hash only
        row = s.get(AuditEvent, 4)
        assert row is not None
        h = audit.digest(prev_hash=row.prev_hash, at=row.at, actor=row.actor, action=row.action, object_type=row.object_type,
                         object_id=row.object_id, subject=row.subject, detail=row.detail)  # fmt: skip
        s.execute(text("UPDATE audit_events SET hash = :h WHERE seq = 4"), {"h": h})
        s.commit()
    report = _verify(iworld)
    assert [(p.seq, p.kind) for p in report.problems] == [(4, "unsealed"), (5, "broken_link")]
    assert "event 4" in report.problems[1].message


def test_deletion_is_detected_where_the_gap_is(iworld: World) -> None:
    _drop_triggers(iworld.store)
    _sql(iworld.store, "DELETE FROM audit_events WHERE seq IN (5, 6)")
    report = _verify(iworld)
    assert [(p.seq, p.kind) for p in report.problems] == [(7, "missing")]
    assert "events 5..6 missing" in report.problems[0].message


def test_deletion_of_the_first_event_is_detected(iworld: World) -> None:
    _drop_triggers(iworld.store)
    _sql(iworld.store, "DELETE FROM audit_events WHERE seq = 1")
    report = _verify(iworld)
    assert [(p.seq, p.kind) for p in report.problems] == [(2, "missing")]


def test_deletion_with_renumbering_is_detected(iworld: World) -> None:
    _drop_triggers(iworld.store)
    n = len(_rows(iworld))
    renumber = [f"UPDATE audit_events SET seq = {i - 1} WHERE seq = {i}" for i in range(6, n + 1)]
    _sql(iworld.store, "DELETE FROM audit_events WHERE seq = 5", *renumber)
    report = _verify(iworld)
    assert [(p.seq, p.kind) for p in report.problems] == [(5, "broken_link")]


def test_reordering_is_detected(iworld: World) -> None:
    _drop_triggers(iworld.store)
    _sql(
        iworld.store,
        "UPDATE audit_events SET seq = -1 WHERE seq = 3",
        "UPDATE audit_events SET seq = 3 WHERE seq = 4",
        "UPDATE audit_events SET seq = 4 WHERE seq = -1",
    )
    report = _verify(iworld)
    kinds = {(p.seq, p.kind) for p in report.problems}
    assert (3, "out_of_order") in kinds and (4, "out_of_order") in kinds
    assert all(p.kind == "out_of_order" for p in report.problems)
    assert "reordered" in report.summary()


def test_truncation_is_detected_against_an_anchor(iworld: World) -> None:
    anchor = _anchor(iworld)
    assert _verify(iworld, anchor).ok
    _drop_triggers(iworld.store)
    _sql(iworld.store, f"DELETE FROM audit_events WHERE seq >= {anchor.seq - 2}")
    assert _verify(iworld).ok  # a clean tail cut leaves a valid chain: only the anchor reveals it
    report = _verify(iworld, anchor)
    [problem] = report.problems
    assert problem.kind == "truncated" and problem.seq == anchor.seq
    assert f"ends at event {anchor.seq - 3}" in problem.message and f"{anchor.seq - 2}..{anchor.seq}" in problem.message


def test_rewriting_the_whole_chain_is_detected_against_an_anchor(iworld: World) -> None:
    anchor = _anchor(iworld)
    _drop_triggers(iworld.store)
    _sql(iworld.store, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2")
    _rehash_from(iworld.store, 2)
    # the chain is consistent again, but the seals name the first re-hashed event, and the anchor disagrees
    problems = _verify(iworld, anchor).problems
    assert problems[0].kind == "unsealed" and problems[0].seq == 2
    assert {p.seq for p in problems if p.kind == "unsealed"} >= set(range(2, anchor.seq + 1))
    assert problems[-1].kind == "anchor_mismatch" and problems[-1].seq == anchor.seq


def test_anchor_round_trips_as_json_and_is_audited(world: World) -> None:
    anchor = _anchor(world)
    again = verification.Anchor.model_validate_json(anchor.model_dump_json())
    assert again == anchor and len(anchor.hash) == 64
    with world.session() as s:
        report = verification.verify(session=s, actor=world.auditor, anchor=again)
    assert report.ok and "matches anchor" in report.summary()
    actions = [r.action for r in _rows(world)]
    assert actions[-2:] == ["audit.anchor", "audit.verify"]


def test_events_are_recorded_by_every_store_even_after_others_were_collected(store_url: str) -> None:
    """Regression: listeners are installed on each new sessionmaker (no stale registry look-ups)."""
    for i in range(5):
        s = db.create_store(store_url)
        with s.session() as session:
            audit.record(session=session, actor="test", action="test.ping", object_type="test", object_id=str(i))
        s.dispose()
        del s
        gc.collect()
    s = db.create_store(store_url)
    try:
        with s.session() as session:
            pings = session.scalars(select(AuditEvent.object_id).where(AuditEvent.action == "test.ping")).all()
    finally:
        s.dispose()
    assert sorted(pings) == [str(i) for i in range(5)]
