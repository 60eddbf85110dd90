"""The hold policy: which detectors a fairness audit puts under review, and why.

A detector is put ``under_review`` (`fairwitness.governance.detector_state`) when either

- its **precision** from reviewers' final outcomes — the share of its decided signals not found
  ``false_positive``, over at least ``min_decided`` of them, for the version that ran — falls
  under ``precision_floor``; or
- its **false positive rate ratio** for any group of any attribute is judged ``outside`` the
  band (`fairwitness.fairness.metrics`: enough counts, and a simultaneous interval that excludes
  1). ``attributes`` are the attributes that count: by default the protected characteristics.
  The workload proxies (FTE band, shift pattern, unit type) are reported but do not hold a
  detector by default, because many detectors legitimately apply to one kind of work only (the
  office-attendance rule to hybrid staff, rest-day overtime to rostered officers);
  ``act_on_uncertain`` also acts on ratios outside the band that chance could explain.

`findings` is pure; `apply` records the states and audit events in the store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from fairwitness.fairness.assessment import FairnessReport
from fairwitness.fairness.groups import PROTECTED


class HoldPolicy(BaseModel):
    model_config = ConfigDict(frozen=True)
    precision_floor: float = 0.7
    min_decided: int = 20
    attributes: tuple[str, ...] = PROTECTED
    act_on_uncertain: bool = False


class Precision(BaseModel):
    detector: str
    decided: int
    false_positives: int

    @property
    def precision(self) -> float | None:
        return (self.decided - self.false_positives) / self.decided if self.decided else None


def findings(
    report: FairnessReport, precision: Sequence[Precision] = (), policy: HoldPolicy | None = None
) -> dict[str, list[str]]:
    """detector -> the reasons to put it under review (only detectors with a reason)."""
    policy = policy or HoldPolicy()
    out: dict[str, list[str]] = {}
    for p in precision:
        if p.decided >= policy.min_decided and p.precision is not None and p.precision < policy.precision_floor:
            out.setdefault(p.detector, []).append(
                f"precision {p.precision:.2f} from {p.decided} decided signals is under the floor {policy.precision_floor:.2f}"
            )
    judgements = ("outside", "uncertain") if policy.act_on_uncertain else ("outside",)
    for f in report.findings(metric="fpr", judgements=judgements):
        kind, _, name = f.slice.partition(":")
        if kind != "detector" or f.attribute not in policy.attributes:
            continue
        ci = f"{f.ratio_ci[0]:.2f}-{f.ratio_ci[1]:.2f}" if f.ratio_ci else "n/a"
        out.setdefault(name, []).append(
            f"false positive rate ratio {f.ratio:.2f} (95% CI {ci}) for {f.attribute}={f.group} against {f.reference}, "
            f"{f.events} of {f.of}, outside {report.band.low}-{report.band.high} ({report.source})"
        )
    return out


def outcome_precision(store: Any, versions: Mapping[str, str]) -> list[Precision]:
    """Decided and false-positive signal counts per detector, for the versions that ran (live and purged cases)."""
    from sqlalchemy import func, select

    from fairwitness.governance.models import Decision, OutcomeTally, Signal, SignalOutcome

    counts: dict[str, list[int]] = {}
    live = (
        select(Signal.detector, Signal.detector_version, SignalOutcome.outcome, func.count())
        .join(SignalOutcome, SignalOutcome.signal_pk == Signal.id)
        .join(Decision, Decision.id == SignalOutcome.decision_id)
        .where(Decision.status == "final")
        .group_by(Signal.detector, Signal.detector_version, SignalOutcome.outcome)
    )
    purged = select(OutcomeTally.detector, OutcomeTally.detector_version, OutcomeTally.outcome, OutcomeTally.count)
    with store.session() as s:
        for detector, version, outcome, n in [*s.execute(live), *s.execute(purged)]:
            if versions.get(detector) != version:
                continue
            c = counts.setdefault(detector, [0, 0])
            c[0] += n
            c[1] += n if outcome == "false_positive" else 0
    return [Precision(detector=d, decided=c[0], false_positives=c[1]) for d, c in sorted(counts.items())]


def apply(store: Any, reasons: Mapping[str, list[str]], *, actor: str = "system") -> list[str]:
    """Put each detector with reasons under review; the names newly put under review."""
    from fairwitness.governance.detector_state import put_under_review

    newly = []
    with store.session() as s:
        for detector, why in sorted(reasons.items()):
            if put_under_review(session=s, detector=detector, reasons=why, actor=actor):
                newly.append(detector)
    return newly
