"""The quarantine as a reader sees it: where, what value, and why.

Rows and cells that did not load are kept in the catalogue's ``quarantine`` table with
the raw row as JSON; a file read again (corrected in place, or once what its rows referred to
was loaded) supersedes its earlier reading's entries, which are kept as history. `entries` adds the offending value, truncated, except for columns
the contract marks personal (`Column.personal`), which show ``(personal)``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from fairwitness.contract import BY_NAME
from fairwitness.workspace import CURRENT_QUARANTINE, Workspace

VALUE_WIDTH = 40
PERSONAL = "(personal)"


@dataclass(frozen=True)
class Entry:
    table: str
    file: str
    row: int | None
    column: str | None
    value: str
    reason: str


def shown_value(table: str, column: str | None, raw: str | None, width: int = VALUE_WIDTH) -> str:
    """The value of ``column`` in the raw row JSON, truncated; never a personal one."""
    if not column or not raw:
        return ""
    t = BY_NAME.get(table)
    if t is not None and column in t.column_names and t.column(column).personal:
        return PERSONAL
    try:
        value = json.loads(raw).get(column)
    except (ValueError, AttributeError):
        return ""
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def entries(workspace: Workspace, *, table: str | None = None, limit: int = 50, history: bool = False) -> list[Entry]:
    """Quarantine entries in table, file, row order: those of each file as last read
    (`fairwitness.workspace.CURRENT_QUARANTINE`), or with ``history`` every reading's."""
    source = "quarantine" if history else CURRENT_QUARANTINE
    with workspace.catalog() as con:
        rows = con.execute(
            f'SELECT table_name, file, "row", "column", reason, raw FROM {source} q '
            'WHERE ? IS NULL OR table_name = ? ORDER BY table_name, file, "row" NULLS FIRST, "column" LIMIT ?',
            [table, table, limit],
        ).fetchall()
    return [Entry(t, f, r, c, shown_value(t, c, raw), reason) for t, f, r, c, reason, raw in rows]
