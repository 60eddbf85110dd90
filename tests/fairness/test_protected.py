"""``people_protected`` is read by the fairness audit and nowhere else: no detector can read it."""

from __future__ import annotations

import datetime as dt

import ibis
import pytest

from fairwitness.contract.purposes import AUDIT_ONLY, BY_TABLE
from fairwitness.detectors import engines
from fairwitness.detectors.base import Detector
from fairwitness.detectors.registry import DetectorRefused, check_derived, load_registry
from fairwitness.detectors.runner import run_detector
from fairwitness.detectors.sources import DerivedSource, source_tables
from fairwitness.testing.fixtures import MINIMAL


class Nosy(Detector):
    """Reads protected characteristics under the audit's own purpose."""

    name = "nosy"
    version = "1"
    title = "Nosy"
    standard = "Equality and diversity"
    purpose = "fairness_audit"
    reads = {"people_protected": ("staff_id", "sex")}
    explain = "{value}"

    def build(self, src):
        t = src.table("people_protected")
        return t.select(staff_id=t.staff_id, value=ibis.literal(1.0))


class Sneaky(Nosy):
    """The same read under a conduct purpose, run without the registry's check."""

    name = "sneaky"
    purpose = "counter_corruption"


def test_the_register_reserves_people_protected_to_the_fairness_audit():
    assert BY_TABLE["people_protected"].purposes == ("fairness_audit",)
    assert "fairness_audit" in AUDIT_ONLY


def test_the_registry_refuses_a_detector_or_derived_source_with_the_audit_purpose():
    with pytest.raises(DetectorRefused, match="fairness audit's alone"):
        load_registry([Nosy], plugins=False)
    with pytest.raises(DetectorRefused, match="people_protected.sex may not be read for counter_corruption"):
        load_registry([Sneaky], plugins=False)
    derived = DerivedSource(name="external_links", compute=lambda src: None,
                            reads={"people_protected": ("staff_id", "sex")}, purpose="fairness_audit")  # fmt: skip
    assert any("fairness audit's alone" in p for p in check_derived(derived))


def test_sources_never_expose_people_protected_even_to_an_unchecked_detector(contract_table):
    people = contract_table("people_protected", [{k: v or None for k, v in r.items()} for r in MINIMAL["people_protected"]])
    con = engines.from_arrow("duckdb", {"people_protected": people})
    assert "people_protected" in con.list_tables()
    assert "people_protected" not in source_tables(con)
    out = run_detector(Sneaky, con, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 1, 31))
    assert out.error is not None and "people_protected" in out.error and "not loaded" in out.error
