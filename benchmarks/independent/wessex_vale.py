#!/usr/bin/env python3
"""Independent held-out force 'Wessex Vale Constabulary' (synthetic), Mar-Aug 2025.

Written in round 23 by a second tester who never read the product's source, tests or generator, nor
the first tester's force; measured once on the code as it stood, then what it found was fixed
(`benchmarks/independent/README.md`). `python benchmarks/independent/wessex_vale.py OUT` writes
OUT/force/*.csv and OUT/truth.csv: the tester's second version (routine register and roster activity
inside the period: their first left the registers empty in it); only the output paths were changed.
"""
import csv, os, random, math, sys

if os.environ.get("PYTHONHASHSEED") != "0":  # sets of text iterated: one order, one force
    os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
os.environ["FORCE_V2"] = "1"
BASE = sys.argv[1] if len(sys.argv) > 1 else "wessex_vale"
from datetime import datetime, date, timedelta
from zoneinfo import ZoneInfo

LON = ZoneInfo("Europe/London")
R = random.Random(20250917)
OUT = os.path.join(BASE, "force")
os.makedirs(OUT, exist_ok=True)
P0, P1 = date(2025, 3, 1), date(2025, 8, 31)
G0 = date(2025, 1, 15)  # generate some history before the period
BH = {date(2025, 4, 18), date(2025, 4, 21), date(2025, 5, 5), date(2025, 5, 26), date(2025, 8, 25)}
DAYS = [G0 + timedelta(d) for d in range((P1 - G0).days + 1)]


def ts(dt):  # local naive -> aware ISO with offset
    return dt.replace(tzinfo=LON).isoformat()


def at(d, h, m=0):
    return datetime(d.year, d.month, d.day) + timedelta(hours=h, minutes=m)


# ---------------- sites / units ----------------
sites = [
    ("HQ", "Force Headquarters, Vale Park", "office"), ("NTH", "Northam Police Station", "station"),
    ("STH", "Southport Road Police Station", "station"), ("CEN", "Castleford Central Police Station", "station"),
    ("CUS", "Castleford Custody Suite", "custody"), ("ARV", "Firearms & Roads Base, Junction 9", "station"),
    ("TRN", "Regional Training Centre", "other"), ("CRT", "Castleford Crown Court", "other"),
    ("STD", "Vale Stadium", "other"),
]
units = []  # unit_id, name, type, site
for st in ["NTH", "STH", "CEN"]:
    for t in "ABCDE":
        units.append((f"RESP-{st}-{t}", f"Response {st} Team {t}", "response", st))
    units.append((f"NHP-{st}", f"Neighbourhood {st}", "neighbourhood", st))
units += [("CID-N", "CID North", "investigation", "NTH"), ("CID-S", "CID South", "investigation", "STH"),
          ("PVP", "Public Protection / Safeguarding", "investigation", "CEN"),
          ("CUSTODY", "Custody", "custody", "CUS"), ("ARV", "Armed Response", "specialist", "ARV"),
          ("ROADS", "Roads Policing", "specialist", "ARV"), ("CONTROL", "Force Control Room", "other", "HQ"),
          ("PNCB", "PNC Bureau & Vetting", "hq", "HQ"), ("INTEL", "Force Intelligence Bureau", "hq", "HQ"),
          ("HR", "People Services", "hq", "HQ"), ("FIN", "Finance & Estates", "hq", "HQ"),
          ("CMD", "Command Team", "hq", "HQ"), ("SPEC", "Special Constabulary", "response", "CEN"),
          ("RES", "Resourcing Unit", "hq", "HQ")]
UNIT = {u[0]: u for u in units}

FIRST = "James Oliver Harry George Noah Jack Leo Arthur Muhammad Oscar Charlie Jacob Thomas Henry William Freddie Alfie Archie Theo Joshua Amelia Olivia Isla Ava Mia Ivy Lily Florence Emily Grace Sophie Chloe Jessica Ella Ruby Evie Priya Aisha Zara Hannah Megan Rhys Callum Liam Kieran Declan Sian Bethan Owen Niamh Tomasz Agnieszka Daniel Samuel Ryan Luke Adam Kate Laura Rachel Claire Emma Gemma".split()
SUR = "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis Harris Martin Cooper King Lee Baker Hill Moore Ward Turner Morris Hughes Edwards Collins Stewart Begum Ahmed Murphy Kelly Nowak Price Bennett Griffiths Lloyd Marsh Fletcher Pearce Holmes Barker Dawson Hunt Sutton Wallis Rowe Kemp Frost Gill Nash Osborne Yates Pritchard".split()

people = []  # dicts
sid_n = [10000]


def person(unit, rank, role, etype="officer", fte=1.0, pattern=None, start=date(2015, 1, 1), end=None,
           hybrid=False, mgr=None):
    sid_n[0] += 1
    p = dict(staff_id=f"WV{sid_n[0]}", rank_grade=rank, role=role, unit_id=unit, employment_type=etype, fte=fte,
             start_date=start, end_date=end, hybrid_policy=hybrid, line_manager_id=mgr,
             display_name=f"{R.choice(FIRST)} {R.choice(SUR)}",
             date_of_birth=date(R.randint(1965, 2003), R.randint(1, 12), R.randint(1, 28)),
             pattern=pattern, offset=R.randint(0, 9))
    people.append(p)
    return p


chief = person("CMD", "Chief Superintendent", "Head of Local Policing", hybrid=True)
supts = [person("CMD", "Superintendent", "Superintendent", hybrid=True, mgr=chief["staff_id"]) for _ in range(3)]
cis = [person("CMD", "Chief Inspector", "Chief Inspector", hybrid=True, mgr=supts[i % 3]["staff_id"]) for i in range(6)]
# response
for si, st in enumerate(["NTH", "STH", "CEN"]):
    insp = [person(f"RESP-{st}-A", "Inspector", "Response Inspector", pattern=("resp", 0), mgr=cis[si]["staff_id"]),
            person(f"RESP-{st}-D", "Inspector", "Response Inspector", pattern=("resp", 6), mgr=cis[si]["staff_id"])]
    for ti, t in enumerate("ABCDE"):
        off = (ti * 2) % 10
        ins = insp[0] if ti < 3 else insp[1]
        sgts = [person(f"RESP-{st}-{t}", "Sergeant", "Response Sergeant", pattern=("resp", off), mgr=ins["staff_id"]) for _ in range(2)]
        for k in range(12):
            fte = 1.0
            role = "Response Constable"
            start = date(R.randint(2008, 2024), R.randint(1, 12), 1)
            if k == 11 and ti in (1, 3):
                start = date(2025, R.choice([4, 5]), R.choice([7, 14]))  # new student officers
                role = "Student Officer"
            person(f"RESP-{st}-{t}", "Constable", role, pattern=("resp", off), start=start,
                   mgr=sgts[k % 2]["staff_id"], fte=fte)
    nsg = [person(f"NHP-{st}", "Sergeant", "Neighbourhood Sergeant", pattern=("nhp", R.randint(0, 6)), mgr=cis[si + 3]["staff_id"]) for _ in range(2)]
    for k in range(14):
        person(f"NHP-{st}", "Constable", "Neighbourhood Constable", pattern=("nhp", R.randint(0, 6)), mgr=nsg[k % 2]["staff_id"])
    for k in range(10):
        person(f"NHP-{st}", "PCSO", "Police Community Support Officer", etype="staff", pattern=("nhp", R.randint(0, 6)),
               mgr=nsg[k % 2]["staff_id"], fte=0.8 if k == 0 else 1.0)
# CID + PVP
for u in ["CID-N", "CID-S", "PVP"]:
    di = person(u, "Inspector", "Detective Inspector", pattern=("days", 0), mgr=cis[1]["staff_id"])
    dss = [person(u, "Sergeant", "Detective Sergeant", pattern=("days", 0), mgr=di["staff_id"]) for _ in range(3)]
    for k in range(18 if u != "PVP" else 20):
        person(u, "Constable", "Detective Constable" if u != "PVP" else "Safeguarding Detective Constable",
               pattern=("days", 0), mgr=dss[k % 3]["staff_id"], fte=0.6 if k == 17 else 1.0)
# custody
cins = person("CUSTODY", "Inspector", "Custody Inspector", pattern=("days", 0), mgr=cis[2]["staff_id"])
csg = [person("CUSTODY", "Sergeant", "Custody Sergeant", pattern=("four", (k % 4) * 2), mgr=cins["staff_id"]) for k in range(8)]
for k in range(20):
    person("CUSTODY", "Police Staff Grade 3", "Detention Officer", etype="staff", pattern=("four", (k % 4) * 2), mgr=csg[k % 8]["staff_id"])
# ARV / roads
for u, n in [("ARV", 36), ("ROADS", 28)]:
    ins = person(u, "Inspector", "Inspector", pattern=("resp", 0), mgr=cis[2]["staff_id"])
    sg = [person(u, "Sergeant", "Sergeant", pattern=("resp", (k * 2) % 10), mgr=ins["staff_id"]) for k in range(4)]
    for k in range(n):
        person(u, "Constable", "Authorised Firearms Officer" if u == "ARV" else "Roads Policing Constable",
               pattern=("resp", ((k % 4) * 2) % 10), mgr=sg[k % 4]["staff_id"])
# control room
crm = person("CONTROL", "Police Staff Grade 7", "Control Room Manager", etype="staff", pattern=("days", 0), mgr=cis[0]["staff_id"])
crs = [person("CONTROL", "Police Staff Grade 5", "Control Room Supervisor", etype="staff", pattern=("four", (k % 4) * 2), mgr=crm["staff_id"]) for k in range(8)]
for k in range(72):
    person("CONTROL", "Police Staff Grade 3", "Call Handler" if k % 2 else "Dispatcher", etype="staff",
           pattern=("four", (k % 4) * 2), mgr=crs[k % 8]["staff_id"], fte=0.75 if k % 9 == 0 else 1.0)
# PNC bureau & vetting, intel
pm = person("PNCB", "Police Staff Grade 6", "PNC Bureau Manager", etype="staff", pattern=("days", 0), mgr=cis[0]["staff_id"])
for k in range(8):
    person("PNCB", "Police Staff Grade 3", "PNC Operator", etype="staff", pattern=("days", 0), mgr=pm["staff_id"])
for k in range(6):
    person("PNCB", "Police Staff Grade 4", "Vetting Officer", etype="staff", pattern=None, hybrid=True, mgr=pm["staff_id"])
im = person("INTEL", "Detective Sergeant", "Intelligence Manager", pattern=("days", 0), mgr=cis[1]["staff_id"])
for k in range(10):
    person("INTEL", "Police Staff Grade 4", "Intelligence Researcher", etype="staff", pattern=("days", 0), mgr=im["staff_id"])
# HR / finance / resourcing (hybrid, unrostered)
for u, n, roles in [("HR", 55, ["HR Advisor", "HR Officer", "Payroll Officer", "Occupational Health Advisor", "Learning Coordinator"]),
                    ("FIN", 40, ["Finance Officer", "Procurement Officer", "Estates Officer", "Accounts Assistant"])]:
    mg = person(u, "Police Staff Grade 8", "Head of " + UNIT[u][1], etype="staff", hybrid=True, mgr=supts[0]["staff_id"])
    for k in range(n):
        person(u, f"Police Staff Grade {R.randint(3, 6)}", R.choice(roles), etype="staff", hybrid=True, mgr=mg["staff_id"],
               fte=R.choice([1.0] * 6 + [0.8, 0.6, 0.5]))
rsm = person("RES", "Police Staff Grade 5", "Resourcing Manager", etype="staff", hybrid=True, mgr=supts[0]["staff_id"])
for k in range(7):
    person("RES", "Police Staff Grade 3", "Resourcing Officer", etype="staff", hybrid=True, mgr=rsm["staff_id"])
RESOURCERS = [p["staff_id"] for p in people if p["unit_id"] == "RES"]
# specials
for k in range(30):
    person("SPEC", "Special Constable", "Special Constable", etype="special", fte=0.2, pattern=("spec", 0),
           start=date(R.randint(2018, 2024), 3, 1), mgr=None)
# leavers: set end dates for ~3%
cands = [p for p in people if p["pattern"] and p["pattern"][0] in ("resp", "four", "nhp") and p["rank_grade"] in ("Constable", "Police Staff Grade 3", "PCSO")]
for p in R.sample(cands, 24):
    p["end_date"] = date(2025, R.randint(3, 8), R.randint(1, 28))
BY = {p["staff_id"]: p for p in people}
print("people", len(people))

# ---------------- helpers for plant selection ----------------
used = set()


def pick(pred, n=None):
    c = [p for p in people if pred(p) and p["staff_id"] not in used and p["end_date"] is None and p["start_date"] < date(2025, 1, 1)]
    s = R.sample(c, n or 1)
    for p in s:
        used.add(p["staff_id"])
    return s if n else s[0]


truth = []


def T(p, kind, pattern, note, ideal):
    truth.append(dict(staff_id=p["staff_id"], kind=kind, pattern=pattern, note=note, ideal_route=ideal))


role_is = lambda *rs: (lambda p: p["role"] in rs)
unit_is = lambda pre: (lambda p: p["unit_id"].startswith(pre))

# ---- choose planted people now (so that base generation can respect them) ----
M = {}
M["otnp"] = pick(lambda p: p["unit_id"].startswith("RESP-NTH") and p["role"] == "Response Constable")
M["otnp_self"] = pick(lambda p: p["unit_id"].startswith("RESP-CEN") and p["role"] == "Response Sergeant")
M["ot_leave"] = pick(lambda p: p["unit_id"].startswith("RESP-STH") and p["role"] == "Response Constable")
M["sick_work"] = pick(role_is("Roads Policing Constable"))
M["undecl_dir"] = pick(role_is("Detective Constable"))
M["undecl_lodge"] = pick(role_is("Custody Sergeant"))
M["lookup_ex"] = pick(lambda p: p["unit_id"].startswith("RESP-CEN") and p["role"] == "Response Constable")
M["lookup_case"] = pick(lambda p: p["unit_id"] == "CID-N" and p["role"] == "Detective Constable")
M["apsp"] = pick(role_is("Safeguarding Detective Constable"))
M["vc_off"] = pick(lambda p: p["unit_id"].startswith("NHP") and p["role"] == "Neighbourhood Constable")
M["premium"] = pick(lambda p: p["unit_id"].startswith("RESP-STH") and p["role"] == "Response Constable")
M["swap_ot"] = pick(lambda p: p["unit_id"].startswith("RESP-NTH") and p["role"] == "Response Constable")
M["recip_a"] = pick(lambda p: p["unit_id"] == "ARV" and p["rank_grade"] == "Sergeant")
M["recip_b"] = pick(lambda p: p["unit_id"] == "ROADS" and p["rank_grade"] == "Sergeant")
M["selfauth"] = pick(role_is("Control Room Supervisor"))
M["office"] = pick(lambda p: p["unit_id"] == "FIN" and p["fte"] == 1.0 and p["role"] != "Head of Finance & Estates")
M["decl_sick"] = pick(lambda p: p["unit_id"].startswith("NHP") and p["role"] == "Neighbourhood Constable")
M["court_fake"] = pick(role_is("Detective Constable"))

L = {}
L["late_heavy"] = pick(lambda p: p["role"] == "Response Constable", 5)
L["court_rest"] = pick(lambda p: p["role"] in ("Response Constable", "Detective Constable"), 5)
L["mutual_aid"] = pick(lambda p: p["unit_id"] in ("ARV", "ROADS") and p["rank_grade"] == "Constable", 6)
L["scene_guard"] = pick(lambda p: p["role"] == "Response Constable", 3)
L["surge_top"] = pick(lambda p: p["unit_id"].startswith("RESP-STH") and p["role"] == "Response Constable", 6)
L["recall_leave"] = pick(lambda p: p["role"] in ("Response Constable", "Authorised Firearms Officer"), 4)
L["court_leave_rost"] = pick(lambda p: p["role"] == "Response Constable", 3)
L["court_leave_norost"] = pick(lambda p: p["role"] in ("Response Constable", "Neighbourhood Constable"), 2)
L["phased"] = pick(lambda p: p["role"] in ("Response Constable", "Call Handler", "Detective Constable"), 3)
L["appt_ot"] = pick(lambda p: p["role"] in ("Response Constable", "Custody Sergeant"), 5)
L["control_heavy"] = pick(lambda p: p["role"] in ("Call Handler", "Dispatcher") and p["fte"] == 1.0, 4)
L["pnc_heavy"] = pick(lambda p: p["role"] in ("PNC Operator", "Vetting Officer"), 4)
L["intel"] = pick(role_is("Intelligence Researcher"), 3)
L["brief_sgt"] = pick(role_is("Response Sergeant"), 3)
L["oncall"] = pick(lambda p: p["role"] in ("Detective Constable", "Detective Sergeant") and p["unit_id"] in ("CID-N", "CID-S"), 4)
L["custody_cover"] = pick(role_is("Custody Sergeant"), 2)
L["rdw_recalled"] = pick(lambda p: p["role"] == "Response Constable" and p["unit_id"].startswith("RESP-NTH"), 6)
L["swap_other"] = pick(lambda p: p["role"] == "Response Constable", 6)
L["swap_overrun"] = pick(lambda p: p["role"] == "Response Constable", 3)
L["jobshare"] = pick(lambda p: p["unit_id"] == "HR" and p["role"] == "HR Advisor" or p["unit_id"] == "HR" and p["role"] == "HR Officer", 2)
L["compressed"] = pick(lambda p: p["unit_id"] in ("HR", "FIN") and p["fte"] == 1.0, 2)
L["parttime_hyb"] = pick(lambda p: p["unit_id"] in ("HR", "FIN") and p["fte"] in (0.6, 0.5), 2)
L["maternity"] = pick(lambda p: p["unit_id"] in ("HR", "FIN") and p["fte"] == 1.0, 2)
L["othersite"] = pick(lambda p: p["unit_id"] in ("HR", "FIN"), 2)
L["adjust"] = pick(lambda p: p["unit_id"] in ("HR", "FIN"), 1)
L["carer"] = pick(lambda p: p["role"] in ("Response Constable", "Call Handler"), 2)
L["decl_job_namevar"] = pick(lambda p: p["employment_type"] == "officer" and p["rank_grade"] == "Constable", 3)
L["charity"] = pick(lambda p: p["rank_grade"] in ("Sergeant", "Inspector", "Constable"), 2)
L["rtm"] = pick(lambda p: p["rank_grade"] in ("Constable", "Police Staff Grade 4", "Police Staff Grade 5"), 2)
L["police_sports"] = pick(lambda p: p["rank_grade"] == "Sergeant", 1)
L["lodge_decl"] = pick(lambda p: p["rank_grade"] in ("Inspector", "Sergeant", "Chief Inspector"), 2)
L["stjohn"] = pick(lambda p: p["rank_grade"] == "Constable", 1)
L["family"] = pick(lambda p: p["rank_grade"] == "Constable", 1)
L["victim_incoming"] = pick(lambda p: p["role"] in ("Safeguarding Detective Constable", "Detective Constable"), 3)
L["witness_care"] = pick(lambda p: p["role"] in ("Safeguarding Detective Constable", "Response Constable"), 4)
L["victim_reparty"] = pick(role_is("Safeguarding Detective Constable"), 1)
L["sick_rti"] = pick(lambda p: p["rank_grade"] == "Constable", 2)
L["sick_onesight"] = pick(lambda p: p["rank_grade"] == "Constable", 1)
L["sick_charity"] = pick(lambda p: p["rank_grade"] == "Constable", 1)
L["specials_job"] = pick(role_is("Special Constable"), 2)
L["acting_sgt"] = pick(lambda p: p["role"] == "Response Constable", 1)
L["firearms_training"] = pick(role_is("Authorised Firearms Officer"), 2)
L["longterm_sick"] = pick(lambda p: p["rank_grade"] in ("Constable", "Police Staff Grade 3"), 2)
L["bh_edit"] = pick(lambda p: p["role"] == "Response Constable", 4)
L["late_decl"] = pick(lambda p: p["rank_grade"] == "Constable", 1)
MATERNITY_IDS = {p["staff_id"] for p in L["maternity"]}

# ---------------- rosters ----------------
RESP_CYCLE = ["E", "E", "L", "L", "N", "N", None, None, None, None]
SH = {"E": (7, 10), "L": (14, 10), "N": (22, 10), "D": (7, 12), "M": (19, 12), "X": (8, 8), "Y": (14, 8)}
# 2x2 days/nights custody & control
FOUR = ["D", "D", "M", "M", None, None, None, None]


def planned(p, d):
    pat = p["pattern"]
    if not pat:
        return None
    kind, off = pat
    if kind == "resp":
        return RESP_CYCLE[((d - G0).days + off + p["offset"] * 0) % 10]
    if kind == "four":
        return FOUR[((d - G0).days + off) % 8]
    if kind == "nhp":
        wk = ((d - G0).days // 7 + off) % 2
        wd = (d.weekday() + off) % 7
        if wd >= 5:
            return None
        return "X" if wk == 0 else "Y"
    if kind == "days":
        if d.weekday() >= 5 or d in BH:
            return None
        if p["fte"] < 1 and d.weekday() >= 3:
            return None
        return "X"
    if kind == "spec":
        return "Y" if R.random() < 0.07 else None
    return None


# ---------------- absences ----------------
absences = []
ab_n = [0]
absent_days = {}  # sid -> {date: type}


def absence(p, typ, d0, d1, hours=None, days=None, reason=None, status=None, mark=True):
    ab_n[0] += 1
    absences.append(dict(absence_id=f"AB{ab_n[0]:06d}", staff_id=p["staff_id"], type=typ, start=d0.isoformat(),
                         end=d1.isoformat(), reason_category=reason or "", days="" if days is None else days,
                         hours="" if hours is None else hours, status=status or "approved"))
    if mark and hours is None and (days is None or days >= 1):
        d = d0
        while d <= d1:
            absent_days.setdefault(p["staff_id"], {})[d] = typ
            d += timedelta(1)


REASONS = ["Mental health", "Musculoskeletal", "Respiratory", "Gastrointestinal", "Injury on duty", "Other"]
for p in people:
    if p["employment_type"] == "special":
        continue
    # annual leave: 2-3 blocks
    for _ in range(R.choice([2, 2, 3])):
        d0 = R.choice(DAYS[:-14])
        absence(p, "annual_leave", d0, d0 + timedelta(R.randint(2, 9)))
    if R.random() < 0.42:
        for _ in range(R.choice([1, 1, 1, 2, 3])):
            d0 = R.choice(DAYS[:-10])
            ln = max(1, int(R.lognormvariate(0.9, 0.7)))
            absence(p, "sickness", d0, d0 + timedelta(ln - 1), reason=R.choice(REASONS))
    if R.random() < 0.02 and p["staff_id"] not in used:
        d0 = R.choice(DAYS[:100])
        absence(p, "sickness", d0, d0 + timedelta(R.randint(30, 80)), reason=R.choice(REASONS[:2]))
    if R.random() < 0.06:  # part-day medical / dental appointments
        d = R.choice(DAYS)
        absence(p, "sickness", d, d, hours=R.choice([2, 2.5, 3]), reason="Other")
    if R.random() < 0.05 and p["pattern"] and p["pattern"][0] in ("resp", "four"):
        d = R.choice(DAYS)
        absence(p, "training", d, d)

# look-alike absences
for p in L["maternity"]:
    absence(p, "parental", date(2024, 11, 18), date(2025, 5, 30), reason="Maternity")
for p in L["longterm_sick"]:
    absence(p, "sickness", date(2025, 4, 7), date(2025, 6, 20), reason="Musculoskeletal")
for p in L["carer"]:
    for _ in range(4):
        d = R.choice(DAYS[45:])
        absence(p, "compassionate", d, d, reason="Carer's leave")
for p in L["phased"]:
    d0 = date(2025, 5, 1)
    absence(p, "sickness", date(2025, 4, 3), date(2025, 4, 30), reason="Musculoskeletal")
    for k in range(14):  # phased return: half days recorded as part-day sickness
        d = d0 + timedelta(k)
        absence(p, "sickness", d, d, hours=4, reason="Phased return")

# ---- planned absences that shape the roster (before shifts/presence are generated) ----
blocked = {}
absence(M["ot_leave"], "annual_leave", date(2025, 7, 21), date(2025, 7, 29))
absence(M["sick_work"], "sickness", date(2025, 5, 6), date(2025, 5, 23), reason="Musculoskeletal")
absence(M["decl_sick"], "sickness", date(2025, 7, 1), date(2025, 7, 21), reason="Mental health")
for p in L["court_leave_rost"]:
    absence(p, "annual_leave", date(2025, 6, 2), date(2025, 6, 9))
for p in L["court_leave_norost"]:
    absence(p, "annual_leave", date(2025, 7, 14), date(2025, 7, 21))
for p in L["sick_rti"]:
    absence(p, "sickness", date(2025, 6, 2), date(2025, 6, 13), reason="Respiratory")
for p in L["sick_onesight"]:
    absence(p, "sickness", date(2025, 4, 14), date(2025, 5, 9), reason="Mental health")
for p in L["sick_charity"]:
    absence(p, "sickness", date(2025, 7, 7), date(2025, 7, 18), reason="Injury on duty")
CINS = BY[L["custody_cover"][0]["line_manager_id"]]
absence(CINS, "sickness", date(2025, 4, 1), date(2025, 7, 31), reason="Musculoskeletal")
for p in L["mutual_aid"]:
    for k in range(5):
        blocked.setdefault(p["staff_id"], set()).add(date(2025, 7, 7) + timedelta(k))

# ---------------- shifts ----------------
shifts = []
sh_n = [0]
shift_of = {}  # (sid, date) -> shift dict


def add_shift(p, d, code=None, duty="normal", site=None, start=None, end=None):
    sh_n[0] += 1
    if start is None:
        h, ln = SH[code]
        start = at(d, h)
        end = start + timedelta(hours=ln)
    s = dict(shift_id=f"SH{sh_n[0]:07d}", staff_id=p["staff_id"], start=start, end=end, duty_type=duty,
             site_id=site or UNIT[p["unit_id"]][3], code=code)
    shifts.append(s)
    shift_of[(p["staff_id"], start.date())] = s
    return s


def in_post(p, d):
    return p["start_date"] <= d and (p["end_date"] is None or d <= p["end_date"])


for p in people:
    ad = absent_days.get(p["staff_id"], {})
    for d in DAYS:
        if not in_post(p, d) or d in ad or d in blocked.get(p["staff_id"], ()):
            continue
        c = planned(p, d)
        if not c:
            continue
        duty = "bank_holiday" if d in BH and p["pattern"][0] in ("resp", "four") else "normal"
        site = None
        if p["unit_id"] == "ARV" and R.random() < 0.08:
            duty, site = "training", "TRN"
        elif p["employment_type"] == "officer" and R.random() < 0.008:
            duty, site = "court", "CRT"
        add_shift(p, d, c, duty, site)
# firearms training look-alikes: extra training days at TRN
for p in L["firearms_training"]:
    for s in [s for s in shifts if s["staff_id"] == p["staff_id"] and s["code"] == "E"][::3]:
        s["duty_type"], s["site_id"] = "training", "TRN"

# ---------------- roster changes ----------------
rchanges = []
rc_n = [0]


def rchange(s, by, field, old, new, when=None):
    rc_n[0] += 1
    rchanges.append(dict(change_id=f"RC{rc_n[0]:07d}", shift_id=s["shift_id"], staff_id=s["staff_id"], changed_by=by,
                         changed_at=when or (s["start"] - timedelta(days=R.randint(2, 20), hours=R.randint(0, 8))),
                         field=field, old_value=old, new_value=new))


for s in shifts:  # bank-holiday labelling by the resourcing unit (justified)
    if s["duty_type"] == "bank_holiday":
        rchange(s, R.choice(RESOURCERS), "duty_type", "normal", "bank_holiday")

rest_day_shifts = []


def rdw(p, d, by, code="E"):
    """rest-day working: roster entry changed from rest day to rdw."""
    if (p["staff_id"], d) in shift_of or d in absent_days.get(p["staff_id"], {}):
        return None
    s = add_shift(p, d, code, "rest_day_working")
    rchange(s, by, "duty_type", "rest_day", "rest_day_working")
    rest_day_shifts.append(s)
    return s


# background rest-day working
for p in people:
    if p["employment_type"] == "officer" and p["rank_grade"] in ("Constable", "Sergeant") and p["pattern"] and p["pattern"][0] == "resp" and R.random() < 0.25:
        for _ in range(R.randint(1, 2)):
            d = R.choice(DAYS)
            if in_post(p, d) and planned(p, d) is None:
                rdw(p, d, p["line_manager_id"] or R.choice(RESOURCERS))
# background approved swaps (made by the sergeant): move a shift 2 days later onto a rest day
def swap(p, by, s=None, days=None):
    cand = [s for s in shifts if s["staff_id"] == p["staff_id"] and s["duty_type"] == "normal" and P0 <= s["start"].date() <= P1 - timedelta(5)]
    for s in R.sample(cand, min(len(cand), 12)):
        for k in ([days] if days else [2, 3, 4, -2, -3]):
            nd = s["start"].date() + timedelta(k)
            if (p["staff_id"], nd) not in shift_of and planned(p, nd) is None and nd not in absent_days.get(p["staff_id"], {}):
                old = s["start"]
                del shift_of[(p["staff_id"], old.date())]
                s["start"] = old + timedelta(days=k)
                s["end"] = s["end"] + timedelta(days=k)
                shift_of[(p["staff_id"], nd)] = s
                rchange(s, by, "start", old.strftime("%Y-%m-%d %H:%M"), s["start"].strftime("%Y-%m-%d %H:%M"))
                return s, old.date()
    return None, None


for p in people:
    if p["pattern"] and p["pattern"][0] in ("resp", "four", "nhp") and R.random() < 0.15 and p["staff_id"] not in used:
        swap(p, p["line_manager_id"] or R.choice(RESOURCERS))

# ---------------- case parties ----------------
cases = []  # dict case_ref, oic, opened, closed, parties [(subj, role, vuln)]
subj_n = [500000]


def new_subj():
    subj_n[0] += 1
    return f"N{subj_n[0]}"


def new_case(oic, opened, closed, vul_p=0.1, prefix="CR"):
    c = dict(case_ref=f"{prefix}{len(cases) + 1:06d}", oic=oic, opened=opened, closed=closed, parties=[])
    c["parties"].append((new_subj(), "suspect", False))
    c["parties"].append((new_subj(), "victim", R.random() < vul_p))
    for _ in range(R.randint(0, 2)):
        c["parties"].append((new_subj(), "witness", R.random() < vul_p / 2))
    cases.append(c)
    return c


OIC_UNITS = ("RESP", "NHP", "CID", "PVP")
for p in people:
    if p["employment_type"] in ("officer",) and p["unit_id"].startswith(OIC_UNITS) and p["rank_grade"] in ("Constable", "Sergeant"):
        n = {"RESP": 8, "NHP": 5, "CID": 10, "PVP": 9}[next(k for k in OIC_UNITS if p["unit_id"].startswith(k))]
        for _ in range(R.randint(n // 2, n)):
            op = G0 - timedelta(60) + timedelta(R.randint(0, (P1 - G0).days + 40))
            cl = op + timedelta(R.randint(10, 120))
            new_case(p["staff_id"], op, cl if cl < P1 else (None if R.random() < 0.5 else cl),
                     vul_p=0.45 if p["unit_id"] == "PVP" else 0.12)
cases_by_oic = {}
for c in cases:
    cases_by_oic.setdefault(c["oic"], []).append(c)
cases_by_unit = {}
for c in cases:
    cases_by_unit.setdefault(BY[c["oic"]]["unit_id"], []).append(c)

# ---------------- events: badge, device, lookups, comms ----------------
badge, device, sysacc, comms = [], [], [], []
ev_n = [0]
LOOK = {  # lookups per shift, share without case ref
    "Response Constable": (6, 0.45), "Student Officer": (4, 0.45), "Response Sergeant": (9, 0.5), "Response Inspector": (4, 0.5),
    "Neighbourhood Constable": (4, 0.45), "Neighbourhood Sergeant": (5, 0.5), "Police Community Support Officer": (2, 0.6),
    "Detective Constable": (8, 0.15), "Safeguarding Detective Constable": (7, 0.15), "Detective Sergeant": (7, 0.2),
    "Detective Inspector": (3, 0.3), "Custody Sergeant": (10, 0.1), "Detention Officer": (3, 0.1),
    "Authorised Firearms Officer": (3, 0.7), "Roads Policing Constable": (6, 0.75), "Sergeant": (4, 0.6), "Inspector": (2, 0.6),
    "Call Handler": (18, 0.85), "Dispatcher": (22, 0.85), "Control Room Supervisor": (10, 0.8),
    "PNC Operator": (30, 0.9), "Vetting Officer": (25, 0.95), "Intelligence Researcher": (20, 0.8), "Intelligence Manager": (6, 0.6),
    "Special Constable": (3, 0.6),
}
MOBILE = lambda p: p["employment_type"] in ("officer", "special") or p["role"] == "Police Community Support Officer"


def eid():
    ev_n[0] += 1
    return f"E{ev_n[0]:08d}"


def bev(p, t, site, direction):
    badge.append(dict(staff_id=p["staff_id"], ts=t, site_id=site, direction=direction))


def dev(p, t, kind, site=""):
    device.append(dict(staff_id=p["staff_id"], device_id=f"DV-{p['staff_id']}", ts=t, kind=kind, site_id=site))


def look(p, t, subj, case_ref, action="view", system="Niche"):
    sysacc.append(dict(event_id=eid(), staff_id=p["staff_id"], ts=t, system=system, action=action, subject_ref=subj,
                       case_ref=case_ref or ""))


def comm(p, t, ch, cp, direction, dur=""):
    comms.append(dict(event_id=eid(), staff_id=p["staff_id"], ts=t, channel=ch, counterpart_ref=cp, direction=direction,
                      duration_s=dur))


def open_cases(sid, d):
    return [c for c in cases_by_oic.get(sid, []) if c["opened"] <= d and (c["closed"] is None or d <= c["closed"])]


def lookups_in(p, t0, t1, n, noref_share, unit_cases=None):
    span = (t1 - t0).total_seconds()
    for _ in range(n):
        t = t0 + timedelta(seconds=R.uniform(0, span))
        if R.random() < noref_share:
            look(p, t, new_subj() if R.random() < 0.7 else f"VRM{R.randint(10000, 99999)}", None, "search", R.choice(["PNC", "Niche", "PND"]))
        else:
            oc = open_cases(p["staff_id"], t.date())
            if oc and R.random() < 0.85:
                c = R.choice(oc)
            else:
                uc = cases_by_unit.get(p["unit_id"]) or cases
                c = R.choice(uc)
            s = R.choice(c["parties"])[0]
            look(p, t, s, c["case_ref"])


def presence(p, t0, t1, site, strong=True, lookmult=1.0):
    """activity for a worked span at site."""
    office = UNIT[p["unit_id"]][2] in ("custody", "hq", "other", "investigation") or p["unit_id"] == "CONTROL"
    kind_site = dict((s[0], s[2]) for s in sites)[site]
    if kind_site != "other":
        if R.random() < (0.93 if office else 0.8):
            bev(p, t0 - timedelta(minutes=R.randint(2, 20)), site, "in")
        if R.random() < (0.85 if office else 0.65):
            bev(p, t1 + timedelta(minutes=R.randint(0, 12)), site, "out")
    if MOBILE(p) or office:
        if R.random() < 0.88:
            dev(p, t0 + timedelta(minutes=R.randint(3, 25)), "login", site if kind_site != "other" else "")
            hrs = (t1 - t0).total_seconds() / 3600
            for k in range(int(hrs // 2)):
                if R.random() < 0.5:
                    dev(p, t0 + timedelta(hours=2 * k + R.uniform(0.5, 2)), "location")
            if R.random() < 0.7:
                dev(p, t1 - timedelta(minutes=R.randint(0, 10)), "logout")
    n, share = LOOK.get(p["role"], (0, 0.5))
    hrs = (t1 - t0).total_seconds() / 3600
    lam = n * hrs / 9 * lookmult
    k = sum(1 for _ in range(int(lam * 3)) if R.random() < 1 / 3) if lam > 0 else 0
    if kind_site != "other" or p["unit_id"] in ("ARV", "ROADS"):
        lookups_in(p, t0, t1, k, share)
    if MOBILE(p) and R.random() < 0.5:
        for _ in range(R.randint(1, 3)):
            comm(p, t0 + timedelta(seconds=R.uniform(0, (t1 - t0).total_seconds())), "call", f"T{R.randint(100000, 999999)}",
                 "out", R.randint(20, 400))


# staff look-alike volume multipliers
LOOKMULT = {}
for p in L["control_heavy"]:
    LOOKMULT[p["staff_id"]] = 1.7
for p in L["pnc_heavy"]:
    LOOKMULT[p["staff_id"]] = 1.8
for p in L["intel"]:
    LOOKMULT[p["staff_id"]] = 1.6
for p in L["brief_sgt"]:
    LOOKMULT[p["staff_id"]] = 2.0

SURGE0, SURGE1 = date(2025, 6, 14), date(2025, 6, 22)
for s in shifts:
    p = BY[s["staff_id"]]
    if s["duty_type"] == "court" or s["site_id"] in ("TRN", "CRT"):
        if MOBILE(p) and R.random() < 0.3:
            dev(p, s["start"] + timedelta(minutes=30), "login")
        continue
    mult = LOOKMULT.get(p["staff_id"], 1.0)
    if SURGE0 <= s["start"].date() <= SURGE1 and p["unit_id"].startswith(("RESP-STH", "CID-S")):
        mult *= 2.5 if p in L["surge_top"] else 1.8
    # a realistically imperfect trace: 4% of shifts leave nothing (device on charge, badge reader down, patrol)
    if R.random() < 0.04:
        continue
    presence(p, s["start"], s["end"], s["site_id"], lookmult=mult)

# unrostered hybrid staff: office or home days
OFFICE_P = {}
for p in people:
    if p["hybrid_policy"]:
        OFFICE_P[p["staff_id"]] = R.uniform(0.72, 0.95)
OFFICE_P[M["office"]["staff_id"]] = 0.25
for p in L["othersite"]:
    p["home_site"] = "CEN"
js_days = {}
if L["jobshare"]:
    a, b = L["jobshare"]
    a["fte"] = b["fte"] = 0.5
    js_days[a["staff_id"]] = {0, 1, 2}
    js_days[b["staff_id"]] = {2, 3, 4}
comp_days = {p["staff_id"]: {0, 1, 2, 3} for p in L["compressed"]}
for p in L["parttime_hyb"]:
    p["fte"] = 0.6
    comp_days[p["staff_id"]] = {1, 2, 3}
for p in L["adjust"]:
    p["hybrid_policy"] = False  # reasonable adjustment: exempted from the rule
    OFFICE_P[p["staff_id"]] = 0.1

for p in people:
    if p["pattern"]:
        continue
    ad = absent_days.get(p["staff_id"], {})
    workdays = js_days.get(p["staff_id"]) or comp_days.get(p["staff_id"])
    for d in DAYS:
        if not in_post(p, d) or d in ad or d.weekday() >= 5 or d in BH:
            continue
        if workdays is not None:
            if d.weekday() not in workdays:
                continue
        elif p["fte"] < 1 and R.random() > p["fte"]:
            continue
        long_day = p["staff_id"] in comp_days and p["fte"] == 1.0
        t0 = at(d, 8, R.randint(0, 50))
        t1 = t0 + timedelta(hours=9.8 if long_day else (7.9 if p["staff_id"] in comp_days else 7.8), minutes=R.randint(0, 30))
        site = p.get("home_site", UNIT[p["unit_id"]][3])
        if R.random() < OFFICE_P.get(p["staff_id"], 0.9):
            if R.random() < 0.96:
                bev(p, t0, site, "in")
            if R.random() < 0.85:
                bev(p, t1, site, "out")
            dev(p, t0 + timedelta(minutes=5), "login", site)
        else:
            dev(p, t0 + timedelta(minutes=5), "login")
        if R.random() < 0.8:
            dev(p, t1 - timedelta(minutes=3), "logout")
        n, share = LOOK.get(p["role"], (0, 0.5))
        if n:
            lookups_in(p, t0, t1, int(R.gauss(n * LOOKMULT.get(p["staff_id"], 1), 4)) if n else 0, share)

# ---------------- overtime ----------------
claims = []
cl_n = [0]


def claim(p, t0, t1, reason, auth=None, status="approved", self_auth=False):
    cl_n[0] += 1
    a = p["staff_id"] if self_auth else (auth if auth is not None else (p["line_manager_id"] or ""))
    c = dict(claim_id=f"OT{cl_n[0]:07d}", staff_id=p["staff_id"], start=t0, end=t1,
             hours=round((t1 - t0).total_seconds() / 3600, 2), rate=1.5 if reason != "bank_holiday" else 2.0,
             reason_code=reason, submitted_at=t1 + timedelta(hours=R.randint(2, 48)), authorised_by=a,
             authorised_at=t1 + timedelta(days=R.randint(2, 6)) if a else "", status=status)
    claims.append(c)
    return c


OT_ELIG = lambda p: (p["employment_type"] == "officer" and p["rank_grade"] in ("Constable", "Sergeant")) or \
    p["role"] in ("Call Handler", "Dispatcher", "Detention Officer", "Control Room Supervisor", "PNC Operator")
planted_ids = {p["staff_id"] for p in M.values()}
for s in list(shifts):
    p = BY[s["staff_id"]]
    if not OT_ELIG(p) or s["duty_type"] in ("court", "training"):
        continue
    late_p = 0.1 + (0.25 if p in L["late_heavy"] else 0) + (0.35 if SURGE0 <= s["start"].date() <= SURGE1 and p["unit_id"].startswith(("RESP-STH", "CID-S")) else 0)
    if p["unit_id"] in ("CUSTODY",):
        late_p = 0.12
    if R.random() < late_p:
        ln = R.choice([1, 1.25, 1.5, 2, 2.5, 3, 4]) if not (SURGE0 <= s["start"].date() <= SURGE1) else R.choice([3, 4, 5])
        t0, t1 = s["end"], s["end"] + timedelta(hours=ln)
        reason = R.choice(["late_finish", "prisoner_processing", "late_finish", "statement_taking"])
        if SURGE0 <= s["start"].date() <= SURGE1 and p["unit_id"].startswith(("RESP-STH", "CID-S")):
            reason = "op_harbour"
        claim(p, t0, t1, reason)
        if p["staff_id"] in planted_ids and p is M["otnp"]:
            continue
        # activity during the overrun (imperfect: 12% leave nothing in the hours)
        if R.random() < 0.88:
            for _ in range(R.randint(1, 4)):
                tt = t0 + timedelta(minutes=R.uniform(16, (t1 - t0).total_seconds() / 60))
                R.choice([lambda: dev(p, tt, "location"), lambda: look(p, tt, new_subj(), None, "search", "PNC"),
                          lambda: comm(p, tt, "call", f"T{R.randint(100000, 999999)}", "out", 60)])()
            bev(p, t1 + timedelta(minutes=R.randint(0, 15)), s["site_id"] if s["site_id"] not in ("TRN", "CRT") else "CEN", "out")
# rest-day working claims (paid as overtime), presence already generated
for s in rest_day_shifts:
    claim(BY[s["staff_id"]], s["start"], s["end"], "rest_day_working")
# background court on rest days, events
for p in people:
    if not OT_ELIG(p) or p["employment_type"] != "officer":
        continue
    if R.random() < 0.15:
        for _ in range(R.randint(1, 2)):
            d = R.choice(DAYS)
            if (p["staff_id"], d) in shift_of or d in absent_days.get(p["staff_id"], {}) or not in_post(p, d):
                continue
            t0 = at(d, 9, 30)
            t1 = t0 + timedelta(hours=R.choice([4, 4, 5, 6.5]))
            claim(p, t0, t1, "court_rest_day")
            if R.random() < 0.35:
                comm(p, t1 + timedelta(minutes=-20), "call", f"T{R.randint(100000, 999999)}", "out", 90)
    if p["unit_id"].startswith(("RESP", "NHP", "ROADS")) and R.random() < 0.2:
        d = R.choice([date(2025, m, dd) for m, dd in [(3, 15), (4, 12), (5, 17), (8, 9), (8, 23)]])
        if (p["staff_id"], d) not in shift_of and d not in absent_days.get(p["staff_id"], {}) and in_post(p, d):
            t0 = at(d, 11)
            claim(p, t0, t0 + timedelta(hours=8), "event_football")
            if R.random() < 0.6:
                dev(p, t0 + timedelta(minutes=40), "login")
                dev(p, t0 + timedelta(hours=3), "location")

# ---------------- look-alike overtime ----------------
for p in L["court_rest"]:  # several court days on rest days; phone off, no trace
    k = 0
    for d in R.sample(DAYS[45:], 60):
        if (p["staff_id"], d) in shift_of or d in absent_days.get(p["staff_id"], {}) or d.weekday() >= 5:
            continue
        claim(p, at(d, 9, 30), at(d, 14, 30), "court_rest_day")
        k += 1
        if k == 4:
            break
for p in L["mutual_aid"]:  # a week of mutual aid to a neighbouring force, 12h tours, no local trace
    for k in range(5):
        d = date(2025, 7, 7) + timedelta(k)
        s = shift_of.pop((p["staff_id"], d), None)
        if s:
            shifts.remove(s)
        claim(p, at(d, 6), at(d, 18), "mutual_aid", auth=p["line_manager_id"])
for p in L["scene_guard"]:
    k = 0
    for s in [s for s in shifts if s["staff_id"] == p["staff_id"] and s["code"] == "N" and P0 <= s["start"].date()]:
        t0 = s["end"]
        claim(p, t0, t0 + timedelta(hours=4), "scene_guard")
        k += 1
        if k == 3:
            break
for p in L["recall_leave"]:
    al = [a for a in absences if a["staff_id"] == p["staff_id"] and a["type"] == "annual_leave" and a["start"] >= "2025-03-10"]
    if al:
        d = date.fromisoformat(al[0]["start"]) + timedelta(1)
        t0 = at(d, 8)
        claim(p, t0, t0 + timedelta(hours=9), "recall_to_duty", auth=BY[p["line_manager_id"]]["line_manager_id"] or p["line_manager_id"])
        presence(p, t0, t0 + timedelta(hours=9), UNIT[p["unit_id"]][3])


def leave_block(p, start=date(2025, 5, 12), n=8):
    for k in range(n):
        s = shift_of.pop((p["staff_id"], start + timedelta(k)), None)
        if s:
            shifts.remove(s)
    return start


for p in L["court_leave_rost"]:  # witness warned for court during leave: rostered court duty + claim, leave record not amended
    d0 = leave_block(p, date(2025, 6, 2))
    d = d0 + timedelta(2)
    add_shift(p, d, duty="court", site="CRT", start=at(d, 9), end=at(d, 17))
    claim(p, at(d, 17), at(d, 18, 30), "court_overrun")
for p in L["court_leave_norost"]:  # warned for court on leave, roster not updated: claim reason court
    d0 = leave_block(p, date(2025, 7, 14))
    d = d0 + timedelta(3)
    claim(p, at(d, 9, 30), at(d, 15, 30), "court_warned_on_leave")
for p in L["appt_ot"]:  # part-day appointment recorded as sickness hours, then a late finish with activity
    cand = [s for s in shifts if s["staff_id"] == p["staff_id"] and s["code"] in ("E", "D") and P0 <= s["start"].date()]
    for s in cand[:2]:
        absence(p, "sickness", s["start"].date(), s["start"].date(), hours=2.5, reason="Other")
        c = claim(p, s["end"], s["end"] + timedelta(hours=2), "late_finish")
        dev(p, s["end"] + timedelta(minutes=50), "location")
        look(p, s["end"] + timedelta(minutes=70), new_subj(), None, "search", "PNC")
for p in L["phased"]:
    for k in range(0, 14, 4):
        d = date(2025, 5, 1) + timedelta(k)
        if (p["staff_id"], d) in shift_of:
            s = shift_of[(p["staff_id"], d)]
            s["end"] = s["start"] + timedelta(hours=5)
for p in L["oncall"]:  # on-call detectives called out overnight; activity present
    for d in R.sample(DAYS[50:], 5):
        t0 = at(d, 1, 30) if not (d == date(2025, 3, 30)) else at(d, 3)
        claim(p, t0, t0 + timedelta(hours=4), "call_out_on_call")
        presence(p, t0, t0 + timedelta(hours=4), "CUS", lookmult=1.5)
# custody sergeants covering each other while their inspector is on long-term sickness
a, b = L["custody_cover"]
for x, y in [(a, b), (b, a)]:
    for s in [s for s in shifts if s["staff_id"] == x["staff_id"] and date(2025, 4, 3) <= s["start"].date() <= date(2025, 7, 28)][::5][:7]:
        c = claim(x, s["end"], s["end"] + timedelta(hours=1.5), "prisoner_processing", auth=y["staff_id"])
        dev(x, s["end"] + timedelta(minutes=40), "location")
# bh edits normal->bank_holiday on real bank holidays by the person themselves? (self-service recording) - justified
for p in L["bh_edit"]:
    for d in BH:
        s = shift_of.get((p["staff_id"], d))
        if s:
            s["duty_type"] = "bank_holiday"
            rchange(s, p["staff_id"], "duty_type", "normal", "bank_holiday")
# recalled on rest days by inspector during surge / staffing shortfall (roster edits + RDW claims)
for p in L["rdw_recalled"]:
    k = 0
    for d in DAYS[50:]:
        if planned(p, d) is None and d not in absent_days.get(p["staff_id"], {}) and (p["staff_id"], d) not in shift_of:
            s = rdw(p, d, BY[p["line_manager_id"]]["line_manager_id"] or p["line_manager_id"], "E")
            if s:
                claim(p, s["start"], s["end"], "rest_day_working")
                presence(p, s["start"], s["end"], s["site_id"])
                k += 1
        if k == 4:
            break
# approved swaps made by sergeant, then recall claim on the freed day (authorised by someone else)
for p in L["swap_other"]:
    s, freed = swap(p, p["line_manager_id"])
    if s and p in L["swap_other"][:3]:
        t0 = at(freed, 8)
        claim(p, t0, t0 + timedelta(hours=6), "recall_to_duty", auth=BY[p["line_manager_id"]]["line_manager_id"])
        presence(p, t0, t0 + timedelta(hours=6), UNIT[p["unit_id"]][3])
# self-requested swap; a late shift before the freed day overran past midnight (claim = overrun of that duty)
for p in L["swap_overrun"]:
    for s0 in [s for s in shifts if s["staff_id"] == p["staff_id"] and s["code"] == "L" and P0 <= s["start"].date() < P1 - timedelta(6)]:
        nxt = s0["start"].date() + timedelta(1)
        s1 = shift_of.get((p["staff_id"], nxt))
        if not s1 or s1["code"] != "L":
            continue
        # move the next day's late shift onto a rest day 3 days later (requested by the officer, made by themselves in self-service)
        nd = nxt + timedelta(3)
        if (p["staff_id"], nd) in shift_of or planned(p, nd) is not None:
            continue
        old = s1["start"]
        del shift_of[(p["staff_id"], nxt)]
        s1["start"] += timedelta(3)
        s1["end"] += timedelta(3)
        shift_of[(p["staff_id"], nd)] = s1
        rchange(s1, p["staff_id"], "start", old.strftime("%Y-%m-%d %H:%M"), s1["start"].strftime("%Y-%m-%d %H:%M"))
        t0 = s0["end"] + timedelta(minutes=20)  # 00:20 on the freed day: prisoner
        claim(p, t0, t0 + timedelta(hours=2.5), "prisoner_processing")
        dev(p, t0 + timedelta(minutes=45), "location")
        look(p, t0 + timedelta(minutes=60), new_subj(), None, "search", "PNC")
        break
# acting sergeant authorises team's claims (many) - fine
acting = L["acting_sgt"][0]
acting["rank_grade"] = "Constable"  # substantive rank; acting up
acting["role"] = "Response Constable (Acting Sergeant)"
for c in claims:
    if BY[c["staff_id"]]["unit_id"] == acting["unit_id"] and c["staff_id"] != acting["staff_id"] and c["start"].date() >= date(2025, 6, 1) and R.random() < 0.6:
        c["authorised_by"] = acting["staff_id"]

# ---------------- planted misconduct ----------------
# M1: late-finish claims padded with no presence (left on time)
p = M["otnp"]
k = 0
for s in [s for s in shifts if s["staff_id"] == p["staff_id"] and s["code"] in ("E", "L") and P0 <= s["start"].date()][3::4]:
    # strip any background activity after shift end
    t0, t1 = s["end"], s["end"] + timedelta(hours=R.choice([2, 2.5, 3]))
    claim(p, t0, t1, R.choice(["late_finish", "statement_taking"]))
    k += 1
    if k == 9:
        break
T(p, "misconduct", "overtime_no_presence", "9 late-finish claims 2-3h after E/L shifts, no badge/device/system/comms in hours; authorised by sergeant", "misconduct_assessment")
# M2: sergeant self-authorises rest-day 'paperwork' overtime with no presence
p = M["otnp_self"]
k = 0
for d in DAYS[60:]:
    if planned(p, d) is None and (p["staff_id"], d) not in shift_of and d not in absent_days.get(p["staff_id"], {}) and d.weekday() == 5:
        claim(p, at(d, 10), at(d, 14), "admin_backlog", self_auth=True)
        k += 1
        if k == 5:
            break
T(p, "misconduct", "overtime_no_presence+self_authorisation", "5 self-authorised 4h Saturday rest-day admin claims, no trace at all", "gross_misconduct_assessment")
# M3: overtime claimed while on annual leave, on-site reason, no activity, no shift
p = M["ot_leave"]
d0 = leave_block(p, date(2025, 7, 21), 9)
for k in (1, 3, 5):
    d = d0 + timedelta(k)
    claim(p, at(d, 8), at(d, 16), "op_support_station")
T(p, "misconduct", "overtime_during_absence", "3 x 8h on-site claims during 9-day annual leave, no roster, no activity; authorised by sergeant", "gross_misconduct_assessment")
# M4: undeclared job worked while sick (surveillance observation)
p = M["sick_work"]
for k in range(6, 24):
    s = shift_of.pop((p["staff_id"], date(2025, 5, k)), None)
    if s:
        shifts.remove(s)
ext = []
ex_n = [0]


def extrec(kind, cp, source, obs, strength, p=None, name=None, dob=None, activity=""):
    ex_n[0] += 1
    ext.append(dict(record_id=f"XR{ex_n[0]:05d}", kind=kind, counterparty=cp, source=source, observed_at=obs.isoformat(),
                    strength=strength, staff_id=p["staff_id"] if p else "", full_name=name or "",
                    date_of_birth=dob.isoformat() if dob else "", activity=activity))


extrec("employment", "Northgate Security Services Ltd", "Counter-corruption unit surveillance observation", date(2025, 5, 10), "confirmed", p)
extrec("employment", "Northgate Security Services Ltd", "Counter-corruption unit surveillance observation", date(2025, 5, 17), "confirmed", p)
T(p, "misconduct", "sickness_secondary_work", "18-day sickness; seen working undeclared door-security job twice (CCU surveillance)", "gross_misconduct_assessment")
# M5 undeclared directorship (name+dob link)
p = M["undecl_dir"]
p["display_name"] = "Thaddeus Quarrington"
extrec("directorship", "Apex Vehicle Imports Ltd", "Companies House officers register", date(2025, 4, 2), "confirmed",
       None, "QUARRINGTON, Thaddeus", p["date_of_birth"], "45111 Sale of cars and light motor vehicles")
T(p, "misconduct", "undeclared_interest", "director of a car import company (Companies House, linked by unique name+DOB), never declared", "misconduct_assessment")
# M6 undeclared lodge membership
p = M["undecl_lodge"]
extrec("membership", "Lodge of Harmony No. 4321", "UGLE lodge return (lawfully obtained)", date(2025, 3, 20), "confirmed", p)
T(p, "misconduct", "undeclared_interest", "masonic lodge membership (confirmed) not declared under force rule effective 2025-01-01", "misconduct_assessment")
# M7 lookups of ex-partner & family, no case ref, incl off duty, over 4 weeks in July
p = M["lookup_ex"]
fam = [new_subj() for _ in range(5)]
for k in range(78):
    d = date(2025, 7, 1) + timedelta(R.randint(0, 27))
    t = at(d, R.choice([10, 13, 16, 20, 22, 23]), R.randint(0, 59))
    look(p, t, R.choice(fam), None, R.choice(["search", "view", "view"]), R.choice(["Niche", "PND", "PNC"]))
T(p, "misconduct", "lookups_without_case_ref", "78 lookups of ex-partner & family (5 subjects) without case ref in July, some off duty", "misconduct_assessment")
# M8 CID DC browses a high-profile case of CID South (not his) without citing it
p = M["lookup_case"]
hp = new_case(R.choice([q["staff_id"] for q in people if q["unit_id"] == "CID-S" and q["rank_grade"] == "Constable"]),
              date(2025, 5, 20), None, 0.5, prefix="HP")
for _ in range(6):
    hp["parties"].append((new_subj(), "witness", R.random() < 0.3))
for k in range(70):
    d = date(2025, 6, 2) + timedelta(R.randint(0, 20))
    t = at(d, R.choice([9, 11, 14, 15]), R.randint(0, 59))
    look(p, t, R.choice(hp["parties"])[0], None, "view", "Niche")
T(p, "misconduct", "lookups_outside_own_cases", "70 views of parties of another team's high-profile case, no case ref, June", "misconduct_assessment")
# M9 APSP: safeguarding DC and a vulnerable DA victim after case closed
p = M["apsp"]
c9 = new_case(p["staff_id"], date(2025, 2, 3), date(2025, 4, 11), 0)
vic = c9["parties"][1][0]
c9["parties"][1] = (vic, "victim", True)
cases_by_oic.setdefault(p["staff_id"], []).append(c9)
for k in range(6):  # honest on-duty contact while case open
    d = date(2025, 3, 3) + timedelta(7 * k)
    comm(p, at(d, 11, 15), "call", vic, "out", 300)
    look(p, at(d, 10, 50), vic, c9["case_ref"])
for k in range(45):
    d = date(2025, 5, 2) + timedelta(R.randint(0, 110))
    hr = R.choice([21, 22, 23, 23, 0])
    t = at(d, hr, R.randint(0, 59)) + (timedelta(days=1) if hr == 0 else timedelta())
    ch = R.choice(["sms", "sms", "sms", "call"])
    comm(p, t, ch, vic, R.choice(["out", "out", "in"]), R.randint(900, 2400) if ch == "call" else "")
for k in range(4):
    d = date(2025, 5, 10) + timedelta(20 * k)
    look(p, at(d, 22, 30), vic, None, "view", "Niche")
T(p, "misconduct", "victim_contact(APSP)", "45 late-night texts/long calls to vulnerable DA victim after case closed + off-duty record views", "criminal_referral")
# M10 PC contacts vulnerable witness off duty after closure by text
p = M["vc_off"]
c10 = new_case(p["staff_id"], date(2025, 3, 1), date(2025, 4, 20), 0)
wit = new_subj()
c10["parties"].append((wit, "witness", True))
cases_by_oic.setdefault(p["staff_id"], []).append(c10)
for k in range(9):
    d = date(2025, 6, 1) + timedelta(R.randint(0, 60))
    while (p["staff_id"], d) in shift_of:
        d += timedelta(1)
    comm(p, at(d, 20, R.randint(0, 59)), "sms", wit, "out")
T(p, "misconduct", "victim_contact", "9 off-duty texts to a vulnerable witness 6-10 weeks after case closed", "misconduct_assessment")
# M11 self-edits of normal duty into rest_day_working
p = M["premium"]
cand = [s for s in shifts if s["staff_id"] == p["staff_id"] and s["duty_type"] == "normal" and date(2025, 4, 1) <= s["start"].date()]
for s in R.sample(cand, 4):
    s["duty_type"] = "rest_day_working"
    rchange(s, p["staff_id"], "duty_type", "normal", "rest_day_working", when=s["start"] + timedelta(days=1))
T(p, "misconduct", "roster_premium_edit", "4 own roster entries edited normal->rest_day_working after the fact", "misconduct_assessment")
# M12 self-swap then overtime claimed on the freed day
p = M["swap_ot"]
for _ in range(2):
    s, freed = swap(p, p["staff_id"])
    if s:
        t0 = at(freed, 7)
        claim(p, t0, t0 + timedelta(hours=10), "rest_day_working")
        presence(p, t0, t0 + timedelta(hours=10), UNIT[p["unit_id"]][3])
T(p, "misconduct", "rest_day_swap_overtime", "2 self-made swaps; worked & claimed OT on the day vacated (double pay)", "misconduct_assessment")
# M13 reciprocal authorisation ARV sgt <-> Roads sgt (not in line management)
a, b = M["recip_a"], M["recip_b"]
for x, y in [(a, b), (b, a)]:
    for c in claims:
        if c["staff_id"] == x["staff_id"]:
            c["authorised_by"] = y["staff_id"]
    for s in [s for s in shifts if s["staff_id"] == x["staff_id"] and P0 <= s["start"].date()][2::9][:7]:
        c = claim(x, s["end"], s["end"] + timedelta(hours=2), "late_finish", auth=y["staff_id"])
        dev(x, s["end"] + timedelta(minutes=45), "location")
    T(x, "misconduct", "reciprocal_authorisation", "ARV and Roads sergeants authorise all of each other's claims, outside line mgmt", "misconduct_assessment")
# M14 control room supervisor self-authorises
p = M["selfauth"]
for s in [s for s in shifts if s["staff_id"] == p["staff_id"] and P0 <= s["start"].date()][5::12][:3]:
    c = claim(p, s["end"], s["end"] + timedelta(hours=2), "late_finish", self_auth=True)
    look(p, s["end"] + timedelta(minutes=50), new_subj(), None, "search", "PNC")
T(p, "misconduct", "self_authorisation", "3 overtime claims authorised by self (work done)", "misconduct_assessment")
# M15 office attendance
T(M["office"], "misconduct", "office_attendance", "hybrid finance officer in office ~25% of days vs 60% rule", "advice")
# M16 declared second job, seen working repeatedly while sick
p = M["decl_sick"]
decls = []
dc_n = [0]


def decl(p, kind, cp, when, status="approved"):
    dc_n[0] += 1
    decls.append(dict(declaration_id=f"DC{dc_n[0]:05d}", staff_id=p["staff_id"], kind=kind, counterparty=cp,
                      declared_at=when.isoformat(), status=status))


decl(p, "secondary_employment", "Kestrel Driving School", date(2023, 9, 1))
for k in range(1, 22):
    s = shift_of.pop((p["staff_id"], date(2025, 7, k)), None)
    if s:
        shifts.remove(s)
for dd in (4, 9, 15):
    extrec("employment", "Kestrel Driving School Ltd", "Driving school lesson booking timesheet", date(2025, 7, dd), "confirmed", p)
T(p, "misconduct", "sickness_secondary_work", "declared driving-instructor job; 3 lessons logged during 3-week sickness", "gross_misconduct_assessment")
# M17 DC claims court attendance on rest days when no court (case ended); no trace
p = M["court_fake"]
k = 0
for d in DAYS[60:]:
    if d.weekday() < 5 and (p["staff_id"], d) not in shift_of and d not in absent_days.get(p["staff_id"], {}) and d not in BH:
        claim(p, at(d, 9, 30), at(d, 15, 30), "court_rest_day")
        k += 1
        if k == 6:
            break
T(p, "misconduct", "overtime_no_presence(court)", "6 'court' rest-day claims for a trial that had ended (no rostered court, no trace)", "misconduct_assessment")

# ---------------- look-alike victim contact ----------------
for p in L["victim_incoming"]:  # victim calls officer after closure; officer returns short call within hours (off duty)
    c = new_case(p["staff_id"], date(2025, 2, 10), date(2025, 4, 1), 0)
    v = c["parties"][1][0]
    c["parties"][1] = (v, "victim", True)
    cases_by_oic.setdefault(p["staff_id"], []).append(c)
    for k in range(5):
        d = date(2025, 5, 5) + timedelta(9 * k)
        comm(p, at(d, 18, 40), "call", v, "in", 60)
        comm(p, at(d, 19, 50), "call", v, "out", 120)
        comm(p, at(d, 20, 10), "sms", v, "in")
for p in L["witness_care"]:  # victims' code updates: on duty, short calls, within grace then tapering
    c = new_case(p["staff_id"], date(2025, 3, 3), date(2025, 5, 9), 0)
    v = c["parties"][1][0]
    c["parties"][1] = (v, "victim", True)
    cases_by_oic.setdefault(p["staff_id"], []).append(c)
    ss = [s for s in shifts if s["staff_id"] == p["staff_id"] and date(2025, 5, 10) <= s["start"].date() <= date(2025, 6, 20)]
    for s in ss[:4]:
        comm(p, s["start"] + timedelta(hours=2), "call", v, "out", R.choice([180, 600, 1500]))
        look(p, s["start"] + timedelta(hours=1, minutes=45), v, None, "view", "Niche")
for p in L["victim_reparty"]:  # old case victim is a witness in a new open case
    c1 = new_case(p["staff_id"], date(2025, 1, 20), date(2025, 3, 20), 0)
    v = c1["parties"][1][0]
    c1["parties"][1] = (v, "victim", True)
    c2 = new_case(p["staff_id"], date(2025, 5, 1), None, 0)
    c2["parties"].append((v, "witness", True))
    cases_by_oic.setdefault(p["staff_id"], []).extend([c1, c2])
    for k in range(6):
        d = date(2025, 5, 6) + timedelta(8 * k)
        comm(p, at(d, 20, 15), "call", v, "out", 400)
        comm(p, at(d, 20, 40), "sms", v, "out")

# ---------------- declarations & external records ----------------
for p in people:
    if p["staff_id"] in used:
        continue
    if p["employment_type"] == "officer" and R.random() < 0.12 or p["employment_type"] == "staff" and R.random() < 0.07:
        biz = f"{p['display_name'].split()[1]} {R.choice(['Lettings', 'Property Ltd', 'Fitness Coaching', 'Photography', 'Plumbing Ltd', 'Tutoring'])}"
        decl(p, R.choice(["business_interest", "secondary_employment"]), biz, date(R.randint(2018, 2024), R.randint(1, 12), 1))
        if R.random() < 0.4:
            extrec("directorship" if "Ltd" in biz else "employment", biz, "Companies House officers register" if "Ltd" in biz else "HMRC RTI payroll return",
                   date(2024, R.randint(1, 12), 10), "confirmed", p)
for p in L["decl_job_namevar"]:
    sur = p["display_name"].split()[1]
    decl(p, "business_interest", f"{sur} & Sons Plumbing", date(2021, 5, 1))
    extrec("directorship", f"{sur.upper()} AND SONS PLUMBING LIMITED", "Companies House officers register", date(2025, 3, 18), "confirmed", p)
for p in L["charity"]:
    extrec("directorship", "Vale Valley Food Bank", "Charity Commission register of trustees", date(2025, 4, 2), "confirmed", p,
           activity="registered charity 1178234")
for p in L["rtm"]:
    extrec("directorship", "Mill Court (Castleford) RTM Company Limited", "Companies House officers register", date(2025, 3, 25), "confirmed", p,
           activity="98000 Residents property management")
for p in L["police_sports"]:
    extrec("directorship", "Wessex Vale Police Sports and Social Club Ltd", "Companies House officers register", date(2025, 5, 2), "confirmed", p)
for p in L["lodge_decl"]:
    decl(p, "membership", "St Aldhelm Lodge No. 7702", date(2025, 1, 20))
    extrec("membership", "St. Aldhelm Lodge No 7702", "UGLE lodge return (lawfully obtained)", date(2025, 3, 20), "confirmed", p)
for p in L["stjohn"]:
    extrec("membership", "Order of St John (St John Ambulance volunteers)", "Open source profile", date(2025, 4, 11), "confirmed", p)
for p in L["family"]:
    other = R.choice([q for q in people if q["rank_grade"] == "Sergeant" and q["unit_id"] != p["unit_id"]])
    decl(p, "relationship", f"Spouse - {other['display_name']} (serving sergeant)", date(2019, 6, 1))
    extrec("relationship", f"{other['display_name']} (serving sergeant)", "Force vetting record", date(2025, 4, 1), "confirmed", p)
for p in L["late_decl"]:
    decl(p, "secondary_employment", "Castleford Leisure Centre", date(2024, 11, 1))
    extrec("employment", "Castleford Leisure Centre", "HMRC RTI payroll return", date(2024, 5, 31), "confirmed", p)
for p in L["sick_rti"]:
    decl(p, "secondary_employment", "Vale Taxis", date(2022, 2, 1))
    extrec("employment", "Vale Taxis", "HMRC RTI payroll return", date(2025, 6, 5), "confirmed", p)
for p in L["sick_onesight"]:
    decl(p, "secondary_employment", "Greenacre Garden Centre", date(2023, 4, 1))
    extrec("employment", "Greenacre Garden Centre", "Shift rota of employer", date(2025, 4, 30), "confirmed", p)
for p in L["sick_charity"]:
    extrec("directorship", "Castleford Youth Boxing Club CIO", "Charity Commission annual return", date(2025, 7, 10), "confirmed", p,
           activity="registered charity 1190011")
for p in L["specials_job"]:
    decl(p, "secondary_employment", "Vale NHS Trust (main employment)", date(2022, 1, 1))
    extrec("employment", "Vale NHS Trust", "HMRC RTI payroll return", date(2025, 5, 31), "confirmed", p)

# ---------------- v2: routine register & roster activity in the period (FORCE_V2=1) ----------------
if os.environ.get("FORCE_V2"):
    R2 = random.Random(7)
    for dcl in list(decls):  # annual re-confirmation of every declared interest, April 2025
        if dcl["declared_at"] < "2025-01-01":
            dc_n[0] += 1
            decls.append(dict(dcl, declaration_id=f"DC{dc_n[0]:05d}", declared_at=date(2025, 4, R2.randint(1, 30)).isoformat()))
    for s in shifts:  # routine edits: site moves and hours amended by supervisors/resourcing
        if R2.random() < 0.03 and s["duty_type"] == "normal" and P0 <= s["start"].date():
            p = BY[s["staff_id"]]
            by = p["line_manager_id"] or R2.choice(RESOURCERS)
            if R2.random() < 0.5:
                rchange(s, by, "site_id", s["site_id"], s["site_id"])
            else:
                rchange(s, by, "end", s["end"].strftime("%Y-%m-%d %H:%M"), s["end"].strftime("%Y-%m-%d %H:%M"))

# truth for look-alikes
NOTES = {
    "late_heavy": ("excess_overtime_late_finishes", "many late-finish claims with device/systems activity during them"),
    "court_rest": ("court_on_rest_days", "4 court claims on rest days, phone off in court, no trace"),
    "mutual_aid": ("mutual_aid", "week of 12h mutual-aid tours in another force, no local trace, shifts removed"),
    "scene_guard": ("scene_guard", "3 x 4h scene-guard claims after nights, partly no trace"),
    "surge_top": ("major_incident_surge", "Op Harbour week: heavy overtime & lookups like whole STH unit"),
    "recall_leave": ("recall_from_leave", "recalled from annual leave, authorised by inspector, activity present"),
    "court_leave_rost": ("court_during_leave_rostered", "court duty rostered during leave block; 1.5h court overrun claim"),
    "court_leave_norost": ("court_during_leave_unrostered", "warned for court during leave; roster & leave not amended; 6h court claim, no trace"),
    "phased": ("phased_return", "long sickness then phased return recorded as 4h part-day sickness, short shifts"),
    "appt_ot": ("appointment_then_late_finish", "2.5h medical appointment recorded as sickness; late finish same day w/ activity"),
    "control_heavy": ("control_room_heavy_lookups", "call handler/dispatcher at 1.7x normal lookup volume, no refs"),
    "pnc_heavy": ("pnc_vetting_heavy_lookups", "PNC/vetting 1.8x volume, no refs"),
    "intel": ("intel_researcher_lookups", "intel researcher 1.6x volume, no refs"),
    "brief_sgt": ("briefing_sergeant_lookups", "response sergeant doing briefing checks, 2x lookups"),
    "oncall": ("oncall_callouts", "on-call detective night call-outs with activity"),
    "custody_cover": ("custody_sgts_cover_absent_inspector", "authorise each other's claims while inspector long-term sick"),
    "rdw_recalled": ("rest_day_recall_rdw", "4 rest-day working recalls each edited by inspector rest_day->rdw"),
    "swap_other": ("swap_by_sergeant", "swap made by sergeant; 3 of them recalled on freed day, authorised by inspector"),
    "swap_overrun": ("self_swap_with_overrun", "self-swap; prior late shift overran 00:20-02:50 into freed day"),
    "jobshare": ("job_share", "0.5 FTE job-sharers working Mon-Wed / Wed-Fri, hybrid"),
    "compressed": ("compressed_hours", "4 x ~10h days, hybrid"),
    "parttime_hyb": ("part_time_hybrid", "0.6 FTE, Tue-Thu, hybrid"),
    "maternity": ("maternity_return", "parental leave until 30 May then back, hybrid"),
    "othersite": ("works_from_other_site", "HQ staff who badges at Castleford Central instead of HQ"),
    "adjust": ("reasonable_adjustment", "exempt from hybrid rule (hybrid_policy false), mostly home"),
    "carer": ("carers_leave", "4 single carer's leave days"),
    "decl_job_namevar": ("declared_business_namevariant", "declared '& Sons Plumbing'; Companies House 'AND SONS PLUMBING LIMITED'"),
    "charity": ("charity_trustee", "food bank trustee, registered charity"),
    "rtm": ("rtm_director", "director of own block's RTM company"),
    "police_sports": ("police_sports_club_director", "director of force sports & social club"),
    "lodge_decl": ("declared_lodge", "lodge declared Jan 2025, record spelled slightly differently"),
    "stjohn": ("order_of_st_john", "St John Ambulance volunteer"),
    "family": ("spouse_in_force_declared", "declared relationship with serving sergeant"),
    "victim_incoming": ("victim_initiates_contact", "vulnerable victim calls after closure; officer returns call within ~1h (off duty)"),
    "witness_care": ("victims_code_updates", "on-duty calls to vulnerable victim after closure + record view on duty"),
    "victim_reparty": ("victim_in_new_open_case", "old-case victim now a witness in open case; evening calls/texts"),
    "sick_rti": ("declared_job_payroll_during_sickness", "declared taxi job, RTI payroll return dated in 12-day sickness"),
    "sick_onesight": ("declared_job_one_sighting", "declared garden-centre job, one rota entry during 4-week MH sickness"),
    "sick_charity": ("charity_filing_during_sickness", "charity (CIO) annual return filed during sickness"),
    "specials_job": ("special_with_day_job", "special constable's declared main employment"),
    "acting_sgt": ("acting_sergeant_authorises", "acting sergeant authorising team claims from June"),
    "firearms_training": ("firearms_training_days", "every 3rd early shift a training day at training centre"),
    "longterm_sick": ("long_term_sickness", "10-week musculoskeletal sickness"),
    "bh_edit": ("bank_holiday_self_edit", "own roster edited normal->bank_holiday on real bank holidays"),
    "late_decl": ("declared_late_before_period", "leisure centre job observed May 2024, declared Nov 2024 (late, before period)"),
}
for key, ps in L.items():
    for p in (ps if isinstance(ps, list) else [ps]):
        T(p, "lookalike", NOTES[key][0], NOTES[key][1], "none_or_wellbeing")

# ---------------- write ----------------
def w(name, rows, cols):
    with open(os.path.join(OUT, name + ".csv"), "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(cols)
        for r in rows:
            out = []
            for c in cols:
                v = r.get(c, "")
                if isinstance(v, datetime):
                    v = ts(v)
                elif isinstance(v, date):
                    v = v.isoformat()
                elif isinstance(v, bool):
                    v = "true" if v else "false"
                elif v is None:
                    v = ""
                out.append(v)
            wr.writerow(out)
    print(name, len(rows))


w("sites", [dict(site_id=a, name=b, kind=c) for a, b, c in sites], ["site_id", "name", "kind"])
w("units", [dict(unit_id=a, name=b, unit_type=c, site_id=d, command="Wessex Vale") for a, b, c, d in units],
  ["unit_id", "name", "unit_type", "command", "site_id"])
w("people", people, ["staff_id", "rank_grade", "role", "unit_id", "employment_type", "fte", "start_date", "end_date",
                     "hybrid_policy", "line_manager_id", "display_name", "date_of_birth"])
w("shifts", shifts, ["shift_id", "staff_id", "start", "end", "duty_type", "site_id"])
w("roster_changes", rchanges, ["change_id", "shift_id", "staff_id", "changed_by", "changed_at", "field", "old_value", "new_value"])
w("overtime_claims", claims, ["claim_id", "staff_id", "start", "end", "hours", "rate", "reason_code", "submitted_at",
                              "authorised_by", "authorised_at", "status"])
w("absences", absences, ["absence_id", "staff_id", "type", "start", "end", "reason_category", "days", "hours", "status"])
w("badge_events", list({(r["staff_id"], r["ts"], r["site_id"], r["direction"]): r for r in badge}.values()), ["staff_id", "ts", "site_id", "direction"])
w("device_events", list({(r["staff_id"], r["device_id"], r["ts"], r["kind"]): r for r in device}.values()), ["staff_id", "device_id", "ts", "kind", "site_id"])
w("system_access", sysacc, ["event_id", "staff_id", "ts", "system", "action", "subject_ref", "case_ref"])
w("comms_events", comms, ["event_id", "staff_id", "ts", "channel", "counterpart_ref", "direction", "duration_s"])
cp = []
seen = set()
for c in cases:
    for s, role, v in c["parties"]:
        if (c["case_ref"], s, role) in seen:
            continue
        seen.add((c["case_ref"], s, role))
        cp.append(dict(case_ref=c["case_ref"], subject_ref=s, role=role, vulnerable=v, officer_in_case=c["oic"],
                       opened=c["opened"], closed=c["closed"]))
w("case_parties", cp, ["case_ref", "subject_ref", "role", "vulnerable", "officer_in_case", "opened", "closed"])
w("declarations", decls, ["declaration_id", "staff_id", "kind", "counterparty", "declared_at", "status"])
w("external_records", ext, ["record_id", "kind", "counterparty", "source", "observed_at", "strength", "staff_id", "full_name",
                            "date_of_birth", "activity"])
comp = [dict(complaint_id=f"CP{i:04d}", staff_id=p["staff_id"], received_at=at(R.choice(DAYS), 12),
             allegation=R.choice(["Incivility", "Delay in investigation", "Use of force", "Property handling"]),
             outcome=R.choice(["not_upheld", "not_upheld", "pending", "upheld"])) for i, p in enumerate(R.sample([q for q in people if q["employment_type"] == "officer"], 60))]
w("complaints", comp, ["complaint_id", "staff_id", "received_at", "allegation", "outcome"])
with open(os.path.join(BASE, "truth.csv"), "w", newline="") as f:
    wr = csv.DictWriter(f, ["staff_id", "kind", "pattern", "note", "ideal_route"])
    wr.writeheader()
    wr.writerows(truth)
print("truth", len(truth), sum(t["kind"] == "misconduct" for t in truth))
