"""Decoys: data that looks unusual for a legitimate reason, recorded in truth as ``decoy``."""

from __future__ import annotations

import numpy as np

from fairwitness.synth.absence import mark_leave, plant_sickness
from fairwitness.synth.amendments import DUTY_TYPE
from fairwitness.synth.clock import DAY
from fairwitness.synth.identifiers import PUBLIC_BASE
from fairwitness.synth.interests import Interests
from fairwitness.synth.names import BUSINESS_WORDS, building_name, business_name, lodge_name
from fairwitness.synth.organisation import HQ, INVESTIGATION, OFFICE, RESPONSE, SPECIALIST
from fairwitness.synth.overtime import Surge, add_extensions, add_rest_day_duty
from fairwitness.synth.planting import Planting
from fairwitness.synth.roster import NORMAL, PARENTAL, REST, TRAINING
from fairwitness.synth.workforce import OFFICER, STAFF


def _no_parental(pl: Planting) -> np.ndarray:
    return ~(pl.roster.kind == PARENTAL).any(axis=1)


def plant_surge(pl: Planting) -> Surge | None:
    """One unit (more at large sizes) in a major-incident surge: heavy overtime, all worked."""
    n = pl.cfg.planted_count("surge_unit_overtime")
    if not pl.cfg.surge_unit or n == 0:
        return None
    org = pl.org
    claim = org.claimant & org.wf.employed_throughout & ~pl.used
    units = np.flatnonzero(np.isin(org.unit_type, (RESPONSE, SPECIALIST)))
    sizes = np.bincount(org.unit[claim], minlength=len(org.unit_name))[units]
    units = units[sizes > 0]
    if not len(units):
        return None
    pl.rng.shuffle(units)
    chosen, total = [], 0
    for u in units:
        chosen.append(int(u))
        total += int((claim & (org.unit == u)).sum())
        if total >= n:
            break
    days = pl.period.days
    length = min(int(pl.rng.integers(21, 36)), days)
    first = int(pl.rng.integers(int(days * 0.15), max(int(days * 0.85) - length, int(days * 0.15)) + 1)) if days > length else 0
    first = min(first, days - length)
    members = np.flatnonzero(claim & np.isin(org.unit, chosen))
    pl.used[members] = True
    pl.record(members, "surge_unit_overtime", *pl.utc_days(first, first + length), "decoy")
    return Surge(units=tuple(chosen), first=first, last=first + length)


def plant_long_term_sickness(pl: Planting) -> None:
    n = pl.cfg.planted_count("long_term_sickness")
    days = pl.period.days
    ps, ss, es, ks, _ = pl.spells.arrays()
    inside = np.minimum(es, days) - np.maximum(ss, 0)
    long = (ks == 0) & (es - ss > 28) & (inside >= min(14, days // 2))
    cand = np.zeros(pl.org.n, dtype=bool)
    cand[ps[long]] = True
    found = pl.pick("long_term_sickness", cand, n)
    for p in found:
        i = np.flatnonzero(long & (ps == p))[0]
        pl.record(p, "long_term_sickness", *pl.utc_days(max(ss[i], 0), min(es[i], days)), "decoy")
    paid = np.isin(pl.org.wf.category, (OFFICER, STAFF)) & _no_parental(pl)
    for p in pl.pick("long_term_sickness", paid, n - len(found)):
        length = int(pl.rng.integers(35, 121))
        s = int(pl.rng.integers(-20, max(days - 30, -19)))
        plant_sickness(pl.roster, pl.spells, p, s, s + length, int(pl.rng.choice([0, 1, 2])))
        pl.record(p, "long_term_sickness", *pl.utc_days(max(s, 0), min(s + length, days)), "decoy")


def plant_early_return(pl: Planting) -> None:
    """Back at work before a sickness spell's recorded end, the return never recorded: the spell
    still covers two duties worked (badged, logged in like any other), the second finished late
    and its overtime claimed. Overtime inside a recorded absence, the work plainly done."""
    roster, rng, days, per = pl.roster, pl.rng, pl.period.days, pl.period
    claims = pl.claims.arrays()

    def one(p: int) -> bool:
        duty = np.flatnonzero(roster.kind[p] == NORMAL)
        duty = duty[(duty >= 8) & (duty < days - 5)]
        if len(duty) < 2:
            return False
        i = int(rng.integers(0, len(duty) - 1))
        worked = duty[i : i + 2]
        if worked[1] - worked[0] > 3:
            return False
        start, dur = roster.start[p, worked].copy(), roster.dur[p, worked].copy()
        s, e = int(worked[0]) - int(rng.integers(3, 8)), int(worked[1]) + int(rng.integers(2, 5))
        mine = claims["p"] == p
        if (mine & (claims["start"] < per.at(e, 0)) & (claims["end"] > per.at(s, 0))).any():
            return False  # the spell would cover overtime already claimed: a different story
        plant_sickness(roster, pl.spells, p, s, e, int(rng.choice([0, 1, 2])))
        roster.set_duty(np.full(2, p), worked, NORMAL, start, dur)
        add_extensions(roster, pl.period, pl.claims, np.array([p]), worked[1:], int(rng.choice([60, 90, 120])), rng)
        if not roster.extra[p, worked[1]]:
            return False  # the late finish did not fit before the next duty: an honest sickness, no decoy
        pl.record(p, "early_return", *pl.utc_days(s, e), "decoy")
        return True

    paid = np.isin(pl.org.wf.category, (OFFICER, STAFF)) & _no_parental(pl)
    pl.plant("early_return", pl.org.claimant & paid, one)


def plant_part_day_appointment(pl: Planting) -> None:
    """A medical appointment recorded as HR systems write a part day, the date and its hours
    (SAP's ABMST): a day duty worked around it, finished late, the overtime claimed. Overtime on
    the date of a recorded sickness, which hours of that day were absent unknown."""
    roster, rng, days = pl.roster, pl.rng, pl.period.days

    def one(p: int) -> bool:
        day = np.flatnonzero((roster.kind[p] == NORMAL) & (roster.start[p] >= 420) & (roster.start[p] <= 600))
        day = day[(day >= 1) & (day < days - 1) & (roster.start[p, day].astype(int) + roster.dur[p, day] <= 1200)]
        if not len(day):
            return False
        d = int(rng.choice(day))
        add_extensions(roster, pl.period, pl.claims, np.array([p]), np.array([d]), int(rng.choice([60, 90, 120])), rng)
        if not roster.extra[p, d]:
            return False
        pl.spells.part_days.append((p, d, float(rng.choice([1.5, 2.0, 2.5, 3.0]))))
        pl.record(p, "part_day_appointment", *pl.utc_days(d, d + 1), "decoy")
        return True

    paid = np.isin(pl.org.wf.category, (OFFICER, STAFF)) & _no_parental(pl)
    pl.plant("part_day_appointment", pl.org.claimant & paid, one)


def plant_cancelled_leave(pl: Planting) -> None:
    """Annual leave booked and then not taken (cancelled for a recall or a change of plan, or
    rejected), the request still in the HR export with its status, as leave-request exports hold
    every request: the days worked as rostered, one finished late, the overtime claimed.
    Overtime inside a recorded annual leave, the record marked as not taken."""
    roster, rng, days = pl.roster, pl.rng, pl.period.days

    def one(p: int) -> bool:
        ok = (roster.kind[p] == NORMAL) & (roster.start[p] >= 420) & (roster.start[p] <= 600)
        ok &= roster.start[p].astype(int) + roster.dur[p] <= 1200
        start = np.flatnonzero(ok[:-3] & ok[1:-2] & (np.arange(days - 3) >= 1))
        if not len(start):
            return False
        s = int(rng.choice(start))
        n = 2 + int(ok[s + 2])  # two or three working days
        d = s + int(rng.integers(0, n))
        add_extensions(roster, pl.period, pl.claims, np.array([p]), np.array([d]), int(rng.choice([60, 90, 120])), rng)
        if not roster.extra[p, d]:
            return False
        pl.spells.withdrawn.append((p, s, s + n, str(rng.choice(["cancelled", "cancelled", "rejected"]))))
        pl.record(p, "cancelled_leave", *pl.utc_days(s, s + n), "decoy")
        return True

    paid = np.isin(pl.org.wf.category, (OFFICER, STAFF)) & _no_parental(pl)
    pl.plant("cancelled_leave", pl.org.claimant & paid, one)


def plant_part_time(pl: Planting) -> None:
    p = pl.pick("part_time_pattern", pl.org.wf.part_time)
    pl.record(p, "part_time_pattern", *pl.utc_days(0, pl.period.days), "decoy")


def plant_leave_explains_attendance(pl: Planting) -> None:
    """Hybrid-rule people away for weeks on leave, a course or sick: low attendance, explained."""
    org, roster, rng = pl.org, pl.roster, pl.rng
    days = pl.period.days
    for p in pl.pick("leave_explains_attendance", org.hybrid & (org.pattern == OFFICE) & _no_parental(pl)):
        length = int(min(rng.integers(21, 43), max(days - 7, 7)))
        s = int(rng.integers(0, max(days - length, 1)))
        e = s + length
        what = rng.random()
        if what < 0.5:
            mark_leave(roster, p, s, e)
        elif what < 0.75:
            d = s + np.flatnonzero(roster.kind[p, s:e] == NORMAL)
            roster.set_duty(np.full(len(d), p), d, TRAINING, 480, 480)
            t = pl.period.at(d, 480)
            by = pl.auth.manager[p] if pl.auth.manager[p] >= 0 else p  # the top of a chain books their own course
            pl.log.add(np.full(len(d), p), d, by, t - rng.integers(14, 60) * DAY, DUTY_TYPE, NORMAL, TRAINING)
        else:
            plant_sickness(roster, pl.spells, p, s, e, int(rng.choice([1, 3])))
        pl.record(p, "leave_explains_attendance", *pl.utc_days(s, e), "decoy")


def plant_recall(pl: Planting) -> None:
    """Recalled on a rest day at short notice; the supervisor books and authorises it; worked."""
    org, roster, rng = pl.org, pl.roster, pl.rng

    def one(p: int) -> bool:
        d = np.flatnonzero(roster.kind[p] == REST)
        d = d[roster.fits(np.full(len(d), p), d, np.full(len(d), 420), np.full(len(d), 1080))]
        if not len(d):
            return False
        d = np.sort(rng.choice(d, size=min(len(d), int(rng.integers(2, 4))), replace=False))
        ok = add_rest_day_duty(org, roster, pl.period, pl.claims, pl.log, pl.auth, np.full(len(d), p), d, rng,
                               recall=np.ones(len(d), bool), reason=np.full(len(d), "recall_to_duty", dtype=object))
        d = d[ok]
        if not len(d):
            return False
        t0 = pl.period.at(d[:1], roster.start[p, d[:1]])
        t1 = pl.period.at(d[-1:], roster.start[p, d[-1:]].astype(int) + roster.dur[p, d[-1:]])
        if pl.cfg.recall_lookups > 0:
            _recall_lookups(pl, p, d)
        pl.record(p, "recall_to_duty", t0, t1, "decoy")
        return True

    pl.plant("recall_to_duty", org.claimant & roster.rota, one)


def _recall_lookups(pl: Planting, p: int, d: np.ndarray) -> None:
    """Lookups on the recall days on top of the usual ones (``recall_lookups`` times a usual
    duty's, varying per day): who is at the scene, who called in, who is linked — 70% with no
    case reference (the incident has none yet), the rest citing a case outside one's own."""
    roster, rng, per = pl.roster, pl.rng, pl.period
    start, dur = roster.start[p, d].astype(np.int64), roster.dur[p, d].astype(np.int64)
    lam = pl.profile.lookups[p] * dur / 600 * pl.cfg.recall_lookups * rng.uniform(0.5, 1.5, len(d))
    k = rng.poisson(lam)
    if not k.sum():
        return
    day = np.repeat(d, k)
    minute = np.repeat(start, k) + 15 + (rng.random(len(day)) * np.maximum(np.repeat(dur, k) - 30, 30)).astype(np.int64)
    subject = PUBLIC_BASE + rng.integers(0, 50_000_000, len(day))
    cases = pl.cases
    case = np.full(len(day), -1, dtype=np.int64)
    if len(cases.case_number):
        cited = rng.random(len(day)) >= 0.7
        case[cited] = cases.case_number[rng.integers(0, len(cases.case_number), int(cited.sum()))]
    system = rng.choice([0, 1, 2, 3], size=len(day), p=[0.45, 0.25, 0.2, 0.1]).astype(np.int8)
    pl.extras.add_lookups(np.full(len(day), p), per.at(day, minute), system, np.zeros(len(day), np.int8), subject, case)


def plant_declared_secondary_work(pl: Planting, interests: Interests) -> None:
    """Declared and approved secondary work or membership that an external record shows."""
    org, rng, per = pl.org, pl.rng, pl.period
    for p in pl.pick("declared_secondary_work", np.isin(org.wf.category, (OFFICER, STAFF))):
        r = rng.random()
        kind, rkind, cp = (
            ("secondary_employment", "employment", business_name(rng)) if r < 0.5
            else ("business_interest", "directorship", business_name(rng)) if r < 0.85
            else ("membership", "membership", lodge_name(rng))
        )
        declared = per.start_utc - int(rng.integers(30, 4 * 365)) * DAY
        observed = per.start_utc + int(rng.integers(0, per.days)) * DAY + int(rng.integers(0, DAY))
        interests.declare(p, kind, cp, declared, "approved")
        interests.record(org, p, rkind, cp, observed, "confirmed" if rng.random() < 0.7 else "indicative", rng)
        pl.record(p, "declared_secondary_work", observed, per.end_utc, "decoy")


RESIDENTS_ACTIVITY = "98000 - Residents property management"


def not_for_gain_organisation(rng: np.random.Generator) -> tuple[str, str | None]:
    """A company whose directors hold office for no gain, and its activity as Companies House (or
    a join with the Charity Commission's register) gives it, when it does: the right-to-manage
    or residents' management company of a block of flats, or a charity."""
    r = rng.random()
    if r < 0.35:  # only a right-to-manage company may carry the letters: its name says what it is
        return f"{building_name(rng)} RTM Company Limited", RESIDENTS_ACTIVITY if rng.random() < 0.5 else None
    if r < 0.75:  # named like any company; the SIC code says what it is
        kind = ("Management Company Limited", "Residents Management Ltd", "(Freehold) Limited", "Management Co Ltd")
        return f"{building_name(rng)} {kind[int(rng.integers(len(kind)))]}", RESIDENTS_ACTIVITY
    word = BUSINESS_WORDS[int(rng.integers(len(BUSINESS_WORDS)))]
    name = ("Friends of {w} Park", "{w} Community Trust", "{w} Youth Football Foundation", "{w} Hospice Support")
    return name[int(rng.integers(len(name)))].format(w=word), f"registered charity {int(rng.integers(1_000_000, 1_210_000))}"


def plant_not_for_gain_directorship(pl: Planting, interests: Interests) -> None:
    """An undeclared directorship held for no gain, on Companies House: the person's block's
    residents' management or right-to-manage company, or a charity's trustee board. The
    appointment is filed in the period; for half of them during a sickness spell of 2-4 weeks
    (joining the board while off sick is not working elsewhere)."""
    org, rng, per = pl.org, pl.rng, pl.period
    ok = np.isin(org.wf.category, (OFFICER, STAFF)) & _no_parental(pl)
    for p in pl.pick("not_for_gain_directorship", ok):
        cp, activity = not_for_gain_organisation(rng)
        day = int(rng.integers(7, max(per.days - 30, 8)))
        if rng.random() < 0.5:
            length = int(rng.integers(14, 29))
            plant_sickness(pl.roster, pl.spells, p, day - 3, day - 3 + length, int(rng.choice([0, 1])))
        at = int(per.at(np.array([day]), np.array([int(rng.integers(540, 1020))]))[0])
        interests.record(org, p, "directorship", cp, at, "confirmed", rng, source="companies_house", activity=activity)
        pl.record(p, "not_for_gain_directorship", at, per.end_utc, "decoy")


CHECKING_ROLES = {
    "CID": ("Intelligence Researcher", "Disclosure Officer"),
    "Public Protection": ("Intelligence Researcher", "Disclosure Officer"),
    "Safeguarding": ("Intelligence Researcher",),
    "Major Crime": ("Intelligence Researcher", "Disclosure Officer"),
    "Proactive": ("Intelligence Researcher",),
    "Professional Standards": ("Information Compliance Auditor",),
    "Command and Control": ("PNC Bureau Operator",),
    "Intelligence": ("Intelligence Researcher",),
}
"""Roles whose work is checking records, by the unit (its name) they sit in alone. (The generator's
own Vetting unit is not among them: its vetting officers make the usual HQ lookups, so a vetting
officer who checks would be far above everyone else holding the role — a world this generator
does not model.)"""


def _checking_roles(unit_name: str) -> tuple[str, ...]:
    return next((roles for key, roles in CHECKING_ROLES.items() if key in unit_name), ())


def plant_checking_role(pl: Planting) -> None:
    """Staff whose work is checking records, each alone in a unit where nobody else does: a CID's
    intelligence researcher or disclosure officer, an information compliance auditor in
    Professional Standards, the PNC bureau in Command and Control. All period, 15-35 lookups per
    ten hours worked (from about the unit's usual count to many times it), 80-90% without a case
    reference where the unit nearly always cites one (an audit reference, a briefing), many of
    people outside their own cases."""
    org, rng, prof = pl.org, pl.rng, pl.profile
    fits = np.array([bool(_checking_roles(name)) for name in org.unit_name])
    ok = (org.wf.category == STAFF) & np.isin(org.utype, (INVESTIGATION, HQ)) & fits[org.unit] & (org.wf.level <= 2)
    taken = np.zeros(len(org.unit_type), dtype=bool)
    for p in pl.pick("checking_role", ok):
        if taken[org.unit[p]]:  # one to a unit: the others there do other work
            continue
        taken[org.unit[p]] = True
        roles = _checking_roles(org.unit_name[int(org.unit[p])])
        org.role[p] = roles[int(rng.integers(len(roles)))]
        prof.lookups[p] = rng.uniform(15.0, 35.0)
        prof.no_case[p] = rng.uniform(0.8, 0.9)
        pl.record(p, "checking_role", *pl.utc_days(0, pl.period.days), "decoy")


def plant_victim_followup(pl: Planting) -> None:
    """Honest follow-up of a closed case: 2-4 short, on-duty work-phone calls to a victim or
    witness (marked vulnerable, so the look-alike is exact) 15-75 days after closure — a
    Victims' Code update, a court result, trial preparation — each just after re-reading the
    record (under the case's reference, or by name with none); sometimes one text, sometimes
    the victim rings back."""
    org, cases, rng, per, roster = pl.org, pl.cases, pl.rng, pl.period, pl.roster
    if not len(cases.case_slot):
        return
    owner = cases.slot_owner[cases.case_slot]
    closes = (cases.case_close >= 1) & (cases.case_close < per.days - 16)
    witness_like = np.zeros(cases.n_cases, dtype=bool)
    np.logical_or.at(witness_like, np.repeat(np.arange(cases.n_cases), cases.party_count), cases.party_role <= 1)
    good = closes & witness_like
    eligible = np.zeros(pl.org.n, dtype=bool)
    eligible[owner[good]] = True
    eligible &= org.wf.category == OFFICER

    def one(p: int) -> bool:
        case = int(rng.choice(np.flatnonzero(good & (owner == p))))
        close = int(cases.case_close[case])
        lo, hi = close + 15, min(close + 75, per.days)
        kind = roster.kind[p, lo:hi]
        worked = np.flatnonzero(kind == NORMAL) + lo  # ordinary duty days (a court day is spent in court)
        if len(worked) < 2:
            return False
        days = np.sort(rng.choice(worked, size=min(int(rng.integers(2, 5)), len(worked)), replace=False))
        m = len(days)
        start, dur = roster.start[p, days].astype(np.int64), roster.dur[p, days].astype(np.int64)
        minute = start + 30 + (rng.random(m) * np.maximum(dur - 90, 30)).astype(np.int64)
        ts = per.at(days, minute)
        parties = cases.party_first[case] + np.arange(cases.party_count[case])
        party = int(rng.choice(parties[cases.party_role[parties] <= 1]))
        cases.party_vulnerable[party] = True
        subject = cases.party_subject[party]
        channel = np.zeros(m, dtype=np.int8)
        if rng.random() < 0.2:
            channel[int(rng.integers(0, m))] = 1  # one text: "your case is listed for the 14th"
        duration = np.where(channel == 0, np.clip(np.round(rng.lognormal(np.log(150), 0.5, m)), 30, 840), np.nan)
        inward = rng.random(m) < 0.3
        inward[0] = False
        pl.extras.add_comms(np.full(m, p), ts, channel, np.full(m, subject), inward, duration)
        vts = ts - rng.integers(300, 1500, m)
        # a look at the person's record before each call: under the case reference, or (as often
        # happens) with none, by name, on duty
        ref = np.where(rng.random(m) < 0.4, -1, cases.case_number[case])
        pl.extras.add_lookups(np.full(m, p), vts, np.ones(m, np.int8), np.ones(m, np.int8), np.full(m, subject), ref)
        pl.record(p, "victim_followup", int(vts.min()), int(ts.max()), "decoy")
        return True

    pl.plant("victim_followup", eligible, one)


def plant_surge_lookups(pl: Planting) -> None:
    """The surge unit also looks up far more than usual (``surge_lookups`` times the usual
    rate, varying per person), many without a case reference or outside its own cases: who
    was at the scene, who called in, who is linked — the honest look-alike of a burst."""
    if pl.surge is None or pl.cfg.surge_lookups <= 0:
        return
    prof = pl.profile
    members = np.flatnonzero(np.isin(pl.org.unit, pl.surge.units) & (prof.boost == 0))
    prof.boost[members] = pl.cfg.surge_lookups * pl.rng.uniform(0.5, 1.5, len(members))
    prof.boost_first[members], prof.boost_last[members] = pl.surge.first, pl.surge.last
