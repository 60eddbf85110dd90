"""Sessions, CSRF, headers, sign-in throttling, and what reaches URLs and pages."""

from __future__ import annotations

import re
import warnings

import pytest

from .conftest import PASSWORD, sign_in


def test_session_cookie_is_httponly_samesite_strict_and_secure_over_https(web_app):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    plain = sign_in(TestClient(web_app), "rita")
    cookie = plain.headers["set-cookie"]
    assert "fw_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    tls = sign_in(TestClient(web_app, base_url="https://testserver"), "rita")
    assert "Secure" in tls.headers["set-cookie"]


def test_security_headers_on_pages_and_api(client_for):
    client = client_for("rita")
    for path in ("/queue", "/api/cases", "/login"):
        h = client.get(path).headers
        assert "default-src 'none'" in h["content-security-policy"] and "script-src 'self'" in h["content-security-policy"]
        assert "unsafe-inline" not in h["content-security-policy"]
        assert h["x-frame-options"] == "DENY" and h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "no-referrer" and h["cache-control"] == "no-store"


def test_every_form_carries_the_csrf_token_and_posts_without_it_are_refused(client_for, web_world):
    client = client_for("sam")
    page = client.get(f"/cases/{web_world.plain_case}").text
    forms = re.findall(r"<form[^>]*method=\"post\".*?</form>", page, flags=re.S)
    assert len(forms) >= 5
    assert all(f'name="csrf" value="{client.csrf}"' in f for f in forms)
    refused = client.post(f"/cases/{web_world.plain_case}/note", data={"text": "no token here"})
    assert refused.status_code == 403
    forged = client.post(f"/cases/{web_world.plain_case}/note", data={"text": "forged", "csrf": "x" * 43})
    assert forged.status_code == 403
    api = client.post(f"/api/cases/{web_world.plain_case}/notes", json={"text": "no header"})
    assert api.status_code == 403
    notes = client.get(f"/api/cases/{web_world.plain_case}").json()["view"]["notes"]
    assert not any(n["text"] in ("no token here", "forged", "no header") for n in notes)


def _small_store(tmp_path):
    """A store of its own (the lockout would otherwise lock the shared world's accounts)."""
    from fairwitness.governance import users
    from fairwitness.governance.db import create_store

    url = f"sqlite:///{tmp_path / 'gov.sqlite'}"
    store = create_store(url)
    with store.session() as s:
        admin = users.create_user(session=s, actor=None, username="ada", password=PASSWORD, role="admin")
        users.create_user(session=s, actor=admin, username="aud", password=PASSWORD, role="auditor")
        users.create_user(session=s, actor=admin, username="ana", password=PASSWORD, role="analyst")
    store.dispose()
    return url


def test_the_library_locks_an_account_after_failed_sign_ins_and_audits_it(tmp_path):
    from fastapi.testclient import TestClient

    from fairwitness.governance.users import MAX_FAILURES
    from fairwitness.web import WebSettings, create_app

    url = _small_store(tmp_path)
    app = create_app(WebSettings(workspace=tmp_path, db=url, login_attempts=100))  # no rate limit in the way
    client = TestClient(app)
    answers = [sign_in(client, "ana", "wrong-password-000").status_code for _ in range(MAX_FAILURES)]
    assert answers == [401] * MAX_FAILURES
    assert sign_in(client, "ana", PASSWORD).status_code == 401  # even the right password, while locked
    auditor = TestClient(app)
    assert sign_in(auditor, "aud").status_code == 303  # another account is not locked
    rows = auditor.get("/api/audit/events", params={"action": "security.sign_in_refused"}).json()["rows"]
    reasons = [r["detail"]["reason"] for r in rows if r["actor"] == "ana"]
    assert len(reasons) == MAX_FAILURES + 1 and "locked" in reasons[0]


def test_sign_in_is_rate_limited_per_client_address_and_audited(tmp_path):
    from fastapi.testclient import TestClient

    from fairwitness.web import WebSettings, create_app

    url = _small_store(tmp_path)
    app = create_app(WebSettings(workspace=tmp_path, db=url, login_attempts=3))
    client = TestClient(app)
    answers = [sign_in(client, f"nobody{i}", "wrong-password-000").status_code for i in range(4)]
    assert answers == [401, 401, 401, 429]  # three accounts tried from one address, then the address waits
    events = TestClient(app)
    assert sign_in(events, "aud").status_code == 429  # even the right password, from that address
    app.state.web.throttle.succeeded("addr:testclient")
    assert sign_in(events, "aud").status_code == 303
    rows = events.get("/api/audit/events", params={"action": "security."}).json()["rows"]
    assert {"security.sign_in_refused", "security.sign_in_throttled"} <= {r["action"] for r in rows}


def test_sign_out_ends_the_session(client_for):
    client = client_for("rita")
    assert client.post("/logout", data={"csrf": client.csrf}, follow_redirects=False).status_code == 303
    assert client.get("/queue", follow_redirects=False).status_code == 303


def test_a_disabled_account_is_signed_out_at_once(client_for, web_world):
    ada, victim = client_for("ada"), client_for("ana")
    from fairwitness.governance import users
    from fairwitness.governance.db import create_store

    store = create_store(web_world.db)
    with store.session() as s:
        admin = users.get_user(session=s, username="ada")
        users.create_user(session=s, actor=admin, username="temp", password=PASSWORD, role="analyst")
    store.dispose()
    temp = client_for("temp")
    assert temp.get("/queue").status_code == 200
    assert ada.post("/admin/accounts/disable", data={"username": "temp", "csrf": ada.csrf}).status_code == 200
    assert temp.get("/queue", follow_redirects=False).status_code == 303
    assert victim.get("/queue").status_code == 200


def test_no_staff_number_in_urls_or_pages_until_reidentified_and_only_for_the_asker(client_for, web_world):
    from sqlalchemy import select

    from fairwitness.governance.db import create_store
    from fairwitness.governance.models import Case

    store = create_store(web_world.db)
    with store.session() as s:
        staff_id = s.scalar(select(Case.staff_id).where(Case.id == web_world.plain_case))
    store.dispose()
    rita, rex = client_for("rita"), client_for("rex")
    queue = rita.get("/queue", params={"sort": "oldest"})
    links = re.findall(r'href="([^"]+)"', queue.text)
    assert links and not any(staff_id in link for link in links)
    page = rita.get(f"/cases/{web_world.plain_case}").text
    assert re.search(rf"(?<![\w-]){re.escape(staff_id)}(?![\w-])", page) is None
    reason = "checking the roster evidence with the duty sergeant"
    done = rita.post(f"/cases/{web_world.plain_case}/reidentify", data={"reason": reason, "minutes": "5", "csrf": rita.csrf})
    assert done.status_code == 200 and "Re-identified for you" in done.text and staff_id in done.text
    assert staff_id not in rex.get(f"/cases/{web_world.plain_case}").text
    assert rex.get(f"/api/cases/{web_world.plain_case}").json()["view"]["staff_id"] is None
    events = client_for("aud").get("/api/audit/events", params={"case": web_world.plain_case}).json()["rows"]
    grants = [e for e in events if e["action"] == "case.reidentify"]
    assert grants and grants[0]["actor"] == "rita" and grants[0]["detail"]["reason"] == reason
    assert any(e["action"] == "case.view" and e["actor"] == "rex" for e in events)


def test_page_views_of_personal_data_are_audited(client_for, web_world):
    rita = client_for("rita")
    rita.get(f"/cases/{web_world.plain_case}")
    rita.get(f"/cases/{web_world.plain_case}/timeline.svg")
    rita.get("/queue", params={"route": "advice"})
    rows = client_for("aud").get("/api/audit/events", params={"actor": "rita"}).json()["rows"]
    actions = [r["action"] for r in rows]
    assert {"case.view", "case.timeline.view", "case.list", "session.sign_in"} <= set(actions)
    listing = next(r for r in rows if r["action"] == "case.list")
    assert listing["detail"]["filters"] == {"route": "advice"}


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_no_cdn_backed_docs_pages(path, client_for):
    assert client_for(None).get(path).status_code == 404
