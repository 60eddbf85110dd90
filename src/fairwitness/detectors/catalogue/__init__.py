"""The built-in detector catalogue: one module per detector, module name = ``Detector.name``.

Registered through the ``fairwitness.detectors`` entry point (``builtin``), which the
registry calls to get the detector classes.
"""

from __future__ import annotations

from importlib import import_module

from fairwitness.detectors.base import Detector

MODULES: tuple[str, ...] = (
    "roster_premium_edit",
    "rest_day_swap_overtime",
    "overtime_no_presence",
    "overtime_during_absence",
    "self_authorisation",
    "reciprocal_authorisation",
    "office_attendance",
    "duty_presence_gaps",
    "undeclared_interest",
    "lookups_without_case_ref",
    "lookups_outside_own_cases",
    "repeated_subject_lookups",
    "victim_contact",
    "sickness_secondary_work",
    "excess_hours",
    "absence_pattern",
    "peer_anomaly",
)
"""Detector modules, in catalogue order."""


def builtin_detectors() -> list[type[Detector]]:
    """Every built-in detector class, in catalogue order."""
    out: list[type[Detector]] = []
    for mod_name in MODULES:
        mod = import_module(f"{__name__}.{mod_name}")
        found = [
            obj
            for obj in vars(mod).values()
            if isinstance(obj, type) and issubclass(obj, Detector) and obj is not Detector and obj.__module__ == mod.__name__
        ]
        if len(found) != 1 or found[0].name != mod_name:
            raise RuntimeError(f"module {mod.__name__} must define exactly one detector named {mod_name!r}")
        out.append(found[0])
    return out


__all__ = ["MODULES", "builtin_detectors"]
