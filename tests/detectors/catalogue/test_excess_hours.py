import datetime as dt

import pytest

from fairwitness.detectors.catalogue.excess_hours import ExcessHours

PEOPLE = [f"E{i:02d}" for i in range(1, 13)]


def shifts_for(staff, days, hours=10, start_hour=7):
    out = []
    for d in days:
        s = dt.datetime(2024, 3, d, start_hour)
        out.append({"shift_id": f"{staff}-{d}", "staff_id": staff, "start": s.isoformat(sep=" "),
                    "end": (s + dt.timedelta(hours=hours)).isoformat(sep=" "), "duty_type": "normal", "site_id": "S1"})
    return out


def ot(cid, staff, d, hours, start_hour=18):
    s = dt.datetime(2024, 3, d, start_hour)
    return {"claim_id": cid, "staff_id": staff, "start": s.isoformat(sep=" "),
            "end": (s + dt.timedelta(hours=hours)).isoformat(sep=" "), "hours": hours, "rate": 1.5, "reason_code": "op",
            "submitted_at": "2024-03-31 09:00", "authorised_by": "SUP", "authorised_at": "2024-03-31 10:00",
            "status": "approved"}


@pytest.fixture
def tables(T, P, base):
    # a 4-on-4-off 10-hour rota: about 39 hours a week
    on = [d for d in range(1, 32) if (d - 1) % 8 < 4]
    shifts, claims = [], []
    for s in PEOPLE:
        shifts += shifts_for(s, on)
    # E01 works overtime on every rest day: ~70 hours a week, with short rests after nights
    claims += [ot(f"x{d}", "E01", d, 10, start_hour=7) for d in range(1, 32) if d not in on]
    claims += [ot(f"y{d}", "E01", d, 4) for d in on]
    # E02 has a single long week only
    claims += [ot(f"z{d}", "E02", d, 12, start_hour=7) for d in (5, 6, 7, 8)]
    claims += [ot("rej", "E03", 6, 12) | {"status": "rejected"}] * 1
    return base([P(s) for s in PEOPLE]) | {"shifts": T("shifts", shifts), "overtime_claims": T("overtime_claims", claims)}


def test_flags(run, tables):
    out = run(ExcessHours(), tables)
    assert [r["staff_id"] for r in out] == ["E01"]
    (r,) = out
    assert r["route"] == "wellbeing"
    assert r["value"] > 60
    assert 35 < r["peer_median"] < 45
    assert r["peer_percentile"] == 100.0


def test_thresholds(run, tables):
    out = {r["staff_id"] for r in run(ExcessHours({"min_long_week_share": 0.1}), tables)}
    assert out == {"E01", "E02"}


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(ExcessHours(), tables)
    out = run_detector(ExcessHours, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)
