from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from fairwitness.contract import BY_NAME, TABLES, ingest_order
from fairwitness.contract.docs import render
from fairwitness.contract.purposes import BY_TABLE, PURPOSES, check_access

ROOT = Path(__file__).resolve().parents[2]


def test_contract_doc_is_generated_from_the_declarations():
    doc = ROOT / "docs/reference/contract.md"
    assert doc.read_text() == render(), "run `fairwitness contract --out docs/reference/contract.md`"


def test_the_contract_has_the_published_tables():
    assert set(BY_NAME) == {
        "people", "people_protected", "units", "sites", "identities", "shifts", "roster_changes",
        "overtime_claims", "absences", "badge_events", "device_events", "system_access", "comms_events",
        "expenses", "case_parties", "declarations", "external_records", "complaints", "truth",
    }


def test_ingest_order_puts_references_first():
    order = [t.name for t in ingest_order()]
    for t in TABLES:
        for c in t.columns:
            if c.references and t.ingested:
                target = c.references.split(".")[0]
                if target != t.name:
                    assert order.index(target) < order.index(t.name)


def test_arrow_schema_uses_utc_naive_timestamps():
    schema = BY_NAME["shifts"].arrow_schema()
    assert schema.field("start").type == pa.timestamp("us")


def test_every_ingested_table_is_in_the_purpose_register():
    for t in TABLES:
        if t.ingested:
            assert t.name in BY_TABLE
    for s in BY_TABLE.values():
        assert set(s.purposes) <= set(PURPOSES)


def test_protected_characteristics_are_only_for_the_fairness_audit():
    assert check_access("people_protected", ["sex"], "counter_corruption")
    assert not check_access("people_protected", ["sex"], "fairness_audit")
    assert check_access("people", ["display_name"], "counter_corruption")
    assert not check_access("people", ["staff_id", "unit_id"], "counter_corruption")
