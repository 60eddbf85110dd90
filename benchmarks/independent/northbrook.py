#!/usr/bin/env python3
"""Red team 3: a hand-written small force ("Northbrook LPA", ~110 people), Feb-Apr 2026.

Plain Python, fixed seed. Writes BASE/force/*.csv (+ format declarations for the
vendor-shaped exports) and BASE/truth.csv.

Written without reading fairwitness's src/tests/benchmarks: from the import contract, the
detector reference and the shared notes only.
"""
import csv
import datetime as dt
import os
import random
from zoneinfo import ZoneInfo

SEED = 20260501
rng = random.Random(SEED)
import sys as _sys
_BASE = _sys.argv[1] if len(_sys.argv) > 1 else "northbrook"
OUT = os.path.join(_BASE, "force")
TRUTH = os.path.join(_BASE, "truth.csv")
os.makedirs(OUT, exist_ok=True)
LON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")

P0 = dt.date(2026, 2, 1)
P1 = dt.date(2026, 4, 30)
DAYS = [P0 + dt.timedelta(days=i) for i in range((P1 - P0).days + 1)]
BANK_HOLIDAYS = {dt.date(2026, 4, 3), dt.date(2026, 4, 6)}
D = dt.datetime


def d(s):
    return dt.date.fromisoformat(s)


def at(day, hh, mm=0):
    return D(day.year, day.month, day.day) + dt.timedelta(hours=hh, minutes=mm)


def fix_gap(t):
    # the hour skipped when the clocks go forward (29 Mar 2026 01:00-02:00 local) does not exist
    if t.date() == dt.date(2026, 3, 29) and t.hour == 1:
        return t + dt.timedelta(hours=1)
    return t


def loc(t):
    """Local wall-clock text, no offset (Europe/London)."""
    t = fix_gap(t)
    return t.strftime("%Y-%m-%d %H:%M:%S")


def loc_m(t):
    t = fix_gap(t)
    return t.strftime("%Y-%m-%d %H:%M")


def utc_text(t):
    t = fix_gap(t)
    return t.replace(tzinfo=LON).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def intune_text(t):
    t = fix_gap(t)
    a = t.replace(tzinfo=LON)
    off = a.utcoffset()
    sign = "+" if off >= dt.timedelta(0) else "-"
    hh = int(abs(off).total_seconds() // 3600)
    return a.strftime("%Y-%m-%dT%H:%M:%S") + ".%07d" % rng.randrange(10**7) + "%s%02d:00" % (sign, hh)


def mins(n):
    return dt.timedelta(minutes=n)


def write(name, header, rows):
    with open(os.path.join(OUT, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            w.writerow(r)


# ----------------------------------------------------------------------------------------
# Sites and units
SITES = [
    ("NBK01", "Northbrook Central Police Station", "station", 52.9221, -1.4763),
    ("NBK02", "Northbrook Custody Suite, Cotton Lane", "custody", 52.9187, -1.4702),
    ("WST01", "Westfield Police Station", "station", 52.9402, -1.5211),
    ("RPU01", "Roads Policing Base, Junction 25", "station", 52.8950, -1.3890),
    ("HQ01", "Force Headquarters, Ashfield House", "office", 52.9305, -1.4911),
    ("ROCU1", "Regional Organised Crime Unit, Centurion House", "office", 52.9633, -1.1702),
    ("TRN01", "Force Training Centre, Hatherley", "other", 52.8712, -1.5533),
    ("CRT01", "Northbrook Crown Court", "other", 52.9230, -1.4720),
    ("MAG01", "Northbrook Magistrates' Court", "other", 52.9241, -1.4750),
]
SITE_LL = {s[0]: (s[3], s[4]) for s in SITES}

UNITS = [
    ("RESP-A", "Response Team A", "response", "Northbrook LPA", "NBK01"),
    ("RESP-B", "Response Team B", "response", "Northbrook LPA", "NBK01"),
    ("RESP-C", "Response Team C", "response", "Northbrook LPA", "NBK01"),
    ("RESP-D", "Response Team D", "response", "Northbrook LPA", "NBK01"),
    ("RESP-MGT", "Response Duty Inspectors", "response", "Northbrook LPA", "NBK01"),
    ("NHT-N", "Neighbourhood Team Northbrook Central", "neighbourhood", "Northbrook LPA", "NBK01"),
    ("NHT-W", "Neighbourhood Team Westfield", "neighbourhood", "Northbrook LPA", "WST01"),
    ("CID", "CID Northbrook", "investigation", "Northbrook LPA", "NBK01"),
    ("CUST", "Northbrook Custody", "custody", "Criminal Justice", "NBK02"),
    ("RPU", "Roads Policing Unit", "specialist", "Operations", "RPU01"),
    ("HQ-FIN", "Finance", "hq", "Corporate Services", "HQ01"),
    ("HQ-PPL", "People Services", "hq", "Corporate Services", "HQ01"),
    ("HQ-INT", "Intelligence and Analysis", "hq", "Intelligence", "HQ01"),
    ("HQ-VET", "Vetting and Information Management", "hq", "Professional Standards", "HQ01"),
    ("HQ-RES", "Resourcing Unit", "hq", "Corporate Services", "HQ01"),
    ("HQ-SLT", "LPA Senior Leadership", "hq", "Northbrook LPA", "HQ01"),
]
UNIT_SITE = {u[0]: u[4] for u in UNITS}
UNIT_TYPE = {u[0]: u[2] for u in UNITS}

FIRST_F = ["Sarah", "Emma", "Laura", "Rachel", "Hannah", "Jessica", "Amy", "Charlotte", "Sophie", "Kirsty",
           "Nicola", "Gemma", "Priya", "Aisha", "Joanne", "Claire", "Lucy", "Megan", "Natalie", "Zara",
           "Helen", "Katie", "Rebecca", "Leanne", "Fiona", "Amrit", "Chloe", "Donna", "Yasmin", "Beth"]
FIRST_M = ["James", "Daniel", "Thomas", "Matthew", "Christopher", "Andrew", "Mark", "Paul", "Ryan", "Liam",
           "Adam", "Craig", "Stuart", "Imran", "Ben", "Jamie", "Luke", "Gareth", "Scott", "Simon",
           "Kieran", "Nathan", "Richard", "Karl", "Harpreet", "Tom", "Owen", "Martin", "Dean", "Joel"]
SURN = ["Walker", "Bennett", "Holloway", "Khan", "Patel", "Turner", "Whitfield", "Marsh", "Doyle", "Ashworth",
        "Rowley", "Greaves", "Brennan", "Fletcher", "Oakley", "Hussain", "Pritchard", "Lambert", "Carver", "Sutton",
        "Moss", "Heywood", "Quinn", "Barlow", "Kendall", "Sharma", "Lowe", "Riley", "Parkes", "Dunmore",
        "Fairbrother", "Chadwick", "Begum", "Ingram", "Nolan", "Yates", "Cope", "Hartley", "Mellor", "Bryant",
        "Akhtar", "Steele", "Winter", "Crowther", "Hale", "Gill", "Eastwood", "Tranter", "Blake", "Shaw",
        "Farrow", "Lister", "Okafor", "Wragg", "Toft", "Needham", "Kaur", "Birch", "Spencer", "Thorne"]

people = []          # list of dicts
by_key = {}          # scenario key -> person
used_names = set()
used_ids = set()


def new_id():
    while True:
        s = str(rng.randint(301000, 349999))
        if s not in used_ids:
            used_ids.add(s)
            return s


def new_name(sex=None, fixed=None):
    if fixed:
        used_names.add(fixed)
        return fixed
    while True:
        sex_ = sex or rng.choice("FM")
        fn = rng.choice(FIRST_F if sex_ == "F" else FIRST_M)
        sn = rng.choice(SURN)
        n = f"{fn} {sn}"
        if n not in used_names:
            used_names.add(n)
            return n, sex_


def add(unit, rank, role, emp="officer", fte=1.0, start=None, end=None, hybrid=None, key=None,
        name=None, sex=None, rota=None, team_offset=0, lm=None):
    if name:
        nm, sx = name, sex or "M"
        used_names.add(name)
    else:
        nm, sx = new_name(sex)
    p = dict(
        staff_id=new_id(), name=nm, sex=sx, unit=unit, rank=rank, role=role, emp=emp, fte=fte,
        start=start or d("20%02d-%02d-%02d" % (rng.randint(5, 24), rng.randint(1, 12), rng.randint(1, 28))),
        end=end, hybrid=hybrid, key=key, rota=rota, offset=team_offset, lm=lm,
        dob=dt.date(rng.randint(1968, 2002), rng.randint(1, 12), rng.randint(1, 28)),
    )
    people.append(p)
    if key:
        by_key[key] = p
    return p


# --- Senior leadership and HQ
supt = add("HQ-SLT", "Superintendent", "LPA Commander", hybrid=True, key="supt", start=d("2001-09-03"))
chinsp = add("HQ-SLT", "Chief Inspector", "Deputy LPA Commander", hybrid=True, lm=supt, key="chinsp", start=d("2004-03-15"))
# response inspectors
insp1 = add("RESP-MGT", "Inspector", "Duty Inspector", lm=chinsp, key="insp1", rota="insp", team_offset=0)
insp2 = add("RESP-MGT", "Inspector", "Duty Inspector", lm=chinsp, key="insp2", rota="insp", team_offset=1)
# response teams: 1 sergeant + 7 PCs each
OFFS = {"RESP-A": 0, "RESP-B": 5, "RESP-C": 2, "RESP-D": 7}
resp_sgt = {}
for t, off in OFFS.items():
    s = add(t, "Sergeant", "Response Sergeant", lm=insp1 if t in ("RESP-A", "RESP-B") else insp2,
            rota="resp", team_offset=off, key="sgt_" + t)
    resp_sgt[t] = s
    for i in range(7):
        fte = 1.0
        if t == "RESP-B" and i == 6:
            fte = 0.8
        add(t, "Constable", "Response Officer", lm=s, rota="resp", team_offset=off, fte=fte,
            start=d("20%02d-%02d-%02d" % (rng.randint(12, 24), rng.randint(1, 12), rng.randint(1, 28))),
            key=f"pc_{t}_{i}")
# student officer (joiner before the period) on RESP-C, tutored by pc_RESP-C_0
student = add("RESP-C", "Constable", "Student Officer (PCDA)", lm=resp_sgt["RESP-C"], rota="resp",
              team_offset=OFFS["RESP-C"], start=d("2026-01-12"), key="student")
# a joiner on RESP-D during the period
joiner = add("RESP-D", "Constable", "Response Officer", lm=resp_sgt["RESP-D"], rota="resp",
             team_offset=OFFS["RESP-D"], start=d("2026-02-16"), key="joiner_pc", name="Owen Thackeray",
             sex="M")
# a leaver on RESP-B (resigned 13 Mar)
by_key["pc_RESP-B_5"]["end"] = d("2026-03-13")

# Neighbourhood teams
nsgt_n = add("NHT-N", "Sergeant", "Neighbourhood Sergeant", lm=chinsp, rota="nht", key="nsgt_n")
for i in range(4):
    add("NHT-N", "Constable", "Neighbourhood Officer", lm=nsgt_n, rota="nht", team_offset=i % 2, key=f"npc_n_{i}")
iom = add("NHT-N", "Constable", "IOM Offender Manager", lm=nsgt_n, rota="nht_days", key="iom")
for i in range(3):
    add("NHT-N", "PCSO", "Police Community Support Officer", emp="staff", lm=nsgt_n, rota="pcso",
        team_offset=i % 2, fte=0.6 if i == 2 else 1.0, key=f"pcso_n_{i}")
nsgt_w = add("NHT-W", "Sergeant", "Neighbourhood Sergeant", lm=chinsp, rota="nht", key="nsgt_w")
for i in range(4):
    add("NHT-W", "Constable", "Neighbourhood Officer", lm=nsgt_w, rota="nht", team_offset=i % 2, key=f"npc_w_{i}")
for i in range(3):
    add("NHT-W", "PCSO", "Police Community Support Officer", emp="staff", lm=nsgt_w, rota="pcso",
        team_offset=i % 2, key=f"pcso_w_{i}")

# CID
di = add("CID", "Detective Inspector", "Detective Inspector", lm=chinsp, rota="cid", key="di")
ds1 = add("CID", "Detective Sergeant", "Detective Sergeant", lm=di, rota="cid", key="ds1")
ds2 = add("CID", "Detective Sergeant", "Detective Sergeant", lm=di, rota="cid", key="ds2")
for i in range(8):
    add("CID", "Detective Constable", "Detective Constable", lm=ds1 if i < 4 else ds2, rota="cid",
        team_offset=i % 2, key=f"dc_{i}", fte=0.8 if i == 7 else 1.0)
for i in range(2):
    add("CID", "Investigator (PSI)", "Police Staff Investigator", emp="staff", lm=ds2, rota="cid", key=f"psi_{i}")

# Custody
cinsp = add("CUST", "Inspector", "Custody Inspector", lm=chinsp, rota="cid", key="cinsp")
for i in range(3):
    add("CUST", "Sergeant", "Custody Sergeant", lm=cinsp, rota="cust", team_offset=[0, 3, 6][i], key=f"csgt_{i}")
for i in range(4):
    add("CUST", "Detention Officer", "Designated Detention Officer", emp="staff", lm=cinsp, rota="cust",
        team_offset=[1, 4, 7, 2][i], key=f"ddo_{i}")

# Roads policing
rsgt = add("RPU", "Sergeant", "Roads Policing Sergeant", lm=chinsp, rota="rpu", team_offset=0, key="rsgt")
for i in range(6):
    add("RPU", "Constable", "Roads Policing Officer", lm=rsgt, rota="rpu", team_offset=[0, 2, 4, 6, 8, 5][i],
        key=f"rpc_{i}")

# HQ staff (hybrid policy)
fin_head = add("HQ-FIN", "Grade M2", "Head of Finance", emp="staff", hybrid=True, lm=supt, key="fin_head")
for i in range(3):
    add("HQ-FIN", "Grade S2", "Finance Officer", emp="staff", hybrid=True, lm=fin_head, key=f"fin_{i}",
        fte=0.5 if i == 2 else 1.0)
by_key["fin_1"]["end"] = d("2026-02-27")   # retired
ppl_mgr = add("HQ-PPL", "Grade M1", "People Services Manager", emp="staff", hybrid=True, lm=supt, key="ppl_mgr")
for i in range(4):
    add("HQ-PPL", "Grade S1", "HR Adviser", emp="staff", hybrid=True, lm=ppl_mgr, key=f"hr_{i}",
        fte=0.6 if i == 3 else 1.0)
hr_new = add("HQ-PPL", "Grade S1", "HR Adviser", emp="staff", hybrid=True, lm=ppl_mgr, key="hr_new",
             start=d("2026-03-02"))
int_mgr = add("HQ-INT", "Grade M1", "Intelligence Manager", emp="staff", hybrid=True, lm=chinsp, key="int_mgr")
for i in range(4):
    add("HQ-INT", "Grade S2", "Intelligence Analyst", emp="staff", hybrid=True, lm=int_mgr, key=f"analyst_{i}")
add("HQ-INT", "Grade S1", "Intelligence Researcher", emp="staff", hybrid=True, lm=int_mgr, key="researcher")
vet_mgr = add("HQ-VET", "Grade M1", "Vetting Manager", emp="staff", hybrid=True, lm=supt, key="vet_mgr")
for i in range(3):
    add("HQ-VET", "Grade S1", "Vetting Officer", emp="staff", hybrid=True, lm=vet_mgr, key=f"vet_{i}")
add("HQ-VET", "Grade S1", "Information Management Officer", emp="staff", hybrid=True, lm=vet_mgr, key="infomgmt")
res_mgr = add("HQ-RES", "Grade S3", "Resourcing Manager", emp="staff", hybrid=True, lm=chinsp, key="res_mgr")
for i in range(2):
    add("HQ-RES", "Grade S1", "Resourcing Officer", emp="staff", hybrid=True, lm=res_mgr, key=f"res_{i}")

PBY = {p["staff_id"]: p for p in people}
K = by_key

# ----------------------------------------------------------------------------------------
# Truth (filled as scenarios are planted)
truth = {}


def label(p, lab, pattern="", route="", note=""):
    truth[p["staff_id"]] = (lab, pattern, route, note)


# ----------------------------------------------------------------------------------------
# Absences (generated before the roster: a roster does not show tours during leave)
absences = []   # dict(id, sid, type, start(date), end(date incl), days, hours, reason, status)
abs_seq = [5000100]


def add_abs(p, typ, s, e, reason="", status="", hours=None, days=None):
    abs_seq[0] += rng.randint(1, 9)
    a = dict(id=str(abs_seq[0]), sid=p["staff_id"], type=typ, start=s, end=e, reason=reason, status=status,
             hours=hours, days=days)
    absences.append(a)
    return a


def in_post(p, day):
    return p["start"] <= day and (p["end"] is None or day <= p["end"])


SCRIPTED_ABS = set()
# scripted absences
add_abs(K["cinsp"], "sickness", d("2026-02-09"), d("2026-04-10"), "Musculoskeletal")   # custody inspector long-term
SCRIPTED_ABS.add(K["cinsp"]["staff_id"])
add_abs(K["pcso_w_2"], "sickness", d("2026-03-16"), d("2026-04-30"), "Psychological - stress")
SCRIPTED_ABS.add(K["pcso_w_2"]["staff_id"])

for p in people:
    if p["staff_id"] in SCRIPTED_ABS:
        continue
    # annual leave
    nblocks = (1 if rng.random() < 0.8 else 0) + (1 if rng.random() < 0.3 else 0)
    taken = []
    for _ in range(nblocks):
        for _try in range(20):
            s = rng.choice(DAYS[:-8])
            ln = rng.randint(3, 8)
            e = s + dt.timedelta(days=ln - 1)
            if all(e < a or s > b for a, b in taken) and in_post(p, s) and in_post(p, e):
                taken.append((s, e))
                add_abs(p, "annual_leave", s, e, "", "approved")
                break
    # sickness
    r = rng.random()
    nsick = 0 if r < 0.5 else (1 if r < 0.88 else 2)
    for _ in range(nsick):
        for _try in range(20):
            s = rng.choice(DAYS[:-5])
            ln = rng.choice([1, 1, 2, 2, 3, 4, 5])
            e = s + dt.timedelta(days=ln - 1)
            if all(e < a - dt.timedelta(days=1) or s > b + dt.timedelta(days=1) for a, b in taken) and in_post(p, s):
                taken.append((s, e))
                add_abs(p, "sickness", s, e, rng.choice(["Cold/flu", "Gastrointestinal", "Musculoskeletal",
                                                         "Headache/migraine", "Psychological - stress",
                                                         "Respiratory"]))
                break
    p["_taken"] = taken
    # a medical appointment (part day, hours only)
    if rng.random() < 0.12:
        dd = rng.choice(DAYS)
        if in_post(p, dd) and all(not (a <= dd <= b) for a, b in taken):
            add_abs(p, "sickness", dd, dd, "Medical appointment", hours=3.0, days=0.4)


def absent_on(sid, day, types=("sickness", "annual_leave", "compassionate", "parental", "other", "suspension")):
    for a in absences:
        if a["sid"] == sid and a["type"] in types and a["start"] <= day <= a["end"] and (a["hours"] is None or a["hours"] >= 7):
            if a["status"] in ("rejected", "cancelled", "withdrawn"):
                continue
            return a
    return None


# ----------------------------------------------------------------------------------------
# Scripted absences for scenarios (added before the roster is built)
G6 = K["pc_RESP-C_3"]          # works for an ambulance agency while sick
G6["name"] = "Craig Fairbrother"; used_names.add("Craig Fairbrother")
G6["_taken"] = [x for x in G6.get("_taken", []) if x[1] < d("2026-02-25") or x[0] > d("2026-03-28")]
absences[:] = [a for a in absences if not (a["sid"] == G6["staff_id"] and d("2026-02-25") <= a["end"] and a["start"] <= d("2026-03-28"))]
add_abs(G6, "sickness", d("2026-03-02"), d("2026-03-08"), "Musculoskeletal - back")
add_abs(G6, "sickness", d("2026-03-09"), d("2026-03-22"), "Musculoskeletal - back")   # fit note extension

G12 = K["dc_2"]                # overtime claimed while on annual leave
absences[:] = [a for a in absences if not (a["sid"] == G12["staff_id"] and a["start"] <= d("2026-03-22") and a["end"] >= d("2026-03-14"))]
add_abs(G12, "annual_leave", d("2026-03-16"), d("2026-03-20"), "", "approved")

H5 = K["dc_5"]                 # court warning during annual leave, court rostered
absences[:] = [a for a in absences if not (a["sid"] == H5["staff_id"] and a["start"] <= d("2026-04-19") and a["end"] >= d("2026-04-11"))]
add_abs(H5, "annual_leave", d("2026-04-13"), d("2026-04-17"), "", "approved")

H6 = K["pc_RESP-D_2"]          # night-shift overrun into the first day of sickness
H28 = K["npc_n_2"]             # declared first-aid trainer, sighted once while off sick after surgery
absences[:] = [a for a in absences if not (a["sid"] == H28["staff_id"] and a["start"] <= d("2026-03-20") and a["end"] >= d("2026-02-10"))]
add_abs(H28, "sickness", d("2026-02-16"), d("2026-03-13"), "Post-operative - shoulder")

H4c = K["pc_RESP-A_4"]         # compassionate leave; pre-booked overtime cancelled
absences[:] = [a for a in absences if not (a["sid"] == H4c["staff_id"] and a["start"] <= d("2026-03-01") and a["end"] >= d("2026-02-18"))]
add_abs(H4c, "compassionate", d("2026-02-21"), d("2026-02-25"), "Bereavement - close family", "approved")

H17 = K["vet_1"]               # OH-recommended home working recorded as 'other' absence, 2 days a week
for day in DAYS:
    if day.weekday() in (0, 3) and day not in BANK_HOLIDAYS:
        add_abs(H17, "other", day, day, "Reasonable adjustment - home working (OH)", "approved", hours=7.4, days=1)

# ----------------------------------------------------------------------------------------
# Roster
shifts = []       # dict(id, sid, start, end, duty, site, working)
sh_seq = [880000]


def add_shift(p, s, e, duty="normal", site=None, working=True):
    sh_seq[0] += 1
    x = dict(id="T%07d" % sh_seq[0], sid=p["staff_id"], start=s, end=e, duty=duty,
             site=site or UNIT_SITE[p["unit"]], working=working, p=p)
    shifts.append(x)
    return x


RESP_CYCLE = ["E", "E", "L", "L", "N", "N", None, None, None, None]
RPU_CYCLE = ["E", "E", "E", "L", "L", "L", None, None, None, None]
CUST_CYCLE = ["D", "D", "N", "N", None, None, None, None]


def tour(p, day):
    r = p["rota"]
    o = p["offset"]
    idx = (day - P0).days
    if r == "resp":
        c = RESP_CYCLE[(idx + o) % 10]
        if c == "E":
            return at(day, 7), at(day, 17)
        if c == "L":
            return at(day, 14), at(day, 24)
        if c == "N":
            return at(day, 22), at(day, 31)
        return None
    if r == "rpu":
        c = RPU_CYCLE[(idx + o) % 10]
        if c == "E":
            return at(day, 7), at(day, 17)
        if c == "L":
            return at(day, 15), at(day, 25)
        return None
    if r == "cust":
        c = CUST_CYCLE[(idx + o) % 8]
        if c == "D":
            return at(day, 7), at(day, 19)
        if c == "N":
            return at(day, 19), at(day, 31)
        return None
    if r == "insp":
        if day.weekday() >= 5:
            return None
        wk = (idx // 7 + o) % 2
        return (at(day, 7), at(day, 17)) if wk == 0 else (at(day, 14), at(day, 24))
    if r in ("nht", "pcso"):
        if day.weekday() >= 5:
            # one Saturday in four for the neighbourhood night-time economy
            if day.weekday() == 5 and (idx // 7 + o) % 4 == 0:
                return at(day, 16), at(day, 24)
            return None
        if p["fte"] < 1 and day.weekday() > 2:
            return None
        wk = (idx // 7 + o) % 2
        if r == "nht":
            return (at(day, 8), at(day, 16)) if wk == 0 else (at(day, 14), at(day, 22))
        return (at(day, 9), at(day, 17)) if wk == 0 else (at(day, 13), at(day, 21))
    if r == "nht_days":
        if day.weekday() >= 5:
            return None
        return at(day, 8), at(day, 16)
    if r == "cid":
        if day.weekday() >= 5:
            return None
        if p["fte"] < 1 and day.weekday() == 4:
            return None
        wk = (idx // 7 + o) % 2
        return (at(day, 8), at(day, 16)) if wk == 0 else (at(day, 10), at(day, 18))
    return None


for p in people:
    if not p["rota"]:
        continue
    n_on = 0
    for day in DAYS:
        if not in_post(p, day):
            continue
        t = tour(p, day)
        if not t:
            continue
        # part-time response officer: every fifth tour dropped
        if p["rota"] == "resp" and p["fte"] < 1:
            n_on += 1
            if n_on % 5 == 0:
                continue
        if day in BANK_HOLIDAYS and p["rota"] in ("cid", "nht", "nht_days", "pcso", "insp"):
            continue
        a = absent_on(p["staff_id"], day)
        if a:
            # TeleStaff writes some rostered tours during leave with Working? = 0
            if rng.random() < 0.3:
                add_shift(p, t[0], t[1], working=False)
            continue
        duty = "bank_holiday" if day in BANK_HOLIDAYS else "normal"
        add_shift(p, t[0], t[1], duty)

# training and court days (converted from ordinary tours)
for p in people:
    if p["emp"] != "officer" or not p["rota"]:
        continue
    mine = [s for s in shifts if s["sid"] == p["staff_id"] and s["working"] and s["duty"] == "normal"
            and s["start"].hour in (7, 8, 9, 10)]
    rng.shuffle(mine)
    ntr = rng.choice([0, 1, 1, 2])
    for s in mine[:ntr]:
        day = s["start"].date()
        s.update(start=at(day, 8), end=at(day, 16), duty="training", site="TRN01")
    if p["unit"] in ("CID",) or p["rota"] == "resp":
        for s in mine[ntr:ntr + rng.choice([0, 0, 1, 1, 2])]:
            day = s["start"].date()
            s.update(start=at(day, 9), end=at(day, 17), duty="court", site=rng.choice(["CRT01", "MAG01"]))


def shifts_of(p, worked=True):
    return sorted([s for s in shifts if s["sid"] == p["staff_id"] and (s["working"] or not worked)],
                  key=lambda s: s["start"])


def shift_on(p, day):
    for s in shifts:
        if s["sid"] == p["staff_id"] and s["working"] and s["start"].date() == day:
            return s
    return None


# ----------------------------------------------------------------------------------------
# Roster changes
changes = []
ch_seq = [410000]


def add_change(shift, by, when, field, old, new):
    ch_seq[0] += rng.randint(1, 4)
    changes.append(dict(id="RC%d" % ch_seq[0], shift=shift["id"], sid=shift["sid"], by=by["staff_id"],
                        at=when, field=field, old=old, new=new))


RES = [K["res_0"], K["res_1"], K["res_mgr"]]
# bank-holiday duty entered by resourcing (H10: res_0 makes almost all of them)
for s in shifts:
    if s["working"] and s["duty"] == "bank_holiday":
        by = K["res_0"] if rng.random() < 0.9 else K["res_1"]
        add_change(s, by, at(d("2026-03-23"), 10, rng.randint(0, 50)), "duty_type", "normal", "bank_holiday")
# ordinary noise: extensions, start-time moves, duty-type corrections, new entries
for s in rng.sample([s for s in shifts if s["working"]], 120):
    p = s["p"]
    editor = PBY.get(p["lm"]["staff_id"]) if p["lm"] else rng.choice(RES)
    if rng.random() < 0.4:
        editor = rng.choice(RES)
    kind = rng.random()
    when = s["start"] - dt.timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 8))
    if kind < 0.45:
        new_end = s["end"] + mins(60)
        add_change(s, editor, when, "end", loc_m(s["end"]), loc_m(new_end))
        s["end"] = new_end
    elif kind < 0.7:
        new_start = s["start"] + mins(rng.choice([-60, 60, 120]))
        add_change(s, editor, when, "start", loc_m(s["start"]), loc_m(new_start))
        s["start"] = new_start
    elif kind < 0.85 and s["duty"] == "normal":
        add_change(s, editor, when, "site_id", "NBK01", s["site"])
    else:
        add_change(s, editor, when, "comment", "", "Op Tamarind briefing 0700")

# planned rest-day working (justified premium edits by resourcing) for a few response officers
for p in rng.sample([p for p in people if p["rota"] == "resp" and p["rank"] == "Constable"], 6):
    for day in DAYS:
        if tour(p, day) is None and in_post(p, day) and not absent_on(p["staff_id"], day) and rng.random() < 0.08 and day.weekday() == 5:
            s = add_shift(p, at(day, 10), at(day, 20), "rest_day_working")
            add_change(s, K["res_1"], at(day - dt.timedelta(days=rng.randint(16, 30)), 11), "duty_type", "rest_day", "rest_day_working")
            break

# ----------------------------------------------------------------------------------------
# Cases and parties
cases = []     # dict(ref, oic, opened, closed, parties=[(subject, role, vuln)])
case_seq = [1200]
subj_seq = [4400000]


def new_subject():
    subj_seq[0] += rng.randint(1, 37)
    return "NOM%07d" % subj_seq[0]


POPULAR = [new_subject() for _ in range(70)]   # prolific nominals looked up by many


def add_case(oic, opened, closed, parties, prefix="NB"):
    case_seq[0] += rng.randint(1, 25)
    ref = "%s/%05d/%s" % (prefix, case_seq[0], opened.strftime("%y"))
    c = dict(ref=ref, oic=oic["staff_id"], opened=opened, closed=closed, parties=parties)
    cases.append(c)
    return c


for p in people:
    if p["emp"] != "officer" or p["rank"] in ("Superintendent", "Chief Inspector", "Inspector", "Detective Inspector"):
        continue
    n = {"response": 5, "investigation": 8, "neighbourhood": 3, "specialist": 2, "custody": 0}[UNIT_TYPE[p["unit"]]]
    if p is K["iom"]:
        n = 1
    for _ in range(n + rng.randint(-1, 2)):
        op = max(p["start"], dt.date(2025, 11, 1) + dt.timedelta(days=rng.randint(0, 170)))
        if op > d("2026-04-25"):
            op = d("2026-04-25") - dt.timedelta(days=rng.randint(0, 60))
        cl = op + dt.timedelta(days=rng.randint(12, 80)) if rng.random() < 0.55 else None
        if cl and cl > d("2026-04-30"):
            cl = None
        parties = [(new_subject(), "victim", rng.random() < 0.3)]
        for _w in range(rng.choice([0, 1, 1, 2])):
            parties.append((new_subject(), "witness", rng.random() < 0.1))
        if rng.random() < 0.7:
            parties.append((rng.choice(POPULAR) if rng.random() < 0.4 else new_subject(), "suspect", False))
        add_case(p, op, cl, parties)


def cases_of(p):
    return [c for c in cases if c["oic"] == p["staff_id"]]


def live_cases(p, day):
    return [c for c in cases_of(p) if c["opened"] <= day and (c["closed"] is None or day <= c["closed"] + dt.timedelta(days=20))]


# ----------------------------------------------------------------------------------------
# Overtime claims
claims = []
cl_seq = [60000]


def add_claim(p, s, e, reason, by, status="approved", trace=True, rate=1.33, submitted=None, auth_at=None):
    cl_seq[0] += rng.randint(1, 6)
    hours = round((e - s).total_seconds() / 3600, 2)
    c = dict(id="OT%06d" % cl_seq[0], sid=p["staff_id"], start=s, end=e, hours=hours, reason=reason,
             by=by["staff_id"] if by else "", status=status, trace=trace, rate=rate, p=p,
             submitted=submitted or (e + dt.timedelta(hours=rng.randint(1, 30))),
             auth_at=None)
    if by and status != "pending":
        c["auth_at"] = auth_at or (c["submitted"] + dt.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 6)))
    claims.append(c)
    return c


def authoriser(p, when=None):
    lm = p["lm"]
    if lm is None:
        return None
    if when is not None and absent_on(lm["staff_id"], when.date()):
        return lm["lm"] or lm
    return lm


OT_REASONS = {
    "response": ["late_arrest", "late_arrest", "prisoner_processing", "statement_taking", "scene_guard", "hospital_guard", "ongoing_incident"],
    "investigation": ["ongoing_enquiries", "interview", "file_preparation", "prisoner_processing", "warrant_execution"],
    "neighbourhood": ["ongoing_incident", "late_arrest", "community_event", "statement_taking"],
    "custody": ["custody_handover", "custody_handover", "cover_minimum_staffing"],
    "specialist": ["collision_scene", "late_arrest", "fatal_collision_scene", "statement_taking"],
}
NO_TRACE_PRONE = {"scene_guard": 0.5, "hospital_guard": 0.6, "collision_scene": 0.3, "fatal_collision_scene": 0.45,
                  "warrant_execution": 0.2, "community_event": 0.3}

SCRIPTED_OT = set()
NOTRACE_N = {}


def noise_claims():
    for p in people:
        if p["emp"] != "officer" or p["rank"] not in ("Constable", "Sergeant", "Detective Constable", "Detective Sergeant"):
            continue
        if p["staff_id"] in SCRIPTED_OT:
            continue
        ut = UNIT_TYPE[p["unit"]]
        lam = {"response": 4, "investigation": 3, "neighbourhood": 2, "custody": 3, "specialist": 3}[ut]
        n = max(0, int(rng.gauss(lam, 1.5)))
        mine = [s for s in shifts_of(p) if s["duty"] in ("normal", "bank_holiday", "rest_day_working")]
        rng.shuffle(mine)
        for s in mine[:n]:
            reason = rng.choice(OT_REASONS[ut])
            dur = rng.choice([1.0, 1.25, 1.5, 2.0, 2.0, 2.5, 3.0, 3.5, 4.0])
            st = s["end"]
            en = st + dt.timedelta(hours=dur)
            trace = rng.random() > NO_TRACE_PRONE.get(reason, 0.03)
            if not trace:
                NOTRACE_N[p["staff_id"]] = NOTRACE_N.get(p["staff_id"], 0) + 1
                if NOTRACE_N[p["staff_id"]] > 1 or truth.get(p["staff_id"], ("",))[0] == "guilty":
                    trace = True    # at most one honest untraced claim each, by chance; none for the planted guilty
            status = "approved" if rng.random() < 0.92 else rng.choice(["pending", "rejected"])
            if st.date() > d("2026-04-24"):
                status = "pending"
            add_claim(p, st, en, reason, authoriser(p, st), status=status, trace=trace)


# ----------------------------------------------------------------------------------------
# Presence events
badges = []    # (sid, local dt, site, direction, denied)
devices = []   # (sid, device, local dt, kind, site, lat, lon)
lookups = []   # dict(sid, t, system, action, subject, case, account, terminal)
comms = []     # dict(sid, t, channel, counterpart, direction, duration)

DEVICE = {}
for p in people:
    DEVICE[p["staff_id"]] = ("NBK-" + ("MD" if p["emp"] == "officer" or p["rank"] == "PCSO" else "LT") + "%05d" % rng.randint(10000, 99999))


def badge(p, t, site, direction):
    badges.append((p["staff_id"], t, site, direction, False))


def dev(p, t, kind, site="", latlon=None):
    devices.append((p["staff_id"], DEVICE[p["staff_id"]], t, kind, site, latlon))


def lookup(p, t, subject, case="", system=None, action=None, account=None, terminal=None):
    lookups.append(dict(sid=p["staff_id"], t=t, subject=subject, case=case,
                        system=system or rng.choice(["Niche", "Niche", "Niche", "PNC"]),
                        action=action or rng.choice(["search", "view", "view", "view", "update"]),
                        account=account, terminal=terminal))


def comm(p, t, channel, counterpart, direction, duration=None):
    comms.append(dict(sid=p["staff_id"], t=t, channel=channel, cp=counterpart, dir=direction, dur=duration))


def rand_between(a, b):
    span = (b - a).total_seconds()
    return a + dt.timedelta(seconds=rng.uniform(0, max(1, span)))


RATE = {"response": (6, 14), "investigation": (4, 10), "neighbourhood": (3, 8), "custody": (3, 8), "specialist": (4, 10)}

same_unit_cases = {}
for c in cases:
    u = PBY[c["oic"]]["unit"]
    same_unit_cases.setdefault(u, []).append(c)


def pick_lookup(p, t):
    day = t.date()
    r = rng.random()
    live = live_cases(p, day)
    if live and r < 0.62:
        c = rng.choice(live)
        subj = rng.choice(c["parties"])[0]
        return subj, c["ref"]
    if r < 0.78 or (p["unit"] == "RESP-MGT" and r < 0.85):
        units_ = [p["unit"]] if p["unit"] != "RESP-MGT" else ["RESP-A", "RESP-B", "RESP-C", "RESP-D"]
        pool = [c for u in units_ for c in same_unit_cases.get(u, []) if c["opened"] <= day]
        if pool:
            c = rng.choice(pool)
            return rng.choice(c["parties"])[0], c["ref"]
    if r < 0.93:
        return rng.choice(POPULAR), ""
    return new_subject(), ""


def shift_presence(p, s, end_override=None, skip_ranges=(), quick_out=False):
    """Events for one worked tour at a force building."""
    site = s["site"]
    st, en = s["start"], end_override or s["end"]
    ut = UNIT_TYPE[p["unit"]]
    if rng.random() < 0.96:
        badge(p, st - mins(rng.randint(5, 25)), site, "in")
    if rng.random() < 0.94:
        badge(p, en + mins(rng.randint(1, 8 if quick_out else 15)), site, "out")
    if ut in ("response", "specialist") and rng.random() < 0.6:
        mid = rand_between(st + mins(120), s["end"] - mins(120))
        badge(p, mid, site, "in")
    if rng.random() < 0.97:
        dev(p, st + mins(rng.randint(3, 30)), "login", site)
    if rng.random() < 0.9:
        dev(p, s["end"] - mins(rng.randint(0, 20)), "logout", site)
    if ut in ("response", "specialist", "neighbourhood"):
        t = st + mins(90)
        while t < s["end"] - mins(30):
            la, lo = SITE_LL[site]
            dev(p, t + mins(rng.randint(0, 40)), "location", "", (la + rng.uniform(-0.04, 0.04), lo + rng.uniform(-0.06, 0.06)))
            t += mins(rng.randint(100, 180))
    lo_, hi_ = RATE[ut]
    if p is K["iom"]:
        lo_, hi_ = 2, 5
    if p["unit"] == "RESP-MGT":
        lo_, hi_ = 2, 6
    n = rng.randint(lo_, hi_)
    if p["rank"] in ("PCSO",):
        n = rng.randint(1, 4)
    if p["rank"] in ("Detention Officer",):
        n = rng.randint(0, 2)
    for _ in range(n):
        t = rand_between(st + mins(10), s["end"] - mins(10))
        subj, case = pick_lookup(p, t)
        lookup(p, t, subj, case)
    # work-phone contact with own case parties, on duty
    live = live_cases(p, st.date())
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        t = rand_between(st + mins(30), s["end"] - mins(30))
        if live and rng.random() < 0.7:
            c = rng.choice(live)
            subj = rng.choice(c["parties"])
            if subj[1] == "suspect":
                subj = c["parties"][0]
            cp = subj[0]
            closed_case = c["closed"] is not None and c["closed"] < st.date()
        else:
            closed_case = False
            cp = "TEL-%08d" % rng.randint(0, 99999999)
        ch = rng.choice(["call"] * 7 + ["sms"] * 2 + ["email"])
        if ch == "sms" and (not cp.startswith("NOM") or closed_case):
            ch = "call"
        comm(p, t, ch, cp, "out", rng.randint(30, 600) if ch == "call" else None)
        if ch == "sms" and rng.random() < 0.5:
            comm(p, t + mins(rng.randint(3, 90)), "sms", cp, "in")
        if rng.random() < 0.3:
            comm(p, t + mins(rng.randint(20, 120)), "call", cp, "in", rng.randint(20, 400))


# ----------------------------------------------------------------------------------------
# ===== Planted GUILTY scenarios ==========================================================

# G1: overtime claims with no work done (response PC, RESP-B); claims authorised by his sergeant
G1 = K["pc_RESP-B_2"]
SCRIPTED_OT.add(G1["staff_id"])
g1_shifts = [s for s in shifts_of(G1) if s["duty"] == "normal"]
g1_pick = g1_shifts[3::6][:7]
G1_EMPTY = []
for i, s in enumerate(g1_pick):
    dur = rng.choice([3.0, 3.5, 4.0, 2.5])
    c = add_claim(G1, s["end"], s["end"] + dt.timedelta(hours=dur),
                  rng.choice(["statement_taking", "file_preparation", "prisoner_processing"]),
                  resp_sgt["RESP-B"], trace=False)
    G1_EMPTY.append(c)
for s in g1_shifts[5::9][:3]:
    if not any(c["start"] == s["end"] for c in G1_EMPTY):
        add_claim(G1, s["end"], s["end"] + dt.timedelta(hours=1.5), "late_arrest", resp_sgt["RESP-B"], trace=True)
label(G1, "guilty", "overtime_no_presence", "misconduct_assessment",
      "7 after-shift claims (2.5-4h, statement/file/prisoner reasons) with badge-out at shift end and no badge, device, "
      "systems or comms activity in the claimed hours; his other claims and his team's show activity; authorised by his "
      "sergeant, so no second kind of evidence: assessment, GM if dishonesty established")

# G2: response sergeant (RESP-D) self-authorises rest-day 'duty officer cover' claims with no trace
G2 = resp_sgt["RESP-D"]
SCRIPTED_OT.add(G2["staff_id"])
rd = [day for day in DAYS if tour(G2, day) is None and day.weekday() < 5 and not absent_on(G2["staff_id"], day)]
G2_days = rd[1::5][:5]
for day in G2_days:
    add_claim(G2, at(day, 10), at(day, 14) if rng.random() < 0.5 else at(day, 13, 30),
              rng.choice(["duty_officer_cover", "supervision_admin", "pdr_reviews"]), G2, trace=False, rate=1.5)
for s in shifts_of(G2)[4::15][:2]:
    add_claim(G2, s["end"], s["end"] + dt.timedelta(hours=2), "late_arrest", insp2, trace=True)
label(G2, "guilty", "overtime_no_presence+self_authorisation", "gross_misconduct_assessment",
      "5 rest-day 'supervision/duty officer cover' claims (3.5-4h) authorised by himself, with no badge, device, systems "
      "or comms activity in any of them; his 2 genuine claims were authorised by his inspector: two independent kinds")

# G3: rest day swapped away then worked as overtime (neighbourhood PC, swaps made by himself)
G3 = K["npc_n_1"]
SCRIPTED_OT.add(G3["staff_id"])
g3_n = 0
for s in shifts_of(G3):
    if g3_n >= 3:
        break
    day = s["start"].date()
    if day.weekday() == 4 and day > d("2026-02-08") and day < d("2026-04-20"):
        # move his Friday tour to the following Monday... no: move it to the Saturday before? Keep simple:
        # the Friday tour is moved to Wednesday of the next week (a rest day? no, a weekday) -> moved to the Sunday
        new_day = day + dt.timedelta(days=2)     # Sunday, his rest day
        if shift_on(G3, new_day) or absent_on(G3["staff_id"], new_day) or absent_on(G3["staff_id"], day):
            continue
        old_start, old_end = s["start"], s["end"]
        s["start"] = at(new_day, old_start.hour)
        s["end"] = at(new_day, old_end.hour if old_end.hour else 24)
        add_change(s, G3, at(day - dt.timedelta(days=rng.randint(9, 14)), 21, rng.randint(0, 59)), "start",
                   loc_m(old_start), loc_m(s["start"]))
        # then claims the freed Friday as rest-day overtime, and works it
        c = add_claim(G3, at(day, 8), at(day, 16), "rest_day_working", nsgt_n, rate=1.5, trace=True)
        g3_n += 1
label(G3, "guilty", "rest_day_swap_overtime", "misconduct_assessment",
      "3 times moved his own Friday tour to his Sunday rest day (roster edits by himself ~10 days ahead), then claimed "
      "8h 'rest_day_working' overtime for the freed Friday and worked it: premium pay for a day he was rostered anyway")

# G4: roads PC edits his own roster entries from normal into rest-day working
G4 = K["rpc_3"]
g4 = [s for s in shifts_of(G4) if s["duty"] == "normal"][2::5][:4]
for s in g4:
    add_change(s, G4, s["start"] - dt.timedelta(days=rng.randint(2, 6), hours=rng.randint(1, 9)), "duty_type",
               "normal", "rest_day_working")
    s["duty"] = "rest_day_working"
label(G4, "guilty", "roster_premium_edit", "misconduct_assessment",
      "4 of his own ordinary rostered tours edited by himself from 'normal' to 'rest_day_working' a few days before; none "
      "was a rest day or bank holiday and nobody else in RPU shows such edits")

# G5: detective sergeant, undeclared director of a private investigation company
G5 = K["ds2"]
G5["name"] = "Stuart Kendall-Rowe"; used_names.add(G5["name"])
label(G5, "guilty", "undeclared_interest", "gross_misconduct_assessment",
      "Companies House (confirmed, exact name + DOB, a name no colleague shares): director since Oct 2025 of Sentinel Enquiry "
      "Services Ltd, SIC 80300 investigation activities (private investigators are a declarable association); no "
      "declaration of any kind; conflict with CID role")

# G6 labelled below with external records
label(G6, "guilty", "sickness_secondary_work", "gross_misconduct_assessment",
      "Off sick 2-22 Mar (back, fit note extended); agency timesheets (confirmed, name + DOB) show 4 shifts as a patient "
      "transport driver for Medivan Patient Transport Ltd on 7, 10, 14, 18 Mar; the job was never declared")

# G7: response PC repeatedly looks up ex-partner, her new partner and her mother (no case)
G7 = K["pc_RESP-A_2"]
G7_SUBJ = [new_subject() for _ in range(3)]
label(G7, "guilty", "repeated_subject_lookups", "misconduct_assessment",
      "29 lookups of the same 3 nominals (no case ref, not parties to any case, nobody else looks them up) on 13 "
      "distinct days, mostly in quiet hours of night shifts; the personal link (ex-partner) is not in the data")

# G8: PCSO looks up two neighbours, sometimes citing an unrelated ASB case of his own
G8 = K["pcso_w_1"]
G8_SUBJ = [new_subject() for _ in range(2)]
label(G8, "guilty", "repeated_subject_lookups", "misconduct_assessment",
      "26 lookups of 2 nominals (a neighbour and her son) on 15 days; 12 cite his own ASB case ref of which they are not "
      "parties (a pretext), the rest cite none; nobody else looks them up")

# G9: DC, off-duty late-night contact with a vulnerable DA victim after her case closed
G9 = K["dc_1"]
G9_VICTIM = new_subject()
label(G9, "guilty", "victim_contact", "criminal_referral",
      "Vulnerable DA victim of his case closed 20 Jan; from 23 Feb to 30 Apr 78 outgoing texts and 16 long calls "
      "(15-45 min) from his work phone, all after 21:00 and off duty, escalating week on week (12 texts back); 6 off-duty "
      "22:00 Niche views of her citing no case: APSP indicators, mandatory IOPC referral")

# G10: two response sergeants authorise each other's overtime, inspectors available
G10a, G10b = resp_sgt["RESP-A"], resp_sgt["RESP-C"]
SCRIPTED_OT.update([G10a["staff_id"], G10b["staff_id"]])
for a, b in ((G10a, G10b), (G10b, G10a)):
    ss = [s for s in shifts_of(a) if s["duty"] == "normal"][1::5][:7]
    for s in ss:
        add_claim(a, s["end"], s["end"] + dt.timedelta(hours=rng.choice([2.0, 2.5, 3.0, 3.5])),
                  rng.choice(["late_arrest", "ongoing_incident", "supervision_admin"]), b, trace=True)
label(G10a, "guilty", "reciprocal_authorisation", "misconduct_assessment",
      "All 7 of his claims authorised by the RESP-C sergeant and all of hers by him, on different teams, while their duty "
      "inspectors were on duty and authorised every other claim in the response teams")
label(G10b, "guilty", "reciprocal_authorisation", "misconduct_assessment",
      "All 7 of her claims authorised by the RESP-A sergeant and all of his by her (see partner); inspectors available")

# G11: Head of Finance, chronic office attendance far below the hybrid rule
G11 = K["fin_head"]
label(G11, "guilty", "office_attendance", "advice",
      "Covered by the hybrid rule (80%); badged into HQ on ~1 day a week across the whole period with no leave or "
      "absence to explain it; work-device logins off site on the other days")

# G12: DC claims on-site overtime while on annual leave
label(G12, "guilty", "overtime_during_absence", "gross_misconduct_assessment",
      "Annual leave 16-20 Mar (approved); two 5h 'file_preparation' claims on 17 and 19 Mar at the station, authorised "
      "by the DS, no roster duty, no badge/device/systems/comms activity; leave not cancelled")
SCRIPTED_OT.add(G12["staff_id"])

# G13: inspector, undeclared lodge membership
G13 = insp1
G13["name"] = "Richard Ashworth"; used_names.add(G13["name"])
label(G13, "guilty", "undeclared_interest(membership)", "advice",
      "Confirmed UGLE return (name + DOB): member of Fidelity Lodge No. 7321, observed Nov 2025; hierarchical body "
      "declarable under force policy; no declaration by end of April: a prevention notice / advice")

# ===== HONEST look-alikes ================================================================
H1 = K["rpc_1"]; SCRIPTED_OT.add(H1["staff_id"])
H2 = K["dc_4"]; SCRIPTED_OT.add(H2["staff_id"])
H3a, H3b = K["pc_RESP-B_0"], K["pc_RESP-B_4"]
H7 = K["npc_n_0"]; SCRIPTED_OT.add(H7["staff_id"])
H8 = K["pc_RESP-C_5"]; SCRIPTED_OT.add(H8["staff_id"])
H9 = resp_sgt["RESP-B"]
H10 = K["res_0"]
H12a, H12b = K["csgt_0"], K["csgt_1"]; SCRIPTED_OT.update([H12a["staff_id"], H12b["staff_id"]])
H14 = K["hr_1"]
H16 = K["analyst_2"]
H19 = K["pc_RESP-C_0"]
H20 = K["rsgt"]
H21 = K["iom"]
H22 = K["analyst_0"]
H24 = K["dc_6"]
H25 = K["npc_w_0"]
H26 = K["pc_RESP-A_5"]; H26["name"] = "Gareth Hartley"; used_names.add(H26["name"])
H29 = K["fin_0"]
H30 = joiner

# ----------------------------------------------------------------------------------------
# Scenario overtime / roster that must exist before presence is generated

# H1: roads PC on a public-order / advanced driving course week: training tours at the training centre,
# claims for the overrun of each training day (no presence: the centre has no readers)
h1_days = [d("2026-03-02") + dt.timedelta(days=i) for i in range(5)]
for day in h1_days:
    ex = shift_on(H1, day)
    if ex:
        shifts.remove(ex)
    s = add_shift(H1, at(day, 8), at(day, 16), "training", "TRN01")
    add_change(s, K["res_1"], at(d("2026-02-10"), 14, 5), "duty_type", "", "training")
    if day.weekday() in (0, 1, 2, 3):
        add_claim(H1, at(day, 16), at(day, 18), "training_overrun", rsgt, trace=False)
for s in shifts_of(H1)[::12][:2]:
    if s["duty"] == "normal":
        add_claim(H1, s["end"], s["end"] + dt.timedelta(hours=1.5), "collision_scene", rsgt, trace=True)

# H2: DC warned for Crown Court on rest days, attended, not called (4h minimum), no presence anywhere
h2_days = [d("2026-02-21"), d("2026-03-14"), d("2026-04-11")]
for day in h2_days:
    ex = shift_on(H2, day)
    if ex:
        shifts.remove(ex)
    add_claim(H2, at(day, 9), at(day, 13), "court_rest_day", K["ds1"], rate=1.5, trace=False)
for s in shifts_of(H2)[6::14][:2]:
    add_claim(H2, s["end"], s["end"] + dt.timedelta(hours=2), "interview", K["ds1"], trace=True)

# H3: mutual aid to a neighbouring force for a protest weekend (two RESP-B PCs, plus RESP-D PC 0 as ordinary)
MA_DAYS = [d("2026-03-14"), d("2026-03-15")]
H3c = K["pc_RESP-D_0"]
for p in (H3a, H3b, H3c):
    SCRIPTED_OT.add(p["staff_id"])
    for day in MA_DAYS:
        ex = shift_on(p, day)
        if ex:
            shifts.remove(ex)
        prev = shift_on(p, day - dt.timedelta(days=1))
        if prev and prev["end"] > at(day, 4):
            shifts.remove(prev)      # stood down from the night before the deployment
        add_claim(p, at(day, 6), at(day, 18), "mutual_aid", insp1, rate=1.5, trace=False)

# H4c: compassionate leave; pre-booked football overtime for 22 Feb cancelled (rejected) by the sergeant
SCRIPTED_OT.add(H4c["staff_id"])
add_claim(H4c, at(d("2026-02-22"), 11), at(d("2026-02-22"), 19), "football_match_aid", resp_sgt["RESP-A"],
          status="rejected", trace=False, submitted=at(d("2026-02-02"), 9))
for s in shifts_of(H4c)[10::16][:2]:
    add_claim(H4c, s["end"], s["end"] + dt.timedelta(hours=1.5), "late_arrest", resp_sgt["RESP-A"], trace=True)

# H5: court warning in annual leave: resourcing rosters a court tour on 15 Apr; claim is a recall from leave
SCRIPTED_OT.add(H5["staff_id"])
s = add_shift(H5, at(d("2026-04-15"), 9), at(d("2026-04-15"), 17), "court", "CRT01")
add_change(s, K["res_0"], at(d("2026-04-08"), 15, 20), "duty_type", "", "court")
add_claim(H5, at(d("2026-04-15"), 9), at(d("2026-04-15"), 17, 30), "court_recall_from_leave", K["ds2"], rate=1.5, trace=False)
for s in shifts_of(H5)[3::17][:2]:
    if s["duty"] == "normal":
        add_claim(H5, s["end"], s["end"] + dt.timedelta(hours=2), "file_preparation", K["ds2"], trace=True)

# H6: night-shift overrun runs into the first day of a sickness absence (recorded from that date)
SCRIPTED_OT.add(H6["staff_id"])
h6_night = [s for s in shifts_of(H6) if s["start"].hour == 22 and d("2026-03-01") < s["start"].date() < d("2026-04-10")
            and not absent_on(H6["staff_id"], s["start"].date() + dt.timedelta(days=1))][0]
h6_day = h6_night["end"].date()
# the following tours are lost to sickness
for s in list(shifts_of(H6)):
    if h6_day <= s["start"].date() <= h6_day + dt.timedelta(days=3):
        shifts.remove(s)
absences[:] = [a for a in absences if not (a["sid"] == H6["staff_id"] and a["start"] <= h6_day + dt.timedelta(days=5) and a["end"] >= h6_day - dt.timedelta(days=2))]
add_abs(H6, "sickness", h6_day, h6_day + dt.timedelta(days=3), "Gastrointestinal")
H6_CLAIM = add_claim(H6, h6_night["end"], h6_night["end"] + dt.timedelta(hours=2, minutes=45), "prisoner_processing",
                     resp_sgt["RESP-D"], trace=True)

# H7: sergeant moves the PC's Saturday tour to the Thursday for minimum strength; on the freed Saturday the PC is
# recalled for a missing-child search (authorised by the sergeant)
h7_sat = None
for s in shifts_of(H7):
    if s["start"].weekday() == 5 and d("2026-02-20") < s["start"].date() < d("2026-04-20"):
        h7_sat = s
        break
if h7_sat is None:
    day = d("2026-03-07")
    h7_sat = add_shift(H7, at(day, 16), at(day, 24))
sat = h7_sat["start"].date()
thu = sat + dt.timedelta(days=1)     # the Sunday
old = h7_sat["start"]
h7_sat["start"] = at(thu, 16)
h7_sat["end"] = at(thu, 24)
add_change(h7_sat, nsgt_n, at(sat - dt.timedelta(days=9), 11, 12), "start", loc_m(old), loc_m(h7_sat["start"]))
add_claim(H7, at(sat, 13, 30), at(sat, 19, 30), "recall_to_duty", nsgt_n, rate=1.5, trace=True)

# H8: PC on a late tour whose arrest runs past midnight into the day his own swap had freed
h8_late = [s for s in shifts_of(H8) if s["start"].hour == 14 and s["start"].date() > d("2026-02-15")][0]
freed = h8_late["start"].date() + dt.timedelta(days=1)
# his tour on the next day was an early: he moved it (self) to 4 days later, a rest day
ex = shift_on(H8, freed)
if ex is None:
    ex = add_shift(H8, at(freed, 7), at(freed, 17))
tgt = freed + dt.timedelta(days=1)
while tour(H8, tgt) is not None or shift_on(H8, tgt) or absent_on(H8["staff_id"], tgt):
    tgt += dt.timedelta(days=1)
old = ex["start"]
ex["start"] = at(tgt, 7)
ex["end"] = at(tgt, 17)
add_change(ex, H8, at(freed - dt.timedelta(days=12), 19, 40), "start", loc_m(old), loc_m(ex["start"]))
add_claim(H8, h8_late["end"], h8_late["end"] + dt.timedelta(hours=2, minutes=30), "late_arrest",
          resp_sgt["RESP-C"], trace=True)

# H9: RESP-B sergeant recalls his team onto rest days for a planned drugs warrant operation (Op Kestrel)
op_day = d("2026-03-26")
h9_team = [p for p in people if p["unit"] == "RESP-B" and p["rank"] == "Constable" and in_post(p, op_day)]
for p in h9_team:
    prev = shift_on(p, op_day - dt.timedelta(days=1))
    if shift_on(p, op_day) or absent_on(p["staff_id"], op_day) or (prev and prev["end"] > at(op_day, 0)):
        continue
    s = add_shift(p, at(op_day, 5), at(op_day, 15), "rest_day_working")
    add_change(s, H9, at(d("2026-03-19"), 16, rng.randint(0, 59)), "duty_type", "rest_day", "rest_day_working")
if not shift_on(H9, op_day):
    s = add_shift(H9, at(op_day, 4, 30), at(op_day, 15), "rest_day_working")
    add_change(s, H9, at(d("2026-03-19"), 16, 5), "duty_type", "rest_day", "rest_day_working")

# H12: custody sergeants cover each other's overtime authorisation while the custody inspector is off sick
for a, b in ((H12a, H12b), (H12b, H12a)):
    ss = [s for s in shifts_of(a) if d("2026-02-12") <= s["start"].date() <= d("2026-04-05")][::4][:6]
    for s in ss:
        add_claim(a, s["end"], s["end"] + dt.timedelta(hours=rng.choice([1.0, 1.5, 2.0])), "custody_handover", b, trace=True)
    for s in [s for s in shifts_of(a) if s["start"].date() > d("2026-04-14")][:1]:
        add_claim(a, s["end"], s["end"] + dt.timedelta(hours=1.0), "custody_handover", cinsp, trace=True)

# G12's leave-time claims
for day in (d("2026-03-17"), d("2026-03-19")):
    add_claim(G12, at(day, 9), at(day, 14), "file_preparation", K["ds1"], trace=False)
for s in shifts_of(G12)[5::13][:2]:
    add_claim(G12, s["end"], s["end"] + dt.timedelta(hours=2), "interview", K["ds1"], trace=True)

# ordinary noise overtime
noise_claims()

# H6 check: everyone else's claims already generated. Now presence for shifts.
claim_by_shift_end = {}
for c in claims:
    claim_by_shift_end[(c["sid"], c["start"])] = c

for s in shifts:
    if not s["working"] or s["duty"] in ("training", "court"):
        continue
    p = s["p"]
    c = claim_by_shift_end.get((s["sid"], s["end"]))
    end_override = None
    if c and c["trace"] and c["status"] != "rejected":
        end_override = c["end"]
    shift_presence(p, s, end_override=end_override, quick_out=bool(c) and not end_override)

# presence inside traced claims
for c in claims:
    if c["status"] == "rejected" or not c["trace"]:
        continue
    p = c["p"]
    site = UNIT_SITE[p["unit"]]
    attached = (c["sid"], c["start"]) in {(s["sid"], s["end"]) for s in shifts if s["working"]}
    if not attached:
        badge(p, c["start"] - mins(rng.randint(5, 20)), site, "in")
        badge(p, c["end"] + mins(rng.randint(2, 15)), site, "out")
        dev(p, c["start"] + mins(rng.randint(5, 25)), "login", site)
    for _ in range(rng.randint(1, 4)):
        t = rand_between(c["start"] + mins(20), c["end"] - mins(5))
        subj, case = pick_lookup(p, t)
        lookup(p, t, subj, case)
    if rng.random() < 0.6:
        dev(p, rand_between(c["start"] + mins(20), c["end"]), "logout" if rng.random() < 0.3 else "location", "",
            (SITE_LL[site][0] + rng.uniform(-0.02, 0.02), SITE_LL[site][1] + rng.uniform(-0.03, 0.03)))

# ----------------------------------------------------------------------------------------
# HQ staff office attendance (no roster)
OFFICE_P = {}
for p in people:
    if p["rota"] or p["unit"] not in ("HQ-FIN", "HQ-PPL", "HQ-INT", "HQ-VET", "HQ-RES", "HQ-SLT"):
        continue
    OFFICE_P[p["staff_id"]] = rng.uniform(0.84, 0.97)
OFFICE_P[G11["staff_id"]] = 0.22
OFFICE_P[H17["staff_id"]] = 0.93
OFFICE_P[H14["staff_id"]] = 1.0

H14_DAYS = (0, 1, 2, 3)     # compressed hours Mon-Thu
PT_DAYS = {K["fin_2"]["staff_id"]: (1, 2, 3) if False else (0, 1), K["hr_3"]["staff_id"]: (1, 2, 3)}
# fin_2 is 0.5 FTE: Mon, Tue + Wed morning; modelled as Mon-Tue full + Wed half
PT_DAYS[K["fin_2"]["staff_id"]] = (0, 1, 2)

for p in people:
    sid = p["staff_id"]
    if sid not in OFFICE_P:
        continue
    for day in DAYS:
        if not in_post(p, day) or day.weekday() >= 5 or day in BANK_HOLIDAYS:
            continue
        if absent_on(sid, day):
            continue
        if p is H14 and day.weekday() not in H14_DAYS:
            continue
        if sid in PT_DAYS and day.weekday() not in PT_DAYS[sid]:
            continue
        office = rng.random() < OFFICE_P[sid]
        if p is G11:
            office = (day.weekday() == 2 and rng.random() < 0.8) or rng.random() < 0.06
        site = "HQ01"
        if p is H16 and d("2026-02-23") <= day <= d("2026-04-03"):
            site = "ROCU1"   # attached to the regional organised crime unit
        if p is H14:
            st, en = at(day, 7, 50 + rng.randint(0, 15)), at(day, 17, 35 + rng.randint(0, 20))
        elif sid == K["fin_2"]["staff_id"] and day.weekday() == 2:
            st, en = at(day, 8, 30 + rng.randint(0, 20)), at(day, 12, 30 + rng.randint(0, 20))
        else:
            st = at(day, 8, rng.randint(0, 70))
            en = st + dt.timedelta(hours=7, minutes=rng.randint(30, 80))
        if office:
            if rng.random() < 0.97:
                badge(p, st, site, "in")
            if rng.random() < 0.4:
                badge(p, st + dt.timedelta(hours=4), site, "out")
                badge(p, st + dt.timedelta(hours=4, minutes=35), site, "in")
            if rng.random() < 0.9:
                badge(p, en, site, "out")
            dev(p, st + mins(rng.randint(5, 20)), "login", site)
            dev(p, en - mins(rng.randint(0, 10)), "logout", site)
        else:
            dev(p, st + mins(rng.randint(0, 20)), "login", "")
            dev(p, en - mins(rng.randint(0, 10)), "logout", "")
        # systems use by role
        role = p["role"]
        n = 0
        if "Analyst" in role:
            n = rng.randint(6, 14)
        elif "Researcher" in role:
            n = rng.randint(8, 16)
        elif "Vetting Officer" in role:
            n = rng.randint(5, 12)
        elif "Information Management" in role:
            n = rng.randint(2, 6)
        for _ in range(n):
            t = rand_between(st + mins(20), en - mins(20))
            if p is H22:
                lookup(p, t, rng.choice(POPULAR) if rng.random() < 0.5 else new_subject(),
                       "TASK/26/%04d" % rng.choice([113, 113, 127, 131, 140, 152, 158]))
            elif "Analyst" in role:
                if rng.random() < 0.6:
                    c = rng.choice(cases)
                    lookup(p, t, rng.choice(c["parties"])[0], c["ref"])
                else:
                    lookup(p, t, rng.choice(POPULAR), "")
            elif "Vetting" in role:
                lookup(p, t, new_subject(), "", system=rng.choice(["PNC", "PND", "Niche"]), action="search")
            else:
                lookup(p, t, rng.choice(POPULAR) if rng.random() < 0.3 else new_subject(), "")
        if rng.random() < 0.5:
            comm(p, rand_between(st, en), "email", "TEL-%08d" % rng.randint(0, 10**8 - 1), "out")

# senior and custody inspectors etc. with day rotas already got shift presence.

# ----------------------------------------------------------------------------------------
# Scenario presence (lookups, comms)

# G7: 29 lookups of 3 subjects over 14 days, quiet night hours mostly
g7_nights = [s for s in shifts_of(G7) if s["start"].hour == 22]
g7_other = [s for s in shifts_of(G7) if s["start"].hour == 7]
picks = g7_nights[:11] + g7_other[:3]
n = 0
for i, s in enumerate(picks):
    k = 3 if i % 3 == 0 else 2
    for j in range(k):
        if n >= 29:
            break
        if s["start"].hour == 22:
            t = s["start"] + dt.timedelta(hours=rng.uniform(3.5, 6.5))
        else:
            t = rand_between(s["start"] + mins(60), s["end"] - mins(60))
        lookup(G7, t, G7_SUBJ[(i + j) % 3] if rng.random() < 0.8 else G7_SUBJ[0], "", system=rng.choice(["Niche", "Niche", "PNC"]),
               action="view")
        n += 1

# G8: 26 lookups of 2 subjects on 15 days, 12 citing his ASB case
g8_case = add_case(G8, d("2026-01-19"), None, [(new_subject(), "victim", False), (new_subject(), "suspect", False)])
g8_shifts = shifts_of(G8)[1::3][:15]
n = 0
for i, s in enumerate(g8_shifts):
    for j in range(2 if i < 11 else 1):
        if n >= 26:
            break
        t = rand_between(s["start"] + mins(30), s["end"] - mins(30))
        lookup(G8, t, G8_SUBJ[(i + j) % 2], g8_case["ref"] if n % 2 == 0 and n < 24 else "", system="Niche", action="view")
        n += 1

# G9: vulnerable DA victim; case closed 20 Jan; contact escalates from February, off duty, late
g9_case = add_case(G9, d("2025-10-14"), d("2026-01-20"), [(G9_VICTIM, "victim", True), (new_subject(), "suspect", False)])
g9_on = set()
for s in shifts_of(G9):
    g9_on.add(s["start"].date())
k = 0
for day in DAYS:
    if day < d("2026-02-06"):
        continue
    wk = (day - d("2026-02-06")).days // 7
    prob = min(0.75, 0.15 + 0.07 * wk)
    if rng.random() > prob:
        continue
    off = day not in g9_on
    base = at(day, 21 if off else 19, 30) + mins(rng.randint(0, 200))
    if not off:
        base = at(day, 21, 15) + mins(rng.randint(0, 150))    # after his 16:00/18:00 finish
    for j in range(rng.randint(1, 3)):
        comm(G9, base + mins(7 * j), "sms", G9_VICTIM, "out")
        k += 1
    if rng.random() < 0.5:
        comm(G9, base + mins(rng.randint(20, 60)), "sms", G9_VICTIM, "in")
    if rng.random() < 0.35:
        comm(G9, base + mins(rng.randint(30, 90)), "call", G9_VICTIM, "out", rng.randint(900, 2700))
for day in [d("2026-02-14"), d("2026-02-28"), d("2026-03-08"), d("2026-03-21"), d("2026-04-04"), d("2026-04-18")]:
    lookup(G9, at(day, 22, rng.randint(0, 50)), G9_VICTIM, "", system="Niche", action="view")

# H19: tutor PC: many lookups cite the student's cases (student is officer in case)
stud_cases = cases_of(student)
if not stud_cases:
    stud_cases = [add_case(student, d("2026-02-03"), None, [(new_subject(), "victim", False), (new_subject(), "suspect", False)])]
for s in shifts_of(H19):
    if s["duty"] not in ("normal", "bank_holiday"):
        continue
    for _ in range(rng.randint(3, 7)):
        c = rng.choice(stud_cases)
        if c["opened"] > s["start"].date():
            continue
        lookup(H19, rand_between(s["start"] + mins(20), s["end"] - mins(20)), rng.choice(c["parties"])[0], c["ref"])

# H20: the roads sergeant is the registered owner of the shared vehicle-check terminal account RPU_VEH01:
# every check made from the RPU report-writing room terminal is attributed to him, on and off his duty
for day in DAYS:
    for _ in range(rng.randint(3, 9)):
        t = at(day, 6) + dt.timedelta(minutes=rng.randint(0, 20 * 60))
        vrm = "VRM:%s%02d%s" % ("".join(rng.choice("ABCDEFGHKLMNPRSTVWY") for _ in range(2)), rng.randint(10, 75),
                                "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3)))
        lookup(H20, t, vrm, "", system="PNC", action="search", account="RPU_VEH01", terminal="RPU01-RWR-PC2")

# H21: IOM offender manager re-checks his cohort of 12 nominals through the week (no cases of his own)
IOM_COHORT = rng.sample(POPULAR, 4) + [new_subject() for _ in range(8)]
for s in shifts_of(H21):
    for subj in rng.sample(IOM_COHORT, rng.randint(2, 5)):
        lookup(H21, rand_between(s["start"] + mins(15), s["end"] - mins(15)), subj,
               "IOM/NB/%02d" % (IOM_COHORT.index(subj) + 1) if rng.random() < 0.35 else "", system="Niche", action="view")

# H24: vulnerable witness calls the DC late at night after the case closed; he replies next day, on duty
h24_case = add_case(H24, d("2025-09-02"), d("2026-02-27"), [(new_subject(), "victim", True), (new_subject(), "witness", True),
                                                             (new_subject(), "suspect", False)])
h24_w = h24_case["parties"][1][0]
h24_v = h24_case["parties"][0][0]
for day in [d("2026-03-06"), d("2026-03-12"), d("2026-03-19"), d("2026-03-27"), d("2026-04-09"), d("2026-04-16")]:
    ch = "call" if rng.random() < 0.6 else "sms"
    comm(H24, at(day, 23, rng.randint(0, 40)), ch, h24_w, "in", rng.randint(0, 40) if ch == "call" else None)
    nxt = day + dt.timedelta(days=1)
    while not shift_on(H24, nxt):
        nxt += dt.timedelta(days=1)
    s = shift_on(H24, nxt)
    comm(H24, s["start"] + mins(rng.randint(40, 150)), "call", h24_w, "out", rng.randint(90, 420))
# on-duty victim care after the verdict, to the victim
for day in [d("2026-03-02"), d("2026-03-10")]:
    s = shift_on(H24, day) or shift_on(H24, day + dt.timedelta(days=1))
    if s:
        comm(H24, s["start"] + mins(90), "call", h24_v, "out", rng.randint(600, 1500))

# H25: vulnerable DA victim of a closed case is the victim in a new open case of the same PC (breach of
# non-molestation order); calls on late tours and two short returns just after the tour
h25_v = new_subject()
add_case(H25, d("2025-11-20"), d("2026-01-23"), [(h25_v, "victim", True), (new_subject(), "suspect", False)])
h25_new = add_case(H25, d("2026-03-05"), None, [(h25_v, "victim", True), (new_subject(), "suspect", False)])
for s in [s for s in shifts_of(H25) if s["start"].date() >= d("2026-03-05")][:9]:
    comm(H25, s["end"] - mins(rng.randint(30, 120)), "call", h25_v, "out", rng.randint(120, 900))
    lookup(H25, s["start"] + mins(45), h25_v, h25_new["ref"], system="Niche", action="view")
lates = [s for s in shifts_of(H25) if s["start"].date() >= d("2026-03-05") and s["end"].hour == 22][:2]
for s in lates:
    comm(H25, s["end"] + mins(10), "call", h25_v, "in", 0)
    comm(H25, s["end"] + mins(25), "call", h25_v, "out", 140)

# ----------------------------------------------------------------------------------------
# Declarations
decls = []
dec_seq = [7100]


def add_decl(p, kind, cp, when, status="approved"):
    dec_seq[0] += rng.randint(1, 9)
    decls.append(("DEC-%05d" % dec_seq[0], p["staff_id"], kind, cp, when, status))


# ordinary: property letting, tutoring, sports coaching, relationships, gifts
ORD_DECL = [("business_interest", "Residential property letting (1 flat)"), ("secondary_employment", "Saturday sports coaching - Northbrook Juniors FC"),
            ("business_interest", "{sn} Property Holdings Ltd"), ("secondary_employment", "Driving instructor (self-employed)"),
            ("relationship", "Partner is a serving officer (RPU)"), ("gift_hospitality", "Bottle of wine from victim's family (declined)"),
            ("membership", "Northbrook Rugby Union Football Club"), ("secondary_employment", "Bar work - The Red Lion, Westfield")]
SCEN = {x["staff_id"] for x in (H26, H28, H29, H30, G5, G6, G13)}
decl_people = rng.sample([p for p in people if truth.get(p["staff_id"], ("",))[0] != "guilty" and p["staff_id"] not in SCEN
                          and p["start"] < d("2026-01-01")], 22)
ordinary_directorships = []
for p in decl_people:
    kind, cp = rng.choice(ORD_DECL)
    sn = p["name"].split()[-1]
    cp = cp.format(sn=sn)
    lo = max(p["start"], d("2023-01-01"))
    add_decl(p, kind, cp, at(lo + dt.timedelta(days=rng.randint(0, max(1, (d("2026-01-20") - lo).days))), 10),
             rng.choice(["approved"] * 6 + ["pending"]))
    if cp.endswith("Ltd"):
        ordinary_directorships.append((p, cp))

# H26: declared 2024 under the old name
add_decl(H26, "business_interest", "Hartley Joinery (kitchen fitting, weekends)", at(d("2024-05-10"), 14), "approved")
# H28: declared and approved first-aid training business
add_decl(H28, "secondary_employment", "Northbrook First Aid Training", at(d("2023-06-19"), 9), "approved")
# H30: joiner declares a coaching company after joining (the directorship predates joining)
add_decl(H30, "business_interest", "Blake Fitness Coaching Ltd", at(d("2026-03-25"), 11), "pending")
# H29 has no declaration (an allotment society need not be declared)
# G13: declared nothing; G5 nothing; G6 nothing
# an ordinary inspector who DID declare lodge membership promptly
add_decl(insp2, "membership", "Northbrook St Alkmund Lodge No. 2187", at(d("2025-12-19"), 9), "approved")

# ----------------------------------------------------------------------------------------
# External records
ext = []
ex_seq = [300]


def add_ext(kind, cp, source, observed, strength, p=None, by_name=True, activity="", name=None, dob=None):
    ex_seq[0] += rng.randint(1, 5)
    rid = "EXT-%05d" % ex_seq[0]
    if p is not None and not by_name:
        ext.append((rid, kind, cp, source, observed, strength, p["staff_id"], "", "", activity))
    else:
        ext.append((rid, kind, cp, source, observed, strength, "", name or p["name"], (dob or p["dob"]).isoformat(), activity))


for p, cp in ordinary_directorships:
    add_ext("directorship", cp.upper().replace("LTD", "LIMITED"), "Companies House", at(d("2026-02-02"), 0), "confirmed", p,
            activity="68209 Other letting and operating of own or leased real estate")
# G5
add_ext("directorship", "SENTINEL ENQUIRY SERVICES LTD", "Companies House", at(d("2026-02-20"), 0), "confirmed", G5,
        activity="80300 Investigation activities; appointed 2025-10-03")
# G6 agency timesheets
for day in ["2026-03-07", "2026-03-10", "2026-03-14", "2026-03-18"]:
    add_ext("employment", "Medivan Patient Transport Ltd", "agency timesheet (Medivan, via CCU production order)",
            at(d(day), 7), "confirmed", G6, activity="patient transport driver, 07:00-19:00 shift")
# G13 membership
add_ext("membership", "Fidelity Lodge No. 7321", "UGLE membership return", at(d("2025-11-14"), 0), "confirmed", G13)
# insp2's declared lodge also appears
add_ext("membership", "St Alkmund Lodge No. 2187", "UGLE membership return", at(d("2025-11-14"), 0), "confirmed", insp2)
# H26 renamed company
add_ext("directorship", "HARTLEY & SON BESPOKE CARPENTRY LTD", "Companies House", at(d("2026-02-11"), 0), "confirmed", H26,
        activity="43320 Joinery installation; previous name HARTLEY JOINERY LTD until 2025-11-04")
# H28 one sighting at his declared first-aid business while off sick
add_ext("employment", "Northbrook First Aid Training", "sighting reported by member of the public", at(d("2026-03-04"), 10),
        "confirmed", H28, by_name=False, activity="delivering seated classroom first-aid theory session")
# H29 allotment society on Lodge Road
add_ext("membership", "Lodge Road Allotment Society", "open source (society newsletter)", at(d("2026-02-17"), 0),
        "confirmed", H29, activity="allotment holders' association")
# H30 joiner's pre-joining directorship
add_ext("directorship", "BLAKE FITNESS COACHING LTD", "Companies House", at(d("2025-10-20"), 0), "confirmed", H30,
        activity="85510 Sports and recreation education")
# an ordinary PCSO, director of the residents' management company of her block
rmc = K["pcso_n_0"]
add_ext("directorship", "MILLBROOK COURT (NORTHBROOK) MANAGEMENT COMPANY LIMITED", "Companies House",
        at(d("2026-03-03"), 0), "confirmed", rmc, activity="98000 Residents property management")
# a stranger who shares a name with nobody on staff (noise): not linked
add_ext("directorship", "DUNMORE PLANT HIRE LTD", "Companies House", at(d("2026-02-25"), 0), "confirmed",
        name="Kevin Dunmore", dob=dt.date(1971, 6, 2), activity="77320 Renting of construction equipment")

# ----------------------------------------------------------------------------------------
# Complaints
compl = []
for i, (p, alleg, out) in enumerate([
        (K["pc_RESP-A_1"], "Incivility during roadside stop", "not_upheld"),
        (K["pc_RESP-D_3"], "Use of force during arrest", "pending"),
        (G7, "Failure to update victim on burglary", "not_upheld"),
        (K["npc_w_2"], "Delay in attending ASB report", "withdrawn"),
        (K["dc_3"], "Property not returned after NFA", "upheld"),
        (K["rpc_4"], "Manner of driving (marked car)", "pending"),
        (K["csgt_2"], "Detainee's medication not given on time", "not_upheld")]):
    compl.append(("CMP-26-%04d" % (31 + i * 7), p["staff_id"], at(d("2026-02-03") + dt.timedelta(days=11 * i), 10), alleg, out))

# ----------------------------------------------------------------------------------------
# Label the honest look-alikes and everyone else
label(H1, "honest", "overtime_no_presence", "none",
      "4 x 2h 'training_overrun' claims with no badge/device/systems trace: each follows a rostered training tour at the "
      "Force Training Centre (site kind other, no readers) in his course week 2-6 Mar; visible in the roster")
label(H2, "honest", "overtime_no_presence", "none",
      "3 x 4h 'court_rest_day' claims on rest days with no trace: warned for Crown Court, attended and stood down (4h "
      "minimum under Annex G); visible only in the reason code (the witness warning is not in the data)")
label(H3a, "honest", "overtime_no_presence", "none",
      "2 x 12h 'mutual_aid' claims 14-15 Mar with no trace: deployed to a neighbouring force's protest with two team "
      "colleagues, authorised by the duty inspector; visible in reason code and the concurrent claims")
label(H3b, "honest", "overtime_no_presence", "none", "Same mutual-aid deployment 14-15 Mar as the other two; visible as above")
label(H3c, "honest", "overtime_no_presence", "none", "Same mutual-aid deployment 14-15 Mar (RESP-D); visible as above")
label(H4c, "honest", "overtime_during_absence", "none",
      "Pre-booked football-aid overtime on 22 Feb falls in her compassionate leave (bereavement) 21-25 Feb; the sergeant "
      "rejected (cancelled) the claim; visible in status")
label(H5, "honest", "overtime_during_absence", "none",
      "Claim on 15 Apr inside annual leave 13-17 Apr: recalled from leave for a Crown Court trial; resourcing rostered a "
      "court tour that day, reason 'court_recall_from_leave', authorised by the DS; visible")
label(H6, "honest", "overtime_during_absence/sickness_overtime", "none",
      "2h45 'prisoner_processing' claim from 07:00 after a night tour; sickness recorded from that date: an overrun of a "
      "shift begun before the absence, with activity in the hours; visible")
label(H7, "honest", "rest_day_swap_overtime", "none",
      "His Saturday 7 Mar late tour moved to Sunday 8 Mar by his sergeant (minimum strength); on the freed Saturday he was recalled "
      "for a missing-child search (reason recall_to_duty, authorised by the sergeant, activity present); visible")
label(H8, "honest", "rest_day_swap_overtime", "none",
      "He moved his own 22 Feb late tour to a rest day (25 Feb, as an early) - a one-off swap; a 2.5h late-arrest claim "
      "from 00:00 on the freed 22nd continues his late tour ending at 24:00 on the 21st: an overrun; visible in the roster")
label(H9, "honest", "roster_premium_edit", "none",
      "Edited 6+ team members' entries rest_day -> rest_day_working for Op Kestrel warrants on 26 Mar (a recall onto rest "
      "days); old value is the rest day; visible")
label(H10, "honest", "roster_premium_edit", "none",
      "Resourcing officer who relabelled dozens of response tours normal -> bank_holiday; every one is on Good Friday or "
      "Easter Monday 2026 (actual bank holidays); visible")
label(H12a, "honest", "reciprocal_authorisation", "none",
      "Custody sergeants authorised each other's handover overtime 12 Feb-5 Apr while their line manager, the custody "
      "inspector, was on long-term sickness (9 Feb-10 Apr); after her return she authorises; visible in absences + line manager")
label(H12b, "honest", "reciprocal_authorisation", "none", "Partner of the custody-sergeant cover pair; visible as above")
label(H14, "honest", "office_attendance", "none",
      "Carer on compressed hours: in the office every Mon-Thu, ~07:55-17:45 (4 long days = full time), never on Fridays; "
      "the pattern is visible in badge times (the flexible-working agreement itself is not in the data)")
label(H16, "honest", "office_attendance", "none",
      "Analyst attached to the Regional Organised Crime Unit 23 Feb-3 Apr: badges at ROCU Centurion House, not HQ; "
      "visible (another site of kind office)")
label(H17, "honest", "office_attendance", "none",
      "Vetting officer working from home on Mondays and Thursdays under an OH reasonable adjustment, recorded as 'other' "
      "absence with the reason; visible in absences")
label(H19, "honest", "lookups_outside_own_cases", "none",
      "Tutor constable: much of his Niche use is on his student officer's cases (student is officer in case) and cites "
      "those case refs; visible via case_parties")
label(H20, "honest", "lookups_without_case_ref", "none",
      "Shared RPU vehicle-check terminal account RPU_VEH01 is registered to the roads sergeant, so ~500 VRM checks by the "
      "whole unit, on and off his duty, are attributed to him; visible only in the extra columns user_account/terminal")
label(H21, "honest", "repeated_subject_lookups", "none",
      "IOM offender manager re-checking his 12-nominal cohort several times a week, no own cases, some citing IOM refs "
      "not in case_parties; visible in role (not in the default checking-role list)")
label(H22, "honest", "lookups_outside_own_cases", "none",
      "Intelligence analyst whose lookups cite intelligence tasking refs (TASK/26/....) rather than crime refs; visible "
      "in role and the case_ref format")
label(H24, "honest", "victim_contact", "none",
      "Vulnerable witness from his closed rape case (verdict 27 Feb) calls/texts him late at night; he only returns the "
      "calls next day on duty, short; visible (incoming first, on-duty replies)")
label(H25, "honest", "victim_contact", "none",
      "Vulnerable DA victim of his closed January case is the victim in his new open case (breach of non-molestation "
      "order, 5 Mar); calls on duty and two short call-backs just after a late tour; visible in case_parties")
label(H26, "honest", "undeclared_interest", "none",
      "Declared 'Hartley Joinery' in 2024; Companies House now shows HARTLEY & SON BESPOKE CARPENTRY LTD, renamed Nov "
      "2025; previous name visible in the record's activity text")
label(H28, "honest", "sickness_secondary_work", "none",
      "Off sick after shoulder surgery 16 Feb-13 Mar; one public sighting delivering a seated first-aid theory class for "
      "his declared, approved first-aid business; fit note 'may be fit with amended duties' NOT in the data")
label(H29, "honest", "undeclared_interest(membership)", "none",
      "'Lodge Road Allotment Society' membership record: an allotment society on a street called Lodge Road, not a "
      "masonic lodge; need not be declared; visible in the name/activity")
label(H30, "honest", "undeclared_interest(late_declaration)", "none",
      "Joined 16 Feb 2026; Companies House directorship observed Oct 2025 (before joining), declared 25 Mar (pending): "
      "a declaration soon after joining is on time; visible via start_date")

for p in people:
    if p["staff_id"] not in truth:
        label(p, "ordinary", "", "none", "")

# ----------------------------------------------------------------------------------------
# Identities: Lenel badge cards and Entra UPNs (a leaver's card and account close the day after the HR end
# date: the card is handed in at the end of the final tour, which may be a night running past midnight)
idents = []
CARD = {}
for p in people:
    CARD[p["staff_id"]] = str(rng.randint(10000000, 19999999))
    upn = (p["name"].split()[0] + "." + p["name"].split()[-1]).lower().replace("'", "") + "@northbrook.police.uk"
    p["upn"] = upn
    idents.append(("lenel", CARD[p["staff_id"]], p["staff_id"], p["start"].isoformat() if p["start"] > d("2019-01-01") else "2019-01-01",
                   (p["end"] + dt.timedelta(days=1)).isoformat() if p["end"] else ""))
    idents.append(("entra", upn, p["staff_id"], "2021-04-01" if p["start"] < d("2021-04-01") else p["start"].isoformat(),
                   (p["end"] + dt.timedelta(days=1)).isoformat() if p["end"] else ""))
# a lost card reissued (ordinary PC): old card valid to 10 Mar, new card from 11 Mar
lost = K["pc_RESP-D_4"]
NEWCARD = str(rng.randint(20000000, 29999999))
for i, row in enumerate(idents):
    if row[0] == "lenel" and row[2] == lost["staff_id"]:
        idents[i] = (row[0], row[1], row[2], row[3], "2026-03-10")
idents.append(("lenel", NEWCARD, lost["staff_id"], "2026-03-11", ""))

# ----------------------------------------------------------------------------------------
# WRITE FILES
_names = [p["name"] for p in people]
assert len(set(_names)) == len(_names), [n for n in _names if _names.count(n) > 1]
write("sites.csv", ["site_id", "name", "kind", "lat", "lon"], SITES)
write("units.csv", ["unit_id", "name", "unit_type", "command", "site_id"], UNITS)
write("people.csv", ["staff_id", "rank_grade", "role", "unit_id", "employment_type", "fte", "start_date", "end_date",
                     "hybrid_policy", "line_manager_id", "display_name", "date_of_birth"],
      [(p["staff_id"], p["rank"], p["role"], p["unit"], p["emp"], p["fte"], p["start"].isoformat(),
        p["end"].isoformat() if p["end"] else "", "Y" if p["hybrid"] else "N",
        p["lm"]["staff_id"] if p["lm"] else "", p["name"], p["dob"].isoformat()) for p in people])
write("people_protected.csv", ["staff_id", "sex", "age_band"],
      [(p["staff_id"], p["sex"], "%d-%d" % ((2026 - p["dob"].year) // 10 * 10, (2026 - p["dob"].year) // 10 * 10 + 9)) for p in people])
write("identities.csv", ["system", "identifier", "staff_id", "valid_from", "valid_to"], idents)

# shifts: TeleStaff-style with a Working? flag; 24:00 for tours ending at midnight
def shift_end_text(s):
    if s["end"].hour == 0 and s["end"].minute == 0:
        return (s["end"] - dt.timedelta(days=1)).strftime("%Y-%m-%d") + " 24:00"
    return loc_m(s["end"])


shifts.sort(key=lambda s: (s["start"], s["sid"]))
write("shifts.csv", ["shift_id", "staff_id", "start", "end", "duty_type", "site_id", "Working?"],
      [(s["id"], s["sid"], loc_m(s["start"]), shift_end_text(s), s["duty"], s["site"], "1" if s["working"] else "0") for s in shifts])
with open(os.path.join(OUT, "shifts.format.toml"), "w") as f:
    f.write('# TeleStaff roster export: tours rostered but not worked (leave, sickness) carry Working? = 0\n'
            '[skip]\n"Working?" = ["0"]\n')

shift_ids = {s["id"] for s in shifts}
changes.sort(key=lambda c: c["at"])
write("roster_changes.csv", ["change_id", "shift_id", "staff_id", "changed_by", "changed_at", "field", "old_value", "new_value"],
      [(c["id"], c["shift"], c["sid"], c["by"], loc(c["at"]), c["field"], c["old"], c["new"]) for c in changes if c["shift"] in shift_ids])

claims.sort(key=lambda c: c["start"])
write("overtime_claims.csv", ["claim_id", "staff_id", "start", "end", "hours", "rate", "reason_code", "submitted_at",
                             "authorised_by", "authorised_at", "status"],
      [(c["id"], c["sid"], loc_m(c["start"]), loc_m(c["end"]), "%.2f" % c["hours"], c["rate"], c["reason"],
        loc(c["submitted"]), c["by"] if c["status"] != "pending" else "", loc(c["auth_at"]) if c["auth_at"] and c["status"] != "pending" else "",
        c["status"]) for c in claims])

# absences: SAP HCM PA2001-shaped extract (PERNR, AWART, BEGDA/ENDDA inclusive YYYYMMDD, ABWTG, ABMST)
AWART = {"sickness": "0200", "annual_leave": "0100", "compassionate": "0300", "parental": "0500", "other": "0620",
         "suspension": "0900", "training": "0400"}
rows = []
for a in sorted(absences, key=lambda a: (a["start"], a["sid"])):
    ndays = (a["end"] - a["start"]).days + 1
    days = a["days"] if a["days"] is not None else ndays
    hours = a["hours"] if a["hours"] is not None else ""
    rows.append((a["id"], a["sid"], AWART[a["type"]], a["start"].strftime("%Y%m%d"), a["end"].strftime("%Y%m%d"),
                 days, hours, a["reason"], {"approved": "APPROVED", "": ""}.get(a["status"], a["status"].upper())))
write("absences.csv", ["DOCNR", "PERNR", "AWART", "BEGDA", "ENDDA", "ABWTG", "ABMST", "REASON_TEXT", "APPROVAL_STATUS"], rows)
with open(os.path.join(OUT, "absences.format.toml"), "w") as f:
    f.write('''# SAP HCM infotype 2001 extract (PA2001), as the HR team sends it
timestamps = "yyyymmdd"

[columns]
absence_id = "DOCNR"
staff_id = "PERNR"
type = "AWART"
start = "BEGDA"
end = "ENDDA"
days = "ABWTG"
hours = "ABMST"
reason_category = "REASON_TEXT"
status = "APPROVAL_STATUS"

[values.type]
"0100" = "annual_leave"
"0200" = "sickness"
"0300" = "compassionate"
"0400" = "training"
"0500" = "parental"
"0620" = "other"
"0900" = "suspension"
''')

# badge events: Lenel OnGuard extract, UTC + local columns, card numbers, panel names, reader descriptions
PANEL = {"NBK01": "NBK-PNL-01", "NBK02": "CUST-PNL-01", "WST01": "WST-PNL-01", "RPU01": "RPU-PNL-01", "HQ01": "HQ-PANEL-01",
         "ROCU1": "ROCU-CH-PNL-03"}
READER = {}
for sid_, pn in PANEL.items():
    READER[(sid_, "in")] = f"{sid_} Staff Entrance (In)"
    READER[(sid_, "out")] = f"{sid_} Staff Exit (Out)"
brow = []
seen = set()
for (sid, t, site, direction, denied) in sorted(badges, key=lambda b: b[1]):
    t = fix_gap(t)
    card = CARD[sid]
    if sid == lost["staff_id"] and t.date() >= d("2026-03-11"):
        card = NEWCARD
    if sid == lost["staff_id"] and d("2026-03-05") <= t.date() <= d("2026-03-10"):
        continue   # card lost: no reads that week
    key = (sid, t.strftime("%Y-%m-%d %H:%M:%S"), site, direction)
    if key in seen:
        continue
    seen.add(key)
    brow.append((utc_text(t), loc(t), card, "NULL", READER[(site, direction)], PANEL[site], "Access Granted"))
    if rng.random() < 0.004:
        brow.append((utc_text(t - mins(1)), loc(t - mins(1)), card, "NULL", READER[(site, direction)], PANEL[site], "Access Denied"))
write("badge_events.csv", ["EVENT_TIME_UTC", "EVENT_LOCAL_TIME", "CARDNUM", "SSNO", "READERDESC", "PANELNAME", "EVDESCR"], brow)
with open(os.path.join(OUT, "badge_events.format.toml"), "w") as f:
    f.write('# Lenel OnGuard event extract (EVENT_TIME_UTC is UTC; EVENT_LOCAL_TIME kept as an extra column)\n')
    f.write('zone = "UTC"\n\n[columns]\nts = "EVENT_TIME_UTC"\nidentifier = "CARDNUM"\nsite_id = "PANELNAME"\ndirection = "READERDESC"\n\n')
    f.write('[fill]\nsystem = "lenel"\n\n[skip]\nEVDESCR = ["Access Denied"]\n\n[values.direction]\n')
    for (sid_, dr), rd_ in READER.items():
        f.write(f'"{rd_}" = "{dr}"\n')
    f.write('\n[values.site_id]\n')
    for sid_, pn in PANEL.items():
        f.write(f'"{pn}" = "{sid_}"\n')

# device events: Intune / Lawful Business Monitoring extract, UPN, ISO with offset and 7-digit fraction
drow = []
seen = set()
UPN = {p["staff_id"]: p["upn"] for p in people}
for (sid, device, t, kind, site, ll) in sorted(devices, key=lambda x: x[2]):
    key = (sid, device, fix_gap(t).strftime("%Y-%m-%d %H:%M:%S"), kind)
    if key in seen:
        continue
    seen.add(key)
    drow.append((UPN[sid], device, intune_text(t), kind.upper() if kind != "location" else "Location", site,
                 "%.5f" % ll[0] if ll else "", "%.5f" % ll[1] if ll else ""))
write("device_events.csv", ["UPN", "DeviceName", "EventDateTime", "EventType", "site_id", "lat", "lon"], drow)
with open(os.path.join(OUT, "device_events.format.toml"), "w") as f:
    f.write('# Lawful Business Monitoring extract from Intune: users by Entra UPN\n[columns]\nidentifier = "UPN"\n'
            'device_id = "DeviceName"\nts = "EventDateTime"\nkind = "EventType"\n\n[fill]\nsystem = "entra"\n')

# system access: Niche/PNC audit, with the account and terminal as extra columns
lookups.sort(key=lambda x: x["t"])
write("system_access.csv", ["event_id", "staff_id", "ts", "system", "action", "subject_ref", "case_ref", "user_account", "terminal"],
      [("AUD%08d" % (i * 3 + 10000017), l["sid"], loc(l["t"]), l["system"], l["action"], l["subject"], l["case"],
        l["account"] or ("NB" + l["sid"]), l["terminal"] or "") for i, l in enumerate(lookups)])

comms.sort(key=lambda x: x["t"])
write("comms_events.csv", ["event_id", "staff_id", "ts", "channel", "counterpart_ref", "direction", "duration_s"],
      [("CM%07d" % (i + 200000), c["sid"], loc(c["t"]), c["channel"], c["cp"], c["dir"], "" if c["dur"] is None else c["dur"])
       for i, c in enumerate(comms)])

cprow = []
for c in cases:
    for (subj, role, vul) in c["parties"]:
        cprow.append((c["ref"], subj, role, "true" if vul else "false", c["oic"], c["opened"].isoformat(),
                      c["closed"].isoformat() if c["closed"] else ""))
# de-duplicate key (case_ref, subject_ref, role)
seen = set()
cprow2 = []
for r in cprow:
    if (r[0], r[1], r[2]) in seen:
        continue
    seen.add((r[0], r[1], r[2]))
    cprow2.append(r)
write("case_parties.csv", ["case_ref", "subject_ref", "role", "vulnerable", "officer_in_case", "opened", "closed"], cprow2)

write("declarations.csv", ["declaration_id", "staff_id", "kind", "counterparty", "declared_at", "status"],
      [(a, b, c, e, loc_m(f), g) for (a, b, c, e, f, g) in decls])
write("external_records.csv", ["record_id", "kind", "counterparty", "source", "observed_at", "strength", "staff_id",
                               "full_name", "date_of_birth", "activity"],
      [(r[0], r[1], r[2], r[3], r[4].strftime("%Y-%m-%d"), r[5], r[6], r[7], r[8], r[9]) for r in ext])
write("complaints.csv", ["complaint_id", "staff_id", "received_at", "allegation", "outcome"],
      [(a, b, loc_m(c), e, f) for (a, b, c, e, f) in compl])

with open(TRUTH, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["staff_id", "label", "pattern", "proportionate_route", "note"])
    order = {"guilty": 0, "honest": 1, "ordinary": 2}
    for sid, (lab, pat, route, note) in sorted(truth.items(), key=lambda kv: (order[kv[1][0]], kv[0])):
        w.writerow([sid, lab, pat, route, note])

print("people", len(people), "shifts", len(shifts), "claims", len(claims), "absences", len(absences),
      "badges", len(brow), "devices", len(drow), "lookups", len(lookups), "comms", len(comms), "cases", len(cases))
from collections import Counter
print(Counter(v[0] for v in truth.values()))
