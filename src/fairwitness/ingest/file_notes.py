"""What an ingest says of a file beyond its counts (`FileResult.note`), where its rows load as
the contract says but not as its sender may have meant.

- `missing_columns`: a required column is not in the file's header, so every row is quarantined
  (an export's own name for it, `Grade` for ``rank_grade``, that the header matching cannot know):
  the header's unmatched names and the declaration that maps one;
- `emptied`: rows with a known key load as new versions, whole, so a column the file does not
  hold is empty in them where the earlier versions held a value (a re-delivered person without
  ``hybrid_policy`` leaves the office-attendance rule's scope).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fairwitness.contract import Column, Table
from fairwitness.ingest.validate import q


def _absent(table: Table, columns: Mapping[str, str]) -> list[Column]:
    """The table's columns the files do not hold (``staff_id`` held when ``system`` and
    ``identifier`` resolve it)."""
    resolvable = table.identity_resolvable and {"system", "identifier"} <= set(columns)
    return [c for c in table.columns if c.name not in columns and not (resolvable and c.name == "staff_id")]


def emptied(con: Any, table: Table, columns: Mapping[str, str], prior: str | None, files: set[str]) -> dict[str, str]:
    """File -> what its updated rows no longer hold: a new version is the whole row, so a column
    the file lacks is empty in it; said only of columns the earlier versions held."""
    absent = [c.name for c in _absent(table, columns)]
    if not (prior and files and absent):
        return {}
    on = " AND ".join(f"p.{q(k)} = t.{q(k)}" for k in table.key)
    counts = ", ".join(f"count(p.{q(c)})" for c in absent)
    out = {}
    for display, *held in con.execute(
        f"SELECT t.__file, {counts} FROM final t JOIN ({prior}) p ON {on} WHERE t.__updated AND len(t.__errors) = 0 GROUP BY 1"
    ).fetchall():
        lost = [f"{c} ({n:,})" for c, n in zip(absent, held, strict=True) if n]
        if lost:
            out[display] = (f"rows with a known key loaded as new versions from a file without {', '.join(lost)}: "
                            "the latest versions have them empty, where the earlier held a value (a new version is "
                            "the whole row; deliver every column to keep them)")
    return out


def missing_columns(table: Table, columns: Mapping[str, str]) -> str | None:
    """What an ingest says of files whose header lacks a required column (every row is then
    quarantined): the columns missing, the header's names it did not match, and the declaration
    that maps an export's own name; None when nothing required is missing."""
    missing = [c.name for c in _absent(table, columns) if c.required]
    if not missing:
        return None
    unmatched = [c for c in columns if c not in table.column_names and c not in ("system", "identifier") and not c.startswith("_")]
    return (f"required column{'s' if len(missing) > 1 else ''} {', '.join(missing)} not in the header, so every row is "
            f"quarantined; the header's other names: {', '.join(unmatched) or 'none'}. An export's own name for a "
            f'column is declared in {table.name}.format.toml, [columns] {missing[0]} = "its header" '
            f'(or --declare {table.name}.columns.{missing[0]}="its header")')


__all__ = ["emptied", "missing_columns"]
