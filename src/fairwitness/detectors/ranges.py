"""Lake ranges: the time range each lake file can change in the current rows of its table.

A lake file (an immutable Parquet part of one batch) changes the current rows of its table in
the time range of its own rows and of the older rows it supersedes (a late correction of an
old row: same key, newer batch). `LakeRanges.of` gives, for every file of a table with a time
rule (`fairwitness.detectors.sources.PERIOD_RULES`), that range as ``(lo, hi)`` — the least
and greatest of the rule's start and end columns, inclusive — or None when the file holds no
dated row and supersedes none (it is then visible in no window).

A file's own range comes from the Parquet statistics (no scan); the superseded rows are
looked up only for batches that reported updated rows for the table (``batch_files``), with
one DuckDB semi-join of the new file's keys against the older files. Lake files never change,
so each file's range is computed once and kept in ``WS/runs/cache/ranges.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from fairwitness.detectors.sources import PERIOD_RULES

Span = tuple[dt.datetime, dt.datetime]


def lake_part(f: Path | str) -> str:
    """``batch=<id>/<table>/<part>``: a lake file named independently of the workspace's place."""
    parts = Path(f).parts
    i = max(i for i, p in enumerate(parts) if p.startswith("batch="))
    return "/".join(parts[i:])


def _as_datetime(v: Any) -> dt.datetime | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.replace(tzinfo=None)
    if isinstance(v, dt.date):
        return dt.datetime.combine(v, dt.time())
    return None


def _merge(a: Span | None, b: Span | None) -> Span | None:
    if a is None:
        return b
    if b is None:
        return a
    return (min(a[0], b[0]), max(a[1], b[1]))


def _columns(table: str) -> tuple[str, ...]:
    _, start, end = PERIOD_RULES[table]
    return (start,) if end is None else (start, end)


def parquet_span(path: Path, columns: Sequence[str]) -> tuple[Span | None, bool]:
    """The hull of ``columns`` over the file from its statistics, and whether they were complete."""
    import pyarrow.parquet as pq

    md = pq.ParquetFile(path).metadata
    span: Span | None = None
    for i in range(md.num_row_groups):
        rg = md.row_group(i)
        for j in range(rg.num_columns):
            c = rg.column(j)
            if c.path_in_schema not in columns:
                continue
            s = c.statistics
            if s is None:
                return None, False
            if not s.has_min_max:
                if s.null_count == rg.num_rows:
                    continue  # every value null: no dated row in this group
                return None, False
            lo, hi = _as_datetime(s.min), _as_datetime(s.max)
            if lo is None or hi is None:
                return None, False
            span = _merge(span, (lo, hi))
    return span, True


def _scan_span(con: Any, sql_from: str, columns: Sequence[str], params: list[Any]) -> Span | None:
    cols = ", ".join(f'CAST("{c}" AS TIMESTAMP)' for c in columns)
    lo, hi = con.execute(f"SELECT min(least({cols})), max(greatest({cols})) FROM {sql_from}", params).fetchone()
    return None if lo is None else (_as_datetime(lo), _as_datetime(hi))  # type: ignore[return-value]


class LakeRanges:
    """Per-file time ranges of a workspace's lake (see module doc), cached under ``runs_dir``."""

    def __init__(self, runs_dir: Path) -> None:
        self.path = Path(runs_dir) / "cache" / "ranges.json"

    def _load(self) -> dict[str, Any]:
        try:
            return json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}

    def _save(self, data: Mapping[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}-{secrets.token_hex(4)}")
        tmp.write_text(json.dumps(data, sort_keys=True))
        os.replace(tmp, self.path)

    def of(
        self,
        tables: Mapping[str, tuple[Sequence[Path], Sequence[str] | None]],
        updated: set[tuple[str, str]] | None = None,
    ) -> dict[str, Span | None]:
        """Lake part -> its range, for every file of a dated table in ``tables`` (table -> (files,
        oldest batch first; de-duplication key)). ``updated``: (batch id, table) pairs whose batch
        superseded rows of the table; None: assume any batch after the first may have."""
        stored = self._load()
        out: dict[str, Span | None] = {}
        con = None
        changed = False
        try:
            for table, (files, key) in tables.items():
                if table not in PERIOD_RULES:
                    continue
                cols = _columns(table)
                for i, f in enumerate(files):
                    part = lake_part(f)
                    entry = f"{table}:{part}"
                    if entry in stored:
                        v = stored[entry]
                        out[part] = None if v is None else (dt.datetime.fromisoformat(v[0]), dt.datetime.fromisoformat(v[1]))
                        continue
                    span, complete = parquet_span(Path(f), cols)
                    older = [str(o) for o in files[:i] if lake_part(o).split("/")[0] != part.split("/")[0]]
                    batch = part.split("/")[0][len("batch="):]
                    supersedes = bool(key) and bool(older) and (updated is None or (batch, table) in updated)
                    if not complete or supersedes:
                        if con is None:
                            import duckdb

                            con = duckdb.connect()
                        if not complete:
                            span = _scan_span(con, "read_parquet(?)", cols, [str(f)])
                        if supersedes:
                            k = ", ".join(f'"{c}"' for c in key or ())
                            old = _scan_span(
                                con,
                                f"read_parquet(?, union_by_name = true) WHERE ({k}) IN (SELECT ({k}) FROM read_parquet(?))",
                                cols,
                                [older, str(f)],
                            )
                            span = _merge(span, old)
                    out[part] = span
                    stored[entry] = None if span is None else [span[0].isoformat(), span[1].isoformat()]
                    changed = True
        finally:
            if con is not None:
                con.close()
        if changed:
            self._save(stored)
        return out


def updated_batches(workspace: Any) -> set[tuple[str, str]] | None:
    """(batch id, table) pairs where the batch superseded rows of the table, from the catalogue;
    None when the workspace has no catalogue (every later batch is then checked)."""
    if not (hasattr(workspace, "catalog") and workspace.exists()):
        return None
    with workspace.catalog() as con:
        rows = con.execute(
            "SELECT batch_id, table_name FROM batch_files GROUP BY ALL HAVING sum(rows_updated) > 0"
        ).fetchall()
    return {(b, t) for b, t in rows}


__all__ = ["LakeRanges", "lake_part", "parquet_span", "updated_batches"]
