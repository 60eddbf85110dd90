"""Workload-aware baselines: rank bands, FTE bands, shift patterns, fallback, demand normalisation."""

import datetime as dt

import ibis
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairwitness.detectors.catalogue._lookup_context import with_role
from fairwitness.detectors.peers import (
    LEVEL_KEYS,
    coarser_keys,
    compare,
    fte_band,
    peer_context,
    peer_groups,
    rank_band,
    unit_relative,
    with_everyone,
)
from fairwitness.detectors.sources import Sources

START, END = dt.date(2024, 3, 1), dt.date(2024, 3, 31)


def test_rank_bands():
    cases = {
        ("PC", "officer"): "constable",
        ("Police Constable", "officer"): "constable",
        ("DC", "officer"): "constable",
        ("Detective Sergeant", "officer"): "sergeant",
        ("PS", "officer"): "sergeant",
        ("Insp", "officer"): "inspector",
        ("Chief Inspector", "officer"): "inspector",
        ("DCI", "officer"): "inspector",
        ("Ch Supt", "officer"): "superintendent",
        ("Detective Chief Superintendent", "officer"): "superintendent",
        ("Commander", "officer"): "chief officer",
        ("Assistant Chief Constable", "officer"): "chief officer",
        ("Chief Constable", "officer"): "chief officer",
        ("Special Constable", "special"): "special",
        ("PCSO", "staff"): "pcso",
        ("Band C", "staff"): "staff",
        (None, "officer"): "officer (other)",
    }
    t = ibis.memtable(pa.table({"r": [k[0] for k in cases], "e": [k[1] for k in cases]}, schema=pa.schema([("r", pa.string()), ("e", pa.string())])))
    got = ibis.duckdb.connect().to_pyarrow(t.select(b=rank_band(t.r, t.e))).column("b").to_pylist()
    assert got == list(cases.values())
    f = ibis.memtable(pa.table({"f": [1.0, 0.8, 0.5, None]}))
    assert ibis.duckdb.connect().to_pyarrow(f.select(b=fte_band(f.f))).column("b").to_pylist() == [
        "full-time", "part-time 0.6-0.9", "part-time <0.6", "full-time"]


def _src(T, P, people, shifts=()):
    tables = {"people": T("people", people), "units": T("units", [
        {"unit_id": "U1", "name": "a", "unit_type": "response", "command": "c", "site_id": "S1"},
        {"unit_id": "U2", "name": "b", "unit_type": "response", "command": "c", "site_id": "S1"},
        {"unit_id": "U3", "name": "c", "unit_type": "hq", "command": "c", "site_id": "S1"}])}
    if shifts:
        tables["shifts"] = T("shifts", list(shifts))
    return Sources(tables={k: ibis.memtable(v) for k, v in tables.items()}, period_start=START, period_end=END)


def test_peer_groups_fall_back_and_use_the_roster(T, P):
    people = [P(f"A{i}") for i in range(12)] + [P(f"N{i}") for i in range(10)] + [P(f"Q{i}", fte=0.5) for i in range(3)]
    people += [P("H1", unit_id="U3", employment_type="staff", rank_grade="Band D"), P("LEFT", end_date="2024-01-31")]
    shifts = []
    for i in range(10):  # N*: night-working 10-hour rota
        for d in (1, 2, 3, 4, 9, 10):
            shifts.append({"shift_id": f"N{i}-{d}", "staff_id": f"N{i}", "start": f"2024-03-{d:02d} 21:00",
                           "end": f"2024-03-{d + 1:02d} 07:00", "duty_type": "normal", "site_id": "S1"})
    g = ibis.duckdb.connect().to_pyarrow(peer_groups(_src(T, P, people, shifts), 10)).to_pylist()
    key = {r["staff_id"]: r["peer_key"] for r in g}
    assert "LEFT" not in key  # not in post during the period
    assert key["A0"] == "unit type=response × rank band=constable × shift pattern=unrostered × FTE=full-time"
    assert key["N0"] == "unit type=response × rank band=constable × shift pattern=rotating 10h × FTE=full-time"
    # three part-timers are too few for their own group: unit type × rank band
    assert key["Q0"] == "unit type=response × rank band=constable"
    assert key["H1"] == "whole workforce"


def test_demand_normalisation_and_comparison(T, P):
    # U1 in a surge: everyone about 40 hours; U2 normal: about 10 hours, one person at 40
    people = [P(f"S{i}") for i in range(10)] + [P(f"N{i}", unit_id="U2") for i in range(10)]
    hours = {f"S{i}": 38.0 + i for i in range(10)} | {f"N{i}": 8.0 + i % 4 for i in range(10)} | {"N9": 40.0}
    src = _src(T, P, people)
    groups = peer_groups(src, 10)
    vals = ibis.memtable(pa.table({"staff_id": list(hours), "h": list(hours.values())}))
    v = unit_relative(with_everyone(vals, groups, {"h": 0.0}), "h", floor=1.0)
    out = {r["staff_id"]: r for r in ibis.duckdb.connect().to_pyarrow(
        compare(v, "h", rank_col="h_rel", scale_col="h_scale")).to_pylist()}
    assert out["N9"]["peer_percentile"] == 100.0 and out["N9"]["robust_z"] > 3.5
    assert max(out[f"S{i}"]["robust_z"] for i in range(10)) < 3.5  # the surge unit is not an outlier
    assert out["N9"]["peer_median"] < 15  # a typical peer at N9's unit demand
    assert "normalised for unit demand" in out["N9"]["peer_group"]


def test_adverse_signals_carry_the_same_behaviour_among_peers(run, T):
    """Every adverse route compares the behaviour with peers doing the same work: here, how many
    self-authorised claims the person's peers (everyone in post in the group, zeros included) made."""
    from fairwitness.detectors.catalogue.self_authorisation import SelfAuthorisation
    from tests.detectors.catalogue.conftest import person

    claims = [{"claim_id": f"c{i}", "staff_id": "A1", "start": f"2024-03-0{i + 1} 18:00", "authorised_by": "A1",
               "status": "approved"} for i in range(3)]
    claims += [{"claim_id": "c9", "staff_id": "A2", "start": "2024-03-05 18:00", "authorised_by": "A2", "status": "approved"}]
    people = [person(f"A{i}") for i in range(1, 13)]
    out = {r["staff_id"]: r for r in run(SelfAuthorisation(), {
        "overtime_claims": T("overtime_claims", claims), "people": T("people", people),
        "units": T("units", [{"unit_id": "U1", "unit_type": "response"}])})}
    assert out["A1"]["peer_median"] == 0.0 and out["A1"]["peer_percentile"] == 100.0
    assert out["A1"]["peer_group"].startswith("unit type=response") and "n=12" in out["A1"]["peer_group"]
    # someone not in post in the period (a leaver's claims exported late) keeps their signal, with no
    # peers, and is no peer of anyone
    left = person("X1", end_date="2024-01-31")
    claims += [{"claim_id": f"x{i}", "staff_id": "X1", "start": f"2024-03-1{i} 18:00", "authorised_by": "X1",
                "status": "approved"} for i in range(3)]
    out = {r["staff_id"]: r for r in run(SelfAuthorisation(), {
        "overtime_claims": T("overtime_claims", claims), "people": T("people", [*people, left]),
        "units": T("units", [{"unit_id": "U1", "unit_type": "response"}])})}
    assert "X1" in out
    assert (out["X1"]["peer_median"], out["X1"]["peer_percentile"], out["X1"]["peer_group"]) == (None, None, None)
    assert out["A1"]["peer_median"] == 0.0 and "n=12" in out["A1"]["peer_group"]
    # without the people and units tables, no comparison is invented
    bare = run(SelfAuthorisation(), {"overtime_claims": T("overtime_claims", claims)})
    assert all(r["peer_group"] is None for r in bare)


def test_a_fallback_group_is_everyone_at_its_level(T, P):
    """Three part-timers are too few for their own group and fall back to unit type × rank band:
    they are compared with all 25 response constables (the 22 full-timers, who have a group of
    their own, included), not only with each other."""
    people = [P(f"F{i:02d}") for i in range(22)] + [P(f"Q{i}", fte=0.5) for i in range(3)]
    people += [P(f"H{i}", unit_id="U3") for i in range(10)]  # another unit type: never compared with
    vals = {f"F{i:02d}": float(i + 1) for i in range(22)} | {"Q0": 0.0, "Q1": 100.0, "Q2": 101.0}
    vals |= {f"H{i}": 1000.0 for i in range(10)}
    groups = peer_groups(_src(T, P, people), 10)
    g = {r["staff_id"]: r for r in ibis.duckdb.connect().to_pyarrow(groups).to_pylist()}
    # a full-timer belongs to their own group and to the part-timers' (chosen) coarser group;
    # the groups nobody chose are left out
    assert [g["F00"][f"peer_key_{i}"] is not None for i in range(5)] == [True, False, True, False, False]
    v = with_everyone(ibis.memtable(pa.table({"staff_id": list(vals), "h": list(vals.values())})), groups, {"h": 0.0})
    out = {r["staff_id"]: r for r in ibis.duckdb.connect().to_pyarrow(compare(v, "h", count_floor=False)).to_pylist()}
    assert len(out) == 35  # one row per person, not one per group they belong to
    level = "unit type=response × rank band=constable"
    for q in ("Q0", "Q1", "Q2"):
        assert out[q]["peer_group"] == f"{level}, n=25" and out[q]["peer_n"] == 25
        # the median of all 25 (1..22, 0, 100, 101 -> 12), not of the three part-timers (100)
        assert out[q]["peer_median"] == 12.0
    assert out["Q0"]["peer_percentile"] == 4.0  # 1 of 25 at or below 0
    assert out["Q1"]["peer_percentile"] == 96.0  # 24 of 25
    # the full-timers keep their own, more specific group of 22
    assert out["F00"]["peer_group"] == (
        "unit type=response × rank band=constable × shift pattern=unknown × FTE=full-time, n=22")
    assert out["F00"]["peer_median"] == 11.5 and out["F21"]["peer_percentile"] == 100.0
    assert out["H0"]["peer_n"] == 10 and out["H0"]["peer_median"] == 1000.0


def test_coarser_keys():
    key = "unit type=response × rank band=constable × shift pattern=rotating 10h × FTE=full-time"
    assert coarser_keys(key) == [
        key,
        "unit type=response × rank band=constable × FTE=full-time",
        "unit type=response × rank band=constable",
        "rank band=constable",
        "whole workforce",
    ]
    assert coarser_keys("rank band=staff") == ["rank band=staff", "whole workforce"]
    assert coarser_keys("whole workforce") == ["whole workforce"]
    with pytest.raises(ValueError, match="not a peer group key"):
        coarser_keys("colour=blue")


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_a_fallback_person_s_peer_median_comes_from_the_whole_coarser_group(engine, run_detector, T, P, base):
    """Through a detector (excess hours) and the real runner: a part-timer working every day
    falls back to unit type × rank band; the peer median is that of all 15 response constables
    (about 39 hours a week), not that of the three part-timers (about 20)."""
    from tests.detectors.catalogue.test_excess_hours import ot, shifts_for

    from fairwitness.detectors.catalogue.excess_hours import ExcessHours

    full = [f"E{i:02d}" for i in range(12)]
    part = ["Q0", "Q1", "Q2"]
    on = [d for d in range(1, 32) if (d - 1) % 8 < 4]
    short = [d for d in range(1, 32) if (d - 1) % 8 < 2]
    shifts = [x for s in full for x in shifts_for(s, on)] + [x for s in part for x in shifts_for(s, short)]
    claims = [ot(f"q{d}", "Q0", d, 10, start_hour=7) for d in range(1, 32) if d not in short]
    tables = base([P(s) for s in full] + [P(s, fte=0.5) for s in part]) | {
        "shifts": T("shifts", shifts), "overtime_claims": T("overtime_claims", claims)}
    out = run_detector(ExcessHours, tables, period_start=START, period_end=END).to_pylist()
    (r,) = [r for r in out if r["staff_id"] == "Q0"]
    assert r["peer_group"] == "unit type=response × rank band=constable, n=15"
    assert 35 < r["peer_median"] < 45
    assert r["peer_percentile"] == 100.0


def _compare_rows(engine: str, rows: list[tuple[str, str, float | None]]) -> dict[str, dict]:
    from fairwitness.detectors import engines

    t = pa.table({
        "staff_id": [r[0] for r in rows], "unit_id": ["U"] * len(rows), "peer_key": [r[1] for r in rows],
        "x": pa.array([r[2] for r in rows], pa.float64()),
    })
    con = engines.from_arrow(engine, {"v": t})
    try:
        out = engines.execute(con, compare(con.table("v"), "x"))
    finally:
        engines.close(con)
    return {r["staff_id"]: r for r in out.to_pylist()}


def _by_hand(rows, me):
    """The person's group: its size, median (of the known values) and the share at or below
    the person's value (missing values last: a missing value is at the top)."""
    _, key, x = next(r for r in rows if r[0] == me)
    group = [r[2] for r in rows if r[1] == key]
    known = sorted(v for v in group if v is not None)
    mid = len(known) // 2
    median = None if not known else (known[mid] if len(known) % 2 else (known[mid - 1] + known[mid]) / 2)
    below = len(group) if x is None else sum(1 for v in group if v is not None and v <= x)
    return len(group), median, round(below / len(group) * 100.0, 2)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["g1", "g2", "g3"]), st.one_of(st.none(), st.sampled_from([0.0, 1.0, 2.5, 7.0]))),
                min_size=1, max_size=25))
def test_compare_group_statistics_and_percentile_are_those_of_the_group(people):
    """Ties, zeros and missing values: the group's size, median and percentile rank come out as
    counted by hand (the engine computes them by grouping and joining back, not by windows)."""
    rows = [(f"P{i}", key, x) for i, (key, x) in enumerate(people)]
    out = _compare_rows("duckdb", rows)
    assert set(out) == {r[0] for r in rows}
    for sid, _, _ in rows:
        n, median, pct = _by_hand(rows, sid)
        assert out[sid]["peer_n"] == n
        assert out[sid]["peer_percentile"] == pct
        if median is not None:
            assert out[sid]["peer_median"] == pytest.approx(median)


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_compare_percentile_with_ties_and_a_missing_value(engine):
    rows = [("A", "g", 1.0), ("B", "g", 1.0), ("C", "g", 3.0), ("D", "g", None), ("E", "h", 0.0)]
    out = _compare_rows(engine, rows)
    assert {k: r["peer_percentile"] for k, r in out.items()} == {"A": 50.0, "B": 50.0, "C": 75.0, "D": 100.0, "E": 100.0}
    assert out["A"]["peer_median"] == 1.0 and out["E"]["peer_n"] == 1


def test_the_comparison_and_the_role_read_the_table_under_them_once(T, P):
    """The peer comparison (every level's members) and the role's figures are windows over the
    compared table, read once: reading it once per level and again for the role made the lookup
    detectors' queries compute the comparison under it twice over (Spark analysed every copy)."""
    v = ibis.table(
        {"staff_id": "string", "unit_id": "string", "peer_key": "string", **dict.fromkeys(LEVEL_KEYS, "string"), "n": "int64"},
        name="compared_input",
    )
    t = compare(v, "n")
    assert ibis.to_sql(t, dialect="duckdb").count('"compared_input"') == 1
    src = _src(T, P, [P("A", role="vetting officer"), P("B")])
    for by in ([], ["w_idx"]):
        w = t.mutate(w_idx=ibis.literal(0))
        sql = ibis.to_sql(with_role(w, src, "vetting", by=by), dialect="duckdb")
        assert sql.count('"compared_input"') == 1
    per = ibis.table({"staff_id": "string", "n": "int64", "detail": "string"}, name="flagged_input")
    assert ibis.to_sql(peer_context(per, src, "n"), dialect="duckdb").count('"flagged_input"') == 1
