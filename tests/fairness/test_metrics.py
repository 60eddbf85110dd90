"""Group metrics, judgements and intervals on hand-made populations."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from fairwitness.fairness.intervals import ratio_interval, wilson
from fairwitness.fairness.metrics import Band, group_metrics, reference_groups


def frame(groups: dict[str, tuple[int, int, int]]) -> pd.DataFrame:
    """group -> (people, flagged who did nothing wrong, flagged who did)."""
    rows = []
    for g, (n, fp, tp) in groups.items():
        rows += [{"sex": g, "flagged": True, "label": 0.0}] * fp
        rows += [{"sex": g, "flagged": True, "label": 1.0}] * tp
        rows += [{"sex": g, "flagged": False, "label": 0.0}] * (n - fp - tp)
    return pd.DataFrame(rows)


def test_small_group_is_too_few_to_judge_and_is_not_hidden():
    df = frame({"a": (400, 8, 2), "b": (300, 6, 1), "tiny": (6, 3, 0)})
    rows = {r.group: r for r in group_metrics(df, ["sex"], {"sex": "a"}, adverse=True, band=Band())}
    tiny = rows["tiny"]
    assert tiny.people == 6 and tiny.fpr.events == 3  # shown with its counts
    assert tiny.fpr.judgement == "too_few" and tiny.flag.judgement == "too_few"
    assert rows["b"].fpr.judgement == "within"
    assert rows["b"].fpr.ratio == pytest.approx((6 / 299) / (8 / 398), rel=1e-4)


def test_a_large_disparity_is_outside_and_a_noisy_one_uncertain():
    df = frame({"a": (1000, 10, 5), "b": (1000, 60, 5), "c": (100, 2, 0)})
    rows = {r.group: r for r in group_metrics(df, ["sex"], {"sex": "a"}, adverse=True, band=Band())}
    assert rows["b"].fpr.judgement == "outside" and rows["b"].fpr.ratio > 5
    assert rows["b"].fpr.judged_ci[0] > 1  # the simultaneous interval excludes 1
    assert rows["c"].fpr.judgement == "uncertain"  # 2/98 vs 10/990: outside the band, but chance explains it
    assert rows["a"].fpr.ratio == 1.0 and rows["a"].fpr.judgement == "within"


def test_no_errors_anywhere_is_not_a_disparity():
    df = frame({"a": (500, 0, 3), "b": (400, 0, 2)})
    rows = {r.group: r for r in group_metrics(df, ["sex"], {"sex": "a"}, adverse=True, band=Band())}
    assert rows["b"].fpr.judgement == "no_errors" and rows["b"].fpr.ratio is None


def test_errors_only_outside_the_reference_give_an_unbounded_ratio():
    df = frame({"a": (500, 0, 0), "b": (400, 12, 0)})
    b = next(r for r in group_metrics(df, ["sex"], {"sex": "a"}, adverse=True, band=Band()) if r.group == "b")
    assert math.isinf(b.fpr.ratio) and b.fpr.judgement == "outside"


def test_reference_is_the_largest_group_unless_forced():
    df = frame({"a": (50, 0, 0), "b": (80, 0, 0)})
    assert reference_groups(df, ["sex"], {}) == {"sex": "b"}
    assert reference_groups(df, ["sex"], {"sex": "a"}) == {"sex": "a"}


def test_wilson_and_ratio_intervals():
    assert wilson(0, 0) is None
    lo, hi = wilson(5, 100)
    assert lo == pytest.approx(0.0215, abs=1e-3) and hi == pytest.approx(0.1118, abs=1e-3)
    lo, hi = ratio_interval(30, 1000, 10, 1000)
    assert lo < 3.0 < hi and lo > 1.0
    assert ratio_interval(0, 10, 0, 10) is None
    assert ratio_interval(4, 100, 0, 100)[1] == math.inf
