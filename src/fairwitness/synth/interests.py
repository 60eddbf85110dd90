"""Declared interests and the external records that show interests.

About 13% of officers and 8% of staff declare a business interest or secondary
employment, ~0.7% a membership of a hierarchical organisation, and some declare
relationships and hospitality. External records (company directorships, payroll and
membership lists, open-source and intelligence reports) show many declared interests
again, keyed by staff id or only by name and date of birth as another organisation
wrote them, plus many records about members of the public, some sharing a name with
staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from fairwitness.synth.clock import DAY, Period
from fairwitness.synth.config import SynthConfig
from fairwitness.synth.names import (
    business_name, club_name, counterparty_variant, dob_variant, draw_names, full_name, lodge_name, spelling_variant,
)
from fairwitness.synth.organisation import Organisation
from fairwitness.synth.workforce import OFFICER, STAFF

RECORD_SOURCE = {
    "directorship": ("companies_house",),
    "employment": ("hmrc_rti", "open_source", "intelligence_report"),
    "membership": ("membership_list", "open_source", "intelligence_report"),
    "relationship": ("intelligence_report", "open_source"),
}


@dataclass
class Interests:
    declarations: list[tuple] = field(default_factory=list)  # (p, kind, counterparty, declared_at, status)
    records: list[tuple] = field(default_factory=list)  # (kind, counterparty, source, observed_at, strength, p, name, dob[, activity])
    late: list[tuple[int, int, int]] = field(default_factory=list)  # (p, observed_at, declared_at): declared after the deadline

    def declare(self, p: int, kind: str, counterparty: str, at: int, status: str) -> None:
        self.declarations.append((int(p), kind, counterparty, int(at), status))

    def record(self, org: Organisation, p: int, kind: str, counterparty: str, at: int, strength: str,
               rng: np.random.Generator, by_id: bool | None = None, source: str | None = None,
               activity: str | None = None) -> None:
        """An external record about person ``p``: by staff id, or by name and date of birth as recorded elsewhere
        (``activity``: what the organisation does, when the source says)."""
        wf = org.wf
        by_id = rng.random() < 0.35 if by_id is None else by_id
        source = source or RECORD_SOURCE[kind][int(rng.integers(len(RECORD_SOURCE[kind])))]
        cp = counterparty_variant(counterparty, rng)
        if by_id:
            self.records.append((kind, cp, source, int(at), strength, int(p), None, -1, activity))
        else:
            name = spelling_variant(wf.first[p], wf.middle[p], wf.last[p], rng)
            self.records.append((kind, cp, source, int(at), strength, -1, name, dob_variant(int(wf.dob[p]), rng), activity))


def _when(period: Period, rng: np.random.Generator, years_back: float = 5.0) -> int:
    lo = period.start_utc - int(years_back * 365 * DAY)
    return int(rng.integers(lo, period.end_utc - DAY))


DECLARATION_DEADLINE_DAYS = 90
"""The policy's deadline: an interest is declared within this many days of it beginning."""


def _late(org: Organisation, period: Period, p: int, observed: int, declared: int) -> bool:
    """A declaration in the period, more than the deadline after an interest the person held in post."""
    joined = period.start_utc + int(org.wf.start[p]) * DAY
    return declared >= period.start_utc and observed >= joined and declared - observed > DECLARATION_DEADLINE_DAYS * DAY


def natural_interests(org: Organisation, period: Period, used: np.ndarray, rng: np.random.Generator,
                      cfg: SynthConfig | None = None) -> Interests:
    """Declarations and records of ordinary, lawful interests (planted people are left alone).

    An outside record of a declared interest may predate the declaration by up to
    ``cfg.declaration_lag_days``; when that is more than `DECLARATION_DEADLINE_DAYS` and the
    declaration falls in the period, the declaration was late — a minor breach, listed in
    ``late`` for the truth table."""
    cfg = cfg or SynthConfig()
    wf, n = org.wf, org.n
    out = Interests()
    free = ~used & np.isin(wf.category, (OFFICER, STAFF))
    rate = np.where(wf.category == OFFICER, 0.13, 0.08)
    for p in np.flatnonzero(free & (rng.random(n) < rate)):
        for _ in range(1 + int(rng.random() < 0.2)):
            kind = "business_interest" if rng.random() < 0.45 else "secondary_employment"
            cp = business_name(rng)
            at = _when(period, rng)
            status = rng.choice(["approved", "refused", "withdrawn", "pending"], p=[0.84, 0.06, 0.06, 0.04])
            if status == "pending":
                at = int(period.end_utc - rng.integers(1, 90) * DAY)
            out.declare(p, kind, cp, at, str(status))
            if status in ("approved", "pending") and rng.random() < 0.55:
                rk = "directorship" if kind == "business_interest" and rng.random() < 0.7 else "employment"
                observed = max(at - int(rng.integers(0, cfg.declaration_lag_days + 1)) * DAY, period.start_utc - 3 * 365 * DAY)
                out.record(org, p, rk, cp, observed, "confirmed" if rng.random() < 0.7 else "indicative", rng)
                if _late(org, period, p, observed, at):
                    out.late.append((int(p), int(observed), int(at)))
    for p in np.flatnonzero(free & (rng.random(n) < 0.007)):
        lodge = lodge_name(rng)
        at = _when(period, rng, 1.0)
        out.declare(p, "membership", lodge, at, "approved")
        if rng.random() < 0.5:
            observed = at + int(rng.integers(-200, 200)) * DAY
            out.record(org, p, "membership", lodge, observed, "confirmed", rng)
            if _late(org, period, p, observed, at):
                out.late.append((int(p), int(observed), int(at)))
    for p in np.flatnonzero(free & (rng.random(n) < 0.015)):
        out.declare(p, "relationship", rng.choice(["Partner employed by the force", "Family member known to police",
                                                   "Partner works for a security company"]), _when(period, rng), "approved")
    for p in np.flatnonzero(free & (rng.random(n) < 0.04)):
        for _ in range(int(rng.integers(1, 4))):
            host = business_name(rng).replace(" Ltd", "")
            what = rng.choice(["Lunch", "Conference place", "Event tickets", "Dinner", "Gift"])
            out.declare(p, "gift_hospitality", f"{what} - {host}", _when(period, rng, 2.0),
                        str(rng.choice(["approved", "refused"], p=[0.85, 0.15])))
    # Lawful interests that need no declaration: clubs and past employers.
    for p in np.flatnonzero(free & (rng.random(n) < cfg.club_rate)):
        if rng.random() < 0.6:
            out.record(org, p, "membership", club_name(rng), _when(period, rng, 3.0), "confirmed", rng)
        else:
            before = period.start_utc + int(wf.start[p]) * DAY - int(rng.integers(30, 900)) * DAY
            out.record(org, p, "employment", business_name(rng), before, "confirmed", rng, source="hmrc_rti")
    _public_records(org, period, out, rng, cfg.namesake_share)
    return out


def _public_records(org: Organisation, period: Period, out: Interests, rng: np.random.Generator,
                    namesake_share: float = 0.1) -> None:
    """Records about members of the public; ``namesake_share`` of them share a name with a member
    of staff, born 200 days to 25 years apart (a quarter of those exactly 10 or 12 years apart
    to the day: one or two characters of the date away)."""
    wf = org.wf
    m = int(0.4 * org.n) + 20
    female = rng.random(m) < 0.5
    eth = list(rng.choice(["White", "Asian", "Black", "Mixed"], size=m, p=[0.7, 0.15, 0.1, 0.05]))
    first, middle, last = draw_names(female, eth, rng)
    namesake = rng.random(m) < namesake_share
    src = rng.integers(0, org.n, m)
    for i in range(m):
        if namesake[i]:
            j = src[i]
            name = full_name(wf.first[j], "", wf.last[j])
            gap = int(rng.choice([3652, 4383])) if rng.random() < 0.25 else int(rng.integers(200, 9000))
            dob = int(wf.dob[j]) + gap * int(rng.choice([-1, 1]))
        else:
            name = full_name(first[i], middle[i], last[i])
            dob = int(rng.integers(-5500, 12000))
        kind = str(rng.choice(["directorship", "employment", "membership", "relationship"], p=[0.4, 0.35, 0.15, 0.1]))
        cp = lodge_name(rng) if kind == "membership" and rng.random() < 0.5 else club_name(rng) if kind == "membership" else business_name(rng)
        if kind == "relationship":
            cp = "Associate of a person of interest"
        srcs = RECORD_SOURCE[kind]
        out.records.append((kind, cp, srcs[int(rng.integers(len(srcs)))], _when(period, rng, 3.0),
                            "confirmed" if rng.random() < 0.6 else "indicative", -1, name, dob))
