"""Where people work: commands, sites, units, line management, rota patterns and roles."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from fairwitness.synth.identifiers import as_text
from fairwitness.synth.workforce import OFFICER, PCSO, SPECIAL, STAFF, VOLUNTEER, Workforce

RESPONSE, NEIGHBOURHOOD, INVESTIGATION, CUSTODY, SPECIALIST, HQ = range(6)
UNIT_TYPES = ("response", "neighbourhood", "investigation", "custody", "specialist", "hq")
ROTA, CUSTODY_ROTA, NEIGHBOURHOOD_WEEK, OFFICE, SPECIAL_DUTY, SPARSE = range(6)
_SIZE = (30, 22, 25, 25, 30, 35)
_BCU = (
    "Central West", "Central North", "North", "North East", "North West", "East", "South", "South East",
    "South West", "West", "Central East", "Central South",
)
_SPECIALIST = ("Firearms", "Roads Policing", "Protection", "Public Order", "Dog Support", "Marine")
_INVESTIGATION = ("CID", "Public Protection", "Safeguarding", "Major Crime", "Proactive")
_HQ = (
    "Human Resources", "Finance", "Digital Policing", "Command and Control", "Professional Standards", "Vetting",
    "Estates", "Learning and Development", "Intelligence", "Corporate Communications", "Legal Services", "Procurement",
)
_ORIGIN = np.array([51.507, -0.128])


@dataclass
class Organisation:
    """Sites, units and people (the workforce plus where each person sits)."""

    wf: Workforce
    staff_id: pa.Array
    site_id: pa.Array
    site_name: list[str]
    site_kind: list[str]
    site_lat: np.ndarray
    site_lon: np.ndarray
    site_readers: np.ndarray  # badge readers at the door
    site_legacy: np.ndarray  # access control exports badge numbers only
    training_site: int
    court_sites: np.ndarray
    unit_id: pa.Array
    unit_name: list[str]
    unit_type: np.ndarray
    unit_command: np.ndarray
    unit_site: np.ndarray
    commands: list[str]
    unit: np.ndarray  # per person
    manager: np.ndarray  # per person, -1 at the top
    hybrid: np.ndarray
    pattern: np.ndarray
    role: np.ndarray

    @property
    def n(self) -> int:
        return self.wf.n

    @property
    def utype(self) -> np.ndarray:
        return self.unit_type[self.unit]

    @property
    def site(self) -> np.ndarray:
        return self.unit_site[self.unit]

    @property
    def command(self) -> np.ndarray:
        return self.unit_command[self.unit]

    @property
    def claimant(self) -> np.ndarray:
        """Paid overtime: constables and sergeants only."""
        return (self.wf.category == OFFICER) & (self.wf.level <= 1)

    @property
    def patrol(self) -> np.ndarray:
        u = self.utype
        return np.isin(self.pattern, (ROTA, NEIGHBOURHOOD_WEEK, SPECIAL_DUTY)) & np.isin(u, (RESPONSE, NEIGHBOURHOOD, SPECIALIST))


def _unit_type_of(wf: Workforce, rng: np.random.Generator) -> np.ndarray:
    """Unit type per person; -1 = a command's senior leadership team."""
    cat, lvl = wf.category, wf.level
    probs = np.select(
        [
            (cat == OFFICER)[:, None] & (lvl == 0)[:, None],
            (cat == OFFICER)[:, None] & (lvl == 1)[:, None],
            (cat == OFFICER)[:, None] & (lvl == 2)[:, None],
            (cat == STAFF)[:, None] & (lvl >= 4)[:, None],
            (cat == STAFF)[:, None],
            (cat == PCSO)[:, None],
            (cat == SPECIAL)[:, None],
        ],
        [
            np.array([0.40, 0.17, 0.24, 0.02, 0.13, 0.04]), np.array([0.35, 0.17, 0.20, 0.12, 0.11, 0.05]),
            np.array([0.25, 0.17, 0.20, 0.07, 0.15, 0.16]), np.array([0, 0, 0.2, 0, 0.1, 0.7]),
            np.array([0.03, 0.06, 0.22, 0.10, 0.07, 0.52]), np.array([0, 1.0, 0, 0, 0, 0]),
            np.array([0.6, 0.4, 0, 0, 0, 0]),
        ],
        np.array([0, 0.5, 0, 0, 0, 0.5]),
    )
    u = rng.random(len(cat))[:, None]
    t = (u > np.cumsum(probs, axis=1) - 1e-12).sum(axis=1).clip(0, 5)
    t[(cat == OFFICER) & (lvl >= 3)] = -1
    return t.astype(np.int8)


def _sites(n_bcu: int, stations: int, rng: np.random.Generator):
    names, kinds, coords, owner = [], [], [], []
    for b in range(n_bcu):
        ang = 2 * np.pi * b / max(n_bcu, 1)
        centre = _ORIGIN + (np.array([0.09 * np.sin(ang), 0.15 * np.cos(ang)]) if n_bcu > 1 else 0)
        for s in range(stations):
            names.append(f"{_BCU[b]} Police Station {s + 1}" if s else f"{_BCU[b]} Police Station")
            kinds.append("station")
            coords.append(centre + rng.normal(0, 0.02, 2))
            owner.append((b, "station"))
        names += [f"{_BCU[b]} Custody Centre", f"{_BCU[b]} Investigation Centre"]
        kinds += ["custody", "office"]
        coords += [centre + rng.normal(0, 0.015, 2), centre + rng.normal(0, 0.015, 2)]
        owner += [(b, "custody"), (b, "office")]
    extra = [
        ("Force Headquarters", "office", "hq"), ("Support Services Centre", "office", "hq"),
        ("Specialist Operations Base", "station", "spec"), ("Training Centre", "other", "training"),
        ("Crown Court", "other", "court"), ("Magistrates' Court", "other", "court"),
    ]
    for name, kind, role in extra:
        names.append(name)
        kinds.append(kind)
        coords.append(_ORIGIN + rng.normal(0, 0.03, 2))
        owner.append((-1, role))
    return names, kinds, np.array(coords), owner


def build_organisation(wf: Workforce, staff_id: pa.Array, rng: np.random.Generator) -> Organisation:
    n = wf.n
    n_bcu = int(np.clip(round(n / 3800), 1, 12))
    stations = int(np.clip(round(n * 0.55 / n_bcu / 900), 2, 6))
    commands = [f"{_BCU[b]} BCU" for b in range(n_bcu)] + ["Specialist Operations", "Headquarters"]
    spec_cmd, hq_cmd = n_bcu, n_bcu + 1
    s_names, s_kinds, coords, owner = _sites(n_bcu, stations, rng)
    n_sites = len(s_names)
    by_role = {r: [i for i, (b, rr) in enumerate(owner) if rr == r] for r in ("hq", "spec", "training", "court")}

    def bcu_sites(b: int, role: str) -> list[int]:
        return [i for i, o in enumerate(owner) if o == (b, role)]

    ptype = _unit_type_of(wf, rng)
    u_names, u_types, u_cmd, u_site = [], [], [], []
    members: dict[int, list[int]] = {}
    for t in range(6):
        k = max(1, int(round((ptype == t).sum() / _SIZE[t]))) if (ptype == t).any() else 0
        for j in range(k):
            if t in (RESPONSE, NEIGHBOURHOOD, INVESTIGATION, CUSTODY):
                b = j % n_bcu
                cmd = b
                if t == RESPONSE:
                    hubs = bcu_sites(b, "station")[: max(1, stations // 2)]
                    site, label = hubs[(j // n_bcu) % len(hubs)], f"{_BCU[b]} Response Team {j // n_bcu + 1}"
                elif t == NEIGHBOURHOOD:
                    sts = bcu_sites(b, "station")
                    site, label = sts[(j // n_bcu) % len(sts)], f"{_BCU[b]} Neighbourhood Team {j // n_bcu + 1}"
                elif t == INVESTIGATION:
                    site = bcu_sites(b, "office")[0]
                    label = f"{_BCU[b]} {_INVESTIGATION[(j // n_bcu) % 5]} {j // n_bcu // 5 + 1}"
                else:
                    site, label = bcu_sites(b, "custody")[0], f"{_BCU[b]} Custody Team {j // n_bcu + 1}"
            elif t == SPECIALIST:
                cmd, site = spec_cmd, by_role["spec"][0]
                label = f"{_SPECIALIST[j % 6]} Unit {j // 6 + 1}"
            else:
                cmd, site = hq_cmd, by_role["hq"][j % 2]
                label = f"{_HQ[j % len(_HQ)]}" + (f" {j // len(_HQ) + 1}" if j >= len(_HQ) else "")
            u_names.append(label)
            u_types.append(t)
            u_cmd.append(cmd)
            u_site.append(site)
    slt = {}
    for c, cname in enumerate(commands):
        slt[c] = len(u_names)
        u_names.append("Chief Officer Group" if c == hq_cmd else f"{cname} Senior Leadership Team")
        u_types.append(HQ)
        u_cmd.append(c)
        u_site.append(bcu_sites(c, "office")[0] if c < n_bcu else by_role["spec" if c == spec_cmd else "hq"][0])
    u_types_a = np.array(u_types, dtype=np.int8)

    # People into units: round robin over a type's units, most senior first, so supervisors spread evenly.
    unit = np.zeros(n, dtype=np.int32)
    key = rng.random(n)
    for t in range(6):
        idx = np.flatnonzero(ptype == t)
        if not len(idx):
            continue
        units_t = np.flatnonzero(u_types_a[: len(u_types_a) - len(commands)] == t)
        idx = idx[np.lexsort((key[idx], -wf.level[idx]))]
        unit[idx] = units_t[np.arange(len(idx)) % len(units_t)]
    seniors = np.flatnonzero(ptype == -1)
    chiefs = seniors[wf.level[seniors] >= 6]
    others = seniors[wf.level[seniors] < 6]
    others = others[np.lexsort((key[others], -wf.level[others]))]
    slt_units = np.array([slt[c] for c in range(len(commands))])
    unit[others] = slt_units[np.arange(len(others)) % len(slt_units)]
    unit[chiefs] = slt[hq_cmd]
    manager = _line_managers(wf, unit, np.array(u_cmd), slt, hq_cmd, rng)

    utype = u_types_a[unit]
    cat = wf.category
    office_type = np.isin(utype, (INVESTIGATION, HQ))
    pattern = np.select(
        [cat == SPECIAL, cat == VOLUNTEER, (utype == CUSTODY) & (cat != PCSO), (utype == NEIGHBOURHOOD) & (cat != STAFF),
         (cat == OFFICER) & np.isin(utype, (RESPONSE, SPECIALIST)) & (wf.level <= 2) & (ptype >= 0)],
        [SPECIAL_DUTY, SPARSE, CUSTODY_ROTA, NEIGHBOURHOOD_WEEK, ROTA], OFFICE,
    ).astype(np.int8)
    senior = (cat == OFFICER) & (wf.level >= 3)
    hybrid = senior | ((cat == STAFF) & (pattern == OFFICE) & ((wf.level >= 4) | (office_type & (rng.random(n) < 0.55))))
    lat = coords[:, 0]
    legacy = (rng.random(n_sites) < 0.35) & np.isin(np.array(s_kinds), ("station", "office", "custody"))
    return Organisation(
        wf=wf, staff_id=staff_id, site_id=as_text(np.arange(n_sites) + 101, "S"), site_name=s_names,
        site_kind=s_kinds, site_lat=lat, site_lon=coords[:, 1],
        site_readers=np.array([k != "other" or o[1] == "training" for k, o in zip(s_kinds, owner, strict=True)]),
        site_legacy=legacy, training_site=by_role["training"][0], court_sites=np.array(by_role["court"]),
        unit_id=as_text(np.arange(len(u_names)) + 1001, "U"), unit_name=u_names, unit_type=u_types_a,
        unit_command=np.array(u_cmd, dtype=np.int16), unit_site=np.array(u_site, dtype=np.int32), commands=commands,
        unit=unit, manager=manager, hybrid=hybrid, pattern=pattern, role=_roles(wf, utype, np.array(u_names)[unit], pattern),
    )


def _line_managers(wf, unit, u_cmd, slt, hq_cmd, rng) -> np.ndarray:
    """Each person's manager: the nearest higher level in the unit, else the command's
    leadership team, else the chief officers; the single most senior person has none."""
    n = wf.n
    manager = np.full(n, -1, dtype=np.int32)
    level = wf.level.astype(int)
    officerish = np.isin(wf.category, (OFFICER, SPECIAL, PCSO))
    order = np.argsort(unit, kind="stable")
    bounds = np.flatnonzero(np.diff(np.r_[-1, unit[order], -2]))
    groups = {int(unit[order[a]]): order[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)}

    def pick(pool: np.ndarray, me: int) -> int:
        cand = pool[level[pool] > level[me]]
        if not len(cand):
            return -1
        cand = cand[level[cand] == level[cand].min()]
        same = cand[officerish[cand] == officerish[me]]
        cand = same if len(same) else cand
        return int(cand[rng.integers(len(cand))])

    empty = np.array([], dtype=np.int64)
    for u, mem in groups.items():
        cmd_slt = groups.get(slt[int(u_cmd[u])], empty)
        top = groups.get(slt[hq_cmd], empty)
        for me in mem:
            m = pick(mem, me)
            if m < 0:
                m = pick(cmd_slt, me)
            if m < 0:
                m = pick(top, me)
            manager[me] = m
    return manager


def _roles(wf: Workforce, utype: np.ndarray, unit_name: np.ndarray, pattern: np.ndarray) -> np.ndarray:
    role = np.empty(wf.n, dtype=object)
    for i in range(wf.n):
        cat, lvl, t, name = wf.category[i], wf.level[i], utype[i], unit_name[i]
        if cat == SPECIAL:
            role[i] = "Special Constable" if lvl == 0 else "Special Sergeant"
        elif cat == VOLUNTEER:
            role[i] = "Police Support Volunteer"
        elif cat == PCSO:
            role[i] = "Police Community Support Officer"
        elif cat == OFFICER:
            if lvl >= 3:
                role[i] = "Chief Officer" if lvl >= 6 else "Senior Leader"
            elif t == RESPONSE:
                role[i] = ("Response Officer", "Response Sergeant", "Response Inspector")[lvl]
            elif t == NEIGHBOURHOOD:
                role[i] = ("Dedicated Ward Officer", "Neighbourhood Sergeant", "Neighbourhood Inspector")[lvl]
            elif t == INVESTIGATION:
                role[i] = ("Detective Constable", "Detective Sergeant", "Detective Inspector")[lvl]
            elif t == CUSTODY:
                role[i] = ("Custody Officer", "Custody Sergeant", "Custody Inspector")[lvl]
            elif t == SPECIALIST:
                role[i] = name.split(" Unit")[0] + (" Officer", " Sergeant", " Inspector")[lvl]
            else:
                role[i] = ("Staff Officer", "Staff Sergeant", "Staff Inspector")[lvl]
        else:
            if t == CUSTODY:
                role[i] = "Designated Detention Officer" if lvl == 0 else "Custody Manager"
            elif t == INVESTIGATION:
                role[i] = ("Police Staff Investigator", "Intelligence Analyst", "Investigation Manager")[min(lvl, 2)]
            elif lvl >= 4:
                role[i] = "Director" if lvl >= 6 else "Head of Department"
            else:
                dept = name.rstrip("0123456789 ").split(" Senior")[0]
                role[i] = f"{dept} " + ("Officer", "Officer", "Adviser", "Manager", "Manager")[lvl]
    return role
