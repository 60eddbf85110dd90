"""The pages: queue filters, sorting, paging and counts; the case page; charts; evidence; DPO and admin."""

from __future__ import annotations

import re

from fairwitness.governance.cases import STATES
from fairwitness.routes import ROUTES


def test_queue_counts_filters_sorts_and_pages(client_for, web_world):
    client = client_for("sam")
    everything = client.get("/api/cases").json()
    assert sum(everything["by_route"].values()) == sum(everything["by_status"].values()) == everything["total"] > 0
    assert set(everything["by_route"]) == set(ROUTES) and set(everything["by_status"]) == set(STATES)
    scores = [r["score"] for r in everything["rows"]]
    assert scores == sorted(scores, reverse=True)
    route = max(everything["by_route"], key=everything["by_route"].get)
    only = client.get("/api/cases", params={"route": route}).json()
    assert only["total"] == everything["by_route"][route] and {r["route"] for r in only["rows"]} == {route}
    detector = everything["rows"][0]["detectors"][0]
    by_detector = client.get("/api/cases", params={"detector": detector}).json()
    assert by_detector["total"] >= 1 and all(detector in r["detectors"] for r in by_detector["rows"])
    assert client.get("/api/cases", params={"status": "new"}).json()["total"] <= everything["total"]
    assert client.get("/api/cases", params={"assignee": "me"}).json()["total"] == 0
    oldest = client.get("/api/cases", params={"sort": "oldest"}).json()["rows"]
    assert [r["created_at"] for r in oldest] == sorted(r["created_at"] for r in oldest)
    page = client.get("/queue", params={"route": route})
    assert page.status_code == 200 and f"{only['total']} case(s)" in page.text
    assert client.get("/api/cases", params={"route": "nonsense"}).status_code == 422


def test_queue_unit_filter_and_paging(client_for, web_world, web_app):
    client = client_for("sam")
    people = web_app.state.web.people()
    first = client.get("/api/cases").json()["rows"][0]
    from sqlalchemy import select

    from fairwitness.governance.models import Case

    with web_app.state.web.session() as s:
        unit = people.unit_of[s.scalar(select(Case.staff_id).where(Case.id == first["id"]))]
    in_unit = client.get("/api/cases", params={"unit": unit}).json()
    assert first["id"] in {r["id"] for r in in_unit["rows"]}
    small = web_app.state.web.settings.page_size
    total = client.get("/api/cases").json()["total"]
    last = client.get("/api/cases", params={"page": max(1, -(-total // small))}).json()
    assert len(last["rows"]) == total - small * (last["page"] - 1)


def test_case_page_shows_explanations_peers_checks_coverage_sql_and_charts(client_for, web_world):
    client = client_for("aud")
    page = client.get(f"/cases/{web_world.journey_case}").text
    for needle in ('data-testid="signal-explanation"', "Peer group", "Explanations checked", "Explanations found",
                   'data-testid="coverage"', 'data-testid="sql"', "timeline.svg", "peers.svg", "Record the subject"):
        assert (needle in page) == (needle != "Record the subject"), needle  # the auditor changes nothing
    timeline = client.get(f"/cases/{web_world.journey_case}/timeline.svg")
    assert timeline.headers["content-type"] == "image/svg+xml" and timeline.text.startswith("<svg")
    assert "rostered duty" in timeline.text and "presence" in timeline.text and "flagged period" in timeline.text
    peers = client.get(f"/cases/{web_world.journey_case}/peers.svg").text
    assert peers.startswith("<svg") and "peer group:" in peers and "this person:" in peers


def test_evidence_rows_are_pseudonymised(client_for, web_world):
    from sqlalchemy import select

    from fairwitness.governance.db import create_store
    from fairwitness.governance.models import Case

    store = create_store(web_world.db)
    with store.session() as s:
        staff = set(s.scalars(select(Case.staff_id)))
    store.dispose()
    client = client_for("ana")
    rows = client.get("/api/cases", params={"sort": "oldest"}).json()["rows"]
    case_id = next(
        r["id"] for r in rows
        if any((g["evidence"].get("source_rows") or {}).get("table") in ("absences", "overtime_claims")
               and (g["evidence"].get("source_rows") or {}).get("keys")
               for g in client.get(f"/api/cases/{r['id']}").json()["view"]["signals"])
    )  # fmt: skip
    fragment = client.get(f"/cases/{case_id}/evidence", headers={"X-Fragment": "1"})
    assert fragment.status_code == 200 and 'data-testid="evidence-rows"' in fragment.text
    assert "<html" not in fragment.text
    cells = set(re.findall(r"<td>([^<]*)</td>", fragment.text))
    assert cells and not cells & staff
    page = client.get(f"/cases/{case_id}/evidence")
    assert "<html" in page.text and "Evidence rows" in page.text


def test_dpo_retention_dry_run_and_purpose_register(client_for, web_world):
    from fairwitness.governance.db import create_store
    from fairwitness.governance.models import Case

    store = create_store(web_world.db)
    with store.session() as s:
        subject = s.get(Case, web_world.plain_case).staff_id
    store.dispose()
    dee = client_for("dee")
    page = dee.get("/dpo").text
    assert 'data-testid="purposes"' in page and "Subject access export" in page
    result = dee.post("/dpo/retention", data={"months": "12", "mode": "dry_run", "csrf": dee.csrf})
    assert result.status_code == 200 and "Would purge 0 case(s)" in result.text
    unknown = dee.post("/dpo/sar", data={"staff_id": "NOBODY-1", "csrf": dee.csrf})
    assert unknown.status_code == 404 and "not known to the store" in unknown.text  # the library's refusal
    sar = dee.post("/dpo/sar", data={"staff_id": subject, "csrf": dee.csrf})
    assert sar.status_code == 200 and sar.json()["subject"]["staff_id"] == subject


def test_admin_lists_and_creates_accounts(client_for):
    ada = client_for("ada")
    made = ada.post("/admin/accounts", data={"username": "newbie", "role": "analyst",
                                             "new_password": "a-long-enough-password", "csrf": ada.csrf})  # fmt: skip
    assert made.status_code == 200 and "newbie" in made.text
    bad = ada.post("/admin/accounts", data={"username": "x", "role": "king", "new_password": "a-long-enough-password",
                                            "csrf": ada.csrf})  # fmt: skip
    assert bad.status_code == 422 and "unknown role" in bad.text


def test_runs_and_detector_catalogue(client_for, web_world):
    client = client_for("rita")
    assert web_world.run_id in client.get("/runs").text
    detectors = client.get("/detectors").text
    assert 'data-testid="precision"' in detectors and "absence_pattern" in detectors
    assert "does not read detector precision" in client_for("ada").get("/detectors").text


def test_case_page_says_what_its_detectors_could_not_see(client_for, web_world):
    """When the run's record names an optional input no row held for a detector of the case
    (`coverage.unheld`), the case page lists it beside the data coverage: a reviewer weighs the
    flag knowing what could not show, for or against the person."""
    import json
    import os

    from fairwitness.governance.db import create_store
    from fairwitness.governance.models import Case

    with create_store(web_world.db).session() as s:
        case = s.get(Case, web_world.journey_case)
        detector = case.signals[0].detector
    path = web_world.workspace / "runs" / web_world.run_id / "run.json"
    saved = path.read_text()
    record = json.loads(saved)
    record["coverage"]["unheld"] = {detector: ["comms_events.duration_s: how long calls lasted"]}
    try:
        path.write_text(json.dumps(record))
        os.utime(path, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns + 10**9))  # kept records are re-read on change
        page = client_for("aud").get(f"/cases/{web_world.journey_case}").text
        assert 'data-testid="unseen"' in page and f"{detector}: comms_events.duration_s: how long calls lasted" in page
    finally:
        path.write_text(saved)
        os.utime(path, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns + 2 * 10**9))
    assert 'data-testid="unseen"' not in client_for("aud").get(f"/cases/{web_world.journey_case}").text
