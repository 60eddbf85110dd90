"""Time conversion: the SQL used by ingest agrees with the zoneinfo reference, across DST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairwitness.ingest.timeparse import DST_GAP, DST_OVERLAP, TimestampError, sql_parts, to_utc

LONDON = ZoneInfo("Europe/London")
_con = duckdb.connect()
_con.execute("SET TimeZone='UTC'")
_UTC, _ERR = sql_parts("v")


def sql(text: str) -> tuple[dt.datetime | None, str | None]:
    """(UTC, None) or (None, error); the SQL's value is meaningless when it reports an error."""
    utc, err = _con.execute(f"SELECT {_UTC}, {_ERR} FROM (SELECT NULLIF(trim(?::VARCHAR), '') AS v)", [text]).fetchone()
    return (None if err else utc), err


instants = st.datetimes(min_value=dt.datetime(1996, 1, 1), max_value=dt.datetime(2037, 12, 31))
# bias towards the changeover hours, where mistakes live
near_dst = st.builds(
    lambda y, spring, minute: (dt.datetime(y, 3, 31) if spring else dt.datetime(y, 10, 31))
    - dt.timedelta(days=(dt.datetime(y, 3 if spring else 10, 31).weekday() + 1) % 7)
    + dt.timedelta(minutes=minute),
    st.integers(2000, 2035),
    st.booleans(),
    st.integers(0, 4 * 60),
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(instants, near_dst))
def test_local_text_sql_matches_reference(local):
    text = local.strftime("%Y-%m-%d %H:%M:%S")
    try:
        want, werr = to_utc(text), None
    except TimestampError as e:
        want, werr = None, str(e)
    got, gerr = sql(text)
    assert gerr == werr
    if werr is None:
        assert got == want


@settings(max_examples=300, deadline=None)
@given(st.one_of(instants, near_dst))
def test_utc_written_with_offset_round_trips(utc):
    aware = utc.replace(tzinfo=dt.UTC).astimezone(LONDON)
    text = aware.isoformat()
    assert to_utc(text) == utc
    assert sql(text) == (utc, None)


@settings(max_examples=300, deadline=None)
@given(st.one_of(instants, near_dst))
def test_local_without_offset_is_exact_or_refused(utc):
    """Writing an instant as London wall-clock time either round-trips or is refused as ambiguous."""
    local = utc.replace(tzinfo=dt.UTC).astimezone(LONDON).replace(tzinfo=None)
    try:
        back = to_utc(local.isoformat())
    except TimestampError as e:
        assert str(e) == DST_OVERLAP
    else:
        assert back == utc


@pytest.mark.parametrize(
    ("text", "utc", "err"),
    [
        ("2025-03-30 00:59:59", dt.datetime(2025, 3, 30, 0, 59, 59), None),
        ("2025-03-30 01:00:00", None, DST_GAP),
        ("2025-03-30 01:59", None, DST_GAP),
        ("2025-03-30 02:00", dt.datetime(2025, 3, 30, 1, 0), None),
        ("2025-10-26 00:59", dt.datetime(2025, 10, 25, 23, 59), None),
        ("2025-10-26 01:00", None, DST_OVERLAP),
        ("2025-10-26 02:00", dt.datetime(2025, 10, 26, 2, 0), None),
        ("2025-10-26T01:30:00+01:00", dt.datetime(2025, 10, 26, 0, 30), None),
        ("2025-10-26T01:30:00Z", dt.datetime(2025, 10, 26, 1, 30), None),
        ("2025-07-01T12:00:00.5+0530", dt.datetime(2025, 7, 1, 6, 30, 0, 500000), None),
    ],
)
def test_known_changeovers(text, utc, err):
    assert sql(text) == (utc, err)
