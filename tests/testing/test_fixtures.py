"""The minimal data set's helper for tests of one table's export form."""

from __future__ import annotations

import copy

from fairwitness.testing.fixtures import MINIMAL, with_references


def test_a_changed_table_brings_what_its_rows_reference_and_the_identities():
    tables = copy.deepcopy(MINIMAL)
    tables["absences"][0]["start"] = "2025-08-04"
    # absences name a person (or a system identifier); people name their unit, units their site
    assert set(with_references(tables)) == {"absences", "identities", "people", "units", "sites"}


def test_a_table_written_by_the_test_itself_is_followed_even_when_left_out_of_the_set():
    tables = {k: v for k, v in copy.deepcopy(MINIMAL).items() if k != "roster_changes"}
    assert set(with_references(tables, about=("roster_changes",))) == {"shifts", "people", "units", "sites", "identities"}
    assert set(with_references(tables, about=("external_records",))) == {"external_records", "people", "units", "sites"}


def test_nothing_changed_and_nothing_named_is_the_whole_set():
    assert with_references(copy.deepcopy(MINIMAL)) == MINIMAL
    assert set(with_references(MINIMAL, about=("complaints",))) == {"complaints", "identities", "people", "units", "sites"}
