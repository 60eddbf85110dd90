"""Time conversion: the SQL used by ingest agrees with the zoneinfo reference, across DST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairwitness.ingest.timeparse import (
    BAD_FORMAT,
    DST_GAP,
    DST_OVERLAP,
    FIRST_YEAR,
    LAST_YEAR,
    Stamp,
    TimestampError,
    parse_sql,
    to_utc,
    zone_table,
    zone_table_sql,
)

LONDON = ZoneInfo("Europe/London")
_con = duckdb.connect()
_con.execute("SET TimeZone='UTC'")


def sql(text: str, zone: str = "Europe/London", *, span_end: bool = False) -> tuple[dt.datetime | None, str | None]:
    """(UTC, None) or (None, error) as ingest converts it; the SQL's value is meaningless when it
    reports an error."""
    _con.execute(zone_table_sql(zone))
    rel = "(SELECT NULLIF(trim(?::VARCHAR), '') AS v)"
    utc, err = _con.execute(
        f"SELECT __v_v, __e_v FROM ({parse_sql(rel, [Stamp('v', 'v', span_end=span_end)], zone)})", [text]
    ).fetchone()
    return (None if err else utc), err


def typed(value: dt.datetime | dt.date, zone: str = "Europe/London", *, span_end: bool = False):
    """(UTC, error) as ingest converts a typed local value (a Parquet TIMESTAMP without zone, or a DATE)."""
    _con.execute(zone_table_sql(zone))
    kind = "TIMESTAMP" if isinstance(value, dt.datetime) else "DATE"
    rel = f"(SELECT ?::{kind} AS v)"
    utc, err = _con.execute(
        f"SELECT __v_v, __e_v FROM ({parse_sql(rel, [Stamp('v', 'v', typed=True, span_end=span_end)], zone)})", [value]
    ).fetchone()
    return (None if err else utc), err


def reference(text: str, zone: str = "Europe/London", *, span_end: bool = False) -> tuple[dt.datetime | None, str | None]:
    try:
        return to_utc(text, zone, span_end=span_end), None
    except TimestampError as e:
        return None, str(e)


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
        # 24:00 ends its day: the next day's midnight, local (BST here) or at the offset given
        ("2025-07-07 24:00", dt.datetime(2025, 7, 7, 23, 0), None),
        ("2025-12-31T24:00:00,000Z", dt.datetime(2026, 1, 1, 0, 0), None),
        ("2025-03-29 24:00", dt.datetime(2025, 3, 30, 0, 0), None),
        ("2025-07-07 24:01", None, BAD_FORMAT),
        ("2025-07-07 24:00:01", None, BAD_FORMAT),
        ("2025-07-07 25:00", None, BAD_FORMAT),
    ],
)
def test_known_changeovers(text, utc, err):
    assert sql(text) == (utc, err)


ZONES = ("Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham")
"""London (the default), and zones whose rules differ: a southern-hemisphere changeover of 30
minutes, no summer time, an offset of 12:45/13:45."""


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.datetimes(min_value=dt.datetime(1965, 1, 1), max_value=dt.datetime(2105, 12, 31)),
    st.sampled_from(("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d",
                     # year-first spellings (`timeparse.SPELLINGS`): one-digit parts, slashes, a UTC suffix
                     "%Y-%-m-%-d %-H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%-m/%-d", "%Y-%m-%d %H:%M:%S UTC")),
    st.booleans(),
)
def test_any_zone_and_form_matches_reference(zone, local, form, span_end):
    """Every zone, every written form (the contract's, and the spellings read as it), every year
    (outside FIRST_YEAR-LAST_YEAR ICU converts each value): the SQL agrees with zoneinfo,
    changeovers included."""
    text = local.strftime(form)
    assert sql(text, zone, span_end=span_end) == reference(text, zone, span_end=span_end)


def changeover_minute(zone: str, nth: int, minute: int, year: int) -> str:
    """A minute of one of the days around a changeover of ``zone`` in ``year`` (``nth``: which
    changeover, and which day from two before it), written as a local time without an offset."""
    z = ZoneInfo(zone)
    days = [dt.date(year, 1, 1) + dt.timedelta(days=i) for i in range(366)]
    offs = [dt.datetime.combine(d, dt.time(12)).replace(tzinfo=z).utcoffset() for d in days]
    changes = [d for d, a, b in zip(days[1:], offs, offs[1:], strict=False) if a != b] or [dt.date(year, 6, 1)]
    day = changes[nth % len(changes)] + dt.timedelta(days=nth - 2)
    return (dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)).strftime("%Y-%m-%d %H:%M:%S")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ZONES), st.integers(0, 4), st.integers(0, 24 * 60 - 1), st.integers(1971, 2040))
def test_changeover_days_match_reference(zone, nth, minute, year):
    """Minutes of the days around each changeover of a year (the days `zone_table` leaves to ICU,
    and their neighbours, which it converts by the day's offset)."""
    text = changeover_minute(zone, nth, minute, year)
    assert sql(text, zone) == reference(text, zone)


def test_zone_table_leaves_every_changeover_to_icu():
    """No day of the table holds a changeover of zoneinfo's rules, and every other day of
    FIRST_YEAR-LAST_YEAR is in it with the offset zoneinfo gives at noon."""
    z = ZoneInfo("Europe/London")
    _con.execute(zone_table_sql("Europe/London"))
    held = dict(_con.execute(f"SELECT day, off_s FROM {zone_table('Europe/London')}").fetchall())
    day, end = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)
    while day <= end:
        start = dt.datetime.combine(day, dt.time()).replace(tzinfo=z).utcoffset()
        stop = dt.datetime.combine(day + dt.timedelta(days=1), dt.time()).replace(tzinfo=z).utcoffset()
        if start != stop:
            assert day not in held, day
        else:
            assert held.get(day, start.total_seconds()) == start.total_seconds(), day
        day += dt.timedelta(days=1)
    # five days around each of two changeovers a year are left to ICU
    assert len(held) > 0.97 * (end - dt.date(FIRST_YEAR, 1, 1)).days


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ZONES), st.one_of(instants, near_dst), st.booleans())
def test_typed_local_values_convert_as_their_text(zone, local, as_date):
    """A Parquet TIMESTAMP without zone or a DATE is local time, converted as its ISO text is."""
    if as_date:
        value, text = local.date(), local.date().isoformat()
        assert typed(value, zone, span_end=True) == reference(text, zone, span_end=True)
    else:
        value, text = local, local.isoformat(sep=" ")
    assert typed(value, zone) == reference(text, zone)


def test_zones_spelt_alike_get_tables_of_their_own():
    """``Etc/GMT+5`` is five hours behind UTC and ``Etc/GMT-5`` five ahead: each converts by its own days."""
    assert zone_table("Etc/GMT+5") != zone_table("Etc/GMT-5")
    assert sql("2025-06-01 12:00:00", "Etc/GMT+5") == (dt.datetime(2025, 6, 1, 17, 0), None)
    assert sql("2025-06-01 12:00:00", "Etc/GMT-5") == (dt.datetime(2025, 6, 1, 7, 0), None)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.dates(min_value=dt.date(1965, 1, 1), max_value=dt.date(2105, 12, 30)),
    st.sampled_from(("24:00", "24:00:00", "24:00:00.000", "24:00:00,0")),
    st.sampled_from(("", "Z", "+05:30", "-0100")),
)
def test_24_00_is_the_next_days_midnight(zone, day, end, offset):
    """A time of 24:00 is read as 00:00 of the next day, by the SQL and the reference alike
    (changeover days and the zone table's edges included)."""
    text = f"{day.isoformat()} {end}{offset}"
    midnight = f"{(day + dt.timedelta(days=1)).isoformat()} 00:00:00{offset}"
    assert sql(text, zone) == reference(text, zone) == reference(midnight, zone)


@pytest.mark.parametrize(("start", "end", "hours"), [
    ("2025-01-06 07:00", "2025-01-06 07:00", 24),  # a 24-hour tour: the end at the start is the next day's
    ("2025-01-06 22:00", "2025-01-06 06:00", 8),
    ("2025-01-06 07:00", "2025-01-06 17:00", 10),
    ("2025-01-06 07:00", "2025-01-05 07:00", -24),  # an earlier day is no overnight end
])
def test_overnight_ends_at_or_before_the_start_are_the_next_days(start, end, hours):
    _con.execute(zone_table_sql())
    rel = "(SELECT ?::VARCHAR AS s, ?::VARCHAR AS e)"
    stamps = [Stamp("s", "s"), Stamp("e", "e", span_end=True, after="s")]
    got = _con.execute(f"SELECT __v_e - __v_s FROM ({parse_sql(rel, stamps)})", [start, end]).fetchone()[0]
    assert got == dt.timedelta(hours=hours)
    # undeclared, an end equal to the start is kept as it is: an empty span
    plain = [Stamp("s", "s"), Stamp("e", "e", span_end=True)]
    assert _con.execute(f"SELECT __v_e - __v_s FROM ({parse_sql(rel, plain)})", [start, start]).fetchone()[0] == dt.timedelta(0)


def sql_overlap(text: str, overlap: str, zone: str = "Europe/London") -> tuple[dt.datetime | None, str | None]:
    _con.execute(zone_table_sql(zone))
    rel = "(SELECT NULLIF(trim(?::VARCHAR), '') AS v)"
    utc, err = _con.execute(f"SELECT __v_v, __e_v FROM ({parse_sql(rel, [Stamp('v', 'v')], zone, overlap)})", [text]).fetchone()
    return (None if err else utc), err


@pytest.mark.parametrize(
    ("overlap", "utc"),
    [("earlier", dt.datetime(2023, 10, 29, 0, 59, 42)), ("later", dt.datetime(2023, 10, 29, 1, 59, 42)), ("refuse", None)],
)
def test_a_source_declares_how_the_repeated_hour_is_read(overlap, utc):
    """Pro-Watch's night-shift badge-out at 01:59:42 on 29 October 2023, server local time, no offset:
    the hour happened twice. Declared, the first pass (summer time) or the second; else refused."""
    got = sql_overlap("2023-10-29 01:59:42", overlap)
    assert got == ((utc, None) if utc else (None, DST_OVERLAP))
    assert sql_overlap("2023-10-29 02:30", overlap) == (dt.datetime(2023, 10, 29, 2, 30), None)  # not ambiguous
    assert sql_overlap("2024-03-31 01:30", overlap) == (None, DST_GAP)  # a gap stays refused


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(ZONES), st.integers(0, 4), st.integers(0, 24 * 60 - 1), st.integers(1971, 2040),
       st.sampled_from(("earlier", "later")))
def test_declared_overlaps_match_reference(zone, nth, minute, year, overlap):
    """The days around every changeover of every zone, read under each declaration: the SQL agrees
    with zoneinfo's two folds (Lord Howe's overlap is 30 minutes)."""
    text = changeover_minute(zone, nth, minute, year)
    try:
        want = (to_utc(text, zone, overlap=overlap), None)
    except TimestampError as e:
        want = (None, str(e))
    assert sql_overlap(text, overlap, zone) == want
