"""Reading a structurally broken CSV file row by row (`fairwitness.ingest.readers` streams the
rest): exact row numbers from the csv module, each malformed row kept with its reason; and the
test both readers share for an unclosed quote that swallowed whole rows."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator

import pyarrow as pa

from fairwitness.ingest import mixed_encoding
from fairwitness.ingest.dialect import Dialect
from fairwitness.ingest.discovery import InputFile

_BATCH_ROWS = 100_000


def swallows_rows(value: str, delimiter: str, columns: int) -> bool:
    """Whether a field spanning lines holds what looks like whole rows of the file: an unclosed
    quote that a later quote happened to close, so the record has the right number of fields.

    A line after the first carrying a row's worth of delimiters (``columns - 1`` fields or more)
    is taken as a swallowed row; ordinary multi-line text (notes, addresses) rarely does."""
    if columns < 3 or ("\n" not in value and "\r" not in value):
        return False
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return any(line.count(delimiter) >= columns - 2 for line in lines[1:])


def exact_rows(f: InputFile, d: Dialect, errors: list, read: list[int], fallback: str | None = None,  # noqa: ANN001
           fell_back: set[int] | None = None) -> Iterator[pa.RecordBatch]:
    """Rows with exact numbers via the csv module; malformed rows go to ``errors``.

    Row numbers count records; a record that breaks the structure and spans several lines
    (an unclosed quote swallowing what follows) counts each line it swallowed as one row,
    so every line of the file is accounted for."""
    header = d.names
    schema = pa.schema([(h, pa.string()) for h in header] + [("__row", pa.int64()), ("__enc_error", pa.string())])
    limit = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        decoding = "strict" if fallback is None else mixed_encoding.handler(fallback)
        before = mixed_encoding.used_count.get(decoding, 0)
        with f.path.open("r", encoding=d.encoding, errors=decoding, newline="") as fh:
            if d.bom and d.encoding == "utf-8":
                if fh.read(1) != "\ufeff":
                    fh.seek(0)
            rd = csv.reader(fh, delimiter=d.delimiter)
            next(rd, None)
            buf: list[list[object]] = []
            row = 0
            line = rd.line_num
            for rec in rd:
                lines = rd.line_num - line
                line = rd.line_num
                row += 1
                # the right count by chance, with whole rows inside a field: the swallowed range below
                swallowed = len(rec) == len(header) and lines > 1 and any(
                    swallows_rows(v, d.delimiter, len(header)) for v in rec
                )
                if swallowed or len(rec) != len(header):
                    if not rec:
                        row -= 1
                        continue
                    text = d.delimiter.join(rec)
                    if lines > 1 and text.count("\n") >= 1:
                        last = row + lines - 1
                        reason = (f"unclosed quote: the quoted field starting in row {row} swallowed rows {row}-{last} "
                                  f"({lines} lines); close the quote (a quote inside a quoted field is written twice)")
                        for k, part in enumerate(_lines(text, lines)):
                            errors.append((f.display, row + k, None, reason, part[:2000]))
                        row = last
                        continue
                    errors.append((f.display, row, None, f"row has {len(rec)} fields, the header has {len(header)}",
                                   text[:2000]))
                    continue
                buf.append([*rec, row, None])
                if len(buf) >= _BATCH_ROWS:
                    yield _batch(buf, schema)
                    buf = []
            read[0] = row
            if buf:
                yield _batch(buf, schema)
            if fell_back is not None and mixed_encoding.used_count.get(decoding, 0) > before:
                fell_back.add(0)
    finally:
        csv.field_size_limit(limit)


def _lines(text: str, n: int) -> list[str]:
    parts = text.split("\n")
    if len(parts) < n:
        parts += [""] * (n - len(parts))
    return parts[: n - 1] + ["\n".join(parts[n - 1 :])]


def _batch(buf: list[list[object]], schema: pa.Schema) -> pa.RecordBatch:
    cols = list(zip(*buf, strict=True))
    return pa.RecordBatch.from_arrays([pa.array(c, t.type) for c, t in zip(cols, schema, strict=True)], schema=schema)
