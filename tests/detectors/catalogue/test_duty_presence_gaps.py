import datetime as dt

import pytest

from fairwitness.detectors.catalogue.duty_presence_gaps import DutyPresenceGaps

DAYS = [dt.date(2024, 3, 1) + dt.timedelta(days=2 * i) for i in range(10)]
A = [f"A{i:02d}" for i in range(12)]
B = [f"B{i:02d}" for i in range(12)]


def shift(staff, i, d, duty="normal", site="S1", night=False):
    start = f"{d.isoformat()} {'21:00' if night else '07:00'}"
    end = f"{(d + dt.timedelta(days=1)).isoformat()} 07:00" if night else f"{d.isoformat()} 17:00"
    return {"shift_id": f"{staff}-{i}", "staff_id": staff, "start": start, "end": end, "duty_type": duty, "site_id": site}


@pytest.fixture
def tables(T, P, base):
    people = [P(s) for s in A] + [P(s, unit_id="U2") for s in B]
    shifts, badge = [], []
    for s in A + B:
        for i, d in enumerate(DAYS):
            night = s == "A05"
            duty = "court" if (s == "A03" and i < 6) else "normal"
            site = "S9" if (s == "A04" and i < 6) else "S1"
            shifts.append(shift(s, i, d, duty=duty, site=site, night=night))
            missing = s.startswith("B") or (s in ("A01", "A02", "A03", "A04") and i < 6)
            if not missing:
                ts = f"{(d + dt.timedelta(days=1)).isoformat()} 02:00" if night else f"{d.isoformat()} 06:50"
                badge.append({"staff_id": s, "ts": ts, "site_id": "S1", "direction": "in"})
    absences = [{"absence_id": f"ab{i}", "staff_id": "A02", "type": "sickness",
                 "start": f"{DAYS[i].isoformat()} 00:00", "end": f"{DAYS[i].isoformat()} 23:59"} for i in range(5)]
    return base(people) | {"shifts": T("shifts", shifts), "badge_events": T("badge_events", badge),
                           "absences": T("absences", absences)}


def test_flags(run, tables):
    out = run(DutyPresenceGaps(), tables)
    # A01 has six shifts without presence; A02's are sick days, A03's court, A04's at court building (site kind other);
    # unit U2 has no readers at all (everyone alike); A05's night shifts show activity after midnight
    assert [r["staff_id"] for r in out] == ["A01"]
    (r,) = out
    assert r["route"] == "wellbeing" and r["value"] == 6
    assert r["evidence_keys"] == [f"A01-{i}" for i in range(6)]
    assert r["peer_median"] == 1.0 and r["peer_percentile"] == 100.0


def test_without_explanations(run, tables):
    t = {k: v for k, v in tables.items() if k not in ("absences", "sites")}
    assert {r["staff_id"] for r in run(DutyPresenceGaps(), t)} == {"A01", "A02", "A04"}


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(DutyPresenceGaps(), tables)
    out = run_detector(DutyPresenceGaps, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)


@pytest.mark.parametrize(("status", "flagged"), [("pending", {"A01"}), ("approved", {"A01"}), ("cancelled", {"A01", "A02"})])
def test_a_pending_absence_explains_and_one_not_taken_does_not(run_detector, tables, T, status, flagged):
    """An absence still pending may be taken: it explains a duty without presence, as an approved
    one does. One cancelled (rejected, withdrawn) did not happen and explains nothing."""
    ab = tables["absences"].to_pylist()
    t = tables | {"absences": T("absences", [{**r, "status": status} for r in ab])}
    out = run_detector(DutyPresenceGaps, t, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31))
    assert set(out["staff_id"].to_pylist()) == flagged
