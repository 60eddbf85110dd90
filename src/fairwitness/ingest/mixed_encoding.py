"""Values of a UTF-8 file that are not UTF-8: read in the fallback encoding (``--encoding``), value by
value, and said in the file's note.

Exports are often stitched together: a UTF-8 file with a few rows pasted from a Windows tool
(``Zoë`` as the single cp1252 byte ``0xEB``). Reading the whole file in the fallback encoding
garbles every UTF-8 name in it (``SiobhÃ¡n``) without a word; reading only the bytes that are not
UTF-8 in the fallback keeps both, and the note names where the fallback was used so a person can
check those names. A byte the fallback cannot read either still refuses the file.
"""

from __future__ import annotations

import codecs

import pyarrow as pa

_HANDLERS: set[str] = set()
used_count: dict[str, int] = {}
"""How many byte runs each handler has read in its fallback (the exact reader's rows are
decoded a buffer at a time, so it learns only whether the fallback was used)."""


def handler(fallback: str) -> str:
    """The name of a codecs error handler that reads each byte run UTF-8 refuses in ``fallback``
    (registered once per encoding), for `bytes.decode` and `open(errors=...)`."""
    name = f"fairwitness-{codecs.lookup(fallback).name}"
    if name not in _HANDLERS:
        def _read(e: UnicodeError) -> tuple[str, int]:
            if not isinstance(e, UnicodeDecodeError):
                raise e
            text = e.object[e.start:e.end].decode(fallback)
            used_count[name] = used_count.get(name, 0) + 1
            return text, e.end

        codecs.register_error(name, _read)
        _HANDLERS.add(name)
    return name


class Undecodable(UnicodeDecodeError):
    """A byte neither UTF-8 nor the fallback reads, in value ``value`` of the array."""

    def __init__(self, e: UnicodeDecodeError, value: int) -> None:
        super().__init__(e.encoding, e.object, e.start, e.end, f"value {value}")
        self.value = value


def decode(values: pa.Array, fallback: str) -> tuple[pa.Array, list[int]]:
    """``values`` (binary) as text: UTF-8 where they are, ``fallback`` for the bytes that are not;
    with the positions of the values that needed it. Raises `Undecodable` (naming the
    first such position) for a byte neither encoding reads."""
    errors = handler(fallback)
    out: list[str | None] = []
    used: list[int] = []
    for j, v in enumerate(values.to_pylist()):
        if v is None:
            out.append(None)
            continue
        try:
            out.append(v.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                out.append(v.decode("utf-8", errors=errors))
            except UnicodeDecodeError as e:
                raise Undecodable(e, j) from None
            used.append(j)
    return pa.array(out, pa.string()), used


def note(fallback: str, rows: list[int]) -> str:
    """What the ingest says of a UTF-8 file some of whose values were read as ``fallback``
    (``rows`` empty: rows not known)."""
    if not rows:
        return (f"some rows held text that is not UTF-8, read as {fallback} as --encoding says; the rest of the file "
                "is UTF-8 and was read as such. Check the names with accented letters")
    shown = ", ".join(str(r) for r in rows[:5]) + (f" and {len(rows) - 5:,} more" if len(rows) > 5 else "")
    return (f"{len(rows):,} row{'s' if len(rows) != 1 else ''} held text that is not UTF-8 (data row{'s' if len(rows) != 1 else ''} "
            f"{shown}), read as {fallback} as --encoding says; the rest of the file is UTF-8 and was read as such. "
            "Check the names in those rows")
