"""Determinism, rota and id formats, and the CSV text path with its DST rule."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pyarrow.parquet as pq
import pytest

from fairwitness.contract import TABLES
from fairwitness.synth import SynthConfig, generate


def read(out, name: str) -> pd.DataFrame:
    path = out / name
    return pq.read_table(path if path.is_dir() else out / f"{name}.parquet").to_pandas()


def _tables(out):
    return {t.name: pq.read_table(out / t.name if (out / t.name).is_dir() else out / f"{t.name}.parquet") for t in TABLES}


def test_deterministic_for_a_seed(tmp_path) -> None:
    cfg = SynthConfig(people=220, months=1, seed=5)
    a, b = _tables_after(cfg, tmp_path / "a"), _tables_after(cfg, tmp_path / "b")
    for name in a:
        assert a[name].equals(b[name]), name
    c = _tables_after(cfg.model_copy(update={"seed": 6}), tmp_path / "c")
    assert not a["shifts"].equals(c["shifts"])


def _tables_after(cfg, out):
    generate(cfg, out)
    return _tables(out)


def test_rota_2_2_2(tmp_path) -> None:
    generate(SynthConfig(people=250, months=1, seed=3, rota="2-2-2"), tmp_path)
    people, shifts = read(tmp_path, "people"), read(tmp_path, "shifts")
    response = people.loc[people["role"] == "Response Officer", "staff_id"]
    s = shifts[shifts["staff_id"].isin(response) & (shifts["duty_type"] == "normal")]
    hours = (s["end"] - s["start"]).dt.total_seconds() / 3600
    assert (hours.round() == 8).mean() > 0.95
    starts = set(s["start"].dt.tz_convert("Europe/London").dt.strftime("%H:%M"))
    assert {"07:00", "15:00", "23:00"} <= starts


@pytest.mark.parametrize(
    ("fmt", "pattern"),
    [("numeric", r"^\d{7}$"), ("prefixed", r"^MP-\d{6}$"), ("uuid", r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")],
)
def test_id_formats(tmp_path, fmt, pattern) -> None:
    generate(SynthConfig(people=150, months=1, seed=2, id_format=fmt), tmp_path)
    ids = read(tmp_path, "people")["staff_id"]
    assert ids.is_unique
    assert ids.map(lambda s: bool(re.match(pattern, s))).all()
    claims = read(tmp_path, "overtime_claims")
    assert set(claims["staff_id"]) <= set(ids)


def test_csv_text_path_and_dst(tmp_path) -> None:
    cfg = SynthConfig(people=300, months=2, seed=4, start=dt.date(2025, 10, 1), format="csv")
    generate(cfg, tmp_path / "csv")
    generate(cfg.model_copy(update={"format": "parquet"}), tmp_path / "pq")
    for t in TABLES:
        assert (tmp_path / "csv" / f"{t.name}.csv").exists(), t.name
    text = pd.read_csv(tmp_path / "csv" / "system_access.csv", dtype=str, keep_default_na=False)
    exact = read(tmp_path / "pq", "system_access")
    assert list(text["event_id"]) == list(exact["event_id"])
    ts = text["ts"]
    with_offset = ts.str.match(r".*[+-]\d\d:\d\d$")
    assert with_offset.any(), "no instant in the repeated hour"
    assert ts[with_offset].str.match(r"^2025-10-26T01:\d\d:\d\d[+]0[01]:00$").all()
    assert not ts[~with_offset].str.contains("Z").any()
    local = pd.to_datetime(ts[~with_offset]).dt.tz_localize("Europe/London", ambiguous="raise").dt.tz_convert("UTC")
    assert (local.to_numpy() == exact.loc[~with_offset, "ts"].to_numpy()).all()
    offs = pd.to_datetime(ts[with_offset], utc=True)
    assert (offs.to_numpy() == exact.loc[with_offset, "ts"].to_numpy()).all()
    people = pd.read_csv(tmp_path / "csv" / "people.csv", dtype=str, keep_default_na=False)
    assert set(people["hybrid_policy"]) <= {"true", "false"}
    assert people["start_date"].str.match(r"^\d{4}-\d{2}-\d{2}$").all()
