"""What a detector sees: declared columns, the run period, and never off-duty location."""

from __future__ import annotations

import datetime as dt
import ibis
import pyarrow as pa
import pytest

from fairwitness.detectors import copies, engines
from fairwitness.detectors.base import Detector
from fairwitness.detectors.sources import (
    SourceNotLoaded, build_sources, cte, declared_columns, source_tables, visible_tables,
)

JAN = dict(period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 1, 31))


def _signals(t, src, *, value, keys, detail, route="advice", staff_id=None):
    return t.select(
        staff_id=t.staff_id if staff_id is None else staff_id,
        period_start=ibis.literal(src.period_start),
        period_end=ibis.literal(src.period_end),
        value=value.cast("float64"),
        peer_median=ibis.null("float64"),
        peer_percentile=ibis.null("float64"),
        peer_group=ibis.null("string"),
        score=ibis.literal(0.5),
        route=ibis.literal(route),
        evidence_table=ibis.literal("device_events"),
        evidence_keys=keys,
        explanations_found=ibis.literal([], "array<string>"),
        detail=detail,
    )


class DeviceSpy(Detector):
    """Emits one signal per device_events row it can see, with everything it saw."""

    name = "device_spy"
    version = "1"
    title = "Every device row"
    standard = "Duties and responsibilities"
    reads = {"device_events": ("staff_id", "device_id", "ts", "kind", "lat", "lon")}
    explain = "{detail}"

    def build(self, src):
        t = src.table("device_events")
        detail = (
            t.kind + "@" + t.ts.cast("string").left(16) + "@" + t.lat.cast("string").fill_null("none")
        )
        return _signals(t, src, value=ibis.literal(1.0), keys=ibis.array([t.device_id]), detail=detail)


class AttendanceSpy(DeviceSpy):
    """The same, for another purpose: the filter is applied for every detector."""

    name = "attendance_spy"
    purpose = "attendance_policy"


@pytest.fixture
def duty_data(contract_table):
    shifts = contract_table(
        "shifts",
        [
            dict(shift_id="SH1", staff_id="P1", start="2025-01-06 07:00", end="2025-01-06 17:00", duty_type="normal", site_id="S1"),
            dict(shift_id="SH2", staff_id="P1", start="2025-01-07 22:00", end="2025-01-08 06:00", duty_type="normal", site_id="S1"),
        ],
    )
    overtime = contract_table(
        "overtime_claims",
        [
            dict(claim_id="OT1", staff_id="P1", start="2025-01-06 17:00", end="2025-01-06 19:00", hours=2.0, status="approved"),
            dict(claim_id="OT2", staff_id="P1", start="2025-01-09 10:00", end="2025-01-09 12:00", hours=2.0, status="rejected"),
        ],
    )
    rows = [
        ("P1", "2025-01-06 08:00", "location", 51.5),  # on shift
        ("P1", "2025-01-06 18:00", "location", 51.6),  # approved overtime
        ("P1", "2025-01-08 03:00", "location", 51.7),  # night shift, after midnight
        ("P1", "2025-01-06 21:00", "location", 52.0),  # off duty
        ("P1", "2025-01-09 11:00", "location", 52.1),  # rejected overtime: off duty
        ("P2", "2025-01-06 08:00", "location", 52.2),  # someone else's shift does not count
        ("P1", "2025-01-06 21:05", "login", 52.3),  # the login stays, its position goes
        ("P1", "2025-01-06 07:05", "login", 51.8),  # only location rows carry a position
    ]
    dev = contract_table(
        "device_events",
        [dict(staff_id=s, device_id=f"D{i}", ts=ts, kind=k, lat=lat, lon=-0.1) for i, (s, ts, k, lat) in enumerate(rows)],
    )
    return {"shifts": shifts, "overtime_claims": overtime, "device_events": dev}


def test_off_duty_location_never_reaches_a_detector(engine, run_detector, duty_data):
    seen = {}
    for det in (DeviceSpy, AttendanceSpy):
        outcome = run_detector(det, duty_data, **JAN, outcome=True)
        assert outcome.ok, outcome.error
        assert "overtime_claims" in outcome.sql and "shifts" in outcome.sql  # the filter is in the view
        out = outcome.signals
        seen[det.name] = sorted(zip(out.column("staff_id").to_pylist(), out.column("detail").to_pylist()))
    expected = sorted(
        [
            ("P1", "location@2025-01-06 08:00@51.5"),
            ("P1", "location@2025-01-06 18:00@51.6"),
            ("P1", "location@2025-01-08 03:00@51.7"),
            ("P1", "login@2025-01-06 21:05@none"),
            ("P1", "login@2025-01-06 07:05@none"),
        ]
    )
    assert seen["device_spy"] == expected
    assert seen["attendance_spy"] == expected
    for details in seen.values():
        assert not any(lat in d for _, d in details for lat in ("52.0", "52.1", "52.2", "52.3", "51.8"))


def test_without_duty_tables_no_location_is_visible(duty_data):
    con = engines.from_arrow("duckdb", {"device_events": duty_data["device_events"]})
    seen = engines.execute(con, visible_tables(source_tables(con))["device_events"])
    assert set(seen.column("kind").to_pylist()) == {"login"}
    assert seen.column("lat").null_count == seen.num_rows


def test_only_declared_columns_are_visible(contract_table):
    rc = contract_table(
        "roster_changes",
        [dict(change_id="C1", shift_id="SH1", staff_id="P1", changed_by="P9", changed_at="2025-01-03 10:00", field="duty_type")],
    )
    con = engines.from_arrow("duckdb", {"roster_changes": rc, "people_protected": contract_table("people_protected", [dict(staff_id="P1", sex="f")])})
    src = build_sources(visible_tables(source_tables(con)), reads={"roster_changes": ("change_id", "staff_id")}, **JAN)
    assert src.table("roster_changes").columns == ("change_id", "staff_id")
    assert src.tables["roster_changes"].columns == ("change_id", "staff_id")
    assert not src.has("people_protected")
    with pytest.raises(SourceNotLoaded):
        src.table("people_protected")
    with pytest.raises(AttributeError):
        _ = src.table("roster_changes").changed_by
    with pytest.raises(SourceNotLoaded, match="'shifts' which is not loaded"):
        build_sources(visible_tables(source_tables(con)), reads={"shifts": ("shift_id",)}, **JAN)


def test_period_rules(contract_table):
    con = engines.from_arrow(
        "duckdb",
        {
            "badge_events": contract_table(
                "badge_events",
                [
                    dict(staff_id="P1", ts="2024-12-31 23:59", site_id="S1", direction="in"),
                    dict(staff_id="P1", ts="2025-01-01 00:00", site_id="S1", direction="in"),
                    dict(staff_id="P1", ts="2025-01-31 23:59", site_id="S1", direction="out"),
                    dict(staff_id="P1", ts="2025-02-01 00:00", site_id="S1", direction="out"),
                ],
            ),
            "absences": contract_table(
                "absences",
                [
                    dict(absence_id="A1", staff_id="P1", type="sickness", start="2024-11-01 00:00", end="2025-01-02 00:00"),
                    dict(absence_id="A2", staff_id="P1", type="sickness", start="2024-11-01 00:00", end="2024-12-31 00:00"),
                    dict(absence_id="A3", staff_id="P1", type="sickness", start="2025-02-01 00:00", end="2025-02-03 00:00"),
                ],
            ),
            "declarations": contract_table(
                "declarations",
                [
                    dict(declaration_id="D1", staff_id="P1", kind="membership", counterparty="X", declared_at="2019-05-01 00:00", status="approved"),
                    dict(declaration_id="D2", staff_id="P1", kind="membership", counterparty="Y", declared_at="2025-03-01 00:00", status="approved"),
                ],
            ),
        },
    )
    visible = visible_tables(source_tables(con))
    src = build_sources(
        visible,
        reads={"badge_events": ("ts",), "absences": ("absence_id",), "declarations": ("declaration_id",)},
        **JAN,
    )
    ts = sorted(engines.execute(con, src.table("badge_events")).column("ts").to_pylist())
    assert ts == [dt.datetime(2025, 1, 1), dt.datetime(2025, 1, 31, 23, 59)]
    assert engines.execute(con, src.table("absences")).column("absence_id").to_pylist() == ["A1"]
    assert engines.execute(con, src.table("declarations")).column("declaration_id").to_pylist() == ["D1"]
    back = build_sources(visible, reads={"badge_events": ("ts",)}, lookback_days=1, **JAN)
    assert engines.execute(con, back.table("badge_events")).num_rows == 3
    ahead = build_sources(visible, reads={"badge_events": ("ts",), "declarations": ("declaration_id",)}, lookahead_days=1, **JAN)
    assert engines.execute(con, ahead.table("badge_events")).num_rows == 3
    assert engines.execute(con, ahead.table("declarations")).num_rows == 1  # registers: up to the period's end


@pytest.mark.parametrize(
    "lo, hi",
    [
        (dt.datetime(2025, 1, 8), dt.datetime(2025, 1, 9)),  # a night shift that started the day before
        (dt.datetime(2025, 1, 6, 12), dt.datetime(2025, 1, 6, 21, 3)),  # cuts through a shift and a login
        (dt.datetime(2025, 1, 1), dt.datetime(2025, 2, 1)),
    ],
)
def test_a_time_bounded_privacy_view_holds_exactly_the_whole_views_rows_in_that_time(duty_data, lo, hi):
    con = engines.from_arrow("duckdb", duty_data)
    base = source_tables(con)

    def rows(t):
        out = engines.execute(con, t)
        return sorted(zip(*(out.column(c).to_pylist() for c in ("staff_id", "ts", "kind", "lat"))), key=str)

    whole = visible_tables(base)["device_events"]
    bounded = visible_tables(base, {"device_events": (lo, hi)})["device_events"]
    expected = [r for r in rows(whole) if lo <= r[1] < hi]
    assert expected and rows(bounded) == expected


class PresenceSpy(DeviceSpy):
    """Reads only the person and the time of device events (as the presence detectors do)."""

    name = "presence_spy"
    reads = {"device_events": ("staff_id", "ts"), "shifts": ("shift_id", "staff_id")}


def test_declared_columns_are_what_the_detectors_read_with_the_period_rule_columns():
    cols = declared_columns([PresenceSpy])
    assert cols == {"device_events": ("staff_id", "ts"), "shifts": ("shift_id", "staff_id", "start", "end")}
    both = declared_columns([PresenceSpy, DeviceSpy])
    assert set(both["device_events"]) == {"staff_id", "ts", "device_id", "kind", "lat", "lon"}


def test_a_shared_privacy_view_keeps_the_declared_columns_of_exactly_the_views_rows(engine, duty_data):
    con = engines.from_arrow(engine, duty_data)
    base = source_tables(con)
    whole = visible_tables(base)["device_events"]
    shared = copies.share_views(con, {"device_events": whole}, base, declared_columns([PresenceSpy]))["device_events"]
    out = engines.execute(con, shared)
    assert out.column_names == ["staff_id", "ts"]
    expected = engines.execute(con, whole.select("staff_id", "ts"))
    assert sorted(out.to_pylist(), key=str) == sorted(expected.to_pylist(), key=str)
    assert out.num_rows == 5  # the off-duty positions are gone, the logins stay


def test_on_duckdb_the_privacy_copy_is_kept_compressed_beside_the_runs_tables(duty_data):
    """The copy lives in the run's compressed in-memory database (`copies.COPIES`), checkpointed,
    not among the run's own uncompressed tables: at 46,000 x 36 months the device events' copy
    there left `duty_presence_gaps` no memory to run in at the default limit."""
    con = engines.from_arrow("duckdb", duty_data)
    base = source_tables(con)
    copies.share_views(con, {"device_events": visible_tables(base)["device_events"]}, base, declared_columns([PresenceSpy]))
    where = con.con.execute("SELECT database_name FROM duckdb_tables() WHERE table_name = '_fw_visible_device_events'").fetchall()
    assert where == [(copies.COPIES,)]
    (options,) = con.con.execute("SELECT options FROM duckdb_databases() WHERE database_name = ?", [copies.COPIES]).fetchone()
    assert "compress" in str(options).lower()


def test_a_derived_source_made_row_by_row_holds_only_the_rows_of_the_rows_a_detector_sees(contract_table):
    records = contract_table(
        "external_records",
        [
            dict(record_id="R1", kind="directorship", counterparty="A Ltd", source="s", observed_at="2025-01-10 00:00", strength="confirmed"),
            dict(record_id="R2", kind="directorship", counterparty="B Ltd", source="s", observed_at="2025-02-10 00:00", strength="confirmed"),
        ],
    )
    con = engines.from_arrow("duckdb", {"external_records": records})
    links = pa.table({"record_id": ["R1", "R2", "R3"], "staff_id": ["P1", "P2", "P3"]})
    engines.register_arrow(con, "external_links", links)
    visible = {**visible_tables(source_tables(con)), "external_links": con.table("external_links")}
    reads = {"external_links": ("record_id", "staff_id")}
    mapped = build_sources(visible, reads=reads, rows_of={"external_links": ("external_records", "record_id")}, **JAN)
    assert engines.execute(con, mapped.table("external_links")).column("record_id").to_pylist() == ["R1"]
    whole = build_sources(visible, reads=reads, **JAN)  # without the declaration: every row
    assert sorted(engines.execute(con, whole.table("external_links")).column("record_id").to_pylist()) == ["R1", "R2", "R3"]


def test_a_cte_join_chain_is_written_once():
    """A join chain read by a projection and by a join is one CTE behind `cte`; without it Ibis
    writes the chain into both readers (the engine then scans and joins twice)."""
    import ibis

    a = ibis.table({"k": "int64", "x": "int64"}, name="a")
    b = ibis.table({"k": "int64", "y": "int64"}, name="b")
    c = ibis.table({"k": "int64", "z": "int64"}, name="c")

    def readers(h):
        p = h.select("k", "x")
        j1 = p.join(c, p.k == c.k).select(p.k, c.z)
        return h.anti_join(j1, h.k == j1.k)

    chain = a.join(b, "k").select(a.k, a.x, b.y)
    assert ibis.to_sql(readers(chain), dialect="duckdb").count('FROM "a"') == 2
    assert ibis.to_sql(readers(cte(chain)), dialect="duckdb").count('FROM "a"') == 1
    # and it keeps every row
    con = ibis.duckdb.connect()
    t = ibis.memtable({"k": [1, 2, None]})
    assert con.to_pyarrow(cte(t)).num_rows == 3


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_a_named_cte_filter_is_written_once(engine):
    """A filtered scan read by a projection and an aggregation is merged into each reader (the
    engine scans and filters twice), unless `cte` names it: then it is one CTE, on both
    engines, with the same rows."""
    import ibis

    con = engines.from_arrow(engine, {"sa": pa.table({"k": [1, 2, 2, 3], "c": [None, "x", None, None]})})
    try:
        sa = con.table("sa")

        def readers(h):
            counted = h.group_by("k").aggregate(n=h.count())
            doubled = h.mutate(d=h.k * 2)  # a reader adding a column, as `_lookups.assess` does
            return doubled.join(counted, "k").select("k", "n").order_by("k")

        plain = readers(sa.filter(sa.c.isnull()).select("k"))
        named = readers(cte(sa.filter(sa.c.isnull()).select("k"), "no_ref"))
        dialect = "duckdb" if engine == "duckdb" else "pyspark"
        scans = 'FROM "sa"' if engine == "duckdb" else "FROM `sa`"
        assert ibis.to_sql(plain, dialect=dialect).count(scans) == 2
        assert ibis.to_sql(named, dialect=dialect).count(scans) == 1
        assert engines.execute(con, named).to_pylist() == engines.execute(con, plain).to_pylist() == [
            {"k": 1, "n": 1}, {"k": 2, "n": 1}, {"k": 3, "n": 1}
        ]
    finally:
        engines.close(con)
