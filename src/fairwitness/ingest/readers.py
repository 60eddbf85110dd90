"""Finding and reading a data set's files, streaming, into a DuckDB staging table.

A data set is one folder; each contract table is ``NAME.csv``, ``NAME.parquet`` or a
folder ``NAME/`` of parts. Every file becomes a DuckDB temp table ``raw`` with the
file's own columns plus ``__row`` (1-based data row number, header excluded) and
``__enc_error`` (set when a CSV row is not valid UTF-8). CSV files are read as
text; Parquet files keep their types, so typed timestamps skip text parsing.
Problems with a whole file (empty, unreadable, truncated) raise `FileLevelError`;
structurally broken CSV rows (wrong number of fields) are reported per row.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from fairwitness.contract import TABLES

_BATCH_ROWS = 100_000


class FileLevelError(ValueError):
    """The whole file cannot be read; nothing from it is loaded."""


@dataclass(frozen=True)
class InputFile:
    table: str
    path: Path
    fmt: str
    display: str
    """Path relative to the data set folder, as shown in errors."""


@dataclass
class Discovery:
    files: dict[str, list[InputFile]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    """Files that are not part of the contract (or not ingested, like ``truth``)."""


def discover(folder: Path) -> Discovery:
    """The contract files in a data set folder."""
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder")
    out = Discovery()
    ingested = {t.name for t in TABLES if t.ingested}
    claimed: set[Path] = set()
    for name in sorted(ingested):
        found: list[InputFile] = []
        for ext in ("csv", "parquet"):
            p = folder / f"{name}.{ext}"
            if p.is_file():
                found.append(InputFile(name, p, ext, p.name))
        d = folder / name
        if d.is_dir():
            for p in sorted(d.iterdir()):
                if p.suffix in (".csv", ".parquet") and p.is_file():
                    found.append(InputFile(name, p, p.suffix[1:], f"{name}/{p.name}"))
        if found:
            out.files[name] = found
            claimed.update(f.path for f in found)
            claimed.add(d)
    for p in sorted(folder.iterdir()):
        if p not in claimed and not p.name.startswith("."):
            out.ignored.append(p.name)
    return out


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class RawTable:
    columns: dict[str, str]
    """The files' own columns and their DuckDB types."""
    rows: dict[str, int]
    """Rows read per file (display name)."""
    row_errors: list[tuple[str, int, str | None, str, str | None]]
    """(file, row, column, reason, raw text) for rows that could not even be parsed."""
    file_errors: list[tuple[str, str]]
    """(file, reason) for files that could not be read at all."""


def load_raw(con: duckdb.DuckDBPyConnection, files: list[InputFile]) -> RawTable:
    """Create the view ``raw`` over every readable file of one table (none: ``columns`` empty).

    Parquet files are scanned in place; CSV files are streamed into temp tables.
    Every row carries ``__file`` (display name) and ``__row``.
    """
    out = RawTable({}, {}, [], [])
    parts: list[str] = []
    for i, f in enumerate(files):
        try:
            if f.fmt == "parquet":
                parts.append(_parquet_part(f, out))
            else:
                parts.append(_csv_part(con, f, i, out))
        except FileLevelError as e:
            out.file_errors.append((f.display, str(e)))
    if not parts:
        return out
    con.execute("CREATE OR REPLACE TEMP VIEW raw AS " + " UNION ALL BY NAME ".join(parts))
    out.columns = _columns(con)
    return out


def _parquet_part(f: InputFile, out: RawTable) -> str:
    try:
        meta = pq.ParquetFile(f.path).metadata
    except Exception as e:  # pyarrow raises several types for corrupt files
        raise FileLevelError(f"unreadable Parquet file (truncated or corrupt): {e}") from None
    out.rows[f.display] = meta.num_rows
    path = str(f.path).replace("'", "''")
    return (
        f"SELECT * EXCLUDE (file_row_number), {_lit(f.display)} AS __file, file_row_number + 1 AS __row, "
        f"NULL::VARCHAR AS __enc_error FROM read_parquet('{path}', file_row_number = true)"
    )


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = con.execute("SELECT column_name, column_type FROM (DESCRIBE raw)").fetchall()
    return {n: t for n, t in rows if n not in ("__row", "__enc_error", "__file")}


def _header(path: Path) -> list[str]:
    with path.open("rb") as fh:
        first = fh.readline()
    if not first.strip():
        raise FileLevelError("empty file: no header row")
    text = first.decode("utf-8-sig", errors="replace")
    return [h.strip() for h in next(csv.reader([text]))]


def _csv_part(con: duckdb.DuckDBPyConnection, f: InputFile, i: int, out: RawTable) -> str:
    header = _header(f.path)
    if len(set(header)) != len(header):
        raise FileLevelError("header has duplicate column names")
    name = f"raw_csv_{i}"
    broken: list[str] = []

    def on_invalid(row: pcsv.InvalidRow) -> str:
        broken.append(row.text)
        return "skip"

    schema = pa.schema([(h, pa.string()) for h in header] + [("__row", pa.int64()), ("__enc_error", pa.string())])
    reader = pcsv.open_csv(
        f.path,
        read_options=pcsv.ReadOptions(column_names=header, skip_rows=1, block_size=8 << 20),
        parse_options=pcsv.ParseOptions(invalid_row_handler=on_invalid, newlines_in_values=True),
        convert_options=pcsv.ConvertOptions(
            column_types={h: pa.binary() for h in header}, strings_can_be_null=False, quoted_strings_can_be_null=False
        ),
    )
    _materialise(con, name, f, pa.RecordBatchReader.from_batches(schema, _decoded(reader, header, broken)))
    if broken:
        # pyarrow does not number broken rows: re-read exactly (rare, slower path).
        errors: list[tuple[str, int, str | None, str, str | None]] = []
        _materialise(con, name, f, pa.RecordBatchReader.from_batches(schema, _exact(f, header, errors)))
        out.row_errors += errors
        (n,) = con.execute(f"SELECT count(*) FROM {name}").fetchall()[0]
        out.rows[f.display] = n + len(errors)
    else:
        (n,) = con.execute(f"SELECT count(*) FROM {name}").fetchall()[0]
        out.rows[f.display] = n
    return f"SELECT * FROM {name}"


def _materialise(con: duckdb.DuckDBPyConnection, name: str, f: InputFile, reader: pa.RecordBatchReader) -> None:
    con.register("raw_stream", reader)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT *, {_lit(f.display)} AS __file FROM raw_stream")
    con.unregister("raw_stream")


def _decoded(reader: pcsv.CSVStreamingReader, header: list[str], broken: list[str]) -> Iterator[pa.RecordBatch]:
    start = 1
    for batch in reader:
        if broken:
            return
        n = batch.num_rows
        cols, enc = [], [None] * n
        for i, h in enumerate(header):
            arr = batch.column(i)
            try:
                cols.append(pc.cast(arr, pa.string()))
            except pa.ArrowInvalid:
                vals = arr.to_pylist()
                fixed = []
                for j, v in enumerate(vals):
                    try:
                        fixed.append(None if v is None else v.decode("utf-8"))
                    except UnicodeDecodeError as e:
                        fixed.append(None)
                        enc[j] = (enc[j] + ", " if enc[j] else "") + f"{h}: byte 0x{v[e.start]:02x} at position {e.start}"
                cols.append(pa.array(fixed, pa.string()))
        rows = pa.array(range(start, start + n), pa.int64())
        start += n
        yield pa.RecordBatch.from_arrays([*cols, rows, pa.array(enc, pa.string())], names=[*header, "__row", "__enc_error"])


def _exact(f: InputFile, header: list[str], errors: list) -> Iterator[pa.RecordBatch]:  # noqa: ANN001
    """Rows with exact numbers via the csv module; malformed rows go to ``errors``."""
    schema = pa.schema([(h, pa.string()) for h in header] + [("__row", pa.int64()), ("__enc_error", pa.string())])
    with f.path.open("r", encoding="utf-8", errors="surrogateescape", newline="") as fh:
        rd = csv.reader(fh)
        next(rd, None)
        buf: list[list[object]] = []
        for i, rec in enumerate(rd, start=1):
            if len(rec) != len(header):
                if rec:
                    errors.append((f.display, i, None, f"row has {len(rec)} fields, the header has {len(header)}", ",".join(rec)))
                continue
            enc = [h for h, v in zip(header, rec, strict=True) if _has_surrogate(v)]
            vals: list[object] = [None if _has_surrogate(v) else v for v in rec]
            buf.append([*vals, i, ", ".join(f"{h}: invalid bytes" for h in enc) if enc else None])
            if len(buf) >= _BATCH_ROWS:
                yield _batch(buf, schema)
                buf = []
        if buf:
            yield _batch(buf, schema)


def _has_surrogate(v: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in v)


def _batch(buf: list[list[object]], schema: pa.Schema) -> pa.RecordBatch:
    cols = list(zip(*buf, strict=True))
    return pa.RecordBatch.from_arrays([pa.array(c, t.type) for c, t in zip(cols, schema, strict=True)], schema=schema)
