"""Reading a data set's files (found by `fairwitness.ingest.discovery`), streaming, into a DuckDB
staging table.

Every file becomes part of a DuckDB view ``raw`` with
its columns under their contract names (`fairwitness.ingest.dialect`) plus ``__row``
(1-based data row number, header excluded) and ``__enc_error``. CSV files are read as
text in their own encoding and delimiter; Parquet files keep their types, so typed
timestamps and dates skip text parsing.

Nothing read goes uncounted: a whole-file problem (empty, binary, wrong encoding,
ambiguous header, unreadable Parquet) raises `FileLevelError` and the file is one quarantine
entry (corrupt Parquet data pages are found when the table is validated: `page_error`); a structurally broken CSV row (wrong number of fields) is
one row error; an unclosed quote is reported for every row it swallowed, with the range.
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

from fairwitness.contract import Table
from fairwitness.ingest import mixed_encoding
from fairwitness.ingest.dialect import Dialect, FileLevelError, match_header, normal, sniff
from fairwitness.ingest.discovery import InputFile
from fairwitness.ingest.exact_rows import exact_rows, swallows_rows
from fairwitness.ingest.formats import SourceFormat

__all__ = ["FileLevelError", "RawTable", "load_raw", "page_error", "sha256_file"]


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
    skipped: dict[str, int] = field(default_factory=dict)
    """Rows per file the declaration skips (`SourceFormat.skip`): read, not loaded."""
    notes: dict[str, str] = field(default_factory=dict)
    """What the reading says of a file (values read in the fallback encoding: `mixed_encoding`)."""


def load_raw(con: duckdb.DuckDBPyConnection, files: list[InputFile], table: Table,
             fmt: SourceFormat | None = None) -> RawTable:
    """Create the view ``raw`` over every readable file of one table (none: ``columns`` empty).

    Parquet files are scanned in place; CSV files are streamed into temp tables.
    Every row carries ``__file`` (display name, an ENUM: `file_names`) and ``__row``.
    """
    fmt = fmt or SourceFormat()
    out = RawTable({}, {}, [], [])
    parts: list[str] = []
    file_type = file_names(files)
    for i, f in enumerate(files):
        try:
            if f.fmt == "parquet":
                parts.append(_parquet_part(f, out, table, fmt, file_type))
            else:
                parts.append(_csv_part(con, f, i, out, table, fmt, file_type))
        except FileLevelError as e:
            out.rows.pop(f.display, None)
            out.row_errors = [r for r in out.row_errors if r[0] != f.display]
            con.execute(f"DROP TABLE IF EXISTS raw_csv_{i}")
            out.file_errors.append((f.display, str(e)))
    if not parts:
        return out
    if fmt.fill:
        parts = [_filled(con, part, fmt.fill) for part in parts]
    con.execute("CREATE OR REPLACE TEMP VIEW raw AS " + " UNION ALL BY NAME ".join(parts))
    out.columns = _columns(con)
    held = {normal(x) for x in out.columns}
    unknown = [c for c in fmt.skip if normal(c) not in held]
    if unknown:  # a declaration naming no column the files hold would skip nothing, silently
        shown = ", ".join(c for c in out.columns if not c.startswith("__"))
        reason = f"format declaration: skip.{unknown[0]}: not a column of the files (they hold: {shown})"
        out.file_errors += [(display, reason) for display in out.rows]
        out.rows, out.row_errors, out.columns = {}, [], {}
        return out
    if fmt.skip and (cond := _skip_sql(fmt.skip, out.columns)):
        out.skipped = dict(con.execute(f"SELECT __file, count(*) FROM raw WHERE {cond} GROUP BY 1").fetchall())
        con.execute("CREATE OR REPLACE TEMP VIEW raw_read AS " + " UNION ALL BY NAME ".join(parts))
        con.execute(f"CREATE OR REPLACE TEMP VIEW raw AS SELECT * FROM raw_read WHERE NOT ({cond})")
    return out


def _skip_sql(skip: dict[str, list[str]], columns: dict[str, str]) -> str:
    """The condition of a row the declaration skips (its column's text, trimmed, in any case).
    A column is a contract column or one of the export's own, named as its header is matched
    (TeleStaff's ``Working?`` as ``working``: `dialect.normal`)."""
    from fairwitness.ingest.validate import lit, q  # validate imports this module

    named = {normal(c): c for c in columns}
    parts = [
        f"coalesce(lower(trim(CAST({q(named[normal(c)])} AS VARCHAR))) IN ({', '.join(lit(str(w).strip().lower()) for w in words)}), FALSE)"
        for c, words in skip.items() if normal(c) in named
    ]
    return " OR ".join(parts)


def _filled(con: duckdb.DuckDBPyConnection, part: str, fill: dict[str, str]) -> str:
    """A file's part with the declared value (`SourceFormat.fill`) of each column it does not hold."""
    have = {r[0] for r in con.execute(f"DESCRIBE {part}").fetchall()}
    extra = ", ".join(f"{_lit(str(v))} AS {_q(c)}" for c, v in fill.items() if c not in have)
    return f"SELECT *, {extra} FROM ({part})" if extra else part


def file_names(files: list[InputFile]) -> str:
    """The SQL type of ``__file``: an ENUM of the files' display names, in their sorted order
    (so it sorts as the names do). Every row carries its file, and as text a path of some thirty
    bytes took more memory than most of the row's values (44.5 M rows: about 2 GB of the typed
    table); an ENUM value is one to four bytes and reads as its name."""
    return "ENUM(" + ", ".join(_lit(n) for n in sorted({f.display for f in files})) + ")"


def _parquet_part(f: InputFile, out: RawTable, table: Table, fmt: SourceFormat, file_type: str) -> str:
    try:
        with pq.ParquetFile(f.path) as pf:
            meta = pf.metadata
            names = pf.schema_arrow.names
    except Exception as e:  # noqa: BLE001 - pyarrow raises several types for corrupt files
        raise FileLevelError(f"unreadable Parquet file (truncated or corrupt): {_short(e)}") from None
    contract = match_header(names, table, fmt.header_names())
    out.rows[f.display] = meta.num_rows
    path = str(f.path).replace("'", "''")
    cols = ", ".join(f"{_q(n)} AS {_q(c)}" for n, c in zip(names, contract, strict=True))
    return (
        f"SELECT {cols}, CAST({_lit(f.display)} AS {file_type}) AS __file, file_row_number + 1 AS __row, "
        f"NULL::VARCHAR AS __enc_error FROM read_parquet('{path}', file_row_number = true)"
    )


def page_error(f: InputFile) -> str | None:
    """Why a Parquet file's data pages cannot be decoded (None: every page decodes).

    Pages are decoded once, by DuckDB, when the table is validated; only when that fails is
    each file decoded here, so that a corrupt file is refused and its table's other files load."""
    try:
        pf = pq.ParquetFile(f.path)
        try:
            for _ in pf.iter_batches(batch_size=1 << 16):
                pass
        finally:
            pf.close()
    except Exception as e:  # noqa: BLE001 - pyarrow raises several types for corrupt files
        return f"unreadable Parquet file (corrupt data pages): {_short(e)}"
    return None


def _short(e: BaseException) -> str:
    msg = " ".join(str(e).split())
    return msg[:300] + ("…" if len(msg) > 300 else "")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = con.execute("SELECT column_name, column_type FROM (DESCRIBE raw)").fetchall()
    return {n: t for n, t in rows if n not in ("__row", "__enc_error", "__file")}


def _csv_part(con: duckdb.DuckDBPyConnection, f: InputFile, i: int, out: RawTable, table: Table,
              fmt: SourceFormat, file_type: str) -> str:
    try:
        name = _csv_read(con, f, i, out, table, fmt)
    except FileLevelError as e:
        if not (fmt.fallback_encoding and not fmt.encoding and e.args and str(e.args[0]).startswith(_NOT_VALID)):
            raise
        name = _csv_read(con, f, i, out, table, fmt.merged(encoding=fmt.fallback_encoding))
    return f"SELECT *, CAST({_lit(f.display)} AS {file_type}) AS __file FROM {name}"


_NOT_VALID = "not valid UTF-8"


def _csv_read(con: duckdb.DuckDBPyConnection, f: InputFile, i: int, out: RawTable, table: Table,
              fmt: SourceFormat) -> str:
    d = sniff(f.path, table, fmt)
    name = f"raw_csv_{i}"
    names = d.names
    broken: list[str] = []
    bad_bytes: list[str] = []
    # UTF-8 with --encoding given: values that are not UTF-8 are read in it, the rest stays UTF-8
    fallback = fmt.fallback_encoding if d.encoding == "utf-8" and not fmt.encoding and fmt.fallback_encoding else None
    fell_back: set[int] = set()

    def on_invalid(row: pcsv.InvalidRow) -> str:
        broken.append(row.text or "")
        return "skip"

    schema = pa.schema([(h, pa.string()) for h in names] + [("__row", pa.int64()), ("__enc_error", pa.string())])
    try:
        reader = pcsv.open_csv(
            f.path,
            read_options=pcsv.ReadOptions(
                column_names=names, skip_rows=1, block_size=8 << 20,
                encoding="utf8" if d.encoding == "utf-8" else d.encoding,
            ),
            parse_options=pcsv.ParseOptions(delimiter=d.delimiter, invalid_row_handler=on_invalid, newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                column_types={h: pa.binary() for h in names}, strings_can_be_null=False, quoted_strings_can_be_null=False
            ),
        )
        _materialise(con, name, f, pa.RecordBatchReader.from_batches(schema, _decoded(reader, names, broken, bad_bytes, d.delimiter, fallback, fell_back)))
    except (pa.ArrowException, UnicodeError, duckdb.Error) as e:
        if bad_bytes or isinstance(e, UnicodeError):
            raise FileLevelError(_encoding_reason(d, bad_bytes or [str(e)])) from None
        broken.append(str(e))
    if bad_bytes:
        raise FileLevelError(_encoding_reason(d, bad_bytes))
    if broken:
        # pyarrow does not number broken rows: re-read exactly (rare, slower path).
        errors: list[tuple[str, int, str | None, str, str | None]] = []
        read = [0]
        try:
            fell_back.clear()
            _materialise(con, name, f, pa.RecordBatchReader.from_batches(schema, exact_rows(f, d, errors, read, fallback, fell_back)))
        except (UnicodeError, duckdb.Error, pa.ArrowException, csv.Error) as e:
            if "codec" in str(e) or isinstance(e, UnicodeError):
                raise FileLevelError(_encoding_reason(d, [_short(e)])) from None
            raise FileLevelError(f"unreadable CSV file: {_short(e)}") from None
        out.row_errors += errors
        out.rows[f.display] = read[0]
    else:
        (n,) = con.execute(f"SELECT count(*) FROM {name}").fetchall()[0]
        out.rows[f.display] = n
    if fell_back and fallback:
        out.notes[f.display] = mixed_encoding.note(fallback, sorted(fell_back - {0}))
    return name


def _encoding_reason(d: Dialect, where: list[str]) -> str:
    return (
        f"not valid {d.encoding.upper()} text ({where[0]}); if the file was saved by Excel on Windows, "
        "run ingest with --encoding cp1252 (or declare encoding = \"cp1252\" in the table's format declaration)"
    )


def _materialise(con: duckdb.DuckDBPyConnection, name: str, f: InputFile, reader: pa.RecordBatchReader) -> None:
    con.register("raw_stream", reader)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM raw_stream")
    finally:
        con.unregister("raw_stream")


def _decoded(reader: pcsv.CSVStreamingReader, header: list[str], broken: list[str],
             bad_bytes: list[str], delimiter: str, fallback: str | None = None,
             fell_back: set[int] | None = None) -> Iterator[pa.RecordBatch]:
    """The file's batches as text; with ``fallback``, values that are not UTF-8 are read in it
    (`mixed_encoding`) and their rows added to ``fell_back``."""
    start = 1
    for batch in reader:
        if broken or bad_bytes:
            return
        n = batch.num_rows
        cols = []
        for i, h in enumerate(header):
            arr = batch.column(i)
            try:
                text = pc.cast(arr, pa.string())
            except pa.ArrowInvalid:
                if fallback is None:
                    bad_bytes.append(_first_bad(arr, start, h))
                    return
                try:
                    text, used = mixed_encoding.decode(arr, fallback)
                except mixed_encoding.Undecodable as e:
                    bad_bytes.append(f"data row {start + e.value}, column {h}: byte 0x{e.object[e.start]:02x}")
                    return
                if fell_back is not None:
                    fell_back.update(start + j for j in used)
            cols.append(text)
            if _line_break_in(text) and any(
                swallows_rows(v, delimiter, len(header))
                for v in pc.filter(text, pc.match_substring_regex(text, "[\r\n]")).to_pylist()
            ):
                broken.append(f"a field in column {h} holds whole rows (an unclosed quote)")
                return
        rows = pa.array(range(start, start + n), pa.int64())
        start += n
        yield pa.RecordBatch.from_arrays([*cols, rows, pa.nulls(n, pa.string())], names=[*header, "__row", "__enc_error"])


def _first_bad(arr: pa.Array, start: int, column: str) -> str:
    for j, v in enumerate(arr.to_pylist()):
        try:
            v is None or v.decode("utf-8")
        except UnicodeDecodeError as e:
            return f"data row {start + j}, column {column}: byte 0x{v[e.start]:02x}"
    return f"data rows from {start}, column {column}"


def _line_break_in(text: pa.Array) -> bool:
    """Whether a value of ``text`` holds a line break: its bytes searched first (at memory speed),
    the values only when they hold one (a regular expression over every value of every column
    was 0.84 s of the 2 s reading system_access at 10,000 x 3)."""
    data = text.buffers()[2]
    if data is None or (b"\n" not in (raw := data.to_pybytes()) and b"\r" not in raw):
        return False
    return bool(pc.any(pc.match_substring_regex(text, "[\r\n]")).as_py())
