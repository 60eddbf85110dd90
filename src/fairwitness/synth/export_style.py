"""A synthetic force written the way forces' own systems and spreadsheets write it.

`export` rewrites a generated (Parquet) force as CSV files such as an HR, rostering,
access-control or IT system, or a spreadsheet it passed through, would produce:

* spreadsheet headers (``Staff_ID``, ``Start``);
* UTF-8 with a byte-order mark, CRLF line ends; the HR tables (`SEMICOLON_TABLES`)
  semicolon-delimited as a European Excel writes them;
* absence start/end and case opened/closed as dates (an absence's end as the inclusive last
  day, as SAP writes ``ENDDA``); every other timestamp as local wall time, with the offset
  only inside the repeated autumn hour;
* badge and device events carrying only ``System`` + ``Identifier`` (no ``Staff_ID``);
* booleans ``Y``/``N``; ``NULL`` for an empty value.

The ground truth (``truth.parquet``) is kept as it is, for `fairwitness evaluate`.
Every value still means the same: ingesting the export gives the same lake as the Parquet.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from fairwitness.contract import BY_NAME, TABLES
from fairwitness.synth.clock import local_iso, to_local
from fairwitness.synth.config import SynthConfig, SynthSummary

Progress = Callable[[str, int, int], None]

SEMICOLON_TABLES = ("people", "absences", "overtime_claims")
DATE_ONLY = {"absences": ("start", "end"), "case_parties": ("opened", "closed")}
IDENTITY_ONLY = ("badge_events", "device_events")
NULL = "NULL"


def header(name: str) -> str:
    """Spreadsheet case: ``staff_id`` -> ``Staff_ID``, ``start`` -> ``Start``."""
    return "_".join("ID" if w == "id" else w.capitalize() for w in name.split("_"))


def _local_dates(col: pa.Array, *, inclusive_end: bool) -> pa.Array:
    """Local calendar dates of UTC timestamps; an exclusive midnight end becomes the inclusive day before."""
    secs = pc.fill_null(pc.cast(col, pa.int64()), 0).to_numpy(zero_copy_only=False) // 1_000_000
    local = to_local(secs)
    days = local // 86_400
    if inclusive_end:
        days = np.where(local % 86_400 == 0, days - 1, days)
    text = pc.strftime(pa.array(days.astype("int64") * 86_400, pa.timestamp("s")), "%Y-%m-%d")
    return pc.if_else(pc.is_valid(col), text, pa.nulls(len(col), pa.string()))


def _column(table: str, name: str, col: pa.Array) -> pa.Array:
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    typ = col.type
    if pa.types.is_timestamp(typ):
        if name in DATE_ONLY.get(table, ()):
            c = BY_NAME[table].column(name) if name in BY_NAME[table].column_names else None
            return _local_dates(col, inclusive_end=bool(c and c.span_end))
        secs = pc.fill_null(pc.cast(col, pa.int64()), 0).to_numpy(zero_copy_only=False) // 1_000_000
        return pc.if_else(pc.is_valid(col), local_iso(secs), pa.nulls(len(col), pa.string()))
    if pa.types.is_boolean(typ):
        return pc.if_else(col, "Y", "N")
    if pa.types.is_date(typ):
        return pc.strftime(col, "%Y-%m-%d")
    return pc.cast(col, pa.string())


def export_table(t: pa.Table, table: str, path: Path) -> int:
    """Write one table export-style; returns its rows."""
    if table in IDENTITY_ONLY and "identifier" in t.column_names and "staff_id" in t.column_names:
        t = t.drop_columns(["staff_id"])
    cols = [_column(table, n, t.column(n)) for n in t.column_names]
    text = pa.Table.from_arrays(cols, names=t.column_names)
    delim = ";" if table in SEMICOLON_TABLES else ","
    with path.open("wb") as fh:
        fh.write(b"\xef\xbb\xbf" + delim.join(header(n) for n in t.column_names).encode() + b"\r\n")
        pacsv.write_csv(text, fh, pacsv.WriteOptions(include_header=False, delimiter=delim, eol="\r\n", null_string=NULL))
    return t.num_rows


def export(source: Path, out: Path) -> dict[str, int]:
    """Rewrite the Parquet force in ``source`` export-style into ``out`` (see module doc)."""
    source, out = Path(source), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    for tdef in TABLES:
        name = tdef.name
        src = source / name if (source / name).is_dir() else source / f"{name}.parquet"
        if not src.exists():
            continue
        if not tdef.ingested:
            shutil.copyfile(src, out / f"{name}.parquet")
            continue
        t = pq.read_table(src)
        rows[name] = export_table(t, name, out / f"{name}.csv")
    return rows


def generate_export(cfg: SynthConfig, out: Path, progress: Progress | None = None) -> SynthSummary:
    """Generate the force of ``cfg`` and write it export-style into ``out``."""
    from fairwitness.synth.generator import generate

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}-parquet-") as tmp:
        summary = generate(cfg.model_copy(update={"format": "parquet"}), out=Path(tmp), progress=progress)
        rows = export(Path(tmp), out)
    return summary.model_copy(update={"out": out, "rows": rows})


__all__ = ["DATE_ONLY", "IDENTITY_ONLY", "SEMICOLON_TABLES", "export", "export_table", "generate_export", "header"]
