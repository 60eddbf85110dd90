"""Writing the contract format: one entry per table, Parquet (single files, or folders of
parts for the large event tables, written as they are generated) or CSV.

Parquet timestamps are UTC (``timestamp[us, tz=UTC]``). CSV timestamps are Europe/London
wall time without offset, except inside the repeated autumn hour, where the offset is
written to keep them unambiguous.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from fairwitness.contract import BY_NAME
from fairwitness.synth.clock import local_iso

PARTED = ("shifts", "badge_events", "device_events", "system_access", "comms_events", "roster_changes",
          "overtime_claims", "absences")
EXTRA_COLUMNS: dict[str, tuple[tuple[str, pa.DataType], ...]] = {
    "badge_events": (("system", pa.string()), ("identifier", pa.string())),
    "device_events": (("system", pa.string()), ("identifier", pa.string())),
}
UTC_US = pa.timestamp("us", tz="UTC")


def schema(name: str) -> pa.Schema:
    fields = []
    for c in BY_NAME[name].columns:
        fields.append(pa.field(c.name, UTC_US if c.kind == "timestamp" else c.arrow_type, nullable=True))
    fields += [pa.field(n, t, nullable=True) for n, t in EXTRA_COLUMNS.get(name, ())]
    return pa.schema(fields)


def timestamps(seconds: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    s = np.asarray(seconds, dtype=np.int64)
    return pa.array(s * 1_000_000, type=UTC_US, mask=None if valid is None else ~np.asarray(valid))


def dates(epoch_days: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(epoch_days, dtype=np.int32), type=pa.date32(), mask=None if valid is None else ~np.asarray(valid))


def labels(values: tuple[str, ...] | list[str], codes: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    idx = pa.array(np.asarray(codes, dtype=np.int64), mask=None if valid is None else ~np.asarray(valid))
    return pa.array(list(values), type=pa.string()).take(idx)


def pick(strings: pa.Array, index: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    idx = pa.array(np.asarray(index, dtype=np.int64), mask=None if valid is None else ~np.asarray(valid))
    return strings.take(idx)


class Output:
    """Writes tables and parts into ``out`` and counts rows."""

    def __init__(self, out: Path, fmt: str) -> None:
        self.out = Path(out)
        self.fmt = fmt
        self.out.mkdir(parents=True, exist_ok=True)
        self.rows: dict[str, int] = {}
        self._parts: dict[str, int] = {}
        self._csv: dict[str, pacsv.CSVWriter] = {}

    def _table(self, name: str, columns: dict[str, pa.Array]) -> pa.Table:
        sch = schema(name)
        unknown = set(columns) - set(sch.names)
        if unknown:
            raise KeyError(f"{name}: columns not in the contract: {sorted(unknown)}")
        n = len(next(iter(columns.values()))) if columns else 0
        arrays = []
        for f in sch:
            a = columns.get(f.name)
            if a is None:
                a = pa.nulls(n, f.type)
            elif not isinstance(a, (pa.Array, pa.ChunkedArray)):
                a = pa.array(a, type=f.type, from_pandas=True)
            if a.type != f.type:
                a = a.cast(f.type)
            arrays.append(a)
        return pa.Table.from_arrays(arrays, schema=sch)

    def _as_text(self, t: pa.Table) -> pa.Table:
        cols = []
        for f, col in zip(t.schema, t.columns, strict=True):
            if pa.types.is_timestamp(f.type):
                col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
                secs = pc.fill_null(pc.cast(col, pa.int64()), 0).to_numpy() // 1_000_000
                text = local_iso(secs)
                col = pc.if_else(pc.is_valid(col), text, pa.nulls(len(col), pa.string()))
            cols.append(col)
        names = t.schema.names
        return pa.Table.from_arrays(cols, names=names)

    def write(self, name: str, columns: dict[str, pa.Array]) -> None:
        """A whole table at once (or, for parted tables, one more part)."""
        t = self._table(name, columns)
        self.rows[name] = self.rows.get(name, 0) + t.num_rows
        if self.fmt == "csv":
            t = self._as_text(t)
            w = self._csv.get(name)
            if w is None:
                w = self._csv[name] = pacsv.CSVWriter(str(self.out / f"{name}.csv"), t.schema)
            w.write_table(t)
            if name not in PARTED:
                self.finish(name)
            return
        if name in PARTED:
            folder = self.out / name
            folder.mkdir(exist_ok=True)
            k = self._parts.get(name, 0)
            self._parts[name] = k + 1
            if t.num_rows or k == 0:
                pq.write_table(t, folder / f"part-{k:05d}.parquet", compression="snappy")
            return
        pq.write_table(t, self.out / f"{name}.parquet", compression="snappy")

    def finish(self, name: str) -> None:
        w = self._csv.pop(name, None)
        if w is not None:
            w.close()

    def close(self) -> dict[str, int]:
        for name in list(self._csv):
            self.finish(name)
        for name in PARTED:
            if name not in self.rows:
                self.write(name, {})
        return dict(self.rows)
