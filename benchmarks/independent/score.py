"""Score a run of an independent force against its tester's truth file.

`python -m benchmarks.independent.score WS TRUTH_CSV [RUN_ID]`: the people on each adverse route
(from the run's case candidates: the route each person is recommended) split into planted
misconduct, the tester's honest look-alikes and everyone else; the planted cases with what each
got; and every adverse signal about someone without a planted breach (the signal level too: a
signal's route before combination). The latest run of WS unless RUN_ID is given.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ADVERSE = ["advice", "misconduct_assessment", "gross_misconduct_assessment", "criminal_referral"]
RANK = {r: i for i, r in enumerate(["wellbeing", *ADVERSE])}


def _kind(k: object) -> str:
    if k in ("misconduct", "minor"):
        return "planted"
    return "lookalike" if isinstance(k, str) and k.startswith("lookalike") else "background"


def score(ws: Path, truth_csv: Path, run_id: str | None = None) -> dict[str, object]:
    runs = ws / "runs"
    run = runs / run_id if run_id else max((p for p in runs.iterdir() if (p / "signals.parquet").exists()),
                                           key=lambda p: (p / "signals.parquet").stat().st_mtime)
    truth = pd.read_csv(truth_csv, dtype={"staff_id": str}).rename(columns={"kind": "planted_kind"})  # as each tester named it
    if "label" in truth.columns:  # guilty / honest / ordinary, and a proportionate route (rounds 37-38)
        truth["planted_kind"] = truth.label.map({"guilty": "misconduct", "honest": "lookalike"}).fillna("background")
        truth = truth.rename(columns={"proportionate_route": "ideal_route"})
    sig = pd.read_parquet(run / "signals.parquet").merge(truth, on="staff_id", how="left")
    cand = pd.read_parquet(run / "case_candidates.parquet").merge(truth, on="staff_id", how="left")
    for t in (sig, cand):
        t["cls"] = t["planted_kind"].map(_kind)
    people = {
        route: {k: int(cand[(cand.route.isin(ADVERSE) if route == "all adverse" else cand.route == route)
                            & (cand.cls == k)].staff_id.nunique()) for k in ("planted", "lookalike", "background")}
        for route in [*ADVERSE, "all adverse"]
    }
    planted = []
    for _, x in truth[truth.planted_kind.isin(["misconduct", "minor"])].iterrows():
        got = sig[sig.staff_id == x.staff_id]
        planted.append({"staff_id": x.staff_id, "pattern": x.pattern, "ideal": x.ideal_route,
                        "got": sorted(f"{d}:{r}" for d, r in zip(got.detector, got.route))})
    false = sig[sig.route.isin(ADVERSE) & (sig.cls != "planted")].copy()
    false["rank"] = false.route.map(RANK)
    false = false.sort_values(["rank", "detector"], ascending=[False, True])
    return {
        "run": run.name,
        "people": people,
        "planted": planted,
        "false_signals": [
            {"staff_id": r.staff_id, "cls": r.cls, "pattern": r.pattern, "detector": r.detector, "route": r.route,
             "detail": r.detail} for r in false.itertuples()
        ],
    }


def main(argv: list[str]) -> None:
    r = score(Path(argv[0]), Path(argv[1]), argv[2] if len(argv) > 2 else None)
    print(f"run {r['run']}: people by route (planted / look-alike / background)")
    for route, n in r["people"].items():
        print(f"  {route:30s} {n['planted']:4d} {n['lookalike']:4d} {n['background']:4d}")
    print("planted cases:")
    for p in r["planted"]:
        print(f"  {p['staff_id']} {p['pattern']} (ideal {p['ideal']}): {'; '.join(p['got']) or 'NONE'}")
    print("adverse signals about people without a planted breach:")
    for f in r["false_signals"]:
        print(f"  {f['staff_id']} {f['cls']} {f['pattern']}: {f['detector']} {f['route']} — {f['detail'][:160]}")


if __name__ == "__main__":
    main(sys.argv[1:])
