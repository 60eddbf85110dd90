"""Tuning: one detector over a range of values of one parameter, before going live.

`tune` runs the detector once per value on the workspace (each a recorded run, so the
trade-off is auditable; the workspace's current run is restored afterwards) and reports,
per value, how many people each route would flag and — where a truth table (a force's own
evaluation set) or reviewer outcomes exist — precision on each adverse route and recall on
the detector's scenarios. A force sets thresholds from this table, seeing what a stricter
or looser value costs in missed cases and in people wrongly named.

Reviewer outcomes are a CSV or Parquet file with ``staff_id`` and ``outcome`` (one of
`fairwitness.routes.OUTCOMES`): a flagged person whose outcome is ``no_further_action`` or
``false_positive`` counts against precision; people without an outcome are not counted.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
from pydantic import BaseModel, ValidationError

from fairwitness.routes import ADVERSE_ROUTES, OUTCOMES, ROUTES

NOT_ADVERSE = frozenset({"no_further_action", "false_positive", "wellbeing"})


class TuningError(ValueError):
    """A tuning request that cannot run (unknown parameter, bad value…)."""


class TuneRow(BaseModel):
    value: str
    run_id: str
    flags: dict[str, int]
    """People per route (each person once, at the gravest route of this detector's signals)."""
    precision: dict[str, float | None] = {}
    """Adverse route -> share of flagged people with a misconduct truth row (or an adverse outcome)."""
    recall: dict[str, float | None] = {}
    """Scenario of the detector -> found / instances (truth only)."""
    judged_by: str | None = None


class TuneReport(BaseModel):
    detector: str
    param: str
    rows: list[TuneRow]


def parse_values(detector_cls: Any, param: str, values: list[str]) -> list[dict[str, Any]]:
    """Parameters for each value, validated by the detector's ``Params`` (a clear error names
    the parameter and the value)."""
    fields = detector_cls.Params.model_fields
    if param not in fields:
        raise TuningError(
            f"{detector_cls.name} has no parameter {param!r}; parameters: {', '.join(sorted(fields)) or 'none'}"
        )
    out = []
    for v in values:
        try:
            detector_cls.Params.model_validate({param: v})
        except ValidationError as e:
            msg = "; ".join(err["msg"] for err in e.errors())
            raise TuningError(f"{param}={v!r} is not valid for {detector_cls.name}: {msg}") from None
        out.append({param: v})
    return out


def read_outcomes(path: str | Path) -> dict[str, str]:
    """staff_id -> outcome from a CSV or Parquet file of reviewer outcomes."""
    p = Path(path)
    if not p.is_file():
        raise TuningError(f"no reviewer outcomes file at {p}")
    reader = "read_parquet" if p.suffix == ".parquet" else "read_csv"
    con = duckdb.connect()
    try:
        rows = con.execute(f"SELECT CAST(staff_id AS VARCHAR), lower(CAST(outcome AS VARCHAR)) FROM {reader}(?)", [str(p)]).fetchall()
    except duckdb.Error as e:
        raise TuningError(f"cannot read reviewer outcomes from {p} (columns staff_id, outcome): {e}") from None
    finally:
        con.close()
    out: dict[str, str] = {}
    for i, (sid, outcome) in enumerate(rows, start=2):
        if outcome not in OUTCOMES:
            raise TuningError(f"{p}: row {i}: outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
        out[sid] = outcome
    return out


def _person_routes(signals: list[dict[str, Any]]) -> dict[str, str]:
    best: dict[str, str] = {}
    for s in signals:
        r = s["route"]
        if s["staff_id"] not in best or ROUTES.index(r) > ROUTES.index(best[s["staff_id"]]):
            best[s["staff_id"]] = r
    return best


def tune(
    workspace: Any,
    detector: str,
    param: str,
    values: list[str],
    *,
    truth: str | Path | None = None,
    outcomes: str | Path | None = None,
    period: tuple[dt.date | None, dt.date | None] = (None, None),
) -> TuneReport:
    """Run ``detector`` once per value of ``param`` (see the module doc)."""
    from fairwitness.detectors import runs
    from fairwitness.detectors.registry import load_registry
    from fairwitness.detectors.runner import open_workspace, run
    from fairwitness.evaluation.evaluate import read_truth
    from fairwitness.evaluation.metrics import score_run

    ws = open_workspace(workspace)
    reg = load_registry()
    cls = reg.get(detector)
    if not values:
        raise TuningError("give at least one value")
    settings = parse_values(cls, param, values)
    truth_rows = read_truth(truth) if truth is not None else None
    reviewed = read_outcomes(outcomes) if outcomes is not None else None
    before = runs.current_run_id(ws)
    rows = []
    try:
        for value, params in zip(values, settings, strict=True):
            res = run(ws, detectors=[detector], params={detector: params}, registry=reg,
                      period_start=period[0], period_end=period[1])
            if res.errors:
                raise TuningError(f"{param}={value}: " + "; ".join(f"{k}: {v}" for k, v in res.errors.items()))
            sigs = res.signals.select(["staff_id", "detector", "period_start", "period_end", "route"]).to_pylist()
            person = _person_routes(sigs)
            row = TuneRow(value=value, run_id=res.run_id, flags={r: sum(1 for v in person.values() if v == r) for r in ROUTES})
            if truth_rows is not None:
                cfg = res.record["config"]
                rep = score_run(
                    run_id=res.run_id,
                    period=(dt.date.fromisoformat(cfg["period_start"]), dt.date.fromisoformat(cfg["period_end"])),
                    signals=sigs, candidates=[{"staff_id": s, "route": r} for s, r in person.items()],
                    detector_scenarios={detector: list(cls.scenarios)}, truth=truth_rows, staff=0,
                )
                row.precision = {r.route: r.precision for r in rep.routes}
                row.recall = {s.scenario: s.recall for s in rep.scenarios if s.scenario in cls.scenarios}
                row.judged_by = "truth"
            elif reviewed is not None:
                for route in ROUTES:
                    if route not in ADVERSE_ROUTES:
                        continue
                    judged = [s for s, r in person.items() if r == route and s in reviewed]
                    good = sum(1 for s in judged if reviewed[s] not in NOT_ADVERSE)
                    row.precision[route] = round(good / len(judged), 6) if judged else None
                row.judged_by = "reviewer outcomes"
            rows.append(row)
    finally:
        if before is not None:
            runs.set_current(ws.runs_dir, before)
    return TuneReport(detector=detector, param=param, rows=rows)
