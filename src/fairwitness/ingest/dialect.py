"""A CSV file's dialect: its encoding, delimiter and header, and the header's contract names.

* **Encoding**: a byte-order mark decides (UTF-8, UTF-16 LE/BE); without one the file is
  read as the declared encoding (``--encoding`` or the source's declaration), else UTF-8.
  A file that is not valid in that encoding is refused as a whole, with a reason naming
  ``--encoding`` (Excel on a UK Windows PC writes ``cp1252``).
* **Delimiter**: declared, or detected from the header line among comma, semicolon, tab and
  pipe: the one whose split names the most of the table's columns.
* **Header**: names are matched to contract columns ignoring case, surrounding whitespace
  (tabs and non-breaking spaces too) and the separators and punctuation between words (`Staff ID`,
  `StaffId`, `staff-id` are `staff_id`; `Rank/Grade` and `rank.grade` are `rank_grade`: no two
  contract columns of a table differ by those alone), after
  the declaration's column mapping. Two columns matching one name is a file-level error; so is
  a header naming none of the table's columns.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass
from pathlib import Path

from fairwitness.contract import Table
from fairwitness.ingest.formats import TRIM_CHARS, SourceFormat

SNIFF_BYTES = 1 << 16
CANDIDATES = (",", ";", "\t", "|")
_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


class FileLevelError(ValueError):
    """The whole file cannot be read; nothing from it is loaded."""


@dataclass(frozen=True)
class Dialect:
    encoding: str
    """A Python codec name (``utf-8``, ``utf-16``, ``cp1252`` …)."""
    delimiter: str
    header: list[str]
    """The file's own header names, trimmed."""
    names: list[str]
    """The name each column is read as: its contract name, or the trimmed header."""
    bom: bool


_SEPARATORS = re.compile(r"(?:[^\w,;|]|_)+")
"""Whatever is not a letter or a digit: blanks, ``_``, ``-``, and the ``/``, ``.`` or brackets
an export writes between words (``Rank/Grade``, ``rank.grade``, ``Duration (s)``); but for the
delimiters a header is split on (comma, semicolon, pipe), so a wrong split names no column."""


def normal(name: str) -> str:
    """A header name as it is matched: without case, surrounding blanks, word separators or punctuation."""
    return _SEPARATORS.sub("", name.strip(TRIM_CHARS).casefold())


def match_header(header: list[str], table: Table, declared: dict[str, list[str]] | None = None) -> list[str]:
    """Contract names for a file's header (``declared``: contract column -> the header names
    declared for it, `SourceFormat.header_names`); raises `FileLevelError` on an ambiguous header."""
    wanted: dict[str, str] = {normal(c): c for c in table.column_names}
    for col, sources in (declared or {}).items():
        if col not in table.column_names and col not in ("system", "identifier"):
            raise FileLevelError(f"format declaration maps unknown column {col!r} of {table.name}")
        wanted = {k: v for k, v in wanted.items() if v != col}
        wanted |= {normal(src): col for src in sources}
    if table.identity_resolvable:
        wanted.setdefault("system", "system")
        wanted.setdefault("identifier", "identifier")
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        target = wanted.get(normal(h), h.strip(TRIM_CHARS))
        if not target:
            target = f"column_{i + 1}"
        if target in seen:
            j = seen[target]
            raise FileLevelError(
                f"ambiguous header: columns {j + 1} ({header[j]!r}) and {i + 1} ({h!r}) both match {target!r}; "
                "rename or remove one"
            )
        seen[target] = i
        names.append(target)
    return names


def detect_encoding(head: bytes, declared: str | None) -> tuple[str, bool]:
    """(codec, has BOM) from the first bytes of a file."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", True
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", True
    return (declared or "utf-8"), False


def sniff(path: Path, table: Table, fmt: SourceFormat) -> Dialect:
    """The dialect of one CSV file (see module doc)."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head.strip():
        raise FileLevelError("empty file: no header row")
    encoding, bom = detect_encoding(head, fmt.encoding)
    if encoding != "utf-16" and b"\x00" in head:
        raise FileLevelError(
            "not a CSV text file (it contains NUL bytes: binary data, or UTF-16 without a byte-order mark); "
            "export it as CSV (UTF-8)"
        )
    text = head.decode(encoding, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    first = text.splitlines()[0] if text.splitlines() else ""
    if "\ufffd" in first and encoding.replace("-", "").lower() in ("utf8", "utf8sig"):
        raise FileLevelError(
            "not valid UTF-8 text (the header); if the file was saved by Excel on Windows, run ingest with "
            "--encoding cp1252 (or declare encoding in the source's format declaration)"
        )
    known = {normal(c) for c in table.column_names} | {normal(v) for vs in fmt.header_names().values() for v in vs}
    if fmt.delimiter:
        delimiter = fmt.delimiter
        header = _split(first, delimiter)
    else:
        best: tuple[int, int, str] | None = None
        for d in CANDIDATES:
            fields = _split(first, d)
            score = (sum(normal(f) in known for f in fields), len(fields), d)
            if best is None or score[:2] > best[:2]:
                best = score
        assert best is not None
        delimiter = best[2]
        header = _split(first, delimiter)
    header = [h.strip(TRIM_CHARS) for h in header]
    if not any(normal(h) in known for h in header):
        shown = ", ".join(repr(h) for h in header[:6]) + (" …" if len(header) > 6 else "")
        raise FileLevelError(
            f"the header ({shown}) names none of the {table.name} columns ({', '.join(table.column_names[:4])} …); "
            f"check the delimiter (read as {_NAMES.get(delimiter, repr(delimiter))}; --delimiter) "
            "and that the file belongs to this table"
        )
    names = match_header(header, table, fmt.header_names())
    return Dialect(encoding=encoding, delimiter=delimiter, header=header, names=names, bom=bom)


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return line.split(delimiter)
