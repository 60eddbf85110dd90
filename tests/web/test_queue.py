"""The queue's counts and totals leave out exactly the cases withheld from the viewer, and follow the
store's workforce at once when it changes (the app keeps the chain in memory between requests)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from fairwitness.governance import conflicts, workforce
from fairwitness.governance.db import create_store
from fairwitness.governance.models import Case, Signal, User

from .conftest import PASSWORD


def _visible(session: Any, username: str) -> list[tuple[int, str, str, set[str], int | None]]:
    """(id, route, state, detectors, assignee id) of every case ``username`` may see, by the library's own conflict rule."""
    user = session.scalar(select(User).where(User.username == username))
    chain = workforce.line_managers(session)
    detectors: dict[int, set[str]] = {}
    for case_id, detector in session.execute(select(Signal.case_id, Signal.detector)):
        detectors.setdefault(case_id, set()).add(detector)
    return [
        (c.id, c.route, c.state, detectors.get(c.id, set()), c.assignee_id)
        for c in session.execute(select(Case.id, Case.staff_id, Case.route, Case.state, Case.assignee_id))
        if not conflicts.conflict(reviewer_staff_id=user.staff_id, subject_staff_id=c.staff_id, line_managers=chain)
    ]


@pytest.mark.parametrize("username", ["subj", "mgr", "sam"])
def test_counts_and_totals_are_those_of_the_visible_cases(client_for, web_app, username):
    client = client_for(username)
    with web_app.state.web.session() as s:
        visible = _visible(s, username)
        every = s.scalar(select(func.count()).select_from(Case))
    if username != "sam":
        assert len(visible) < every  # the subject's own case, or the managed subject's, is withheld
    answer = client.get("/api/cases").json()
    by_route, by_status = Counter(v[1] for v in visible), Counter(v[2] for v in visible)
    assert answer["total"] == len(visible)
    assert {k: v for k, v in answer["by_route"].items() if v} == dict(by_route)
    assert {k: v for k, v in answer["by_status"].items() if v} == dict(by_status)
    route, state = by_route.most_common(1)[0][0], by_status.most_common(1)[0][0]
    detector = Counter(d for v in visible for d in v[3]).most_common(1)[0][0]
    for filters in ({"route": route}, {"status": state}, {"route": route, "status": state}, {"detector": detector},
                    {"detector": detector, "route": route}, {"assignee": "none", "status": state}):  # fmt: skip
        expected = sum(
            1 for _, r, st, ds, assignee in visible
            if filters.get("route", r) == r and filters.get("status", st) == st and filters.get("detector") in (None, *ds)
            and ("assignee" not in filters or assignee is None)
        )  # fmt: skip
        got = client.get("/api/cases", params=filters).json()
        assert got["total"] == expected, filters
        assert got["pages"] == max(1, -(-expected // got["page_size"]))
        past = client.get("/api/cases", params={**filters, "page": got["pages"] + 1}).json()  # no rows to count on
        assert past["rows"] == [] and past["total"] == expected, filters


def test_a_workforce_change_by_another_process_withholds_cases_at_once(client_for, web_world, tmp_path: Path):
    """A copy of the store, its app, and a workforce refresh through another engine (as ``fairwitness ingest``
    in another process would): the very next request withholds the newly conflicted case."""
    from fastapi.testclient import TestClient

    from fairwitness.web import create_app

    source = Path(web_world.db.removeprefix("sqlite:///"))
    copy = tmp_path / "governance.sqlite"
    shutil.copy(source, copy)
    key = source.with_name(source.name + ".key")
    if key.exists():  # else the key comes from the environment (FAIRWITNESS_PSEUDONYM_KEY), as for the copy
        shutil.copy(key, copy.with_name(copy.name + ".key"))
    url = f"sqlite:///{copy}"
    app = create_app(web_world.settings().model_copy(update={"db": url}))
    client = TestClient(app, base_url="http://testserver")
    assert client.post("/api/session", json={"username": "sam", "password": PASSWORD}).is_success
    case_id = web_world.plain_case
    before = client.get("/api/cases").json()["total"]
    assert client.get(f"/cases/{case_id}").status_code == 200
    other = create_store(url)
    try:
        with other.session() as s:
            sam = s.scalar(select(User).where(User.username == "sam"))
            subject = s.scalar(select(Case.staff_id).where(Case.id == case_id))
            people = {**workforce.line_managers(s), subject: sam.staff_id}
            workforce.refresh(session=s, actor="test", people=people)  # the subject now reports to sam
        with other.session() as s:
            visible = _visible(s, "sam")
    finally:
        other.dispose()
    assert case_id not in {v[0] for v in visible} and len(visible) < before
    assert client.get("/api/cases").json()["total"] == len(visible)
    refused = client.get(f"/cases/{case_id}")
    assert refused.status_code == 404 and f"no case {case_id}" in refused.text
    app.state.web.close()
