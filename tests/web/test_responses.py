"""The subject's response with an attachment through the page, and the attachment behind its case only."""

from __future__ import annotations


def test_response_with_attachment_is_recorded_and_served_only_under_its_case(client_for, web_world):
    ana = client_for("ana")
    case_id = web_world.plain_case
    other = web_world.journey_case
    files = {"files": ("rota-note.txt", b"Swapped shifts with PC 12 on 6 Jan, agreed by the sergeant.", "text/plain")}
    done = ana.post(f"/cases/{case_id}/respond", data={"text": "See the attached note.", "csrf": ana.csrf}, files=files)
    assert done.status_code == 200 and "See the attached note." in done.text and "rota-note.txt" in done.text
    response = ana.get(f"/api/cases/{case_id}").json()["view"]["responses"][-1]
    attachment_id = response["attachments"][0]["id"]
    got = ana.get(f"/cases/{case_id}/attachments/{attachment_id}")
    assert got.status_code == 200 and got.content.startswith(b"Swapped shifts")
    assert "attachment" in got.headers["content-disposition"] and "rota-note" not in got.headers["content-disposition"]
    assert ana.get(f"/cases/{other}/attachments/{attachment_id}").status_code == 404
    assert client_for("subj").get(f"/cases/{web_world.own_case}/attachments/{attachment_id}").status_code == 404
    events = client_for("aud").get("/api/audit/events", params={"case": case_id}).json()["rows"]
    assert any(e["action"] == "case.respond" and e["actor"] == "ana" for e in events)
