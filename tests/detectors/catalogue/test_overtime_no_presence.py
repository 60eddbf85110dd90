import datetime as dt

import pytest

from fairwitness.detectors.catalogue.overtime_no_presence import OvertimeNoPresence
from fairwitness.detectors.sources import SourceNotLoaded


def ot(cid, staff, start, end, hours=4, status="approved", reason="operational"):
    return {"claim_id": cid, "staff_id": staff, "start": start, "end": end, "hours": hours, "rate": 1.5,
            "reason_code": reason, "submitted_at": end, "authorised_by": "SUP", "authorised_at": end, "status": status}


def three(staff, reason="operational", day0=4):
    return [ot(f"{staff}-{i}", staff, f"2024-03-{day0 + i:02d} 18:00", f"2024-03-{day0 + i:02d} 22:00", reason=reason)
            for i in range(3)]


@pytest.fixture
def tables(T, P):
    people = [P(s) for s in ("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8")] + [P(s, unit_id="U2") for s in ("X1", "X2", "X3")]
    claims = three("W1") + three("W2") + three("W3") + three("W4", reason="COURT attendance") + three("W7")
    claims += [ot("W5-0", "W5", "2024-03-10 22:00", "2024-03-11 06:00", 8), ot("W5-1", "W5", "2024-03-12 22:00", "2024-03-13 06:00", 8)]
    claims += [ot("W6-0", "W6", "2024-03-04 18:00", "2024-03-04 22:00"), ot("W6-1", "W6", "2024-03-05 18:00", "2024-03-05 22:00")]
    claims += [ot("W8-0", "W8", "2024-03-04 18:00", "2024-03-04 22:00", status="rejected")] * 1
    claims += [ot("W8-1", "W8", "2024-03-05 18:00", "2024-03-05 22:00", status="rejected")]
    for s in ("X1", "X2", "X3"):
        claims += three(s)
    # W9 pads two phantom claims among eight genuine ones
    people += [P("W9")]
    claims += [ot(f"W9-{i}", "W9", f"2024-03-{10 + i:02d} 18:00", f"2024-03-{10 + i:02d} 22:00") for i in range(10)]
    normal = [f"N{i}" for i in range(6)]  # colleagues whose overtime shows activity
    people += [P(s) for s in normal]
    for s in normal:
        claims += three(s)
    badge = [{"staff_id": "W2", "ts": f"2024-03-{4 + i:02d} 17:55", "site_id": "S1", "direction": "in"} for i in range(3)]
    badge += [{"staff_id": "W6", "ts": "2024-03-04 19:00", "site_id": "S1", "direction": "in"}]
    # W3: a device login 20 minutes into each claim; W7: only the badge-out of the shift the overtime follows
    device = [{"staff_id": "W3", "device_id": "D3", "ts": f"2024-03-{4 + i:02d} 18:20", "kind": "login"} for i in range(3)]
    badge += [{"staff_id": "W7", "ts": f"2024-03-{4 + i:02d} 18:00", "site_id": "S1", "direction": "out"} for i in range(3)]
    badge += [{"staff_id": "W2", "ts": f"2024-03-{4 + i:02d} 22:10", "site_id": "S1", "direction": "out"} for i in range(3)]
    systems = [{"event_id": "e1", "staff_id": "W5", "ts": "2024-03-11 01:00", "system": "PNC", "action": "search"},
               {"event_id": "e2", "staff_id": "W5", "ts": "2024-03-13 05:50", "system": "PNC", "action": "view"}]
    systems += [{"event_id": f"{s}-{i}", "staff_id": s, "ts": f"2024-03-{4 + i:02d} 20:00", "system": "PNC",
                 "action": "search"} for s in normal for i in range(3)]
    systems += [{"event_id": f"W9-{i}", "staff_id": "W9", "ts": f"2024-03-{10 + i:02d} 21:00", "system": "PNC",
                 "action": "view"} for i in range(8)]
    comms = [{"event_id": "m1", "staff_id": "W1", "ts": "2024-03-04 19:00", "channel": "call", "counterpart_ref": "x",
              "direction": "in", "duration_s": 0}]  # an incoming call is not presence
    return {
        "people": T("people", people),
        "overtime_claims": T("overtime_claims", claims),
        "badge_events": T("badge_events", badge),
        "device_events": T("device_events", device),
        "system_access": T("system_access", systems),
        "comms_events": T("comms_events", comms),
    }


def test_flags(run, tables):
    out = {r["staff_id"]: r for r in run(OvertimeNoPresence(), tables)}
    assert set(out) == {"W1", "W4", "W7", "W9", "X1", "X2", "X3"}
    assert out["W9"]["route"] == "gross_misconduct_assessment" and out["W9"]["evidence_keys"] == ["W9-8", "W9-9"]
    assert out["W1"]["route"] == "gross_misconduct_assessment"
    assert out["W1"]["evidence_keys"] == ["W1-0", "W1-1", "W1-2"]
    assert out["W1"]["value"] == 3
    assert "12.0 of 12.0 claimed hours" in out["W1"]["detail"]
    # court overtime away from force buildings: advice only
    assert out["W4"]["route"] == "advice"
    # a unit where overtime never has presence data (no readers): advice, with the reason
    assert out["X1"]["route"] == "advice"
    assert "the unit's overtime usually has no presence data" in out["X1"]["explanations_found"]


def test_sources(run, tables):
    t = {k: v for k, v in tables.items() if k in ("people", "overtime_claims")}
    with pytest.raises(SourceNotLoaded):
        run(OvertimeNoPresence(), t)
    # badge data alone: W3's device logins no longer count
    t["badge_events"] = tables["badge_events"]
    assert "W3" in {r["staff_id"] for r in run(OvertimeNoPresence(), t)}
    # a stricter window: W3's logins 20 minutes in no longer count
    assert "W3" in {r["staff_id"] for r in run(OvertimeNoPresence({"inside_minutes": 30}), tables)}


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(OvertimeNoPresence(), tables)
    out = run_detector(OvertimeNoPresence, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)
