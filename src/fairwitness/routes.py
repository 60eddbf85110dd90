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

GRAVE_ROUTES: frozenset[str] = frozenset({"gross_misconduct_assessment", "criminal_referral"})
"""Routes that need corroboration: at least `MIN_KINDS_FOR_GRAVE` independent kinds of evidence."""

MIN_KINDS_FOR_GRAVE = 2
"""Independent kinds of evidence a signal needs for a route in `GRAVE_ROUTES`."""

SINGLE_KIND_CAP = "misconduct_assessment"
"""The gravest route a signal with fewer independent kinds of evidence may take."""

ADVERSE_ROUTES: frozenset[str] = frozenset({"advice", *CONDUCT_ROUTES})
"""Routes adverse to the person named: ``advice`` (a "prevention notice") and the conduct routes."""

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


def corroborated_route(route: str, kinds: list[str] | tuple[str, ...]) -> str:
    """``route``, capped at `SINGLE_KIND_CAP` when it is in `GRAVE_ROUTES` and fewer than
    `MIN_KINDS_FOR_GRAVE` distinct independent kinds of evidence are present."""
    if route in GRAVE_ROUTES and len(set(kinds)) < MIN_KINDS_FOR_GRAVE:
        return SINGLE_KIND_CAP
    return route
