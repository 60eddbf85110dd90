"""The detector reference (``docs/reference/detectors.md``), generated from the classes.

Regenerate with ``python -m fairwitness.detectors.catalogue._doc > docs/reference/detectors.md``;
a test fails when the file and the classes disagree.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

from fairwitness.detectors.base import Detector

HEADER = """# Detector reference

Every built-in detector, generated from its declaration
(`python -m fairwitness.detectors.catalogue._doc > docs/reference/detectors.md`; a test
checks this file is current). Each detector builds one Ibis expression that the runner
executes on DuckDB or Spark; it reads only the tables and columns listed, for its declared
purpose, and returns one row per flag with the person's value, the peer comparison, the
recommended route, the evidence rows and the legitimate explanations found.

**Your force's settings.** The parameters below have the defaults shown; those that are your
force's policy (the attendance rule, how late a declaration may be, which roles check records
for a living, whether your register covers unpaid offices) go in `detectors.toml` in the
workspace, one table per detector (`[undeclared_interest]` then `grace_days = 60`), which every
run applies and records (file and SHA-256) — or `fairwitness run --settings FILE`. A file with
an unknown detector or parameter, or a value of the wrong type, stops the run with the file,
table and key named (`fairwitness.detectors.settings`).

## Conventions shared by the catalogue

- **Period.** A signal covers the run's period (`period_start` to `period_end`, inclusive),
  or, for the lookup detectors' windows and the peer anomaly's month, the part of it where
  the pattern was found (office attendance judges windows too, but reports the period and
  names the window in its detail). Lake timestamps are UTC, so durations and overlaps are right across midnight and the
  DST changes; "which day" questions (a rest day, an office day) use Europe/London time.
- **Peer groups** (`fairwitness.detectors.peers`): unit type × rank band × shift pattern
  (derived from the roster: rotating or days, 8/10/12-hour shifts) × FTE band, falling back
  to coarser groups below `min_group_size` members; a person who falls back is compared with
  everyone in post at that coarser level (`peer_group` gives its size). Demand-driven measures are divided by
  the median of the person's unit in the period before ranking, so a unit in a surge is
  compared with itself; `peer_median` is then the peers' typical value at the person's own
  unit demand. `peer_percentile` is the share of the group at or below the person.
  `robust_z` is the modified z-score (median and MAD, never tighter than Poisson noise for
  counts; 3.5 is the usual outlier threshold); the Tukey fence score counts inter-quartile
  ranges of `ln(1 + x)` above the upper quartile (1.5 outlier, 3 far out).
- **Presence** is any badge event, work-device event (never its location), police-systems
  access or outgoing work communication. Device location outside duty is filtered out by
  the runner before any detector sees it, and no detector needs it.
- **Record linkage** (`fairwitness.linkage.external_links`, derived source
  `external_links`): external records carrying a `staff_id` are linked directly
  (probability 1); records keyed by name and date of birth are linked to
  `people.display_name` / `date_of_birth` by a Splink model with fixed, documented m/u
  probabilities (names normalised for case, accents, titles, punctuation and
  "Surname, Forename" order; a forename given as an initial counts, weakly, when it agrees
  with the other forename and the surname is equal; dates compared exactly, one day apart,
  with one typo within a year, or day and month swapped — never a changed decade: a namesake
  born 10 or 12 years apart is another person) and a prior of one person in `max(len(people), 100000)`. A record can be about
  one person only: when it fits several members of staff, their probabilities are made
  exclusive (two equally good candidates get about one half each), and `candidates` says
  how many people it fits.
- **Routes.** A wellbeing-purpose detector is always routed `wellbeing`; `max_route` caps
  a detector's route; a detector with `standalone_conduct = False` (a pattern with no breach
  behind it, such as the peer-anomaly score) puts a person on `wellbeing` at most on its own.
  `advice` is adverse too (the Met's "prevention notice"): it needs a breach, and a peer
  outlier with no breach goes to `wellbeing`.
- **Corroboration for gravity.** Each detector declares its independent kinds of evidence
  (`evidence_kinds`). `gross_misconduct_assessment` and `criminal_referral` need at least two
  of them present in the signal, named at the end of its detail (`[independent kinds of
  evidence: …]`) and so in the explanation; with one kind the runner stops the signal at
  `misconduct_assessment`. The registry refuses a detector that can recommend those routes
  without declaring two kinds.
"""


def _params(cls: type[Detector]) -> list[str]:
    fields = cls.Params.model_fields
    if not fields:
        return ["None."]
    rows = ["| parameter | default | meaning |", "|---|---|---|"]
    for name, f in fields.items():
        default: Any = f.default
        if isinstance(default, tuple):
            default = list(default)
        text = json.dumps(default, ensure_ascii=False)
        rows.append(f"| `{name}` | `{text}` | {(f.description or '').replace('|', '/')} |")
    return rows


def _reads(decl: dict[str, tuple[str, ...]]) -> list[str]:
    return [f"- `{t}`: " + ", ".join(f"`{c}`" for c in cols) for t, cols in decl.items()] or ["- none"]


def section(cls: type[Detector]) -> str:
    doc = inspect.cleandoc(cls.__doc__ or "")
    lines = [
        f"## `{cls.name}`",
        "",
        f"**{cls.title}** — version {cls.version}; Standards of Professional Behaviour: *{cls.standard}*; "
        f"purpose `{cls.purpose}`.",
        "",
        doc,
        "",
        "- **Routes:** " + ", ".join(f"`{r}`" for r in getattr(cls, "routes", ())),
    ]
    kinds = getattr(cls, "evidence_kinds", {})
    if kinds:
        lines.append("- **Independent kinds of evidence:** " + "; ".join(f"`{k}` ({v})" for k, v in kinds.items()))
    if cls.max_route:
        lines.append(f"- **Route cap (`max_route`):** `{cls.max_route}`")
    if not cls.standalone_conduct:
        lines.append("- **Never alone on a conduct route** (`standalone_conduct = False`)")
    if cls.lookback_days:
        lines.append(f"- **Look-back:** sees event tables {cls.lookback_days} days before the period")
    lines.append("- **Scenarios found:** " + (", ".join(f"`{s}`" for s in cls.scenarios) or "none (context)"))
    lines += ["", "Reads:", "", *_reads(dict(cls.reads))]
    if cls.optional_reads:
        lines += ["", "Reads when loaded (otherwise skipped):", "", *_reads(dict(cls.optional_reads))]
    lines += ["", "Parameters:", "", *_params(cls), ""]
    lines += ["Legitimate explanations checked:", ""]
    lines += [f"- {e}" for e in cls.explanations_checked] or ["- none (a welfare or context signal)"]
    lines += ["", f"Explanation template: “{cls.explain}”", ""]
    return "\n".join(lines)


def render(detectors: list[type[Detector]] | None = None) -> str:
    if detectors is None:
        from fairwitness.detectors.catalogue import builtin_detectors

        detectors = builtin_detectors()
    index = ["| detector | title | routes |", "|---|---|---|"]
    for cls in detectors:
        routes = ", ".join(f"`{r}`" for r in getattr(cls, "routes", ()))
        index.append(f"| [`{cls.name}`](#{cls.name}) | {cls.title} | {routes} |")
    return HEADER + "\n" + "\n".join(index) + "\n\n" + "\n".join(section(c) for c in detectors)


if __name__ == "__main__":  # pragma: no cover
    print(render(), end="")
