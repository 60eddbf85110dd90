"""The role × route × object permission matrix, derived from the library's own matrix.

For every account (one per role, plus a reviewer who is the subject of a case and one
who line-manages a subject) and every page and API route, the expected answer comes
from `fairwitness.governance.roles.allowed` and `fairwitness.governance.conflicts.conflict`:
a role without the permission gets 403; a case about the viewer or their chain, or one
that does not exist, gets 404 ("no case N") — the library's own checks, in its own order
(a transition reads the case before the role; a malformed re-identification reason is
refused before the case is read); otherwise the route does its work (for a
state-changing route, with input the library then refuses, so nothing changes: the
status shows the permission check was passed).
"""

from __future__ import annotations

from typing import Any

import pytest

from fairwitness.governance import conflicts
from fairwitness.governance.roles import allowed

from .conftest import ROLE_ACCOUNTS

MISSING = 987654
OBJECTS = ("plain_case", "own_case", "chain_case", MISSING)

# (method, path, action needed or None for any signed-in account, form/json data, status when authorised)
CASE_ROUTES: list[tuple[str, str, str, dict[str, Any] | None, int]] = [
    ("GET", "/cases/{id}", "case.view", None, 200),
    ("GET", "/cases/{id}/timeline.svg", "case.view", None, 200),
    ("GET", "/cases/{id}/peers.svg", "case.view", None, 200),
    ("GET", "/api/cases/{id}", "case.view", None, 200),
    ("POST", "/cases/{id}/note", "case.note", {"text": " "}, 422),
    ("POST", "/cases/{id}/decide", "case.decide", {"outcome": "no_further_action", "rationale": "x"}, 409),
    ("POST", "/cases/{id}/concur", "case.concur", {"rationale": "x", "verdict": "concur"}, 409),
    ("POST", "/cases/{id}/reidentify", "case.reidentify", {"reason": "short"}, 422),
    ("POST", "/cases/{id}/respond", "case.respond", {"text": " "}, 422),
    ("POST", "/cases/{id}/assign", "case.assign", {"reviewer": "aud"}, 422),
    ("POST", "/cases/{id}/transition", "case.triage", {"to": "triaged", "version": "-1"}, 409),
    ("POST", "/cases/{id}/disclose", "case.disclose", {}, 200),
    ("POST", "/api/cases/{id}/notes", "case.note", {"text": " "}, 422),
    ("POST", "/api/cases/{id}/reidentifications", "case.reidentify", {"reason": "short"}, 422),
]
OTHER_ROUTES: list[tuple[str, str, str | None, dict[str, Any] | None, int]] = [
    ("GET", "/queue", "case.list", None, 200),
    ("GET", "/api/cases", "case.list", None, 200),
    ("GET", "/audit", "audit.verify", None, 200),
    ("POST", "/audit/verify", "audit.verify", {}, 200),
    ("GET", "/api/audit/events", "audit.verify", None, 200),
    ("GET", "/dpo", "purposes.export", None, 200),
    ("POST", "/dpo/retention", "retention.plan", {"mode": "dry_run", "months": "12"}, 200),
    ("POST", "/dpo/sar", "sar.export", {"staff_id": "NOBODY-0"}, 404),  # past the role check: unknown person
    ("GET", "/admin/accounts", "user.list", None, 200),
    ("POST", "/admin/accounts", "user.create", {"username": "x1", "role": "analyst", "new_password": "short"}, 422),
    ("POST", "/admin/accounts/disable", "user.disable", {"username": "nobody-here"}, 404),
    ("GET", "/api/precision", "stats.precision", None, 200),
    ("GET", "/runs", None, None, 200),
    ("GET", "/detectors", None, None, 200),
    ("GET", "/api/runs", None, None, 200),
]


def _call(client: Any, method: str, path: str, data: dict[str, Any] | None) -> Any:
    if method == "GET":
        return client.get(path, follow_redirects=False)
    if path.startswith("/api/"):
        return client.post(path, json=data, headers={"X-CSRF-Token": client.csrf}, follow_redirects=False)
    return client.post(path, data={**(data or {}), "csrf": client.csrf}, follow_redirects=False)


def _expected_case(world: Any, role: str, staff_id: str | None, staff_of: dict[int, str], action: str, ok: int,
                   case_id: int) -> int:  # fmt: skip
    if action == "case.triage" and case_id not in staff_of:
        return 404  # a transition's permission depends on the case's state, so the library reads the case first
    if not allowed(role=role, action=action):  # otherwise the library checks the role before it reads the case
        return 403
    if action == "case.reidentify":
        return ok  # the too-short reason is refused before the case is read: the answer says nothing about it
    if case_id not in staff_of:
        return 404
    people = world.line_managers
    if conflicts.conflict(reviewer_staff_id=staff_id, subject_staff_id=staff_of[case_id], line_managers=people):
        return 404
    return ok


@pytest.fixture(scope="module")
def case_staff(web_world: Any) -> dict[int, str]:
    from sqlalchemy import select

    from fairwitness.governance.db import create_store
    from fairwitness.governance.models import Case, User
    from fairwitness.subjects import line_managers

    web_world.line_managers = dict(line_managers(web_world.workspace))
    store = create_store(web_world.db)
    with store.session() as s:
        ids = [getattr(web_world, o) for o in OBJECTS if isinstance(o, str)]
        found = {c.id: c.staff_id for c in s.scalars(select(Case).where(Case.id.in_(ids)))}
        linked = {u: s.scalar(select(User.staff_id).where(User.username == u)) for u in web_world.accounts}
    store.dispose()
    web_world.linked = linked
    return found


@pytest.mark.parametrize("username", [*ROLE_ACCOUNTS, "subj", "mgr"])
def test_every_route_and_object_answers_as_the_library_matrix_says(username, web_world, case_staff, client_for):
    client = client_for(username)
    role, staff_id = web_world.accounts[username], web_world.linked[username]
    wrong = []
    for obj in OBJECTS:
        case_id = obj if isinstance(obj, int) else getattr(web_world, obj)
        for method, template, action, data, ok in CASE_ROUTES:
            path = template.format(id=case_id)
            expected = _expected_case(web_world, role, staff_id, case_staff, action, ok, case_id)
            got = _call(client, method, path, data).status_code
            if got != expected:
                wrong.append(f"{method} {path} ({obj}): expected {expected}, got {got}")
    for method, path, action, data, ok in OTHER_ROUTES:
        expected = ok if action is None or allowed(role=role, action=action) else 403
        got = _call(client, method, path, data).status_code
        if got != expected:
            wrong.append(f"{method} {path}: expected {expected}, got {got}")
    assert not wrong, f"{username} ({role}):\n" + "\n".join(wrong)


def test_a_case_about_the_viewer_or_their_chain_reads_as_missing_and_is_audited(web_world, client_for):
    subj, mgr = client_for("subj"), client_for("mgr")
    own = subj.get(f"/cases/{web_world.own_case}")
    chain = mgr.get(f"/cases/{web_world.chain_case}")
    missing = subj.get(f"/cases/{MISSING}")
    assert own.status_code == chain.status_code == missing.status_code == 404
    assert f"no case {web_world.own_case}" in own.text and f"no case {web_world.chain_case}" in chain.text
    seen_by_subj = {r["id"] for r in subj.get("/api/cases", params={"sort": "oldest"}).json()["rows"]}
    seen_by_mgr = {r["id"] for r in mgr.get("/api/cases", params={"sort": "oldest"}).json()["rows"]}
    assert web_world.plain_case in seen_by_subj and web_world.plain_case in seen_by_mgr
    assert web_world.own_case not in seen_by_subj and web_world.chain_case not in seen_by_mgr
    events = client_for("aud").get("/api/audit/events", params={"action": "security."}).json()["rows"]
    kinds = {(e["actor"], e["action"], e["object_id"]) for e in events}
    assert ("subj", "security.own_case_refused", str(web_world.own_case)) in kinds
    assert ("mgr", "security.conflict_refused", str(web_world.chain_case)) in kinds


@pytest.mark.parametrize("path", ["/queue", "/cases/1", "/audit", "/dpo", "/admin/accounts", "/runs", "/detectors"])
def test_pages_send_strangers_to_sign_in(path, client_for):
    answer = client_for(None).get(path, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


@pytest.mark.parametrize("path", ["/api/cases", "/api/cases/1", "/api/audit/events", "/api/runs", "/api/precision"])
def test_the_api_answers_strangers_401(path, client_for):
    assert client_for(None).get(path).status_code == 401
