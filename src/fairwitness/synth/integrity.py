"""Planted integrity misconduct: attendance, interests, information misuse, contact with
vulnerable people after a case, and working elsewhere while off sick."""

from __future__ import annotations

import numpy as np

from fairwitness.synth.absence import plant_sickness
from fairwitness.synth.clock import DAY, HOUR
from fairwitness.synth.interests import Interests
from fairwitness.synth.names import business_name, lodge_name
from fairwitness.synth.organisation import OFFICE
from fairwitness.synth.planting import Planting
from fairwitness.synth.roster import COURT, NORMAL, PARENTAL
from fairwitness.synth.workforce import OFFICER, STAFF


MIN_OFFICE_DAYS_SHARE = 0.6
"""Share of a planted low-attendance window's weekdays that must be ordinary office days."""


def plant_low_attendance(pl: Planting) -> None:
    """Hybrid-rule people attending 30-60% of office days, with nothing to explain it."""
    org = pl.org

    def one(p: int) -> bool:
        # the shortfall needs office days to show in: a window spent mostly on sick leave is
        # excused, and would plant a truth row that no fair detector could find
        for _ in range(20):
            first, last = pl.window(56, 240, whole=0.6)
            if (pl.roster.kind[p, first:last] == NORMAL).sum() >= MIN_OFFICE_DAYS_SHARE * (last - first) * 5 / 7:
                pl.attendance.append((int(p), first, last, float(pl.rng.uniform(0.3, 0.6))))
                pl.record(p, "office_attendance_below_rule", *pl.utc_days(first, last), "misconduct")
                return True
        return False

    pl.plant("office_attendance_below_rule", org.hybrid & (org.pattern == OFFICE), one)


def plant_attendance_shortfall(pl: Planting) -> None:
    """A minor breach: hybrid-rule people attending 45-70% of office days all period long."""
    org = pl.org

    def one(p: int) -> bool:
        days = pl.period.days
        if (pl.roster.kind[p] == NORMAL).sum() < MIN_OFFICE_DAYS_SHARE * days * 5 / 7:
            return False
        pl.attendance.append((int(p), 0, days, float(pl.rng.uniform(0.45, 0.7))))
        pl.record(p, "attendance_shortfall", *pl.utc_days(0, days), "misconduct")
        return True

    pl.plant("attendance_shortfall", org.hybrid & (org.pattern == OFFICE), one)


def plant_sickness_work(pl: Planting, interests: Interests) -> None:
    """Declared secondary employment worked during a sickness spell (seen in external records)."""
    org, rng, per = pl.org, pl.rng, pl.period
    ok = np.isin(org.wf.category, (OFFICER, STAFF)) & ~(pl.roster.kind == PARENTAL).any(axis=1)
    for p in pl.pick("sickness_secondary_work", ok):
        length = int(min(rng.integers(14, 46), max(per.days - 10, 7)))
        s = int(rng.integers(min(7, per.days - length), max(per.days - length - 3, min(7, per.days - length) + 1)))
        plant_sickness(pl.roster, pl.spells, p, s, s + length, int(rng.choice([0, 1])))
        employer = business_name(rng)
        interests.declare(p, "secondary_employment", employer, per.start_utc - int(rng.integers(60, 1500)) * DAY, "approved")
        for d in np.sort(rng.choice(np.arange(s + 1, s + length), size=int(rng.integers(2, 4)), replace=False)):
            at = int(per.at(np.array([d]), np.array([int(rng.integers(540, 1200))]))[0])
            interests.record(org, p, "employment", employer, at, "confirmed" if rng.random() < 0.5 else "indicative", rng,
                             source=str(rng.choice(["open_source", "intelligence_report", "hmrc_rti"])))
        pl.record(p, "sickness_secondary_work", *pl.utc_days(s, s + length), "misconduct")


MIN_BURST_DUTY_DAYS = 8
"""Duty days a planted burst of lookups needs inside its window."""


def plant_unjustified_lookups(pl: Planting) -> None:
    """For some weeks, several times the usual lookups, mostly without a case reference or
    of people outside one's own cases."""
    prof = pl.profile
    for p in pl.pick("unjustified_lookups", prof.lookups >= 3):
        # a burst needs working days: a window that falls wholly in leave or sickness would
        # plant a truth row with no lookups behind it
        for _ in range(20):
            first, last = pl.window(21, 70)
            kind = pl.roster.kind[p, first:last]
            if ((kind >= NORMAL) & (kind <= COURT)).sum() >= MIN_BURST_DUTY_DAYS:
                break
        prof.boost[p] = pl.rng.uniform(2.5, 5.0)
        prof.boost_first[p], prof.boost_last[p] = first, last
        pl.record(p, "unjustified_lookups", *pl.utc_days(first, last), "misconduct")


def plant_victim_contact(pl: Planting) -> None:
    """Calls and messages to a vulnerable victim or witness of one's own closed case, with
    record views of them, over weeks after the case closed."""
    org, cases, rng, per = pl.org, pl.cases, pl.rng, pl.period
    if not len(cases.case_slot):
        return
    owner = cases.slot_owner[cases.case_slot]
    closes = (cases.case_close >= 5) & (cases.case_close < per.days - 30)
    witness_like = np.zeros(cases.n_cases, dtype=bool)
    np.logical_or.at(witness_like, np.repeat(np.arange(cases.n_cases), cases.party_count), cases.party_role <= 1)
    good = closes & witness_like
    eligible = np.zeros(org.n, dtype=bool)
    eligible[owner[good]] = True
    eligible &= org.wf.category == OFFICER
    for p in pl.pick("victim_contact_after_case", eligible):
        case = int(rng.choice(np.flatnonzero(good & (owner == p))))
        parties = cases.party_first[case] + np.arange(cases.party_count[case])
        party = int(rng.choice(parties[cases.party_role[parties] <= 1]))
        cases.party_vulnerable[party] = True
        subject = cases.party_subject[party]
        closed = int(per.at(np.array([cases.case_close[case]]), np.array([600]))[0])
        span = int(rng.integers(21, 57)) * DAY
        span = min(span, per.end_utc - closed - DAY)
        m = int(rng.integers(6, 17))
        day = closed + np.sort(rng.integers(DAY, span, m)) // DAY * DAY
        evening = rng.random(m) < 0.7
        ts = day + np.where(evening, rng.integers(18 * HOUR, 23 * HOUR, m), rng.integers(9 * HOUR, 17 * HOUR, m))
        channel = np.where(rng.random(m) < 0.55, 0, 1)
        duration = np.where(channel == 0, np.round(rng.lognormal(np.log(240), 0.8, m)), np.nan)
        pl.extras.add_comms(np.full(m, p), ts, channel, np.full(m, subject), rng.random(m) < 0.3, duration)
        k = int(rng.integers(2, 7))
        vts = closed + np.sort(rng.integers(DAY, span, k))
        case_ref = np.where(rng.random(k) < 0.5, cases.case_number[case], -1)
        pl.extras.add_lookups(np.full(k, p), vts, np.ones(k, np.int8), np.ones(k, np.int8), np.full(k, subject), case_ref)
        pl.record(p, "victim_contact_after_case", min(ts.min(), vts.min()), max(ts.max(), vts.max()), "misconduct")


def plant_undeclared(pl: Planting, interests: Interests) -> None:
    """External interests with no declaration; half the records keyed only by name and date of birth."""
    org, rng, per = pl.org, pl.rng, pl.period
    for scenario, strength in (("undeclared_interest_confirmed", "confirmed"), ("undeclared_interest_indicative", "indicative")):
        chosen = pl.pick(scenario, np.isin(org.wf.category, (OFFICER, STAFF)))
        for i, p in enumerate(chosen):
            r = rng.random()
            kind, cp = ("directorship", business_name(rng)) if r < 0.45 else ("employment", business_name(rng)) if r < 0.75 else ("membership", lodge_name(rng))
            observed = per.start_utc + int(rng.integers(0, max(per.days - 7, 1))) * DAY + int(rng.integers(0, DAY))
            interests.record(org, p, kind, cp, observed, strength, rng, by_id=(i % 2 == 1))
            if rng.random() < 0.3:
                interests.record(org, p, kind, cp, min(observed + int(rng.integers(5, 60)) * DAY, per.end_utc - 1), strength, rng)
            pl.record(p, scenario, observed, per.end_utc, "misconduct")
