"""The auditor's page says where the chain breaks when the log has been tampered with."""

from __future__ import annotations

import warnings

from sqlalchemy import text

from .conftest import PASSWORD, csrf_of, sign_in


def test_verify_on_a_tampered_log_names_the_event(tmp_path):
    from fairwitness.governance import users
    from fairwitness.governance.db import create_store
    from fairwitness.web import WebSettings, create_app

    url = f"sqlite:///{tmp_path / 'gov.sqlite'}"
    store = create_store(url)
    with store.session() as s:
        admin = users.create_user(session=s, actor=None, username="ada", password=PASSWORD, role="admin")
        users.create_user(session=s, actor=admin, username="aud", password=PASSWORD, role="auditor")
        users.create_user(session=s, actor=admin, username="ana", password=PASSWORD, role="analyst")
    with store.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_events_no_update"))
        conn.execute(text("UPDATE audit_events SET detail = '{\"role\": \"admin\"}' WHERE seq = 2"))
    store.dispose()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    client = TestClient(create_app(WebSettings(workspace=tmp_path, db=url)))
    assert sign_in(client, "aud").status_code == 303
    page = client.post("/audit/verify", data={"csrf": csrf_of(client)})
    assert page.status_code == 200 and "TAMPERED" in page.text
    assert "event 2: [edited]" in page.text
    api = client.post("/api/audit/verify", headers={"X-CSRF-Token": csrf_of(client)}).json()
    assert api["ok"] is False
    kinds = {(p["kind"], p["seq"]) for p in api["problems"]}
    assert ("edited", 2) in kinds and any(kind == "triggers" for kind, _ in kinds)  # the dropped trigger is named too
    filtered = client.get("/api/audit/events", params={"action": "user.create"}).json()
    assert filtered["total"] == 3 and {r["action"] for r in filtered["rows"]} == {"user.create"}
