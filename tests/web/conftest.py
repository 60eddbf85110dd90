"""Web fixtures: one governance store over the shared small force, one app, signed-in clients.

``web_world`` (session): runs the detectors once over ``small_force``, imports the
candidates into a store of its own (SQLite in a temporary directory, so the shared
workspace gets no store), and creates one account per role plus two reviewers linked
to the workforce: ``subj`` is the subject of ``world.own_case`` and ``mgr`` the line
manager of the subject of ``world.chain_case``. The store's workforce is refreshed from the
force's people (as ingest does); the reviewing accounts (``sam``, ``rita``, ``rex``) are linked to
officers who manage nobody and are independent of every case the tests use. ``world.plain_case`` is a case any
case reader may see and nobody changes (the permission matrix reads it);
``world.journey_case`` is an adverse-route case the browser journey decides.

``web_app`` (session): the app over that store. ``client_for(username)``: a
``TestClient`` signed in as that account (its CSRF token in ``client.csrf``).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

PASSWORD = "correct-horse-battery-staple"
ROLE_ACCOUNTS = {
    "ada": "admin", "sam": "senior_reviewer", "rita": "reviewer", "rex": "reviewer",
    "aud": "auditor", "dee": "dpo", "ana": "analyst",
}  # fmt: skip


@dataclass
class WebWorld:
    workspace: Path
    db: str
    run_id: str
    plain_case: int
    own_case: int
    chain_case: int
    journey_case: int
    accounts: dict[str, str] = field(default_factory=dict)
    """username -> role."""

    def settings(self, **kw: Any) -> Any:
        from fairwitness.web import WebSettings

        return WebSettings(workspace=self.workspace, db=self.db, **kw)


def _pick(cases: list[Any], people: dict[str, str | None]) -> tuple[Any, Any, Any, Any, str]:
    from fairwitness.governance import conflicts
    from fairwitness.routes import ADVERSE_OUTCOMES

    chain = next(c for c in cases if people.get(c.staff_id))
    manager = people[chain.staff_id]
    assert manager is not None

    def free(c: Any) -> bool:
        return c is not chain and not conflicts.conflict(reviewer_staff_id=manager, subject_staff_id=c.staff_id,
                                                         line_managers=people)  # fmt: skip

    journey = next(
        c for c in cases
        if free(c) and c.route in ADVERSE_OUTCOMES
        and any((s.evidence.get("peer_comparison") or {}).get("peer_percentile") is not None for s in c.signals)
    )  # fmt: skip
    own = next(c for c in cases if free(c) and c is not journey and c.staff_id != manager)
    plain = next(c for c in cases if free(c) and c not in (journey, own))
    return plain, own, chain, journey, manager


def _independent_staff(cases: list[Any], chosen: list[Any], people: dict[str, str | None], n: int) -> list[str]:
    """``n`` officers who manage nobody, are no case's subject and are independent of every ``chosen`` case."""
    from fairwitness.governance import conflicts

    managers = {m for m in people.values() if m}
    subjects = {c.staff_id for c in cases}
    found = [
        sid for sid in sorted(people)
        if sid not in managers and sid not in subjects and people[sid] is not None
        and not any(conflicts.conflict(reviewer_staff_id=sid, subject_staff_id=c.staff_id, line_managers=people)
                    for c in chosen)
    ]  # fmt: skip
    assert len(found) >= n, "the small force has too few independent officers for the reviewing accounts"
    return found[:n]


@pytest.fixture(scope="session")
def web_world(small_force: tuple[Path, Any], tmp_path_factory: pytest.TempPathFactory) -> WebWorld:
    from sqlalchemy import select

    from fairwitness.detectors.runner import run
    from fairwitness.governance import intake, users, workforce
    from fairwitness.governance import conflicts
    from fairwitness.governance.db import create_store
    from fairwitness.governance.models import Case
    from fairwitness.subjects import line_managers

    _, ws = small_force
    result = run(ws)
    root = tmp_path_factory.mktemp("web")
    db = f"sqlite:///{root / 'governance.sqlite'}"
    store = create_store(db)
    people = dict(line_managers(ws.path))
    with store.session() as s:
        workforce.refresh(session=s, actor="test", people=people)
        admin = users.create_user(session=s, actor=None, username="ada", password=PASSWORD, role="admin")
        for name, role in ROLE_ACCOUNTS.items():
            if name != "ada" and role not in conflicts.STAFF_ID_REQUIRED:
                users.create_user(session=s, actor=admin, username=name, password=PASSWORD, role=role)
        ana = users.get_user(session=s, username="ana")
        intake.import_candidates(session=s, actor=ana, candidates=result.candidates)
        cases = list(s.scalars(select(Case).order_by(Case.id)))
        plain, own, chain, journey, manager = _pick(cases, people)
        reviewing = [n for n, r in ROLE_ACCOUNTS.items() if r in conflicts.STAFF_ID_REQUIRED]
        staff = _independent_staff(cases, [plain, own, chain, journey], people, len(reviewing))
        for name, sid in zip(reviewing, staff, strict=True):
            users.create_user(session=s, actor=admin, username=name, password=PASSWORD, role=ROLE_ACCOUNTS[name],
                              staff_id=sid)  # fmt: skip
        users.create_user(session=s, actor=admin, username="subj", password=PASSWORD, role="reviewer", staff_id=own.staff_id)
        users.create_user(session=s, actor=admin, username="mgr", password=PASSWORD, role="reviewer", staff_id=manager)
        ids = plain.id, own.id, chain.id, journey.id
    store.dispose()
    accounts = {**ROLE_ACCOUNTS, "subj": "reviewer", "mgr": "reviewer"}
    return WebWorld(ws.path, db, result.run_id, *ids, accounts=accounts)


@pytest.fixture(scope="session")
def web_app(web_world: WebWorld) -> Any:
    from fairwitness.web import create_app

    return create_app(web_world.settings())


def sign_in(client: Any, username: str, password: str = PASSWORD) -> Any:
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token, page.text
    return client.post("/login", data={"username": username, "password": password, "csrf": token.group(1)},
                       follow_redirects=False)  # fmt: skip


def csrf_of(client: Any) -> str:
    page = client.get("/runs")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


@pytest.fixture
def client_for(web_app: Any) -> Callable[[str], Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    def make(username: str | None) -> Any:
        client = TestClient(web_app, base_url="http://testserver")
        client.csrf = ""
        if username:
            answer = sign_in(client, username)
            assert answer.status_code == 303, answer.text
            client.csrf = csrf_of(client)
        return client

    return make
