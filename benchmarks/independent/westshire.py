#!/usr/bin/env python3
"""Independent synthetic force ("Westshire Constabulary") for testing fairwitness.

Written in round 23 by a tester who never read the product's source, tests or generator (only the
contract, the detector reference and the sourced pattern notes), with its own honest look-alikes:
`python benchmarks/independent/westshire.py OUT` writes OUT/force/*.csv and OUT/truth.csv (735
people; data 2025-12-01 to 2026-06-30, the run's period 2026-01-01 to 2026-06-30). Round 23 fixed
what it found, so it is a development force now, kept as a regression test
(`benchmarks/independent/README.md`); only the output paths were changed from the tester's file.
"""
import csv, os, random, datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

R = random.Random(424242)
LON = ZoneInfo("Europe/London")
import sys

if os.environ.get("PYTHONHASHSEED") != "0":  # the tester iterated sets of text: one order, one force
    os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
BASE = sys.argv[1] if len(sys.argv) > 1 else "westshire"
OUT = os.path.join(BASE, "force")
os.makedirs(OUT, exist_ok=True)
D0 = dt.date(2025, 12, 1)
D1 = dt.date(2026, 6, 30)
P0 = dt.date(2026, 1, 1)
BH = {dt.date(2025, 12, 25), dt.date(2025, 12, 26), dt.date(2026, 1, 1), dt.date(2026, 4, 3),
      dt.date(2026, 4, 6), dt.date(2026, 5, 4), dt.date(2026, 5, 25)}
DAYS = [D0 + dt.timedelta(d) for d in range((D1 - D0).days + 1)]
H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)


def fmt(t):
    """Local wall-clock time written with its explicit UTC offset (no DST ambiguity)."""
    if isinstance(t, dt.date) and not isinstance(t, dt.datetime):
        return t.isoformat()
    return t.replace(tzinfo=LON).isoformat(timespec="seconds")


def at(day, hh, mm=0):
    return dt.datetime(day.year, day.month, day.day) + dt.timedelta(hours=hh, minutes=mm)


# ---------------------------------------------------------------- tables
T = defaultdict(list)
truth = []  # staff_id, planted_kind, pattern, ideal_route, note


def plant(sid, kind, pattern, ideal, note):
    truth.append((sid, kind, pattern, ideal, note))


# ---------------------------------------------------------------- sites
SITES = [("NGS", "Northgate Police Station", "station"), ("SBS", "Southbank Police Station", "station"),
         ("EFS", "Eastfield Police Station", "station"), ("WMS", "Westmoor Police Station", "station"),
         ("HQ", "Force Headquarters, Kingsway", "office"), ("CUS", "Northgate Custody Suite", "custody"),
         ("FCR", "Force Control Room", "office"), ("TRC", "Force Training Centre", "office"),
         ("CRC", "Westshire Crown Court", "other"), ("MAGC", "Southbank Magistrates' Court", "other"),
         ("MASH", "Westshire County Council MASH (Civic Centre)", "other"),
         ("MAID", "Mutual aid deployment (other force)", "other"),
         ("COLP", "College of Policing, Ryton", "other"), ("RPB", "Roads Policing Base, M6 J12", "station")]
for sid, name, kind in SITES:
    T["sites"].append(dict(site_id=sid, name=name, kind=kind))

# ---------------------------------------------------------------- names
FIRST_M = "James John David Michael Paul Mark Daniel Thomas Andrew Richard Christopher Matthew Steven Adam Robert Lee Gareth Ryan Jamal Imran Tomasz Kwame Oliver Harry Liam Connor Sanjay Marcus".split()
FIRST_F = "Sarah Emma Laura Claire Rebecca Rachel Kate Helen Jessica Amy Lucy Nicola Joanne Hannah Sophie Charlotte Aisha Priya Zoe Megan Chloe Gemma Natalie Fatima Olivia Grace Leanne Ewa".split()
LAST = "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Khan Ali Hussain Begum Kowalski Okafor Mensah".split()

# ---------------------------------------------------------------- units and people
UNITS = []  # (unit_id, name, type, site)
PEOPLE = {}  # sid -> dict
by_unit = defaultdict(list)
_ids = set()


def new_id():
    while True:
        s = "W%05d" % R.randint(10000, 99999)
        if s not in _ids:
            _ids.add(s)
            return s


def add_unit(uid, name, utype, site, command):
    UNITS.append((uid, name, utype, site))
    T["units"].append(dict(unit_id=uid, name=name, unit_type=utype, command=command, site_id=site))


def add_person(unit, rank, role, etype, pattern, fte=1.0, team=0, lm=None, hybrid=False, sex=None,
               start_date=None, end_date=None):
    sid = new_id()
    sex = sex or ("F" if R.random() < (0.35 if etype == "officer" else 0.6) else "M")
    first = R.choice(FIRST_F if sex == "F" else FIRST_M)
    last = R.choice(LAST)
    dob = dt.date(1960, 1, 1) + dt.timedelta(R.randint(0, 365 * 42))
    if dob.year > 2003:
        dob = dob.replace(year=2001)
    sd = start_date or (dt.date(2025, 6, 1) - dt.timedelta(R.randint(60, 365 * 25)))
    p = dict(staff_id=sid, rank_grade=rank, role=role, unit_id=unit, employment_type=etype, fte=fte,
             start_date=sd, end_date=end_date, hybrid_policy=hybrid, line_manager_id=lm,
             display_name=f"{first} {last}", date_of_birth=dob, pattern=pattern, team=team, sex=sex)
    PEOPLE[sid] = p
    by_unit[unit].append(sid)
    return sid


add_unit("SLT", "Chief Officer Team and Superintendents", "hq", "HQ", "Force Executive")
cc = add_person("SLT", "Chief Constable", "Chief Constable", "officer", "none", hybrid=True)
PEOPLE[cc]["line_manager_id"] = None
supts = [add_person("SLT", r, r, "officer", "none", lm=cc, hybrid=True)
         for r in ["Assistant Chief Constable", "Chief Superintendent", "Superintendent", "Superintendent",
                   "Chief Inspector", "Chief Inspector", "Chief Inspector", "Chief Inspector"]]
CI_OPS, CI_CRIME, CI_SUPPORT, CI_PSD = supts[4], supts[5], supts[6], supts[7]

# --- response: 2 stations x 5 teams, 10-day E E L L N N R R R R rota
resp_teams = {}
for st in ["NGS", "SBS"]:
    for t in range(5):
        uid = f"RESP-{st}-{t+1}"
        add_unit(uid, f"Response Team {t+1} ({st})", "response", st, "Local Policing")
        insp = add_person(uid, "Inspector", "Response Inspector", "officer", "resp", team=t, lm=CI_OPS)
        sgts = [add_person(uid, "Sergeant", "Response Sergeant", "officer", "resp", team=t, lm=insp) for _ in range(3)]
        pcs = []
        for i in range(17):
            lm = sgts[i % 3]
            fte = 1.0
            pat = "resp"
            if R.random() < 0.06:
                fte, pat = R.choice([0.6, 0.8]), "resp_pt"
            pcs.append(add_person(uid, "Constable", "Response Officer", "officer", pat, fte=fte, team=t, lm=lm))
        resp_teams[uid] = dict(insp=insp, sgts=sgts, pcs=pcs, site=st)

# duty planning (staff) who make most roster changes
add_unit("RMU", "Resource Management Unit (duty planning)", "hq", "HQ", "Operational Support")
planners = [add_person("RMU", "Grade D", "Resource Planner", "staff", "none", lm=CI_SUPPORT, hybrid=True) for _ in range(5)]

# --- neighbourhood: 4 teams, 5-on-2-off early/late
nbh = {}
for st in ["NGS", "SBS", "EFS", "WMS"]:
    uid = f"NBH-{st}"
    add_unit(uid, f"Neighbourhood Policing Team {st}", "neighbourhood", st, "Local Policing")
    insp = add_person(uid, "Inspector", "Neighbourhood Inspector", "officer", "day", lm=CI_OPS)
    sgts = [add_person(uid, "Sergeant", "Neighbourhood Sergeant", "officer", "nbh", team=i, lm=insp) for i in range(2)]
    pcs = [add_person(uid, "Constable", "Neighbourhood Officer", "officer", "nbh", team=i, lm=sgts[i % 2]) for i in range(10)]
    pcsos = [add_person(uid, "PCSO", "Police Community Support Officer", "staff", "nbh", team=i, lm=sgts[i % 2]) for i in range(6)]
    nbh[uid] = dict(insp=insp, sgts=sgts, pcs=pcs + pcsos, site=st)

# --- CID (2 teams) + safeguarding (PVP) + MASH
cid = {}
for st in ["NGS", "SBS"]:
    uid = f"CID-{st}"
    add_unit(uid, f"CID {st}", "investigation", st, "Crime")
    di = add_person(uid, "Detective Inspector", "Detective Inspector", "officer", "day", lm=CI_CRIME)
    dss = [add_person(uid, "Sergeant", "Detective Sergeant", "officer", "day", lm=di) for _ in range(3)]
    dcs = []
    for i in range(20):
        pat = R.choice(["day", "day", "day", "cidlate"])
        if i == 19:
            pat = "nights"
        dcs.append(add_person(uid, "Constable", "Detective Constable", "officer", pat, lm=dss[i % 3]))
    dcs.append(add_person(uid, "Grade E", "Disclosure Officer", "staff", "day", lm=dss[0]))
    dcs.append(add_person(uid, "Grade E", "Investigation Officer", "staff", "compressed", lm=dss[1]))
    cid[uid] = dict(insp=di, sgts=dss, pcs=dcs, site=st)
uid = "PVP"
add_unit(uid, "Public Protection / Safeguarding Investigation Unit", "investigation", "EFS", "Crime")
di = add_person(uid, "Detective Inspector", "Detective Inspector", "officer", "day", lm=CI_CRIME)
dss = [add_person(uid, "Sergeant", "Detective Sergeant", "officer", "day", lm=di) for _ in range(3)]
dcs = [add_person(uid, "Constable", "Safeguarding Investigator", "officer", R.choice(["day", "day", "cidlate"]), lm=dss[i % 3]) for i in range(24)]
dcs += [add_person(uid, "Grade E", "Safeguarding Investigator (staff)", "staff", "day", lm=dss[i % 3]) for i in range(4)]
cid[uid] = dict(insp=di, sgts=dss, pcs=dcs, site="EFS")
add_unit("MASH", "Multi-Agency Safeguarding Hub", "specialist", "MASH", "Crime")
mash_sgt = add_person("MASH", "Sergeant", "MASH Sergeant", "officer", "day", lm=di)
mash = [add_person("MASH", "Grade D", "MASH Practitioner", "staff", "nopres_office", lm=mash_sgt, hybrid=True) for _ in range(6)]

# --- custody: 12h 4-on-4-off, 4 teams
add_unit("CUST", "Custody", "custody", "CUS", "Criminal Justice")
cust_insp = add_person("CUST", "Inspector", "Custody Inspector", "officer", "day", lm=CI_OPS)
cust_sgts = [add_person("CUST", "Sergeant", "Custody Sergeant", "officer", "12h", team=i % 4, lm=cust_insp) for i in range(12)]
cust_dos = [add_person("CUST", "Grade C", "Detention Officer", "staff", "12h", team=i % 4, lm=cust_sgts[i % 12]) for i in range(28)]

# --- control room (staff mostly), 12h
add_unit("FCR", "Force Control Room", "other", "FCR", "Operational Support")
fcr_insp = add_person("FCR", "Inspector", "Control Room Inspector", "officer", "day", lm=CI_OPS)
fcr_sups = [add_person("FCR", "Grade E", "Control Room Supervisor", "staff", "12h", team=i, lm=fcr_insp) for i in range(4)]
fcr = []
for i in range(64):
    role = "Call Handler" if i % 3 else "Despatcher"
    fte = 1.0 if R.random() > 0.2 else 0.6
    fcr.append(add_person("FCR", "Grade C", role, "staff", "12h" if fte == 1 else "12h_pt", fte=fte, team=i % 4, lm=fcr_sups[i % 4]))

# --- roads, TSG (public order), firearms licensing
add_unit("ROADS", "Roads Policing Unit", "specialist", "RPB", "Operational Support")
rd_insp = add_person("ROADS", "Inspector", "Roads Policing Inspector", "officer", "day", lm=CI_OPS)
rd_sgts = [add_person("ROADS", "Sergeant", "Roads Policing Sergeant", "officer", "resp", team=i, lm=rd_insp) for i in range(4)]
roads = [add_person("ROADS", "Constable", "Roads Policing Officer", "officer", "resp", team=i % 5, lm=rd_sgts[i % 4]) for i in range(24)]
add_unit("TSG", "Tactical Support Group (public order)", "specialist", "WMS", "Operational Support")
tsg_insp = add_person("TSG", "Inspector", "TSG Inspector", "officer", "day", lm=CI_OPS)
tsg_sgts = [add_person("TSG", "Sergeant", "TSG Sergeant", "officer", "nbh", team=i % 2, lm=tsg_insp) for i in range(4)]
tsg = [add_person("TSG", "Constable", "TSG Officer", "officer", "nbh", team=i % 2, lm=tsg_sgts[i % 4]) for i in range(24)]
add_unit("FLU", "Firearms Licensing Unit", "specialist", "HQ", "Operational Support")
flu_mgr = add_person("FLU", "Grade F", "Firearms Licensing Manager", "staff", "none", lm=CI_SUPPORT, hybrid=True)
flu = [add_person("FLU", "Grade D", "Firearms Licensing Enquiry Officer", "staff", "none", lm=flu_mgr, hybrid=True) for _ in range(5)]

# --- intelligence, PNC bureau, vetting, PSD, training, HQ departments
add_unit("INTEL", "Force Intelligence Bureau", "specialist", "HQ", "Crime")
intel_mgr = add_person("INTEL", "Detective Sergeant", "Intelligence Sergeant", "officer", "day", lm=CI_CRIME)
intel_res = [add_person("INTEL", "Grade D", "Intelligence Researcher", "staff", "day", lm=intel_mgr) for _ in range(7)]
intel_an = [add_person("INTEL", "Grade E", "Intelligence Analyst", "staff", "none", lm=intel_mgr, hybrid=True) for _ in range(5)]
intel_fio = [add_person("INTEL", "Constable", "Field Intelligence Officer", "officer", "day", lm=intel_mgr) for _ in range(3)]
add_unit("PNCB", "PNC Bureau", "hq", "HQ", "Operational Support")
pnc_mgr = add_person("PNCB", "Grade E", "PNC Bureau Supervisor", "staff", "none", lm=CI_SUPPORT, hybrid=True)
pncb = [add_person("PNCB", "Grade C", "PNC Bureau Operator", "staff", "none", lm=pnc_mgr, hybrid=True) for _ in range(7)]
add_unit("VET", "Force Vetting Unit", "hq", "HQ", "Professional Standards")
vet_mgr = add_person("VET", "Grade F", "Force Vetting Manager", "staff", "none", lm=CI_PSD, hybrid=True)
vet = [add_person("VET", "Grade D", "Vetting Officer", "staff", "none", lm=vet_mgr, hybrid=True,
                  fte=(0.6 if i == 0 else 1.0)) for i in range(11)]
add_unit("PSD", "Professional Standards Department", "hq", "HQ", "Professional Standards")
psd_di = add_person("PSD", "Detective Inspector", "PSD Detective Inspector", "officer", "none", lm=CI_PSD, hybrid=True)
psd = [add_person("PSD", r, r2, "officer" if r != "Grade E" else "staff", "none", lm=psd_di, hybrid=True)
       for r, r2 in [("Sergeant", "PSD Investigator"), ("Constable", "PSD Investigator"), ("Constable", "PSD Investigator"),
                     ("Grade E", "PSD Investigator"), ("Grade E", "Counter Corruption Unit Analyst"),
                     ("Constable", "Counter Corruption Unit Investigator")]]
add_unit("TRAIN", "Learning and Development", "hq", "TRC", "Operational Support")
trn = [add_person("TRAIN", r, "Trainer", t, "none", lm=CI_SUPPORT, hybrid=True) for r, t in
       [("Sergeant", "officer"), ("Constable", "officer"), ("Constable", "officer"), ("Grade D", "staff"),
        ("Grade D", "staff"), ("Grade D", "staff"), ("Grade E", "staff"), ("Grade C", "staff")]]
HQD = []
for uid, name, n, role in [("HR", "People Services", 22, "HR Adviser"), ("FIN", "Finance", 14, "Finance Officer"),
                           ("ICT", "Digital and ICT", 22, "ICT Analyst"), ("EST", "Estates and Fleet", 10, "Estates Officer"),
                           ("CORP", "Corporate Development", 10, "Business Analyst"), ("COMMS", "Corporate Communications", 6, "Communications Officer")]:
    add_unit(uid, name, "hq", "HQ", "Corporate Services")
    mgr = add_person(uid, "Grade H", f"Head of {name}", "staff", "none", lm=CI_SUPPORT, hybrid=True)
    for i in range(n):
        fte = 1.0
        pat = "none"
        r = R.random()
        if r < 0.22:
            fte = R.choice([0.5, 0.6, 0.8])
        elif r < 0.30:
            pat = "none_compressed"
        HQD.append(add_person(uid, R.choice(["Grade C", "Grade D", "Grade E"]), role, "staff", pat, fte=fte, lm=mgr, hybrid=True))
# specials: Friday/Saturday evenings, unpaid
add_unit("SPEC", "Special Constabulary", "response", "NGS", "Local Policing")
spec_sgt = add_person("SPEC", "Special Sergeant", "Special Sergeant", "special", "special", lm=resp_teams["RESP-NGS-1"]["insp"])
specials = [add_person("SPEC", "Special Constable", "Special Constable", "special", "special", lm=spec_sgt) for _ in range(22)]

# joiners and leavers
for uid in ["RESP-NGS-2", "RESP-SBS-4"]:
    for k in range(3):
        s = add_person(uid, "Constable", "Student Officer", "officer", "resp", team=int(uid[-1]) - 1,
                       lm=resp_teams[uid]["sgts"][0], start_date=dt.date(2026, 3, 2))
        resp_teams[uid]["pcs"].append(s)
leavers = R.sample(resp_teams["RESP-SBS-2"]["pcs"], 2) + R.sample(HQD, 3)
for i, s in enumerate(leavers):
    PEOPLE[s]["end_date"] = dt.date(2026, 2, 27) if i % 2 else dt.date(2026, 4, 30)

print("people:", len(PEOPLE))

# ---------------------------------------------------------------- rosters
# per person: list of dicts(shift_id,start,end,duty,site)
SHIFTS = defaultdict(list)
_shift_n = [0]


def new_shift(sid, start, end, duty, site):
    _shift_n[0] += 1
    sh = dict(shift_id=f"SH{_shift_n[0]:07d}", staff_id=sid, start=start, end=end, duty_type=duty, site_id=site)
    SHIFTS[sid].append(sh)
    return sh


def unit_site(sid):
    return next(u[3] for u in UNITS if u[0] == PEOPLE[sid]["unit_id"])


def in_post(p, day):
    return p["start_date"] <= day and (p["end_date"] is None or day <= p["end_date"])


for sid, p in PEOPLE.items():
    pat, team, site = p["pattern"], p["team"], unit_site(sid)
    offs = R.randint(0, 6)
    for i, day in enumerate(DAYS):
        if not in_post(p, day):
            continue
        wd = day.weekday()
        idx = (day - D0).days
        sh = None
        if pat in ("resp", "resp_pt"):
            c = (idx + team * 2) % 10
            if pat == "resp_pt" and c in (1, 3):  # part-timer drops one of each pair
                continue
            if c in (0, 1):
                sh = (at(day, 7), at(day, 17))
            elif c in (2, 3):
                sh = (at(day, 14), at(day, 24))
            elif c in (4, 5):
                sh = (at(day, 22), at(day, 32))
        elif pat == "nbh":
            week = idx // 7
            if (wd + offs) % 7 in (5, 6):
                continue
            sh = (at(day, 8), at(day, 16)) if (week + team) % 2 == 0 else (at(day, 15), at(day, 23))
        elif pat in ("day",):
            if wd < 5 and day not in BH:
                s = R.choice([7.5, 8, 8, 8.5, 9])
                sh = (at(day, 0) + dt.timedelta(hours=s), at(day, 0) + dt.timedelta(hours=s + 8.5))
        elif pat == "cidlate":
            if wd < 5 and day not in BH:
                sh = (at(day, 8), at(day, 16, 30)) if (idx // 7) % 2 == 0 else (at(day, 14), at(day, 22))
        elif pat == "nights":
            if wd < 4 and day not in BH:
                sh = (at(day, 22), at(day, 31))
        elif pat == "compressed":
            if wd < 4 and day not in BH:
                sh = (at(day, 7, 30), at(day, 18))
        elif pat in ("12h", "12h_pt"):
            c = (idx + team * 2) % 8
            if pat == "12h_pt" and c in (1, 3):
                continue
            if c in (0, 1):
                sh = (at(day, 7), at(day, 19))
            elif c in (2, 3):
                sh = (at(day, 19), at(day, 31))
        elif pat == "special":
            if wd in (4, 5) and R.random() < 0.55:
                sh = (at(day, 19), at(day, 27))
        if sh:
            duty = "bank_holiday" if day in BH else "normal"
            st = site
            if p["unit_id"].startswith("RESP") or p["unit_id"] == "SPEC":
                st = site
            new_shift(sid, sh[0], sh[1], duty, st)

# training days away from base (court/training) for rostered officers
for sid, shs in SHIFTS.items():
    if PEOPLE[sid]["employment_type"] == "officer" and shs and R.random() < 0.35:
        for sh in R.sample(shs, min(len(shs), R.randint(1, 3))):
            if sh["start"].hour in (7, 8) and sh["duty_type"] == "normal":
                sh["duty_type"] = "training"
                sh["site_id"] = R.choice(["TRC", "TRC", "COLP"])

# ---------------------------------------------------------------- absences
ABS = defaultdict(list)  # sid -> list of (type, start_dt, end_dt_excl, extra)
_abs_n = [0]


def add_abs(sid, typ, sday, eday_incl, reason=None, hours=None, days=None, status=None, remove_shifts=True):
    _abs_n[0] += 1
    aid = f"AB{_abs_n[0]:06d}"
    row = dict(absence_id=aid, staff_id=sid, type=typ, start=sday.isoformat(), end=eday_incl.isoformat(),
               reason_category=reason or "", days="" if days is None else days, hours="" if hours is None else hours,
               status=status or "approved")
    T["absences"].append(row)
    s, e = at(sday, 0), at(eday_incl + dt.timedelta(1), 0)
    ABS[sid].append((typ, s, e, hours))
    if remove_shifts and hours is None:
        SHIFTS[sid] = [sh for sh in SHIFTS[sid] if not (sh["start"] < e and sh["end"] > s and sh["start"] >= s - dt.timedelta(hours=2))]
    return aid


SICK_REASONS = ["Psychological - stress", "Psychological - anxiety/depression", "Musculoskeletal - back",
                "Musculoskeletal - other", "Respiratory - cold/flu", "Gastrointestinal", "Injury on duty", "Other"]
special_people = set()  # planted people: skip random sickness/leave that could confuse


def random_absences(sid):
    p = PEOPLE[sid]
    # annual leave: 2-3 blocks
    for _ in range(R.choice([1, 2, 2, 3])):
        d = R.choice(DAYS[:-14])
        n = R.randint(2, 9)
        if in_post(p, d):
            add_abs(sid, "annual_leave", d, d + dt.timedelta(n - 1))
    # sickness: zero-inflated
    if R.random() < 0.5:
        for _ in range(R.choice([1, 1, 1, 2, 2, 3])):
            d = R.choice(DAYS)
            n = max(1, int(R.lognormvariate(0.9, 0.8)))
            if in_post(p, d):
                add_abs(sid, "sickness", d, min(D1, d + dt.timedelta(n - 1)), reason=R.choice(SICK_REASONS),
                        remove_shifts=R.random() < 0.75)
    if R.random() < 0.025:  # long-term sickness
        d = R.choice(DAYS[:120])
        n = R.randint(30, 80)
        add_abs(sid, "sickness", d, min(D1, d + dt.timedelta(n)), reason=R.choice(SICK_REASONS[:4]))
    if R.random() < 0.12:  # medical appointment: part day
        d = R.choice(DAYS)
        if d.weekday() < 5:
            add_abs(sid, "sickness", d, d, reason="Medical appointment", hours=R.choice([1.5, 2, 3]))
    if R.random() < 0.04:  # carers / compassionate
        for _ in range(R.randint(1, 4)):
            d = R.choice(DAYS)
            add_abs(sid, R.choice(["other", "compassionate"]), d, d + dt.timedelta(R.randint(0, 2)),
                    reason="Carer's leave" if R.random() < 0.6 else "Bereavement")

# ---------------------------------------------------------------- public, cases
SUBJ_N = 40000
def subj():
    return "S%06d" % R.randint(1, SUBJ_N)

CASES = {}  # case_ref -> dict(oic, opened, closed, parties[(subj,role,vuln)])
OWN = defaultdict(list)
_case_n = [0]


def new_case(oic, opened, closed, parties):
    _case_n[0] += 1
    ref = f"WS/{opened.year % 100:02d}/{_case_n[0]:06d}"
    CASES[ref] = dict(oic=oic, opened=opened, closed=closed, parties=parties)
    OWN[oic].append(ref)
    for s, role, vul in parties:
        T["case_parties"].append(dict(case_ref=ref, subject_ref=s, role=role, vulnerable="true" if vul else "false",
                                      officer_in_case=oic, opened=fmt(opened), closed=fmt(closed) if closed else ""))
    return ref


def case_owner(sid):
    u = PEOPLE[sid]["unit_id"]
    return (u.startswith(("RESP", "NBH", "CID", "PVP", "ROADS")) and PEOPLE[sid]["employment_type"] in ("officer", "staff")
            and "Inspector" not in PEOPLE[sid]["rank_grade"])


for sid in PEOPLE:
    if not case_owner(sid):
        continue
    u = PEOPLE[sid]["unit_id"]
    rate = {"RESP": 0.25, "NBH": 0.12, "CID": 0.18, "PVP": 0.15, "ROA": 0.1}[u[:4] if u[:4] in ("RESP", "ROAD") else u[:3]] if False else (
        0.25 if u.startswith("RESP") else 0.12 if u.startswith("NBH") else 0.18 if u.startswith("CID") else 0.15 if u == "PVP" else 0.1)
    for sh in SHIFTS[sid]:
        if R.random() < rate:
            op = sh["start"] + dt.timedelta(hours=R.uniform(0.5, 6))
            closed = op + dt.timedelta(days=R.randint(10, 150))
            if closed.date() > D1 + dt.timedelta(30) or R.random() < 0.1:
                closed = None
            vulp = 0.35 if u == "PVP" else 0.12
            parties = [(subj(), "victim", R.random() < vulp)]
            for _ in range(R.choice([0, 0, 1, 2])):
                parties.append((subj(), "witness", R.random() < vulp / 2))
            if R.random() < 0.6:
                parties.append((subj(), "suspect", False))
            new_case(sid, op, closed, parties)

ALL_CASES = list(CASES.keys())

# ---------------------------------------------------------------- event helpers
_ev = [0]


def eid(prefix):
    _ev[0] += 1
    return f"{prefix}{_ev[0]:08d}"


def badge(sid, t, site, d):
    T["badge_events"].append(dict(staff_id=sid, ts=fmt(t), site_id=site, direction=d))


DEV = {}


def device(sid, t, kind, site=""):
    if sid not in DEV:
        DEV[sid] = "DV%06d" % R.randint(0, 999999)
    T["device_events"].append(dict(staff_id=sid, device_id=DEV[sid], ts=fmt(t), kind=kind, site_id=site))


def lookup(sid, t, subject, case_ref, action=None, system=None):
    T["system_access"].append(dict(event_id=eid("LK"), staff_id=sid, ts=fmt(t),
                                   system=system or R.choice(["Niche", "Niche", "PNC", "PND", "Storm"]),
                                   action=action or R.choice(["search", "view", "view", "view", "update"]),
                                   subject_ref=subject, case_ref=case_ref))


def comm(sid, t, channel, cp, direction, dur=None):
    T["comms_events"].append(dict(event_id=eid("CM"), staff_id=sid, ts=fmt(t), channel=channel, counterpart_ref=cp,
                                  direction=direction, duration_s="" if dur is None else dur))


def rt(a, b):
    return a + (b - a) * R.random()


def open_cases(sid, t):
    return [c for c in OWN[sid] if CASES[c]["opened"] <= t and (CASES[c]["closed"] is None or CASES[c]["closed"] > t)]


# lookup volume per shift and share without a case ref, by role/unit
def lookup_profile(sid):
    p = PEOPLE[sid]
    u, role = p["unit_id"], p["role"]
    if role == "Vetting Officer": return 35, 1.0
    if role == "PNC Bureau Operator": return 45, 0.9
    if role == "Intelligence Researcher": return 30, 0.75
    if role == "Intelligence Analyst": return 25, 0.85
    if role == "Field Intelligence Officer": return 15, 0.6
    if role == "Firearms Licensing Enquiry Officer": return 18, 0.95
    if role == "MASH Practitioner": return 22, 0.8
    if role in ("PSD Investigator", "Counter Corruption Unit Analyst", "Counter Corruption Unit Investigator"): return 12, 0.3
    if role == "Disclosure Officer": return 20, 0.5
    if u.startswith("RESP"): return 11, 0.35
    if u.startswith("NBH"): return 6, 0.35
    if u.startswith("CID") or u == "PVP": return 9, 0.12
    if u == "CUST": return 9, 0.5
    if u == "FCR": return 22 if "Inspector" not in p["rank_grade"] else 3, 0.4
    if u == "ROADS": return 10, 0.55
    if u == "TSG": return 4, 0.45
    if u == "SPEC": return 5, 0.4
    if u == "RMU": return 0.3, 0.9
    return 0.5, 0.8


NOPRES_FORGET = 0.04


def presence_for_span(sid, s, e, site, mobile, nlook, noref, badge_ok=True, lk_noref_subjects=None):
    """Badge in/out, device login/pings/logout, lookups and work comms over a duty span."""
    has_badge = badge_ok and R.random() > NOPRES_FORGET
    if has_badge:
        badge(sid, s - dt.timedelta(minutes=R.randint(3, 20)), site, "in")
        if R.random() < 0.9:
            badge(sid, e + dt.timedelta(minutes=R.randint(0, 15)), site, "out")
    if mobile or R.random() < 0.7:
        device(sid, s + dt.timedelta(minutes=R.randint(5, 30)), "login", site if not mobile else "")
        if mobile:
            t = s + H
            while t < e - H:
                device(sid, t, "location")
                t += dt.timedelta(minutes=R.randint(60, 150))
            # mid-shift return to station
            for _ in range(R.choice([0, 1, 1, 2])):
                tt = rt(s + H, e - H)
                if badge_ok:
                    badge(sid, tt, site, "in")
                    badge(sid, tt + dt.timedelta(minutes=R.randint(10, 60)), site, "out")
        device(sid, e - dt.timedelta(minutes=R.randint(0, 20)), "logout", site if not mobile else "")
    n = int(nlook) + (1 if R.random() < nlook - int(nlook) else 0)
    n = max(0, int(R.gauss(n, max(1, n * 0.35)))) if n else 0
    oc = open_cases(sid, s)
    for _ in range(n):
        t = rt(s + 10 * M, e - 5 * M)
        if R.random() < noref or not (oc or R.random() < 0.15):
            if R.random() < noref or not ALL_CASES:
                lookup(sid, t, (R.choice(lk_noref_subjects) if lk_noref_subjects else subj()), "")
                continue
        if oc and R.random() < 0.8:
            c = R.choice(oc)
        else:
            c = R.choice(ALL_CASES)
        lookup(sid, t, R.choice(CASES[c]["parties"])[0], c)
    # work comms: calls to open-case victims/witnesses, emails to colleagues
    for c in oc:
        if R.random() < 0.08:
            s_, role, vul = R.choice(CASES[c]["parties"])
            if role in ("victim", "witness"):
                t = rt(s + 30 * M, e - 30 * M)
                lookup(sid, t - dt.timedelta(minutes=R.randint(2, 15)), s_, c, action="view")
                comm(sid, t, "call", s_, "out", R.randint(60, 420))
                if R.random() < 0.3:
                    comm(sid, t + dt.timedelta(hours=R.uniform(0.5, 3)), "call", s_, "in", R.randint(30, 300))
    for _ in range(R.choice([0, 1, 1, 2, 3])):
        comm(sid, rt(s, e), "email", "mail:" + R.choice(list(PEOPLE)), "out")


# ---------------------------------------------------------------- planted people (chosen first)
def pick(lst, exclude=special_people):
    c = [x for x in lst if x not in exclude and PEOPLE[x]["end_date"] is None and PEOPLE[x]["start_date"] < dt.date(2025, 6, 1)]
    s = R.choice(c)
    special_people.add(s)
    return s

rA = resp_teams["RESP-NGS-1"]; rB = resp_teams["RESP-SBS-3"]; rC = resp_teams["RESP-NGS-4"]
M1 = pick(rA["pcs"]); M4 = pick(rB["pcs"]); M7 = pick(rC["pcs"]); M12 = pick(resp_teams["RESP-SBS-5"]["pcs"])
M2 = pick(nbh["NBH-EFS"]["pcs"][:10]); M11 = pick(nbh["NBH-WMS"]["sgts"])
M3 = pick([x for x in cid["CID-NGS"]["pcs"] if PEOPLE[x]["pattern"] == "day" and PEOPLE[x]["employment_type"] == "officer"])
M15 = pick([x for x in cid["CID-SBS"]["pcs"] if PEOPLE[x]["pattern"] == "day" and PEOPLE[x]["employment_type"] == "officer"])
M10 = pick(cid["CID-SBS"]["sgts"])
M5 = pick([x for x in fcr if PEOPLE[x]["role"] == "Call Handler" and PEOPLE[x]["fte"] == 1.0])
M6 = pick(roads)
M8 = pick(cust_dos)
M9 = pick(resp_teams["RESP-SBS-2"]["sgts"])
M13a, M13b = pick(tsg_sgts), pick(tsg_sgts)
M14 = pick(cust_sgts)
M16 = pick(HQD)

# ---------------------------------------------------------------- background events per shift
OT = []  # overtime claims dicts
_ot_n = [0]


def claim(sid, s, e, reason, auth, status="approved", hours=None):
    _ot_n[0] += 1
    h = hours if hours is not None else round((e - s).total_seconds() / 3600 * 4) / 4
    row = dict(claim_id=f"OT{_ot_n[0]:06d}", staff_id=sid, start=fmt(s), end=fmt(e), hours=h,
               rate=1.5 if "rest" in reason or reason in ("event_policing", "recall_to_duty", "court_rest_day") else 1.333,
               reason_code=reason, submitted_at=fmt(e + dt.timedelta(days=R.randint(0, 6), hours=2)),
               authorised_by=auth or "", authorised_at=fmt(e + dt.timedelta(days=R.randint(1, 10), hours=5)) if auth else "",
               status=status)
    OT.append(row)
    return row


RC = []
_rc_n = [0]


def rchange(shift, changed_by, changed_at, field, old, new):
    _rc_n[0] += 1
    RC.append(dict(change_id=f"RC{_rc_n[0]:06d}", shift_id=shift["shift_id"], staff_id=shift["staff_id"],
                   changed_by=changed_by, changed_at=fmt(changed_at), field=field, old_value=old, new_value=new))


def authoriser(sid):
    p = PEOPLE[sid]
    lm = p["line_manager_id"]
    if R.random() < 0.12:
        peers = [x for x in by_unit[p["unit_id"]] if PEOPLE[x]["rank_grade"] in ("Sergeant", "Inspector", "Detective Inspector") and x != sid]
        if peers:
            return R.choice(peers)
    return lm


def paid_ot(sid):
    p = PEOPLE[sid]
    return p["employment_type"] == "officer" and p["rank_grade"] in ("Constable", "Sergeant")


NO_AUTO_OFFICE = set()
MOBILE_UNITS = ("RESP", "NBH", "ROADS", "TSG", "SPEC")

# surge: Op Kestrel (murder) on RESP-SBS-1 13-24 March 2026
SURGE_UNIT = "RESP-SBS-1"
SURGE = (at(dt.date(2026, 3, 13), 0), at(dt.date(2026, 3, 25), 0))

for sid in PEOPLE:
    if sid not in special_people:
        random_absences(sid)

# custody inspector long-term sick Feb-Mar (custody sgts cover each other's authorisations)
special_people.add(cust_insp)
add_abs(cust_insp, "sickness", dt.date(2026, 2, 2), dt.date(2026, 3, 31), reason="Musculoskeletal - back")
plant(cust_insp, "lookalike", "long_term_sickness", "none/wellbeing", "custody inspector off 8 weeks (back)")

# ---------------------------------------------------------------- planned rest-day working, bank holidays, swaps
for sid, p in PEOPLE.items():
    if not paid_ot(sid) or sid in special_people or p["pattern"] not in ("resp", "nbh", "12h"):
        continue
    if R.random() < 0.3:
        shs = SHIFTS[sid]
        busy = {sh["start"].date() for sh in shs} | {sh["end"].date() for sh in shs}
        for _ in range(R.randint(1, 4)):
            day = R.choice(DAYS[31:])
            if day in busy or day.weekday() < 5 or any(a[1] <= at(day, 12) < a[2] for a in ABS[sid]):
                continue
            s, e = at(day, 10), at(day, 18)
            sh = new_shift(sid, s, e, "rest_day_working", unit_site(sid))
            rchange(sh, R.choice(planners), s - dt.timedelta(days=R.randint(16, 40)), "duty_type", "rest_day", "rest_day_working")
            claim(sid, s, e, "event_policing", supts[3] if False else (PEOPLE[sid]["line_manager_id"]))
            presence_for_span(sid, s, e, unit_site(sid), True, 3, 0.5)
            busy.add(day)
    for sh in SHIFTS[sid]:
        if sh["duty_type"] == "bank_holiday" and R.random() < 0.5:
            rchange(sh, R.choice(planners), sh["start"] - dt.timedelta(days=R.randint(20, 60)), "duty_type", "normal", "bank_holiday")

# swaps between colleagues approved by a supervisor (legit): start moved 2 days, changed by sergeant
swap_people = []
for uid, tm in list(resp_teams.items()):
    for _ in range(2):
        a = pick(tm["pcs"])
        shs = [sh for sh in SHIFTS[a] if sh["start"].date() > dt.date(2026, 1, 10) and sh["duty_type"] == "normal" and sh["start"].hour == 7]
        if not shs:
            continue
        sh = R.choice(shs)
        old = sh["start"]
        new = old + dt.timedelta(days=4)  # into a rest day of the 10-day cycle
        sh["start"], sh["end"] = new, sh["end"] + dt.timedelta(days=4)
        rchange(sh, tm["sgts"][0], old - dt.timedelta(days=R.randint(3, 12)), "start", fmt(old), fmt(new))
        swap_people.append(a)
        plant(a, "lookalike", "approved_swap", "none", f"shift swapped {old.date()}->{new.date()} by sergeant, no overtime")
# one swap then genuinely recalled on the freed day by the inspector
a = swap_people[0]
sh = next(s for s in SHIFTS[a] if s["start"].date() > dt.date(2026, 1, 10) and any(r["shift_id"] == s["shift_id"] for r in RC))
freed = sh["start"].date() - dt.timedelta(days=4)
tmx = next(t for t in resp_teams.values() if a in t["pcs"])
claim(a, at(freed, 9), at(freed, 15), "recall_to_duty", tmx["insp"])
presence_for_span(a, at(freed, 9), at(freed, 15), tmx["site"], True, 8, 0.7)
truth[-len(swap_people)] = (a, "lookalike", "approved_swap_then_recall", "none/wellbeing",
                           f"supervisor-approved swap; inspector recalled them on freed day {freed} (recall_to_duty)")

# ---------------------------------------------------------------- MISCONDUCT (planted)
def sms(sid, t, cp, d="out"):
    comm(sid, t, "sms", cp, d)


def off_duty(sid, t):
    return not any(sh["start"] - H <= t <= sh["end"] + H for sh in SHIFTS[sid])


# M1 APSP: response PC, vulnerable DA victim, contact escalates after the case closes, off duty, texts, long calls, views
v1 = "S900001"
c1 = new_case(M1, at(dt.date(2025, 12, 9), 16), at(dt.date(2026, 1, 21), 12),
              [(v1, "victim", True), ("S900002", "suspect", False)])
for d in range(0, 40, 6):  # legit contact while case open, on duty
    day = dt.date(2025, 12, 10) + dt.timedelta(d)
    shs = [sh for sh in SHIFTS[M1] if sh["start"].date() == day]
    if shs:
        t = shs[0]["start"] + 2 * H
        lookup(M1, t - 5 * M, v1, c1, "view"); comm(M1, t, "call", v1, "out", R.randint(120, 400))
k = 0
for day in DAYS:
    if day < dt.date(2026, 2, 9) or day > dt.date(2026, 5, 20):
        continue
    if R.random() < 0.35:
        t = at(day, R.choice([21, 22, 23, 23, 0 + 24]), R.randint(0, 59))
        sms(M1, t, v1)
        sms(M1, t + dt.timedelta(minutes=R.randint(2, 30)), v1, "in")
        if R.random() < 0.3:
            comm(M1, t + H, "call", v1, "out", R.randint(900, 3000))
        if R.random() < 0.25:
            lookup(M1, t - 20 * M, v1, "", "view", "Niche")
        k += 1
plant(M1, "misconduct", "APSP_victim_contact", "criminal_referral",
      f"DA victim {v1} (vulnerable) of case {c1} closed 2026-01-21; {k} late-night SMS exchanges Feb-May, long calls, record views without case ref")

# M2 APSP-ish: neighbourhood PC, vulnerable witness, after closure, texts and long calls on duty
w2 = "S900010"
c2 = new_case(M2, at(dt.date(2026, 1, 27), 11), at(dt.date(2026, 3, 6), 12),
              [("S900011", "victim", False), (w2, "witness", True), ("S900012", "suspect", False)])
shs = [sh for sh in SHIFTS[M2] if dt.date(2026, 3, 25) <= sh["start"].date() <= dt.date(2026, 6, 20)]
for sh in R.sample(shs, min(14, len(shs))):
    t = rt(sh["start"] + H, sh["end"] - H)
    if R.random() < 0.5:
        sms(M2, t, w2); sms(M2, t + 10 * M, w2, "in")
    else:
        comm(M2, t, "call", w2, "out", R.choice([200, 600, 1100, 1500, 2200]))
plant(M2, "misconduct", "APSP_victim_contact", "gross_misconduct_assessment",
      f"vulnerable witness {w2} of case {c2} closed 2026-03-06; texts and long calls on duty from 25 Mar to June")

# M3 misuse: CID DC looks up ex-partner, her new partner and family: low volume, no case ref, some off duty
fam = ["S900020", "S900021", "S900022", "S900023", "S900024"]
n3 = 0
for day in DAYS:
    if day < dt.date(2026, 1, 15) or R.random() > 0.22:
        continue
    shs = [sh for sh in SHIFTS[M3] if sh["start"].date() == day]
    if shs and R.random() < 0.7:
        t = rt(shs[0]["start"] + H, shs[0]["end"] - H)
    else:
        t = at(day, R.randint(19, 22), R.randint(0, 59))  # from laptop at home
        device(M3, t - 5 * M, "login")
    for _ in range(R.randint(1, 2)):
        lookup(M3, t + dt.timedelta(minutes=R.randint(0, 10)), R.choice(fam), "" if R.random() < 0.85 else R.choice(OWN[M3] or ALL_CASES), "view", "Niche")
        n3 += 1
plant(M3, "misconduct", "systems_misuse_personal", "gross_misconduct_assessment",
      f"{n3} lookups of ex-partner/new partner/family {fam} (no case link) Jan-Jun, some from home off duty")

# M4 misuse: response PC, burst on a high-profile arrest (footballer) and associates, 10 days in April
celeb = "S900030"; assoc = [f"S9000{31+i}" for i in range(12)]
shs = [sh for sh in SHIFTS[M4] if dt.date(2026, 4, 12) <= sh["start"].date() <= dt.date(2026, 4, 24)]
n4 = 0
for sh in shs:
    for _ in range(R.randint(12, 22)):
        lookup(M4, rt(sh["start"] + 30 * M, sh["end"] - 30 * M), celeb if R.random() < 0.5 else R.choice(assoc), "", "view")
        n4 += 1
plant(M4, "misconduct", "systems_misuse_celebrity", "misconduct_assessment",
      f"{n4} lookups of a high-profile arrestee and associates, not his case, 12-24 Apr, no case ref")

# M5 misuse: call handler looks up neighbours/friend's ex over 3 months
nb = [f"S90005{i}" for i in range(10)]
shs = [sh for sh in SHIFTS[M5] if dt.date(2026, 2, 1) <= sh["start"].date() <= dt.date(2026, 4, 30)]
n5 = 0
for sh in shs:
    if R.random() < 0.6:
        for _ in range(R.randint(2, 4)):
            lookup(M5, rt(sh["start"] + H, sh["end"] - H), R.choice(nb), "", "view", R.choice(["Niche", "PNC"]))
            n5 += 1
plant(M5, "misconduct", "systems_misuse_neighbours", "misconduct_assessment",
      f"{n5} lookups of 10 neighbours/acquaintances Feb-Apr, no incident ref, on shift")

# M6 overtime with no presence: roads PC, rest-day 'speed enforcement operation' claims never worked
shs_days = {sh["start"].date() for sh in SHIFTS[M6]} | {sh["end"].date() for sh in SHIFTS[M6]}
cands = [d for d in DAYS[40:] if d not in shs_days]
for d in sorted(R.sample(cands, 7)):
    s = at(d, R.choice([8, 9, 14]))
    claim(M6, s, s + dt.timedelta(hours=R.choice([4, 4.5, 5])), "op_speedwatch", PEOPLE[M6]["line_manager_id"])
# plus genuine overtime
plant(M6, "misconduct", "overtime_fraud_no_presence", "gross_misconduct_assessment",
      "7 rest-day op_speedwatch claims (4-5h) Feb-Jun with no badge/device/systems/comms; none worked")

# M7 overtime while sick
add_abs(M7, "sickness", dt.date(2026, 3, 2), dt.date(2026, 3, 20), reason="Musculoskeletal - back")
for d in [dt.date(2026, 3, 7), dt.date(2026, 3, 14)]:
    claim(M7, at(d, 11), at(d, 19), "event_policing", R.choice(planners[:1]) if False else PEOPLE[M7]["line_manager_id"])
plant(M7, "misconduct", "overtime_during_sickness", "gross_misconduct_assessment",
      "off sick 2-20 Mar; claimed 2 x 8h football-event overtime on 7 and 14 Mar; no presence")

# M8 working elsewhere while off sick, undeclared
add_abs(M8, "sickness", dt.date(2026, 4, 6), dt.date(2026, 5, 15), reason="Musculoskeletal - back")
for i, (d, src) in enumerate([(dt.date(2026, 4, 20), "HMRC RTI payroll submission"),
                              (dt.date(2026, 4, 25), "Counter-corruption unit observation"),
                              (dt.date(2026, 5, 2), "Counter-corruption unit observation")]):
    T["external_records"].append(dict(record_id=f"XR-M8-{i}", kind="employment", counterparty="Securi-Guard Services Ltd",
                                      source=src, observed_at=d.isoformat(), strength="confirmed", staff_id=M8,
                                      full_name="", date_of_birth="", activity="80100 Private security activities"))
plant(M8, "misconduct", "sickness_secondary_work", "gross_misconduct_assessment",
      "off sick 6 Apr-15 May (back); seen working door security 3 times; no declaration")

# M9 undeclared PI business (by name+DOB via Companies House)
p9 = PEOPLE[M9]
T["external_records"].append(dict(record_id="XR-M9", kind="directorship", counterparty="Ashdown Investigations Ltd",
                                  source="Companies House officers register", observed_at="2026-02-16", strength="confirmed",
                                  staff_id="", full_name=p9["display_name"], date_of_birth=p9["date_of_birth"].isoformat(),
                                  activity="80300 Investigation activities"))
plant(M9, "misconduct", "undeclared_business_PI", "gross_misconduct_assessment",
      "director of a private investigation company (Companies House, name+DOB), never declared")

# M10 undeclared lodge membership, observed before the rule, not declared by deadline
T["external_records"].append(dict(record_id="XR-M10", kind="membership", counterparty="Lodge of Perseverance No. 4821",
                                  source="Lodge membership roll (lawfully obtained)", observed_at="2025-09-01",
                                  strength="confirmed", staff_id=M10, full_name="", date_of_birth="", activity=""))
plant(M10, "misconduct", "undeclared_masonic_membership", "misconduct_assessment",
      "lodge membership observed 2025-09; rule effective 2025-12-11; never declared by June 2026")

# M11 roster premium self-edits
shs = [sh for sh in SHIFTS[M11] if sh["duty_type"] == "normal" and sh["start"].date() > dt.date(2026, 1, 20)]
for sh in sorted(R.sample(shs, 4), key=lambda x: x["start"]):
    rchange(sh, M11, sh["start"] + dt.timedelta(days=R.randint(1, 3)), "duty_type", "normal", "rest_day_working")
    sh["duty_type"] = "rest_day_working"
plant(M11, "misconduct", "roster_premium_self_edit", "misconduct_assessment",
      "4 of own normal shifts re-labelled rest_day_working after the event, by self")

# M12 swap own shift away then claim overtime on the freed day
shs = [sh for sh in SHIFTS[M12] if sh["duty_type"] == "normal" and sh["start"].hour == 7 and sh["start"].date() > dt.date(2026, 1, 20)]
for sh in sorted(R.sample(shs, 3), key=lambda x: x["start"]):
    old, new = sh["start"], sh["start"] + dt.timedelta(days=4)
    rchange(sh, M12, old - dt.timedelta(days=5), "start", fmt(old), fmt(new))
    sh["start"], sh["end"] = new, sh["end"] + dt.timedelta(days=4)
    claim(M12, old + H, old + 9 * H, "event_policing", PEOPLE[M12]["line_manager_id"])
    presence_for_span(M12, old + H, old + 9 * H, "SBS", True, 4, 0.4)
plant(M12, "misconduct", "rest_day_swap_then_overtime", "misconduct_assessment",
      "3 times moved own early shift 4 days later then claimed 8h event overtime on the freed day")

# M13 reciprocal authorisation (TSG sergeants) with heavy overtime
for a, b in [(M13a, M13b), (M13b, M13a)]:
    for sh in R.sample(SHIFTS[a], min(18, len(SHIFTS[a]))):
        s = sh["end"]
        e = s + dt.timedelta(hours=R.choice([2, 3, 4]))
        claim(a, s, e, R.choice(["public_order_debrief", "late_arrest", "planning"]), b)
        if R.random() < 0.6:
            lookup(a, s + 30 * M, subj(), "")
plant(M13a, "misconduct", "reciprocal_authorisation", "misconduct_assessment", "TSG sergeant pair authorise all of each other's 18 claims")
plant(M13b, "misconduct", "reciprocal_authorisation", "misconduct_assessment", "TSG sergeant pair authorise all of each other's 18 claims")

# M14 self-authorised claims (custody sergeant)
for sh in R.sample(SHIFTS[M14], 5):
    claim(M14, sh["end"], sh["end"] + dt.timedelta(hours=R.choice([1.5, 2, 3])), "custody_handover", M14)
    lookup(M14, sh["end"] + 40 * M, subj(), "")
plant(M14, "misconduct", "self_authorisation", "misconduct_assessment", "5 overtime claims authorised by himself")

# M15 court overtime claimed for trials that did not sit (no court shift on the roster, no presence)
shs_days = {sh["start"].date() for sh in SHIFTS[M15]}
cands = [d for d in DAYS[60:] if d not in shs_days and d.weekday() < 5]
for d in sorted(R.sample(cands, 3)):
    claim(M15, at(d, 9), at(d, 15), "court", PEOPLE[M15]["line_manager_id"])
plant(M15, "misconduct", "court_overtime_fraud", "gross_misconduct_assessment",
      "3 x 6h rest-day 'court' claims; no court duty on the roster, no presence (trial had been vacated)")

# M16 late declaration of lodge membership after the rule's deadline (minor)
T["external_records"].append(dict(record_id="XR-M16", kind="membership", counterparty="Kingsway Lodge No. 7012",
                                  source="Lodge membership roll (lawfully obtained)", observed_at="2025-10-14",
                                  strength="confirmed", staff_id=M16, full_name="", date_of_birth="", activity=""))
T["declarations"].append(dict(declaration_id="DC-M16", staff_id=M16, kind="membership", counterparty="Kingsway Lodge No. 7012",
                              declared_at="2026-04-22", status="approved"))
plant(M16, "minor", "late_masonic_declaration", "advice", "lodge member; declared 2026-04-22, after the 2026-03-11 deadline")

# ---------------------------------------------------------------- HONEST LOOK-ALIKES
# L1 Op Kestrel surge team (whole team; already generated above)
for s in [resp_teams[SURGE_UNIT]["insp"]] + resp_teams[SURGE_UNIT]["sgts"] + resp_teams[SURGE_UNIT]["pcs"]:
    if PEOPLE[s]["end_date"] is None:
        special_people.add(s)
        plant(s, "lookalike", "major_incident_surge", "none",
              "Op Kestrel murder 13-24 Mar: overtime after ~every shift, 3x lookups, most without case ref")
# two recalled from annual leave for Kestrel (leave record not cancelled in HR)
for s in R.sample(resp_teams[SURGE_UNIT]["pcs"], 2):
    d0 = dt.date(2026, 3, 16)
    add_abs(s, "annual_leave", d0, d0 + dt.timedelta(5))
    for d in [d0 + dt.timedelta(1), d0 + dt.timedelta(2)]:
        claim(s, at(d, 8), at(d, 18), "recall_to_duty", resp_teams[SURGE_UNIT]["insp"])
        presence_for_span(s, at(d, 8), at(d, 18), "SBS", True, 25, 0.7)
    truth[:] = [t for t in truth if t[0] != s]
    plant(s, "lookalike", "recalled_from_leave", "none/wellbeing",
          "recalled from annual leave 17-18 Mar for Op Kestrel by inspector; HR leave record not cancelled; worked (presence)")

# L2 recall to duty on rest days (various teams)
for uid in ["RESP-NGS-2", "RESP-NGS-3", "RESP-SBS-2", "RESP-SBS-4", "RESP-NGS-5", "RESP-SBS-5"]:
    s = pick(resp_teams[uid]["pcs"])
    busy = {sh["start"].date() for sh in SHIFTS[s]} | {sh["end"].date() for sh in SHIFTS[s]}
    days_ = [d for d in DAYS[40:] if d not in busy][:60]
    for d in R.sample(days_, 2):
        st, en = at(d, 12), at(d, 22)
        sh = new_shift(s, st, en, "rest_day_working", resp_teams[uid]["site"])
        rchange(sh, R.choice(planners), st - dt.timedelta(hours=R.randint(6, 30)), "duty_type", "rest_day", "rest_day_working")
        claim(s, st, en, "recall_to_duty", resp_teams[uid]["insp"])
        presence_for_span(s, st, en, resp_teams[uid]["site"], True, 22, 0.7)
    plant(s, "lookalike", "recall_to_duty", "none", "recalled twice on rest days at short notice (<24h) by inspector; lookups 2x, mostly no case ref")

# L3 court warnings on rest days: court shift + overtime claim, phone off in court (no presence)
for uid in ["CID-NGS", "PVP", "RESP-NGS-3", "RESP-SBS-4", "NBH-SBS"]:
    s = pick([x for x in (cid.get(uid) or resp_teams.get(uid) or nbh.get(uid))["pcs"] if paid_ot(x)])
    busy = {sh["start"].date() for sh in SHIFTS[s]} | {sh["end"].date() for sh in SHIFTS[s]}
    days_ = [d for d in DAYS[35:] if d not in busy and d.weekday() < 5 and d not in BH]
    for d in sorted(R.sample(days_, R.choice([2, 3]))):
        st, en = at(d, 9, 30), at(d, 16, 30)
        new_shift(s, st, en, "court", R.choice(["CRC", "MAGC"]))
        claim(s, st, en, "court_rest_day", PEOPLE[s]["line_manager_id"])
    plant(s, "lookalike", "court_warning_rest_day", "none",
          "warned for court on rest days; court shift on roster; phone off in court so no presence")

# L4 mutual aid week (TSG officers), away in another force
for s in tsg[:8]:
    special_people.add(s)
    for i in range(5):
        d = dt.date(2026, 5, 11) + dt.timedelta(i)
        st, en = at(d, 6), at(d, 14)
        SHIFTS[s] = [sh for sh in SHIFTS[s] if sh["start"].date() != d]
        new_shift(s, st, en, "other", "MAID")
        claim(s, en, en + 4 * H, "mutual_aid", tsg_insp)
        if tsg.index(s) % 2 == 0:
            device(s, en + 2 * H, "login"); device(s, en + 3 * H, "logout")
    plant(s, "lookalike", "mutual_aid", "none", "mutual aid to another force 11-15 May, 4h overtime a day; half carried a phone that logged in")

# L5 victim follow-up after closure, honest
pvp_dcs = [x for x in cid["PVP"]["pcs"] if PEOPLE[x]["employment_type"] == "officer"]
for j in range(8):
    s = pick(pvp_dcs)
    vic = f"S9100{j:02d}"
    opened = at(dt.date(2025, 12, 1) + dt.timedelta(R.randint(0, 40)), 10)
    closed = opened + dt.timedelta(days=R.randint(30, 60))
    c = new_case(s, opened, closed, [(vic, "victim", True), (f"S9101{j:02d}", "suspect", False)])
    shs = [sh for sh in SHIFTS[s] if closed + dt.timedelta(15) <= sh["start"] <= closed + dt.timedelta(75)]
    kind = ["ontime"] * 5 + ["after_shift", "after_shift", "long_call"]
    kind = kind[j]
    for sh in sorted(R.sample(shs, min(len(shs), R.randint(2, 4))), key=lambda x: x["start"]):
        if kind == "after_shift":
            comm(s, sh["end"] - 2 * H, "call", vic, "in", 0)  # missed call from the victim
            t = sh["end"] + dt.timedelta(minutes=R.randint(70, 110))  # calls back after finishing paperwork
            comm(s, t, "call", vic, "out", R.randint(180, 500))
        else:
            t = rt(sh["start"] + H, sh["end"] - H)
            lookup(s, t - 8 * M, vic, c, "view")
            comm(s, t, "call", vic, "out", R.randint(1000, 1500) if kind == "long_call" else R.randint(90, 400))
    plant(s, "lookalike", f"victim_followup_{kind}", "none",
          {"ontime": "2-4 short on-duty calls to vulnerable victim 15-75d after closure (court result/Victims' Code), record viewed under case ref",
           "after_shift": "victim's missed call, officer called back 70-110 min after shift end (unpaid), short calls, 15-75d after closure",
           "long_call": "17-25 min on-duty call to distressed vulnerable victim after not-guilty verdict, 15-75d after closure"}[kind])

# repeat DA victim: party to an old closed case and a current open one
s = pick(pvp_dcs)
vic = "S910099"
new_case(s, at(dt.date(2025, 12, 3), 10), at(dt.date(2026, 1, 5), 10), [(vic, "victim", True)])
c = new_case(s, at(dt.date(2026, 3, 1), 10), None, [(vic, "victim", True), ("S910098", "suspect", False)])
for sh in [x for x in SHIFTS[s] if dt.date(2026, 3, 2) <= x["start"].date() <= dt.date(2026, 5, 30)][::4]:
    t = rt(sh["start"] + H, sh["end"] - H)
    comm(s, t, "call", vic, "out", R.randint(200, 900)); sms(s, t + 20 * M, vic)
plant(s, "lookalike", "repeat_victim_open_case", "none", "DA victim of an old closed case is victim in a new open case; calls and texts on duty")

# L6 checking roles: mark them (behaviour comes from lookup_profile)
for s in vet + pncb + intel_res + intel_an + intel_fio + flu + mash + psd:
    special_people.add(s)
    plant(s, "lookalike", "checking_role:" + PEOPLE[s]["role"], "none", "role checks records without a case reference")
for s in cid["CID-NGS"]["pcs"] + cid["CID-SBS"]["pcs"]:
    if PEOPLE[s]["role"] == "Disclosure Officer":
        plant(s, "lookalike", "checking_role:Disclosure Officer", "none", "disclosure schedules: many lookups")

# L7 phased return after long-term sickness: part-day sickness records, short shifts
for s in [pick(resp_teams["RESP-NGS-2"]["pcs"]), pick(cust_dos), pick(fcr)]:
    add_abs(s, "sickness", dt.date(2026, 1, 5), dt.date(2026, 2, 20), reason="Psychological - stress")
    shs = [sh for sh in SHIFTS[s] if dt.date(2026, 2, 23) <= sh["start"].date() <= dt.date(2026, 3, 27)]
    for i, sh in enumerate(shs):
        if i % 2 == 1 and sh["start"].date() < dt.date(2026, 3, 9):
            SHIFTS[s].remove(sh)
            continue
        full = (sh["end"] - sh["start"]).total_seconds() / 3600
        work = full / 2 if sh["start"].date() < dt.date(2026, 3, 13) else full * 0.75
        sh["end"] = sh["start"] + dt.timedelta(hours=work)
        add_abs(s, "sickness", sh["start"].date(), sh["start"].date(), reason="Phased return", hours=round(full - work, 2))
        sh["nopres"] = True
        presence_for_span(s, sh["start"], sh["end"], sh["site_id"], False, 3, 0.3)
    plant(s, "lookalike", "phased_return", "none/wellbeing", "6-7 weeks sick, then phased return at half/three-quarter hours with part-day sickness records")

# L8 sickness record not closed on return; returned early and worked incl. overtime (activity present)
for uid in ["RESP-NGS-5", "RESP-SBS-4"]:
    s = pick(resp_teams[uid]["pcs"])
    d0 = dt.date(2026, 4, 7)
    add_abs(s, "sickness", d0, d0 + dt.timedelta(11), reason="Respiratory - cold/flu", remove_shifts=False)
    for sh in SHIFTS[s]:
        if d0 <= sh["start"].date() <= d0 + dt.timedelta(11):
            sh["nopres"] = True
    shs = [sh for sh in SHIFTS[s] if d0 + dt.timedelta(6) <= sh["start"].date() <= d0 + dt.timedelta(11)]
    for sh in shs:
        presence_for_span(s, sh["start"], sh["end"], sh["site_id"], True, 11, 0.35)
    if shs:
        sh = shs[0]
        claim(s, sh["end"], sh["end"] + 2 * H, "late_arrest", PEOPLE[s]["line_manager_id"])
        badge(s, sh["end"] + 40 * M, "CUS", "in"); lookup(s, sh["end"] + H, subj(), "")
    plant(s, "lookalike", "sickness_record_not_closed", "none/wellbeing",
          "HR kept sickness 7-18 Apr; officer returned 13 Apr and worked shifts + a 2h late-arrest overtime (presence)")

# L9 late arrest overrunning into first day of annual leave
for uid in ["RESP-NGS-3", "RESP-SBS-2"]:
    s = pick(resp_teams[uid]["pcs"])
    late = [sh for sh in SHIFTS[s] if sh["start"].hour == 14 and sh["start"].date() > dt.date(2026, 2, 1)]
    sh = late[2]
    nd = sh["end"].date()
    add_abs(s, "annual_leave", nd, nd + dt.timedelta(6))
    claim(s, sh["end"], sh["end"] + 3 * H, "late_arrest", PEOPLE[s]["line_manager_id"])
    badge(s, sh["end"] + 30 * M, "CUS", "in"); lookup(s, sh["end"] + 90 * M, subj(), "")
    plant(s, "lookalike", "overrun_into_leave", "none", "late arrest at end of late shift ran 3h past midnight into first day of leave")

# L10 declared secondary work; one off sick with declared job payroll continuing (RTI), one Perry-like
sec = []
for j, (cp, kind, act) in enumerate([("Northgate Driving School", "employment", "85530 Driving school activities"),
                                     ("Holly Lets Ltd", "directorship", "68209 Other letting and operating of own or leased real estate"),
                                     ("FitLife Personal Training", "employment", "93130 Fitness facilities"),
                                     ("Westshire Tutors Online", "employment", "85590 Other education"),
                                     ("Meadow Farm Holiday Cottages Ltd", "directorship", "55201 Holiday centres and villages"),
                                     ("Kingsway Wedding DJs", "employment", "90010 Performing arts")]):
    s = pick([x for x in PEOPLE if PEOPLE[x]["unit_id"].startswith(("RESP", "NBH", "CUST", "HR", "FIN"))])
    T["declarations"].append(dict(declaration_id=f"DC-L10-{j}", staff_id=s, kind="secondary_employment" if kind == "employment" else "business_interest",
                                  counterparty=cp, declared_at=(dt.date(2023, 1, 1) + dt.timedelta(R.randint(0, 900))).isoformat(), status="approved"))
    T["external_records"].append(dict(record_id=f"XR-L10-{j}", kind=kind, counterparty=cp.replace(" Ltd", " Limited"),
                                      source="HMRC RTI payroll submission" if kind == "employment" else "Companies House officers register",
                                      observed_at="2026-01-31", strength="confirmed", staff_id=s, full_name="", date_of_birth="", activity=act))
    sec.append(s)
    plant(s, "lookalike", "declared_secondary_work", "none", f"declared & approved {cp}; outside record confirms it")
s = sec[0]  # driving instructor, knee surgery, RTI payroll continues while off sick (SSP from 2nd employer)
add_abs(s, "sickness", dt.date(2026, 2, 2), dt.date(2026, 4, 24), reason="Musculoskeletal - other")
for i, d in enumerate(["2026-02-28", "2026-03-31"]):
    T["external_records"].append(dict(record_id=f"XR-L10-0-{i}", kind="employment", counterparty="Northgate Driving School",
                                      source="HMRC RTI payroll submission", observed_at=d, strength="confirmed", staff_id=s,
                                      full_name="", date_of_birth="", activity="85530 Driving school activities"))
truth[:] = [t for t in truth if t[0] != s]
plant(s, "lookalike", "declared_job_payroll_during_sickness", "none/wellbeing",
      "knee surgery, off 12 weeks; declared driving-school job's monthly RTI payroll submissions (SSP) continue during the spell; not working")
s = sec[3]  # Perry-like: online tutoring (desk work) while off from frontline with a shoulder injury
add_abs(s, "sickness", dt.date(2026, 3, 9), dt.date(2026, 4, 17), reason="Injury on duty")
T["external_records"].append(dict(record_id="XR-L10-3-x", kind="employment", counterparty="Westshire Tutors Online",
                                  source="Platform timesheet (disclosed by employer)", observed_at="2026-03-25", strength="confirmed",
                                  staff_id=s, full_name="", date_of_birth="", activity="85590 Other education"))
truth[:] = [t for t in truth if t[0] != s]
plant(s, "lookalike", "declared_desk_job_while_sick_fitnote", "none/wellbeing",
      "shoulder injury on duty; declared online tutoring (desk) seen once during spell; fit note 'may be fit' amended duties")

# L11 masonic members who declared on time after the new rule (11 Dec 2025)
for j, (lodge, decl) in enumerate([("Lodge of Harmony No. 1147", "2025-12-19"), ("Westshire Lodge No. 3390", "2026-01-08"),
                                   ("St Aidan's Lodge No. 5502", "2026-02-17"), ("Royal Arch Chapter of Fidelity No. 219", "2026-03-02")]):
    s = pick(list(PEOPLE))
    T["external_records"].append(dict(record_id=f"XR-L11-{j}", kind="membership", counterparty=lodge,
                                      source="Lodge membership roll (lawfully obtained)", observed_at="2025-08-20",
                                      strength="confirmed", staff_id=s, full_name="", date_of_birth="", activity=""))
    T["declarations"].append(dict(declaration_id=f"DC-L11-{j}", staff_id=s, kind="membership", counterparty=lodge,
                                  declared_at=decl, status="approved" if j < 3 else "pending"))
    plant(s, "lookalike", "masonic_declared_after_new_rule", "none", f"{lodge} observed 2025-08; declared {decl} after the rule of 2025-12-11")

# L12 clubs / voluntary / no-gain directorships (need not be declared)
for j, (kind, cp, act, src) in enumerate([
        ("membership", "Westmoor Golf Club", "", "Club membership list"),
        ("membership", "Royal British Legion (Northgate Branch)", "", "Branch membership list"),
        ("membership", "Northgate Rugby Union Football Club", "", "Club membership list"),
        ("membership", "Eastfield Cricket Club", "", "Club membership list"),
        ("directorship", "Maple Court (Northgate) RTM Company Limited", "98000 Residents property management", "Companies House officers register"),
        ("directorship", "Riverside Mews Management Company Limited", "98000 Residents property management", "Companies House officers register"),
        ("directorship", "Northgate Boxing Club CIO", "registered charity 1187654", "Charity Commission register"),
        ("directorship", "Eastfield Youth Football CIC", "93120 Activities of sport clubs", "Companies House officers register"),
        ("directorship", "Westshire Police Sports Association Limited", "93199 Other sports activities", "Companies House officers register"),
        ("directorship", "J & M Thompson Holdings Limited", "99999 Dormant Company", "Companies House officers register"),
        ("membership", "Order of St John (St John Ambulance volunteers)", "", "Volunteer register"),
        ("employment", "Westshire County Council (school crossing patrol, before joining)", "", "HMRC RTI payroll submission")]):
    s = pick(list(PEOPLE))
    obs = "2026-02-10"
    if j == 11:
        obs = (PEOPLE[s]["start_date"] - dt.timedelta(days=200)).isoformat()
    T["external_records"].append(dict(record_id=f"XR-L12-{j}", kind=kind, counterparty=cp, source=src, observed_at=obs,
                                      strength="confirmed", staff_id=s, full_name="", date_of_birth="", activity=act))
    plant(s, "lookalike", "no_gain_or_club:" + cp, "none",
          {8: "unpaid director of the force's own sports association (staff association, no gain)",
           9: "dormant family company inherited, no trading", 7: "unpaid volunteer director of youth football CIC",
           10: "St John Ambulance unpaid volunteer (an 'Order' but not a fraternal secret society)"}.get(j, "need not be declared"))

# L13 namesakes in outside records (public people with a staff member's name, different DOB / same common name)
staff_list = list(PEOPLE)
for j in range(6):
    s = R.choice(staff_list)
    p = PEOPLE[s]
    dob = p["date_of_birth"] + dt.timedelta(days=R.choice([365 * 10 + 2, 365 * 12 + 3, 400, 2000, 3650]))
    T["external_records"].append(dict(record_id=f"XR-L13-{j}", kind=R.choice(["directorship", "employment"]),
                                      counterparty=R.choice(["Acme Scaffolding Ltd", "Bright Nails Salon", "Taxi Westshire Ltd", "Castle Security Ltd"]),
                                      source="Companies House officers register", observed_at="2026-03-01", strength="confirmed",
                                      staff_id="", full_name=p["display_name"], date_of_birth=dob.isoformat(), activity=""))
    plant(s, "lookalike", "namesake_outside_record", "none", f"a member of the public with the same name, born {dob}")

# L14 custody sergeants cover each other's overtime authorisation while custody inspector is off sick
cs1, cs2 = pick(cust_sgts), pick(cust_sgts)
for a, b in [(cs1, cs2), (cs2, cs1)]:
    shs = [sh for sh in SHIFTS[a] if dt.date(2026, 2, 2) <= sh["start"].date() <= dt.date(2026, 3, 31)]
    for sh in R.sample(shs, min(4, len(shs))):
        claim(a, sh["end"], sh["end"] + dt.timedelta(hours=R.choice([1, 1.5, 2])), "custody_handover", b)
        lookup(a, sh["end"] + 30 * M, subj(), "")
    shs = [sh for sh in SHIFTS[a] if sh["start"].date() > dt.date(2026, 4, 5)]
    for sh in R.sample(shs, min(4, len(shs))):
        claim(a, sh["end"], sh["end"] + dt.timedelta(hours=R.choice([1, 1.5, 2])), "custody_handover", cust_insp)
        lookup(a, sh["end"] + 30 * M, subj(), "")
    plant(a, "lookalike", "mutual_cover_authorisation", "none", "two custody sergeants authorised each other's claims Feb-Mar while the custody inspector was off sick")

# L15 hybrid-rule staff who are legitimately away: long training course, long leave, compressed hours,
#     reasonable adjustment recorded as 'other' absence, and reasonable adjustment NOT representable
hq_pool = [x for x in HQD if PEOPLE[x]["fte"] == 1.0 and PEOPLE[x]["pattern"] == "none"]
for j in range(10):
    s = pick(hq_pool)
    days_ = [d for d in DAYS if d >= P0 and d.weekday() < 5 and d not in BH]
    # remove their previous office presence: regenerate presence below
    NO_AUTO_OFFICE.add(s)
    if j < 3:
        d0 = R.choice(days_[:60])
        add_abs(s, "training", d0, d0 + dt.timedelta(days=27), reason="Accredited course (external)")
        note = "4-week external accredited course, recorded as training absence"
        home = set()
    elif j < 5:
        d0 = R.choice(days_[:60])
        add_abs(s, "annual_leave", d0, d0 + dt.timedelta(days=20))
        note = "3 weeks' annual leave (long-haul family visit)"
        home = set()
    elif j < 7:
        home = {d for d in days_ if d.weekday() in (1, 3)}
        for d in home:
            add_abs(s, "other", d, d, reason="Reasonable adjustment - agreed home working", hours=7.5)
        note = "reasonable adjustment (disability): agreed home working Tue/Thu, recorded in HR as 'other' 7.5h"
    else:
        home = {d for d in days_ if d.weekday() in (0, 2, 4)}
        note = "reasonable adjustment / flexible working agreement: home Mon/Wed/Fri; HR holds it only as a letter (not in any export)"
    for d in days_:
        if d in home or any(a[1] <= at(d, 12) < a[2] for a in ABS[s] if a[3] is None):
            continue
        if R.random() < 0.95:
            badge(s, at(d, 8, R.randint(0, 50)), "HQ", "in"); badge(s, at(d, 17, R.randint(0, 30)), "HQ", "out")
    plant(s, "lookalike" if j < 7 else "lookalike_contract_gap", "hybrid_away_legitimately", "none", note)
for s in [x for x in HQD if PEOPLE[x]["pattern"] == "none_compressed"][:3]:
    special_people.add(s)
    plant(s, "lookalike", "compressed_hours_hybrid", "none", "compressed hours 4x10h, Fridays off; office every working day ~90%")
for s in [x for x in HQD if PEOPLE[x]["fte"] < 1][:3]:
    special_people.add(s)
    plant(s, "lookalike", "part_time_hybrid", "none", f"part-time fte {PEOPLE[s]['fte']}, works first days of the week")
for s in mash:
    truth[:] = [t for t in truth if t[0] != s]
    plant(s, "lookalike", "mash_colocated_no_readers", "none", "MASH practitioner at council civic centre (no force readers); device reports site; checking role")

# L16 part-time / nights / compressed investigators (background variants worth tracking)
for s in [x for x in PEOPLE if PEOPLE[x]["pattern"] in ("resp_pt", "nights", "compressed", "12h_pt")][:10]:
    if s not in special_people:
        special_people.add(s)
        plant(s, "lookalike", "pattern:" + PEOPLE[s]["pattern"], "none", "part-time / permanent nights / compressed roster")

# L17 carers' leave: frequent short 'other' absences
for s in [pick(resp_teams["RESP-NGS-4"]["pcs"]), pick(fcr), pick(HQD)]:
    for d in R.sample([d for d in DAYS if d.weekday() < 5], 8):
        add_abs(s, "other", d, d, reason="Carer's leave (dependant)")
    plant(s, "lookalike", "carers_leave", "none", "8 single days' carer's leave")

# L18 unit-wide surge in lookups: neighbourhood burglary series, EFS team, Apr (with own caseload)
for s in nbh["NBH-EFS"]["pcs"]:
    if s == M2:
        continue
    for sh in [x for x in SHIFTS[s] if dt.date(2026, 4, 6) <= x["start"].date() <= dt.date(2026, 4, 26)]:
        for _ in range(R.randint(6, 16)):
            lookup(s, rt(sh["start"] + 20 * M, sh["end"] - 20 * M), subj(), "" if R.random() < 0.6 else R.choice(ALL_CASES))
    if s not in special_people:
        special_people.add(s)
        plant(s, "lookalike", "burglary_series_lookups", "none", "Op Nightjar burglary series Apr: prolific-offender/vehicle checks, 2-3x lookups")

# background roster churn: duty planners and sergeants amend start times and duties all the time
for sid, shs in SHIFTS.items():
    for sh in shs:
        r = R.random()
        if sh["duty_type"] != "normal" or sh.get("nopres"):
            continue
        if r < 0.035:
            old = sh["start"]
            delta = dt.timedelta(hours=R.choice([-2, -1, 1, 2]))
            sh["start"], sh["end"] = old + delta, sh["end"] + delta
            rchange(sh, R.choice(planners + [PEOPLE[sid]["line_manager_id"] or planners[0]]),
                    old - dt.timedelta(days=R.randint(1, 20)), "start", fmt(old), fmt(sh["start"]))
        elif r < 0.045 and sh["start"].hour in (7, 8):
            rchange(sh, R.choice(planners), sh["start"] - dt.timedelta(days=R.randint(5, 30)), "duty_type", "normal", "training")
            sh["duty_type"] = "training"; sh["site_id"] = "TRC"


def background():
    for sid, p in PEOPLE.items():
        u = p["unit_id"]
        nlook, noref = lookup_profile(sid)
        mobile = u.startswith(MOBILE_UNITS)
        site = unit_site(sid)
        if p["pattern"] in ("none", "none_compressed", "nopres_office"):
            # office workers without a roster: weekdays, hybrid
            pass
        for sh in SHIFTS[sid]:
            if sh.get("nopres") or sh["site_id"] in ("MAID", "CRC", "MAGC", "COLP"):
                continue
            if any(a[0] != "rest_day" and a[3] is None and a[1] <= sh["start"] + H and a[2] >= sh["end"] - H for a in ABS[sid]):
                continue
            if sh["duty_type"] == "training":
                if sh["site_id"] == "TRC":
                    badge(sid, sh["start"] - 10 * M, "TRC", "in")
                continue
            surge = u == SURGE_UNIT and SURGE[0] <= sh["start"] < SURGE[1]
            presence_for_span(sid, sh["start"], sh["end"], sh["site_id"], mobile, nlook * (3 if surge else 1),
                              0.65 if surge else noref)
            if paid_ot(sid):
                pr = next((v for k, v in [("RESP", 0.10), ("NBH", 0.05), ("CID", 0.07), ("PVP", 0.06), ("CUST", 0.05), ("ROADS", 0.08), ("TSG", 0.10)] if u.startswith(k)), 0.03)
                if surge:
                    pr = 0.9
                if R.random() < pr and sid not in (M13a, M13b, M14):
                    hrs = R.choice([1, 1.25, 1.5, 2, 2.5, 3, 4]) if not surge else R.choice([2, 3, 4])
                    s, e = sh["end"], sh["end"] + dt.timedelta(hours=hrs)
                    reason = "op_kestrel" if surge else R.choice(["late_arrest", "late_arrest", "prisoner_handover", "scene_preservation", "statement_taking", "continuity"])
                    auth = PEOPLE[resp_teams[SURGE_UNIT]["insp"]]["staff_id"] if surge else authoriser(sid)
                    claim(sid, s, e, reason, auth)
                    # presence inside the overtime: custody badge or lookups
                    if R.random() < 0.93:
                        if R.random() < 0.6:
                            badge(sid, s + dt.timedelta(minutes=R.randint(20, 50)), "CUS", "in")
                        for _ in range(R.randint(1, 4)):
                            lookup(sid, rt(s + 16 * M, e), subj(), R.choice(OWN[sid]) if OWN[sid] and R.random() < 0.5 else "")

    # office workers (no roster): weekday presence, hybrid attendance ~85-95% of available days
    OFFICE_RATE = {}
    for sid, p in PEOPLE.items():
        if p["pattern"] not in ("none", "none_compressed", "nopres_office") or sid in NO_AUTO_OFFICE:
            continue
        nlook, noref = lookup_profile(sid)
        site = unit_site(sid)
        rate = R.uniform(0.86, 0.97)
        OFFICE_RATE[sid] = rate
        for day in DAYS:
            if not in_post(p, day) or day.weekday() >= 5 or day in BH:
                continue
            if p["pattern"] == "none_compressed" and day.weekday() == 4:
                continue
            if p["fte"] < 1 and day.weekday() >= int(round(p["fte"] * 5)):
                continue
            if any(a[1] <= at(day, 12) < a[2] and (a[3] is None) for a in ABS[sid]):
                continue
            s = at(day, 0) + dt.timedelta(hours=R.uniform(7.5, 9.5))
            e = s + dt.timedelta(hours=10 if p["pattern"] == "none_compressed" else R.uniform(7.5, 8.5))
            in_office = R.random() < rate
            if p["pattern"] == "nopres_office":
                # MASH at the council civic centre: no force badge readers, device reports from the MASH site
                device(sid, s + 5 * M, "login", "MASH")
                device(sid, e - 5 * M, "logout", "MASH")
                presence_for_span(sid, s, e, "MASH", False, nlook, noref, badge_ok=False)
                continue
            if in_office:
                presence_for_span(sid, s, e, site, False, nlook, noref)
            else:
                device(sid, s, "login")
                device(sid, e, "logout")
                n = int(nlook)
                for _ in range(n):
                    lookup(sid, rt(s, e), subj(), "" if R.random() < noref else R.choice(ALL_CASES))


background()

# ---------------------------------------------------------------- complaints (background), identities
for s in R.sample(list(PEOPLE), 60):
    T["complaints"].append(dict(complaint_id=f"CP{len(T['complaints']):05d}", staff_id=s,
                                received_at=fmt(at(R.choice(DAYS), R.randint(8, 20))),
                                allegation=R.choice(["Service delivery", "Use of force", "Incivility", "Handling of property", "Discriminatory behaviour"]),
                                outcome=R.choice(["not_upheld", "not_upheld", "pending", "withdrawn", "upheld"])))

# ---------------------------------------------------------------- write
def write(name, rows, cols):
    with open(os.path.join(OUT, name + ".csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)

people_rows = []
prot = []
for sid, p in PEOPLE.items():
    people_rows.append(dict(staff_id=sid, rank_grade=p["rank_grade"], role=p["role"], unit_id=p["unit_id"],
                            employment_type=p["employment_type"], fte=p["fte"], start_date=p["start_date"].isoformat(),
                            end_date=p["end_date"].isoformat() if p["end_date"] else "",
                            hybrid_policy="true" if p["hybrid_policy"] else "false",
                            line_manager_id=p["line_manager_id"] or "", display_name=p["display_name"],
                            date_of_birth=p["date_of_birth"].isoformat()))
    age = 2026 - p["date_of_birth"].year
    prot.append(dict(staff_id=sid, sex=p["sex"], ethnicity_group=R.choices(["White", "Asian", "Black", "Mixed", "Other"], [80, 9, 5, 4, 2])[0],
                     age_band="<30" if age < 30 else "30-44" if age < 45 else "45+", disability=R.choice(["no"] * 9 + ["yes"])))
write("sites", T["sites"], ["site_id", "name", "kind"])
write("units", T["units"], ["unit_id", "name", "unit_type", "command", "site_id"])
write("people", people_rows, ["staff_id", "rank_grade", "role", "unit_id", "employment_type", "fte", "start_date", "end_date",
                              "hybrid_policy", "line_manager_id", "display_name", "date_of_birth"])
write("people_protected", prot, ["staff_id", "sex", "ethnicity_group", "age_band", "disability"])
shift_rows = []
for sid, shs in SHIFTS.items():
    for sh in shs:
        shift_rows.append(dict(sh, start=fmt(sh["start"]), end=fmt(sh["end"])))
write("shifts", shift_rows, ["shift_id", "staff_id", "start", "end", "duty_type", "site_id"])
valid_shifts = {r["shift_id"] for r in shift_rows}
write("roster_changes", [r for r in RC if r["shift_id"] in valid_shifts],
      ["change_id", "shift_id", "staff_id", "changed_by", "changed_at", "field", "old_value", "new_value"])
write("overtime_claims", OT, ["claim_id", "staff_id", "start", "end", "hours", "rate", "reason_code", "submitted_at",
                              "authorised_by", "authorised_at", "status"])
write("absences", T["absences"], ["absence_id", "staff_id", "type", "start", "end", "reason_category", "days", "hours", "status"])
# dedupe badge/device keys
def dedupe(rows, key):
    seen = set(); out = []
    for r in rows:
        k = tuple(r[c] for c in key)
        if k not in seen:
            seen.add(k); out.append(r)
    return out
write("badge_events", dedupe(T["badge_events"], ["staff_id", "ts", "site_id", "direction"]), ["staff_id", "ts", "site_id", "direction"])
write("device_events", dedupe(T["device_events"], ["staff_id", "device_id", "ts", "kind"]), ["staff_id", "device_id", "ts", "kind", "site_id"])
write("system_access", T["system_access"], ["event_id", "staff_id", "ts", "system", "action", "subject_ref", "case_ref"])
write("comms_events", T["comms_events"], ["event_id", "staff_id", "ts", "channel", "counterpart_ref", "direction", "duration_s"])
write("case_parties", dedupe(T["case_parties"], ["case_ref", "subject_ref", "role"]),
      ["case_ref", "subject_ref", "role", "vulnerable", "officer_in_case", "opened", "closed"])
# background declarations (approved business interests for ~10% officers, 6% staff) with matching outside records for some
bg = 0
for sid, p in PEOPLE.items():
    if sid in special_people:
        continue
    if R.random() < (0.10 if p["employment_type"] == "officer" else 0.06):
        cp = R.choice(["Buy-to-let property", "Self-employed plumber", "Football referee (paid)", "Photography business",
                       "Bar work at Eastfield Social Club", "Dog walking", "Online retail (Etsy shop)"])
        T["declarations"].append(dict(declaration_id=f"DC-BG-{bg}", staff_id=sid, kind=R.choice(["business_interest", "secondary_employment"]),
                                      counterparty=cp, declared_at=(dt.date(2020, 1, 1) + dt.timedelta(R.randint(0, 2100))).isoformat(),
                                      status=R.choice(["approved"] * 8 + ["pending", "refused"])))
        bg += 1
    if R.random() < 0.01:
        T["declarations"].append(dict(declaration_id=f"DC-BG-{bg}", staff_id=sid, kind="gift_hospitality",
                                      counterparty="Rotary Club dinner", declared_at="2026-02-11", status="approved"))
        bg += 1
write("declarations", T["declarations"], ["declaration_id", "staff_id", "kind", "counterparty", "declared_at", "status"])
write("external_records", T["external_records"], ["record_id", "kind", "counterparty", "source", "observed_at", "strength",
                                                  "staff_id", "full_name", "date_of_birth", "activity"])
write("complaints", T["complaints"], ["complaint_id", "staff_id", "received_at", "allegation", "outcome"])

with open(os.path.join(BASE, "truth.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["staff_id", "planted_kind", "pattern", "ideal_route", "note"])
    seen = set()
    for t in truth:
        if t[0] in seen:
            continue
        seen.add(t[0]); w.writerow(t)
for k in ["shifts", "badge_events", "device_events", "system_access", "comms_events", "overtime_claims", "absences", "case_parties"]:
    print(k, sum(1 for _ in open(os.path.join(OUT, k + ".csv"))) - 1)
print("truth rows", len(seen))
