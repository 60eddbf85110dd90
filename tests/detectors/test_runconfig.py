"""The default period of a run (`runconfig.data_period`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fairwitness.detectors.runconfig import RunError, data_period


class Lake:
    """A workspace's two calls `data_period` makes, over Parquet files of one timestamp column."""

    def __init__(self, root: Path, tables: dict[str, tuple[str, list[dt.datetime]]], stats: bool = True) -> None:
        self.files: dict[str, list[Path]] = {}
        for name, (col, times) in tables.items():
            path = root / f"{name}.parquet"
            pq.write_table(pa.table({col: pa.array(times, pa.timestamp("us"))}), path, write_statistics=stats)
            self.files[name] = [path]

    def loaded_tables(self) -> list[str]:
        return list(self.files)

    def table_files(self, name: str) -> list[Path]:
        return self.files.get(name, [])


def every(first: dt.date, last: dt.date, per_day: int, hour: int = 8) -> list[dt.datetime]:
    days = (last - first).days + 1
    return [dt.datetime.combine(first + dt.timedelta(days=d), dt.time(hour, i % 60)) for d in range(days) for i in range(per_day)]


ROSTER = ("start", every(dt.date(2023, 9, 18), dt.date(2024, 3, 3), 40))


@pytest.mark.parametrize("stats", [True, False], ids=["file-statistics", "scanned"])
def test_an_export_cut_later_narrows_the_period(tmp_path, stats):
    """The roster from 18 September with two weeks' lead-in, the overtime claims from 1 October at
    seven a day: the period starts on 1 October (thirteen days would have held 91 claims). The roster
    runs to 3 March and the claims to 1 March: two days would hold 14, chance for a source that sparse,
    so the end stays."""
    claims = ("start", every(dt.date(2023, 10, 1), dt.date(2024, 3, 1), 7, hour=18))
    assert data_period(Lake(tmp_path, {"shifts": ROSTER, "overtime_claims": claims}, stats)) == (
        dt.date(2023, 10, 1), dt.date(2024, 3, 3)
    )


def test_a_sparse_source_starting_late_by_chance_keeps_the_period(tmp_path):
    """One claim every other day, the first on 24 September: six days without one is chance."""
    claims = ("start", every(dt.date(2023, 9, 24), dt.date(2024, 3, 3), 1)[::2])
    assert data_period(Lake(tmp_path, {"shifts": ROSTER, "overtime_claims": claims})) == (dt.date(2023, 9, 18), dt.date(2024, 3, 3))


def test_a_partial_export_keeps_the_period(tmp_path):
    """Call records of January only (a third of the roster's span): partial, left to the coverage gate."""
    comms = ("ts", every(dt.date(2024, 1, 1), dt.date(2024, 1, 31), 50))
    assert data_period(Lake(tmp_path, {"shifts": ROSTER, "comms_events": comms})) == (dt.date(2023, 9, 18), dt.date(2024, 3, 3))


def test_without_a_roster_the_events_together_and_nothing_is_an_error(tmp_path):
    badge = ("ts", every(dt.date(2024, 1, 2), dt.date(2024, 2, 27), 30))
    device = ("ts", every(dt.date(2024, 1, 1), dt.date(2024, 2, 29), 30))
    assert data_period(Lake(tmp_path, {"badge_events": badge, "device_events": device})) == (dt.date(2024, 1, 1), dt.date(2024, 2, 29))
    with pytest.raises(RunError, match="no activity data"):
        data_period(Lake(tmp_path, {}))
