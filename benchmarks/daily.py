"""The benchmark's ``daily`` step: a day's export on top of the rest, with monthly windows
(`benchmarks.steps`; ``python -m benchmarks.steps daily PEOPLE MONTHS IDS DATA WS``).

`split_last_day` cuts a force's export at its last day; `daily` ingests the history, fills the
result cache with a full run, ingests the day and times the daily run, then checks it against a
full run; `forget_last_month` puts the cache back as it was before the day, so the daily run can
be measured again on the same lake.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path
from typing import Any

from benchmarks.steps import presence_floor


def split_last_day(data: Path, base: Path, day_dir: Path) -> dt.date:
    """Write ``data``'s rows dated before its last day (the roster's) to ``base`` and the rest
    of the dated rows to ``day_dir``; undated tables go whole to ``base``. Returns the day.

    The history keeps the export's files (a table in monthly parts stays in monthly parts, each
    without its rows of the last day), so it is ingested as the force's history would be."""
    import duckdb

    from fairwitness.detectors.sources import PERIOD_RULES
    from fairwitness.ingest.discovery import discover

    disc = discover(data)
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    shifts = [str(f.path) for f in disc.files["shifts"]]
    (last,) = con.execute("SELECT max(CAST(start AS DATE)) FROM read_parquet(?)", [shifts]).fetchone()
    for table, files in disc.files.items():
        paths = [str(f.path) for f in files]
        if not all(p.endswith(".parquet") for p in paths):
            raise SystemExit(f"daily: {table} is not Parquet")
        rule = PERIOD_RULES.get(table)
        before = "TRUE" if rule is None else f'CAST("{rule[1]}" AS DATE) < DATE \'{last}\' OR "{rule[1]}" IS NULL'
        whole = len(paths) == 1 and Path(paths[0]).parent == data
        for i, path in enumerate(paths):
            out = base / f"{table}.parquet" if whole else base / table / f"part-{i:05d}.parquet"
            out.parent.mkdir(parents=True, exist_ok=True)
            src = f"read_parquet('{path}')"
            if con.execute(f"SELECT count(*) FROM {src} WHERE {before}").fetchone()[0]:
                con.execute(f"COPY (SELECT * FROM {src} WHERE {before}) TO '{out}' (FORMAT parquet)")
        if rule is not None:
            src = "read_parquet([" + ", ".join(f"'{p}'" for p in paths) + "], union_by_name = true)"
            where = f'CAST("{rule[1]}" AS DATE) >= DATE \'{last}\''
            day_dir.mkdir(parents=True, exist_ok=True)
            if con.execute(f"SELECT count(*) FROM {src} WHERE {where}").fetchone()[0]:
                con.execute(f"COPY (SELECT * FROM {src} WHERE {where}) TO '{day_dir / table}.parquet' (FORMAT parquet)")
    con.close()
    return last


def forget_last_month(ws: Any, day_dir: Path) -> int:
    """Put ``ws``'s result cache back as it was before the day's batch (``day_dir``), so the
    ``day-run`` phase can be measured again on the same lake: every detector's result for the
    last month, that month's coverage counts and its compiled statements are removed; the
    row-by-row derived sources (record linkage) keep their stored rows but for the day's
    records, under a key no run has (`fairwitness.detectors.derived_rows`: the day's records
    are then new to them). Returns the files and statement folders removed.

    The statements go too because a day's run cannot have them: the last month's window ends
    at the data's last day, so each day's batch moves it and the run compiles that month's
    statements again (`fairwitness.detectors.statements` keys them by their window). Kept,
    they made ``forget,day-run`` measure a run no day gets (at 46,000 x 12, 24.0 s against
    31.1 s for the day-run that compiled them)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from fairwitness.detectors.derived_rows import INPUTS
    from fairwitness.detectors.incremental import ResultCache
    from fairwitness.detectors.registry import load_registry
    from fairwitness.detectors.runconfig import data_period
    from fairwitness.detectors.statements import StatementCache

    last = data_period(ws)[1]
    cache = Path(ws.runs_dir) / "cache"
    stale = [*cache.glob(f"windows-month/*@{last:%Y-%m}-01/*.parquet"), *cache.glob(f"coverage/*@{last:%Y-%m}/*.parquet")]
    for f in stale:
        f.unlink()
    statements = list(StatementCache(ws.runs_dir).root.glob(f"*@{last:%Y-%m}-01"))
    for d in statements:
        shutil.rmtree(d)
    stale += statements
    store = ResultCache(ws.runs_dir)
    for name, d in load_registry().derived.items():
        got = store.latest("derived", name)
        inputs = store.get(INPUTS, name, got[0]) if got else None
        origin = day_dir / f"{d.rows_of[0]}.parquet" if d.rows_of else None
        if got is None or inputs is None or origin is None or not origin.exists():
            stale += list((cache / "derived" / name).glob("*.parquet"))  # computed whole again
            for f in (cache / "derived" / name).glob("*.parquet"):
                f.unlink()
            continue
        today = pa.array({str(v) for v in pq.read_table(origin, columns=[d.rows_of[1]]).column(0).to_pylist()}, pa.string())
        table, key = got[1], "replay-" + got[0].removeprefix("replay-")
        store.put("derived", name, key, table.filter(pc.invert(pc.is_in(pc.cast(table[d.rows_of[1]], pa.string()), value_set=today))))
        store.put(INPUTS, name, key, inputs.filter(pc.invert(pc.is_in(inputs["k"], value_set=today))))
    return len(stale)


def daily(data: Path, wsdir: Path, window: str, phase: str = "all") -> dict[str, Any]:
    """The ``daily`` step (see module doc). ``phase`` (``DAILY_PHASE``, comma-separated) runs
    parts of it, each part in its own process if wanted, so no process holds the machine long:
    ``split`` (``DATA`` into ``WS.parts/``), ``ingest`` (the history), ``fill`` (the full run
    that fills the cache; ``DAILY_DETECTORS`` runs a comma-separated subset, so the fill can
    be split too), ``day`` (ingest the day, the daily run, and unless ``DAILY_CHECK=0`` the full
    run it must equal); ``all`` is every part. ``day-ingest``, ``day-run`` and ``check`` are the
    three parts of ``day``, each in a process of its own (so each has its own peak RSS);
    ``forget`` removes what the day made stale from the cache (`forget_last_month`), so
    ``forget,day-run`` measures the daily run again;
    ``check`` compares the latest run's signals (the daily run's; ``DAILY_RUN`` names another)
    with a full run's — of the ``DAILY_DETECTORS`` alone, when given, so the check can be split."""
    from fairwitness.detectors.runner import run
    from fairwitness.ingest import ingest
    from fairwitness.workspace import Workspace

    res: dict[str, Any] = {"window": window, "phase": phase}
    parts = wsdir.with_name(wsdir.name + ".parts")
    w = Workspace(wsdir)
    phases = {"split", "ingest", "fill", "day"} if phase == "all" else set(phase.split(","))
    if "split" in phases:
        shutil.rmtree(parts, ignore_errors=True)
        t = time.perf_counter()
        res["day"] = split_last_day(data, parts / "base", parts / "day").isoformat()
        res["split_seconds"] = time.perf_counter() - t
    if "ingest" in phases:
        shutil.rmtree(wsdir, ignore_errors=True)
        t = time.perf_counter()
        ingest(parts / "base", w)
        res["ingest_base_seconds"] = time.perf_counter() - t
    if "fill" in phases:
        subset = [d for d in os.environ.get("DAILY_DETECTORS", "").split(",") if d] or None
        t = time.perf_counter()
        r = run(w, engine="duckdb", incremental=True, window=window, detectors=subset)
        res["full_before_seconds"] = time.perf_counter() - t
        res["fill_errors"] = r.errors
    if phases & {"day", "day-ingest"}:
        t = time.perf_counter()
        r = ingest(parts / "day", w)
        res["ingest_day_seconds"] = time.perf_counter() - t
        res["day_rows"] = sum(v["read"] for v in r.by_table().values())
    if "forget" in phases:
        res["forgotten"] = forget_last_month(w, parts / "day")
    if phases & {"day", "day-run"}:
        res.update(presence_floor(w))
        t = time.perf_counter()
        inc = run(w, engine="duckdb", incremental=True, window=window)
        res["daily_run_seconds"] = time.perf_counter() - t
        res["daily_run_id"] = inc.run_id
        res["computed"] = len(inc.record["computed"])
        res["computed_pieces"] = inc.record["computed"]
        res["pieces"] = len(inc.record["windows"]) * len(inc.record["detectors"])
        res["prepare_seconds"] = inc.record.get("prepare_seconds", 0.0)
        res["phases"] = inc.record.get("phases", {})
        res["daily_detectors"] = {d["name"]: d["seconds"] for d in inc.record["detectors"] if not d["seconds"].get("reused")}
        res["daily_derived"] = {d["name"]: {"seconds": d.get("seconds"), "reused": d.get("reused")} for d in inc.record.get("derived", [])}
        res["daily_errors"] = inc.errors
    if "check" in phases or ("day" in phases and os.environ.get("DAILY_CHECK", "1") != "0"):
        from fairwitness.detectors import runs

        latest = os.environ.get("DAILY_RUN") or runs.current_run_id(w)
        daily_signals = runs.read_signals(w, latest) if "day" not in phases else inc.signals
        subset = [d for d in os.environ.get("DAILY_DETECTORS", "").split(",") if d] or None
        t = time.perf_counter()
        full = run(w, engine="duckdb", window=window, detectors=subset)
        res["full_run_seconds"] = time.perf_counter() - t
        res["signals"] = full.signals.num_rows
        if subset is None:
            res["equal_to_full"] = latest == full.run_id and daily_signals.equals(full.signals)
        else:  # a part of the catalogue (the check split over processes): its signals, but for the
            # run id and the case candidates (which combine every detector's signals)
            import pyarrow as pa
            import pyarrow.compute as pc

            def part(t: Any) -> Any:
                t = t.filter(pc.is_in(t["detector"], pa.array(subset))).drop_columns(["run_id", "candidate_id"])
                return t.sort_by([("staff_id", "ascending"), ("detector", "ascending"), ("signal_id", "ascending")])

            res["detectors_checked"] = subset
            res["equal_to_full"] = part(daily_signals).equals(part(full.signals))
    return res
