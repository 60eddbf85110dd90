"""Combination: every signal about a person in a run becomes one case candidate.

A reviewer sees a person once, with everything. The rules (`candidate_route`):

- the route is the gravest route among the person's signals, except that
- a signal from a detector with ``standalone_conduct = False`` (the multivariate anomaly
  score) is a pattern with no breach behind it: on its own it counts as ``wellbeing`` (a
  reason to talk, never an adverse route, since ``advice`` is adverse too); beside another
  detector's signal at ``advice`` or graver about the same person it counts at most as
  that signal's route, so it never raises a route a breach did not earn;
- a ``wellbeing`` signal (any signal of a detector whose purpose is ``wellbeing``) counts
  as ``wellbeing`` and so never raises a conduct route.

The score combines the strongest signal of each detector as a noisy-OR,
``1 - Π(1 - s_d)``, so more independent detectors mean stronger evidence while many signals
of one detector do not; wellbeing signals do not add to a conduct candidate's score. The
explanation leads with the gravest signal's sentence and names the other detectors.

`effective_routes`, `candidate_route`, `combined_score` and `summarise` state the rules for one
person's signals. `candidate_table` applies them to a whole run's signals at once: one DuckDB
query over the Arrow table groups, ranks and orders them, the signals' JSON is assembled from
Arrow columns, and Python touches each candidate once (its score's product, its id's hash) —
at 46,000 x 12, 53,418 signals into 17,539 candidates, where a Python pass over every signal
took 4 s (and the candidates' models and JSON 2 s more). `combine` gives the same candidates as
`fairwitness.candidates.CaseCandidate` models.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from json.encoder import encode_basestring_ascii
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from fairwitness.candidates import CaseCandidate
from fairwitness.routes import ROUTES, gravest, gravity

WELLBEING = "wellbeing"
ADVICE = "advice"


def effective_routes(signals: list[Mapping[str, Any]]) -> list[str]:
    """Each signal's route as it counts for the person's candidate (rules in the module doc)."""
    corroborating: dict[str, str] = {}
    for s in signals:
        if s.get("standalone_conduct", True) and s.get("purpose") != WELLBEING and gravity(s["route"]) >= gravity(ADVICE):
            corroborating[s["detector"]] = gravest([s["route"], corroborating.get(s["detector"], ADVICE)])
    out = []
    for s in signals:
        route = s["route"]
        if s.get("purpose") == WELLBEING:
            route = WELLBEING
        elif not s.get("standalone_conduct", True):
            others = [r for d, r in corroborating.items() if d != s["detector"]]
            route = min(route, gravest(others), key=gravity) if others else WELLBEING
        out.append(route)
    return out


def candidate_route(signals: list[Mapping[str, Any]]) -> str:
    """The route of a person's candidate given all their signals."""
    return gravest(effective_routes(signals))


def combined_score(signals: list[Mapping[str, Any]], route: str) -> float:
    """Noisy-OR of each detector's strongest score (wellbeing excluded from conduct/advice)."""
    best: dict[str, float] = {}
    for s in signals:
        if route != WELLBEING and s.get("purpose") == WELLBEING:
            continue
        best[s["detector"]] = max(best.get(s["detector"], 0.0), float(s["score"]))
    miss = 1.0
    for v in best.values():
        miss *= 1.0 - min(max(v, 0.0), 1.0)
    return round(1.0 - miss, 6)


def _order(signals: list[Mapping[str, Any]], routes: list[str]) -> list[tuple[str, Mapping[str, Any]]]:
    pairs = list(zip(routes, signals, strict=True))
    pairs.sort(key=lambda p: (-gravity(p[0]), -float(p[1]["score"]), p[1]["detector"], p[1]["signal_id"]))
    return pairs


def summarise(signals: list[Mapping[str, Any]], routes: list[str]) -> str:
    """One paragraph: the gravest signal's sentence, then the other detectors."""
    ordered = _order(signals, routes)
    lead = ordered[0][1]
    text = str(lead["explanation"]).strip()
    counts: dict[str, int] = defaultdict(int)
    for _, s in ordered:
        counts[s["detector"]] += 1
    counts[lead["detector"]] -= 1
    others = [f"{d} ({n} signal{'s' if n != 1 else ''})" for d, n in counts.items() if n > 0]
    if others:
        text += " Also flagged by: " + ", ".join(others) + "."
    return text


def candidate_id(staff_id: str, period_start: Any, period_end: Any, signal_ids: Iterable[str]) -> str:
    payload = "|".join([staff_id, str(period_start), str(period_end), *sorted(signal_ids)])
    return hashlib.sha256(payload.encode()).hexdigest()[:16]



_STRINGS = ("signal_id", "staff_id", "detector", "detector_version", "purpose", "route", "severity", "explanation", "evidence")


def _as_table(signals: list[Mapping[str, Any]]) -> pa.Table:
    """Signal rows (mappings, e.g. in tests) as the columns `candidate_table` reads; a missing
    ``standalone_conduct`` counts as True, ``evidence`` becomes canonical JSON (sorted keys)."""
    cols: dict[str, list[Any]] = {c: [] for c in (*_STRINGS, "standalone_conduct", "score", "period_start", "period_end")}
    for s in signals:
        for c in cols:
            v = s.get(c)
            if c == "standalone_conduct":
                v = s.get(c, True)
            elif c == "evidence" and v is not None:
                v = json.dumps(json.loads(v) if isinstance(v, str) else dict(v), sort_keys=True, default=str)
            cols[c].append(v)
    types = {"standalone_conduct": pa.bool_(), "score": pa.float64(), "period_start": pa.date32(), "period_end": pa.date32()}
    return pa.table({c: pa.array(v, types.get(c, pa.string())) for c, v in cols.items()})


def _json_strings(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Each string as `json.dumps` writes it (ASCII, escaped), its distinct values encoded once."""
    enc = pc.dictionary_encode(col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col)
    values = [encode_basestring_ascii(v) if v is not None else "null" for v in enc.dictionary.to_pylist()]
    return pa.array(values, pa.string()).take(enc.indices)


def _json_floats(col: pa.ChunkedArray) -> pa.Array:
    """Each float as `json.dumps` writes it (``repr``; ``NaN``, ``Infinity``, ``null``)."""
    values = col.to_pylist()
    if all(v is not None and math.isfinite(v) for v in values):
        return pa.array(map(float.__repr__, map(float, values)), pa.string())
    return pa.array([json.dumps(None if v is None else float(v)) for v in values], pa.string())


def signal_json(signals: pa.Table) -> pa.Array:
    """Each signal as its candidate's ``signals`` JSON holds it (`fairwitness.candidates.SignalRef`
    dumped with sorted keys). ``evidence`` is spliced in as stored: `signals.finalise` writes it
    as canonical JSON (sorted keys, ASCII), which is what dumping its parsed value gives again."""
    evidence = pc.fill_null(signals["evidence"].combine_chunks(), "{}")
    parts: list[Any] = []
    for i, name in enumerate(("detector", "detector_version", "evidence", "explanation", "route", "score", "severity", "signal_id")):
        parts.append(("{" if i == 0 else ", ") + f'"{name}": ')
        if name == "evidence":
            parts.append(evidence)
        elif name == "score":
            parts.append(_json_floats(signals["score"]))
        else:
            parts.append(_json_strings(signals[name]))
    parts.append("}")
    return pc.binary_join_element_wise(*parts, "")


_QUERY = """
WITH g AS (
    SELECT *, list_position({routes}, route) - 1 AS grav FROM s
), corr AS (  -- per person and detector: the gravest route of its standalone conduct signals at advice or graver
    SELECT staff_id, detector, max(grav) AS cg FROM g
    WHERE coalesce(standalone_conduct, false) AND purpose IS DISTINCT FROM 'wellbeing' AND grav >= {advice}
    GROUP BY ALL
), e AS (  -- each signal's effective route (`effective_routes`)
    SELECT g.*, CASE
        WHEN purpose = 'wellbeing' THEN 0
        WHEN NOT coalesce(standalone_conduct, false) THEN CASE WHEN other IS NULL THEN 0 ELSE least(grav, other) END
        ELSE grav END AS eg  -- (DuckDB's least skips NULLs: no other detector's breach is wellbeing)
    FROM (
        SELECT g.*, (SELECT max(cg) FROM corr WHERE corr.staff_id = g.staff_id AND corr.detector <> g.detector) AS other
        FROM g
    ) g
), per AS (
    SELECT staff_id, max(eg) AS route_g, min(period_start) AS ps, max(period_end) AS pe FROM e GROUP BY staff_id
), best AS (  -- each detector's strongest score, wellbeing signals left out of a conduct candidate
    SELECT e.staff_id, list(greatest(b, 0.0) ORDER BY first_i) AS bests FROM (
        SELECT e.staff_id, e.detector, max(e.score) AS b, min(e.i) AS first_i
        FROM e JOIN per USING (staff_id) WHERE per.route_g = 0 OR e.purpose IS DISTINCT FROM 'wellbeing'
        GROUP BY ALL
    ) e GROUP BY e.staff_id
), ordered AS (
    SELECT staff_id, detector, signal_id, explanation, frag,
        row_number() OVER (PARTITION BY staff_id ORDER BY eg DESC, score DESC, detector, signal_id, i) AS k
    FROM e
)
SELECT per.staff_id, per.route_g, per.ps, per.pe, coalesce(best.bests, []) AS bests,
    list(o.detector ORDER BY o.k) AS dets, list(o.signal_id ORDER BY o.k) AS ids,
    first(o.explanation ORDER BY o.k) AS lead, '[' || string_agg(o.frag, ', ' ORDER BY o.k) || ']' AS sigjson,
    count(*) AS n
FROM per JOIN ordered o USING (staff_id) LEFT JOIN best USING (staff_id)
GROUP BY per.staff_id, per.route_g, per.ps, per.pe, best.bests
ORDER BY per.staff_id
"""


def candidate_table(signals: pa.Table | list[Mapping[str, Any]], *, run_id: str) -> pa.Table:
    """Case candidates, one per person, from a run's signals (`runs.SIGNAL_SCHEMA` rows), as
    ``case_candidates.parquet`` holds them (`fairwitness.detectors.runs.CANDIDATE_SCHEMA`);
    the rules of the module doc, applied to every person at once."""
    import duckdb

    from fairwitness.detectors.runs import CANDIDATE_SCHEMA

    table = _as_table(signals) if not isinstance(signals, pa.Table) else signals
    if table.num_rows == 0:
        return CANDIDATE_SCHEMA.empty_table()
    unknown = sorted(set(pc.unique(table["route"]).to_pylist()) - set(ROUTES), key=str)
    if unknown:
        raise ValueError(f"unknown route {unknown[0]!r} in the signals; expected one of {', '.join(ROUTES)}")
    s = pa.table(
        {
            "i": pa.array(range(table.num_rows), pa.int64()),
            **{c: table[c] for c in ("staff_id", "detector", "signal_id", "route", "score", "purpose", "standalone_conduct",
                                     "period_start", "period_end", "explanation")},
            "frag": signal_json(table),
        }
    )
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone='UTC'")
        con.register("s", s)
        res = con.sql(_QUERY.format(routes=list(ROUTES), advice=gravity(ADVICE))).to_arrow_table()
    finally:
        con.close()
    # the signals' JSON stays in Arrow; Python touches each candidate's few small values
    ids_, scores, detectors, texts = [], [], [], []
    columns = (res[c].to_pylist() for c in ("staff_id", "ps", "pe", "bests", "dets", "ids", "lead"))
    for staff_id, start, end, bests, dets, ids, lead in zip(*columns, strict=True):
        miss = 1.0
        for v in bests:
            miss *= 1.0 - min(v, 1.0)
        counts: dict[str, int] = {}
        for d in dets:
            counts[d] = counts.get(d, 0) + 1
        counts[dets[0]] -= 1
        others = [f"{d} ({n} signal{'s' if n != 1 else ''})" for d, n in counts.items() if n > 0]
        texts.append(str(lead).strip() + (" Also flagged by: " + ", ".join(others) + "." if others else ""))
        ids_.append(candidate_id(staff_id, start, end, ids))
        scores.append(round(1.0 - miss, 6))
        detectors.append(list(counts))
    cols = {
        "candidate_id": pa.array(ids_, pa.string()),
        "run_id": pa.array([run_id] * res.num_rows, pa.string()),
        "staff_id": res["staff_id"],
        "period_start": res["ps"],
        "period_end": res["pe"],
        "route": pa.array(ROUTES, pa.string()).take(res["route_g"]),
        "score": pa.array(scores, pa.float64()),
        "detectors": pa.array(detectors, pa.list_(pa.string())),
        "n_signals": res["n"],
        "explanation": pa.array(texts, pa.string()),
        "signals": res["sigjson"],
    }
    return pa.table(cols).cast(CANDIDATE_SCHEMA)


def combine(signals: pa.Table | list[Mapping[str, Any]], *, run_id: str) -> list[CaseCandidate]:
    """Case candidates, one per person, from a run's signals (`runs.SIGNAL_SCHEMA` rows), as models."""
    from fairwitness.detectors.runs import candidates_from_table

    return candidates_from_table(candidate_table(signals, run_id=run_id))
