"""A person's working time around a flagged period, read from the lake for the case page's chart.

Rostered duty (``shifts``), overtime claimed (``overtime_claims``), absence
(``absences``: the type only, never the reason) and presence (``badge_events`` at
sites) from ``margin`` days before the flagged period to ``margin`` days after it.
Device events are not read: device location outside duty is never used.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel

MARGIN_DAYS = 14
MAX_ITEMS = 2000

_QUERIES: dict[str, str] = {
    "shifts": 'SELECT \'rostered duty\', "start", "end", duty_type FROM shifts',
    "overtime_claims": 'SELECT \'overtime\', "start", "end", status FROM overtime_claims',
    "absences": 'SELECT \'absence\', "start", "end", "type" FROM absences',
    "badge_events": "SELECT 'presence', ts, ts, direction FROM badge_events",
}
_TIME = {"shifts": '"start"', "overtime_claims": '"start"', "absences": '"end"', "badge_events": "ts"}


class TimelineItem(BaseModel):
    lane: str
    """rostered duty, overtime, absence or presence."""
    start: dt.datetime
    end: dt.datetime
    kind: str
    """Duty type, claim status, absence type, or badge direction."""


class Timeline(BaseModel):
    window_start: dt.date
    window_end: dt.date
    period_start: dt.date
    period_end: dt.date
    items: list[TimelineItem]
    sources: list[str]
    """The lake tables that were available and read."""


def read_timeline(
    workspace: str | Path, *, staff_id: str, period_start: dt.date, period_end: dt.date, margin_days: int = MARGIN_DAYS
) -> Timeline:
    """The person's duty, overtime, absence and presence from ``margin_days`` before to after the period."""
    from fairwitness.workspace import Workspace

    lo = period_start - dt.timedelta(days=margin_days)
    hi = period_end + dt.timedelta(days=margin_days)
    ws = Workspace(workspace)
    items: list[TimelineItem] = []
    read: list[str] = []
    if ws.exists():
        loaded = set(ws.loaded_tables())
        con = ws.connect()
        try:
            for table, sql in _QUERIES.items():
                if table not in loaded:
                    continue
                read.append(table)
                upper = '"start"' if table == "absences" else _TIME[table]
                rows = con.execute(
                    f"{sql} WHERE staff_id = ? AND {_TIME[table]} >= ? AND {upper} < ? ORDER BY 2 LIMIT {MAX_ITEMS}",
                    [staff_id, dt.datetime.combine(lo, dt.time()), dt.datetime.combine(hi + dt.timedelta(days=1), dt.time())],
                ).fetchall()
                items += [
                    TimelineItem(lane=lane, start=max(s, dt.datetime.combine(lo, dt.time())),
                                 end=min(e, dt.datetime.combine(hi + dt.timedelta(days=1), dt.time())), kind=str(k or ""))
                    for lane, s, e, k in rows
                    if s is not None and e is not None
                ]  # fmt: skip
        finally:
            con.close()
    return Timeline(window_start=lo, window_end=hi, period_start=period_start, period_end=period_end, items=items, sources=read)
