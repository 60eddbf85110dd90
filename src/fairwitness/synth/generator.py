"""`generate`: build a synthetic force and write it in the contract format.

The plan (organisation, roster, absence, overtime, edits, cases, interests and the
planted scenarios) is built for the whole period as compact person x day arrays; the
high-volume events are then generated and written month by month and in chunks of
people, so memory stays bounded whatever the size.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from fairwitness.synth import tables
from fairwitness.synth.absence import Spells, absence_rows, apply_absence
from fairwitness.synth.activity import Extras, build_profile, comms_events, system_access
from fairwitness.synth.amendments import ChangeLog, natural_edits
from fairwitness.synth.authority import Authority
from fairwitness.synth.cases import build_cases
from fairwitness.synth.clock import Period
from fairwitness.synth.conduct import complaints, expenses
from fairwitness.synth.config import SynthConfig, SynthSummary
from fairwitness.synth.credentials import issue_credentials
from fairwitness.synth.decoys import (
    plant_cancelled_leave, plant_checking_role, plant_declared_secondary_work, plant_early_return, plant_leave_explains_attendance,
    plant_long_term_sickness, plant_not_for_gain_directorship, plant_part_day_appointment, plant_part_time, plant_recall,
    plant_surge, plant_surge_lookups, plant_victim_followup,
)
from fairwitness.synth.fraud import (
    plant_overtime_during_absence, plant_overtime_no_presence, plant_premium_edits, plant_reciprocal_authorisation,
    plant_rest_day_swaps, plant_self_authorisation,
)
from fairwitness.synth.identifiers import staff_ids
from fairwitness.synth.integrity import (
    plant_attendance_shortfall, plant_low_attendance, plant_sickness_work, plant_undeclared, plant_unjustified_lookups,
    plant_victim_contact,
)
from fairwitness.synth.interests import Interests, natural_interests
from fairwitness.synth.organisation import build_organisation
from fairwitness.synth.overtime import Claims, finalise, natural_overtime
from fairwitness.synth.patterns import plant_compressed_hours, plant_nights_only, plant_phased_return
from fairwitness.synth.planting import Planting
from fairwitness.synth.presence import badge_events, device_events, worked_cells
from fairwitness.synth.roster import assign_attendance, build_roster
from fairwitness.synth.workforce import build_workforce
from fairwitness.synth.writer import Output

Progress = Callable[[str, int, int], None]
CHUNK = 12_000


def _quiet(step: str, done: int, total: int) -> None:
    return None


def generate(cfg: SynthConfig, out: Path, progress: Progress | None = None) -> SynthSummary:
    """Generate the force described by ``cfg`` into the folder ``out``."""
    began = time.perf_counter()
    say = progress or _quiet

    def rng(*tag: int) -> np.random.Generator:
        return np.random.default_rng([cfg.seed, *tag])

    period = Period(cfg.start, cfg.months)
    wf = build_workforce(cfg.people, period, rng(1))
    org = build_organisation(wf, staff_ids(cfg.people, cfg.id_format, rng(2)), rng(3))
    say("organisation", 1, 1)
    roster = build_roster(org, period, cfg.rota, rng(4))
    spells = apply_absence(org, roster, period, rng(5))
    cases = build_cases(org, period, rng(6))
    creds = issue_credentials(org, period, rng(7))
    say("roster", 1, 1)
    pl = Planting(cfg, org, period, roster, spells, cases, Authority(org), ChangeLog(), Claims(), Extras(),
                  build_profile(org, cfg.noise), rng(8))
    interests = _plan(pl, rng)
    say("planting", 1, 1)

    output = Output(Path(out), cfg.format)
    _write_plan(output, pl, spells, interests, creds, rng)
    say("tables", 1, 1)
    _write_events(output, pl, creds, say, rng)
    rows = output.close()
    truth = Counter(pl.truth_table()["scenario"].tolist())
    return SynthSummary(out=Path(out), rows=rows, truth=dict(truth), seconds=round(time.perf_counter() - began, 2))


def _plan(pl: Planting, rng: Callable[..., np.random.Generator]) -> Interests:
    """Natural behaviour and planted scenarios, in an order where each sees the last."""
    org, roster, period, cfg = pl.org, pl.roster, pl.period, pl.cfg
    interests = Interests()
    pl.surge = plant_surge(pl)
    plant_surge_lookups(pl)
    plant_long_term_sickness(pl)
    plant_part_time(pl)
    plant_compressed_hours(pl)
    plant_nights_only(pl)
    plant_phased_return(pl)
    plant_leave_explains_attendance(pl)
    plant_sickness_work(pl, interests)
    if cfg.not_for_gain_directorship > 0:  # drawn only when asked for: every other force stays as it was
        plant_not_for_gain_directorship(pl, interests)  # its sickness before anybody's overtime is drawn
    plant_overtime_during_absence(pl)
    plant_low_attendance(pl)
    plant_attendance_shortfall(pl)
    plant_premium_edits(pl)
    natural_edits(org, roster, period, pl.log, pl.auth, cfg.noise, rng(9))
    natural_overtime(org, roster, period, pl.claims, pl.log, pl.auth, pl.surge, rng(10))
    plant_rest_day_swaps(pl)
    plant_recall(pl)
    if cfg.early_return > 0:  # drawn only when asked for: every other force stays as it was
        plant_early_return(pl)
    if cfg.part_day_appointment > 0:
        plant_part_day_appointment(pl)
    if cfg.cancelled_leave > 0:
        plant_cancelled_leave(pl)
    assign_attendance(org, roster, pl.attendance, rng(11), floor=cfg.hybrid_floor)
    plant_overtime_no_presence(pl)
    plant_self_authorisation(pl)
    plant_reciprocal_authorisation(pl)
    plant_unjustified_lookups(pl)
    if cfg.checking_role > 0:  # drawn only when asked for: every other force stays as it was
        plant_checking_role(pl)
    plant_victim_contact(pl)
    plant_victim_followup(pl)
    before = pl.used.copy()
    plant_undeclared(pl, interests)
    plant_declared_secondary_work(pl, interests)
    interest_people = pl.used & ~before
    for p, *_ in interests.declarations:
        interest_people[p] = True
    # planted and decoy people are left alone, so their truth rows stay about one thing
    natural = natural_interests(org, period, interest_people | pl.used, rng(12), cfg)
    interests.declarations += natural.declarations
    interests.records += natural.records
    late: dict[int, tuple[int, int]] = {}
    for p, observed, declared in natural.late:
        if not pl.used[p]:  # one truth row per person, never on someone planted with another scenario
            late.setdefault(p, (observed, declared))
    for p, (observed, declared) in sorted(late.items()):
        pl.record(p, "late_declaration", observed, declared, "misconduct")
    return interests


def _by_month(period: Period, day: np.ndarray) -> list[np.ndarray]:
    m = np.clip(period.month_of_day[np.clip(day, 0, period.days - 1)], 0, period.months - 1)
    m = np.where(day < 0, 0, m)
    order = np.argsort(m, kind="stable")
    bounds = np.searchsorted(m[order], np.arange(period.months + 1))
    return [order[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _write_plan(output: Output, pl: Planting, spells: Spells, interests: Interests, creds, rng) -> None:
    org, period, roster = pl.org, pl.period, pl.roster
    output.write("sites", tables.sites(org))
    output.write("units", tables.units(org))
    output.write("people", tables.people(org, period))
    output.write("people_protected", tables.people_protected(org, period))
    output.write("identities", tables.identities(org, creds, period))
    output.write("case_parties", tables.case_parties(org, pl.cases, period))
    output.write("declarations", tables.declarations(org, interests))
    output.write("external_records", tables.external_records(org, interests, rng(13)))
    output.write("complaints", tables.complaints(org, complaints(org, period, rng(14))))
    output.write("expenses", tables.expenses(org, expenses(org, roster, period, rng(15))))
    output.write("truth", tables.truth(org, pl.truth_table()))
    for a, b in period.month_bounds:
        output.write("shifts", tables.shifts(org, roster, period, (a, b)))
    log = pl.log.arrays()
    kind = roster.kind[log["p"], log["d"]]
    log = {k: v[(kind >= 1) & (kind <= 5)] for k, v in log.items()}  # entries since replaced by absence
    order = np.lexsort((log["at"], log["d"]))
    log = {k: v[order] for k, v in log.items()}
    first = 1
    for idx in _by_month(period, log["d"]):
        output.write("roster_changes", tables.roster_changes(org, {k: v[idx] for k, v in log.items()}, first))
        first += len(idx)
    claims = finalise(pl.claims, pl.auth, period, rng(16))
    first = 200_001
    for idx in _by_month(period, period.day_of(claims["start"])):
        output.write("overtime_claims", tables.overtime_claims(org, {k: v[idx] for k, v in claims.items()}, first))
        first += len(idx)
    rows = absence_rows(roster, spells, period, rng(17))
    first = 1
    for idx in _by_month(period, rows["start_day"]):
        output.write("absences", tables.absences(org, {k: v[idx] for k, v in rows.items()}, period, first))
        first += len(idx)


def _write_events(output: Output, pl: Planting, creds, say: Progress, rng) -> None:
    org, period, roster = pl.org, pl.period, pl.roster
    n = org.n
    chunks = [(lo, min(n, lo + CHUNK)) for lo in range(0, n, CHUNK)]
    total, done = len(period.month_bounds) * len(chunks), 0
    sys_id, comms_id = 1_000_001, 1
    for m, (a, b) in enumerate(period.month_bounds):
        t_lo, t_hi = period.at(np.array([a]), 0)[0], period.at(np.array([b]), 0)[0]
        if m == 0:
            t_lo = -(2**62)
        if m == period.months - 1:
            t_hi = 2**62
        for c, (lo, hi) in enumerate(chunks):
            r = rng(20, m, c)
            cells = worked_cells(org, roster, period, slice(lo, hi), (a, b))
            output.write("badge_events", tables.badge_events(org, badge_events(cells, org, creds, period, pl.cfg.noise, r)))
            output.write("device_events", tables.device_events(org, device_events(cells, org, creds, period, r)))
            sa = _merge(system_access(cells, org, pl.cases, pl.profile, r), Extras.select(pl.extras.system, lo, hi, t_lo, t_hi))
            output.write("system_access", tables.system_access(org, sa, sys_id))
            sys_id += len(sa["p"])
            ce = _merge(comms_events(cells, org, pl.cases, pl.profile, r), Extras.select(pl.extras.comms, lo, hi, t_lo, t_hi))
            output.write("comms_events", tables.comms_events(org, ce, comms_id))
            comms_id += len(ce["p"])
            done += 1
            say("events", done, total)


def _merge(base: dict[str, np.ndarray], extra: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    if not len(extra["p"]):
        return base
    out = {k: np.concatenate([base[k], extra[k].astype(base[k].dtype)]) for k in base}
    order = np.lexsort((out["ts"], out["p"]))
    return {k: v[order] for k, v in out.items()}
