"""The fairness audit on a synthetic force: the biased test plugin is caught, the catalogue is not."""

from __future__ import annotations

import pytest

from fairwitness.fairness import policy
from fairwitness.fairness.assessment import assess
from fairwitness.fairness.groups import ATTRIBUTES, PROTECTED
from fairwitness.governance.db import create_store

BIASED = "part_time_suspicion"


@pytest.fixture(scope="module")
def report(audited_force):
    return assess(audited_force.workspace, truth=audited_force.data)


def test_every_slice_has_every_attribute_with_counts(report, audited_force):
    assert report.source == "truth" and report.run_id == audited_force.run_id
    keys = {s.key for s in report.slices}
    assert {f"detector:{BIASED}", "route:advice", "route:any_adverse", "route:criminal_referral"} <= keys
    advice = report.slice("route:advice")
    assert {r.attribute for r in advice.rows} == set(ATTRIBUTES)
    for attribute in ATTRIBUTES:
        rows = [r for r in advice.rows if r.attribute == attribute]
        assert sum(r.people for r in rows) == report.people  # every person in exactly one group
        assert sum(r.flag.events for r in rows) == advice.flagged
        ref = next(r for r in rows if r.group == r.reference)
        assert ref.people == max(r.people for r in rows)  # the largest group is the reference
    assert report.slice("route:wellbeing").rows[0].fpr is None  # not adverse: no error rates


def test_the_biased_plugin_is_caught_on_sex_and_the_catalogue_is_not(report):
    found = report.findings(protected_only=True)
    assert {(f.slice, f.attribute, f.group) for f in found if f.slice == f"detector:{BIASED}"} >= {
        (f"detector:{BIASED}", "sex", "Female")
    }
    women = next(f for f in found if f.slice == f"detector:{BIASED}" and f.group == "Female")
    assert women.ratio > 1.25 and women.ratio_ci[0] > 1.0
    catalogue = {f.slice for f in found if f.slice.startswith("detector:") and f.slice != f"detector:{BIASED}"}
    assert catalogue == set(), f"a default detector judged unfair on this force: {catalogue}"


def test_the_policy_puts_only_the_biased_detector_under_review(report):
    reasons = policy.findings(report)
    assert list(reasons) == [BIASED]
    assert any("sex=Female" in r for r in reasons[BIASED])
    assert policy.HoldPolicy().attributes == PROTECTED


def test_precision_floor_needs_enough_decided_signals(report):
    few = [policy.Precision(detector="office_attendance", decided=5, false_positives=5)]
    many = [policy.Precision(detector="office_attendance", decided=40, false_positives=20)]
    assert "office_attendance" not in policy.findings(report, few)
    why = policy.findings(report, many)["office_attendance"]
    assert why == ["precision 0.50 from 40 decided signals is under the floor 0.70"]
    assert "office_attendance" not in policy.findings(report, many, policy.HoldPolicy(precision_floor=0.4))


def test_labels_from_outcomes_without_decisions_leave_flagged_people_unknown(audited_force, tmp_path):
    store = create_store(f"sqlite:///{tmp_path / 'g.sqlite'}")
    try:
        r = assess(audited_force.workspace, store=store)
    finally:
        store.dispose()
    advice = r.slice("route:advice")
    assert r.source == "outcomes" and advice.flagged > 0
    assert advice.labelled_flagged == 0 and advice.false_positives == 0
    assert all(row.fpr.judgement in ("no_errors", "too_few") for row in advice.rows)


def test_a_forced_reference_group_that_nobody_is_in_is_refused(audited_force):
    with pytest.raises(ValueError, match="sex='Nobody' has nobody"):
        assess(audited_force.workspace, truth=audited_force.data, references={"sex": "Nobody"})
