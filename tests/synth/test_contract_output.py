"""Every contract table is written with its declared columns, types and vocabularies."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fairwitness.contract import TABLES
from fairwitness.synth.writer import PARTED

IDENTITY_COLUMNS = {"staff_id"}


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_table_written_as_declared(force, table) -> None:
    out = force.out
    parted = table.name in PARTED
    path = out / table.name if parted else out / f"{table.name}.parquet"
    assert path.exists(), f"{table.name} missing"
    if parted:
        assert (path / "part-00000.parquet").exists()
    arrow = pq.read_table(path)
    df = force.table(table.name)
    assert len(df) > 0, f"{table.name} is empty"
    for col in table.columns:
        assert col.name in arrow.schema.names, f"{table.name}.{col.name} missing"
        typ = arrow.schema.field(col.name).type
        if col.kind == "timestamp":
            assert typ == pa.timestamp("us", tz="UTC")
        elif col.kind in ("string", "enum"):
            assert typ == pa.string(), f"{table.name}.{col.name} is {typ}"
        else:
            assert typ == col.arrow_type
        values = df[col.name]
        if col.kind == "enum":
            assert set(values.dropna()) <= set(col.values), f"{table.name}.{col.name}: {set(values.dropna()) - set(col.values)}"
        if col.required and not (table.identity_resolvable and col.name in IDENTITY_COLUMNS and "identifier" in df):
            assert values.notna().all(), f"{table.name}.{col.name} has empty values"
        if col.min is not None:
            assert (values.dropna() >= col.min).all()
        if col.max is not None:
            assert (values.dropna() <= col.max).all()


def test_references_resolve(force) -> None:
    staff = set(force.table("people")["staff_id"])
    sites = set(force.table("sites")["site_id"])
    for table in TABLES:
        df = force.table(table.name)
        for col in table.columns:
            if col.references == "people.staff_id":
                assert set(df[col.name].dropna()) <= staff, f"{table.name}.{col.name}"
            if col.references == "sites.site_id":
                assert set(df[col.name].dropna()) <= sites, f"{table.name}.{col.name}"
    shifts = set(force.table("shifts")["shift_id"])
    assert set(force.table("roster_changes")["shift_id"]) <= shifts
    assert set(force.table("units")["unit_id"]) >= set(force.table("people")["unit_id"])


@pytest.mark.parametrize("table", [t for t in TABLES if t.name != "truth"], ids=lambda t: t.name)
def test_keys_unique(force, table) -> None:
    raw = force.table(table.name)
    df = force.resolved(table.name) if table.identity_resolvable and "identifier" in raw else raw
    assert df[list(table.key)].notna().all().all(), f"{table.name}: unresolved key"
    assert not df.duplicated(list(table.key)).any(), f"{table.name}: duplicate key"


def test_identity_indirection_needed(force) -> None:
    badges = force.table("badge_events")
    share = badges["staff_id"].isna().mean()
    assert 0.05 < share < 0.8
    ids = force.table("identities")
    # Some identifier serves different people at different times.
    owners = ids.groupby(["system", "identifier"])["staff_id"].nunique()
    assert (owners > 1).any()
    device = force.table("device_events")
    assert device.loc[device["kind"] == "location", "staff_id"].isna().all()


def test_every_id_is_text(force) -> None:
    for table in TABLES:
        df = force.table(table.name)
        for col in table.columns:
            if col.name.endswith("_id") or col.name.endswith("_ref"):
                assert df[col.name].dropna().map(type).eq(str).all(), f"{table.name}.{col.name}"


@pytest.mark.slow
def test_export_style_force_evaluates_as_the_parquet_one(small_force, tmp_path) -> None:
    """Issue 13, item 6: the same force as forces' systems write it gives the same accuracy."""
    from fairwitness.detectors.runner import run
    from fairwitness.evaluation import evaluate
    from fairwitness.ingest import ingest
    from fairwitness.synth.export_style import export
    from fairwitness.workspace import Workspace

    data, ws = small_force
    style = tmp_path / "style"
    export(data, style)
    first = (style / "absences.csv").read_bytes()
    assert first.startswith(b"\xef\xbb\xbfAbsence_ID;Staff_ID;") and b"\r\n" in first
    assert "Staff_ID" not in (style / "badge_events.csv").read_text("utf-8-sig").splitlines()[0]
    ws2 = Workspace(tmp_path / "ws")
    report = ingest(style, ws2)
    parquet_rows = {t: ws.connect().execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in ws.loaded_tables()}
    assert {t: v["loaded"] for t, v in report.by_table().items()} == parquet_rows
    run(ws)
    run(ws2)
    a, b = evaluate(ws, data), evaluate(ws2, style)
    assert [(s.scenario, s.found, s.recall, s.route_correct) for s in a.scenarios] == [
        (s.scenario, s.found, s.recall, s.route_correct) for s in b.scenarios
    ]
    assert (a.precision, a.true_positives, a.conduct_candidates, a.by_route) == (
        b.precision, b.true_positives, b.conduct_candidates, b.by_route
    )
