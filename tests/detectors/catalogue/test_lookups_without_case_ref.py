import datetime as dt
import math
from statistics import NormalDist

import ibis
import pytest
from pydantic import ValidationError

from fairwitness.detectors.catalogue._lookups import corrected_z, poisson_excess_z, window_spans
from fairwitness.detectors.catalogue.lookups_without_case_ref import LookupParams, LookupsWithoutCaseRef
from fairwitness.detectors.sources import Sources

U1 = [f"L{i:02d}" for i in range(1, 21)]
U2 = [f"M{i:02d}" for i in range(1, 13)]


def look(staff, i, case, subject=None, day=5):
    return {"event_id": f"{staff}-{i}", "staff_id": staff, "ts": f"2024-03-{day:02d} 10:{i % 60:02d}", "system": "PNC",
            "action": "search", "subject_ref": subject or f"SUBJ-{staff}-{i}", "case_ref": case}


def lookups(staff, n_case, n_nocase):
    rows = [look(staff, i, f"CASE-{staff}") for i in range(n_case)]
    return rows + [look(staff, n_case + i, None if i % 2 else "  ") for i in range(n_nocase)]


@pytest.fixture
def tables(T, P, base):
    people = [P(s) for s in U1] + [P(s, unit_id="U2") for s in U2]
    rows = []
    for k, s in enumerate(U1):
        n_nocase = {"L01": 60, "L02": 14}.get(s, 4 + k % 3)
        n_case = 270 if s == "L03" else 30
        if s == "L03":
            n_nocase = 45  # an analyst: many lookups, the usual share without a case
        rows += lookups(s, n_case, n_nocase)
    for k, s in enumerate(U2):  # a surge unit: everyone does far more
        rows += lookups(s, 90, 40 + k % 3)
    return base(people) | {"system_access": T("system_access", rows)}


def test_flags(run, tables):
    out = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef(), tables)}
    assert set(out) == {"L01", "L02"}
    assert out["L01"]["route"] == "misconduct_assessment"
    assert out["L01"]["value"] == 60 and out["L01"]["peer_median"] == 5.0
    assert len(out["L01"]["evidence_keys"]) == 60
    assert out["L02"]["route"] == "wellbeing"
    # L03 is a heavy user whose share without a case is usual: not flagged when moderately above,
    # advice with the explanation when far above
    far = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef({"misconduct_percentile": 95}), tables)}
    assert far["L03"]["route"] == "wellbeing"
    assert far["L03"]["explanations_found"] == ["high overall lookup volume; share without case reference in line with peers"]
    assert "normalised for unit demand" in out["L01"]["peer_group"]


def test_empty_and_params(run, tables, T):
    t = dict(tables)
    t["system_access"] = T("system_access", [])
    assert run(LookupsWithoutCaseRef(), t) == []
    assert {r["staff_id"] for r in run(LookupsWithoutCaseRef({"min_count": 100}), tables)} == set()


def recall(staff, reason="recall_to_duty", status="approved"):
    return {"claim_id": f"C-{staff}", "staff_id": staff, "start": "2024-03-05 08:00", "end": "2024-03-05 18:00",
            "hours": 10.0, "rate": 2.0, "reason_code": reason, "status": status}


def test_lookups_while_recalled_are_set_against_everybody_recalled(run, tables, T):
    """L01's 60 lookups without a case reference (90 in all) fell in a ten-hour recall to duty,
    like those of nine officers of another unit recalled the same day (130-132 each): a recall
    is a tasking, and within what recalled colleagues look up, they are not counted. Set against ordinary days (no comparison, or too
    few recalled to compare with) they are a misconduct route again; a recall far beyond the
    others' is still counted above what they show, and the explanation says so."""
    recalled = ["L01", *U2[:9]]
    claims = {"overtime_claims": T("overtime_claims", [recall(s) for s in recalled])}
    assert "L01" not in {r["staff_id"] for r in run(LookupsWithoutCaseRef(), tables | claims)}
    off = {r["staff_id"]: r["route"] for r in run(LookupsWithoutCaseRef({"recall_ratio": 0}), tables | claims)}
    assert off["L01"] == "misconduct_assessment"
    few = {"overtime_claims": T("overtime_claims", [recall(s) for s in recalled[:4]])}
    assert {r["staff_id"]: r["route"] for r in run(LookupsWithoutCaseRef(), tables | few)}["L01"] == "misconduct_assessment"
    other = {"overtime_claims": T("overtime_claims", [recall(s, reason="court") for s in recalled])}
    assert "L01" in {r["staff_id"] for r in run(LookupsWithoutCaseRef(), tables | other)}
    # allowed: 0.15 x the recalled median of 13.1 lookups an hour (of every kind) x 10 hours = 20
    # of L01's 60 (the analyst L03 ranks above the 40 left, hence the percentile)
    part = LookupsWithoutCaseRef({"recall_ratio": 0.15, "misconduct_percentile": 95})
    half = {r["staff_id"]: r for r in run(part, tables | claims)}
    assert half["L01"]["route"] == "misconduct_assessment" and half["L01"]["value"] == 40
    assert "lookups while recalled to duty" in " ".join(half["L01"]["explanations_found"])
    assert len(half["L01"]["evidence_keys"]) == 60  # the evidence is every lookup


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables, P, base, T):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run — L01 as a disclosure officer alone in the role (held at a
    wellbeing check), L02 as one of two PNC bureau operators — and the recall comparison: L01's
    lookups in a recall to duty, above what nine recalled colleagues look up, counted above it
    (one Spark run for both: each pays the catalogue's costliest plan)."""
    roles = {"L01": "Disclosure Officer", "L02": "PNC Bureau Operator", "L05": "pnc bureau operator"}
    people = [P(s, role=roles.get(s, "response officer")) for s in U1] + [P(s, unit_id="U2") for s in U2]
    tables = tables | base(people) | {"overtime_claims": T("overtime_claims", [recall(s) for s in ["L01", *U2[:9]]])}
    params = {"recall_ratio": 0.15, "misconduct_percentile": 95}
    direct = run(LookupsWithoutCaseRef(params), tables)
    out = run_detector(LookupsWithoutCaseRef, tables, params=params, period_start=dt.date(2024, 3, 1),
                       period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], r["value"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], r["value"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)
    (l01,) = [r for r in out if r["staff_id"] == "L01"]
    assert l01["value"] == 40 and l01["route"] == "wellbeing"
    assert any("checking records" in e for e in l01["explanations_found"])
    assert any("lookups while recalled to duty" in e for e in l01["explanations_found"])


# --- windows: a six-month period, windows of 28 days every 14 ------------------------------

H1, H2 = dt.date(2024, 1, 1), dt.date(2024, 6, 30)
WEEKS = 26
P6 = [f"P{i:02d}" for i in range(1, 21)]
S6 = [f"S{i:02d}" for i in range(1, 13)]


def look6(staff, tag, i, day, case):
    return {"event_id": f"{staff}-{tag}-{i}", "staff_id": staff, "ts": f"{day.isoformat()} {9 + i % 8:02d}:{i % 60:02d}",
            "system": "PNC", "action": "search", "subject_ref": f"SUBJ-{staff}-{tag}-{i}", "case_ref": case}


def weekly(staff, nocase, case, mult=lambda w: 1):
    """Every week of the period, ``nocase`` lookups without and ``case`` with a case reference."""
    rows = []
    for w in range(WEEKS):
        monday = H1 + dt.timedelta(days=7 * w)
        rows += [look6(staff, f"n{w}", j, monday + dt.timedelta(days=j % 5), None) for j in range(nocase * mult(w))]
        rows += [look6(staff, f"c{w}", j, monday + dt.timedelta(days=j % 5), f"CASE-{staff}") for j in range(case * mult(w))]
    return rows


@pytest.fixture
def half_year(T, P, base):
    people = [P(s) for s in P6] + [P(s, unit_id="U2") for s in S6] + [P("B01"), P("H01"), P("H02")]
    rows = []
    for k, s in enumerate(P6):  # 1 to 4 lookups a week without a case reference, 10 with
        rows += weekly(s, 1 + k % 4, 10)
    for k, s in enumerate(S6):  # a unit in a surge: everyone twice as busy in March
        rows += weekly(s, 1 + k % 4, 10, mult=lambda w: 2 if 9 <= w <= 12 else 1)
    # B01: usually 2 a week; 60 more without a case reference between 4 and 22 March
    rows += weekly("B01", 2, 10)
    rows += [look6("B01", "burst", j, dt.date(2024, 3, 4) + dt.timedelta(days=j % 19), None) for j in range(60)]
    rows += weekly("H01", 12, 10)  # a steady heavy user, a high share without a case reference
    rows += weekly("H02", 10, 50)  # a steady heavy user with the usual share
    return base(people) | {"system_access": T("system_access", rows)}


def test_window_finds_a_burst_the_period_misses(run, half_year):
    # over six months B01's 112 lookups without a case reference are within the peers' spread
    assert "B01" not in {r["staff_id"] for r in run(LookupsWithoutCaseRef({"window_days": 0}), half_year, H1, H2)}
    out = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef(), half_year, H1, H2)}
    b = out["B01"]
    # the window of 26 February to 24 March holds the whole burst: 60 + 4 weeks x 2 usual
    assert (b["period_start"], b["period_end"]) == (dt.date(2024, 2, 26), dt.date(2024, 3, 24))
    assert b["route"] == "misconduct_assessment"
    assert b["value"] == 68 and b["peer_median"] == 12.0 and b["peer_percentile"] == 100.0
    assert b["peer_group"].endswith("(normalised for unit demand), same 28 days")
    assert len(b["evidence_keys"]) == 68
    assert {k.split("-")[1] for k in b["evidence_keys"]} == {"burst", "n8", "n9", "n10", "n11"}
    assert b["detail"] == (
        "in the 28 days 2024-02-26 to 2024-03-24: 68 distinct subjects; 63% of their lookups against a peer "
        "median of 23%; robust z 9.4; 8.5 times their usual count per 28 days (median 8.0, z 12.6 above it)"
    )
    # a smaller burst is a smaller flag: advice, in the same window
    sa = half_year["system_access"]
    keep = [not (e.startswith("B01-burst-") and int(e.rsplit("-", 1)[1]) >= 30) for e in sa["event_id"].to_pylist()]
    small = half_year | {"system_access": sa.filter(keep)}
    s = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef(), small, H1, H2)}["B01"]
    assert (s["route"], s["value"], s["period_start"]) == ("wellbeing", 38.0, dt.date(2024, 2, 26))


def test_steady_heavy_user_is_not_a_burst(run, half_year):
    out = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef(), half_year, H1, H2)}
    # H01 is far above peers in every window but never above their own usual: the period's
    # flag, exactly as without windows
    (period,) = [r for r in run(LookupsWithoutCaseRef({"window_days": 0}), half_year, H1, H2) if r["staff_id"] == "H01"]
    assert out["H01"] == period
    assert (out["H01"]["period_start"], out["H01"]["period_end"]) == (H1, H2)
    assert out["H01"]["route"] == "wellbeing" and not out["H01"]["detail"].startswith("in the")
    # H02 does many lookups with the usual share; the surge unit doubles together: neither is flagged
    assert set(out) == {"B01", "H01"}


def test_windows_disabled_is_the_period_test(run, tables, half_year):
    # a month is barely longer than one window and every lookup is on one day: the windows see
    # what the period sees, and the person's own usual is that count, so nothing changes
    assert run(LookupsWithoutCaseRef(), tables) == run(LookupsWithoutCaseRef({"window_days": 0}), tables)
    assert {r["staff_id"] for r in run(LookupsWithoutCaseRef({"window_days": 0}), half_year, H1, H2)} == {"H01"}
    # a period no longer than the window: the period test only
    one = run(LookupsWithoutCaseRef({"window_days": 31}), tables)
    assert one == run(LookupsWithoutCaseRef({"window_days": 0}), tables)


@pytest.mark.parametrize(
    "bad",
    [{"window_days": -1}, {"window_days": 3}, {"window_step_days": 0}, {"window_days": 28, "window_step_days": 29},
     {"burst_ratio": 0.5}, {"window_days": "four weeks"}],
)
def test_invalid_window_params(bad):
    with pytest.raises(ValidationError):
        LookupsWithoutCaseRef(bad)


def test_windows_and_thresholds():
    src = Sources(tables={}, period_start=H1, period_end=H2)
    spans = window_spans(src, LookupParams())
    assert len(spans) == 12
    assert spans[:2] == [(dt.date(2024, 1, 1), dt.date(2024, 1, 28)), (dt.date(2024, 1, 15), dt.date(2024, 2, 11))]
    assert spans[-1] == (dt.date(2024, 6, 3), dt.date(2024, 6, 30))  # the last window ends with the period
    assert window_spans(src, LookupParams(window_days=0)) == []
    assert window_spans(Sources(tables={}, period_start=H1, period_end=dt.date(2024, 1, 28)), LookupParams()) == []
    # Bonferroni: one window is the period's threshold; twelve need a rarer excess
    assert corrected_z(3.5, 1) == pytest.approx(3.5)
    assert corrected_z(3.5, 12) == pytest.approx(4.115, abs=1e-3)
    assert corrected_z(7.0, 12) == pytest.approx(7.34, abs=1e-2)


@pytest.mark.parametrize(("count", "mean"), [(5, 1.0), (10, 2.0), (20, 6.0), (50, 18.5), (120, 60.0)])
def test_poisson_excess_z_matches_the_exact_tail(count, mean):
    exact = 1 - sum(math.exp(-mean) * mean**k / math.factorial(k) for k in range(count))
    z = ibis.duckdb.connect().execute(poisson_excess_z(ibis.literal(count), ibis.literal(mean)))
    assert z == pytest.approx(-NormalDist().inv_cdf(exact), abs=0.12)
    assert ibis.duckdb.connect().execute(poisson_excess_z(ibis.literal(3), ibis.literal(4.0))) == 0.0


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_windows_on_spark(engine, run_detector, run, half_year, T, P, base):
    """The windowed assessment through the real runner on Spark: the same signals, windows and
    details, the days-at-work check included (R01 back from sickness at their usual volume, not
    flagged; R02 back with a burst, flagged; `test_a_return_from_long_sickness_is_not_a_burst`)."""
    t = _returners(half_year, T, P, base)
    direct = run(LookupsWithoutCaseRef(), t, H1, H2)
    out = run_detector(LookupsWithoutCaseRef, t, period_start=H1, period_end=H2).to_pylist()
    cols = ("staff_id", "route", "period_start", "period_end", "value", "peer_median", "peer_percentile", "detail")
    assert sorted(tuple(r[c] for c in cols) + (tuple(r["evidence_keys"]),) for r in out) == sorted(
        tuple(r[c] for c in cols) + (tuple(sorted(set(r["evidence_keys"]))),) for r in direct
    )
    assert {"B01", "R02"} <= {r["staff_id"] for r in out} and "R01" not in {r["staff_id"] for r in out}


def test_window_conduct_route_needs_a_far_burst(run, half_year, T, P):
    # B02 usually does 9 a week (36 a window) and adds 40 in March: 76 is far above the peers'
    # window (robust z 10.8, the top of the group), but only 2.1 times their own usual and z 5.7
    # above it, short of the corrected misconduct z (7.34): advice, not misconduct
    people = half_year["people"].to_pylist() + T("people", [P("B02")]).to_pylist()
    rows = half_year["system_access"].to_pylist() + weekly("B02", 9, 10)
    rows += [look6("B02", "burst", j, dt.date(2024, 3, 4) + dt.timedelta(days=j % 19), None) for j in range(40)]
    t = half_year | {"people": T("people", [_iso(r) for r in people]), "system_access": T("system_access", [_iso(r) for r in rows])}
    b = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef(), t, H1, H2)}["B02"]
    assert (b["route"], b["value"], b["peer_percentile"], b["period_start"]) == ("wellbeing", 76.0, 100.0, dt.date(2024, 2, 26))
    assert b["detail"].endswith("robust z 10.8; 2.1 times their usual count per 28 days (median 36.0, z 5.7 above it)")
    # with a lower misconduct z (5, corrected to 5.46 for twelve windows) the burst is far enough
    lenient = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef({"misconduct_z": 5.0}), t, H1, H2)}["B02"]
    assert (lenient["route"], lenient["period_start"]) == ("misconduct_assessment", dt.date(2024, 2, 26))


def _iso(row):
    return {k: v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v.isoformat() if isinstance(v, dt.date) else v
            for k, v in row.items()}


def test_a_heavy_users_recall_is_set_against_their_own_usual_volume(run, T, P, base):
    """H uses the systems three times as much as anybody on every ordinary day (33 lookups a day,
    the unit's usual share without a case reference). On a ten-hour recall to duty, with eleven
    colleagues recalled the same day (15 lookups each, 8 without a case), H makes 60 checks, 50
    without a case: their own three-fold volume of a recall. Against everybody recalled alone
    (2 x 1.5 an hour x 10 hours = 30 allowed) the other 20 count and H goes to a misconduct route;
    scaled by H's own usual volume (x 3) the recall's checks are allowed and H is at most a
    wellbeing check for the volume. Far beyond even that (200 without a case), they count."""
    staff = [f"L{i:02d}" for i in range(1, 21)]
    heavy, recalled = "L05", staff[:12]

    def day_rows(s, day, n_case, n_nocase, tag):
        rows = [look(s, i, f"CASE-{s}", subject=f"S-{s}-{tag}-{i}", day=day) for i in range(n_case)]
        return rows + [look(s, n_case + i, None, subject=f"S-{s}-{tag}-n{i}", day=day) for i in range(n_nocase)]

    def world(h_recall_nocase):
        rows = []
        for s in staff:
            k = 3 if s == heavy else 1
            for day in range(3, 9):
                rows += [dict(r, event_id=f"{r['event_id']}-d{day}") for r in day_rows(s, day, 10 * k, k, f"d{day}")]
            if s in recalled:
                n_case, n_nocase = (10, h_recall_nocase) if s == heavy else (7, 8)
                rows += [dict(r, event_id=f"{r['event_id']}-r") for r in day_rows(s, 10, n_case, n_nocase, "r")]
        claims = [dict(recall(s), start="2024-03-10 08:00", end="2024-03-10 18:00") for s in recalled]
        return base([P(s) for s in staff]) | {
            "system_access": T("system_access", rows),
            "overtime_claims": T("overtime_claims", claims),
        }

    t = world(50)
    flat = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef({"recall_own_volume": False}), t)}
    assert flat[heavy]["route"] == "misconduct_assessment"
    scaled = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef(), t)}
    assert scaled.get(heavy, {}).get("route", "none") in {"none", "wellbeing"}
    assert not any(r["route"] == "misconduct_assessment" for r in scaled.values())
    beyond = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef(), world(200))}
    assert beyond[heavy]["route"] == "misconduct_assessment"
    assert "lookups while recalled to duty" in " ".join(beyond[heavy]["explanations_found"])


def test_lookups_in_line_with_the_persons_own_team_in_a_surge_are_wellbeing(run, T, P, base):
    """Team U2 (a part-timer T00 and twelve full-timers) is in a major-incident surge for four
    weeks of March: everybody looks up far more without a case reference, unevenly (8 to 30 more
    a week: who worked the overtime, who took the calls). T00, usually one a week, adds 24 a week:
    above the team's median, within its spread, and far above the force's peers and their own
    usual: over the period, against the force's part-time peers (normalised by the unit's median),
    a misconduct route when the team test is switched off (a team smaller than min_group_size);
    against their own team it is a wellbeing check, and the explanation says so. (A burst far
    above one's own team stays a misconduct route: B01 in test_window_finds_a_burst_the_period_misses.)"""
    team = [f"T{i:02d}" for i in range(13)]

    def rows_for(s, usual, case, extra):
        rows = weekly(s, usual, case)
        for w in range(9, 13):
            monday = H1 + dt.timedelta(days=7 * w)
            rows += [look6(s, f"s{w}", j, monday + dt.timedelta(days=j % 5), None) for j in range(extra)]
        return rows

    part = [f"Q{i:02d}" for i in range(1, 16)]  # part-timers of the other team: with T00, a peer group of 16
    people = [P(s) for s in P6] + [P(s, fte=0.5) for s in part]
    people += [P(s, unit_id="U2", fte=0.5 if s == "T00" else 1.0) for s in team]
    rows = []
    for k, s in enumerate(P6):
        rows += weekly(s, 2 + k % 4, 10)  # U1 busier than its part-timers (median 2 a week)
    for s in part:
        rows += weekly(s, 1, 5)
    extras = [24, 8, 10, 12, 14, 16, 18, 20, 22, 25, 27, 29, 30]
    for s, extra in zip(team, extras):
        rows += rows_for(s, 1 if s == "T00" else 2, 5 if s == "T00" else 10, extra)
    t = base(people) | {"system_access": T("system_access", rows)}
    out = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef(), t, H1, H2)}
    off = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef({"min_group_size": 16}), t, H1, H2)}
    assert out["T00"]["route"] == "wellbeing"
    assert any("own team in the same days" in e for e in out["T00"]["explanations_found"])
    assert off["T00"]["route"] == "misconduct_assessment"


def test_a_role_whose_work_is_checking_records_is_held_against_the_role(run, tables, T, P, base):
    """L01's 60 lookups without a case reference are a misconduct route for a response officer.
    As the unit's vetting officer, alone in the role, nobody can say what is usual for it: a
    wellbeing check, and the explanation says so. With ten other vetting officers (HQ, 50-70
    each) L01 is in line with them: wellbeing; 300 is far above them: a misconduct route again."""
    roles = {"L01": "Vetting Officer"}
    vetting = [f"V{i:02d}" for i in range(10)]

    def tables_with(extra_people, extra_rows, l01_nocase=60):
        people = [P(s, role=roles.get(s, "response officer")) for s in U1] + [P(s, unit_id="U2") for s in U2]
        rows = [r for r in tables["system_access"].to_pylist() if r["staff_id"] != "L01"]
        rows += lookups("L01", 30, l01_nocase)
        return base(people + extra_people) | {"system_access": T("system_access", rows + extra_rows)}

    alone = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef(), tables_with([], []))}
    assert alone["L01"]["route"] == "wellbeing"
    assert any("checking records" in e for e in alone["L01"]["explanations_found"])
    off = {r["staff_id"]: r["route"] for r in run(LookupsWithoutCaseRef({"checking_roles": ""}), tables_with([], []))}
    assert off["L01"] == "misconduct_assessment"

    others = [P(s, unit_id="U3", role="vetting officer", rank_grade="Band C", employment_type="staff") for s in vetting]
    rows = [r for k, s in enumerate(vetting) for r in lookups(s, 10, 50 + 2 * k)]
    in_line = {r["staff_id"]: r["route"] for r in run(LookupsWithoutCaseRef(), tables_with(others, rows))}
    assert in_line["L01"] == "wellbeing"
    far = {r["staff_id"]: r["route"] for r in run(LookupsWithoutCaseRef(), tables_with(others, rows, l01_nocase=300))}
    assert far["L01"] == "misconduct_assessment"


@pytest.mark.parametrize("role", ["ANPR Intercept Officer", "Roads Policing Officer", "IOM Offender Manager"])
def test_vehicle_checks_are_the_work_of_a_roads_or_anpr_officer(run, tables, P, base, role):
    """L01's 60 PNC checks without a case reference are a misconduct route for a response
    officer; a roads policing or ANPR intercept officer's patrol is vehicle checks, an offender
    manager's (IOM, MOSOVO) is re-checking their cohort of nominals. Alone in the
    role (nobody to say what is usual for it) it is a wellbeing check, and the explanation says so."""
    people = [P(s, role=role if s == "L01" else "response officer") for s in U1] + [P(s, unit_id="U2") for s in U2]
    out = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef(), tables | base(people))}
    assert out["L01"]["route"] == "wellbeing"
    assert any("checking records" in e for e in out["L01"]["explanations_found"])


def _cases(holders):
    return [{"case_ref": f"CASE-{s}", "subject_ref": f"SUBJ-CASE-{s}", "role": "suspect", "vulnerable": False,
             "officer_in_case": s, "opened": "2023-12-01 00:00", "closed": None} for s in holders]


def _with_duty_inspectors(half_year, T, P, extra_people, extra_rows):
    people = half_year["people"].to_pylist() + extra_people
    rows = half_year["system_access"].to_pylist() + extra_rows
    holders = [p["staff_id"] for p in people if not p["staff_id"].startswith("D")]  # D..: no case
    return half_year | {"people": T("people", [_iso(r) for r in people]), "system_access": T("system_access", [_iso(r) for r in rows]),
                        "case_parties": T("case_parties", _cases(holders))}


def test_someone_who_holds_no_case_is_held_against_peers_lookups_of_every_kind(run, half_year, T, P):
    """D01 and D02 (duty inspectors) hold no case: their 12 and 13 street and vehicle checks a
    week are all without a case reference, where everybody else cites their own cases for most of
    their 11 to 14 a week. Against those peers' counts without a case (a median of 3 a week) they
    are flagged (as without the case-party table); against what the peers look up of
    every kind, they are ordinary: not flagged, over the period or in any window. C01 holds a case
    and never cites it in 20 checks a week: still judged on the count without a case reference, a
    misconduct route."""
    people = [P("D01", rank_grade="Inspector"), P("D02", rank_grade="Inspector"), P("C01")]
    t = _with_duty_inspectors(half_year, T, P, people, weekly("D01", 12, 0) + weekly("D02", 13, 0) + weekly("C01", 20, 0))
    out = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef(), t, H1, H2)}
    assert "D01" not in out and "D02" not in out
    assert out["C01"]["route"] == "misconduct_assessment"
    without = {r["staff_id"]: r["route"] for r in run(LookupsWithoutCaseRef(), {k: v for k, v in t.items() if k != "case_parties"},
                                                      H1, H2)}
    assert {"D01", "D02"} <= set(without)  # flagged against case holders' counts without a case


def test_volume_alone_of_someone_who_holds_no_case_is_at_most_wellbeing(run, half_year, T, P):
    """D03 holds no case and makes 80 checks a week without a case reference: far above what any
    peer looks up at all (H02, the heaviest, 60), but nothing beyond the volume (their share is 100% by necessity): a
    wellbeing check, and the explanation says so (a misconduct route before)."""
    t = _with_duty_inspectors(half_year, T, P, [P("D03")], weekly("D03", 80, 0))
    d = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef(), t, H1, H2)}["D03"]
    assert d["route"] == "wellbeing"
    assert any("holds no case of their own" in e for e in d["explanations_found"])


def _returner(staff, extra=0):
    """``staff``'s usual 12 lookups a week without a case reference and 10 with, in the first three
    weeks and in June only (off sick from 22 January to 2 June), and ``extra`` more without one in June."""
    rows = [r for r in weekly(staff, 12, 10) if r["ts"] < "2024-01-22" or r["ts"] >= "2024-06-03"]
    return rows + [look6(staff, "june", j, dt.date(2024, 6, 3) + dt.timedelta(days=j % 26), None) for j in range(extra)]


def _returners(half_year, T, P, base, absence=True):
    rows = half_year["system_access"].to_pylist() + _returner("R01") + _returner("R02", extra=60)
    rows = [dict(r, ts=r["ts"] if isinstance(r["ts"], str) else r["ts"].isoformat(sep=" ")) for r in rows]
    sick = [{"absence_id": f"s-{s}", "staff_id": s, "type": "sickness", "start": "2024-01-22 00:00", "end": "2024-06-03 00:00",
             "reason_category": None} for s in ("R01", "R02")]
    people = [P(s) for s in P6] + [P(s, unit_id="U2") for s in S6] + [P(s) for s in ("B01", "H01", "H02", "R01", "R02")]
    t = base(people) | {"system_access": T("system_access", rows)}
    return t | {"absences": T("absences", sick)} if absence else t


@pytest.mark.parametrize("absence", [True, False], ids=["sickness-recorded", "no-absence-record"])
def test_a_return_from_long_sickness_is_not_a_burst(run, half_year, T, P, base, absence):
    """R01 returns in June from four months' sickness to their usual volume: against a usual count per
    window that the sickness kept near nothing, June looks like a burst. Counted per day at work (the
    sickness days out) it is their usual: not flagged. R02, back the same day, adds 60 lookups without
    a case reference in June: a burst against their days at work too, still flagged. Without the
    sickness record, R01's June is a burst again."""
    t = _returners(half_year, T, P, base, absence)
    out = {r["staff_id"]: r for r in run(LookupsWithoutCaseRef(), t, H1, H2)}
    assert ("R01" in out) is not absence
    assert out["R02"]["period_start"] >= dt.date(2024, 5, 20)
    assert out["B01"]["route"] == "misconduct_assessment"
