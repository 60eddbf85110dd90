#!/usr/bin/env python3
"""Red team 4: a hand-written small force, 'Wrekin Vale Constabulary' (fictional), Sep-Dec 2025.

Writes BASE/force/*.csv (import-contract tables in their own export shapes, with
format declarations) and BASE/truth.csv. Plain Python, fixed seed.
"""
import csv
import datetime as dt
import os
import random
import shutil
import sys
from zoneinfo import ZoneInfo

R = random.Random(4242025)
LON = ZoneInfo("Europe/London")
UTC = dt.timezone.utc
BASE = sys.argv[1] if len(sys.argv) > 1 else "wrekin_vale"
OUT = os.path.join(BASE, "force")
FIND = os.path.join(BASE, "ingest-findings")
P0 = dt.date(2025, 9, 1)
P1 = dt.date(2025, 12, 31)
DAYS = [P0 + dt.timedelta(i) for i in range((P1 - P0).days + 1)]
BH = {dt.date(2025, 12, 25), dt.date(2025, 12, 26)}
D = dt.date
T = dt.timedelta


def L(d, hhmm):
    h, m = map(int, hhmm.split(":"))
    return dt.datetime(d.year, d.month, d.day) + T(hours=h, minutes=m)


def aware(x):
    return x.replace(tzinfo=LON)


def utc(x):
    return aware(x).astimezone(UTC)


def iso_z(x):  # naive local -> UTC Z string
    return utc(x).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_off(x):  # naive local -> local with offset
    a = aware(x)
    s = a.strftime("%Y-%m-%dT%H:%M:%S%z")
    return s[:-2] + ":" + s[-2:]


def ambiguous(x):
    return x.date() == D(2025, 10, 26) and x.hour == 1


def unamb(x):
    return x + T(hours=1) if ambiguous(x) else x


def rt(lo, hi):  # random minutes
    return T(minutes=R.randint(lo, hi), seconds=R.randint(0, 59))


# ---------------------------------------------------------------- sites, units
SITES = [
    ("KM", "Kingsmere Police Station, Castle Street", "station", 52.7062, -2.7531),
    ("KMC", "Kingsmere Custody Suite", "custody", 52.7055, -2.7510),
    ("AB", "Aldbury Police Station", "station", 52.6201, -2.4867),
    ("PH", "Pelham House (Force Headquarters)", "office", 52.6829, -2.6642),
    ("RB", "Tollgate Roads Policing Base", "station", 52.6710, -2.5902),
    ("KMG", "Kingsmere Law Courts", "other", 52.7071, -2.7499),
    ("HTC", "Harnham Training Centre", "other", 52.5903, -2.8110),
    ("NH", "Northgate Community Hub", "other", 52.7134, -2.7402),
]
UNITS = [
    ("PG1", "Kingsmere Patrol Group 1", "response", "Local Policing", "KM"),
    ("PG2", "Kingsmere Patrol Group 2", "response", "Local Policing", "KM"),
    ("PG3", "Kingsmere Patrol Group 3", "response", "Local Policing", "KM"),
    ("PG4", "Kingsmere Patrol Group 4", "response", "Local Policing", "KM"),
    ("PG5", "Kingsmere Patrol Group 5", "response", "Local Policing", "KM"),
    ("NKT", "Kingsmere Town Neighbourhood Team", "neighbourhood", "Local Policing", "KM"),
    ("NAV", "Aldbury & Villages Neighbourhood Team", "neighbourhood", "Local Policing", "AB"),
    ("CIDK", "Kingsmere CID", "investigation", "Crime & Public Protection", "KM"),
    ("SIU", "Safeguarding Investigation Unit", "investigation", "Crime & Public Protection", "AB"),
    ("CUSK", "Kingsmere Custody", "custody", "Criminal Justice", "KMC"),
    ("CJU", "Criminal Justice Unit", "other", "Criminal Justice", "KM"),
    ("RCU", "Roads Crime & Collision Unit", "specialist", "Operational Support", "RB"),
    ("OSG", "Operational Support Group", "specialist", "Operational Support", "KM"),
    ("LPC", "Local Policing Command Team", "hq", "Local Policing", "PH"),
    ("PEO", "People Services", "hq", "Corporate Services", "PH"),
    ("FIN", "Finance & Payroll", "hq", "Corporate Services", "PH"),
    ("RDP", "Resourcing & Duty Planning", "hq", "Corporate Services", "PH"),
    ("PAU", "Performance & Analysis Unit", "hq", "Corporate Services", "PH"),
    ("IMU", "Information Management Unit", "hq", "Corporate Services", "PH"),
    ("PSV", "Professional Standards & Vetting", "hq", "Professional Standards", "PH"),
    ("CCM", "Corporate Communications", "hq", "Corporate Services", "PH"),
]
UNIT_SITE = {u[0]: u[4] for u in UNITS}
UNIT_NAME = {u[0]: u[1] for u in UNITS}

FORE_F = "Amelia Olivia Isla Ava Mia Grace Freya Lily Emily Sophie Ella Chloe Jessica Hannah Lucy Megan Holly Rebecca Laura Amy Kirsty Gemma Natalie Rachel Leanne Zoe Charlotte Bethany Kelly Nicola Joanne Priya Aisha Fatima Niamh Sian Rhian Katie Abigail Eleanor".split()
FORE_M = "Oliver George Harry Jack Jacob Noah Charlie Thomas Oscar William James Daniel Matthew Ryan Adam Luke Samuel Joseph Michael David Mark Paul Stephen Andrew Richard Craig Gareth Lee Darren Jamie Ben Liam Kieran Connor Callum Rhys Owen Imran Hassan Tomasz".split()
SURN = ("Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts Green Hall Wood "
        "Jackson Clarke Hughes Edwards Turner Hill Moore Cooper Ward Morris Harris Clark Lewis Young Allen King Baker Parker Morgan "
        "Price Bennett Griffiths Lloyd Powell Pritchard Bowen Rowlands Preece Beddoes Corbett Mason Bradley Fletcher Holmes Pugh "
        "Lowe Marsh Owen Kaur Hussain Ahmed Begum Nowak Kowalski Okafor Mensah Campbell Murphy Kelly Doyle Sharma Patel Singh "
        "Chapman Dawson Harper Jenkins Lawson Nash Osborne Reeves Shaw Stone Tucker Vaughan Webb Yates Barker Cartwright Dyer "
        "Fowler Gibbs Hayward Ingram Jarvis Kendall Lambert Maddox Newton Oakley Payne Quinn Radley Sutton Thornton Upton Vickers").split()

# ---------------------------------------------------------------- people
people = []
BYID = {}
used_ids = set()
used_names = set()


def new_id():
    while True:
        x = "00%06d" % R.randint(100000, 989999)
        if x not in used_ids:
            used_ids.add(x)
            return x


def new_name(sex=None, forced=None):
    if forced:
        return forced
    while True:
        s = sex or R.choice("FM")
        fn = R.choice(FORE_F if s == "F" else FORE_M)
        sn = R.choice(SURN)
        if (fn, sn) not in used_names:
            used_names.add((fn, sn))
            return (fn, sn)


def add(unit, rank, role, etype="officer", fte=1.0, hybrid=False, pattern=None, tag=None,
        start=None, end=None, name=None, dob=None, sex=None):
    sid = new_id()
    fn, sn = new_name(sex, name)
    if dob is None:
        lo, hi = {"Student Officer": (19, 30), "Constable": (22, 55), "Det Constable": (25, 55), "Sergeant": (28, 56), "Det Sergeant": (30, 56),
                  "A/Inspector": (32, 50), "Inspector": (33, 55), "Det Inspector": (35, 55), "Ch Inspector": (38, 55), "Superintendent": (42, 56),
                  "PCSO": (20, 62), "Special Constable": (19, 60)}.get(rank, (21, 63))
        age = R.randint(lo, hi)
        dob = D(2025 - age, R.randint(1, 12), R.randint(1, 28))
    if start is None:
        senior = {"Sergeant": 5, "Det Sergeant": 6, "A/Inspector": 8, "Inspector": 10, "Det Inspector": 11, "Ch Inspector": 15, "Superintendent": 18}.get(rank, 0)
        y0 = max(dob.year + 19, 1990)
        y1 = max(y0, 2024 - senior)
        start = D(R.randint(y0, y1), R.randint(1, 12), R.randint(1, 28))
    p = dict(sid=sid, unit=unit, rank=rank, role=role, etype=etype, fte=fte, hybrid=hybrid,
             pattern=pattern, tag=tag, start=start, end=end, fn=fn, sn=sn, dob=dob, lm=None,
             site=UNIT_SITE[unit])
    people.append(p)
    BYID[sid] = p
    return p


TAG = {}


def tagged(p, t):
    p["tag"] = t
    TAG[t] = p
    return p


# Response: five patrol groups, Inspector + Sergeant + 10 constables (+ specials)
PG = {}
for g in range(1, 6):
    u = "PG%d" % g
    insp = add(u, "A/Inspector" if g == 5 else "Inspector", "Patrol Inspector", pattern=("resp", g))
    sgt = add(u, "Sergeant", "Patrol Sergeant", pattern=("resp", g))
    pcs = [add(u, "Constable", "Response Constable", pattern=("resp", g)) for _ in range(10)]
    insp["lm_key"] = "CI_OPS"
    sgt["lm"] = insp["sid"]
    for pc in pcs:
        pc["lm"] = sgt["sid"]
    PG[g] = dict(insp=insp, sgt=sgt, pcs=pcs)
specials = []
for g in (1, 3, 4, 5):
    s = add("PG%d" % g, "Special Constable", "Special Constable", etype="special", fte=0.2, pattern=("special", g))
    s["lm"] = PG[g]["sgt"]["sid"]
    specials.append(s)
# joiners: student officers start in November
students = []
for g in (2, 3, 4):
    s = add("PG%d" % g, "Student Officer", "Student Officer (PCDA)", pattern=("student", g), start=D(2025, 11, 3))
    s["lm"] = PG[g]["sgt"]["sid"]
    students.append(s)

# Neighbourhood
npt_insp = add("NKT", "Inspector", "Neighbourhood Inspector", pattern=("days",))
NPT = {}
for u in ("NKT", "NAV"):
    sgt = add(u, "Sergeant", "Neighbourhood Sergeant", pattern=("npt", 0))
    sgt["lm"] = npt_insp["sid"]
    pcs = [add(u, "Constable", "Neighbourhood Constable", pattern=("npt", i % 2)) for i in range(5 if u == "NKT" else 4)]
    pcsos = [add(u, "PCSO", "Police Community Support Officer", etype="staff",
                 fte=0.8 if i == 3 else 1.0, pattern=("npt", (i + 1) % 2)) for i in range(4)]
    for x in pcs + pcsos:
        x["lm"] = sgt["sid"]
    NPT[u] = dict(sgt=sgt, pcs=pcs, pcsos=pcsos)
# the namesake: a PCSO in NKT also named Sarah Khan (the other is in People Services)
used_names.add(("Sarah", "Khan"))
NPT["NKT"]["pcsos"][2].update(fn="Sarah", sn="Khan", dob=D(1986, 11, 2))

# CID
di = add("CIDK", "Det Inspector", "CID Inspector", pattern=("days",))
ds1 = add("CIDK", "Det Sergeant", "CID Supervisor", pattern=("cid", 0))
ds2 = add("CIDK", "Det Sergeant", "CID Supervisor", pattern=("cid", 2))
dcs = [add("CIDK", "Det Constable", "Investigator (CID)", pattern=("cid", i % 4)) for i in range(11)]
for x in (ds1, ds2):
    x["lm"] = di["sid"]
for i, x in enumerate(dcs):
    x["lm"] = (ds1 if i % 2 == 0 else ds2)["sid"]
di["lm_key"] = "CI_CRIME"
# SIU
siu_ds = add("SIU", "Det Sergeant", "Safeguarding Supervisor", pattern=("days",))
siu_dcs = [add("SIU", "Det Constable", "Safeguarding Investigator", pattern=("days",)) for _ in range(6)]
marac = add("SIU", "Grade E", "MARAC Coordinator", etype="staff", pattern=("days",), sex="F")
daro = add("SIU", "Grade D", "Domestic Abuse Risk Assessor", etype="staff", fte=0.6, pattern=("days3",))
for x in siu_dcs + [marac, daro]:
    x["lm"] = siu_ds["sid"]
siu_ds["lm"] = di["sid"]
# Custody
cus_insp = add("CUSK", "Inspector", "Custody Inspector", pattern=("days",))
csgts = [add("CUSK", "Sergeant", "Custody Sergeant", pattern=("cust", i)) for i in range(4)]
crelief = add("CUSK", "Sergeant", "Custody Sergeant", pattern=("days",))
ddos = [add("CUSK", "Grade C", "Detention Officer", etype="staff", pattern=("cust", i // 2)) for i in range(8)]
for x in csgts + [crelief] + ddos:
    x["lm"] = cus_insp["sid"]
cus_insp["lm_key"] = "CI_OPS"
# CJU
cju_sgt = add("CJU", "Sergeant", "Case Progression Sergeant", pattern=None, hybrid=False)
cju_staff = [add("CJU", "Grade D", "Case File Officer", etype="staff", pattern=None, hybrid=True) for _ in range(4)]
for x in cju_staff:
    x["lm"] = cju_sgt["sid"]
cju_sgt["lm"] = cus_insp["sid"]
# Specialist
spec_insp = add("OSG", "Inspector", "Specialist Operations Inspector", pattern=("days",))
rcu_sgt = add("RCU", "Sergeant", "Roads Crime Sergeant", pattern=("spdays",))
rcu_pcs = [add("RCU", "Constable", "Roads Crime Constable", pattern=("spec", i % 2)) for i in range(8)]
osg_sgt = add("OSG", "Sergeant", "Operational Support Sergeant", pattern=("spdays",))
osg_pcs = [add("OSG", "Constable", "Operational Support Constable", pattern=("spec", i % 2)) for i in range(7)]
for x in rcu_pcs:
    x["lm"] = rcu_sgt["sid"]
for x in osg_pcs:
    x["lm"] = osg_sgt["sid"]
rcu_sgt["lm"] = spec_insp["sid"]
osg_sgt["lm"] = spec_insp["sid"]
spec_insp["lm_key"] = "CI_OPS"
# HQ / senior leaders (hybrid rule: 4 days in 5 in the office)
supt = add("LPC", "Superintendent", "Local Policing Commander", hybrid=True)
ci_ops = add("LPC", "Ch Inspector", "Chief Inspector (Operations)", hybrid=True)
ci_part = add("LPC", "Ch Inspector", "Chief Inspector (Partnerships)", hybrid=True)
ci_crime = add("LPC", "Ch Inspector", "Chief Inspector (Crime)", hybrid=True)
for x in (ci_ops, ci_part, ci_crime):
    x["lm"] = supt["sid"]
for p in people:
    if p.get("lm_key") == "CI_OPS":
        p["lm"] = ci_ops["sid"]
    elif p.get("lm_key") == "CI_CRIME":
        p["lm"] = ci_crime["sid"]
npt_insp["lm"] = ci_part["sid"]


def hqunit(u, head, roles, hybrid=True):
    h = add(u, head[0], head[1], etype="staff", hybrid=hybrid)
    h["lm"] = supt["sid"] if u in ("PSV",) else None
    out = [h]
    for r in roles:
        x = add(u, r[0], r[1], etype=r[2] if len(r) > 2 else "staff", fte=r[3] if len(r) > 3 else 1.0, hybrid=hybrid)
        x["lm"] = h["sid"]
        out.append(x)
    return out


peo = hqunit("PEO", ("Grade H", "HR Business Partner"), [("Grade F", "HR Adviser"), ("Grade F", "HR Adviser"), ("Grade E", "HR Adviser"),
                                                      ("Grade E", "HR Adviser"), ("Grade D", "HR Officer", "staff", 0.6)])
fin = hqunit("FIN", ("Grade H", "Finance Manager"), [("Grade E", "Finance Officer"), ("Grade E", "Finance Officer"),
                                                    ("Grade E", "Finance Officer"), ("Grade D", "Payroll Officer")])
rdp = hqunit("RDP", ("Grade G", "Resourcing Manager"), [("Grade D", "Resourcing Officer")] * 4)
pau = hqunit("PAU", ("Grade G", "Lead Performance Analyst"), [("Grade E", "Performance Analyst")] * 3)
imu = hqunit("IMU", ("Grade G", "Records & Disclosure Manager"), [("Grade D", "Disclosure Officer")] * 3)
psv = hqunit("PSV", ("Det Inspector", "PSD Inspector", "officer"), [("Grade E", "Vetting Officer"), ("Grade E", "PSD Investigator")])
psv[0]["etype"] = "officer"
ccm = hqunit("CCM", ("Grade F", "Communications Manager"), [("Grade D", "Communications Officer")])
for grp in (peo, fin, rdp, pau, imu, ccm):
    grp[0]["lm"] = supt["sid"]
# Sarah Khan #1, HR adviser (the namesake look-alike)
peo[2].update(fn="Sarah", sn="Khan", dob=D(1990, 5, 12))
# a staff joiner in Finance
fin_join = add("FIN", "Grade D", "Finance Assistant", etype="staff", hybrid=True, start=D(2025, 10, 13))
fin_join["lm"] = fin[0]["sid"]
# leavers
PG[1]["pcs"][9]["end"] = D(2025, 10, 17)
dcs[10]["end"] = D(2025, 11, 30)
peo[4]["end"] = D(2025, 9, 26)

# ---------------------------------------------------------------- planted cast
G1 = tagged(PG[1]["pcs"][2], "G1")
G2 = tagged(PG[3]["pcs"][4], "G2")
G3 = tagged(csgts[1], "G3")
G4a = tagged(NPT["NAV"]["sgt"], "G4a")
G4b = tagged(NPT["NAV"]["pcs"][1], "G4b")
G5 = tagged(dcs[3], "G5")
G6 = tagged(ddos[5], "G6")
G7 = tagged(NPT["NKT"]["pcs"][3], "G7")
G8 = tagged(PG[4]["pcs"][6], "G8")
G9 = tagged(siu_dcs[2], "G9")
G10a = tagged(ds2, "G10a")
G10b = tagged(rcu_sgt, "G10b")
G11 = tagged(ci_part, "G11")
G13 = tagged(PG[5]["insp"], "G13")

H1 = tagged(PG[2]["pcs"][5], "H1")
H2 = tagged(NPT["NKT"]["sgt"], "H2")
H2sick = NPT["NKT"]["pcs"][0]
H3 = tagged(PG[4]["pcs"][2], "H3")
H4 = tagged(PG[3]["pcs"][7], "H4")
H5 = tagged(PG[2]["pcs"][8], "H5")
H7b = tagged(peo[2], "H7b")
H7f = tagged(siu_ds, "H7f")
H7i = tagged(fin[2], "H7i")
H8 = tagged(NPT["NAV"]["pcsos"][0], "H8")
H9 = tagged(dcs[6], "H9")
H10 = tagged(osg_pcs[3], "H10")
H11 = tagged(dcs[8], "H11")
H12a = tagged(csgts[0], "H12a")
H12b = tagged(csgts[2], "H12b")
H12c = tagged(csgts[3], "H12c")
H13 = tagged(fin[3], "H13")
H15 = tagged(rcu_pcs[4], "H15")
H15["role"] = "Roads Crime Constable (FLO trained)"
H16 = tagged(NPT["NAV"]["pcsos"][2], "H16")
H17 = tagged(PG[5]["pcs"][3], "H17")
H20 = tagged(marac, "H20")
H22 = tagged(NPT["NKT"]["pcs"][1], "H22")
H26 = tagged(osg_sgt, "H26")
for x in (H11, H17, G9, G11, H13, H8):
    pass

# ---------------------------------------------------------------- rosters
shifts = []
SH_BY = {}
sh_n = [0]


def mk_shift(p, d, st, en, duty="Tour", site=None, date_label=None):
    s0 = L(d, st)
    e0 = L(d, en)
    if e0 <= s0:
        e0 += T(days=1)
    sh_n[0] += 1
    s = dict(id="WV%07d" % (3100000 + sh_n[0]), sid=p["sid"], date=date_label or d, start=s0, end=e0,
             st=st, en=en, duty=duty, site=site or p["site"], posting=None)
    shifts.append(s)
    SH_BY.setdefault(p["sid"], []).append(s)
    return s


def in_post(p, d):
    return p["start"] <= d and (p["end"] is None or d <= p["end"])


def resp_pos(g, d):
    return ((d - P0).days - 2 * (g - 1)) % 10


RESP = {0: ("07:00", "17:00"), 1: ("07:00", "17:00"), 2: ("14:00", "00:00"), 3: ("14:00", "00:00"),
        4: ("22:00", "07:00"), 5: ("22:00", "07:00")}


def pattern_day(p, d):
    pat = p["pattern"]
    if pat is None:
        return None
    k = pat[0]
    wd = d.weekday()
    if k in ("resp", "student"):
        if k == "student" and d < D(2025, 11, 17):
            return None
        pos = resp_pos(pat[1], d)
        return RESP.get(pos)
    if k == "special":
        pos = resp_pos(pat[1], d)
        if pos in (2, 3) and wd in (4, 5) and R.random() < 0.55:
            return ("18:00", "00:00")
        return None
    if k == "npt":
        wk = (d.isocalendar()[1] + pat[1]) % 2
        if wd < 5:
            return ("08:00", "16:00") if wk == 0 else ("14:00", "22:00")
        return None
    if k == "cid":
        wk = (d.isocalendar()[1] + pat[1]) % 4
        if wd < 5:
            return ("14:00", "22:00") if wk == 0 else ("08:00", "16:00")
        return None
    if k == "days":
        return ("08:00", "16:00") if wd < 5 else None
    if k == "days3":
        return ("09:00", "17:00") if wd < 3 else None
    if k == "spdays":
        return ("08:00", "18:00") if wd < 4 else None
    if k == "cust":
        pos = ((d - P0).days - 2 * pat[1]) % 8
        return {0: ("07:00", "19:00"), 1: ("07:00", "19:00"), 2: ("19:00", "07:00"), 3: ("19:00", "07:00")}.get(pos)
    if k == "spec":
        pos = ((d - P0).days - 4 * pat[1]) % 8
        return {0: ("07:00", "17:00"), 1: ("07:00", "17:00"), 2: ("14:00", "00:00"), 3: ("14:00", "00:00")}.get(pos)
    return None


# NPT Saturday working: once every four weeks a Saturday late instead of the Friday
for p in people:
    for d in DAYS:
        if not in_post(p, d):
            continue
        pd = pattern_day(p, d)
        if p["pattern"] and p["pattern"][0] == "npt":
            idx = people.index(p)
            wk = d.isocalendar()[1]
            if (wk + idx) % 4 == 0:
                if d.weekday() == 4:
                    pd = None
                elif d.weekday() == 5:
                    pd = ("12:00", "20:00")
        if p["pattern"] and p["pattern"][0] == "cid":
            idx = people.index(p)
            wk = d.isocalendar()[1]
            if (wk + idx) % 5 == 0:  # weekend cover day, weekday off
                if d.weekday() == 2:
                    pd = None
                elif d.weekday() == 5:
                    pd = ("08:00", "18:00")
        if pd:
            site = p["site"]
            mk_shift(p, d, pd[0], pd[1], "Tour", site)


def shifts_of(p):
    return SH_BY.get(p["sid"], [])


def shift_on(p, d):
    for s in shifts_of(p):
        if s["date"] == d:
            return s
    return None


def remove_shift(s):
    shifts.remove(s)
    SH_BY[s["sid"]].remove(s)


def busy(p, a, b):
    """any shift of p overlapping [a,b)"""
    for s in shifts_of(p):
        if s["start"] < b and a < s["end"]:
            return True
    return False


# ---------------------------------------------------------------- absences (SAP PA2001)
absences = []
ab_n = [0]


def add_abs(p, code, d0, d1, reason="", days=None, hours=None, remove=True):
    ab_n[0] += 1
    removed = []
    if remove:
        for s in list(shifts_of(p)):
            if d0 <= s["date"] <= d1:
                removed.append(s)
                remove_shift(s)
    if days is None:
        if p["pattern"]:
            days = float(len(removed))
        else:
            days = float(sum(1 for i in range((d1 - d0).days + 1) if (d0 + T(i)).weekday() < 5 and (d0 + T(i)) not in BH))
    if hours is None:
        hours = round(days * (8.0 if not p["pattern"] else 9.0) * p["fte"], 2) if p["etype"] != "special" else 0.0
    a = dict(id="%010d" % (5400000 + ab_n[0]), sid=p["sid"], code=code, d0=d0, d1=d1, days=days, hours=hours, reason=reason)
    absences.append(a)
    return a


def absent_on(p, d):
    for a in absences:
        if a["sid"] == p["sid"] and a["d0"] <= d <= a["d1"] and a["days"] >= 1:
            return a
    return None


SPECIAL_ABS = {G6["sid"], H2sick["sid"], H8["sid"], H9["sid"], H11["sid"], G11["sid"]}
# planted absences first
add_abs(G6, "0210", D(2025, 10, 20), D(2025, 11, 14), "Musculoskeletal - back")
add_abs(H2sick, "0210", D(2025, 9, 15), D(2025, 11, 30), "Psychological - work-related stress")
add_abs(H8, "0210", D(2025, 10, 13), D(2025, 11, 23), "Psychological - anxiety/depression")
add_abs(H11, "0500", D(2025, 7, 7), D(2026, 3, 31), "Maternity leave", days=186.0, hours=1395.0)
# H9: sickness keyed with the wrong end date (3 days off, record spans 15)
for s in list(shifts_of(H9)):
    if D(2025, 10, 1) <= s["date"] <= D(2025, 10, 3):
        remove_shift(s)
add_abs(H9, "0200", D(2025, 10, 1), D(2025, 10, 15), "Gastro-intestinal", days=3.0, hours=24.0, remove=False)

REASONS = ["Psychological - stress", "Musculoskeletal - back", "Musculoskeletal - other", "Cold/cough/flu", "Gastro-intestinal",
           "Injury on duty", "Headache/migraine", "Respiratory", "Infections", "Psychological - anxiety/depression"]
for p in people:
    if p["sid"] in SPECIAL_ABS or p["etype"] == "special":
        continue
    # annual leave: 1-2 blocks
    nblk = R.choice([1, 1, 2, 2, 2]) if p["tag"] not in ("H15", "H16", "H2", "G9") else 0
    for _ in range(nblk):
        for _try in range(20):
            d0 = R.choice(DAYS[:-10])
            ln = R.randint(3, 10)
            d1 = d0 + T(ln - 1)
            if not in_post(p, d0) or not in_post(p, d1):
                continue
            if any(a["sid"] == p["sid"] and not (d1 < a["d0"] or a["d1"] < d0) for a in absences):
                continue
            add_abs(p, "0100", d0, d1, "")
            break
    # sickness
    r = R.random()
    nsp = 0 if r < 0.5 else (1 if r < 0.82 else (2 if r < 0.95 else 3))
    if p["tag"]:
        nsp = 0  # planted people: no random sickness to muddle their stories
    for _ in range(nsp):
        for _try in range(20):
            d0 = R.choice(DAYS)
            ln = R.choice([1, 1, 2, 2, 3, 4, 5, 7]) if R.random() > 0.04 else R.randint(30, 45)
            d1 = min(d0 + T(ln - 1), P1)
            if not in_post(p, d0) or not in_post(p, d1):
                continue
            if any(a["sid"] == p["sid"] and not (d1 < a["d0"] or a["d1"] < d0) for a in absences):
                continue
            # do not create a spell with no rostered shift in it for rostered people
            if p["pattern"] and not any(d0 <= s["date"] <= d1 for s in shifts_of(p)):
                continue
            add_abs(p, "0200" if ln <= 7 else "0210", d0, d1, R.choice(REASONS))
            break
    # HQ training courses (unrostered staff)
    if not p["pattern"] and R.random() < 0.4:
        d0 = R.choice([d for d in DAYS if d.weekday() < 5])
        if not absent_on(p, d0) and in_post(p, d0):
            add_abs(p, "0600", d0, d0, "Course", days=1.0, hours=7.5)
# a few part-day appointments (SAP: part day with hours)
for p in R.sample([q for q in people if q["etype"] != "special"], 14):
    d0 = R.choice(DAYS)
    if in_post(p, d0) and not absent_on(p, d0):
        add_abs(p, "0220", d0, d0, "Medical appointment", days=0.5, hours=3.0, remove=False)
# a sickness record entered then a TOIL day etc.
for p in R.sample([q for q in people if q["pattern"] and q["etype"] == "officer"], 10):
    s = R.choice(shifts_of(p)) if shifts_of(p) else None
    if s and not absent_on(p, s["date"]):
        remove_shift(s)
        add_abs(p, "0110", s["date"], s["date"], "Time off in lieu", days=1.0, hours=9.0, remove=False)

# ---------------------------------------------------------------- roster changes
changes = []
ch_n = [0]
RES_OFFICERS = rdp[1:5]


def add_change(s, by, at, field, old, new):
    ch_n[0] += 1
    changes.append(dict(id="RC%06d" % (700000 + ch_n[0]), shift=s["id"], sid=s["sid"], by=by["sid"] if isinstance(by, dict) else by,
                        at=unamb(at), field=field, old=old, new=new))


# training and court days replace a tour (resourcing)
for p in people:
    if not p["pattern"] or p["etype"] == "special" or p["pattern"][0] == "student":
        continue
    if p["etype"] == "officer" and R.random() < 0.7:
        cands = [s for s in shifts_of(p) if s["duty"] == "Tour" and s["start"].hour in (7, 8)]
        if cands:
            s = R.choice(cands)
            s["duty"] = "Training"
            s["site"] = "HTC"
            s["start"] = L(s["date"], "08:30")
            s["end"] = L(s["date"], "16:30")
            add_change(s, R.choice(RES_OFFICERS), s["start"] - T(days=R.randint(10, 30)) + T(hours=R.randint(1, 8)), "Duty Code", "Tour", "Training")
    if p["unit"] in ("PG1", "PG2", "PG3", "PG4", "PG5", "CIDK", "SIU", "RCU") and p["etype"] == "officer" and R.random() < 0.35:
        cands = [s for s in shifts_of(p) if s["duty"] == "Tour" and s["start"].hour in (7, 8) and s["date"].weekday() < 5]
        if cands:
            s = R.choice(cands)
            s["duty"] = "Court"
            s["site"] = "KMG"
            s["start"] = L(s["date"], "09:00")
            s["end"] = L(s["date"], "17:00")
            add_change(s, R.choice(RES_OFFICERS), s["start"] - T(days=R.randint(3, 20)) + T(hours=R.randint(1, 8)), "Duty Code", "Tour", "Court")

# ordinary swaps (field Roster Date), made by the officer or approved by the sergeant
FREED = set()
for p in people:
    if not p["pattern"] or p["pattern"][0] not in ("resp", "npt", "cid", "spec"):
        continue
    if p["tag"] in ("G2", "H3", "G8"):
        continue
    if R.random() < 0.35:
        cands = [s for s in shifts_of(p) if s["duty"] == "Tour" and s["start"].hour < 20 and P0 + T(10) < s["date"] < P1 - T(12)]
        if not cands:
            continue
        s = R.choice(cands)
        # move to a later rest day within 10 days
        for k in range(2, 10):
            nd = s["date"] + T(k)
            if not shift_on(p, nd) and not absent_on(p, nd) and nd not in BH:
                old = s["date"]
                FREED.add((p["sid"], old))
                s["date"] = nd
                s["start"] = L(nd, s["st"])
                s["end"] = s["start"] + (L(old, s["en"]) - L(old, s["st"]) if L(old, s["en"]) > L(old, s["st"]) else L(old, s["en"]) + T(days=1) - L(old, s["st"]))
                by = p if R.random() < 0.5 else (BYID.get(p["lm"]) or p)
                add_change(s, by, L(old, "10:00") - T(days=R.randint(5, 20)) + rt(0, 300), "Roster Date", old.isoformat(), nd.isoformat())
                break
    # start time changes
    if R.random() < 0.2:
        cands = [s for s in shifts_of(p) if s["duty"] == "Tour" and s["start"].hour in (7, 8)]
        if cands:
            s = R.choice(cands)
            old = s["start"].strftime("%H:%M")
            s["start"] += T(hours=1)
            s["st"] = s["start"].strftime("%H:%M")
            add_change(s, BYID.get(p["lm"]) or p, s["start"] - T(days=R.randint(1, 6)) + rt(0, 200), "Start Time", old, s["st"])

# rest-day working for short staffing: resourcing turns a rest day into RDW
for p in people:
    if not p["pattern"] or p["pattern"][0] not in ("resp", "cust", "spec") or p["etype"] != "officer":
        continue
    if p["rank"] in ("Inspector", "A/Inspector"):
        continue
    for _ in range(R.choice([0, 0, 1, 1, 2])):
        d = R.choice(DAYS[5:-5])
        if shift_on(p, d) or absent_on(p, d) or shift_on(p, d - T(1)) and shift_on(p, d - T(1))["start"].hour >= 19:
            continue
        s = mk_shift(p, d, "07:00", "17:00", "RDW")
        add_change(s, R.choice(RES_OFFICERS), L(d, "09:00") - T(days=R.randint(2, 20)) + rt(0, 400), "Duty Code", "Rest Day", "RDW")

# Christmas: resourcing marks Christmas Day and Boxing Day tours (and the Christmas Eve night) as Bank Holiday
for s in list(shifts):
    if s["duty"] != "Tour":
        continue
    if s["date"] in BH or (s["date"] == D(2025, 12, 24) and s["start"].hour >= 19):
        s["duty"] = "Bank Holiday"
        add_change(s, rdp[1], L(D(2025, 12, 1), "10:00") + rt(0, 400), "Duty Code", "Tour", "Bank Holiday")

# ---------------------------------------------------------------- planted roster manipulation
EVENTS = [  # pre-planned events at Kingsmere (Op CLARION football; Op EMBER bonfire; ...)
    (D(2025, 9, 13), "11:00", "19:00"), (D(2025, 9, 27), "11:00", "19:00"), (D(2025, 10, 11), "11:00", "19:00"),
    (D(2025, 10, 25), "11:00", "19:00"), (D(2025, 11, 8), "11:00", "19:00"), (D(2025, 11, 22), "11:00", "19:00"),
    (D(2025, 12, 6), "11:00", "19:00"), (D(2025, 12, 26), "11:00", "19:00"),
    (D(2025, 11, 5), "16:00", "00:00"), (D(2025, 11, 9), "08:00", "14:00"), (D(2025, 11, 20), "15:00", "22:00"),
    (D(2025, 11, 28), "18:00", "02:00"), (D(2025, 12, 31), "19:00", "03:00"),
]


def ev_span(e):
    s = L(e[0], e[1])
    en = L(e[0], e[2])
    if en <= s:
        en += T(days=1)
    return s, en


# G2: swaps a tour off an event day (self), then works the event on overtime
G2_EVENTS = []
for e in EVENTS:
    s0, e0 = ev_span(e)
    sh = shift_on(G2, e[0])
    if sh and sh["duty"] == "Tour" and sh["start"] < e0 and s0 < sh["end"] and len(G2_EVENTS) < 3:
        for k in range(1, 9):
            nd = e[0] + T(k)
            if not shift_on(G2, nd) and not absent_on(G2, nd) and not shift_on(G2, nd - T(1)):
                old = sh["date"]
                dur = sh["end"] - sh["start"]
                sh["date"] = nd
                sh["start"] = L(nd, sh["st"])
                sh["end"] = sh["start"] + dur
                add_change(sh, G2, L(old, "20:30") - T(days=R.randint(9, 14)) + rt(0, 60), "Roster Date", old.isoformat(), nd.isoformat())
                G2_EVENTS.append(e)
                break
# H3: swaps the second night away (childcare), freeing the day on which her first night ends
H3_DAYS = []
for s in sorted(shifts_of(H3), key=lambda x: x["start"]):
    if len(H3_DAYS) >= 2:
        break
    if s["st"] == "22:00" and resp_pos(4, s["date"]) == 5 and s["date"] > D(2025, 9, 20) and not absent_on(H3, s["date"]):
        prev = shift_on(H3, s["date"] - T(1))
        if not prev or prev["st"] != "22:00" or prev["duty"] != "Tour":
            continue
        if H3_DAYS and (s["date"] - H3_DAYS[-1]).days < 25:
            continue
        for k in range(3, 5):
            nd = s["date"] + T(k)
            if not shift_on(H3, nd) and not absent_on(H3, nd) and not shift_on(H3, nd + T(1)):
                old = s["date"]
                dur = s["end"] - s["start"]
                s["date"] = nd
                s["start"] = L(nd, "22:00")
                s["end"] = s["start"] + dur
                add_change(s, H3, L(old, "13:00") - T(days=R.randint(6, 12)) + rt(0, 60), "Roster Date", old.isoformat(), nd.isoformat())
                H3_DAYS.append(old)
                break
# H4: a template copy overwrote two of her rest days as tours; she relabels them RDW herself
H4_SH = []
for d in [D(2025, 10, 3) + T(i) for i in range(28)]:
    if len(H4_SH) >= 2:
        break
    if H4_SH and (d - H4_SH[-1]["date"]).days < 6:
        continue
    if not shift_on(H4, d) and not absent_on(H4, d) and not shift_on(H4, d - T(1)) and not shift_on(H4, d + T(1)):
        s = mk_shift(H4, d, "07:00", "17:00", "RDW")
        add_change(s, rdp[2], L(D(2025, 9, 20), "11:12") + rt(0, 20), "Duty Code", "Rest Day", "Tour")
        add_change(s, H4, L(D(2025, 10, 1), "16:40") + rt(0, 30), "Duty Code", "Tour", "RDW")
        H4_SH.append(s)
# G3: custody sergeant relabels his own worked tours RDW after the event
G3_SH = []
cands = [s for s in shifts_of(G3) if s["duty"] == "Tour" and D(2025, 9, 10) < s["date"] < D(2025, 12, 15)]
for s in sorted(R.sample(cands, 4), key=lambda x: x["start"]):
    s["duty"] = "RDW"
    add_change(s, G3, s["end"] + T(days=R.randint(2, 4)) + rt(0, 300), "Duty Code", "Tour", "RDW")
    G3_SH.append(s)
# G4a relabels G4b's tours RDW (a favourite)
G4_SH = []
cands = [s for s in shifts_of(G4b) if s["duty"] == "Tour" and s["date"].weekday() in (0, 4) and D(2025, 9, 8) < s["date"] < D(2025, 12, 12)]
for s in sorted(R.sample(cands, 4), key=lambda x: x["start"]):
    s["duty"] = "RDW"
    add_change(s, G4a, s["end"] + T(days=R.randint(1, 3)) + rt(0, 300), "Duty Code", "Tour", "RDW")
    G4_SH.append(s)
# H5: attached to CID 1 Sep - 12 Oct: his patrol shifts replaced by CID days
for s in list(shifts_of(H5)):
    if s["date"] <= D(2025, 10, 12):
        remove_shift(s)
first = True
H5_SH = []
for d in DAYS:
    if d <= D(2025, 10, 12) and d.weekday() < 5 and not absent_on(H5, d):
        s = mk_shift(H5, d, "08:00", "16:00", "Tour", "KM")
        s["posting"] = "CIDK"
        H5_SH.append(s)
        if first:
            add_change(s, rdp[3], L(D(2025, 8, 22), "14:05"), "Posting", "Kingsmere Patrol Group 2", "Kingsmere CID (attachment)")
            first = False
# H17: restricted duties from 15 Sep, days at Pelham House (records review)
for s in list(shifts_of(H17)):
    if s["date"] >= D(2025, 9, 15):
        remove_shift(s)
first = True
for d in DAYS:
    if d >= D(2025, 9, 15) and d.weekday() < 5 and not absent_on(H17, d) and d not in BH:
        s = mk_shift(H17, d, "09:00", "17:00", "Tour", "PH")
        s["posting"] = "IMU"
        if first:
            add_change(s, rdp[3], L(D(2025, 9, 12), "10:20"), "Posting", "Kingsmere Patrol Group 5", "Information Management Unit (restricted duties)")
            first = False

# ---------------------------------------------------------------- cases (Niche occurrences)
cases = []
CASE_BY_OIC = {}
case_n = [0]
subj_n = [0]


def new_subject(kind="N"):
    subj_n[0] += 1
    if kind == "N":
        return "N%07d" % (3000000 + R.randint(0, 999999) * 7 % 999999 + subj_n[0] % 7)
    if kind == "V":
        L3 = "ABCDEFGHJKLMNOPRSTVWXY"
        return "VRM:%s%s%02d%s%s%s" % (R.choice("BCDFKLMNSVWY"), R.choice(L3), R.choice([15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74]),
                                       R.choice(L3), R.choice(L3), R.choice(L3))
    return "L%07d" % (8000000 + R.randint(0, 999999))


def new_case(oic, opened, prefix=None, parties=None, closed=None, vuln_p=0.12, ctype=None):
    case_n[0] += 1
    st = {"KM": "KM", "KMC": "KM", "AB": "AB", "RB": "RB", "PH": "KM"}[oic["site"]] if prefix is None else prefix
    ref = "%s/25/%06d" % (st, 10000 + case_n[0] * 13 % 89999 + case_n[0])
    if parties is None:
        parties = []
        parties.append((new_subject(), "victim", R.random() < vuln_p))
        if R.random() < 0.75:
            parties.append((new_subject(), "suspect", False))
        if R.random() < 0.4:
            parties.append((new_subject(), "witness", R.random() < vuln_p / 2))
        if R.random() < 0.2:
            parties.append((new_subject(), "other", False))
    if closed is None and R.random() < 0.8:
        closed = opened + T(days=R.randint(4, 60), hours=R.randint(0, 8))
        if closed.date() > P1:
            closed = None
    c = dict(ref=ref, oic=oic["sid"], opened=opened, closed=closed, parties=parties, unit=oic["unit"])
    cases.append(c)
    CASE_BY_OIC.setdefault(oic["sid"], []).append(c)
    return c


CASE_RATE = {"resp": 0.28, "npt": 0.12, "cid": 0.3, "days": 0.0, "spec": 0.05, "student": 0.2}
for p in people:
    if p["etype"] not in ("officer", "staff") or not p["pattern"]:
        continue
    k = p["pattern"][0]
    rate = CASE_RATE.get(k, 0.0)
    if p["unit"] == "SIU" and p["role"].startswith("Safeguarding Inv"):
        rate = 0.2
    if p["role"] == "Police Community Support Officer":
        rate = 0.04
    if p["rank"] in ("Inspector", "A/Inspector", "Det Inspector", "Sergeant", "Det Sergeant") and p["unit"] not in ("SIU",):
        rate = 0.03 if p["rank"] in ("Sergeant", "Det Sergeant") else 0.0
    if p["unit"] == "CUSK":
        rate = 0.0
    # back-catalogue: cases opened in the 2 months before the period, some still open
    for _ in range(int(rate * 25)):
        op = L(P0 - T(days=R.randint(1, 60)), "10:00") + rt(0, 400)
        new_case(p, op, vuln_p=0.35 if p["unit"] == "SIU" else 0.12)
    for s in shifts_of(p):
        if s["duty"] in ("Tour", "RDW", "Bank Holiday") and R.random() < rate and s.get("posting") is None:
            op = s["start"] + T(minutes=R.randint(30, max(31, int((s["end"] - s["start"]).total_seconds() / 60) - 60)))
            new_case(p, op, vuln_p=0.35 if p["unit"] == "SIU" else 0.12)


ARREST_CASES = sorted([c for c in cases if c["unit"] in ("PG1", "PG2", "PG3", "PG4", "PG5", "CIDK", "NKT", "NAV") and any(x[1] == "suspect" for x in c["parties"])],
                      key=lambda c: c["opened"])


def open_cases(sid, t):
    return [c for c in CASE_BY_OIC.get(sid, []) if c["opened"] <= t and (c["closed"] is None or c["closed"] >= t)]


UNIT_CASES = {}
for c in cases:
    UNIT_CASES.setdefault(c["unit"], []).append(c)


def unit_open_cases(unit, t, exclude=None):
    return [c for c in UNIT_CASES.get(unit, []) if c["oic"] != exclude and c["opened"] <= t and (c["closed"] is None or c["closed"] >= t)]


# ---------------------------------------------------------------- event stores
badge = []      # (sid or None, ident, ts_local, site, dir, cardholder)
device = []     # (sid, ts_local, kind)
lookups = []    # (sid, ts_local, system, action, subject, case)
comms = []      # (sid, ts_local, channel, counterpart, direction, dur)
EXTRA_BADGE_FINDINGS = []

NO_READER = {"KMG", "HTC", "NH"}


def b(p, t, site, direction):
    if site in NO_READER:
        return
    badge.append((p["sid"], t, site, direction))


def dev(p, t, kind):
    if p["etype"] == "special":
        return
    device.append((p["sid"], t, kind))


def look(p, t, subject, case, system=None, action=None):
    system = system or ("PNC" if subject.startswith("VRM") or R.random() < 0.25 else "Niche")
    action = action or R.choice(["QUERY", "QUERY", "VIEW", "VIEW", "VIEW", "UPDATE"] if system == "Niche" else ["QUERY"])
    lookups.append((p["sid"], t, system, action, subject, case or ""))


def cm(p, t, channel, cp, direction, dur=None):
    if dur is None:
        dur = R.randint(30, 600) if channel == "call" else 0
    comms.append((p["sid"], t, channel, cp, direction, dur))


LOOKUP_N = {"resp": (6, 16), "student": (4, 10), "npt": (3, 9), "cid": (7, 18), "days": (2, 8), "days3": (2, 6), "cust": (8, 20),
            "spec": (8, 22), "spdays": (3, 8), "special": (2, 6)}
NOREF = {"resp": 0.22, "student": 0.2, "npt": 0.18, "cid": 0.08, "days": 0.1, "days3": 0.1, "cust": 0.1, "spec": 0.55, "spdays": 0.3, "special": 0.35}


def random_time(a, b_, lo=5, hi=5):
    span = (b_ - a).total_seconds() / 60 - lo - hi
    if span <= 1:
        return a + T(minutes=lo)
    return a + T(minutes=lo + R.random() * span)


def shift_lookups(p, a, b_, scale=1.0, posting=None):
    k = p["pattern"][0] if p["pattern"] else "days"
    lo, hi = LOOKUP_N.get(k, (1, 4))
    if p["role"] == "Detention Officer":
        lo, hi = 3, 8
    if p["rank"] in ("Inspector", "Det Inspector"):
        lo, hi = 2, 7
    n = int(R.randint(lo, hi) * scale)
    noref = NOREF.get(k, 0.2)
    for _ in range(n):
        t = random_time(a, b_, 15, 15)
        if p["unit"] == "CUSK" and R.random() < 0.7:
            # custody: the detainee's custody record and PNC, citing the arrest occurrence
            oc = [c for c in ARREST_CASES if c["opened"] <= t <= c["opened"] + T(hours=30)]
            if oc:
                c = R.choice(oc)
                sus = [x for x in c["parties"] if x[1] == "suspect"]
                look(p, t, sus[0][0], c["ref"])
                continue
        if posting == "CIDK":
            oc = unit_open_cases("CIDK", t)
            if oc:
                c = R.choice(oc)
                if R.random() < 0.5:
                    subj = R.choice(c["parties"])[0]
                else:
                    subj = new_subject(R.choice("NNVL"))
                look(p, t, subj, c["ref"])
                continue
        r = R.random()
        own = open_cases(p["sid"], t)
        if r < noref or (not own and r < noref + 0.35):
            look(p, t, new_subject(R.choice("NNNV") if k != "spec" else R.choice("VVVN")), "")
        elif own and r < 0.85:
            c = R.choice(own)
            if R.random() < 0.8:
                look(p, t, R.choice(c["parties"])[0], c["ref"])
            else:
                look(p, t, new_subject(R.choice("NVL")), c["ref"])
        else:
            oc = unit_open_cases(p["unit"], t, p["sid"])
            if oc:
                c = R.choice(oc)
                look(p, t, R.choice(c["parties"])[0], c["ref"])
            else:
                look(p, t, new_subject(), "")


def shift_comms(p, a, b_):
    if p["etype"] == "special":
        return
    k = p["pattern"][0] if p["pattern"] else "days"
    n = R.randint(0, 4) if k in ("resp", "npt", "cid", "student") else R.randint(0, 2)
    for _ in range(n):
        t = random_time(a, b_, 20, 20)
        own = open_cases(p["sid"], t)
        if own and R.random() < 0.6:
            c = R.choice(own)
            pt = R.choice([x for x in c["parties"] if x[1] in ("victim", "witness")] or c["parties"])
            ch = "call" if R.random() < 0.75 else "sms"
            cm(p, t, ch, pt[0], "out", R.randint(40, 700) if ch == "call" else 0)
            if R.random() < 0.3:
                cm(p, t + T(minutes=R.randint(20, 200)), "call", pt[0], "in", R.randint(30, 400))
        else:
            ch = R.choice(["call", "call", "email", "sms"])
            cp = "TEL:07%09d" % R.randint(0, 999999999) if ch != "email" else "EMAIL:%s" % R.choice(["cps.gov.uk", "wrekinvale.gov.uk", "nhs.net", "probation.gov.uk", "schools.org.uk"])
            cm(p, t, ch, cp, R.choice(["out", "out", "in"]))


def worked_shift_presence(p, s, ghost=False):
    a, e = s["start"], s["end"]
    if s["duty"] in ("Training", "Court"):
        if R.random() < 0.3:
            dev(p, a + rt(20, 90), "login")
        return
    if ghost:
        return
    site = s["site"]
    if R.random() > 0.02:
        b(p, a - rt(3, 18), site, "in")
    if s.get("padded"):  # leaves ten minutes after the tour although he claims hours more
        b(p, e + rt(2, 11), site, "out")
        dev(p, a + rt(4, 25), "login")
        dev(p, e - rt(1, 12), "logout")
        shift_lookups(p, a, e - T(minutes=20))
        return
    if R.random() > 0.03:
        b(p, e + rt(1, 20), site, "out")
    k = p["pattern"][0] if p["pattern"] else "days"
    if k in ("resp", "npt", "student", "spec", "special") and (e - a) > T(hours=7) and R.random() < 0.6:
        mid = random_time(a, e, 120, 120)
        b(p, mid, site, "in")
        b(p, mid + rt(20, 70), site, "out")
    if R.random() > 0.03:
        dev(p, a + rt(4, 25), "login")
        dev(p, e - rt(1, 12), "logout")
    shift_lookups(p, a, e, posting=s.get("posting"))
    shift_comms(p, a, e)


# ---------------------------------------------------------------- overtime claims
claims = []
cl_n = [0]


def add_claim(p, a, e, reason, auth, status="Paid", presence=True, rate=1.33, site=None, via="Line manager",
              trace_lookups=(1, 4), case=None, badge_site=None, subs_delay=None):
    a = unamb(a)
    e = unamb(e)
    cl_n[0] += 1
    hours = round((e - a).total_seconds() / 3600 * 4) / 4
    sub = e + T(hours=R.randint(2, 40)) if subs_delay is None else e + subs_delay
    aat = sub + T(hours=R.randint(4, 96)) if auth else None
    c = dict(id="OT25-%05d" % (10000 + cl_n[0]), sid=p["sid"], start=a, end=e, hours=hours, rate=rate, reason=reason,
             sub=unamb(sub), auth=auth["sid"] if isinstance(auth, dict) else auth, aat=unamb(aat) if aat else None, status=status, via=via)
    claims.append(c)
    if presence and status != "Rejected":
        site = badge_site or site
        n = R.randint(*trace_lookups)
        for _ in range(n):
            t = random_time(a, e, 20, 10)
            own = open_cases(p["sid"], t)
            if case:
                look(p, t, R.choice(case["parties"])[0], case["ref"])
            elif own:
                c2 = R.choice(own)
                look(p, t, R.choice(c2["parties"])[0], c2["ref"])
            else:
                look(p, t, new_subject(), "")
        if site:
            b(p, e + rt(2, 15), site, "out")
    return c


def sgt_of(p):
    return BYID.get(p["lm"]) if p["lm"] else None


def other_authoriser(p, t):
    """a supervisor on duty at t other than p (used for cover)"""
    cands = [q for q in people if q["rank"] in ("Sergeant", "Inspector", "A/Inspector") and q["unit"].startswith("PG") and q is not p and busy(q, t, t + T(minutes=1))]
    return R.choice(cands) if cands else sgt_of(p)


REASON = {
    "LA": "LA - Late Arrest / Prisoner Processing", "CE": "CE - Continuing Enquiries", "PPE": "PPE - Pre-Planned Event",
    "CRD": "CRD - Court (Rest Day)", "S136": "S136 - MHA Place of Safety", "SC": "SC - Staffing Shortfall Cover",
    "RC": "RC - Recall to Duty (Short Notice)", "WV": "WV - Welfare Visit (Attendance Mgmt)", "KIT": "KIT - Keeping In Touch Day",
    "HO": "HO - Custody Handover", "FSI": "FSI - Fatal/Serious Collision Scene", "MEP": "MEP - Month-End Processing",
}

# ordinary overruns after shifts
for p in people:
    if p["etype"] != "officer" and p["role"] not in ("Detention Officer",):
        continue
    if p["rank"] in ("Inspector", "Det Inspector", "Ch Inspector", "Superintendent") or not p["pattern"]:
        continue
    if p["tag"] in ("G1", "G4b", "G10a", "G10b", "G13"):
        pass
    k = p["pattern"][0]
    for s in shifts_of(p):
        if s["duty"] in ("Training", "Court"):
            continue
        if s["end"].date() > P1 + T(0) and s["end"] > L(P1, "23:59"):
            continue
        r = R.random()
        if k in ("resp", "student") and r < 0.075:
            e = s["end"] + T(minutes=15 * R.randint(4, 14))
            auth = sgt_of(p) if p["rank"] != "Sergeant" else BYID.get(p["lm"])
            if auth is None or absent_on(auth, s["date"]):
                auth = other_authoriser(p, s["end"])
            pres = R.random() > 0.04
            custody_case = None
            c = add_claim(p, s["end"], e, REASON["LA"], auth, presence=pres, badge_site="KM")
            if pres:
                b(p, s["end"] + rt(16, 40), "KMC", "in")
                b(p, e - rt(10, 25), "KMC", "out")
        elif k in ("resp",) and r < 0.085 and p["rank"] == "Constable":
            e = s["end"] + T(minutes=15 * R.randint(12, 28))
            auth = sgt_of(p)
            add_claim(p, s["end"], e, REASON["S136"], auth, presence=R.random() < 0.25, badge_site=None, trace_lookups=(1, 2))
        elif k in ("cid",) and r < 0.09:
            e = s["end"] + T(minutes=15 * R.randint(4, 12))
            auth = BYID.get(p["lm"])
            if p is G10a:
                continue
            add_claim(p, s["end"], e, REASON["CE"], auth, presence=R.random() > 0.06, badge_site=s["site"])
        elif k in ("npt",) and r < 0.04 and p["etype"] == "officer":
            e = s["end"] + T(minutes=15 * R.randint(4, 10))
            add_claim(p, s["end"], e, REASON["CE"] if R.random() < 0.5 else REASON["LA"], BYID.get(p["lm"]), presence=R.random() > 0.06, badge_site=s["site"])
        elif k in ("spec",) and r < 0.06:
            e = s["end"] + T(minutes=15 * R.randint(4, 12))
            auth = BYID.get(p["lm"])
            if p["unit"] == "RCU" and R.random() < 0.35:
                add_claim(p, s["end"], e + T(hours=2), REASON["FSI"], auth, presence=R.random() < 0.2, trace_lookups=(1, 2))
            else:
                add_claim(p, s["end"], e, REASON["LA"], auth, presence=R.random() > 0.05, badge_site=s["site"])
        elif p["role"] == "Detention Officer" and r < 0.04:
            e = s["end"] + T(minutes=15 * R.randint(4, 8))
            auth = next((q for q in csgts + [crelief] if busy(q, s["end"] + T(minutes=5), s["end"] + T(minutes=6))), cus_insp)
            add_claim(p, s["end"], e, REASON["SC"], auth, presence=R.random() > 0.03, badge_site="KMC")
        elif p["rank"] == "Sergeant" and k in ("cust",) and r < 0.22:
            # H12: custody handover, authorised by the incoming sergeant
            e = s["end"] + T(minutes=15 * R.randint(4, 6))
            incoming = [q for q in csgts + [crelief] if q is not p and any(abs((x["start"] - s["end"]).total_seconds()) < 60 for x in shifts_of(q))]
            auth = incoming[0] if incoming else cus_insp
            add_claim(p, s["end"], e, REASON["HO"], auth, presence=R.random() > 0.03, badge_site="KMC", trace_lookups=(2, 5))

# court on rest days (warned and attended) for response / CID
for p in people:
    if p["etype"] != "officer" or p["unit"] not in ("PG1", "PG2", "PG3", "PG4", "PG5", "CIDK", "SIU", "RCU") or p["rank"] in ("Inspector", "Det Inspector", "A/Inspector"):
        continue
    for _ in range(R.choice([0, 0, 0, 1, 1, 2])):
        d = R.choice([x for x in DAYS if x.weekday() < 5])
        if shift_on(p, d) or absent_on(p, d) or not in_post(p, d) or (p["sid"], d) in FREED:
            continue
        prev = shift_on(p, d - T(1))
        if prev and prev["end"] > L(d, "02:00"):
            continue
        a = L(d, "09:30")
        e = a + T(hours=R.choice([4, 4, 5, 6.5]))
        add_claim(p, a, e, REASON["CRD"], sgt_of(p) or BYID.get(p["lm"]), presence=R.random() < 0.15, rate=1.5, trace_lookups=(1, 1))

# pre-planned events: officers on rest days work them on overtime, bulk-authorised by Ops Planning (OSG sergeant uploads)
pool = [p for p in people if p["etype"] == "officer" and p["rank"] in ("Constable", "Sergeant") and p["unit"] in ("PG1", "PG2", "PG3", "PG4", "PG5", "NKT", "NAV", "OSG")]
EVENT_WORKERS = {}
for e in EVENTS:
    s0, e0 = ev_span(e)
    free = [p for p in pool if in_post(p, e[0]) and not busy(p, s0 - T(hours=8), e0 + T(hours=8)) and not absent_on(p, e[0]) and p["tag"] not in ("G2", "G1", "G8", "G4b") and (p["sid"], e[0]) not in FREED]
    n = 8 if e[0] in (D(2025, 11, 5), D(2025, 12, 31), D(2025, 11, 28)) else 5
    ws = R.sample(free, min(n, len(free)))
    if e[0] == D(2025, 11, 28) and H10 not in ws:
        ws.append(H10)
    if osg_sgt not in ws and not busy(osg_sgt, s0, e0) and not absent_on(osg_sgt, e[0]):
        ws.append(osg_sgt)
    EVENT_WORKERS[e[0]] = ws
    for p in ws:
        if busy(p, s0, e0):
            continue
        rate = 2.0 if e[0] in BH else 1.5
        b(p, s0 - rt(5, 25), "KM", "in")
        dev(p, s0 + rt(2, 20), "login")
        pres = R.random() > 0.08
        c = add_claim(p, s0, e0, REASON["PPE"], osg_sgt, presence=pres, rate=rate, via="Bulk upload (Ops Planning)", badge_site="KM", trace_lookups=(0, 2))
        if pres:
            dev(p, e0 - rt(0, 10), "logout")
            if R.random() < 0.5:
                cm(p, random_time(s0, e0, 30, 30), "call", "TEL:07%09d" % R.randint(0, 999999999), "out", R.randint(30, 200))

# a short-notice recall: flooding at Aldbury (Op GANNET), 14 Nov 2025 — PG4 (rest day) recalled
FLOOD = (L(D(2025, 11, 14), "10:00"), L(D(2025, 11, 14), "20:00"))
for p in [PG[4]["sgt"]] + PG[4]["pcs"]:
    if busy(p, *FLOOD) or absent_on(p, D(2025, 11, 14)) or not in_post(p, D(2025, 11, 14)):
        continue
    a = FLOOD[0] + T(minutes=R.choice([0, 15, 30]))
    e = FLOOD[1] - T(minutes=R.choice([0, 30, 60]))
    b(p, a - rt(5, 20), "AB", "in")
    dev(p, a + rt(2, 15), "login")
    add_claim(p, a, e, REASON["RC"], spec_insp if p is PG[4]["sgt"] else PG[4]["sgt"], rate=1.5, badge_site="AB", trace_lookups=(3, 8))
    dev(p, e - rt(0, 10), "logout")

# staffing shortfall cover on rest days (response), with presence
for p in pool:
    if p["unit"] not in ("PG1", "PG2", "PG3", "PG4", "PG5"):
        continue
    if R.random() < 0.25:
        d = R.choice(DAYS[3:-3])
        a, e = L(d, "14:00"), L(d, "22:00")
        if busy(p, a - T(hours=9), e + T(hours=9)) or absent_on(p, d) or not in_post(p, d) or (p["sid"], d) in FREED:
            continue
        b(p, a - rt(3, 15), "KM", "in")
        dev(p, a + rt(3, 20), "login")
        add_claim(p, a, e, REASON["SC"], BYID.get(p["lm"]), rate=1.5, badge_site="KM", trace_lookups=(4, 9))
        dev(p, e - rt(0, 10), "logout")

# month-end processing for payroll/finance staff
for p in fin[1:5]:
    for m in (9, 10, 11, 12):
        if R.random() < 0.6:
            d = D(2025, m, 1) + T(days=R.randint(17, 24))
            while d.weekday() >= 5:
                d -= T(1)
            a = L(d, "17:00")
            add_claim(p, a, a + T(hours=R.choice([1.5, 2, 2.5])), REASON["MEP"], fin[0], rate=1.0, badge_site="PH", trace_lookups=(0, 1))
            device.append((p["sid"], a + rt(20, 60), "login"))

# ---------------------------------------------------------------- planted overtime
# G1: claims 'continuing enquiries' while clocked in at his second job (warehouse), no trace of work for the force
G1_CLAIMS = []
cands = [s for s in shifts_of(G1) if s["duty"] == "Tour" and s["st"] == "07:00" and s["date"] > D(2025, 9, 7)]
for s in sorted(R.sample(cands, 5), key=lambda x: x["start"]):
    a = s["end"] + T(minutes=15)
    e = a + T(hours=R.choice([3, 3.5, 4]))
    c = add_claim(G1, a, e, REASON["CE"], PG[1]["sgt"], presence=False)
    G1_CLAIMS.append(c)
rest = [d for d in DAYS if d > D(2025, 9, 15) and not shift_on(G1, d) and not absent_on(G1, d) and not shift_on(G1, d - T(1)) and resp_pos(1, d) in (7, 8)]
for d in sorted(R.sample(rest, 2)):
    a = L(d, "10:00")
    c = add_claim(G1, a, a + T(hours=4), REASON["CE"], PG[1]["sgt"], presence=False, rate=1.5)
    G1_CLAIMS.append(c)
G1_CLAIMS.sort(key=lambda c: c["start"])
# and two genuine late arrests (with trace)
for s in R.sample([s for s in shifts_of(G1) if s["st"] == "14:00"], 2):
    add_claim(G1, s["end"], s["end"] + T(hours=2), REASON["LA"], PG[1]["sgt"], badge_site="KM")
    b(G1, s["end"] + rt(16, 30), "KMC", "in")

# G2: the event overtime on the days he swapped away
G2_CLAIMS = []
for e in G2_EVENTS:
    s0, e0 = ev_span(e)
    b(G2, s0 - rt(5, 20), "KM", "in")
    dev(G2, s0 + rt(2, 15), "login")
    c = add_claim(G2, s0, e0, REASON["PPE"], osg_sgt, rate=1.5, via="Bulk upload (Ops Planning)", badge_site="KM", trace_lookups=(0, 2))
    dev(G2, e0 - rt(0, 10), "logout")
    G2_CLAIMS.append(c)

# G4b: padded 'continuing enquiries' after lates, authorised by G4a; gone ten minutes after the shift
G4B_CLAIMS = []
cands = [s for s in shifts_of(G4b) if s["st"] == "14:00" and s["duty"] == "Tour"]
for s in sorted(R.sample(cands, 5), key=lambda x: x["start"]):
    s["padded"] = True
    a = s["end"]
    c = add_claim(G4b, a, a + T(hours=R.choice([2.5, 3])), REASON["CE"], G4a, presence=False)
    G4B_CLAIMS.append(c)

# G10a / G10b: authorise each other's claims though the DI / Specialist Ops Inspector were on duty
G10_CLAIMS = {G10a["sid"]: [], G10b["sid"]: []}
for who, other in ((G10a, G10b), (G10b, G10a)):
    cands = [s for s in shifts_of(who) if s["duty"] == "Tour" and s["date"].weekday() < 4 and s["st"] in ("08:00", "14:00")]
    for i, s in enumerate(sorted(R.sample(cands, 7), key=lambda x: x["start"])):
        a = s["end"]
        e = a + T(hours=R.choice([2, 2.5, 3]))
        pres = i % 3 != 1
        c = add_claim(who, a, e, REASON["CE"] if who is G10a else REASON["SC"], other, presence=pres, badge_site=s["site"], trace_lookups=(1, 2))
        G10_CLAIMS[who["sid"]].append(c)
    # one ordinary claim authorised properly, early in the period
    s = [x for x in shifts_of(who) if x["duty"] == "Tour"][2]
    add_claim(who, s["end"], s["end"] + T(hours=1.5), REASON["CE"] if who is G10a else REASON["LA"], di if who is G10a else spec_insp, badge_site=s["site"])

# G13: acting inspector approves his own overruns (the work was done)
G13_CLAIMS = []
cands = [s for s in shifts_of(G13) if s["duty"] == "Tour" and s["st"] in ("14:00", "22:00")]
for s in sorted(R.sample(cands, 4), key=lambda x: x["start"]):
    c = add_claim(G13, s["end"], s["end"] + T(hours=R.choice([1.5, 2, 2.5])), REASON["LA"], G13, badge_site="KM", trace_lookups=(2, 5))
    b(G13, s["end"] + rt(16, 30), "KMC", "in")
    G13_CLAIMS.append(c)

# H1: three S136 waits after tours (no trace); an MH occurrence recorded for each
H1_CLAIMS = []
cands = [s for s in shifts_of(H1) if s["st"] in ("14:00", "22:00") and s["duty"] == "Tour"]
for s in sorted(R.sample(cands, 3), key=lambda x: x["start"]):
    det = new_subject()
    new_case(H1, s["end"] - T(hours=2), prefix="MH", parties=[(det, "other", True)], closed=s["end"] + T(hours=6))
    c = add_claim(H1, s["end"], s["end"] + T(hours=R.choice([5, 6, 7.5])), REASON["S136"], PG[2]["sgt"], presence=False)
    H1_CLAIMS.append(c)

# H2: welfare visits to his constable on long-term sickness
H2_CLAIMS = []
for d in (D(2025, 9, 27), D(2025, 10, 25), D(2025, 11, 22)):
    if shift_on(H2, d):
        d = d + T(1)
    a = L(d, "11:00")
    H2_CLAIMS.append(add_claim(H2, a, a + T(hours=2.5), REASON["WV"], npt_insp, presence=False, rate=1.5))

# H3: late-arrest overruns of the first night, ending on the day the swap freed
H3_CLAIMS = []
for d in H3_DAYS:
    prev = shift_on(H3, d - T(1))
    c = new_case(H3, prev["start"] + T(hours=5))
    a = prev["end"]
    e = a + T(hours=2.5)
    H3_CLAIMS.append(add_claim(H3, a, e, REASON["LA"], PG[4]["sgt"] if not absent_on(PG[4]["sgt"], d) else PG[4]["insp"], badge_site="KM", case=c, trace_lookups=(3, 6)))
    b(H3, a + rt(16, 30), "KMC", "in")

# H9: overtime on a day inside the mis-keyed sickness record (she was back at work)
s = next(x for x in shifts_of(H9) if x["date"] >= D(2025, 10, 7) and x["duty"] == "Tour")
H9_CLAIM = add_claim(H9, s["end"], s["end"] + T(hours=2.5), REASON["CE"], ds1, badge_site=s["site"], trace_lookups=(2, 4))

# H10: annual leave day, then works the Black Friday night-time economy operation (with OSG colleagues)
d = D(2025, 11, 28)
sh = shift_on(H10, d)
if sh:
    remove_shift(sh)
add_abs(H10, "0100", d, d, "", days=1.0, hours=10.0, remove=False)

# H11: two KIT days during maternity leave
H11_CLAIMS = []
for d in (D(2025, 10, 21), D(2025, 11, 18)):
    a, e = L(d, "08:00"), L(d, "16:00")
    b(H11, a - rt(3, 15), "KM", "in")
    dev(H11, a + rt(5, 20), "login")
    H11_CLAIMS.append(add_claim(H11, a, e, REASON["KIT"], di, rate=1.0, badge_site="KM", trace_lookups=(2, 6)))
    dev(H11, e - rt(0, 10), "logout")

# H5: continuing enquiries on the attachment, authorised by the CID DS
for s in R.sample(H5_SH, 2):
    oc = unit_open_cases("CIDK", s["end"])
    add_claim(H5, s["end"], s["end"] + T(hours=2), REASON["CE"], ds1, badge_site="KM", case=R.choice(oc) if oc else None)

# ---------------------------------------------------------------- presence for worked shifts
for s in list(shifts):
    p = BYID[s["sid"]]
    worked_shift_presence(p, s)

# HQ / unrostered staff: office days and home days
HQ_ATT = {}
for p in people:
    if p["pattern"] or p["etype"] == "special":
        continue
    rate = R.uniform(0.88, 0.97)
    if p is G11:
        rate = 0.33
    if p["unit"] == "PSV" and p["etype"] == "officer":
        rate = 0.9
    days_worked = 0
    for d in DAYS:
        if d.weekday() >= 5 or d in BH or not in_post(p, d) or absent_on(p, d):
            continue
        if p["fte"] < 1.0 and d.weekday() >= 3:
            continue
        office = R.random() < rate
        if p is H13 and D(2025, 10, 6) <= d <= D(2025, 10, 31):
            # faulty card: she signs in at reception on a visitor pass (the pass is not in the identity table)
            if office:
                t0 = L(d, "08:15") + rt(0, 60)
                t1 = L(d, "16:30") + rt(0, 70)
                EXTRA_BADGE_FINDINGS.append((p, t0, "PH", "in", "VIS-%03d" % R.randint(100, 130)))
                EXTRA_BADGE_FINDINGS.append((p, t1, "PH", "out", "VIS-%03d" % R.randint(100, 130)))
                device.append((p["sid"], t0 + rt(5, 15), "login"))
                device.append((p["sid"], t1 - rt(0, 10), "logout"))
            else:
                device.append((p["sid"], L(d, "08:20") + rt(0, 40), "login"))
                device.append((p["sid"], L(d, "16:40") + rt(0, 50), "logout"))
            continue
        t0 = L(d, "07:50") + rt(0, 80)
        t1 = L(d, "16:00") + rt(0, 120)
        if p is G11 and not office:
            t0 = L(d, "08:40") + rt(0, 60)
            t1 = L(d, "15:30") + rt(0, 90)
        if office:
            b(p, t0, p["site"] if p["unit"] != "CJU" else "KM", "in")
            b(p, t1, p["site"] if p["unit"] != "CJU" else "KM", "out")
        dev(p, t0 + rt(3, 15), "login")
        dev(p, t1 - rt(0, 10), "logout")
        days_worked += 1
        # systems use by role
        n = 0
        if p["role"] in ("Disclosure Officer",):
            n = R.randint(6, 18)
        elif p["role"] in ("Performance Analyst", "Lead Performance Analyst"):
            n = R.randint(0, 4)
        elif p["role"] in ("Vetting Officer",):
            n = R.randint(3, 10)
        elif p["role"] in ("Case File Officer", "Case Progression Sergeant", "PSD Investigator", "PSD Inspector"):
            n = R.randint(1, 6)
        elif p["etype"] == "officer":
            n = R.randint(0, 2)
        for _ in range(n):
            t = random_time(t0, t1, 15, 15)
            if p["role"] == "Disclosure Officer":
                look(p, t, "DSARSUBJ", "")  # placeholder, rewritten below
            elif p["role"] == "Vetting Officer":
                look(p, t, new_subject(), "VET/25/%04d" % R.randint(100, 400))
            elif p["role"] in ("Case File Officer", "Case Progression Sergeant"):
                oc = [c for c in cases if c["opened"] <= t and (c["closed"] is None or c["closed"] > t) and c["unit"].startswith("PG")]
                c = R.choice(oc) if oc else None
                look(p, t, R.choice(c["parties"])[0] if c else new_subject(), c["ref"] if c else "")
            else:
                look(p, t, new_subject(), "")
        if R.random() < 0.5:
            cm(p, random_time(t0, t1, 30, 30), "email", "EMAIL:%s" % R.choice(["wrekinvale.gov.uk", "homeoffice.gov.uk", "college.police.uk"]), "out")

# ---------------------------------------------------------------- DSAR work (IMU disclosure officers and H17)
DSARS = []
for i in range(40):
    req = new_subject()
    linked = [new_subject() for _ in range(R.randint(1, 4))]
    DSARS.append(("DSAR/25/%04d" % (380 + i), [req] + linked))
new_lk = []
dsar_i = 0
for (sid, t, sysn, act, subj, case) in lookups:
    if subj == "DSARSUBJ":
        ref, subs = DSARS[(t.toordinal() // 3 + int(sid) % 7) % len(DSARS)]
        new_lk.append((sid, t, sysn, "VIEW", R.choice(subs), ref))
    else:
        new_lk.append((sid, t, sysn, act, subj, case))
lookups[:] = new_lk
# H17's records review: each DSAR worked over several days
h17_days = [s for s in shifts_of(H17) if s.get("posting") == "IMU"]
di_ = 0
for j, s in enumerate(h17_days):
    ref, subs = DSARS[(j // 4) % len(DSARS)]
    for _ in range(R.randint(14, 28)):
        t = random_time(s["start"], s["end"], 20, 20)
        look(H17, t, R.choice(subs), ref, system="Niche", action=R.choice(["VIEW", "VIEW", "PRINT", "EXPORT", "QUERY"]))

# ---------------------------------------------------------------- planted lookups and contact
# G7: neighbour dispute - the neighbour, his wife, son, two cars, the address; no case, on duty, hardly anyone else
G7_SUBJ = [new_subject("N"), new_subject("N"), new_subject("N"), new_subject("V"), new_subject("V"), new_subject("L")]
G7_LK = []
g7_shifts = sorted([s for s in shifts_of(G7) if s["duty"] == "Tour" and s["date"] > D(2025, 9, 12)], key=lambda x: x["start"])
for s in sorted(R.sample(g7_shifts, 17), key=lambda x: x["start"]):
    for _ in range(R.choice([1, 1, 2, 2])):
        t = random_time(s["start"], s["end"], 30, 30)
        subj = R.choices(G7_SUBJ, weights=[5, 2, 2, 3, 2, 1])[0]
        look(G7, t, subj, "", system="PNC" if subj.startswith("VRM") else "Niche", action="QUERY" if subj.startswith("VRM") else R.choice(["VIEW", "QUERY", "VIEW", "PRINT"]))
        G7_LK.append(t)
# the neighbour once reported something, so one colleague has one legitimate look
new_case(NPT["NKT"]["pcs"][4], L(D(2025, 10, 3), "11:00"), parties=[(G7_SUBJ[0], "victim", False)], closed=L(D(2025, 10, 6), "15:00"))
look(NPT["NKT"]["pcs"][4], L(D(2025, 10, 3), "11:20"), G7_SUBJ[0], cases[-1]["ref"])

# G8: creates an occurrence naming his ex-partner (victim) and her new partner (suspect) as cover, and checks them for months
G8_EX, G8_NEW, G8_CAR, G8_ADDR = new_subject("N"), new_subject("N"), new_subject("V"), new_subject("L")
g8s = next(s for s in sorted(shifts_of(G8), key=lambda x: x["start"]) if s["date"] >= D(2025, 9, 8) and s["duty"] == "Tour")
G8_CASE = new_case(G8, g8s["start"] + T(hours=3, minutes=12), parties=[(G8_EX, "victim", False), (G8_NEW, "suspect", False)], closed=None)
G8_CASE["closed"] = None
G8_LK = []
cands = sorted([s for s in shifts_of(G8) if s["date"] > g8s["date"] and s["duty"] == "Tour"], key=lambda x: x["start"])
for s in sorted(R.sample(cands, min(19, len(cands))), key=lambda x: x["start"]):
    for _ in range(R.choice([1, 2, 2, 3])):
        if s["st"] == "22:00":
            t = L(s["date"] + T(1), "02:00") + rt(0, 190)
        else:
            t = random_time(s["start"], s["end"], 60, 30)
        subj = R.choices([G8_EX, G8_NEW, G8_CAR, G8_ADDR], weights=[5, 4, 2, 2])[0]
        look(G8, t, subj, G8_CASE["ref"], system="PNC" if subj.startswith("VRM") else "Niche", action=R.choice(["VIEW", "VIEW", "QUERY"]))
        G8_LK.append(t)

# G5: director of a tracing/enquiry company; a trickle of uncited person checks
G5_LK = []
cands = sorted([s for s in shifts_of(G5) if s["duty"] == "Tour"], key=lambda x: x["start"])
for s in R.sample(cands, 12):
    t = random_time(s["start"], s["end"], 60, 20)
    look(G5, t, new_subject("N"), "", system=R.choice(["PNC", "Niche"]), action="QUERY")
    G5_LK.append(t)

# G9: vulnerable domestic-abuse victim from his closed case; off-duty texts and calls, record views
G9_V = new_subject("N")
g9_case = new_case(G9, L(D(2025, 8, 11), "10:40"), prefix="AB", parties=[(G9_V, "victim", True), (new_subject(), "suspect", False)],
                   closed=L(D(2025, 9, 19), "15:10"))
for t in [L(D(2025, 9, 2), "11:05"), L(D(2025, 9, 9), "14:30"), L(D(2025, 9, 16), "10:15"), L(D(2025, 9, 19), "15:20")]:
    cm(G9, t, "call", G9_V, "out", R.randint(180, 600))
G9_CONTACT = []
start = D(2025, 10, 4)
for d in [start + T(i) for i in range(0, 88)]:
    on = shift_on(G9, d)
    wk = (d - start).days // 7
    p_day = min(0.15 + 0.06 * wk, 0.75)
    if R.random() > p_day:
        continue
    for _ in range(R.randint(1, 3 + wk // 3)):
        if on:
            t = L(d, "21:30") + rt(0, 180)
        else:
            t = L(d, "19:30") + rt(0, 300)
        cm(G9, t, "sms", G9_V, "out", 0)
        G9_CONTACT.append(t)
        if R.random() < 0.5:
            cm(G9, t + rt(2, 40), "sms", G9_V, "in", 0)
for d in (D(2025, 10, 25), D(2025, 11, 15), D(2025, 12, 6), D(2025, 12, 20)):
    t = L(d, "22:40") + rt(0, 60)
    cm(G9, t, "call", G9_V, "out", R.randint(1300, 2900))
    G9_CONTACT.append(t)
for d in (D(2025, 10, 12), D(2025, 11, 2), D(2025, 11, 23), D(2025, 12, 14), D(2025, 12, 28)):
    t = L(d, "23:10") + rt(0, 50)
    look(G9, t, G9_V, "", system="Niche", action="VIEW")
    device.append((G9["sid"], t - rt(1, 5), "login"))

# H5 uses cases; H15: fatal collision - bereaved mother is a vulnerable witness; SPOC contact to the inquest
H15_M = new_subject("N")
h15_case = new_case(H15, L(D(2025, 9, 6), "06:20"), prefix="FATAL", parties=[(H15_M, "witness", True), (new_subject(), "suspect", False), (new_subject("V"), "other", False)],
                    closed=L(D(2025, 10, 10), "12:00"))
for d in [D(2025, 9, 6), D(2025, 9, 8), D(2025, 9, 11), D(2025, 9, 16), D(2025, 9, 24), D(2025, 10, 2), D(2025, 10, 9)]:
    s = shift_on(H15, d)
    t = (s["start"] + T(hours=2) if s else L(d, "11:00")) + rt(0, 90)
    cm(H15, t, "call", H15_M, "out", R.randint(300, 1500))
H15_AFTER = []
for d, when, direction in [(D(2025, 10, 21), "18:40", "in"), (D(2025, 10, 21), "19:55", "out"), (D(2025, 11, 3), None, "out"),
                           (D(2025, 11, 12), "19:10", "in"), (D(2025, 11, 12), "20:15", "out"), (D(2025, 11, 19), None, "out"),
                           (D(2025, 11, 27), "18:05", "in"), (D(2025, 12, 4), None, "out"), (D(2025, 12, 9), "20:30", "sms_out"),
                           (D(2025, 12, 15), "19:45", "sms_out"), (D(2025, 12, 16), None, "in")]:
    s = shift_on(H15, d)
    if when is None:
        t = (s["start"] + T(hours=3) if s else L(d, "12:00")) + rt(0, 120)
    else:
        t = L(d, when) + rt(0, 10)
    if direction == "sms_out":
        cm(H15, t, "sms", H15_M, "out", 0)
    else:
        cm(H15, t, "call", H15_M, direction, R.randint(200, 700))
    H15_AFTER.append(t)

# H16: PCSO keeps on-duty welfare calls to an elderly repeat ASB victim after the case closed; a new case in November
H16_V = new_subject("N")
new_case(H16, L(D(2025, 8, 20), "10:00"), prefix="AB", parties=[(H16_V, "victim", True), (new_subject(), "suspect", False)], closed=L(D(2025, 9, 12), "14:00"))
new_case(H16, L(D(2025, 11, 10), "09:40"), prefix="AB", parties=[(H16_V, "victim", True)], closed=None)
for s in sorted(shifts_of(H16), key=lambda x: x["start"]):
    if s["date"] >= D(2025, 9, 1) and s["date"].weekday() == 2:
        t = s["start"] + T(hours=R.randint(1, 5)) + rt(0, 50)
        cm(H16, t, "call", H16_V, "out", R.randint(120, 480))
        if R.random() < 0.35:
            cm(H16, t + T(days=R.randint(1, 2), hours=R.randint(-2, 2)), "call", H16_V, "in", R.randint(60, 300))

# H20: MARAC coordinator - high-risk victims/perpetrators checked before each fortnightly MARAC, citing the MARAC reference
MARAC_DAYS = [D(2025, 9, 9) + T(14 * i) for i in range(9)]
siu_parties = [pt for c in cases if c["unit"] == "SIU" for pt in c["parties"] if pt[1] in ("victim", "suspect")]
resp_da = [pt for c in cases if c["unit"].startswith("PG") for pt in c["parties"] if pt[1] == "victim" and pt[2]]
repeat_cohort = R.sample(siu_parties, 10) + R.sample(resp_da, 6)
for i, md in enumerate(MARAC_DAYS):
    agenda = R.sample(repeat_cohort, 8) + R.sample(siu_parties + resp_da, 6)
    for prep in (md - T(4), md - T(1)):
        if prep.weekday() >= 5 or absent_on(H20, prep) or not shift_on(H20, prep):
            continue
        s = shift_on(H20, prep)
        for subj in agenda:
            for _ in range(R.randint(1, 2)):
                look(H20, random_time(s["start"], s["end"], 20, 20), subj[0], "MARAC/25/%02d" % (17 + i), system=R.choice(["Niche", "Niche", "PNC"]), action="VIEW")

# H22: neighbourhood problem-solving plan (Orchard Way): the same few residents and vehicles, citing the PSP reference
PSP = "PSP/KT/25/014"
PSP_SUBJ = [new_subject("N") for _ in range(5)] + [new_subject("V") for _ in range(3)] + [new_subject("L") for _ in range(2)]
for s in sorted(shifts_of(H22), key=lambda x: x["start"]):
    if s["date"] < D(2025, 9, 8):
        continue
    if R.random() < 0.55:
        for _ in range(R.randint(1, 3)):
            subj = R.choice(PSP_SUBJ)
            look(H22, random_time(s["start"], s["end"], 30, 30), subj, PSP, system="PNC" if subj.startswith("VRM") else "Niche", action=R.choice(["VIEW", "QUERY", "UPDATE"]))
for q in NPT["NKT"]["pcsos"] + [NPT["NKT"]["pcs"][2]]:
    for s in R.sample(shifts_of(q), min(4, len(shifts_of(q)))):
        subj = R.choice(PSP_SUBJ)
        look(q, random_time(s["start"], s["end"], 30, 30), subj, PSP, system="PNC" if subj.startswith("VRM") else "Niche")

# ordinary: calls/texts with vulnerable victims just after closure (within a fortnight), on duty
for c in R.sample([c for c in cases if c["closed"] and any(pt[2] for pt in c["parties"])], 25):
    p = BYID[c["oic"]]
    d = (c["closed"] + T(days=R.randint(2, 12))).date()
    s = shift_on(p, d)
    if s:
        pt = next(pt for pt in c["parties"] if pt[2])
        cm(p, s["start"] + T(hours=2) + rt(0, 120), "call", pt[0], "out", R.randint(60, 500))

# ---------------------------------------------------------------- identities, declarations, records, complaints
identities = []
CARD = {}
UPN = {}
for p in people:
    card = "%d%05d" % (R.choice([21, 22, 23]), R.randint(0, 99999))
    while card in CARD.values():
        card = "%d%05d" % (R.choice([21, 22, 23]), R.randint(0, 99999))
    CARD[p["sid"]] = card
    vf = max(p["start"], D(2019, 1, 1))
    if p is H13:
        identities.append(("gallagher", card, p["sid"], vf.isoformat(), "2025-10-05"))
        newc = "24%05d" % R.randint(0, 99999)
        identities.append(("gallagher", newc, p["sid"], "2025-11-03", ""))
        CARD[p["sid"] + "#new"] = newc
    else:
        identities.append(("gallagher", card, p["sid"], vf.isoformat(), p["end"].isoformat() if p["end"] else ""))
    base = "%s.%s" % (p["fn"].lower(), p["sn"].lower())
    upn = base + "@wrekinvale.police.uk"
    k = 2
    while upn in UPN.values():
        upn = "%s%d@wrekinvale.police.uk" % (base, k)
        k += 1
    UPN[p["sid"]] = upn
    if p["etype"] != "special":
        identities.append(("intune", upn.upper() if R.random() < 0.1 else upn, p["sid"], vf.isoformat(), p["end"].isoformat() if p["end"] else ""))
DEVICE_ID = {p["sid"]: "%08x-%04x-4%03x-a%03x-%012x" % (R.getrandbits(32), R.getrandbits(16), R.getrandbits(12), R.getrandbits(12), R.getrandbits(48)) for p in people}
DEVICE_NAME = {p["sid"]: "WV-%s-%04d" % ("MOB" if p["pattern"] else "LT", R.randint(1000, 9999)) for p in people}

declarations = []
dn = [0]


def declare(p, kind, cp, when, status="Approved"):
    dn[0] += 1
    declarations.append(("DEC-%05d" % (2000 + dn[0]), p["sid"], kind, cp, when, status))


BUSINESS = ["Buy-to-let flat, Wellington (one property)", "Self-employed driving instructor", "Personal trainer (sole trader)", "Wedding photography (sole trader)",
            "Holiday let cottage, Church Stretton", "Mobile dog grooming", "Joinery and kitchen fitting (weekends)", "Rental property - 2 houses, Telford",
            "Part-time bar work, The Swan Inn", "Football referee (FA grassroots)", "Music tuition (guitar)", "Beauty therapist (home salon)",
            "Saturday retail assistant, Next plc", "Sports massage therapist", "Eggs and smallholding produce sales"]
external = []
en_ = [0]


def ext(kind, cp, source, when, strength="confirmed", sid="", name="", dob="", activity="", **extra):
    en_[0] += 1
    external.append(dict(record_id="EXT-%05d" % (900 + en_[0]), kind=kind, counterparty=cp, source=source, observed_at=when, strength=strength,
                         staff_id=sid, full_name=name, date_of_birth=dob, activity=activity, **extra))


for p in people:
    if p["tag"] or p["etype"] == "special":
        continue
    if R.random() < (0.13 if p["etype"] == "officer" else 0.08):
        bz = R.choice(BUSINESS)
        when = "%s" % (D(R.randint(2019, 2025), R.randint(1, 12), R.randint(1, 28)).isoformat())
        if when > "2025-12-20":
            when = "2025-06-01"
        declare(p, "Secondary Employment" if R.random() < 0.5 else "Business Interest", bz, when)
        if "2 houses" in bz or "Holiday let" in bz:
            ext("directorship", bz.split(",")[0].replace("Rental property - 2 houses", "%s Property Holdings Ltd" % p["sn"]).replace("Holiday let cottage", "%s Holiday Lets Ltd" % p["sn"]),
                "Companies House officer appointments", "2025-%02d-15" % R.randint(9, 11), name="%s, %s" % (p["sn"].upper(), p["fn"]),
                dob=p["dob"].isoformat(), activity="68209 Other letting and operating of own or leased real estate")
            declarations[-1] = declarations[-1][:3] + ("%s Property Holdings Ltd" % p["sn"] if "2 houses" in bz else "%s Holiday Lets Ltd" % p["sn"],) + declarations[-1][4:]
    if R.random() < 0.02:
        declare(p, "Association/Membership", R.choice(["Kingsmere Rotary Club", "Wrekin Lodge No. 3151 (Freemasons)", "Aldbury Golf Club"]), "2025-%02d-%02d" % (R.randint(1, 11), R.randint(1, 28)))
    if R.random() < 0.03:
        declare(p, "Gift/Hospitality", R.choice(["Box of chocolates from victim's family (declined)", "Supplier lunch - Motorola Solutions"]), "2025-%02d-%02d" % (R.randint(9, 12), R.randint(1, 28)))
    if R.random() < 0.015:
        declare(p, "Relationship", "Partner employed by Wrekin Vale Council licensing team", "2024-%02d-%02d" % (R.randint(1, 12), R.randint(1, 28)))
# a refused declaration (ordinary)
declare(PG[2]["pcs"][1], "Secondary Employment", "Door supervisor, Kingsmere night-time economy", "2025-09-22", "Refused")
# planted
declare(G1, "Secondary Employment", "Harrowgate Distribution Ltd - warehouse supervisor (weekends only)", "2023-04-18", "Approved")
for c in G1_CLAIMS:
    clock_in = c["start"] + rt(10, 30)
    ext("employment", "Harrowgate Distribution Ltd", "Employer timesheet (clocking record) obtained by PSD", clock_in.strftime("%Y-%m-%dT%H:%M"), sid=G1["sid"],
        activity="52103 Operation of warehousing and storage facilities", clock_in=clock_in.strftime("%H:%M"), clock_out=(c["end"] + rt(-15, 20)).strftime("%H:%M"))
ext("directorship", "Corvid Tracing & Enquiry Services Ltd", "Companies House officer appointments", "2025-10-14", name="%s, %s" % (G5["sn"].upper(), G5["fn"]),
    dob=G5["dob"].isoformat(), activity="80300 Investigation activities", appointed_on="2025-03-02")
for t in (L(D(2025, 10, 25), "23:40"), L(D(2025, 11, 8), "23:15")):
    ext("employment", "Citadel Door Services Ltd", "Licensing Unit premises visit - door staff sighting (SIA badge checked)", t.strftime("%Y-%m-%dT%H:%M"),
        name="%s %s" % (G6["fn"], G6["sn"]), dob=G6["dob"].isoformat(), activity="80100 Private security activities", venue="Revolution Bar, Kingsmere")
declare(G8, "Relationship", "Kelly Marsden - former partner (relationship ended June 2025); her brother has convictions", "2024-02-09", "Approved")
ext("directorship", "SK Aesthetics Clinic Ltd", "Credit reference agency directorship report", "2025-11-06", name="KHAN, Sarah", dob="1990-05-12",
    activity="96020 Hairdressing and other beauty treatment", correspondence_address="Unit 4, Canal Wharf, Leeds LS11 5PS")
ext("directorship", "Aldbury Valley Learning Trust", "Companies House officer appointments", "2025-09-30", name="%s, %s" % (H7f["sn"].upper(), H7f["fn"]),
    dob=H7f["dob"].isoformat(), activity="85310 General secondary education - academy trust, exempt charity (trustees unpaid)")
declare(H7i, "Secondary Employment", "Kumon Aldbury Study Centre - classroom assistant (Saturday mornings)", "2024-02-10")
ext("employment", "Sandhu Learning Ltd", "HMRC RTI employment match (payroll)", "2025-10-31", sid=H7i["sid"], activity="85590 Other education",
    trading_name="Kumon Maths & English - Aldbury Study Centre", gross_pay_period="412.50")
declare(H8, "Secondary Employment", "Vivid Leisure Trust (Aldbury Leisure Centre) - swimming teacher", "2022-06-01")
ext("employment", "Vivid Leisure Trust", "HMRC RTI monthly return (payroll)", "2025-11-05", sid=H8["sid"], activity="93110 Operation of sports facilities",
    trading_name="Aldbury Leisure Centre", gross_pay_period="0.00")
# ordinary: some declared jobs also seen in RTI
for dcl in R.sample([x for x in declarations if x[2] == "Secondary Employment" and x[5] == "Approved" and BYID[x[1]]["tag"] is None], 4):
    ext("employment", dcl[3], "HMRC RTI monthly return (payroll)", "2025-%02d-05" % R.randint(9, 12), sid=dcl[1])

complaints = []
for i, p in enumerate(R.sample([q for q in people if q["etype"] == "officer" and q["pattern"] and q["tag"] is None], 16)):
    complaints.append(("PSD-C-25-%04d" % (600 + i), p["sid"], "2025-%02d-%02d" % (R.randint(9, 12), R.randint(1, 28)),
                       R.choice(["Incivility during stop", "Delay in updating victim", "Use of force at arrest", "Property not returned", "Failure to investigate",
                                 "Driving manner (police vehicle)"]), R.choice(["Not Upheld", "Not Upheld", "Ongoing", "Upheld", "Withdrawn"])))
complaints.append(("PSD-C-25-0650", G8["sid"], "2025-12-03", "Former partner alleges officer knows her movements and new address; harassment", "Ongoing"))

# ---------------------------------------------------------------- writing
if os.path.isdir(OUT):
    shutil.rmtree(OUT)
os.makedirs(OUT)
os.makedirs(FIND, exist_ok=True)


def write(name, header, rows, crlf=False, bom=False, delim=","):
    with open(os.path.join(OUT, name), "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as f:
        w = csv.writer(f, delimiter=delim, lineterminator="\r\n" if crlf else "\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)


def toml(name, text):
    with open(os.path.join(OUT, name), "w") as f:
        f.write(text.strip() + "\n")


write("sites.csv", ["site_id", "name", "kind", "lat", "lon"], SITES)
write("units.csv", ["unit_id", "name", "unit_type", "command", "site_id"], [(u[0], u[1], u[2], u[3], u[4]) for u in UNITS])
# HR extract
write("people.csv", ["Staff ID", "Rank/Grade", "Role", "Unit Code", "Employment Type", "FTE", "Start Date", "End Date", "Hybrid Worker", "Line Manager", "Name", "DOB"],
      [(p["sid"], p["rank"], p["role"], p["unit"], {"officer": "Officer", "staff": "Staff", "special": "Special"}[p["etype"]], "%.2f" % p["fte"], p["start"].isoformat(),
        p["end"].isoformat() if p["end"] else "", "Y" if p["hybrid"] else "N", p["lm"] or "", "%s, %s" % (p["sn"], p["fn"]), p["dob"].isoformat()) for p in people],
      crlf=True, bom=True)
toml("people.format.toml", """
[columns]
unit_id = "Unit Code"
hybrid_policy = "Hybrid Worker"
line_manager_id = "Line Manager"
display_name = "Name"
date_of_birth = "DOB"
[values.employment_type]
"Special" = "special"
""")
# roster (TeleStaff-style: date once, times alone)
DUTY = {"Tour": "TOUR", "RDW": "RDW", "Bank Holiday": "BH", "Training": "TRG", "Court": "CRT"}
rows = []
for s in sorted(shifts, key=lambda x: (x["start"], x["sid"])):
    rows.append((s["id"], s["sid"], s["start"].date().isoformat(), s["start"].strftime("%H:%M"), s["end"].strftime("%H:%M"), DUTY[s["duty"]],
                 {"KM": "KING", "KMC": "KCUS", "AB": "ALDB", "PH": "PELH", "RB": "TOLL", "KMG": "KCRT", "HTC": "HARN", "NH": "NGHB"}[s["site"]],
                 "1"))
write("shifts.csv", ["Shift Ref", "Staff ID", "Roster Date", "Start", "End", "Duty Code", "Location", "Working?"], rows)
toml("shifts.format.toml", """
day_column = "Roster Date"
overnight_ends = true
[columns]
shift_id = "Shift Ref"
duty_type = "Duty Code"
site_id = "Location"
[values.duty_type]
"TOUR" = "normal"
"RDW" = "rest_day_working"
"BH" = "bank_holiday"
"TRG" = "training"
"CRT" = "court"
[values.site_id]
"KING" = "KM"
"KCUS" = "KMC"
"ALDB" = "AB"
"PELH" = "PH"
"TOLL" = "RB"
"KCRT" = "KMG"
"HARN" = "HTC"
"NGHB" = "NH"
[skip]
"Working?" = ["0"]
""")
live_ids = {s["id"] for s in shifts}
RCH = ["Change ID", "Shift Ref", "Staff ID", "Changed By", "Changed At", "Field", "Old Value", "New Value"]


def rc_row(c):
    return (c["id"], c["shift"], c["sid"], c["by"], c["at"].strftime("%Y-%m-%d %H:%M:%S"), c["field"], c["old"], c["new"])


write("roster_changes.csv", RCH, [rc_row(c) for c in sorted(changes, key=lambda x: x["at"]) if c["shift"] in live_ids])
# the roster system's audit log keeps edits of entries later deleted (a posting or leave replaced the tour):
# a real export holds them; they cannot load (dangling shift reference), so they are kept here, not in data/
with open(os.path.join(FIND, "roster_changes_of_deleted_shifts.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(RCH)
    w.writerows([rc_row(c) for c in sorted(changes, key=lambda x: x["at"]) if c["shift"] not in live_ids])
toml("roster_changes.format.toml", """
[columns]
shift_id = "Shift Ref"
""")
# overtime (finance export opened and saved in Excel: day-first, leading zeros lost)


def dfirst(x):
    return x.strftime("%d/%m/%Y %H:%M") if x else ""


STATUS = {"Paid": "Paid", "Rejected": "Rejected", "Pending": "Awaiting Auth", "Authorised": "Authorised"}
rows = []
for c in sorted(claims, key=lambda x: x["start"]):
    st = c["status"]
    auth, aat = c["auth"], c["aat"]
    if st == "Paid" and c["end"] > L(D(2025, 12, 20), "00:00") and not BYID[c["sid"]]["tag"]:
        st = "Pending" if R.random() < 0.5 else "Authorised"
        if st == "Pending":
            auth, aat = "", None
    if st == "Paid" and c["sid"] not in {q["sid"] for q in people if q["tag"]} and R.random() < 0.015:
        st = "Rejected"
    c["status_out"] = st
    rows.append((c["id"], str(int(c["sid"])), c["start"].strftime("%d/%m/%Y"), dfirst(c["start"]), dfirst(c["end"]), "%.2f" % c["hours"], "%.2f" % c["rate"], c["reason"],
                 dfirst(c["sub"]), str(int(auth)) if auth else "", dfirst(aat), STATUS[st], c["via"]))
write("overtime_claims.csv", ["Claim Ref", "Officer No", "Duty Date", "Start", "End", "Hours", "Rate", "Reason Code", "Submitted", "Authorised By", "Authorised On",
                              "Claim Status", "Authorisation Route"], rows, crlf=True)
toml("overtime_claims.format.toml", """
timestamps = "day-first"
[columns]
claim_id = "Claim Ref"
staff_id = "Officer No"
submitted_at = "Submitted"
authorised_at = "Authorised On"
status = "Claim Status"
[values.status]
"Paid" = "approved"
"Authorised" = "approved"
"Awaiting Auth" = "pending"
"Rejected" = "rejected"
[zero_pad]
staff_id = 8
authorised_by = 8
""")
# absences: SAP PA2001 extract
write("absences.csv", ["DOCNR", "PERNR", "AWART", "BEGDA", "ENDDA", "ABWTG", "ABMST", "Reason"],
      [(a["id"], a["sid"], a["code"], a["d0"].strftime("%Y%m%d"), a["d1"].strftime("%Y%m%d"), "%.2f" % a["days"], "%.2f" % a["hours"], a["reason"])
       for a in sorted(absences, key=lambda x: (x["d0"], x["sid"]))])
toml("absences.format.toml", """
timestamps = "yyyymmdd"
[columns]
absence_id = "DOCNR"
staff_id = "PERNR"
type = "AWART"
start = "BEGDA"
end = "ENDDA"
days = "ABWTG"
hours = "ABMST"
reason_category = "Reason"
[values.type]
"0100" = "annual_leave"
"0110" = "other"
"0200" = "sickness"
"0210" = "sickness"
"0220" = "other"
"0300" = "compassionate"
"0500" = "parental"
"0600" = "training"
""")
# badge events: Gallagher REST export flattened, UTC, card numbers, monthly parts
ZONE = {"KM": "Kingsmere Station - Main Door", "KMC": "Kingsmere Custody - Secure Lobby", "AB": "Aldbury Station - Staff Entrance",
        "PH": "Pelham House - Reception Turnstiles", "RB": "Tollgate Base - Yard Door"}
seen = set()
by_month = {}
bn = 0
for (sid, t, site, direction) in sorted(badge, key=lambda x: x[1]):
    key = (sid, t.replace(microsecond=0), site, direction)
    if key in seen:
        continue
    seen.add(key)
    p = BYID[sid]
    card = CARD[sid]
    if p is H13 and t.date() >= D(2025, 11, 3):
        card = CARD[sid + "#new"]
    if p is H13 and D(2025, 10, 6) <= t.date() < D(2025, 11, 3):
        continue
    if p["end"] and t.date() > p["end"] + T(1):
        continue
    bn += 1
    by_month.setdefault(t.month if t.year == 2025 else 12, []).append(("%d" % (81000000 + bn), iso_z(t), "Card entry granted" if direction == "in" else "Card exit granted", card,
                                             "%s, %s" % (p["sn"], p["fn"]), ZONE[site]))
# a few denied reads (a card not yet enabled at a door)
for m in by_month:
    for _ in range(6):
        r = list(R.choice(by_month[m]))
        r[0] = "%d" % (82000000 + R.randint(0, 999999))
        r[2] = "Card access denied"
        by_month[m].append(tuple(r))
    by_month[m].sort(key=lambda r: r[1])
MONTHN = {9: "September", 10: "October", 11: "November", 12: "December"}
for m, rows in by_month.items():
    write("Badge Events - %s 2025.csv" % MONTHN[m], ["Event ID", "Time", "Event Type", "Card Number", "Cardholder", "Access Zone"], rows)
toml("badge_events.format.toml", """
[columns]
ts = "Time"
direction = "Event Type"
identifier = "Card Number"
site_id = "Access Zone"
[fill]
system = "gallagher"
[values.direction]
"Card entry granted" = "in"
"Card exit granted" = "out"
[skip]
direction = ["Card access denied"]
[values.site_id]
"Kingsmere Station - Main Door" = "KM"
"Kingsmere Custody - Secure Lobby" = "KMC"
"Aldbury Station - Staff Entrance" = "AB"
"Pelham House - Reception Turnstiles" = "PH"
"Tollgate Base - Yard Door" = "RB"
""")
# the visitor-pass rows as the gate system exported them (not resolvable to a person)
with open(os.path.join(FIND, "badge_visitor_passes_H13.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Event ID", "Time", "Event Type", "Card Number", "Cardholder", "Access Zone"])
    for i, (p, t, site, direction, vis) in enumerate(sorted(EXTRA_BADGE_FINDINGS, key=lambda x: x[1])):
        w.writerow(["%d" % (83000000 + i), iso_z(t), "Card entry granted" if direction == "in" else "Card exit granted", vis, "VISITOR PASS (RECEPTION)", ZONE[site]])
# devices: Intune-ish sign-in log with offsets and 7-digit fractions
rows = []
seen = set()
for (sid, t, kind) in sorted(device, key=lambda x: x[1]):
    p = BYID[sid]
    if p["etype"] == "special":
        continue
    if p["end"] and t.date() > p["end"] + T(1):
        continue
    key = (sid, t.replace(microsecond=0), kind)
    if key in seen:
        continue
    seen.add(key)
    s = aware(t.replace(microsecond=0)).isoformat()
    s = s[:19] + ".%07d" % R.randint(0, 9999999) + s[19:]
    rows.append((UPN[sid], DEVICE_NAME[sid], DEVICE_ID[sid], s, "SignIn" if kind == "login" else "SignOut"))
write("device_events.csv", ["UPN", "DeviceName", "DeviceId", "EventTime", "EventType"], rows)
toml("device_events.format.toml", """
[columns]
identifier = "UPN"
device_id = "DeviceId"
ts = "EventTime"
kind = "EventType"
[fill]
system = "intune"
[values.kind]
"SignIn" = "login"
"SignOut" = "logout"
""")
# police-systems audit (Niche + PNC), monthly parts, local time with offset
by_month = {}
for i, (sid, t, sysn, act, subj, case) in enumerate(sorted(lookups, key=lambda x: x[1])):
    p = BYID[sid]
    if p["end"] and t.date() > p["end"] + T(1):
        continue
    by_month.setdefault(t.month if t.year == 2025 else 12, []).append(("AUD%08d" % (4000000 + i), sid, iso_off(t.replace(microsecond=0)), sysn, act, subj, case))
for m, rows in by_month.items():
    if m not in MONTHN:
        continue
    write("system_access_2025-%02d.csv" % m, ["Audit ID", "User ID", "Timestamp", "System", "Action", "Subject", "Case Ref"], rows)
toml("system_access.format.toml", """
[columns]
event_id = "Audit ID"
staff_id = "User ID"
ts = "Timestamp"
subject_ref = "Subject"
case_ref = "Case Ref"
[values.action]
"QUERY" = "search"
"VIEW" = "view"
"UPDATE" = "update"
"PRINT" = "print"
"EXPORT" = "export"
""")
rows = []
seen = set()
for i, (sid, t, ch, cp, direction, dur) in enumerate(sorted(comms, key=lambda x: x[1])):
    p = BYID[sid]
    if p["end"] and t.date() > p["end"] + T(1):
        continue
    rows.append(("CDR%07d" % (100000 + i), sid, iso_z(t), ch, cp, direction, dur if ch == "call" else ""))
write("comms_events.csv", ["event_id", "staff_id", "ts", "channel", "counterpart_ref", "direction", "duration_s"], rows)
# Niche occurrences / nominal involvements
rows = []
seen = set()
AMBIG_CASES = []
INV = {"victim": "Victim", "witness": "Witness", "suspect": "Suspect", "other": "Person Reporting"}
for c in cases:
    for (subj, role, vul) in c["parties"]:
        k = (c["ref"], subj, role)
        if k in seen:
            continue
        seen.add(k)
        def cts(x):
            if x is None:
                return ""
            if ambiguous(x):  # Niche writes local time; in the repeated hour the main data carries the offset (see ingest-findings)
                AMBIG_CASES.append((c["ref"], subj, x.strftime("%Y-%m-%d %H:%M")))
                return iso_off(x)[:16] + iso_off(x)[19:]
            return x.strftime("%Y-%m-%d %H:%M")
        rows.append((c["ref"], subj, INV[role] if not (role == "other" and c["ref"].startswith("MH")) else "Detained Person", "Y" if vul else "N", c["oic"],
                     cts(c["opened"]), cts(c["closed"])))
write("case_parties.csv", ["Occurrence Ref", "Nominal Ref", "Involvement", "Vulnerable", "OIC", "Created", "Finalised"], rows)
toml("case_parties.format.toml", """
[columns]
case_ref = "Occurrence Ref"
subject_ref = "Nominal Ref"
role = "Involvement"
vulnerable = "Vulnerable"
officer_in_case = "OIC"
opened = "Created"
closed = "Finalised"
[values.role]
"Person Reporting" = "other"
"Detained Person" = "other"
""")
with open(os.path.join(FIND, "case_parties_ambiguous_local_times.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Occurrence Ref", "Nominal Ref", "time as Niche writes it (local, no offset)"])
    w.writerows(AMBIG_CASES)
write("declarations.csv", ["declaration_id", "staff_id", "kind", "counterparty", "declared_at", "status"], declarations)
toml("declarations.format.toml", """
[values.kind]
"Business Interest" = "business_interest"
"Secondary Employment" = "secondary_employment"
"Association/Membership" = "membership"
"Relationship" = "relationship"
"Gift/Hospitality" = "gift_hospitality"
[values.status]
"Under Review" = "pending"
""")
xcols = ["record_id", "kind", "counterparty", "source", "observed_at", "strength", "staff_id", "full_name", "date_of_birth", "activity"]
extra = []
for r in external:
    for k in r:
        if k not in xcols and k not in extra:
            extra.append(k)
write("external_records.csv", xcols + extra, [[r.get(k, "") for k in xcols + extra] for r in external])
write("complaints.csv", ["complaint_id", "staff_id", "received_at", "allegation", "outcome"], complaints)
toml("complaints.format.toml", """
[values.outcome]
"Upheld" = "upheld"
"Not Upheld" = "not_upheld"
"Ongoing" = "pending"
"Withdrawn" = "withdrawn"
""")
write("identities.csv", ["system", "identifier", "staff_id", "valid_from", "valid_to"], identities)

# ---------------------------------------------------------------- truth
def fmt(ts):
    return ts.strftime("%Y-%m-%d %H:%M")


truth = {}
G = {
    "G1": ("overtime_no_presence_second_job", "gross_misconduct_assessment",
           "7 'CE - Continuing Enquiries' claims (5 after early tours, 2 on rest days; %s .. %s) with no badge/device/systems/comms trace; employer clocking records (external_records, Harrowgate Distribution Ltd) show him at his declared warehouse job in those hours; sergeant authorised" % (fmt(G1_CLAIMS[0]["start"]), fmt(G1_CLAIMS[-1]["start"]))),
    "G2": ("rest_day_swap_then_event_overtime", "misconduct_assessment",
           "self-made 'Roster Date' swaps moved his tour off %s (event days), then claimed PPE overtime at time-and-a-half for the same days (Casey 'racket')" % ", ".join(e[0].isoformat() for e in G2_EVENTS)),
    "G3": ("self_roster_premium_edits", "misconduct_assessment",
           "custody sergeant relabelled 4 of his own worked tours Tour->RDW 2-4 days afterwards (%s); no rest day behind any" % ", ".join(s["date"].isoformat() for s in G3_SH)),
    "G4a": ("supervisor_inflating_favourite", "misconduct_assessment",
            "NPT sergeant made 4 Tour->RDW edits on one constable's roster (%s) and authorised that constable's 5 padded claims" % ", ".join(s["date"].isoformat() for s in G4_SH)),
    "G4b": ("padded_claims_favoured_by_supervisor", "misconduct_assessment",
            "5 'CE' claims of 2.5-3h after late tours with no trace after the shift's badge-out; all authorised by his sergeant (G4a), who also relabelled 4 of his tours as RDW"),
    "G5": ("undeclared_business_interest_private_investigation", "gross_misconduct_assessment",
           "Companies House: director of Corvid Tracing & Enquiry Services Ltd (SIC 80300 investigation) since Mar 2025, linked by name+DOB, never declared; 12 uncited person checks on PNC/Niche spread over the period"),
    "G6": ("working_while_sick_door_supervisor", "gross_misconduct_assessment",
           "certified sickness 20 Oct-14 Nov (back); Licensing Unit saw him working the door for Citadel Door Services Ltd on 25 Oct and 8 Nov (SIA badge checked); job never declared"),
    "G7": ("repeated_lookups_neighbour", "misconduct_assessment",
           "%d uncited PNC/Niche lookups of the same 6 subjects (a neighbour, his family, their 2 cars, the address) on 17 days; only one colleague looked one of them up once, for a closed 3-day case" % len(G7_LK)),
    "G8": ("cover_case_lookups_ex_partner", "gross_misconduct_assessment",
           "created %s naming his declared ex-partner (victim) and her new partner (suspect), never finalised, nobody else works it; %d lookups citing it on ~19 tours, many 02:00-05:00 on nights; her complaint of 3 Dec alleges he knows her movements" % (G8_CASE["ref"], len(G8_LK))),
    "G9": ("apsp_vulnerable_victim_after_case", "criminal_referral",
           "OIC of %s (vulnerable DA victim, finalised 19 Sep); from 4 Oct %d off-duty/late texts and 4 long late calls from his work phone, escalating, and 5 late-night Niche views of her record with no case" % (g9_case["ref"], len(G9_CONTACT))),
    "G10a": ("reciprocal_authorisation_cross_unit", "misconduct_assessment",
             "CID DS; all 7 of his CE claims (Sep-Dec) were authorised by the Roads Crime sergeant (another unit, another command) and he authorised all 7 of that sergeant's, while his DI and the other DS authorise every other CID claim and were at work; 2 of his claims have no trace at all"),
    "G10b": ("reciprocal_authorisation_cross_unit", "misconduct_assessment",
             "Roads Crime sergeant; all 7 of his SC claims authorised by the CID DS (G10a) and vice versa, though the Specialist Operations Inspector (his line manager, weekdays) authorises the rest of the unit's claims; response sergeants were on duty at every claim; 2 claims have no trace"),
    "G11": ("office_attendance_below_rule", "advice",
            "Chief Inspector on the hybrid rule (4 days in 5) badged into an office on about a third of available days all period; no leave or adjustment recorded; device sign-ins from home the other days"),
    "G13": ("self_authorised_claims", "advice",
            "acting inspector authorised 4 of his own late-arrest overtime claims; custody badge and systems activity show the work was done"),
}
H = {
    "H1": ("overtime_no_presence", "3 'S136 - MHA Place of Safety' claims of 5-7.5h after tours with no trace; each follows an MH occurrence he recorded for the detained person (case_parties 'MH/25/...', Detained Person) and other response officers' S136 claims mostly leave no trace either", "yes"),
    "H2": ("overtime_no_presence / rest-day overtime", "3 'WV - Welfare Visit' claims of 2.5h on rest days with no trace: home visits to his constable on long-term sickness (absences 15 Sep-30 Nov, line manager = him), authorised by the NPT Inspector", "yes"),
    "H3": ("rest_day_swap_overtime (twice)", "twice swapped her second night away herself; the freed day then carries a late-arrest overtime claim 07:00-09:30, which is the overrun of the previous night tour ending 07:00 that day (custody badge and case lookups in the hours)", "yes"),
    "H4": ("roster_premium_edit by self (2)", "her own Tour->RDW edits on 2 October dates; the change log shows those entries were Rest Day until a resourcing template copy on 20 Sep overwrote them as Tour", "yes"),
    "H5": ("lookups_outside_own_cases", "response PC on a 6-week CID attachment (roster 'Posting' change, CID day pattern): hundreds of lookups citing live CID cases whose OICs are CID DCs, not his unit or line chain", "yes"),
    "H7b": ("undeclared_interest (directorship)", "Companies-House-style record of a 'Sarah Khan' with her exact DOB directing a Leeds aesthetics clinic; another person (correspondence address in Leeds, extra column); two staff bear the name", "partly (extra column only)"),
    "H7f": ("undeclared_interest (directorship)", "trustee/director of an academy trust (exempt charity, trustees unpaid) - an unpaid office that need not be declared; the activity text says so", "yes"),
    "H7i": ("undeclared_interest (employment)", "HMRC RTI shows employment by 'Sandhu Learning Ltd'; she declared 'Kumon Aldbury Study Centre - classroom assistant' in 2024; trading_name extra column shows Sandhu Learning operates that Kumon centre", "partly (extra column)"),
    "H8": ("sickness_secondary_work", "long-term sickness (anxiety) with an RTI payroll return from her declared and approved leisure-centre employer dated inside the spell; gross pay £0.00 for the period; RTI is a monthly return, not a sighting", "yes"),
    "H9": ("overtime_during_absence (sickness)", "SAP sickness record 1-15 Oct with ABWTG=3 (she was off 1-3 Oct; end date mis-keyed); she worked rostered tours from 6 Oct and a CE claim on %s with full presence" % H9_CLAIM["start"].date().isoformat(), "yes"),
    "H10": ("overtime_during_absence (annual leave)", "a day of annual leave on 28 Nov recorded as a full day; she worked the Black Friday night-time economy operation 18:00-02:00 on overtime with the rest of the OSG, badge and device in the hours", "yes"),
    "H11": ("overtime_during_absence (parental)", "two 'KIT - Keeping In Touch Day' claims during maternity leave (21 Oct, 18 Nov), authorised by the DI, badge/device/systems in the hours; KIT days are lawful paid work during maternity leave", "yes"),
    "H12a": ("reciprocal_authorisation", "custody sergeants' handover overruns are authorised by the incoming custody sergeant (whoever takes over the suite); the rota makes the same few pairs authorise each other, as all custody sergeants do", "yes"),
    "H12b": ("reciprocal_authorisation", "custody sergeant: handover overruns authorised by the incoming custody sergeant, as for %s" % H12a["sid"], "yes"),
    "H12c": ("reciprocal_authorisation", "custody sergeant: handover overruns authorised by the incoming custody sergeant, as for %s" % H12a["sid"], "yes"),
    "H13": ("office_attendance_below_rule", "her card failed (identity ends 5 Oct, new card from 3 Nov); for four weeks she signed in at reception on visitor passes which the gate export cannot tie to her; her work-laptop sign-ins keep office hours. Visitor-pass rows kept in ingest-findings/", "no (only in the visitor-pass rows outside the loaded data; the identity gap is visible)"),
    "H15": ("victim_contact (vulnerable witness after case)", "OIC and single point of contact for a bereaved mother (vulnerable witness) of a fatal collision (FATAL/25/...) finalised when the file went to the coroner; contact continues to the inquest, mostly her calls and his returns within the evening, tapering; two short evening texts", "partly (role says FLO trained; case prefix FATAL)"),
    "H16": ("victim_contact (follow-up after case)", "PCSO's weekly on-duty welfare calls to an elderly repeat ASB victim after his case closed 12 Sep (a neighbourhood problem-solving commitment); he rings back; in November a new case with him as victim", "yes"),
    "H17": ("lookups_outside_own_cases / repeated_subject_lookups", "response PC on restricted duties at Pelham House (roster 'Posting' change) doing records review for subject access requests: many views/prints citing DSAR references, the same DSARs the Information Management disclosure officers cite; HR role still says Response Constable", "yes"),
    "H20": ("repeated_subject_lookups", "MARAC coordinator checks the same high-risk victims and perpetrators before each fortnightly MARAC (Tuesdays), citing the MARAC reference; the subjects are parties to SIU and response cases", "yes"),
    "H22": ("repeated_subject_lookups", "neighbourhood PC repeatedly checks the residents, vehicles and addresses of an Orchard Way problem-solving plan, always citing PSP/KT/25/014; team PCSOs check the same subjects citing it too", "yes"),
    "H26": ("self_authorisation", "Ops Planning bulk-uploads every pre-planned-event claim under the OSG sergeant's id, so his own event claims show authorised_by = himself; the 'Authorisation Route' column reads 'Bulk upload (Ops Planning)' on all of them", "yes (extra column)"),
}
rows = []
for p in people:
    t = p["tag"]
    if t in G:
        pat, route, note = G[t]
        rows.append((p["sid"], "guilty", pat, route, note))
    elif t in H:
        pat, note, vis = H[t]
        rows.append((p["sid"], "honest", pat, "none", "%s [innocence visible in data: %s]" % (note, vis)))
    else:
        rows.append((p["sid"], "ordinary", "", "", ""))
with open(os.path.join(BASE, "truth.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["staff_id", "label", "pattern", "proportionate_route", "note"])
    w.writerows(rows)

print("people", len(people), "shifts", len(shifts), "changes", len(changes), "claims", len(claims), "absences", len(absences),
      "badge", len(badge), "device", len(device), "lookups", len(lookups), "comms", len(comms), "cases", len(cases),
      "declarations", len(declarations), "external", len(external))
print("G2 events", [e[0] for e in G2_EVENTS], "H3 days", H3_DAYS, "H4", [s["date"] for s in H4_SH])
