"""The catalogue as a whole: registered, documented, purpose-checked, complete, robust to empty data."""

import datetime as dt
from pathlib import Path

import pytest

from fairwitness.contract import BY_NAME
from fairwitness.detectors.catalogue import MODULES, builtin_detectors
from fairwitness.detectors.catalogue._doc import render
from fairwitness.detectors.registry import load_registry
from fairwitness.routes import ROUTES, gravity
from fairwitness.scenarios import MISCONDUCT

ROOT = Path(__file__).resolve().parents[3]
DETECTORS = builtin_detectors()


def test_one_module_per_detector():
    assert [d.name for d in DETECTORS] == list(MODULES)
    for d in DETECTORS:
        assert d.__module__ == f"fairwitness.detectors.catalogue.{d.name}"


def test_all_registered_through_the_entry_point():
    reg = load_registry()
    assert reg.refused == {}
    assert set(MODULES) <= set(reg.detectors)


def test_reference_is_current_and_complete():
    text = (ROOT / "docs/reference/detectors.md").read_text()
    assert text == render(), "run `python -m fairwitness.detectors.catalogue._doc > docs/reference/detectors.md`"
    for d in load_registry().detectors.values():
        assert f"## `{d.name}`" in text


@pytest.mark.parametrize("det", DETECTORS, ids=lambda d: d.name)
def test_declarations(det):
    assert det.routes and set(det.routes) <= set(ROUTES)
    if det.purpose == "wellbeing":
        assert det.routes == ("wellbeing",)
    if det.max_route:
        assert all(gravity(r) <= gravity(det.max_route) for r in det.routes)
    det()  # default parameters are valid
    for decl in (det.reads, det.optional_reads):
        assert "people_protected" not in decl and "truth" not in decl
        assert not {"lat", "lon"} & set(decl.get("device_events", ()))
        assert not {"display_name", "date_of_birth"} & set(decl.get("people", ()))
        for table, cols in decl.items():
            if table in BY_NAME:
                assert set(cols) <= set(BY_NAME[table].column_names), table


def test_every_misconduct_scenario_is_covered_with_its_route():
    for scenario, route in MISCONDUCT.items():
        finders = [d for d in DETECTORS if scenario in d.scenarios]
        assert finders, scenario
        assert any(route in d.routes for d in finders), scenario


def test_peer_anomaly_is_never_alone_a_conduct_route():
    (pa,) = [d for d in DETECTORS if d.name == "peer_anomaly"]
    assert pa.max_route == "advice" and pa.standalone_conduct is False


@pytest.mark.parametrize("det", DETECTORS, ids=lambda d: d.name)
def test_empty_sources(det, run, T):
    tables = {name: T(name, []) for name in {**det.reads, **det.optional_reads} if name in BY_NAME or name == "external_links"}
    assert run(det(), tables, start=dt.date(2024, 10, 1), end=dt.date(2024, 10, 31)) == []
