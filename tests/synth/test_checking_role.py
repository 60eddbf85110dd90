"""The checking-role decoy: a member of staff whose work is checking records (an intelligence
researcher or disclosure officer in CID, a compliance auditor in Professional Standards, the PNC
bureau), alone in their unit, many times its lookups all period, mostly without a case
reference. Planted as described; neither lookup detector sends them further than a wellbeing
check (`fairwitness.detectors.catalogue._lookup_context`); without the role test
(``checking_roles = ""``) those far above their peers go to a misconduct assessment."""

from __future__ import annotations

import pytest

from fairwitness.detectors.runner import run
from fairwitness.ingest import ingest
from fairwitness.workspace import Workspace
from tests.synth.conftest import Force, make_force

DETECTORS = ["lookups_without_case_ref", "lookups_outside_own_cases"]


@pytest.fixture(scope="module")
def force(tmp_path_factory: pytest.TempPathFactory) -> Force:
    return make_force(tmp_path_factory, "checking-role", people=600, months=2, seed=3, checking_role=10)


def test_planted_alone_in_their_unit_with_their_lookups_mostly_without_a_case(force) -> None:
    decoys = force.planted("checking_role")
    people = force.table("people").set_index("staff_id")
    assert 2 <= len(decoys) <= force.cfg.planted_count("checking_role")
    mine = people.loc[decoys["staff_id"]]
    assert set(mine["role"]) <= {"Intelligence Researcher", "Disclosure Officer", "Information Compliance Auditor",
                                 "PNC Bureau Operator"}
    assert mine["unit_id"].is_unique  # one to a unit
    sa = force.table("system_access")
    n = sa.groupby("staff_id").size()
    no_case = sa[sa["case_ref"].isna()].groupby("staff_id").size()
    for s, row in mine.iterrows():
        unit = people.index[people["unit_id"] == row["unit_id"]]
        assert no_case.get(s, 0) >= 0.7 * n.get(s, 0)
        assert no_case.get(s, 0) >= 10 * max(no_case.reindex(unit).fillna(0).median(), 1)


def test_the_role_is_the_comparison_not_the_unit(force, tmp_path) -> None:
    ws = Workspace(tmp_path / "ws")
    ingest(force.out, ws)
    ids = set(force.planted("checking_role")["staff_id"])

    def routes(params):  # noqa: ANN001, ANN202
        sig = run(ws, engine="duckdb", detectors=DETECTORS, params=params).signals.to_pandas()
        return sig[sig["staff_id"].isin(ids)]

    held = routes(None)
    assert set(held["route"]) <= {"wellbeing"}
    off = routes({d: {"checking_roles": ""} for d in DETECTORS})
    conduct = set(off[off["route"] == "misconduct_assessment"]["staff_id"])
    assert conduct and conduct <= set(held["staff_id"])  # the same people, held at a wellbeing check
