"""flags (export) and explain (everything behind one person), over a real run."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import ibis
import pytest

from fairwitness.detectors.base import Detector
from fairwitness.detectors.registry import load_registry
from fairwitness.detectors.runner import run
from fairwitness.detectors.runs import NoRun
from fairwitness.reports import NotFlagged, explain_data, explain_text, flags

JAN = dict(period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 1, 31))


class SelfEdits(Detector):
    name = "self_edits"
    version = "3"
    title = "Self-edited roster entries"
    standard = "Honesty and integrity"
    reads = {"roster_changes": ("change_id", "staff_id", "changed_at", "new_value")}
    explanations_checked = ("approved by a supervisor", "recall to duty")
    explain = "{value} roster entries edited into premium duty, against a peer median of {peer_median}."

    def build(self, src):
        t = src.table("roster_changes")
        g = t.group_by("staff_id").aggregate(n=t.count(), keys=t.change_id.collect())
        g = g.filter(g.n >= 2)
        return g.select(
            staff_id=g.staff_id,
            period_start=ibis.literal(src.period_start),
            period_end=ibis.literal(src.period_end),
            value=g.n.cast("float64"),
            peer_median=ibis.literal(1.0),
            peer_percentile=ibis.literal(97.5),
            peer_group=ibis.literal("response constables, full time"),
            score=ibis.literal(0.85),
            route=ibis.literal("misconduct_assessment"),
            evidence_table=ibis.literal("roster_changes"),
            evidence_keys=g.keys,
            explanations_found=ibis.ifelse(g.n > 2, ibis.literal(["recall to duty"]), ibis.literal([], "array<string>")),
            detail=ibis.null("string"),
        )


@pytest.fixture
def ws(make_workspace, contract_table):
    rows = [
        dict(change_id=f"{s}-{i}", shift_id="SH1", staff_id=s, changed_by="EDITOR99", changed_at=f"2025-01-{i + 2:02d} 10:00",
             field="duty_type", old_value="normal", new_value="bank_holiday")
        for s, n in (("P1", 2), ("P2", 3), ("P3", 1))
        for i in range(n)
    ]
    ws = make_workspace({"roster_changes": contract_table("roster_changes", rows)})
    run(ws, registry=load_registry([SelfEdits], plugins=False), **JAN)
    return ws


def test_flags_as_csv_json_and_table(ws):
    rows = list(csv.DictReader(io.StringIO(flags(ws, "csv"))))
    assert [r["staff_id"] for r in rows] == ["P1", "P2"]
    assert set(rows[0]) >= {"staff_id", "route", "detectors", "score", "explanation"}
    assert rows[0]["route"] == "misconduct_assessment" and rows[0]["detectors"] == "self_edits"
    assert rows[0]["explanation"] == "2 roster entries edited into premium duty, against a peer median of 1."

    data = json.loads(flags(ws, "json"))
    p2 = data["candidates"][1]
    assert p2["staff_id"] == "P2" and p2["signals"][0]["evidence"]["explanations_found"] == ["recall to duty"]
    assert p2["signals"][0]["evidence"]["peer_comparison"]["peer_percentile"] == 97.5

    sig_rows = list(csv.DictReader(io.StringIO(flags(ws, "csv", level="signals"))))
    assert sig_rows[1]["evidence_keys"] == "P2-0;P2-1;P2-2"

    text = flags(ws, "table")
    assert "P1" in text and "misconduct_assessment" in text and "2 people flagged, 2 on a conduct route" in text
    with pytest.raises(ValueError, match="unknown format"):
        flags(ws, "xml")  # type: ignore[arg-type]


def test_explain_shows_evidence_peers_explanations_and_sql(ws):
    data = explain_data(ws, "P2")
    (s,) = data["signals"]
    assert [r["change_id"] for r in s["evidence_rows"]] == ["P2-0", "P2-1", "P2-2"]
    assert s["evidence_columns"] == ["change_id", "staff_id", "changed_at", "new_value"]
    assert s["detector_version"] == "3" and "SELECT" in s["detector_sql"]

    text = explain_text(ws, "P2", width=200)
    for needle in (
        "3 roster entries edited into premium duty",
        "self_edits v3",
        "percentile 97.5",
        "response constables, full time",
        "approved by a supervisor, recall to duty",  # checked
        "P2-1",
        "2025-01-03 10:00:00",
        "bank_holiday",
        "Compiled SQL",
        "roster_changes",
    ):
        assert needle in text, needle
    assert "EDITOR99" not in text  # a column the detector did not declare is never shown


def test_explain_and_flags_without_a_flag_or_a_run(ws, make_workspace, contract_table):
    with pytest.raises(NotFlagged, match="P3 has no flag"):
        explain_data(ws, "P3")
    empty = make_workspace({"shifts": contract_table("shifts", [])})
    with pytest.raises(NoRun, match="no detector run"):
        flags(empty, "csv")
