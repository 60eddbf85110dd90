"""Confidence intervals: Wilson for a rate, MOVER-R (Wilson-based) for a ratio of two rates.

`wilson` uses SciPy's Wilson score interval. `ratio_interval` combines the two Wilson intervals
by the method of variance estimates recovery for ratios (Donner & Zou, *Statistical Methods in
Medical Research* 21(4), 2012), which stays sensible for small counts and rates near zero,
where the usual log (Katz) interval fails.
"""

from __future__ import annotations

import math

from scipy.stats import binomtest

CONFIDENCE = 0.95


def wilson(k: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float] | None:
    """The Wilson score interval of ``k / n`` (``None`` when ``n`` is 0)."""
    if n <= 0:
        return None
    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=confidence, method="wilson")
    return (round(float(ci.low), 6), round(float(ci.high), 6))


def ratio_interval(k1: int, n1: int, k2: int, n2: int, confidence: float = CONFIDENCE) -> tuple[float, float] | None:
    """Interval for ``(k1/n1) / (k2/n2)``; the upper bound is ``inf`` when the second rate may be 0.

    ``None`` when either denominator is 0 or both counts are 0 (no errors to compare)."""
    if n1 <= 0 or n2 <= 0 or (k1 == 0 and k2 == 0):
        return None
    w1, w2 = wilson(k1, n1, confidence), wilson(k2, n2, confidence)
    assert w1 is not None and w2 is not None
    (l1, u1), (l2, u2) = w1, w2
    p1, p2 = k1 / n1, k2 / n2
    if p2 == 0:
        return (round(l1 / u2, 6) if u2 else 0.0, math.inf)
    prod = p1 * p2
    low_rad = prod**2 - l1 * u2 * (2 * p1 - l1) * (2 * p2 - u2)
    high_rad = prod**2 - u1 * l2 * (2 * p1 - u1) * (2 * p2 - l2)
    low_den = u2 * (2 * p2 - u2)
    high_den = l2 * (2 * p2 - l2)
    low = (prod - math.sqrt(max(low_rad, 0.0))) / low_den if low_den > 0 else l1 / u2
    high = (prod + math.sqrt(max(high_rad, 0.0))) / high_den if high_den > 0 else math.inf
    return (round(max(low, 0.0), 6), round(high, 6) if math.isfinite(high) else math.inf)
