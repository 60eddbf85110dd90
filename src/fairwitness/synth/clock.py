"""Time: the generated period, England's bank holidays and Europe/London local time.

Everything inside the generator is int64 seconds since the Unix epoch (UTC) or
"local seconds" (the same count read on a Europe/London wall clock). Rosters are
planned in local time and converted here, so a night shift across the autumn
change really lasts an hour longer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

DAY = 86_400
HOUR = 3_600
_EPOCH = dt.date(1970, 1, 1)


def epoch_day(d: dt.date) -> int:
    return (d - _EPOCH).days


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    return dt.date(d.year + y, m + 1, 1) if d.day == 1 else dt.date(d.year + y, m + 1, min(d.day, 28))


def _last_sunday(year: int, month: int) -> dt.date:
    last = dt.date(year, month, 31)
    return last - dt.timedelta(days=(last.weekday() + 1) % 7)


def _bst_bounds() -> tuple[np.ndarray, np.ndarray]:
    """UTC seconds of each BST start and end (01:00 UTC on the last Sundays of March and October)."""
    starts = [epoch_day(_last_sunday(y, 3)) * DAY + HOUR for y in range(1972, 2100)]
    ends = [epoch_day(_last_sunday(y, 10)) * DAY + HOUR for y in range(1972, 2100)]
    return np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)


BST_START, BST_END = _bst_bounds()
_BOUNDS = np.sort(np.concatenate([BST_START, BST_END]))


def is_bst(utc: np.ndarray) -> np.ndarray:
    return (np.searchsorted(_BOUNDS, utc, side="right") % 2) == 1


def to_utc(local: np.ndarray) -> np.ndarray:
    """Local wall-clock seconds to UTC: the repeated autumn hour reads as its first (BST)
    occurrence; a wall time inside the skipped spring hour moves forward by an hour."""
    local = np.asarray(local, dtype=np.int64)
    cand = local - HOUR
    return np.where(is_bst(cand), cand, local)


def to_local(utc: np.ndarray) -> np.ndarray:
    utc = np.asarray(utc, dtype=np.int64)
    return utc + np.where(is_bst(utc), HOUR, 0)


def local_iso(utc: np.ndarray) -> pa.Array:
    """ISO 8601 Europe/London wall time without offset, except inside the repeated autumn
    hour, which carries ``+01:00`` (first pass) or ``+00:00`` (second pass)."""
    utc = np.asarray(utc, dtype=np.int64)
    text = pc.strftime(pa.array(to_local(utc), type=pa.timestamp("s")), format="%Y-%m-%dT%H:%M:%S")
    nxt = BST_END[np.minimum(np.searchsorted(BST_END, utc, side="right"), len(BST_END) - 1)]
    prev = BST_END[np.maximum(np.searchsorted(BST_END, utc, side="right") - 1, 0)]
    first = (utc >= nxt - HOUR) & (utc < nxt)
    second = (utc >= prev) & (utc < prev + HOUR)
    if not (first.any() or second.any()):
        return text
    suffix = np.where(first, "+01:00", np.where(second, "+00:00", ""))
    return pc.binary_join_element_wise(text, pa.array(suffix), "")


def bank_holidays(year: int) -> list[dt.date]:
    """England and Wales bank holidays (standard rules with weekend substitutes)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ll = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ll) // 451
    month, day = divmod(h + ll - 7 * m + 114, 31)
    easter = dt.date(year, month, day + 1)

    def first_monday(mo: int) -> dt.date:
        first = dt.date(year, mo, 1)
        return first + dt.timedelta(days=(7 - first.weekday()) % 7)

    def last_monday(mo: int) -> dt.date:
        last = dt.date(year, mo, 31)
        return last - dt.timedelta(days=last.weekday())

    new_year = dt.date(year, 1, 1)
    new_year += dt.timedelta(days={5: 2, 6: 1}.get(new_year.weekday(), 0))
    xmas, boxing = dt.date(year, 12, 25), dt.date(year, 12, 26)
    if xmas.weekday() == 5:
        xmas, boxing = dt.date(year, 12, 27), dt.date(year, 12, 28)
    elif xmas.weekday() == 6:
        xmas, boxing = dt.date(year, 12, 27), dt.date(year, 12, 26)
    elif boxing.weekday() == 5:
        boxing = dt.date(year, 12, 28)
    return sorted(
        [new_year, easter - dt.timedelta(days=2), easter + dt.timedelta(days=1), first_monday(5),
         last_monday(5), last_monday(8), xmas, boxing]
    )


@dataclass(frozen=True)
class Period:
    """The generated days: index 0 is ``start``; months split it for streaming."""

    start: dt.date
    months: int

    @cached_property
    def end(self) -> dt.date:
        """First day after the period."""
        return add_months(self.start, self.months)

    @cached_property
    def days(self) -> int:
        return (self.end - self.start).days

    @cached_property
    def first(self) -> int:
        return epoch_day(self.start)

    @cached_property
    def month_bounds(self) -> list[tuple[int, int]]:
        edges = [(add_months(self.start, m) - self.start).days for m in range(self.months + 1)]
        return list(zip(edges[:-1], edges[1:], strict=True))

    @cached_property
    def weekday(self) -> np.ndarray:
        """Monday = 0, for each day index."""
        return ((np.arange(self.days) + self.first + 3) % 7).astype(np.int8)

    @cached_property
    def bank_holiday(self) -> np.ndarray:
        out = np.zeros(self.days, dtype=bool)
        for y in range(self.start.year, self.end.year + 1):
            for h in bank_holidays(y):
                i = (h - self.start).days
                if 0 <= i < self.days:
                    out[i] = True
        return out

    @cached_property
    def month_of_day(self) -> np.ndarray:
        out = np.zeros(self.days, dtype=np.int16)
        for m, (a, b) in enumerate(self.month_bounds):
            out[a:b] = m
        return out

    @property
    def start_utc(self) -> int:
        return int(to_utc(np.array([self.first * DAY]))[0])

    @property
    def end_utc(self) -> int:
        return int(to_utc(np.array([(self.first + self.days) * DAY]))[0])

    def midnight_local(self, day: np.ndarray) -> np.ndarray:
        """Local seconds of the midnight starting each day index (may be negative or past the end)."""
        return (np.asarray(day, dtype=np.int64) + self.first) * DAY

    def at(self, day: np.ndarray, minute: np.ndarray) -> np.ndarray:
        """UTC seconds of a local wall time: ``minute`` minutes after the local midnight of ``day``."""
        return to_utc(self.midnight_local(day) + np.asarray(minute, dtype=np.int64) * 60)

    def day_of(self, utc: np.ndarray) -> np.ndarray:
        """Day index of the local date of each UTC instant."""
        return (to_local(utc) // DAY - self.first).astype(np.int32)
