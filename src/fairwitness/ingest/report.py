"""What an ingest did, file by file: rows read, loaded, updated, unchanged, quarantined, skipped.

Every row read is accounted for: per file, rows read = loaded + unchanged + quarantined (+ the
rows a declaration skips). `IngestReport.problems` names, in plain sentences, each refused file
and each table that quarantined (or loaded with cells left empty) more than the share allowed;
`fairwitness ingest` exits 1 on any of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NOT_VALIDATED = "could not be validated: "
"""How a file refused because the engine failed begins; the next ingest reads it again."""


@dataclass
class FileResult:
    table: str
    file: str
    sha256: str
    read: int = 0
    loaded: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    cells: int = 0
    """Rows loaded with a cell left empty (a bad value in a column that is not required)."""
    dropped: int = 0
    """Rows the declaration skips (`SourceFormat.skip`): read, not loaded, not quarantined."""
    skipped: bool = False
    """The same file was ingested before: nothing read."""
    error: str | None = None
    """Why the whole file was refused (nothing read from it)."""
    deleted: int = 0
    """Rows of a snapshot table this export no longer holds, deleted from the current rows
    (counted on the table's first file; `fairwitness.ingest.snapshot`)."""
    note: str | None = None
    """Something the reader should know that is not an error (a snapshot that deleted nothing)."""


@dataclass
class IngestReport:
    batch_id: str | None
    files: list[FileResult] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Required tables absent from both the data set and the workspace."""

    def by_table(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for f in self.files:
            t = out.setdefault(
                f.table,
                {"read": 0, "loaded": 0, "updated": 0, "unchanged": 0, "quarantined": 0, "skipped": 0, "cells": 0,
                 "deleted": 0, "skipped_files": 0},
            )
            for k in ("read", "loaded", "updated", "unchanged", "quarantined", "cells", "deleted"):
                t[k] += getattr(f, k)
            t["skipped"] += f.dropped
            t["skipped_files"] += int(f.skipped)
        return out

    def problems(self, max_share: float = 0.01) -> list[str]:
        """Plain sentences for each refused file and each table quarantining more than ``max_share``."""
        out = [f"{f.table}: {f.file} was not read: {f.error}" for f in self.files if f.error]
        for name, t in self.by_table().items():
            if t["read"] and t["quarantined"] > max_share * t["read"]:
                out.append(
                    f"{name}: {t['quarantined']:,} of {t['read']:,} rows quarantined "
                    f"({t['quarantined'] / t['read']:.1%}), more than the {max_share:.1%} allowed; "
                    f"see `fairwitness quarantine --table {name}`"
                )
            # a value that could not be read in a column that is not required leaves its cell empty:
            # many of them are a column lost (a number format the declaration does not read)
            if t["read"] and t["cells"] > max_share * t["read"]:
                out.append(
                    f"{name}: {t['cells']:,} of {t['read']:,} rows loaded with a cell left empty "
                    f"({t['cells'] / t['read']:.1%}), more than the {max_share:.1%} allowed; "
                    f"see `fairwitness quarantine --table {name}`"
                )
        return out


__all__ = ["NOT_VALIDATED", "FileResult", "IngestReport"]
