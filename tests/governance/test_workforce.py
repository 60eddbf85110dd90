"""The workforce kept in memory between sessions, and invalidated by the store's generation token.

Whoever changes the ``workforce`` table — `workforce.refresh` in another process, or plain SQL —
the database replaces the token (migration ``0005_workforce_generation``), so the next session
reads the new chain and every conflict check and withheld case follows it at once.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text

from fairwitness.governance import cases, conflicts, db, workforce
from fairwitness.governance.errors import SubjectAccessRefused
from fairwitness.governance.models import Setting

from .governance_world import World, candidate


def _token(store: db.Store) -> str | None:
    with store.session() as s:
        return workforce.generation(s)


def test_sessions_share_one_snapshot_while_the_workforce_is_unchanged(world: World) -> None:
    with world.session() as s:
        first = workforce.snapshot(s)
        assert workforce.line_managers(s)["R1"] == "S1"
    with world.session() as s:
        assert workforce.snapshot(s) is first
        assert conflicts.conflicted_staff(session=s, user=world.reviewer) == frozenset({"E-RITA"})
    with world.session() as s:  # derived values are kept with the snapshot
        assert "E-RITA" in conflicts.conflicted_staff(session=s, user=world.reviewer)
        assert ("conflicted_staff", "E-RITA") in workforce.snapshot(s).derived


def test_a_refresh_through_another_engine_is_seen_by_the_next_session(world: World) -> None:
    case_id = world.import_case(candidate("c-moved", staff_id="S100"))
    with world.session() as s:
        assert cases.show_case(session=s, actor=world.reviewer, case_id=case_id).id == case_id
        assert case_id in [c.id for c in cases.list_cases(session=s, actor=world.reviewer)]
    before = _token(world.store)
    other = db.create_store(world.store.url)  # another process: its own engine and memory
    try:
        with other.session() as s:
            workforce.refresh(session=s, actor="test", people={**world.people, "S100": "E-RITA"})
    finally:
        other.dispose()
    assert _token(world.store) != before
    with world.session() as s:  # S100 now reports to rita: withheld from her at once
        assert workforce.line_managers(s)["S100"] == "E-RITA"
        assert "S100" in conflicts.conflicted_staff(session=s, user=world.reviewer)
        assert case_id not in [c.id for c in cases.list_cases(session=s, actor=world.reviewer)]
    with pytest.raises(SubjectAccessRefused, match=f"no case {case_id}"), world.session() as s:
        cases.show_case(session=s, actor=world.reviewer, case_id=case_id)


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE workforce SET line_manager_id = 'E-RITA' WHERE staff_id = 'S100'",
        "INSERT INTO workforce (staff_id, line_manager_id, refreshed_at) VALUES ('S777', 'E-RITA', '2026-01-01')",
        "DELETE FROM workforce WHERE staff_id = 'S42'",
    ],
)
def test_any_sql_change_to_the_workforce_replaces_the_token(world: World, change: str) -> None:
    with world.session() as s:
        old = workforce.snapshot(s)
    with world.store.engine.begin() as conn:
        conn.execute(text(change))
    with world.session() as s:
        new = workforce.snapshot(s)
        assert new is not old and new.generation != old.generation
        rows = dict(s.execute(text("SELECT staff_id, line_manager_id FROM workforce")).all())
        assert dict(new.line_managers) == rows


def test_a_rolled_back_refresh_leaves_the_committed_workforce(world: World) -> None:
    with world.session() as s:
        old = workforce.snapshot(s)
    with pytest.raises(RuntimeError), world.session() as s:
        workforce.refresh(session=s, actor="test", people={"X1": None})
        assert set(workforce.line_managers(s)) == {"X1"}  # the session sees its own change
        raise RuntimeError("abandon")
    with world.session() as s:
        assert workforce.generation(s) == old.generation
        assert dict(workforce.line_managers(s)) == dict(old.line_managers)


def test_a_store_without_a_token_reads_the_workforce_every_session(world: World) -> None:
    with world.session() as s:
        s.execute(delete(Setting).where(Setting.key == workforce.GENERATION))
    with world.session() as s:
        first = workforce.snapshot(s)
        assert first.generation is None and first.line_managers["R1"] == "S1"
    with world.session() as s:
        assert workforce.snapshot(s) is not first
        assert s.scalar(select(Setting.value).where(Setting.key == workforce.GENERATION)) is None


def test_the_memory_copy_cannot_be_changed_by_a_caller(world: World) -> None:
    with world.session() as s:
        chain = workforce.line_managers(s)
        with pytest.raises(TypeError):
            chain["R1"] = None  # type: ignore[index]
