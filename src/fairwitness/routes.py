"""Recommended routes: what a flag suggests a person decides next.

A route is a recommendation. People decide; adverse outcomes need four eyes
(see `fairwitness.governance`).
"""

from __future__ import annotations

ROUTES: tuple[str, ...] = (
    "wellbeing",
    "advice",
    "misconduct_assessment",
    "gross_misconduct_assessment",
    "criminal_referral",
)
"""In order of gravity. ``advice`` is the Met's "prevention notice"."""

CONDUCT_ROUTES: frozenset[str] = frozenset(
    {"misconduct_assessment", "gross_misconduct_assessment", "criminal_referral"}
)
"""Routes that start a conduct process; ``wellbeing`` and ``advice`` do not."""

OUTCOMES: tuple[str, ...] = (*ROUTES, "no_further_action", "false_positive")
"""What a reviewer can decide for a signal or case."""

ADVERSE_OUTCOMES: frozenset[str] = frozenset(
    {"advice", "misconduct_assessment", "gross_misconduct_assessment", "criminal_referral"}
)
"""Outcomes that need a second reviewer's concurrence."""


def gravity(route: str) -> int:
    """Position of a route in order of gravity (wellbeing = 0)."""
    try:
        return ROUTES.index(route)
    except ValueError:
        raise ValueError(f"unknown route {route!r}; expected one of {', '.join(ROUTES)}") from None


def gravest(routes: list[str] | tuple[str, ...]) -> str:
    """The gravest of several routes."""
    if not routes:
        raise ValueError("no routes")
    return max(routes, key=gravity)
