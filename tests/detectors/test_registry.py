"""The registry: plugins through entry points, checked against the purpose register."""

from __future__ import annotations

import sys
import textwrap
from importlib.metadata import EntryPoint

import pytest
from pydantic import BaseModel, Field

from fairwitness.detectors.base import Detector
from fairwitness.detectors.registry import (
    DERIVED_GROUP,
    DETECTOR_GROUP,
    DetectorRefused,
    UnknownDetector,
    check_detector,
    load_registry,
)
from fairwitness.detectors.sources import DerivedSource


class OkParams(BaseModel):
    threshold: int = Field(3, ge=1)


class Churn(Detector):
    name = "churn"
    version = "1"
    title = "Roster churn"
    standard = "Honesty and integrity"
    reads = {"roster_changes": ("change_id", "staff_id")}
    explain = "{value} edits."
    Params = OkParams

    def build(self, src):  # pragma: no cover - never executed here
        return src.table("roster_changes")


def _variant(**attrs):
    return type("Variant", (Churn,), attrs)


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ({"reads": {"people_protected": ("staff_id", "sex")}}, "people_protected.sex may not be read for counter_corruption"),
        ({"reads": {"people": ("staff_id", "display_name")}}, "people.display_name may not be read for counter_corruption"),
        ({"reads": {"people": ("staff_id", "date_of_birth")}, "purpose": "wellbeing"}, "people.date_of_birth may not be read for wellbeing"),
        ({"reads": {"comms_events": ("staff_id",)}, "purpose": "attendance_policy"}, "comms_events.staff_id may not be read for attendance_policy"),
        ({"optional_reads": {"people_protected": ("staff_id",)}}, "people_protected.staff_id may not be read"),
        ({"reads": {"truth": ("staff_id",)}}, "truth is never readable by a detector"),
        ({"reads": {"shifts": ("shift_id", "no_such")}}, "shifts has no column no_such"),
        ({"reads": {"payroll": ("staff_id",)}}, "payroll is neither a contract table nor a derived source"),
        ({"standard": "Being nice"}, "is not a heading of the Standards"),
        ({"purpose": "curiosity"}, "unknown purpose 'curiosity'"),
        ({"max_route": "dismissal"}, "max_route 'dismissal' is not a route"),
        ({"scenarios": ("made_up",)}, "unknown scenarios"),
        ({"explain": "{value} edits by {whom}."}, "unknown fields ['whom']"),
        ({"explain": "{value:d} edits."}, "explain template does not format"),
        ({"name": "Bad Name"}, "lower_snake_case"),
        ({"routes": ("criminal_referral",)}, "can recommend criminal_referral but declares 0 independent kind(s)"),
        ({"routes": ("advice", "gross_misconduct_assessment"), "evidence_kinds": {"one": "one kind"}},
         "can recommend gross_misconduct_assessment but declares 1 independent kind(s)"),
        ({"routes": ("jail",)}, "route 'jail' is not a route"),
        ({"evidence_kinds": {"a": "off duty; late"}}, "needs a label without ';'"),
        ({"Params": type("P", (BaseModel,), {"__annotations__": {"n": int}})}, "default parameters are invalid"),
    ],
)
def test_refused_with_a_clear_message(attrs, message):
    cls = _variant(**attrs)
    assert any(message in p for p in check_detector(cls)), check_detector(cls)
    with pytest.raises(DetectorRefused, match="refused"):
        load_registry([cls], plugins=False)


def test_a_well_declared_detector_loads_and_is_described():
    reg = load_registry([Churn], plugins=False)
    assert reg.get("churn") is Churn
    (row,) = reg.describe()
    assert row["params"] == {"threshold": 3}
    assert row["reads"] == {"roster_changes": ["change_id", "staff_id"]}
    with pytest.raises(UnknownDetector, match="no detector named 'nope'; registered: churn"):
        reg.get("nope")


def test_duplicate_names_are_refused():
    other = type("Other", (Churn,), {})
    with pytest.raises(DetectorRefused, match="already registered"):
        load_registry([Churn, other], plugins=False)


@pytest.fixture
def force_plugin(tmp_path, monkeypatch):
    """A force's own package on sys.path, registering detectors through an entry point."""
    pkg = tmp_path / "force_detectors.py"
    pkg.write_text(
        textwrap.dedent(
            """
            import ibis
            from fairwitness.detectors.base import Detector

            class Lookups(Detector):
                name = "force_lookups"
                version = "2"
                title = "Force lookups"
                standard = "Confidentiality"
                reads = {"system_access": ("event_id", "staff_id")}
                explain = "{value} lookups."
                def build(self, src):
                    return src.table("system_access")

            class Nosy(Lookups):
                name = "force_nosy"
                reads = {"people_protected": ("staff_id", "ethnicity_group")}

            def detectors():
                return [Lookups, Nosy]
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    sys.modules.pop("force_detectors", None)


def test_entry_points_load_plugins_and_refuse_bad_ones(force_plugin):
    eps = {
        DETECTOR_GROUP: [
            EntryPoint(name="force", value="force_detectors:detectors", group=DETECTOR_GROUP),
            EntryPoint(name="broken", value="no_such_module:detectors", group=DETECTOR_GROUP),
        ],
        DERIVED_GROUP: [],
    }
    reg = load_registry(loader=lambda group: eps.get(group, []))
    assert "force_lookups" in reg.detectors
    assert "force_nosy" not in reg.detectors
    assert "people_protected.ethnicity_group may not be read for counter_corruption" in reg.refused["force_nosy"]
    assert "failed to load" in reg.refused["plugin:broken"]


def test_the_builtin_entry_point_is_declared():
    from importlib.metadata import entry_points

    names = {ep.name: ep.value for ep in entry_points(group=DETECTOR_GROUP)}
    assert names.get("builtin") == "fairwitness.detectors.catalogue:builtin_detectors"
    reg = load_registry()  # the real plugins: loads or records why not, never raises
    assert set(reg.detectors).isdisjoint(reg.refused)


def test_derived_sources_are_checked_and_detectors_may_read_them():
    def links(src):  # pragma: no cover - not executed here
        raise AssertionError

    ok = DerivedSource(
        name="external_links",
        compute=links,
        reads={"people": ("staff_id", "display_name")},
        purpose="record_linkage",
        columns=("record_id", "staff_id", "match_probability"),
    )
    bad = DerivedSource(name="external_links", compute=links, reads={"people": ("staff_id", "display_name")}, purpose="counter_corruption")
    with pytest.raises(DetectorRefused, match="people.display_name may not be read for counter_corruption"):
        load_registry(plugins=False, derived=[bad])
    reader = _variant(name="links_reader", reads={"external_links": ("record_id", "staff_id", "match_probability")})
    reg = load_registry([reader], plugins=False, derived=[ok])
    assert "links_reader" in reg.detectors
    wrong = _variant(name="links_wrong", reads={"external_links": ("record_id", "full_name")})
    assert "external_links has no column full_name" in check_detector(wrong, derived=reg.derived)


def test_the_linkage_module_is_adapted_as_the_builtin_derived_source():
    reg = load_registry(loader=lambda group: [])
    assert "derived:external_links" not in reg.refused, reg.refused.get("derived:external_links")
    d = reg.derived["external_links"]
    assert d.purpose == "record_linkage"
    assert "display_name" in d.reads["people"]
    assert {"record_id", "staff_id", "match_probability"} <= set(d.columns)


def test_every_builtin_detector_declares_the_kinds_its_routes_need():
    """Each detector's declared routes against its declared independent kinds of evidence: a
    detector that can recommend gross misconduct or criminal referral declares two or more."""
    from fairwitness.routes import GRAVE_ROUTES, MIN_KINDS_FOR_GRAVE, ROUTES

    reg = load_registry()
    assert not {k: v for k, v in reg.refused.items() if not k.startswith("derived:")}, reg.refused
    grave = []
    for name, cls in reg.detectors.items():
        assert cls.routes, f"{name} declares no routes"
        assert set(cls.routes) <= set(ROUTES), name
        if set(cls.routes) & GRAVE_ROUTES:
            grave.append(name)
            assert len(cls.evidence_kinds) >= MIN_KINDS_FOR_GRAVE, name
    assert {"victim_contact", "overtime_no_presence", "undeclared_interest"} <= set(grave)


def _signal(route, detail):
    import datetime as dt

    import pyarrow as pa

    from fairwitness.detectors.signals import SIGNAL_ARROW

    row = {
        "staff_id": "P1", "period_start": dt.date(2025, 1, 1), "period_end": dt.date(2025, 1, 31), "value": 3.0,
        "peer_median": 0.0, "peer_percentile": 99.0, "peer_group": "g", "score": 0.9, "route": route,
        "evidence_table": "roster_changes", "evidence_keys": ["k1"], "explanations_found": [], "detail": detail,
    }
    return pa.Table.from_pylist([row], schema=SIGNAL_ARROW)


@pytest.mark.parametrize(
    ("route", "detail", "expected"),
    [
        ("criminal_referral", "x [independent kinds of evidence: off duty; texts]", "criminal_referral"),
        ("criminal_referral", "x [independent kinds of evidence: off duty]", "misconduct_assessment"),
        ("gross_misconduct_assessment", "no kinds named", "misconduct_assessment"),
        ("advice", "x [independent kinds of evidence: off duty]", "advice"),
    ],
)
def test_a_grave_route_needs_two_kinds_named_in_the_signal(route, detail, expected):
    import json

    from fairwitness.detectors.signals import finalise

    cls = _variant(routes=("advice", "criminal_referral"), evidence_kinds={"off": "off duty", "text": "texts"},
                   explain="{value} edits ({detail}).")
    (out,) = finalise(cls(), _signal(route, detail)).to_pylist()
    assert out["route"] == expected
    assert json.loads(out["evidence"])["evidence_kinds"] == [
        k for k, label in (("off", "off duty"), ("text", "texts")) if label in detail
    ]
    assert detail in out["explanation"]


def test_a_signal_may_not_claim_an_undeclared_kind():
    from fairwitness.detectors.signals import finalise

    cls = _variant(routes=("advice",), evidence_kinds={"off": "off duty"})
    with pytest.raises(ValueError, match="does not declare"):
        finalise(cls(), _signal("advice", "[independent kinds of evidence: moonlight]"))
