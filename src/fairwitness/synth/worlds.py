"""Worlds: synthetic forces whose honest behaviour is sampled, not fixed.

A detector tuned on one generator learns that generator's habits. A *world* draws, from
documented ranges (`RANGES`), how often honest people do things that look odd — follow up
a closed case, look people up in a surge, join clubs, hold declared second jobs, share a
name with someone in an outside record, declare late, fall sick for months and come back
on a phased return, work part time or compressed hours or only nights, look people up when
recalled to duty — and how many minor breaches there are. ``fairwitness synth --world N`` generates
world N; the same N always gives the same settings (`world_config`).

`DEVELOPMENT_WORLDS` were used while the catalogue was developed; `HELD_OUT_WORLDS` were
not, and `make accuracy` measures on them only. ``docs/worlds.md`` is generated from here
(``python -m fairwitness.synth.worlds > docs/worlds.md``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fairwitness.synth.config import SynthConfig

RANGES: dict[str, tuple[float, float, str]] = {
    "victim_followup": (1.0, 8.0, "officers per 1,000 following up a closed case honestly: 2-4 short on-duty work-phone calls to a vulnerable victim or witness 15-75 days after closure, each after re-reading the record under the case reference (Victims' Code updates within 5 working days, court results, trial preparation)"),
    "surge_lookups": (0.0, 3.0, "extra lookups in the surge unit during a major incident, as a multiple of the usual rate (many without a case reference or outside the unit's own cases)"),
    "recall_to_duty": (1.0, 8.0, "people per 1,000 recalled to duty on rest days at short notice, authorised by a supervisor"),
    "surge_unit_overtime": (2.0, 15.0, "people per 1,000 (at least) in units in a major-incident surge"),
    "club_rate": (0.01, 0.08, "share of staff seen in an outside record of a sports or social club, or of a job held before joining (nothing to declare)"),
    "declared_secondary_work": (2.0, 20.0, "people per 1,000 with a declared, approved second job or membership that an outside record also shows"),
    "namesake_share": (0.05, 0.25, "share of outside records about the public that name a member of staff: born 200 days to 25 years apart, a quarter of them exactly 10 or 12 years apart"),
    "declaration_lag_days": (100, 300, "an outside record may predate a declaration by up to this many days; over the 90-day deadline, a declaration made in the period is late (a minor breach in truth, expected route advice)"),
    "long_term_sickness": (2.0, 15.0, "people per 1,000 with a sickness spell of over 28 days"),
    "part_time_pattern": (2.0, 15.0, "people per 1,000 on a part-time pattern with fewer rostered days"),
    "leave_explains_attendance": (1.0, 6.0, "hybrid-rule people per 1,000 away for weeks on leave, a course or sick"),
    "hybrid_floor": (0.80, 0.85, "lowest office attendance of a compliant hybrid-rule person (the rule is 80%); their home days are planned, spread evenly over their office days, so every stretch of weeks realises their rate to within a day"),
    "attendance_shortfall": (0.5, 3.0, "hybrid-rule people per 1,000 attending 45-70% of office days all period (a minor breach, expected route advice)"),
    "noise": (0.3, 0.8, "legitimate irregularity: forgotten badge taps, lookups without a case reference, late roster edits"),
    "recall_lookups": (0.0, 3.0, "extra lookups on each recall-to-duty day, as a multiple of a usual duty's (varying 0.5-1.5 times per day; 70% without a case reference, the rest citing a case outside one's own): briefing checks for the incident"),
    "compressed_hours": (5.0, 40.0, "people per 1,000 (full-time, office hours) working their week in four days of 10-10.5 hours, one weekday off every week (Monday or Friday mostly)"),
    "nights_only_investigator": (2.0, 10.0, "people per 1,000 (investigators not under the hybrid rule) on permanent nights starting 21:00-23:00 for 9 hours: calls to victims and record checks at night, on duty"),
    "phased_return": (2.0, 12.0, "people per 1,000 returning from a sickness spell of over 28 days on a phased return: 2-6 weeks of half, then three-quarter length duties, every other working day at first"),
}
"""Per world, each setting is drawn uniformly from ``(low, high)``; counts are rounded."""

INTEGER = frozenset({"declaration_lag_days"})

DEVELOPMENT_WORLDS: tuple[int, ...] = (1, 2, 3, 101, 102, 103, 104, 105, 106, 107, 108, 112, 113, 114, 115, 116, 121, 132)
"""Worlds used while developing the catalogue (and its tests). 101-104 were held out and measured
first (benchmarks/results/accuracy-worlds-101-104.json), then their misses were diagnosed, so
they are development worlds now; likewise 105-108 (benchmarks/results/evaluate-2000x6-world10*.txt),
whose misses were diagnosed for issue 14's second round, and 112-113
(benchmarks/results/accuracy-heldout-worlds-111-113.md), regenerated to diagnose their misses in the
third round. 114-116 were held out in the third round and measured once
(benchmarks/results/accuracy-heldout-worlds-115-117.md, evaluate-46000x12-world114.txt); 115 and
116 were then regenerated to diagnose their lookup decoys (lookup detectors v6, v7), and 114's
decoys were read and share a cause with 116's, so all three are development worlds now. 121
(46,000 x 12) was held out in the third round; its gross-misconduct false positives (strangers with a
colleague's common name and birth date) were traced in the fourth, so it is a development world now.
132 (2,000 x 6, seed 72) was generated in round 21 with 133 and 134; its one miss (a late declaration
whose outside record misspelt the surname and gave the birth year out) was traced (linkage v9), so it
is a development world now."""

HELD_OUT_WORLDS: tuple[int, ...] = (111, 117, 118, 119, 120, 122, 123, 124, 125, 133, 134)
"""Worlds never looked at while developing: `make accuracy` measures on these. 111 (second round),
117 (third round) and 118-120 (2,000 x 6, generated after the lookup detectors' v7) were measured,
every target met, and never regenerated or diagnosed; 122-124 (2,000 x 6, seeds 62-64) and 125
(46,000 x 12, seed 65) were generated in the fourth round, after the identity check for common names,
once; 133 and 134 (2,000 x 6, seeds 73-74) in round 21, measured once, every target met, not diagnosed.
A world whose miss is fixed becomes a development world."""


def world_settings(world: int) -> dict[str, Any]:
    """The settings of world ``world`` (the same for the same number)."""
    if world < 1:
        raise ValueError(f"world must be a positive integer, not {world}")
    rng = np.random.default_rng([world, 0x5EED])
    out: dict[str, Any] = {}
    for name, (lo, hi, _) in RANGES.items():
        v = float(rng.uniform(lo, hi))
        out[name] = int(round(v)) if name in INTEGER else round(v, 4)
    return out


def world_config(world: int, **base: Any) -> SynthConfig:
    """A `SynthConfig` for world ``world``: ``base`` (size, seed, rota, ids…) plus the world's
    sampled settings. A setting given in ``base`` and in the world is an error."""
    settings = world_settings(world)
    clash = sorted(set(settings) & set(base))
    if clash:
        raise ValueError(f"{', '.join(clash)} are set by the world; leave them out")
    return SynthConfig(**base, **settings, world=world)


def worlds_markdown() -> str:
    """``docs/worlds.md``."""
    lines = [
        "# Worlds",
        "",
        "<!-- generated by `python -m fairwitness.synth.worlds > docs/worlds.md`; do not edit -->",
        "",
        "`fairwitness synth --world N` generates a force whose honest behaviour is drawn from the",
        "ranges below (uniformly, the same N always giving the same draw), so that the catalogue is",
        "measured on behaviour it was not tuned to. Without `--world` the generator's defaults apply.",
        "",
        f"- **Development worlds** (used while developing the catalogue): {', '.join(map(str, DEVELOPMENT_WORLDS))}.",
        f"- **Held-out worlds** (never looked at while developing; `make accuracy` measures on these): "
        f"{', '.join(map(str, HELD_OUT_WORLDS))}.",
        "",
        "Each honest look-alike planted at a rate is a decoy in `truth` (`fairwitness.scenarios.DECOYS`):",
        "no decoy may reach an adverse route, advice included.",
        "",
        "| setting | low | high | what it is |",
        "|---|---|---|---|",
    ]
    for name, (lo, hi, doc) in RANGES.items():
        lines.append(f"| `{name}` | {lo:g} | {hi:g} | {doc} |")
    lines += ["", "## The held-out worlds", "", "| world | " + " | ".join(f"`{n}`" for n in RANGES) + " |",
              "|---|" + "---|" * len(RANGES)]
    for w in HELD_OUT_WORLDS:
        s = world_settings(w)
        lines.append(f"| {w} | " + " | ".join(f"{s[n]:g}" for n in RANGES) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(worlds_markdown(), end="")
