"""Signal rows: what a run records per flag, finalised from a detector's result.

`finalise` turns a detector's result into signal rows (`SIGNAL_SCHEMA`): it validates the
columns, types and values against ``SIGNAL_COLUMNS``, applies the route rules (a
``wellbeing``-purpose detector is routed ``wellbeing``; ``max_route`` caps the route), formats
the one-sentence explanation from the detector's ``explain`` template (`format_explanation`),
and adds ``signal_id`` (`signal_id`), ``severity`` (`SEVERITY`) and the evidence JSON. The
runner (`fairwitness.detectors.runner`) calls it for each detector; the rows are stored by
`fairwitness.detectors.runs`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import string
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from fairwitness.detectors.base import SIGNAL_COLUMNS, kinds_in
from fairwitness.detectors.engines import arrow_schema_for
from fairwitness.routes import ROUTES, corroborated_route, gravity

if TYPE_CHECKING:  # pragma: no cover
    from fairwitness.detectors.base import Detector


# -- signal rows: what a run records per flag -----------------------------------------
SIGNAL_SCHEMA = pa.schema(
    [
        ("signal_id", pa.string()),
        ("run_id", pa.string()),
        ("candidate_id", pa.string()),
        ("staff_id", pa.string()),
        ("detector", pa.string()),
        ("detector_version", pa.string()),
        ("purpose", pa.string()),
        ("standard", pa.string()),
        ("standalone_conduct", pa.bool_()),
        ("period_start", pa.date32()),
        ("period_end", pa.date32()),
        ("value", pa.float64()),
        ("peer_median", pa.float64()),
        ("peer_percentile", pa.float64()),
        ("peer_group", pa.string()),
        ("score", pa.float64()),
        ("severity", pa.string()),
        ("route", pa.string()),
        ("explanation", pa.string()),
        ("evidence_table", pa.string()),
        ("evidence_keys", pa.list_(pa.string())),
        ("explanations_checked", pa.list_(pa.string())),
        ("explanations_found", pa.list_(pa.string())),
        ("detail", pa.string()),
        ("evidence", pa.string()),
    ]
)
"""``signals.parquet``. ``evidence`` is JSON: ``source_rows {table, keys}``, ``peer_comparison
{value, peer_median, peer_percentile, peer_group}``, ``explanations_checked``,
``explanations_found``, ``detail``."""

SEVERITY: tuple[tuple[float, str], ...] = ((0.8, "high"), (0.5, "medium"), (0.0, "low"))
"""Severity from score: the first band whose lower bound the score reaches."""
ROUND = 6
"""Decimals kept for value, peer_median, peer_percentile and score (engine parity)."""
SIGNAL_ARROW = arrow_schema_for(SIGNAL_COLUMNS)
"""Arrow types of `SIGNAL_COLUMNS`: what ``build`` (or ``finish``) returns."""


# -- explanation formatting -----------------------------------------------------------
def _num(v: float) -> str:
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.2f}".rstrip("0").rstrip(".")


class _Formatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        if value is None:
            return "n/a"
        if isinstance(value, float):
            return format(value, format_spec) if format_spec else _num(value)
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, dt.date) and not format_spec:
            return value.isoformat()
        return format(value, format_spec)


def format_explanation(template: str, row: Mapping[str, Any]) -> str:
    """The one-sentence explanation: ``template`` formatted with the signal's fields
    (None prints as ``n/a``, whole floats without decimals, lists joined by commas)."""
    return " ".join(_Formatter().format(template, **row).split())


def sample_row() -> dict[str, Any]:
    """A typical signal row with every explain field, to check templates when loading."""
    return {
        "staff_id": "S000001",
        "period_start": dt.date(2025, 1, 1),
        "period_end": dt.date(2025, 1, 31),
        "value": 12.5,
        "peer_median": 3.0,
        "peer_percentile": 99.0,
        "peer_group": "response, constable, 4-on-4-off, full time",
        "score": 0.9,
        "route": "advice",
        "evidence_table": "overtime_claims",
        "evidence_keys": ["C1", "C2"],
        "explanations_found": [],
        "detail": "detail",
        "detector": "detector",
        "title": "Title",
        "period": "2025-01-01 to 2025-01-31",
        "evidence_count": 2,
        "explanations": "",
        "checked": "",
    }


def severity(score: float) -> str:
    for bound, name in SEVERITY:
        if score >= bound:
            return name
    return SEVERITY[-1][1]


def signal_id(detector: str, staff_id: str, start: Any, end: Any, table: str | None, keys: Sequence[str]) -> str:
    """Stable id of a flag: detector, person, period and evidence (not the version)."""
    payload = "|".join([detector, staff_id, str(start), str(end), table or "", ",".join(sorted(keys))])
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def check_columns(columns: Sequence[str], where: str) -> None:
    got, want = list(columns), list(SIGNAL_COLUMNS)
    missing = [c for c in want if c not in got]
    extra = [c for c in got if c not in want]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {missing}")
        if extra:
            parts.append(f"unexpected {extra}")
        raise ValueError(f"{where} must have exactly the columns of SIGNAL_COLUMNS: " + ", ".join(parts))


def finalise(det: Detector, result: pa.Table, *, run_id: str = "") -> pa.Table:
    """Validated, routed, explained signals (`SIGNAL_SCHEMA`) from a detector's result."""
    cls = type(det)
    check_columns(result.column_names, "the result")
    try:
        result = result.select(list(SIGNAL_COLUMNS)).cast(SIGNAL_ARROW)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as e:
        raise ValueError(f"the result's types do not match SIGNAL_COLUMNS: {e}") from None
    checked = list(cls.explanations_checked)
    rows: dict[str, dict[str, Any]] = {}
    for i, r in enumerate(result.to_pylist()):
        for col in ("staff_id", "period_start", "period_end", "score", "route", "evidence_table"):
            if r[col] is None:
                raise ValueError(f"row {i}: {col} is empty")
        if r["route"] not in ROUTES:
            raise ValueError(f"row {i}: route {r['route']!r} is not one of {', '.join(ROUTES)}")
        if not 0.0 <= r["score"] <= 1.0:
            raise ValueError(f"row {i}: score {r['score']} is outside 0–1")
        route = r["route"]
        if cls.purpose == "wellbeing":
            route = "wellbeing"
        elif cls.max_route is not None and gravity(route) > gravity(cls.max_route):
            route = cls.max_route
        try:
            kinds = kinds_in(r["detail"], getattr(cls, "evidence_kinds", {}))
        except ValueError as e:
            raise ValueError(f"row {i}: {e}") from None
        route = corroborated_route(route, kinds)
        for col in ("value", "peer_median", "peer_percentile", "score"):
            if r[col] is not None:
                r[col] = round(float(r[col]), ROUND)
        keys = sorted({str(k) for k in r["evidence_keys"] or [] if k is not None})
        found = sorted({str(x) for x in r["explanations_found"] or [] if x is not None})
        r.update(route=route, evidence_keys=keys, explanations_found=found)
        fields = {
            **r,
            "detector": cls.name,
            "title": cls.title,
            "period": f"{r['period_start']} to {r['period_end']}",
            "evidence_count": len(keys),
            "explanations": ", ".join(found),
            "checked": ", ".join(checked),
        }
        evidence = {
            "source_rows": {"table": r["evidence_table"], "keys": keys},
            "peer_comparison": {k: r[k] for k in ("value", "peer_median", "peer_percentile", "peer_group")},
            "explanations_checked": checked,
            "explanations_found": found,
            "detail": r["detail"],
            "evidence_kinds": kinds,
        }
        sid = signal_id(cls.name, r["staff_id"], r["period_start"], r["period_end"], r["evidence_table"], keys)
        row = {
            **r,
            "signal_id": sid,
            "run_id": run_id,
            "candidate_id": None,
            "detector": cls.name,
            "detector_version": cls.version,
            "purpose": cls.purpose,
            "standard": cls.standard,
            "standalone_conduct": bool(cls.standalone_conduct),
            "severity": severity(r["score"]),
            "explanation": format_explanation(cls.explain, fields),
            "explanations_checked": checked,
            "evidence": json.dumps(evidence, sort_keys=True, default=str),
        }
        if sid not in rows or row["score"] > rows[sid]["score"]:
            rows[sid] = row
    ordered = sorted(rows.values(), key=lambda x: (x["staff_id"], str(x["period_start"]), x["signal_id"]))
    return pa.Table.from_pylist(ordered, schema=SIGNAL_SCHEMA)


__all__ = [
    "ROUND",
    "SEVERITY",
    "SIGNAL_ARROW",
    "SIGNAL_SCHEMA",
    "check_columns",
    "finalise",
    "format_explanation",
    "sample_row",
    "severity",
    "signal_id",
]
