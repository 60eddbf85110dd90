"""The schedule of a run: each detector over each window, computed or reused, then merged.

`plan` lists one `Piece` per (detector, window) (`fairwitness.detectors.windows`) with its
input key (`fairwitness.detectors.incremental.InputKeys.window_key`) and, for an incremental
run, its stored result. `execute` runs the pieces that have none — one thread builds and
compiles the next pieces (Python) and another finishes the previous ones (a model's scoring,
validation) while the engine executes the current query (outside the GIL) —, stores each
fresh result under its key, and merges each detector's windows into one `DetectorOutcome`
(`merge`): its signals are the windows' signals together; it is reused when every window was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from fairwitness.detectors.incremental import ResultCache, reused_outcome, stored_result
from fairwitness.detectors.windows import Range, Window, hull, visible_range


@dataclass
class Piece:
    """One detector over one window."""

    cls: type
    window: Window
    key: str
    kind: str = "run"
    """The kind of window (`fairwitness.detectors.windows.WINDOW_KINDS`): results are cached per kind."""
    stored: Any = None
    """The reused `DetectorOutcome`, or None when it must run."""

    @property
    def name(self) -> str:
        return f"{self.cls.name}@{self.window[0].isoformat()}"  # type: ignore[attr-defined]


def plan(
    classes: Sequence[type],
    windows: Sequence[Window],
    *,
    keys: Any,
    declared: Mapping[type, Mapping[str, Any]],
    cache: ResultCache,
    incremental: bool,
    run_id: str,
    kind: str = "run",
) -> dict[type, list[Piece]]:
    """Detector -> its pieces, in window order, with the stored results an incremental run reuses
    (read in a few threads: a daily run at 46,000 x 12 reads 176 stored months)."""
    out = {cls: [Piece(cls, w, keys.window_key(cls, declared[cls], w), kind) for w in windows] for cls in classes}
    if incremental:
        every = [p for ps in out.values() for p in ps]
        with ThreadPoolExecutor(max_workers=4, thread_name_prefix="fw-cache") as pool:
            tables = list(pool.map(lambda p: cache.get(f"windows-{kind}", p.name, p.key), every))
        for p, stored in zip(every, tables, strict=True):
            p.stored = reused_outcome(p.cls, stored, run_id)
    return out


def seen_range(pieces: Mapping[type, list[Piece]], table: str) -> Range | None:
    """The time range of ``table`` the pieces that run (no stored result) see, together
    (`fairwitness.detectors.windows.visible_range`); None when unbounded or when none reads it."""
    out: Range | None = None
    first = True
    for cls, ps in pieces.items():
        if table not in {*getattr(cls, "reads", {}), *(getattr(cls, "optional_reads", {}) or {})}:
            continue
        for p in ps:
            if p.stored is not None:
                continue
            r = visible_range(
                table, p.window, lookback_days=getattr(cls, "lookback_days", 0), lookahead_days=getattr(cls, "lookahead_days", 0)
            )
            out, first = (r if first else hull(out, r)), False
    return out


def merge(cls: type, outs: Sequence[Any], windows: int) -> Any:
    """One detector's outcome from its windows' outcomes (in window order)."""
    from fairwitness.detectors.execution import DetectorOutcome

    first = outs[0]
    if windows == 1:
        return first
    out = DetectorOutcome(name=first.name, version=first.version, params=first.params)
    errors = [o for o in outs if o.error]
    if errors:
        out.error = "; ".join(f"window {o.period[0]} to {o.period[1]}: {o.error}" for o in errors)
    else:
        parts = [o.signals for o in outs if o.signals is not None]
        out.signals = pa.concat_tables(parts) if parts else None
    out.sql = next((o.sql for o in reversed(outs) if o.sql), None)
    out.rows = sum(o.rows for o in outs)
    for o in outs:
        for k, v in o.seconds.items():
            if k != "reused":
                out.seconds[k] = round(out.seconds.get(k, 0.0) + v, 4)
    if all(o.seconds.get("reused") for o in outs):
        out.seconds["reused"] = 1.0
    return out


def execute(
    pieces: Mapping[type, list[Piece]],
    *,
    prepare: Callable[[Piece], Any],
    query: Callable[[Any], Any],
    finish: Callable[[Any], Any],
    cache: ResultCache,
    tick: Callable[[str], None],
) -> dict[type, Any]:
    """Run every piece without a stored result, store it, merge per detector (see module doc).

    Three stages overlap: ``prepare(piece)`` builds and compiles (`runner.prepare_detector`,
    one thread ahead), ``query`` runs it on the engine (this thread, one at a time, as the
    connection requires) and ``finish`` turns the result into signals (`runner.finish_prepared`,
    e.g. a model's scoring, in another thread while the next query runs)."""
    result: dict[type, Any] = {}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="fw-prepare") as pool, ThreadPoolExecutor(
        max_workers=1, thread_name_prefix="fw-finish"
    ) as finisher:
        futures: dict[tuple[type, Window], Future[Any]] = {
            (p.cls, p.window): pool.submit(prepare, p) for ps in pieces.values() for p in ps if p.stored is None
        }
        def finish_and_store(p: Piece, queried: Any) -> Any:
            out = finish(queried)
            if out.ok and out.signals is not None:  # stored at once: an interrupted run keeps it
                cache.put(f"windows-{p.kind}", p.name, p.key, stored_result(out))
            return out

        finishing: dict[tuple[type, Window], Future[Any]] = {}
        for cls, ps in pieces.items():
            tick(f"detector {cls.name}")  # type: ignore[attr-defined]
            for p in ps:
                if p.stored is None:
                    queried = query(futures[(p.cls, p.window)].result())
                    finishing[(p.cls, p.window)] = finisher.submit(finish_and_store, p, queried)
        for cls, ps in pieces.items():
            outs = []
            for p in ps:
                out = p.stored if p.stored is not None else finishing[(p.cls, p.window)].result()
                out.period = p.window
                outs.append(out)
            result[cls] = merge(cls, outs, len(ps))
    return result


__all__ = ["Piece", "execute", "merge", "plan", "seen_range"]
