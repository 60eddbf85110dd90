"""The not-for-gain directorship decoy: an undeclared directorship on Companies House of the
person's block's right-to-manage or residents' management company, or of a charity, filed in the
period (for half of them during a sickness spell). Planted as described; neither interest detector
holds it against anyone (`fairwitness.detectors.catalogue._interests`); the same export without its
`activity` column leaves only the companies whose names say what they are (RTM) recognised, and
`undeclared_interest` sends the rest to gross misconduct — what a name alone cannot tell apart
from a letting agent's business."""

from __future__ import annotations

import re

import pytest

from fairwitness.detectors.catalogue._interests import NOT_FOR_GAIN_PATTERN
from tests.synth.conftest import Force, make_force, signals_of_export

DETECTORS = ["undeclared_interest", "sickness_secondary_work"]


@pytest.fixture(scope="module")
def force(tmp_path_factory: pytest.TempPathFactory) -> Force:
    return make_force(tmp_path_factory, "not-for-gain", people=400, months=2, seed=7, not_for_gain_directorship=30)


def test_planted_at_rate_as_companies_house_lists_them(force) -> None:
    decoys = force.planted("not_for_gain_directorship")
    assert len(decoys) == force.cfg.planted_count("not_for_gain_directorship") == 12
    er = force.table("external_records")
    mine = er[er["source"] == "companies_house"]
    mine = mine[mine["activity"].notna() | mine["counterparty"].str.contains("RTM", case=False)]
    assert len(mine) == len(decoys) and set(mine["kind"]) == {"directorship"} and set(mine["strength"]) == {"confirmed"}
    decl = force.table("declarations")
    assert not set(decl["staff_id"]) & set(decoys["staff_id"])  # none of them declared
    ab = force.table("absences")
    sick = ab[(ab["type"] == "sickness") & ab["staff_id"].isin(set(decoys["staff_id"]))]
    assert 1 <= sick["staff_id"].nunique() < len(decoys)  # some appointed while off sick


def test_an_office_held_for_no_gain_is_not_held_against_anyone(force, tmp_path) -> None:
    assert _signals(force, tmp_path, activity=True).empty
    named = _signals(force, tmp_path, activity=False)
    # linked by staff id, a company whose name does not say what it is: known by its activity alone
    er = force.table("external_records")
    er = er[er["staff_id"].isin(set(force.planted("not_for_gain_directorship")["staff_id"]))]
    by_activity = {r.staff_id for r in er.itertuples() if not re.search(NOT_FOR_GAIN_PATTERN, r.counterparty.lower())}
    grave = named[(named["detector"] == "undeclared_interest") & (named["route"] == "gross_misconduct_assessment")]
    assert by_activity and by_activity <= set(grave["staff_id"])  # (and others linked by name and birth date)


def _signals(force: Force, tmp, *, activity: bool):  # noqa: ANN001, ANN202
    drop = None if activity else {"external_records": lambda t: t.drop(["activity"])}
    return signals_of_export(force, tmp / f"activity-{activity}", "not_for_gain_directorship", DETECTORS, rewrite=drop)
