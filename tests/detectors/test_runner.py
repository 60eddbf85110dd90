"""The runner: recorded, reproducible runs; each detector on its own; atomic commits."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import ibis
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from pydantic import BaseModel, Field

from fairwitness.candidates import CaseCandidate
from fairwitness.detectors import runs
from fairwitness.detectors.base import Detector
from fairwitness.detectors.registry import UnknownDetector, load_registry
from fairwitness.detectors.runner import RunError, run
from fairwitness.detectors.signals import SIGNAL_ARROW, format_explanation
from fairwitness.detectors.sources import DerivedSource

JAN = dict(period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 1, 31))


def signals(t, src, *, value, score, route, table, keys, detail=None, found=None, peer_median=None, peer_group=None):
    return t.select(
        staff_id=t.staff_id,
        period_start=ibis.literal(src.period_start),
        period_end=ibis.literal(src.period_end),
        value=value.cast("float64"),
        peer_median=ibis.null("float64") if peer_median is None else peer_median.cast("float64"),
        peer_percentile=ibis.null("float64"),
        peer_group=ibis.null("string") if peer_group is None else ibis.literal(peer_group),
        score=score.cast("float64"),
        route=ibis.literal(route),
        evidence_table=ibis.literal(table),
        evidence_keys=keys,
        explanations_found=ibis.literal([], "array<string>") if found is None else found,
        detail=ibis.null("string") if detail is None else detail.cast("string"),
    )


class ChurnParams(BaseModel):
    min_changes: int = Field(3, ge=1)


class Churn(Detector):
    """People with at least ``min_changes`` roster edits in the period."""

    name = "churn"
    version = "1"
    title = "Roster churn"
    standard = "Honesty and integrity"
    reads = {"roster_changes": ("change_id", "staff_id", "changed_at")}
    explanations_checked = ("edits made by a supervisor",)
    explain = "{value:.0f} roster edits between {period_start} and {period_end} (limit {detail})."
    scenarios = ("roster_premium_edit",)
    Params = ChurnParams

    def build(self, src):
        t = src.table("roster_changes")
        g = t.group_by("staff_id").aggregate(n=t.count(), keys=t.change_id.collect())
        g = g.filter(g.n >= self.params.min_changes)
        return signals(
            g, src, value=g.n, score=ibis.least(g.n / 10.0, 1.0), route="misconduct_assessment",
            table="roster_changes", keys=g.keys, detail=ibis.literal(str(self.params.min_changes)),
        )


class LongHours(Detector):
    """A wellbeing detector that (wrongly) asks for a conduct route: the runner overrules it."""

    name = "long_hours"
    version = "1"
    title = "Long rostered hours"
    standard = "Fitness for work"
    purpose = "wellbeing"
    reads = {"shifts": ("shift_id", "staff_id", "start", "end")}
    explain = "{value} rostered hours in the period."

    def build(self, src):
        t = src.table("shifts")
        t = t.mutate(h=(t.end.epoch_seconds() - t.start.epoch_seconds()) / 3600.0)
        g = t.group_by("staff_id").aggregate(h=t.h.sum(), keys=t.shift_id.collect())
        g = g.filter(g.h > 30)
        return signals(g, src, value=g.h, score=ibis.literal(0.7), route="gross_misconduct_assessment", table="shifts", keys=g.keys)


class Outlier(Detector):
    """A finish-step detector (like the anomaly score): features in SQL, scoring in Python."""

    name = "outlier"
    version = "1"
    title = "Unusual editing"
    standard = "Duties and responsibilities"
    reads = {"roster_changes": ("change_id", "staff_id")}
    max_route = "advice"
    standalone_conduct = False
    explain = "Editing {value} times, against a median of {peer_median}."

    def build(self, src):
        t = src.table("roster_changes")
        return t.group_by("staff_id").aggregate(n=t.count(), keys=t.change_id.collect())

    def finish(self, result):
        n = result.column("n").to_pylist()
        med = sorted(n)[len(n) // 2] if n else 0
        rows = [
            {
                "staff_id": s, "period_start": dt.date(2025, 1, 1), "period_end": dt.date(2025, 1, 31),
                "value": float(v), "peer_median": float(med), "peer_percentile": None, "peer_group": "everyone",
                "score": 0.6, "route": "gross_misconduct_assessment", "evidence_table": "roster_changes",
                "evidence_keys": k, "explanations_found": [], "detail": None,
            }
            for s, v, k in zip(result.column("staff_id").to_pylist(), n, result.column("keys").to_pylist(), strict=True)
            if v > med
        ]
        return pa.Table.from_pylist(rows, schema=SIGNAL_ARROW)


class Locations(Detector):
    """Counts the location rows it can see (through the privacy-filtered view)."""

    name = "locations"
    version = "1"
    title = "Locations on duty"
    standard = "Duties and responsibilities"
    reads = {"device_events": ("device_id", "staff_id", "ts", "kind")}
    explain = "{value} locations on duty."

    def build(self, src):
        t = src.table("device_events")
        t = t.filter(t.kind == "location")
        g = t.group_by("staff_id").aggregate(n=t.count(), keys=t.device_id.collect())
        return signals(g, src, value=g.n, score=ibis.literal(0.1), route="advice", table="device_events", keys=g.keys)


def _fails_with(exc):
    class Broken(Churn):
        name = f"broken_{exc.__name__.lower()}"

        def build(self, src):
            raise exc("the detector is broken")

    return Broken


class NeedsExpenses(Churn):
    name = "needs_expenses"
    reads = {"expenses": ("claim_id", "staff_id")}


class BadRoute(Churn):
    name = "bad_route"

    def build(self, src):
        return super().build(src).mutate(route=ibis.literal("jail"))


class WrongColumns(Churn):
    name = "wrong_columns"

    def build(self, src):
        return super().build(src).drop("detail")


@pytest.fixture
def lake(contract_table):
    changes = [("P1", 5), ("P2", 1), ("P3", 3)]
    rc = contract_table(
        "roster_changes",
        [
            dict(change_id=f"{s}-{i}", shift_id="SH1", staff_id=s, changed_by="P9", changed_at=f"2025-01-{i + 2:02d} 10:00", field="duty_type")
            for s, n in changes
            for i in range(n)
        ],
    )
    shifts = contract_table(
        "shifts",
        [
            dict(shift_id=f"SH{d}", staff_id="P4", start=f"2025-01-{d:02d} 07:00", end=f"2025-01-{d:02d} 19:00", duty_type="normal", site_id="S1")
            for d in range(2, 6)
        ]
        + [dict(shift_id="SHX", staff_id="P1", start="2025-01-31 20:00", end="2025-02-01 06:00", duty_type="normal", site_id="S1")],
    )
    people = contract_table("people", [dict(staff_id=f"P{i}", start_date="2020-01-01", fte=1.0) for i in range(1, 7)])
    return {"roster_changes": rc, "shifts": shifts, "people": people}


def test_a_run_records_signals_candidates_and_its_configuration(make_workspace, lake):
    ws = make_workspace(lake)
    reg = load_registry([Churn, LongHours, Outlier], plugins=False)
    res = run(ws, registry=reg, **JAN)
    assert res.ok, res.errors
    assert runs.current_run_id(ws) == res.run_id
    assert (ws.runs_dir / res.run_id / "run.json").exists()

    sig = runs.read_signals(ws)
    assert sig.schema == runs.SIGNAL_SCHEMA
    by = {(r["detector"], r["staff_id"]): r for r in sig.to_pylist()}
    assert sorted(by) == [("churn", "P1"), ("churn", "P3"), ("long_hours", "P4"), ("outlier", "P1")]
    churn = by[("churn", "P1")]
    assert churn["explanation"] == "5 roster edits between 2025-01-01 and 2025-01-31 (limit 3)."
    assert churn["route"] == "misconduct_assessment" and churn["severity"] == "medium" and churn["score"] == 0.5
    assert churn["evidence_keys"] == [f"P1-{i}" for i in range(5)]
    assert churn["explanations_checked"] == ["edits made by a supervisor"]
    ev = json.loads(churn["evidence"])
    assert ev["source_rows"] == {"table": "roster_changes", "keys": churn["evidence_keys"]}
    assert ev["peer_comparison"]["value"] == 5.0 and ev["explanations_found"] == []
    assert by[("long_hours", "P4")]["route"] == "wellbeing"  # wellbeing purpose is enforced
    assert by[("long_hours", "P4")]["explanation"] == "48 rostered hours in the period."
    assert by[("outlier", "P1")]["route"] == "advice"  # capped at max_route
    assert by[("outlier", "P1")]["explanation"] == "Editing 5 times, against a median of 3."

    cands = {c.staff_id: c for c in runs.read_candidates(ws)}
    assert set(cands) == {"P1", "P3", "P4"}
    assert all(isinstance(c, CaseCandidate) for c in cands.values())
    assert cands["P1"].route == "misconduct_assessment" and cands["P1"].detectors == ("churn", "outlier")
    assert cands["P4"].route == "wellbeing"
    assert set(pc.unique(sig.column("candidate_id")).to_pylist()) == {c.candidate_id for c in cands.values()}

    rec = runs.read_record(ws)
    assert rec["config"]["period_start"] == "2025-01-01" and rec["config"]["batches"] == ws.batch_hashes()
    det = {d["name"]: d for d in rec["detectors"]}
    assert det["churn"]["params"] == {"min_changes": 3}
    assert "roster_changes" in det["churn"]["sql"] and "GROUP BY" in det["churn"]["sql"]
    assert det["churn"]["rows"] == 2 and det["churn"]["signals"] == 2
    assert set(det["churn"]["seconds"]) >= {"build", "execute", "finish", "total"}
    assert rec["counts"]["by_route"]["misconduct_assessment"] == 2


def test_each_detector_fails_on_its_own(make_workspace, lake):
    ws = make_workspace(lake)
    broken = _fails_with(ValueError)
    reg = load_registry([Churn, broken, NeedsExpenses, BadRoute, WrongColumns, Outlier], plugins=False)
    res = run(ws, registry=reg, params={"churn": {"min_changes": 0}, "outlier": {}}, **JAN)
    assert res.errors == {
        "churn": "invalid parameters: min_changes: Input should be greater than or equal to 1",
        "broken_valueerror": "build failed: ValueError: the detector is broken",
        "needs_expenses": "needs source 'expenses' which is not loaded in this workspace",
        "bad_route": "validate failed: ValueError: row 0: route 'jail' is not one of "
        "wellbeing, advice, misconduct_assessment, gross_misconduct_assessment, criminal_referral",
        "wrong_columns": "build failed: ValueError: build() must have exactly the columns of SIGNAL_COLUMNS: missing ['detail']",
    }
    # the others still ran and were committed
    assert set(runs.read_signals(ws).column("detector").to_pylist()) == {"outlier"}
    rec = {d["name"]: d for d in runs.read_record(ws)["detectors"]}
    assert rec["needs_expenses"]["status"] == "error" and rec["outlier"]["status"] == "ok"
    assert rec["churn"]["params"] == {"invalid": {"min_changes": 0}}


def test_a_run_that_cannot_start_says_why(make_workspace, lake):
    ws = make_workspace(lake)
    reg = load_registry([Churn], plugins=False)
    with pytest.raises(UnknownDetector, match="no detector named 'nope'"):
        run(ws, registry=reg, detectors=["nope"], **JAN)
    with pytest.raises(RunError, match="parameters given for detectors not in this run: ghost"):
        run(ws, registry=reg, params={"ghost": {}}, **JAN)
    with pytest.raises(RunError, match="ends"):
        run(ws, registry=reg, period_start=dt.date(2025, 2, 1), period_end=dt.date(2025, 1, 1))


def test_run_id_depends_on_configuration_and_data_only(make_workspace, lake, contract_table):
    ws = make_workspace(lake)
    reg = load_registry([Churn], plugins=False)
    first = run(ws, registry=reg, **JAN)
    again = run(ws, registry=reg, **JAN)
    assert again.run_id == first.run_id
    assert again.signals.equals(first.signals)
    assert run(ws, registry=reg, params={"churn": {"min_changes": 4}}, **JAN).run_id != first.run_id
    assert run(ws, registry=reg, params={"churn": {"min_changes": 3}}, **JAN).run_id == first.run_id
    assert run(ws, registry=reg, period_start=dt.date(2025, 1, 2), period_end=dt.date(2025, 1, 31)).run_id != first.run_id
    v2 = type("ChurnV2", (Churn,), {"version": "2"})
    assert run(ws, registry=load_registry([v2], plugins=False), **JAN).run_id != first.run_id
    ws.add_batch({"roster_changes": contract_table("roster_changes", [dict(change_id="P2-9", shift_id="SH1", staff_id="P2", changed_by="P9", changed_at="2025-01-20 10:00", field="duty_type")])})
    assert run(ws, registry=reg, **JAN).run_id != first.run_id
    # the default period is the coverage of the activity tables (shift starts here)
    res = run(ws, registry=reg)
    assert (res.record["config"]["period_start"], res.record["config"]["period_end"]) == ("2025-01-02", "2025-01-31")


def test_an_interrupted_run_leaves_the_previous_results(make_workspace, lake):
    ws = make_workspace(lake)
    good = run(ws, registry=load_registry([Churn], plugins=False), **JAN)
    before = sorted(p.name for p in (ws.runs_dir / good.run_id).iterdir())

    class Interrupted(Churn):
        name = "interrupted"

        def build(self, src):
            raise KeyboardInterrupt  # not a detector failure: the whole run stops

    with pytest.raises(KeyboardInterrupt):
        run(ws, registry=load_registry([Outlier, Interrupted], plugins=False), **JAN)
    assert runs.current_run_id(ws) == good.run_id
    assert sorted(p.name for p in (ws.runs_dir / good.run_id).iterdir()) == before
    assert runs.read_signals(ws).equals(good.signals)
    assert [p.name for p in ws.runs_dir.iterdir() if p.name.startswith(".tmp")] == []


KILLED_RUN = textwrap.dedent(
    """
    import datetime as dt, json, sys, time, pathlib
    import ibis
    from fairwitness.detectors.base import Detector
    from fairwitness.detectors.registry import load_registry
    from fairwitness.detectors.runner import run

    class Workspace:
        def __init__(self, manifest):
            self.m = json.loads(pathlib.Path(manifest).read_text())
            self.runs_dir = pathlib.Path(self.m["runs_dir"])
        def loaded_tables(self): return sorted(self.m["files"])
        def table_files(self, name): return [pathlib.Path(f) for f in self.m["files"][name]]
        def dedup_key(self, name): return None
        def batch_hashes(self): return self.m["batches"]

    class Slow(Detector):
        name = "slow"; version = "1"; title = "Slow"; standard = "Honesty and integrity"
        reads = {"roster_changes": ("change_id", "staff_id")}
        explain = "{value}"
        def build(self, src):
            pathlib.Path(sys.argv[2]).write_text("started")
            time.sleep(60)

    run(Workspace(sys.argv[1]), registry=load_registry([Slow], plugins=False),
        period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 1, 31))
    """
)


def test_a_killed_run_leaves_the_previous_results(make_workspace, lake, tmp_path):
    ws = make_workspace(lake)
    good = run(ws, registry=load_registry([Churn], plugins=False), **JAN)
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({
        "runs_dir": str(ws.runs_dir),
        "files": {n: [str(f) for f in ws.table_files(n)] for n in ws.loaded_tables()},
        "batches": ws.batch_hashes() + ["another"],
    }))
    script, marker = tmp_path / "killed.py", tmp_path / "started"
    script.write_text(KILLED_RUN)
    proc = subprocess.Popen([sys.executable, str(script), str(manifest), str(marker)])
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert any(p.name.startswith(".tmp") for p in ws.runs_dir.iterdir())  # mid-write
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert runs.current_run_id(ws) == good.run_id
    assert runs.read_signals(ws).equals(good.signals)
    # the next run clears the dead run's temporary directory
    run(ws, registry=load_registry([Churn], plugins=False), **JAN)
    assert [p.name for p in ws.runs_dir.iterdir() if p.name.startswith(".tmp")] == []


def test_derived_sources_are_computed_once_and_offered_by_name(make_workspace, lake, contract_table):
    lake = {**lake, "external_records": contract_table("external_records", [
        dict(record_id="R1", kind="directorship", counterparty="Acme", source="register", observed_at="2024-06-01 00:00",
             strength="confirmed", full_name="Anne Smith", date_of_birth="1975-02-03"),
    ])}
    ws = make_workspace(lake)
    calls = []

    def link(src):
        calls.append(sorted(src.tables))
        rec = src.table("external_records").to_pyarrow()
        return pa.table({"record_id": rec.column("record_id"), "staff_id": pa.array(["P1"]), "match_probability": pa.array([0.97])})

    links = DerivedSource(name="external_links", compute=link, reads={"external_records": ("record_id", "full_name", "date_of_birth")},
                          columns=("record_id", "staff_id", "match_probability"))

    class Interest(Churn):
        name = "interest"
        reads = {"external_links": ("record_id", "staff_id", "match_probability")}
        explain = "Linked to record {detail} with probability {value}."

        def build(self, src):
            t = src.table("external_links")
            return signals(t, src, value=t.match_probability, score=t.match_probability, route="advice",
                           table="external_links", keys=ibis.array([t.record_id]), detail=t.record_id)

    class Interest2(Interest):
        name = "interest2"

    res = run(ws, registry=load_registry([Interest, Interest2], plugins=False, derived=[links]), **JAN)
    assert res.ok, res.errors
    assert calls == [["external_records"]]
    assert res.signals.column("explanation").to_pylist() == ["Linked to record R1 with probability 0.97."] * 2
    assert (res.path / "derived" / "external_links.parquet").exists()
    assert res.record["derived"][0]["rows"] == 1

    def broken(src):
        raise RuntimeError("splink exploded")

    bad = DerivedSource(name="external_links", compute=broken, reads={"external_records": ("record_id",)})
    res = run(ws, registry=load_registry([Interest, Churn], plugins=False, derived=[bad]), **JAN)
    assert res.errors["interest"] == "needs derived source external_links (RuntimeError: splink exploded)"
    assert "churn" not in res.errors


def test_explanation_formatting():
    row = {"value": 12.0, "peer_median": None, "score": 0.8333333, "evidence_keys": ["a", "b"], "period_start": dt.date(2025, 1, 1)}
    assert format_explanation("{value} vs {peer_median}; {score}; {evidence_keys}; {period_start}", row) == "12 vs n/a; 0.83; a, b; 2025-01-01"
    assert format_explanation("{score:.0%} from {period_start:%d %b %Y}", row) == "83% from 01 Jan 2025"


def test_engines_give_the_same_run(engine, make_workspace, lake, contract_table):
    """Engine parity: the same run id and identical signals on DuckDB and Spark."""
    devices = contract_table("device_events", [
        dict(staff_id="P4", device_id=f"D{h}", ts=f"2025-01-02 {h:02d}:30", kind="location", lat=51.5, lon=-0.1) for h in range(4, 22, 2)
    ])
    ws = make_workspace({**lake, "device_events": devices})
    reg = load_registry([Churn, LongHours, Outlier, Locations], plugins=False)
    reference = run(ws, registry=reg, engine="duckdb", **JAN)
    assert "shifts" in reference.record["views"]["device_events"]  # the privacy filter, recorded
    assert reference.signals.filter(pc.field("detector") == "locations").column("value").to_pylist() == [6.0]  # 07:00-19:00
    if engine == "duckdb":
        return
    res = run(ws, registry=reg, engine=engine, **JAN)
    assert res.ok, res.errors
    assert res.run_id == reference.run_id
    assert res.signals.equals(reference.signals)
    assert [c.model_dump() for c in res.candidates] == [c.model_dump() for c in reference.candidates]
    assert res.record["engine"] == "spark" and runs.read_record(ws)["engine"] == "spark"
