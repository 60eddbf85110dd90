"""Finding a data set's files: which file holds which contract table.

A data set is one folder. Each contract table is ``NAME.csv`` (``.tsv``: tabs), ``NAME.parquet``,
files named ``NAME`` and a part (``Absences_2025-01.CSV``, ``Badge Events - September.csv``:
`table_of`), or a folder ``NAME/`` of parts, optionally with a format declaration beside it
(`fairwitness.ingest.formats`); names and suffixes in any case, the name's words joined by ``_``,
``-``, a space, a dot or nothing. Anything else is listed as ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from fairwitness.contract import TABLES


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


DATA_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".parquet": "parquet"}
"""A data file's suffix (in any case) -> how it is read (a `.tsv` is a CSV file with tabs)."""
_PART_SEPARATORS = "_- ."


def _name_pattern(name: str) -> re.Pattern[str]:
    """A table's name as a file or folder may spell it: its words in any case, joined by
    ``_``, ``-``, a space, a dot or nothing (`badge_events`, `Badge Events`, `BadgeEvents`)."""
    sep = "[" + re.escape(_PART_SEPARATORS) + "]*"
    return re.compile(sep.join(re.escape(w) for w in name.split("_")), re.IGNORECASE)


def table_of(stem: str, names: set[str]) -> str | None:
    """The table a file belongs to by its name: the name itself (`Absences`, `Badge Events`), or
    the name and a part after a separator (`absences_2025-01`, `Badge Events - September`); the
    longest table name that fits (`people_protected_2025` is people_protected, not people). Case
    and the separators between the name's words are ignored."""
    fits = []
    for n in names:
        m = _name_pattern(n).match(stem)
        if m and (m.end() == len(stem) or stem[m.end()] in _PART_SEPARATORS):
            fits.append(n)
    return max(fits, key=len) if fits else None


def declared_table(name: str, names: set[str]) -> str | None:
    """The table a format declaration file is of, by its name: ``NAME.format.toml`` or
    ``.format.json``, the name spelt as a data file's may be (`Units.format.toml`, `Badge
    Events.format.toml`), the suffixes in any case; None for any other file."""
    low = name.casefold()
    for ext in (".format.toml", ".format.json"):
        if low.endswith(ext):
            stem = name[: -len(ext)]
            fits = [n for n in names if _name_pattern(n).fullmatch(stem)]
            return max(fits, key=len) if fits else None
    return None


def folder_of(name: str, names: set[str]) -> str | None:
    """The table a folder of parts holds: its name is the table's (`badge_events/`, `Badge Events/`)."""
    fits = [n for n in names if _name_pattern(n).fullmatch(name)]
    return max(fits, key=len) if fits else None


def discover(folder: Path) -> Discovery:
    """The contract files in a data set folder: for each table, ``NAME.csv`` / ``.tsv`` /
    ``.parquet``, files named ``NAME`` and a part (``NAME_2025-01.csv``: `table_of`), and the
    data files of a folder ``NAME/``; names and suffixes in any case. Anything else is listed
    as ignored."""
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder")
    out = Discovery()
    names = {t.name for t in TABLES if t.ingested}
    found: dict[str, list[InputFile]] = {}
    for p in sorted(folder.iterdir()):
        if p.name.startswith("."):
            continue
        if p.is_dir() and (name := folder_of(p.name, names)):
            for part in sorted(p.iterdir()):
                kind = DATA_SUFFIXES.get(part.suffix.casefold())
                if kind and part.is_file() and not part.name.startswith("."):
                    found.setdefault(name, []).append(InputFile(name, part, kind, f"{p.name}/{part.name}"))
            continue
        kind = DATA_SUFFIXES.get(p.suffix.casefold())
        name = table_of(p.stem, names) if kind and p.is_file() else None
        if name is None:
            if declared_table(p.name, names) is None:  # `declaration.declaration_files`
                out.ignored.append(p.name)
            continue
        found.setdefault(name, []).append(InputFile(name, p, kind, p.name))
    out.files = {n: found[n] for n in sorted(found)}
    return out


__all__ = ["DATA_SUFFIXES", "Discovery", "InputFile", "declared_table", "discover", "folder_of", "table_of"]
