#!/usr/bin/env python3
"""Red team 5: 'Calderwick Police' - a hand-built small force, Oct 2023 - Feb 2024.

Writes BASE/force/* (export shapes as the force's own systems write them) and
BASE/truth.csv (``python benchmarks/independent/calderwick.py BASE``).  Fixed seed.  Needs pyarrow only for the two Parquet exports.
"""
import csv, io, os, random, shutil, json, sys
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo
import pyarrow as pa, pyarrow.parquet as pq

R = random.Random(20231029)
LON = ZoneInfo("Europe/London")
BASE = sys.argv[1] if len(sys.argv) > 1 else "calderwick"
OUT = os.path.join(BASE, "force")
FIND = os.path.join(BASE, "ingest-findings")
P0, P1 = date(2023, 10, 1), date(2024, 2, 29)
GEN0, GEN1 = date(2023, 9, 18), date(2024, 3, 3)          # generated span (a little either side)
BANK = {date(2023, 12, 25), date(2023, 12, 26), date(2024, 1, 1)}
CLOSURE = {date(2023, 12, 27), date(2023, 12, 28), date(2023, 12, 29)}   # THQ building closed (privilege days)
ANCHOR = date(2023, 9, 1)

def days(a, b):
    d = a
    while d <= b:
        yield d
        d += timedelta(days=1)

def dt(d, hhmm):
    h, m = map(int, hhmm.split(":"))
    return datetime(d.year, d.month, d.day) + timedelta(hours=h, minutes=m)

def utc(local):
    return local.replace(tzinfo=LON).astimezone(timezone.utc)

def ambiguous(local):
    a = local.replace(tzinfo=LON, fold=0).utcoffset(); b = local.replace(tzinfo=LON, fold=1).utcoffset()
    return a != b

def rmin(a, b):
    return timedelta(minutes=R.uniform(a, b))

# ---------------------------------------------------------------- names
FORE_F = ["Amelia","Sophie","Grace","Hannah","Chloë","Zoë","Siobhán","Renée","Priya","Aisha","Laura","Rachel","Megan","Katie",
          "Emma","Lucy","Natalie","Gemma","Joanne","Nicola","Claire","Bethany","Holly","Leah","Jade","Fatima","Yasmin","Eilidh",
          "Niamh","Ellie","Rebecca","Kirsty","Sarah","Helen","Amy","Danielle","Olivia","Charlotte","Abigail","Harriet"]
FORE_M = ["James","Thomas","Daniel","Matthew","Ryan","Liam","Connor","Seán","Björn","Mohammed","Imran","Arjun","Kieran","Adam",
          "Luke","Jack","Callum","Nathan","Jordan","Lewis","Craig","Gareth","Stuart","Mark","Paul","Andrew","Simon","Richard",
          "Owen","Rhys","Aled","Dominic","Marcus","Tomasz","Piotr","Joel","Ben","Sam","Harry","Oliver"]
SURN = ["Ashworth","Barraclough","Holroyd","Sutcliffe","Crabtree","Haigh","Pickles","Greenwood","Lumb","Brearley","Ackroyd",
        "Whiteley","Mitchell","Hussain","Khan","Akhtar","Patel","Begum","Nowak","Kowalski","O'Neill","Ó Briain","McCarthy",
        "Fitzgerald","Hartley","Redfern","Sykes","Thornton","Priestley","Firth","Dyson","Wadsworth","Marsden","Hirst",
        "Bottomley","Shackleton","Lister","Fearnley","Booth","Cartwright","Stansfield","Rushworth","Clegg","Horsfall","Jagger",
        "Illingworth","Moorhouse","Normanton","Oldroyd","Pollard","Ramsden","Scholes","Tattersall","Uttley","Varley","Wilkinson",
        "Yeadon","Barker","Crowther","Dobson","Ellis","Garside","Hinchliffe","Kaur","Singh","Ahmed","Rahman","Mensah","Okafor",
        "Adeyemi","Campbell","Stewart","Müller","Novak","Dąbrowski".replace("ą","a"),"Zielinski","Fernández","Rossi","Costa"]

used_ids, used_names = set(), set()
def new_sid():
    while True:
        s = str(R.randint(210000, 889999))
        if s not in used_ids:
            used_ids.add(s); return s

def new_name(sex):
    while True:
        f = R.choice(FORE_F if sex == "F" else FORE_M); s = R.choice(SURN)
        if (f, s) not in used_names:
            used_names.add((f, s)); return f, s

# ---------------------------------------------------------------- sites & units
SITES = [  # code, name, export 'Building Type', lat, lon, pro-watch building name (None = no readers)
    ("CWC1", "Calderwick Central Police Station, Bridge Street", "Police Station", 53.7212, -1.8591, "Calderwick Central"),
    ("CWCS", "Calderwick Custody Suite, Foundry Lane", "Custody Suite", 53.7189, -1.8533, "Calderwick Custody"),
    ("ASF1", "Ashby Fold Police Station", "Police Station", 53.6874, -1.9012, "Ashby Fold"),
    ("NTB1", "Netherby Police Office, Town Hall Annexe", "Police Station", 53.7551, -1.9466, "Netherby"),
    ("THQ", "Tanner's Yard Headquarters", "Office", 53.7268, -1.8420, "Tanner's Yard HQ"),
    ("RGB", "Ravensgill Operational Support Base", "Police Station", 53.7020, -1.7905, "Ravensgill OSB"),
    ("MLTC", "Moss Lane Training Centre", "Training Centre", 53.7402, -1.8102, "Moss Lane TC"),
    ("CCC", "Calderwick Crown Court", "Court", 53.7225, -1.8570, None),
]
SITE = {s[0]: s for s in SITES}
UNITS = [  # id, name, function (force's own word), command, base
    ("PAT1", "Calderwick Patrol Team 1", "Patrol", "Calderwick LPA", "CWC1"),
    ("PAT2", "Calderwick Patrol Team 2", "Patrol", "Calderwick LPA", "CWC1"),
    ("PAT3", "Calderwick Patrol Team 3", "Patrol", "Calderwick LPA", "CWC1"),
    ("PAT4", "Ashby Fold Patrol Team 4", "Patrol", "Calderwick LPA", "ASF1"),
    ("PAT5", "Ashby Fold Patrol Team 5", "Patrol", "Calderwick LPA", "ASF1"),
    ("SNT-C", "Calderwick Town Centre Safer Neighbourhoods", "Safer Neighbourhoods", "Calderwick LPA", "CWC1"),
    ("SNT-AN", "Ashby & Netherby Safer Neighbourhoods", "Safer Neighbourhoods", "Calderwick LPA", "NTB1"),
    ("CID", "Calderwick CID", "Investigations", "Crime & Safeguarding", "CWC1"),
    ("PPU", "Public Protection Unit", "Investigations", "Crime & Safeguarding", "CWC1"),
    ("CUS", "Custody & Detention", "Custody", "Criminal Justice", "CWCS"),
    ("OSU", "Roads & Armed Policing", "Operational Support", "Operations", "RGB"),
    ("FCR", "Force Contact & Control Room", "Communications", "Operations", "THQ"),
    ("RES", "Resourcing & Duty Management", "Corporate", "Business Support", "THQ"),
    ("PSV", "People Services & Finance", "Corporate", "Business Support", "THQ"),
    ("IMU", "Information Management & Disclosure", "Corporate", "Business Support", "THQ"),
    ("PSD", "Professional Standards", "Corporate", "Command", "THQ"),
    ("INT", "Intelligence Hub", "Intelligence", "Crime & Safeguarding", "THQ"),
    ("SLT", "Command Team", "Corporate", "Command", "THQ"),
    ("LND", "Learning & Development", "Learning & Development", "Business Support", "MLTC"),
    ("SPC", "Special Constabulary", "Volunteers", "Calderwick LPA", "CWC1"),
    ("LIC", "Licensing & Firearms Licensing", "Corporate", "Business Support", "THQ"),
]
UNIT = {u[0]: u for u in UNITS}
FUNCTION_TYPE = {"Patrol": "response", "Safer Neighbourhoods": "neighbourhood", "Investigations": "investigation",
                 "Custody": "custody", "Operational Support": "specialist", "Corporate": "hq",
                 "Communications": "other", "Intelligence": "other", "Learning & Development": "other", "Volunteers": "other"}

# ---------------------------------------------------------------- people
people, P = [], {}
def add(unit, rank, role, group, lm=None, fte=1.0, sex=None, start=None, end=None, hybrid=None, rota=None, **kw):
    sex = sex or ("F" if R.random() < 0.38 else "M")
    f, s = new_name(sex)
    sid = new_sid()
    yob = R.randint(1966, 2001)
    p = dict(sid=sid, fore=f, sur=s, sex=sex, dob=date(yob, R.randint(1, 12), R.randint(1, 28)), unit=unit, rank=rank,
             role=role, group=group, lm=lm, fte=fte,
             start=start or date(R.randint(max(yob + 19, 1992), 2022), R.randint(1, 12), R.randint(1, 28)),
             end=end, hybrid=hybrid, rota=rota, hours=None, **kw)
    people.append(p); P[sid] = p
    return p

OFF, STAFF = "Police Officer", "Police Staff"
supt = add("SLT", "Superintendent", "Local Policing Commander", OFF, hybrid=True)
ci_ops = add("SLT", "Chief Inspector", "Chief Inspector - Operations", OFF, lm=supt["sid"], hybrid=True)
ci_crime = add("SLT", "Chief Inspector", "Chief Inspector - Crime & Safeguarding", OFF, lm=supt["sid"], hybrid=True)
add("SLT", "SO2", "Staff Officer to the Commander", STAFF, lm=supt["sid"], hybrid=True)

teams = {}
for i, u in enumerate(["PAT1", "PAT2", "PAT3", "PAT4", "PAT5"]):
    insp = add(u, "Inspector", "Patrol Inspector", OFF, lm=ci_ops["sid"], rota=("resp", i))
    sg = [add(u, "Sergeant", "Patrol Sergeant", OFF, lm=insp["sid"], rota=("resp", i)) for _ in range(2)]
    pcs = []
    for j in range(12):
        role = "Tutor Constable" if j in (0, 1) else ("Student Officer" if j in (10, 11) else "Patrol Constable")
        st = date(2023, R.randint(3, 8), R.randint(1, 28)) if role == "Student Officer" else None
        pcs.append(add(u, "Constable", role, OFF, lm=sg[j % 2]["sid"], rota=("resp", i), start=st))
    teams[u] = dict(insp=insp, sgts=sg, pcs=pcs)

snt = {}
snt_insp = add("SNT-C", "Inspector", "Neighbourhood Inspector", OFF, lm=ci_ops["sid"], rota=("days", 0))
for u, nsg, npc, npcso in [("SNT-C", 2, 7, 6), ("SNT-AN", 1, 5, 5)]:
    sg = [add(u, "Sergeant", "Neighbourhood Sergeant", OFF, lm=snt_insp["sid"], rota=("snt", k)) for k in range(nsg)]
    pcs = [add(u, "Constable", "Neighbourhood Constable", OFF, lm=sg[k % nsg]["sid"], rota=("snt", k)) for k in range(npc)]
    pcsos = [add(u, "Scale 4", "Police Community Support Officer", STAFF, lm=sg[k % nsg]["sid"], rota=("snt", k + 1)) for k in range(npcso)]
    snt[u] = dict(sgts=sg, pcs=pcs, pcsos=pcsos)

di_cid = add("CID", "Detective Inspector", "Detective Inspector - CID", OFF, lm=ci_crime["sid"], rota=("cid", 0))
cid_ds = [add("CID", "Detective Sergeant", "CID Detective Sergeant", OFF, lm=di_cid["sid"], rota=("cid", k)) for k in range(3)]
cid_dc = [add("CID", "Detective Constable", "CID Detective", OFF, lm=cid_ds[k % 3]["sid"], rota=("cid", k)) for k in range(15)]
cid_staff = [add("CID", "SO1", "Investigation Officer (Staff)", STAFF, lm=cid_ds[k]["sid"], rota=("cid", k + 2)) for k in range(2)]
ppu_ds = add("PPU", "Detective Sergeant", "Safeguarding Detective Sergeant", OFF, lm=di_cid["sid"], rota=("cid", 1))
ppu_dc = [add("PPU", "Detective Constable", "Safeguarding Detective", OFF, lm=ppu_ds["sid"], rota=("cid", k)) for k in range(7)]
mosovo = add("PPU", "Detective Constable", "MOSOVO Officer", OFF, lm=ppu_ds["sid"], rota=("cid", 2))
misper = add("PPU", "Scale 6", "Missing Persons Coordinator", STAFF, lm=ppu_ds["sid"], rota=("cid", 0), sex="F")

cus_insp = add("CUS", "Inspector", "Custody Inspector", OFF, lm=ci_crime["sid"], rota=("days", 0))
cus_sg = [add("CUS", "Sergeant", "Custody Sergeant", OFF, lm=cus_insp["sid"], rota=("cust", k % 4)) for k in range(5)]
cus_ddo = [add("CUS", "Scale 3", "Detention Officer", STAFF, lm=cus_sg[k % 4]["sid"], rota=("cust", k % 4)) for k in range(10)]

osu_insp = add("OSU", "Inspector", "Operations Inspector", OFF, lm=ci_ops["sid"], rota=("days", 0))
osu_sg = [add("OSU", "Sergeant", "Roads Policing Sergeant", OFF, lm=osu_insp["sid"], rota=("osu", k)) for k in range(3)]
osu_pc = [add("OSU", "Constable", "Roads Policing Constable" if k < 10 else "Armed Response Officer", OFF,
              lm=osu_sg[k % 3]["sid"], rota=("osu", k % 5)) for k in range(14)]

fcr_mgr = add("FCR", "PO3", "Control Room Manager", STAFF, lm=ci_ops["sid"], hybrid=True)
fcr_sup = [add("FCR", "SO2", "Control Room Supervisor", STAFF, lm=fcr_mgr["sid"], rota=("cust", k)) for k in range(4)]
fcr_ch = [add("FCR", "Scale 4" if k % 2 == 0 else "Scale 5", "Call Handler" if k % 2 == 0 else "Despatcher", STAFF,
              lm=fcr_sup[k % 4]["sid"], rota=("cust", k % 4)) for k in range(16)]

res_mgr = add("RES", "SO2", "Resourcing Manager", STAFF, lm=ci_ops["sid"], hybrid=True)
res_off = [add("RES", "Scale 5", "Resourcing Officer", STAFF, lm=res_mgr["sid"], hybrid=True) for _ in range(4)]
psv_head = add("PSV", "M3", "Head of People Services", STAFF, lm=supt["sid"], hybrid=True)
psv = [add("PSV", g, r, STAFF, lm=psv_head["sid"], hybrid=True) for g, r in
       [("SO1", "HR Adviser"), ("SO1", "HR Adviser"), ("Scale 6", "Finance Officer"), ("Scale 6", "Finance Officer"),
        ("Scale 4", "Payroll Officer"), ("Scale 4", "Payroll Officer"), ("PO2", "Finance Business Partner"),
        ("Scale 5", "HR Assistant"), ("Scale 5", "Occupational Health Administrator")]]
imu_lead = add("IMU", "PO3", "Information Management Lead", STAFF, lm=supt["sid"], hybrid=True)
imu = [add("IMU", g, r, STAFF, lm=imu_lead["sid"], hybrid=True) for g, r in
       [("Scale 4", "Records Officer"), ("Scale 4", "Records Officer"), ("Scale 5", "Disclosure Officer"),
        ("Scale 6", "Information Rights Officer")]]
psd_di = add("PSD", "Detective Inspector", "PSD Investigation Lead", OFF, lm=supt["sid"], hybrid=True)
psd = [add("PSD", "Detective Sergeant", "PSD Investigator", OFF, lm=psd_di["sid"], hybrid=True),
       add("PSD", "SO1", "Counter-Corruption Analyst", STAFF, lm=psd_di["sid"], hybrid=True),
       add("PSD", "Scale 5", "Complaints Case Officer", STAFF, lm=psd_di["sid"], hybrid=True)]
int_ds = add("INT", "Detective Sergeant", "Intelligence Supervisor", OFF, lm=ci_crime["sid"], hybrid=True)
intel = [add("INT", "Scale 5", "Intelligence Researcher", STAFF, lm=int_ds["sid"], hybrid=True) for _ in range(4)] + \
        [add("INT", "SO1", "Intelligence Analyst", STAFF, lm=int_ds["sid"], hybrid=True) for _ in range(2)]
lnd_sg = add("LND", "Sergeant", "Training Sergeant", OFF, lm=ci_ops["sid"], rota=("train", 0))
lnd = [add("LND", "Scale 6", "Police Trainer", STAFF, lm=lnd_sg["sid"], rota=("train", 0)) for _ in range(3)]
spc = [add("SPC", "Special Constable", "Special Constable", "Special Constable", lm=teams["PAT1"]["insp"]["sid"],
           fte=0.1, rota=("spec", k % 2)) for k in range(8)]
lic_off = add("LIC", "Scale 6", "Licensing Officer", STAFF, lm=imu_lead["sid"], hybrid=True)
fel = [add("LIC", "Scale 5", "Firearms Licensing Enquiry Officer", STAFF, lm=lic_off["sid"], hybrid=True) for _ in range(2)]

# leavers and joiners
teams["PAT2"]["pcs"][5]["end"] = date(2023, 11, 30)
teams["PAT5"]["pcs"][7]["end"] = date(2023, 12, 15)        # resigned: final night shift 14/15 Dec
psv[7]["end"] = date(2024, 1, 31)
j1 = add("PAT3", "Constable", "Student Officer", OFF, lm=teams["PAT3"]["sgts"][0]["sid"], rota=("resp", 2), start=date(2023, 11, 6))
j2 = add("PAT4", "Constable", "Student Officer", OFF, lm=teams["PAT4"]["sgts"][1]["sid"], rota=("resp", 3), start=date(2024, 1, 8))
j3 = add("IMU", "Scale 4", "Records Officer", STAFF, lm=imu_lead["sid"], hybrid=True, start=date(2023, 12, 4))
teams["PAT3"]["pcs"].append(j1); teams["PAT4"]["pcs"].append(j2)
# part-timers
for p in (teams["PAT1"]["pcs"][3], snt["SNT-C"]["pcsos"][2], psv[5], imu[1], cus_ddo[4]):
    p["fte"] = 0.6
for p in (psv[2],):
    p["fte"] = 0.8

def in_post(p, d):
    return p["start"] <= d and (p["end"] is None or d <= p["end"])

# ---------------------------------------------------------------- rosters
SHIFTS, CHANGES, ABS, CLAIMS = [], [], [], []
seq = {"sh": 5300000, "rc": 880000, "ab": 40000, "cl": 61000}
def nid(k, pref):
    seq[k] += 1
    return f"{pref}{seq[k]}"

def base_pattern(p, d):
    """(start, end, site, kind) for a rostered working day, else None"""
    rota = p["rota"]
    if rota is None:
        return None
    kind, k = rota
    base = UNIT[p["unit"]][4]
    n = (d - ANCHOR).days
    if kind == "resp":
        ph = (n + 2 * k) % 10
        if ph in (0, 1): return dt(d, "07:00"), dt(d, "16:00"), base, "E"
        if ph in (2, 3): return dt(d, "15:00"), dt(d + timedelta(1), "00:00"), base, "L"
        if ph in (4, 5): return dt(d, "22:00"), dt(d + timedelta(1), "07:00"), base, "N"
        return None
    if kind == "osu":
        ph = (n + 2 * k) % 10
        if ph in (0, 1): return dt(d, "07:00"), dt(d, "17:00"), base, "E"
        if ph in (2, 3): return dt(d, "14:00"), dt(d + timedelta(1), "00:00"), base, "L"
        if ph in (4, 5): return dt(d, "22:00"), dt(d + timedelta(1), "08:00"), base, "N"
        return None
    if kind == "cust":
        ph = (n + 2 * k) % 8
        if ph in (0, 1): return dt(d, "07:00"), dt(d, "19:00"), base, "D"
        if ph in (2, 3): return dt(d, "19:00"), dt(d + timedelta(1), "07:00"), base, "N"
        return None
    wd = d.weekday()
    wk = d.isocalendar()[1]
    if kind == "snt":
        sat = (wk % 4) == (k % 4)
        if wd == 5 and sat: return dt(d, "10:00"), dt(d, "18:00"), base, "D"
        if wd >= 5 or (wd == 2 and sat) or d in BANK: return None
        return (dt(d, "08:00"), dt(d, "16:00"), base, "E") if wk % 2 == 0 else (dt(d, "14:00"), dt(d, "22:00"), base, "L")
    if kind == "cid":
        if wd >= 5 or d in BANK: return None
        return (dt(d, "12:00"), dt(d, "20:00"), base, "L") if (wk % 4) == (k % 4) else (dt(d, "08:00"), dt(d, "16:00"), base, "E")
    if kind == "days":
        if wd >= 5 or d in BANK: return None
        return dt(d, "08:00"), dt(d, "17:00"), base, "D"
    if kind == "train":
        if wd >= 5 or d in BANK or d in CLOSURE: return None
        return dt(d, "08:30"), dt(d, "16:30"), base, "D"
    if kind == "spec":
        if wd in (4, 5) and (wk % 2) == k:
            return dt(d, "19:00"), dt(d + timedelta(1), "03:00"), base, "N"
        return None
    return None

ROSTER = {}   # (sid, date) -> shift dict (working) ; rest days are absent
def make_shift(p, d, st, en, site, kind, duty="Ordinary Duty", sid_override=None):
    s = dict(id=nid("sh", "AS"), sid=p["sid"], date=d, start=st, end=en, site=site, kind=kind, duty=duty, flag=None)
    SHIFTS.append(s); ROSTER[(p["sid"], d)] = s
    return s

for p in people:
    if p["rota"] is None:
        continue
    for d in days(GEN0, GEN1):
        if not in_post(p, d):
            continue
        b = base_pattern(p, d)
        if b:
            duty = "Bank Holiday" if d in BANK else "Ordinary Duty"
            make_shift(p, d, *b, duty=duty)

def remove_shift(s):
    SHIFTS.remove(s); ROSTER.pop((s["sid"], s["date"]), None)

def rostered(p):
    return p["rota"] is not None

def working_days_hq(p, a, b):
    return [d for d in days(a, b) if d.weekday() < 5 and d not in BANK and in_post(p, d)]

# ---------------------------------------------------------------- absences (SuccessFactors EmployeeTime)
TT = {"annual_leave": "HOL", "sickness": "SICK_CERT", "sick_self": "SICK_SELF", "compassionate": "COMP_LV",
      "parental": "MAT_PAT", "training": "EXT_TRN", "other": "SPEC_LV", "suspension": "SUSP"}
def add_absence(p, typ, a, b, status="APPROVED", reason="", qty=None, remove=True, abs_id=None):
    removed = 0
    bb = min(b, GEN1)
    if rostered(p):
        for d in days(a, bb):
            s = ROSTER.get((p["sid"], d))
            if s and remove:
                remove_shift(s); removed += 1
    else:
        removed = len(working_days_hq(p, a, bb))
    q = qty if qty is not None else float(removed)
    rec = dict(id=abs_id or nid("ab", "ET"), sid=p["sid"], type=typ, start=a, end=b, qty=q, status=status, reason=reason)
    ABS.append(rec)
    return rec

SICK_REASONS = ["Musculoskeletal", "Cold / flu / respiratory", "Gastrointestinal", "Stress / anxiety / depression",
                "Headache / migraine", "Injury (not on duty)", "Infectious disease", "Other"]
PROTECTED_IDS = set()    # scenario people: no random absences
def random_absences(p):
    span_a, span_b = max(P0 - timedelta(10), p["start"]), min(P1, p["end"] or P1)
    if span_b <= span_a:
        return
    xmas = R.random() < (0.6 if not rostered(p) else 0.35)
    if xmas:
        a = date(2023, 12, 22) if not rostered(p) else date(2023, 12, R.randint(18, 27))
        b = date(2024, 1, 2) if not rostered(p) else a + timedelta(R.randint(3, 7))
        if span_a <= a and b <= span_b:
            add_absence(p, "annual_leave", a, b)
    for _ in range(R.choice([1, 1, 2])):
        a = span_a + timedelta(R.randint(0, max(1, (span_b - span_a).days - 8)))
        b = a + timedelta(R.randint(2, 8))
        if any(x["sid"] == p["sid"] and not (b < x["start"] or a > x["end"]) for x in ABS):
            continue
        if date(2023, 12, 15) <= a <= date(2024, 1, 3) and rostered(p) and R.random() < 0.6:
            continue
        add_absence(p, "annual_leave", a, min(b, span_b))
    r = R.random()
    nspell = 0 if r < 0.5 else (1 if r < 0.85 else 2)
    for _ in range(nspell):
        a = span_a + timedelta(R.randint(0, max(1, (span_b - span_a).days - 6)))
        b = a + timedelta(R.choice([0, 0, 1, 1, 2, 3, 4, 6]))
        if any(x["sid"] == p["sid"] and not (b < x["start"] or a > x["end"]) for x in ABS):
            continue
        if rostered(p) and not any(ROSTER.get((p["sid"], d)) for d in days(a, b)):
            continue
        if not rostered(p) and not working_days_hq(p, a, b):
            continue
        add_absence(p, "sick_self" if (b - a).days < 7 else "sickness", a, b, reason=R.choice(SICK_REASONS))

# ================================================================ scenario cast
T = teams
CAST = {}
def cast(key, p, label, pattern, route, note):
    CAST[key] = dict(p=p, label=label, pattern=pattern, route=route, note=note)
    PROTECTED_IDS.add(p["sid"])

def rename(p, fore, sur):
    used_names.discard((p["fore"], p["sur"])); p["fore"], p["sur"] = fore, sur; used_names.add((fore, sur))

G1, G2, G3 = T["PAT1"]["pcs"][4], snt["SNT-C"]["pcs"][3], T["PAT2"]["pcs"][6]
G4a, G4b = res_off[1], T["PAT3"]["pcs"][7]
G5a, G5b, G5c = T["PAT2"]["sgts"][1], snt["SNT-AN"]["sgts"][0], osu_sg[1]
G6, G7, G8, G9 = osu_pc[3], T["PAT4"]["pcs"][5], cid_dc[6], snt["SNT-AN"]["pcsos"][1]
G10, G11, G13 = psv_head, T["PAT5"]["pcs"][3], T["PAT1"]["pcs"][8]
H1 = [cid_dc[9], cid_dc[10], cid_dc[11]]
H2 = [cid_ds[0], cid_ds[1]]
H3 = [fcr_ch[3], fcr_ch[8]]
H4, H5, H6, H7 = T["PAT3"]["sgts"][1], misper, fel, ppu_ds
H8, H8n = T["PAT4"]["pcs"][2], osu_pc[6]
H9, H10, H11, H12, H13 = snt["SNT-C"]["pcs"][5], cid_dc[2], T["PAT5"]["pcs"][9], ppu_dc[3], osu_pc[8]
H14, H15, H16, H17, H18, H19 = psv[3], imu[3], T["PAT2"]["pcs"][2], osu_pc[5], T["PAT4"]["pcs"][8], osu_pc[9]
G2["sex"] = "F"; rename(G2, "Rebecca", "Stansfield-Kaye")
G9["sex"] = "M"
rename(H8, "Jordan", "Patel"); rename(H8n, "James", "Patel")
rename(H19, "Kieran", "Doyle")
rename(H12, "Harriet", "Wadsworth-Lee"); H12["sex"] = "F"
H14["hours"] = 22.2     # contracted hours changed 1 Nov (flexible working); FTE field not updated by HR
for p in [G1, G2, G3, G4a, G4b, G5a, G5b, G5c, G6, G7, G8, G9, G10, G11, G13] + H1 + H2 + H3 + [H4, H5] + H6 + \
         [H7, H8, H8n, H9, H10, H11, H12, H13, H14, H15, H16, H17, H18, H19]:
    PROTECTED_IDS.add(p["sid"])

# ---------------------------------------------------------------- ordinary absences
for p in people:
    if p["sid"] in PROTECTED_IDS or p["group"] == "Special Constable":
        continue
    random_absences(p)
# some longer ones
add_absence(T["PAT3"]["pcs"][4], "sickness", date(2023, 11, 13), date(2023, 12, 22), reason="Stress / anxiety / depression")
add_absence(cus_ddo[6], "sickness", date(2024, 1, 15), date(2024, 2, 23), reason="Musculoskeletal")
add_absence(psv[0], "sickness", date(2024, 2, 5), date(9999, 12, 31), reason="Stress / anxiety / depression", qty=0.0)
add_absence(fcr_ch[10], "parental", date(2023, 8, 14), date(2024, 2, 9), reason="Maternity")
add_absence(T["PAT5"]["pcs"][1], "compassionate", date(2023, 11, 2), date(2023, 11, 6), reason="Bereavement")
add_absence(cid_dc[4], "training", date(2023, 10, 9), date(2023, 10, 20), reason="National Investigators' Exam course")
# scenario absences
add_absence(G2, "sickness", date(2023, 12, 4), date(2023, 12, 22), reason="Musculoskeletal")
add_absence(H8, "sick_self", date(2023, 11, 20), date(2023, 11, 24), reason="Gastrointestinal", remove=False)
add_absence(H8n, "sick_self", date(2023, 11, 20), date(2023, 11, 24), reason="Gastrointestinal")
add_absence(H9, "annual_leave", date(2023, 12, 29), date(2024, 1, 2), status="WITHDRAWN", remove=False)
add_absence(H10, "sick_self", date(2024, 1, 17), date(2024, 1, 17), reason="Medical appointment", qty=0.5, remove=False)
add_absence(H19, "sickness", date(2024, 1, 8), date(2024, 1, 26), reason="Injury (not on duty)")
for p in (G1, G3, G7, G13, H11, H16, G11, H18):    # ordinary leave for the rostered cast, away from their evidence
    add_absence(p, "annual_leave", date(2023, 10, 16), date(2023, 10, 20))
add_absence(G10, "annual_leave", date(2023, 12, 22), date(2024, 1, 2))
add_absence(H14, "annual_leave", date(2023, 12, 22), date(2024, 1, 2))

# ---------------------------------------------------------------- cases
CASES, PARTIES_OF = [], {}
cseq = [4120]
def new_subject(prefix="PN"):
    return f"{prefix}{R.randint(10000000, 99999999)}"
PPO = [new_subject() for _ in range(90)]
def new_case(oic, opened, closed, parties, ref=None):
    cseq[0] += R.randint(3, 40)
    ref = ref or f"OR-{opened.year % 100}-{cseq[0]:06d}"
    c = dict(ref=ref, oic=oic["sid"], unit=oic["unit"], opened=opened, closed=closed, parties=parties)
    CASES.append(c)
    return c

OIC_RATE = {"Patrol Constable": 0.8, "Tutor Constable": 0.8, "Student Officer": 0.6, "Patrol Sergeant": 0.1,
            "Neighbourhood Constable": 0.45, "Police Community Support Officer": 0.1, "Neighbourhood Sergeant": 0.1,
            "CID Detective": 0.45, "CID Detective Sergeant": 0.2, "Safeguarding Detective": 0.35,
            "Safeguarding Detective Sergeant": 0.15, "Roads Policing Constable": 0.15, "Investigation Officer (Staff)": 0.3}
OPEN_DAYS = {"response": (1, 40), "neighbourhood": (3, 60), "investigation": (14, 150), "specialist": (5, 90)}
for p in people:
    rate = OIC_RATE.get(p["role"])
    if not rate:
        continue
    utype = FUNCTION_TYPE[UNIT[p["unit"]][2]]
    a = max(date(2023, 7, 3), p["start"])
    wk = (P1 - a).days / 7
    for _ in range(int(rate * wk + R.random())):
        d = a + timedelta(R.randint(0, (P1 - a).days))
        if p["end"] and d > p["end"]:
            continue
        op = dt(d, f"{R.randint(8, 21):02d}:{R.randint(0, 59):02d}")
        lo, hi = OPEN_DAYS[utype]
        dur = R.randint(lo, hi)
        cl = op + timedelta(days=dur, hours=R.randint(0, 6))
        if cl.date() > date(2024, 2, 20) and R.random() < 0.8:
            cl = None
        vul_p = 0.55 if p["unit"] == "PPU" else 0.15
        parties = [(new_subject(), "victim", R.random() < vul_p)]
        for _ in range(R.choice([0, 0, 1, 1, 2])):
            parties.append((new_subject(), "witness", R.random() < vul_p / 2))
        if R.random() < 0.6:
            parties.append((R.choice(PPO) if R.random() < 0.3 else new_subject(), "suspect", False))
        if R.random() < 0.1:
            parties.append((new_subject(), "other", False))
        new_case(p, op, cl, parties)

# scenario cases
C1 = new_case(G1, dt(date(2023, 7, 12), "03:40"), dt(date(2023, 10, 20), "11:15"),
              [(new_subject(), "victim", False), (new_subject(), "suspect", False)])        # plea at PTPH 20 Oct
C8 = new_case(cid_dc[7], dt(date(2023, 8, 2), "14:20"), dt(date(2023, 10, 27), "16:00"),
              [(new_subject(), "victim", True), (new_subject(), "witness", True), (new_subject(), "suspect", False)])
W8 = C8["parties"][1][0]
C8b = new_case(G8, dt(date(2023, 9, 26), "10:05"), None,
               [(new_subject(), "victim", False), (new_subject(), "suspect", False)])       # his own long fraud case
C9 = new_case(G9, dt(date(2023, 10, 10), "15:30"), dt(date(2023, 11, 3), "12:00"),
              [(new_subject(), "victim", True)])
V9 = C9["parties"][0][0]
C7 = new_case(H7, dt(date(2023, 10, 2), "09:30"), dt(date(2023, 11, 24), "15:00"),
              [(new_subject(), "victim", True), (new_subject(), "suspect", False)])
V7 = C7["parties"][0][0]
M5 = new_subject(); M5a, M5b = new_subject(), new_subject()
C5 = new_case(ppu_dc[0], dt(date(2023, 9, 4), "11:00"), None,
              [(M5, "victim", True), (new_subject(), "suspect", False), (new_subject(), "suspect", False)])
RSO = new_subject()
S_COMP, S_COMP2, S_COMPV = new_subject(), new_subject(), new_subject("VH")
CASES_BY_OIC, CASES_BY_UNIT = {}, {}
for c in CASES:
    CASES_BY_OIC.setdefault(c["oic"], []).append(c); CASES_BY_UNIT.setdefault(c["unit"], []).append(c)
def open_on(c, t, after=0):
    return c["opened"] <= t and (c["closed"] is None or t <= c["closed"] + timedelta(days=after))

# ---------------------------------------------------------------- roster changes (noise + scenarios)
def change(shift, by, at, field, old, new):
    CHANGES.append(dict(id=nid("rc", "RA"), shift=shift["id"], sid=shift["sid"], by=by["sid"], at=at, field=field,
                        old=old, new=new))

FREED = set()   # (sid, date) freed by a swap
rostered_pcs = [p for p in people if p["rota"] and p["rota"][0] in ("resp", "osu") and p["sid"] not in PROTECTED_IDS
                and p["rank"] in ("Constable", "Sergeant")]
def rest_day_near(p, d, span=6):
    opts = [d + timedelta(k) for k in range(-span, span + 1) if k and (p["sid"], d + timedelta(k)) not in ROSTER
            and P0 <= d + timedelta(k) <= P1 and in_post(p, d + timedelta(k)) and d + timedelta(k) not in BANK]
    return R.choice(opts) if opts else None

def move_shift(s, d2):
    dd = d2 - s["date"]
    ROSTER.pop((s["sid"], s["date"]), None)
    s["date"] = d2; s["start"] += dd; s["end"] += dd
    ROSTER[(s["sid"], d2)] = s

def on_leave(sid, d):
    return any(a["sid"] == sid and a["start"] <= d <= a["end"] and a["status"] == "APPROVED" for a in ABS)

# self-service swaps and resourcing moves (no overtime on freed days)
for p in rostered_pcs:
    for _ in range(R.choice([0, 0, 1, 1, 2])):
        d = P0 + timedelta(R.randint(5, (P1 - P0).days - 5))
        s = ROSTER.get((p["sid"], d))
        if not s or s["duty"] != "Ordinary Duty":
            continue
        d2 = rest_day_near(p, d)
        if not d2 or on_leave(p["sid"], d2):
            continue
        by = p if R.random() < 0.6 else R.choice(res_off + [res_mgr])
        at = dt(min(d, d2) - timedelta(R.randint(3, 20)), f"{R.randint(8, 18):02d}:{R.randint(0, 59):02d}")
        change(s, by, at, "Duty Date", s["date"].isoformat(), d2.isoformat())
        move_shift(s, d2); FREED.add((p["sid"], d))
# start-time tweaks by sergeants / resourcing
for p in rostered_pcs:
    for _ in range(R.choice([0, 1, 1, 2])):
        d = P0 + timedelta(R.randint(0, (P1 - P0).days))
        s = ROSTER.get((p["sid"], d))
        if not s or s["start"].date() == date(2023, 10, 29):
            continue
        old = s["start"]; new = old + timedelta(hours=R.choice([-1, 1, 2]))
        lm = P.get(p["lm"]) or res_mgr
        change(s, lm if R.random() < 0.5 else R.choice(res_off), old - timedelta(days=R.randint(1, 9), hours=R.randint(1, 5)),
               "Start", old.strftime("%Y-%m-%d %H:%M"), new.strftime("%Y-%m-%d %H:%M"))
        s["start"] = new
# resourcing: rest day -> rest day working (minimum strength), legit
RDW_TIMES = {"resp": ("07:00", "16:00"), "osu": ("07:00", "17:00")}
for p in R.sample(rostered_pcs, 40):
    d = P0 + timedelta(R.randint(3, (P1 - P0).days - 3))
    if (p["sid"], d) in ROSTER or not in_post(p, d) or on_leave(p["sid"], d) or d in BANK:
        continue
    a, b = RDW_TIMES[p["rota"][0]]
    s = make_shift(p, d, dt(d, a), dt(d, b), UNIT[p["unit"]][4], "E", duty="Rest Day Working")
    change(s, R.choice(res_off), dt(d - timedelta(R.randint(2, 12)), "11:20") + rmin(0, 300), "Duty Category", "Rest Day", "Rest Day Working")
# training days added by the training sergeant; court days by resourcing
for p in R.sample(rostered_pcs, 45):
    d = P0 + timedelta(R.randint(3, (P1 - P0).days - 3))
    s = ROSTER.get((p["sid"], d))
    if not s or s["kind"] != "E" or d.weekday() >= 5:
        continue
    change(s, lnd_sg, dt(d - timedelta(R.randint(7, 25)), "10:00") + rmin(0, 300), "Duty Category", "Ordinary Duty", "Training")
    s["duty"], s["site"], s["start"], s["end"] = "Training", "MLTC", dt(d, "08:30"), dt(d, "16:30")
for p in R.sample(rostered_pcs, 25):
    d = P0 + timedelta(R.randint(3, (P1 - P0).days - 3))
    s = ROSTER.get((p["sid"], d))
    if not s or s["kind"] != "E" or d.weekday() >= 5 or d in BANK:
        continue
    change(s, R.choice(res_off), dt(d - timedelta(R.randint(5, 20)), "14:00") + rmin(0, 120), "Duty Category", "Ordinary Duty", "Court")
    s["duty"], s["site"], s["start"], s["end"] = "Court", "CCC", dt(d, "09:00"), dt(d, "17:00")

# ---- G4: resourcing officer relabels her declared partner's ordinary tours as rest-day working
g4_dates = []
for d in sorted(k[1] for k in ROSTER if k[0] == G4b["sid"]):
    s = ROSTER[(G4b["sid"], d)]
    if P0 + timedelta(20) <= d <= P1 - timedelta(5) and s["duty"] == "Ordinary Duty" and d.weekday() in (5, 6):
        g4_dates.append(d)
g4_dates = [g4_dates[i] for i in (0, 3, 6, 9, 12) if i < len(g4_dates)]
for d in g4_dates:
    s = ROSTER[(G4b["sid"], d)]
    change(s, G4a, dt(s["end"].date() + timedelta(R.randint(2, 4)), "10:00") + rmin(0, 200), "Duty Category", "Ordinary Duty", "Rest Day Working")
    s["duty"] = "Rest Day Working"

# ---- G6: Op Yuletide rest-day working (legit roster) for several roads PCs; G6 also claims the same hours
YULE = [date(2023, 12, 1), date(2023, 12, 8), date(2023, 12, 15), date(2023, 12, 22)]
g6_shifts = []
for p in [G6] + [x for x in osu_pc if x["sid"] not in PROTECTED_IDS][:5]:
    n = 0
    for d in YULE + [date(2023, 12, 2), date(2023, 12, 9), date(2023, 12, 16)]:
        if (p["sid"], d) in ROSTER or on_leave(p["sid"], d) or n >= 3:
            continue
        s = make_shift(p, d, dt(d, "07:00"), dt(d, "17:00"), "RGB", "E", duty="Rest Day Working")
        change(s, res_off[0], dt(d - timedelta(R.randint(9, 14)), "09:40") + rmin(0, 100), "Duty Category", "Rest Day", "Rest Day Working")
        n += 1
        if p is G6:
            g6_shifts.append(s)

# ---- H4: response sergeant acting custody sergeant 8-28 Jan
for d in days(date(2024, 1, 8), date(2024, 1, 28)):
    s = ROSTER.get((H4["sid"], d))
    if s:
        remove_shift(s)
h4_shifts = []
for d in days(date(2024, 1, 8), date(2024, 1, 28)):
    n = (d - ANCHOR).days; ph = (n + 2 * 1) % 8
    if ph in (0, 1): st, en, k = dt(d, "07:00"), dt(d, "19:00"), "D"
    elif ph in (2, 3): st, en, k = dt(d, "19:00"), dt(d + timedelta(1), "07:00"), "N"
    else: continue
    s = make_shift(H4, d, st, en, "CWCS", k)
    change(s, res_mgr, dt(date(2024, 1, 3), "11:05") + rmin(0, 30), "Posting", "Calderwick Patrol Team 3", "Custody & Detention (acting custody sergeant)")
    h4_shifts.append(s)
# ---- H18: front enquiry office, restricted duties 8 Jan - 16 Feb
for d in days(date(2024, 1, 8), date(2024, 2, 16)):
    s = ROSTER.get((H18["sid"], d))
    if s:
        remove_shift(s)
h18_shifts = []
for d in days(date(2024, 1, 8), date(2024, 2, 16)):
    if d.weekday() < 5:
        s = make_shift(H18, d, dt(d, "09:00"), dt(d, "17:00"), "ASF1", "D")
        change(s, res_mgr, dt(date(2024, 1, 5), "15:20") + rmin(0, 20), "Posting", "Ashby Fold Patrol Team 4", "Front Enquiry Office (restricted duties)")
        h18_shifts.append(s)
# ---- H16: resourcing moves one of his tours onto Christmas Day; he relabels it Bank Holiday on 27 Dec
s = ROSTER.get((H16["sid"], date(2023, 12, 25)))
if s:
    remove_shift(s)
src = next(ROSTER[(H16["sid"], d)] for d in days(date(2023, 12, 18), date(2024, 1, 10)) if (H16["sid"], d) in ROSTER
           and ROSTER[(H16["sid"], d)]["kind"] == "E" and d not in BANK)
h16_src_date = src["date"]
change(src, res_off[0], dt(date(2023, 12, 4), "13:12"), "Duty Date", src["date"].isoformat(), "2023-12-25")
move_shift(src, date(2023, 12, 25)); src["start"], src["end"] = dt(date(2023, 12, 25), "07:00"), dt(date(2023, 12, 25), "16:00")
FREED.add((H16["sid"], h16_src_date))
change(src, H16, dt(date(2023, 12, 27), "08:41"), "Duty Category", "Ordinary Duty", "Bank Holiday")
src["duty"] = "Bank Holiday"
# ---- H17: self-swap away from a weekday; training then rostered on the freed day; travel claim after it
h17 = None
for d in days(date(2023, 11, 20), date(2023, 11, 30)):
    s = ROSTER.get((H17["sid"], d))
    if s and s["kind"] == "E" and d.weekday() < 5:
        d2 = rest_day_near(H17, d, 5)
        if d2:
            change(s, H17, dt(date(2023, 11, 6), "19:12"), "Duty Date", d.isoformat(), d2.isoformat())
            move_shift(s, d2); FREED.add((H17["sid"], d))
            tr = make_shift(H17, d, dt(d, "08:30"), dt(d, "16:30"), "MLTC", "D", duty="Training")
            change(tr, lnd_sg, dt(date(2023, 11, 15), "10:02"), "Duty Category", "", "Training")
            h17 = (d, tr)
            break

# ================================================================ overtime claims
def q15(h):
    return round(h * 4) / 4

def auth_for(p):
    lm = P.get(p["lm"])
    if lm and R.random() < 0.85:
        return lm
    peers = [x for x in people if x["unit"] == p["unit"] and x["sid"] != p["sid"] and x["sid"] != p["lm"]
             and lm and x["rank"] == lm["rank"]]
    return R.choice(peers) if peers else (lm or supt)

def add_claim(p, st, en, reason, auth, rate=1.33, job="", trace="full", note="", status=None, hours=None, sub=None, ext_of=None):
    hours = hours if hours is not None else q15((en - st).total_seconds() / 3600)
    sub = sub or en + timedelta(days=R.randint(0, 3), hours=R.randint(1, 9))
    if status is None:
        if en.date() > date(2024, 2, 24) and R.random() < 0.5:
            status = "Submitted"
        elif R.random() < 0.025:
            status = "Declined"
        else:
            status = "Paid" if en.date() < date(2024, 2, 10) else "Authorised"
    at = "" if status == "Submitted" else sub + timedelta(days=R.randint(0, 4), hours=R.randint(1, 6))
    if status == "Submitted":
        auth = None
    c = dict(id=nid("cl", "OTC"), sid=p["sid"], start=st, end=en, hours=hours, rate=rate, reason=reason, job=job,
             sub=sub, auth=auth["sid"] if auth else "", at=at, status=status, note=note, trace=trace, ext_of=ext_of)
    CLAIMS.append(c)
    return c

REASON = {"PAT": "OT1 - Late arrest / prisoner handling", "SNT": "OT1 - Late arrest / prisoner handling",
          "OSU": "OT2 - Collision scene / enquiries", "CID": "CE1 - Continuing enquiries", "PPU": "CE1 - Continuing enquiries",
          "CUS": "CU1 - Custody handover / constant watch", "FCR": "CH1 - Call demand (shift extension)"}
PROB = {"PAT": 0.07, "SNT": 0.03, "OSU": 0.06, "CID": 0.05, "PPU": 0.04, "CUS": 0.05, "FCR": 0.03}
NO_RANDOM_CLAIMS = {x["sid"] for x in [G5a, G5b, G5c] + H2 + H3}
PAID_RANKS = {"Constable", "Sergeant", "Detective Constable", "Detective Sergeant"}
def claim_eligible(p):
    return (p["rank"] in PAID_RANKS or (p["group"] == STAFF and p["unit"] in ("CUS", "FCR", "SNT-C", "SNT-AN", "CID"))) \
        and p["sid"] not in NO_RANDOM_CLAIMS

for s in list(SHIFTS):
    p = P[s["sid"]]
    key = p["unit"][:3]
    if not claim_eligible(p) or not (P0 <= s["date"] <= P1) or key not in PROB or s["duty"] in ("Court", "Training"):
        continue
    if R.random() >= PROB[key]:
        continue
    st = s["end"]
    if ambiguous(st) or ambiguous(st + timedelta(hours=3.5)) or date(2023, 10, 29) == st.date():
        continue
    h = R.choice([1, 1, 1.25, 1.5, 1.5, 2, 2, 2.5, 3])
    reason = REASON[key]
    trace = "full"
    r = R.random()
    if key in ("PAT", "SNT", "OSU") and r < 0.05:
        reason, trace, h = "OT5 - Hospital with detained person", ("none" if R.random() < 0.6 else "full"), R.choice([3, 4, 5])
    elif key in ("PAT", "OSU") and r < 0.08:
        reason, trace, h = "OT4 - Scene preservation (cordon)", ("none" if R.random() < 0.6 else "full"), R.choice([2, 3, 4])
    elif R.random() < 0.04:
        trace = "none"
    add_claim(p, st, st + timedelta(hours=h), reason, auth_for(p), trace=trace, ext_of=s)

def is_free(p, d):
    return (p["sid"], d) not in ROSTER and (p["sid"], d) not in FREED and not on_leave(p["sid"], d) and in_post(p, d) \
        and (p["sid"], d - timedelta(1)) not in ROSTER

EVENTS = [
    (date(2023, 10, 14), "12:00", "18:00", "EVT2 - Football policing (Calderwick Town v Bradley Vale)", osu_insp, 6),
    (date(2023, 10, 28), "12:00", "18:00", "EVT2 - Football policing (Calderwick Town v Hebden Rovers)", osu_insp, 6),
    (date(2023, 11, 4), "17:00", "00:30", "EVT1 - Pre-planned event (Op Ember - bonfire night)", ci_ops, 10),
    (date(2023, 11, 12), "08:30", "13:30", "EVT1 - Pre-planned event (Remembrance Sunday)", ci_ops, 8),
    (date(2023, 11, 25), "12:00", "18:00", "EVT2 - Football policing (Calderwick Town v Skelmanthorpe)", osu_insp, 6),
    (date(2023, 12, 2), "16:00", "23:00", "EVT1 - Pre-planned event (Christmas market)", snt_insp, 4),
    (date(2023, 12, 9), "16:00", "23:00", "EVT1 - Pre-planned event (Christmas market)", snt_insp, 4),
    (date(2023, 12, 16), "16:00", "23:00", "EVT1 - Pre-planned event (Christmas market)", snt_insp, 4),
    (date(2023, 12, 31), "20:00", "04:00", "EVT1 - Pre-planned event (Op Auld - New Year's Eve)", ci_ops, 12),
    (date(2024, 1, 13), "12:00", "18:00", "EVT2 - Football policing (Calderwick Town v Bradley Vale)", osu_insp, 6),
    (date(2024, 2, 10), "12:00", "18:00", "EVT2 - Football policing (Calderwick Town v Denby Dale)", osu_insp, 6),
]
EVENT_CLAIMS = []
pool = [p for p in people if p["unit"][:3] in ("PAT", "SNT") and p["rank"] == "Constable" and p["sid"] not in PROTECTED_IDS]
for d, a, b, reason, cmdr, n in EVENTS:
    st, en = dt(d, a), dt(d, b)
    if en <= st:
        en += timedelta(1)
    cands = [p for p in pool if is_free(p, d)]
    R.shuffle(cands)
    chosen = cands[:n] + ([H9] if d == date(2023, 12, 31) else [])
    for p in chosen:
        rate = 2.0 if d == date(2023, 12, 31) else 1.5
        c = add_claim(p, st, en, reason, cmdr, rate=rate, trace="event")
        EVENT_CLAIMS.append(c)

# ordinary rest-day court warnings (off-site, leave no trace), citing a live case of theirs
court_pool = [p for p in people if p["unit"][:3] in ("PAT",) and p["rank"] == "Constable" and p["sid"] not in PROTECTED_IDS]
R.shuffle(court_pool)
n_court = 0
for p in court_pool:
    if n_court >= 10:
        break
    done = False
    for c in CASES_BY_OIC.get(p["sid"], []):
        if done or not any(r == "suspect" for _, r, _ in c["parties"]):
            continue
        for k in range(10, 90):
            d = c["opened"].date() + timedelta(k)
            if P0 <= d <= P1 and d.weekday() < 5 and is_free(p, d) and d not in BANK and (c["closed"] is None or c["closed"].date() >= d):
                add_claim(p, dt(d, "09:30"), dt(d, "13:30"), "CRT1 - Court attendance (rest day, warned)", auth_for(p),
                          rate=1.5, job=c["ref"], trace="none")
                n_court += 1; done = True
                break

# a short-notice recall: firearms incident, Ashby Fold, Sat 20 Jan 2024
recall_d = date(2024, 1, 20)
rc = [p for p in T["PAT4"]["pcs"] + T["PAT5"]["pcs"] if p["sid"] not in PROTECTED_IDS and is_free(p, recall_d)][:6]
for p in rc:
    add_claim(p, dt(recall_d, "14:00"), dt(recall_d, "22:00"), "RC1 - Recall to duty (short notice) - spontaneous firearms incident",
              T["PAT4"]["insp"], rate=1.5, trace="event")

# ---- G1: rest-day 'court' claims for a trial that ended in a plea on 20 Oct
g1_claims = []
for target in (date(2023, 11, 14), date(2023, 12, 5), date(2024, 1, 16)):
    d = target
    while not (d.weekday() < 5 and is_free(G1, d) and d not in BANK):
        d += timedelta(1)
    g1_claims.append(add_claim(G1, dt(d, "09:30"), dt(d, "13:30"), "CRT1 - Court attendance (rest day, warned)",
                               P[G1["lm"]], rate=1.5, job=C1["ref"], trace="none", status="Paid"))
# ---- G3: claims running ~3.5h past the shift, with presence ending ~1h after it
g3_claims = []
cand = [s for s in SHIFTS if s["sid"] == G3["sid"] and date(2023, 10, 23) <= s["date"] <= date(2024, 2, 22)
        and s["duty"] == "Ordinary Duty" and s["end"].date() != date(2023, 10, 29)]
for s in cand[::max(1, len(cand) // 9)][:9]:
    h = R.choice([3.0, 3.5, 3.5, 4.0])
    until = s["end"] + rmin(45, 75)
    g3_claims.append(add_claim(G3, s["end"], s["end"] + timedelta(hours=h), REASON["PAT"], P[G3["lm"]],
                               trace=("until", until), ext_of=s, status="Paid" if s["date"] < date(2024, 2, 10) else "Authorised"))
# ---- G5: three sergeants in three units authorise one another's claims in a loop
loop = {G5a["sid"]: G5b, G5b["sid"]: G5c, G5c["sid"]: G5a}
g5_claims = []
for p in (G5a, G5b, G5c):
    ss = [s for s in SHIFTS if s["sid"] == p["sid"] and P0 + timedelta(7) <= s["date"] <= P1 - timedelta(7)
          and s["duty"] == "Ordinary Duty" and not ambiguous(s["end"] + timedelta(hours=1)) and s["end"].date() != date(2023, 10, 29)]
    for s in ss[3::max(1, len(ss) // 7)][:7]:
        h = R.choice([1.5, 2, 2, 2.5, 3])
        reason = {"PAT": "OT3 - Supervision / briefing overrun", "SNT": "OT3 - Supervision / briefing overrun",
                  "OSU": "OT2 - Collision scene / enquiries"}[p["unit"][:3]]
        g5_claims.append(add_claim(p, s["end"], s["end"] + timedelta(hours=h), reason, loop[p["sid"]], ext_of=s,
                                   status="Paid" if s["date"] < date(2024, 2, 10) else "Authorised"))
# ---- G6: overtime claimed for the same hours as his rostered rest-day working
for s in g6_shifts:
    add_claim(G6, s["start"], s["end"], "EVT3 - Op Yuletide drink-drive operation", osu_sg[0], rate=1.5, trace="covered", status="Paid")
# ---- H1: covert test-purchase deployment, devices booked out by policy
for d in (date(2023, 12, 7), date(2023, 12, 14), date(2023, 12, 21)):
    for p in H1:
        s = ROSTER.get((p["sid"], d))
        st = dt(d, "19:00") if (not s or s["end"] <= dt(d, "18:30")) else s["end"]
        add_claim(p, st, st + timedelta(hours=5), "COV1 - Covert deployment (Op Mistletoe) - devices booked out", di_cid,
                  trace="none", status="Paid")
# ---- H2: Op Larch major incident room; SIO delegated claim authorisation to his two DSs
LARCH = "Delegated authority - SIO finance instruction Op Larch/01"
ds0, ds1 = H2
for p, other in ((ds0, ds1), (ds1, ds0)):
    ss = [s for s in SHIFTS if s["sid"] == p["sid"] and date(2024, 1, 8) <= s["date"] <= date(2024, 2, 23)]
    for s in ss[1::max(1, len(ss) // 8)][:8]:
        add_claim(p, s["end"], s["end"] + timedelta(hours=R.choice([2.5, 3, 3.5, 4])), "MIR1 - Major incident room (Op Larch)",
                  other, note=LARCH, ext_of=s)
larch_dcs = [x for x in cid_dc if x["sid"] not in PROTECTED_IDS][:6]
for i, p in enumerate(larch_dcs):
    ss = [s for s in SHIFTS if s["sid"] == p["sid"] and date(2024, 1, 8) <= s["date"] <= date(2024, 2, 23)]
    for s in ss[2::max(1, len(ss) // 3)][:3]:
        add_claim(p, s["end"], s["end"] + timedelta(hours=R.choice([2, 3, 3.5])), "MIR1 - Major incident room (Op Larch)",
                  H2[i % 2], note=LARCH, ext_of=s)
# ---- H3: call handlers' auto-approved short extensions (system writes the claimant as approver)
for p, n in ((H3[0], 3), (H3[1], 2)):
    ss = [s for s in SHIFTS if s["sid"] == p["sid"] and P0 + timedelta(10) <= s["date"] <= P1 - timedelta(10) and s["kind"] == "D"]
    for s in ss[2::max(1, len(ss) // n)][:n]:
        c = add_claim(p, s["end"], s["end"] + timedelta(minutes=45), "CH2 - Call backlog (shift extension under 1 hour)", p,
                      note="Auto-approved: under 1 hour (system rule CH2)", ext_of=s, status="Paid", hours=0.75)
        c["at"] = c["sub"]
    for s in ss[5::max(1, len(ss) // 3)][:3]:
        add_claim(p, s["end"], s["end"] + timedelta(hours=1.5), REASON["FCR"], P[p["lm"]], ext_of=s, status="Paid")
# ---- H7: on-call DS called out to a vulnerable victim of his closed case
h7_claim = add_claim(H7, dt(date(2023, 12, 22), "22:30"), dt(date(2023, 12, 23), "01:00"), "OC1 - On-call call-out (DS)", di_cid,
                     trace="custom", status="Paid")
# ---- H8: worked (and claimed) during a sickness week keyed against him in error
s = ROSTER.get((H8["sid"], date(2023, 11, 22))) or next(ROSTER[(H8["sid"], d)] for d in days(date(2023, 11, 20), date(2023, 11, 24)) if (H8["sid"], d) in ROSTER)
add_claim(H8, s["end"], s["end"] + timedelta(hours=2), REASON["PAT"], P[H8["lm"]], ext_of=s, status="Paid")
h8_shifts = [ROSTER[(H8["sid"], d)] for d in days(date(2023, 11, 20), date(2023, 11, 24)) if (H8["sid"], d) in ROSTER]
# ---- H10: half-day medical appointment, afternoon tour, evening overtime
s = ROSTER.get((H10["sid"], date(2024, 1, 17)))
if s is None:
    s = make_shift(H10, date(2024, 1, 17), dt(date(2024, 1, 17), "08:00"), dt(date(2024, 1, 17), "16:00"), "CWC1", "E")
change(s, P[H10["lm"]], dt(date(2024, 1, 15), "16:40"), "Start", s["start"].strftime("%Y-%m-%d %H:%M"), "2024-01-17 12:30")
s["start"], s["end"] = dt(date(2024, 1, 17), "12:30"), dt(date(2024, 1, 17), "16:00")
add_claim(H10, s["end"], s["end"] + timedelta(hours=3), "CE1 - Continuing enquiries (file deadline)", P[H10["lm"]], ext_of=s, status="Paid")
# ---- H17: travel back from the training venue on the freed day
if h17:
    d, tr = h17
    h17_claim = add_claim(H17, tr["end"], tr["end"] + timedelta(hours=1.5), "TRV1 - Travel from training venue", osu_sg[0],
                          trace="custom", status="Paid")

# ================================================================ presence, lookups, comms
BADGE, DEV, LOOK, COMMS = [], [], [], []
lseq, cmseq = [7000000], [3000000]
MOBILE_UNITS = {"PAT1", "PAT2", "PAT3", "PAT4", "PAT5", "SNT-C", "SNT-AN", "OSU", "SPC"}
LAPTOP_UNITS = {"CID", "PPU", "INT", "PSD", "IMU", "PSV", "RES", "SLT", "LIC", "LND"}
DEVICE, MSISDN, CARD, USERNAME = {}, {}, {}, {}
CARD_USED = set()
for p in people:
    if p["unit"] in MOBILE_UNITS:
        DEVICE[p["sid"]] = ("mobile", f"CWP-MD-{R.randint(10000, 99999)}", f"R58N{R.randint(1000000, 9999999)}")
    elif p["unit"] in LAPTOP_UNITS or p["role"] == "Control Room Manager" or p["rank"] in ("Inspector", "Chief Inspector", "Superintendent"):
        DEVICE[p["sid"]] = ("laptop", f"CWP-LT-{R.randint(10000, 99999)}", f"PF3{R.randint(100000, 999999)}")
    if p["unit"] not in ("CUS",) or p["rank"] != "Scale 3":
        MSISDN[p["sid"]] = f"4477{R.randint(10000000, 99999999)}"
    while True:
        c = str(R.randint(10200, 69999))
        if c not in CARD_USED:
            CARD_USED.add(c); CARD[p["sid"]] = c; break
    USERNAME[p["sid"]] = (p["fore"][0] + p["sur"].replace("'", "").replace(" ", "").replace("-", "")[:10]).lower() \
        .translate(str.maketrans("éóáöüëïąš", "eoaoueias")) + p["sid"][-2:]

def look(p, t, subject, case="", system=None, action=None):
    lseq[0] += 1
    if system is None:
        system = "PNC" if subject.startswith("VH") or R.random() < 0.25 else "Niche"
    if action is None:
        r = R.random(); action = "search" if r < 0.5 else ("view" if r < 0.9 else ("update" if r < 0.97 else ("print" if r < 0.99 else "export")))
    LOOK.append(dict(id=f"AUD{lseq[0]}", sid=p["sid"], ts=t, system=system, action=action, subject=subject, case=case))

def comm(p, t, channel, other, direction, dur=None):
    cmseq[0] += 1
    if dur is None and channel == "call":
        dur = int(R.lognormvariate(4.6, 0.8))
    COMMS.append(dict(id=f"CDR{cmseq[0]}", sid=p["sid"], ts=t, channel=channel, other=other, dir=direction, dur=dur))

def badge(p, t, site, direction, outcome="Local Grant"):
    if SITE[site][5]:
        BADGE.append(dict(sid=p["sid"], ts=t, site=site, dir=direction, outcome=outcome))

def dev(p, t, kind, site="", lat=None, lon=None):
    if p["sid"] in DEVICE:
        DEV.append(dict(sid=p["sid"], ts=t, kind=kind, site=site, lat=lat, lon=lon))

def rand_t(a, b):
    if b <= a:
        return a
    return a + timedelta(seconds=R.uniform(0, (b - a).total_seconds()))

def poisson(lam):
    L, k, pp = pow(2.718281828, -lam), 0, 1.0
    while True:
        pp *= R.random()
        if pp < L:
            return k
        k += 1

LOOK_RATE = {"PAT": 8, "SNT": 4, "CID": 9, "PPU": 7, "OSU": 10, "SPC": 3}
MIX = {"PAT": (0.45, 0.2), "SNT": (0.4, 0.25), "CID": (0.65, 0.25), "PPU": (0.65, 0.25), "OSU": (0.1, 0.1), "SPC": (0.2, 0.2)}
def ordinary_lookup(p, t):
    key = p["unit"][:3]
    own_p, unit_p = MIX.get(key, (0.3, 0.2))
    r = R.random()
    if r < own_p:
        own = [c for c in CASES_BY_OIC.get(p["sid"], []) if open_on(c, t)]
        if own:
            c = R.choice(own); look(p, t, R.choice(c["parties"])[0], c["ref"]); return
    if r < own_p + unit_p:
        uc = [c for c in CASES_BY_UNIT.get(p["unit"], []) if c["oic"] != p["sid"] and open_on(c, t)]
        if uc:
            c = R.choice(uc); look(p, t, R.choice(c["parties"])[0], c["ref"]); return
    if key == "OSU" or R.random() < 0.12:
        look(p, t, new_subject("VH"), "", system="PNC", action="search")
    elif R.random() < 0.25:
        look(p, t, R.choice(PPO), "")
    else:
        look(p, t, new_subject(), "")

cus_seq, log_seq = [4100], [100]
def custody_lookups(p, a, b, n):
    for _ in range(n):
        cus_seq[0] += 1
        ref = f"CUS/{a.year % 100}/{cus_seq[0]:05d}"
        subj = R.choice(PPO) if R.random() < 0.2 else new_subject()
        t = rand_t(a, b)
        for k in range(R.choice([1, 2, 2, 3])):
            look(p, t + timedelta(minutes=7 * k), subj, ref, system="Niche" if k else "PNC")

def fcr_lookups(p, a, b, n):
    for _ in range(n):
        t = rand_t(a, b); log_seq[0] += 1
        look(p, t, R.choice(PPO) if R.random() < 0.15 else new_subject(), f"LOG-{t:%y%m%d}-{log_seq[0] % 9000:04d}")

def case_comms(p, a, b):
    own = [c for c in CASES_BY_OIC.get(p["sid"], []) if open_on(c, a, after=10)]
    parties = [(s, c) for c in own for s, r, v in c["parties"] if r in ("victim", "witness")]
    if parties:
        for _ in range(poisson(1.2)):
            s, c = R.choice(parties)
            t = rand_t(a, b)
            if R.random() < 0.75:
                comm(p, t, "call", s, "out")
            else:
                comm(p, t, "sms", s, "out")
        for _ in range(poisson(0.35)):
            s, c = R.choice(parties)
            comm(p, rand_t(a, b), "call", s, "in")
    for _ in range(poisson(0.8)):
        q = R.choice(people)
        if q["sid"] in MSISDN:
            comm(p, rand_t(a, b), R.choice(["call", "call", "email"]), "TEL" + MSISDN[q["sid"]][-6:] if False else MSISDN[q["sid"]], "out")

def site_point(site):
    s = SITE[site]
    return round(s[3] + R.uniform(-0.03, 0.03), 5), round(s[4] + R.uniform(-0.04, 0.04), 5)

EXT_END = {}
for c in CLAIMS:
    s = c["ext_of"]
    if s is None:
        continue
    if c["trace"] == "full":
        EXT_END[s["id"]] = max(EXT_END.get(s["id"], s["end"]), c["end"])
    elif isinstance(c["trace"], tuple):
        EXT_END[s["id"]] = max(EXT_END.get(s["id"], s["end"]), c["trace"][1])

g13_nights = [s for s in SHIFTS if s["sid"] == G13["sid"] and s["kind"] == "N" and P0 + timedelta(5) <= s["date"] <= P1 - timedelta(3)]
g13_nights = g13_nights[::max(1, len(g13_nights) // 9)][:9]
for s in g13_nights:
    s["flag"] = "absent"

def shift_presence(s):
    p = P[s["sid"]]
    key = p["unit"][:3]
    end = EXT_END.get(s["id"], s["end"])
    if s["duty"] == "Court":
        if R.random() < 0.5:
            dev(p, s["start"] - rmin(30, 60), "login"); dev(p, s["start"] - rmin(5, 25), "logout")
        return
    if s["duty"] == "Training":
        badge(p, s["start"] - rmin(5, 20), s["site"], "in"); badge(p, s["end"] + rmin(0, 10), s["site"], "out")
        return
    if s["flag"] == "absent":       # G13: in at the start, gone until the end
        badge(p, s["start"] - rmin(5, 15), s["site"], "in")
        dev(p, s["start"] + rmin(8, 15), "login")
        for _ in range(2):
            ordinary_lookup(p, s["start"] + rmin(20, 70))
        dev(p, s["start"] + rmin(80, 90), "logout"); badge(p, s["start"] + rmin(95, 110), s["site"], "out")
        badge(p, s["end"] - rmin(45, 50), s["site"], "in"); dev(p, s["end"] - rmin(38, 42), "login")
        ordinary_lookup(p, s["end"] - rmin(25, 32)); dev(p, s["end"] - rmin(5, 12), "logout"); badge(p, s["end"] + rmin(2, 8), s["site"], "out")
        return
    if R.random() < 0.93:
        badge(p, s["start"] - rmin(5, 25), s["site"], "in")
    if R.random() < 0.9:
        badge(p, end + rmin(0, 15), s["site"], "out")
    if key in ("PAT", "SNT", "OSU", "SPC") and R.random() < 0.35:       # back to the station mid-tour
        t = rand_t(s["start"] + timedelta(hours=2), end - timedelta(hours=2))
        badge(p, t, s["site"], "in"); badge(p, t + rmin(20, 90), s["site"], "out")
    kind = DEVICE.get(p["sid"], (None,))[0]
    if kind == "mobile":
        dev(p, s["start"] + rmin(5, 30), "login")
        t = s["start"] + rmin(40, 90)
        while t < end - timedelta(minutes=20):
            lat, lon = site_point(s["site"]); dev(p, t, "location", "", lat, lon); t += rmin(60, 130)
        dev(p, end - rmin(0, 15), "logout")
    elif kind == "laptop":
        dev(p, s["start"] + rmin(5, 20), "login", s["site"] if s["site"] in ("CWC1", "THQ", "ASF1", "NTB1", "RGB") else "")
        dev(p, end - rmin(0, 10), "logout")
    # systems
    if key == "CUS":
        n = poisson(6 if p["rank"] == "Sergeant" else 2)
        custody_lookups(p, s["start"] + timedelta(minutes=10), end - timedelta(minutes=5), n)
    elif key == "FCR":
        fcr_lookups(p, s["start"] + timedelta(minutes=10), end - timedelta(minutes=5), poisson(11 if p["role"] == "Call Handler" else 7))
    elif key in LOOK_RATE:
        for _ in range(poisson(LOOK_RATE[key])):
            ordinary_lookup(p, rand_t(s["start"] + timedelta(minutes=10), end - timedelta(minutes=5)))
    if end > s["end"] + timedelta(minutes=20):       # worked overtime: activity inside it
        for _ in range(R.choice([1, 2, 2, 3])):
            t = rand_t(s["end"] + timedelta(minutes=20), end - timedelta(minutes=5))
            if key == "CUS":
                custody_lookups(p, t, t, 1)
            elif key == "FCR":
                fcr_lookups(p, t, t, 1)
            else:
                ordinary_lookup(p, t)
    if key in ("PAT", "SNT", "CID", "PPU", "OSU"):
        case_comms(p, s["start"] + timedelta(minutes=15), end - timedelta(minutes=10))

for s in SHIFTS:
    if GEN0 <= s["date"] <= GEN1 and s["sid"] not in (H4["sid"],) or s["date"] < date(2024, 1, 8) or s["date"] > date(2024, 1, 28):
        shift_presence(s)
    else:
        shift_presence(s)

# event / recall claims: briefing at the station, devices on
for c in CLAIMS:
    if c["trace"] != "event":
        continue
    p = P[c["sid"]]; site = UNIT[p["unit"]][4]
    badge(p, c["start"] - rmin(10, 25), site, "in"); badge(p, c["start"] + rmin(20, 35), site, "out")
    dev(p, c["start"] + rmin(5, 15), "login")
    t = c["start"] + rmin(40, 80)
    while t < c["end"] - timedelta(minutes=20):
        lat, lon = site_point("CWC1"); dev(p, t, "location", "", lat, lon); t += rmin(50, 100)
    dev(p, c["end"] - rmin(0, 10), "logout"); badge(p, c["end"] + rmin(5, 15), site, "in"); badge(p, c["end"] + rmin(20, 30), site, "out")
    for _ in range(R.choice([0, 1, 2])):
        ordinary_lookup(p, rand_t(c["start"] + timedelta(minutes=30), c["end"]))

# ---- unrostered office staff
ATTEND = {}
for p in people:
    if p["rota"] is None:
        ATTEND[p["sid"]] = R.uniform(0.84, 0.97)
HQ_LOOK = {"INT": 14, "IMU": 7, "PSD": 3, "LIC": 2}
def office_day(p, d, in_office, short=False):
    a = dt(d, "07:45") + rmin(0, 90); b = a + timedelta(hours=R.uniform(7.6, 9.2))
    if in_office:
        badge(p, a - rmin(2, 10), "THQ", "in")
        if short:
            badge(p, a + rmin(8, 25), "THQ", "out")
        else:
            if R.random() < 0.4:
                m = dt(d, "12:15") + rmin(0, 60); badge(p, m, "THQ", "out"); badge(p, m + rmin(20, 45), "THQ", "in")
            badge(p, b + rmin(0, 10), "THQ", "out")
    if short:
        a = a + rmin(35, 60)
    dev(p, a + rmin(0, 12), "login", "THQ" if (in_office and not short) else "")
    dev(p, b - rmin(0, 10), "logout", "THQ" if (in_office and not short) else "")
    for _ in range(poisson(HQ_LOOK.get(p["unit"], 0))):
        t = rand_t(a + timedelta(minutes=15), b - timedelta(minutes=10))
        if p["unit"] == "INT" or p["unit"] == "IMU":
            cs = [c for c in CASES if c["unit"] in ("CID", "PPU", "PAT1", "PAT2", "PAT3") and open_on(c, t, after=30)]
            if cs and R.random() < 0.75:
                c = R.choice(cs); look(p, t, R.choice(c["parties"])[0], c["ref"]); continue
        look(p, t, R.choice(PPO) if R.random() < 0.3 else new_subject(), "")
    for _ in range(poisson(1.5)):
        q = R.choice(people)
        if q["sid"] in MSISDN and p["sid"] in MSISDN:
            comm(p, rand_t(a, b), R.choice(["call", "email", "email"]), MSISDN[q["sid"]], "out")
    return a, b

h14_days = []
for p in people:
    if p["rota"] is not None:
        continue
    for d in days(GEN0, GEN1):
        if d.weekday() >= 5 or d in BANK or d in CLOSURE or not in_post(p, d) or on_leave(p["sid"], d):
            continue
        if p is H14 and d >= date(2023, 11, 1) and d.weekday() > 2:
            continue                                       # Mon-Wed only since her hours changed
        if p is H15:
            office_day(p, d, d.weekday() < 4)                # four office days, Fridays at home: exactly the rule
            continue
        if p is G10:
            r = R.random()
            office_day(p, d, True, short=(r < 0.82))         # badges in, leaves within minutes most days
            continue
        if p is H14 and d >= date(2023, 11, 1):
            office_day(p, d, R.random() < 0.97); h14_days.append(d); continue
        office_day(p, d, R.random() < ATTEND[p["sid"]])

# ---- scenario lookups
def shift_days(p, a, b):
    return [s for s in SHIFTS if s["sid"] == p["sid"] and a <= s["date"] <= b and s["duty"] not in ("Court", "Training")]
# G7: the complainant, his partner and their car
ss = shift_days(G7, date(2023, 11, 9), date(2024, 2, 27))
R.shuffle(ss)
for s in ss[:11]:
    for _ in range(R.choice([1, 1, 2])):
        look(G7, rand_t(s["start"] + timedelta(minutes=30), s["end"] - timedelta(minutes=10)), S_COMP, "", action=R.choice(["view", "search", "view"]))
for s in ss[11:15]:
    look(G7, rand_t(s["start"] + timedelta(minutes=30), s["end"] - timedelta(minutes=10)), S_COMP2, "", action="view")
for s in ss[15:18]:
    look(G7, rand_t(s["start"] + timedelta(minutes=30), s["end"] - timedelta(minutes=10)), S_COMPV, "", system="PNC", action="search")
# G8: views of a vulnerable witness from a colleague's closed case, citing his own fraud case; some from home in the evening
wd = [d for d in days(date(2023, 11, 6), date(2024, 2, 23)) if d.weekday() < 5 and (G8["sid"], d) in ROSTER]
R.shuffle(wd)
for i, d in enumerate(sorted(wd[:14])):
    s = ROSTER[(G8["sid"], d)]
    if i % 7 in (1, 3, 5) and s["end"] <= dt(d, "17:00"):
        t = dt(d, "19:10") + rmin(0, 140)
        dev(G8, t - rmin(3, 8), "login", ""); look(G8, t, W8, C8b["ref"], system="Niche", action="view")
        if i % 2:
            look(G8, t + rmin(2, 6), "AD" + W8[2:], C8b["ref"], system="Niche", action="view")
        dev(G8, t + rmin(12, 30), "logout", "")
    else:
        t = rand_t(s["start"] + timedelta(minutes=30), s["end"] - timedelta(minutes=20))
        look(G8, t, W8, C8b["ref"], system="Niche", action="print" if i in (4, 9) else "view")
# G11: the registered sex offender he associates with
ss = shift_days(G11, date(2023, 11, 1), date(2024, 2, 25)); R.shuffle(ss)
for s in ss[:7]:
    for _ in range(R.choice([1, 1, 2])):
        look(G11, rand_t(s["start"] + timedelta(minutes=20), s["end"] - timedelta(minutes=10)), RSO, "")
for d in (date(2023, 11, 9), date(2024, 1, 25)):
    look(mosovo, dt(d, "10:20") + rmin(0, 90), RSO, "MOSOVO/RSO/0112", system="Niche", action="view")
# H4: detainee checks as acting custody sergeant
for s in h4_shifts:
    custody_lookups(H4, s["start"] + timedelta(minutes=15), s["end"] - timedelta(minutes=10), poisson(6))
# H5: repeat missing teenager and two associates, citing missing-person episode refs
ep, mpseq = None, [311]
for d in days(date(2023, 10, 2), date(2024, 2, 28)):
    if (misper["sid"], d) not in ROSTER:
        continue
    s = ROSTER[(misper["sid"], d)]
    if ep is None or R.random() < 0.12:
        mpseq[0] += R.randint(2, 9); ep = f"MP-{d.year % 100}-{mpseq[0]:04d}"
    if R.random() < 0.62:
        for _ in range(R.choice([1, 2])):
            look(misper, rand_t(s["start"] + timedelta(minutes=10), s["end"]), M5, ep, system="Niche", action=R.choice(["view", "search", "update"]))
    for sub in (M5a, M5b):
        if R.random() < 0.13:
            look(misper, rand_t(s["start"] + timedelta(minutes=10), s["end"]), sub, ep, system="Niche", action="view")
    for _ in range(poisson(3)):
        mpseq[0] += 1
        look(misper, rand_t(s["start"] + timedelta(minutes=10), s["end"]), new_subject(), f"MP-{d.year % 100}-{mpseq[0]:04d}")
for s in shift_days(ppu_dc[0], date(2023, 10, 2), date(2024, 2, 28))[::9]:
    look(ppu_dc[0], rand_t(s["start"] + timedelta(minutes=10), s["end"]), M5, C5["ref"], system="Niche", action="view")
# H6: firearms licensing enquiry officers: each applicant checked at application, after the home visit, at grant
felseq = [612]
for p, napp in ((fel[0], 42), (fel[1], 30)):
    wds = [d for d in days(date(2023, 10, 2), date(2024, 2, 28)) if d.weekday() < 5 and d not in BANK and d not in CLOSURE
           and not on_leave(p["sid"], d)]
    for _ in range(napp):
        felseq[0] += R.randint(1, 4)
        ref, subj = f"FEL/{R.choice([2023, 2023, 2024])}/{felseq[0]:04d}", new_subject()
        i0 = R.randint(0, len(wds) - 30)
        for k in sorted(R.sample(range(0, 28), R.choice([3, 3, 4]))):
            look(p, dt(wds[i0 + k], "09:30") + rmin(0, 400), subj, ref, system=R.choice(["PNC", "Niche"]), action=R.choice(["search", "view"]))
        if R.random() < 0.5:
            look(p, dt(wds[i0], "10:00") + rmin(0, 300), new_subject(), ref, system="Niche", action="search")
# H18: front enquiry office: document production and callers
hseq = [90]
for s in h18_shifts:
    for _ in range(poisson(18)):
        t = rand_t(s["start"] + timedelta(minutes=10), s["end"] - timedelta(minutes=10))
        if R.random() < 0.5:
            hseq[0] += 1
            look(H18, t, new_subject("VH") if R.random() < 0.5 else new_subject(), f"HORT1-24-{hseq[0]:05d}", system="PNC", action="search")
        else:
            look(H18, t, new_subject(), "", system=R.choice(["PNC", "Niche"]), action="search")
# ---- H7: on-call call-out to the vulnerable victim of his closed case
comm(H7, dt(date(2023, 12, 22), "22:41"), "call", V7, "out", 1620)
look(H7, dt(date(2023, 12, 22), "22:37"), V7, C7["ref"], system="Niche", action="view")
comm(H7, dt(date(2023, 12, 22), "23:50"), "call", V7, "out", 360)
comm(H7, dt(date(2023, 12, 23), "00:22"), "sms", V7, "out")
dev(H7, dt(date(2023, 12, 22), "22:33"), "login", ""); dev(H7, dt(date(2023, 12, 23), "00:58"), "logout", "")
# ---- H17: back at base after travelling from the course
if h17:
    dev(H17, h17_claim["end"] - rmin(12, 18), "login", "RGB"); badge(H17, h17_claim["end"] - rmin(15, 20), "RGB", "in")
    badge(H17, h17_claim["end"] + rmin(3, 8), "RGB", "out"); dev(H17, h17_claim["end"] + rmin(0, 3), "logout", "RGB")
# ---- G9: PCSO's conversational texting with a vulnerable young victim after her case was filed
def on_duty(p, t):
    return any(s["start"] - timedelta(hours=1) <= t <= s["end"] + timedelta(hours=1)
               for s in (ROSTER.get((p["sid"], t.date())), ROSTER.get((p["sid"], t.date() - timedelta(1)))) if s)
g9_off = 0
for wk in range(17):
    d0 = date(2023, 11, 6) + timedelta(weeks=wk)
    n_on = min(6 + wk * 2, 30)
    ds = [d0 + timedelta(k) for k in range(7) if (G9["sid"], d0 + timedelta(k)) in ROSTER]
    for _ in range(n_on if ds else 0):
        s = ROSTER[(G9["sid"], R.choice(ds))]
        t = rand_t(s["start"] + timedelta(minutes=20), s["end"] - timedelta(minutes=5))
        comm(G9, t, "sms", V9, "out")
        if R.random() < 0.7:
            comm(G9, t + rmin(2, 40), "sms", V9, "in")
    if wk >= 3:
        for _ in range(R.choice([1, 2, 3])):
            d = d0 + timedelta(R.randint(0, 6))
            t = dt(d, "21:00") + rmin(0, 150)
            if not on_duty(G9, t):
                comm(G9, t, "sms", V9, "out"); comm(G9, t + rmin(1, 10), "sms", V9, "in"); g9_off += 1
                if R.random() < 0.5:
                    comm(G9, t + rmin(12, 25), "sms", V9, "out")
    if wk in (8, 13):
        d = d0 + timedelta(5); t = dt(d, "22:15") + rmin(0, 30)
        if not on_duty(G9, t):
            comm(G9, t, "call", V9, "out", R.randint(1300, 2600))

# ================================================================ registers
DECL, EXT, COMPL = [], [], []
dseq = [3100]
def decl(p, kind, cp, when, status="Approved"):
    dseq[0] += R.randint(1, 7)
    DECL.append(dict(id=f"DBI-{dseq[0]:05d}", sid=p["sid"], kind=kind, cp=cp, when=when, status=status))
xseq = [500]
def ext(kind, cp, source, when, strength="confirmed", p=None, name=None, dob=None, activity="", **extra):
    xseq[0] += 1
    EXT.append(dict(id=f"EXR-{xseq[0]:05d}", kind=kind, cp=cp, source=source, when=when, strength=strength,
                    sid=p["sid"] if p else "", name=name or "", dob=dob or "", activity=activity, extra=extra))
def full(p):
    return f"{p['fore']} {p['sur']}"

ordinary_pool = [p for p in people if p["sid"] not in PROTECTED_IDS and p["group"] != "Special Constable"]
R.shuffle(ordinary_pool)
JOBS = [("secondary_employment", "Tesco Stores Limited", "Tesco (weekend colleague, Ashby Fold)", "47110 Retail sale in non-specialised stores", "employment"),
        ("secondary_employment", "Pennine Fitness Studio Ltd", "Pennine Fitness Studio - personal trainer", "93130 Fitness facilities", "employment"),
        ("business_interest", "Calder Valley Lets Ltd", "Calder Valley Lets Ltd (director, 2 rental flats)", "68209 Other letting", "directorship"),
        ("business_interest", "Brearley Joinery Ltd", "Brearley Joinery Limited", "16230 Manufacture of other builders' carpentry", "directorship"),
        ("secondary_employment", "Yorkshire Driving School", "Yorkshire Driving School Ltd (instructor)", "85530 Driving school activities", "employment"),
        ("business_interest", "Holroyd Photography", "Holroyd Photography Ltd", "74201 Portrait photographic activities", "directorship"),
        ("secondary_employment", "Hebden Bridge Picture House", "Hebden Bridge Picture House (projectionist)", "59140 Motion picture projection", "employment"),
        ("business_interest", "Moorside Dog Walking", "Moorside Dog Walking & Pet Sitting Ltd", "96090 Other service activities", "directorship")]
for (kind, declared, registered, act, xk), p in zip(JOBS, ordinary_pool[:8]):
    d = date(R.randint(2016, 2023), R.randint(1, 12), R.randint(1, 28))
    if d < p["start"]:
        d = p["start"] + timedelta(R.randint(5, 60))
    decl(p, kind, declared, d)
    if xk == "directorship":
        ext("directorship", registered.upper(), "Companies House officer appointments", d - timedelta(R.randint(0, 30)),
            name=f"{p['sur'].upper()}, {p['fore']}", dob=p["dob"].isoformat(), activity=act)
    else:
        ext("employment", registered, "HMRC RTI (PAYE) employment record", date(2023, 11, 30), p=p, activity=act)
for p in ordinary_pool[8:20]:
    r = R.random()
    if r < 0.4:
        decl(p, "gift_hospitality", R.choice(["Box of chocolates from victim's family (shared with team)", "Bottle of wine from a grateful resident (declined)",
                                              "Christmas hamper from a supplier (declined)", "Lunch at a partner agency conference"]),
             date(2023, R.randint(10, 12), R.randint(1, 28)), status=R.choice(["Approved", "Approved", "Declined - item returned"]))
    elif r < 0.7:
        decl(p, "membership", R.choice(["Calderwick Golf Club", "Ashby Fold Cricket Club", "Royal British Legion (Calderwick branch)"]),
             date(R.randint(2018, 2023), R.randint(1, 12), R.randint(1, 28)))
    else:
        q = R.choice([x for x in people if x["unit"] != p["unit"]])
        decl(p, "relationship", f"Relationship with colleague {full(q)} ({q['unit']})", date(R.randint(2019, 2023), R.randint(1, 12), R.randint(1, 28)))
decl(G4a, "relationship", f"Partner: PC {full(G4b)}, Calderwick Patrol Team 3", date(2022, 6, 14))
decl(G4b, "relationship", f"Partner: {full(G4a)}, Resourcing Officer", date(2022, 6, 14))
decl(H13, "membership", "Calderwick Police Rugby Football Club", date(2019, 3, 2))
decl(ordinary_pool[21], "secondary_employment", "Calderwick Town FC matchday steward", date(2023, 8, 20), status="Refused")
decl(ordinary_pool[22], "business_interest", "Lumb & Daughter Plumbing Ltd", date(2024, 1, 10), status="Under Review")

# ---- G2: undeclared street-food business; seen trading at the Christmas market while off sick
ext("directorship", "SMOKE & EMBER STREET FOOD LTD", "Companies House officer appointments", date(2023, 3, 14),
    name=f"{G2['sur'].upper()}, {G2['fore']}", dob=G2["dob"].isoformat(), activity="56102 Unlicensed restaurants and cafes")
for d in (date(2023, 12, 9), date(2023, 12, 16)):
    ext("employment", "Smoke & Ember Street Food Ltd", "Licensing Unit sighting - Calderwick Christmas Market trader rota (stall 14 staffed)",
        d, name=f"{G2['fore']} {G2['sur']}", dob=G2["dob"].isoformat(), activity="Serving at market stall 14")
# ---- G11: association with a registered sex offender, seen by the MOSOVO team at his address
for d in (date(2023, 11, 19), date(2024, 1, 21)):
    ext("relationship", f"Registered sex offender subject {RSO} (MOSOVO cohort)", "MOSOVO home visit record - officer present at RSO address, off duty",
        d, p=G11, activity="Visiting officer recognised PC as a colleague; association not declared")
# ---- honest records
ext("membership", "Priory of England and the Islands of the Order of St John", "St John Ambulance volunteer register", date(2023, 10, 18),
    p=H11, activity="Volunteer first aider (unpaid)")
ext("directorship", "WEAVER'S QUAY (CALDERWICK) MANAGEMENT COMPANY LIMITED", "Companies House officer appointments", date(2021, 5, 4),
    name=f"{H12['sur'].upper()}, {H12['fore']}", dob=H12["dob"].isoformat(), activity="98000 Residents property management")
ext("directorship", "CALDERWICK POLICE RUGBY FOOTBALL CLUB LIMITED", "Companies House officer appointments", date(2022, 9, 1),
    name=f"{H13['sur'].upper()}, {H13['fore']}", dob=H13["dob"].isoformat(),
    activity="93120 Activities of sport clubs; registered community amateur sports club")
ext("employment", "Swiftline Couriers Ltd", "Courier depot clock-in record", date(2024, 1, 15),
    name="K DOYLE", dob=H19["dob"].isoformat(), activity="Multi-drop van driver", worker_ref="SWL-DRV-0412")

# ---- complaints (Centurion)
cseq2 = [1180]
ALLEG = ["Incivility", "Failure to investigate", "Use of force during arrest", "Delay in updating victim", "Property not returned",
         "Stop and search conduct", "Driving standards", "Discriminatory language"]
for p in R.sample([x for x in people if x["unit"][:3] in ("PAT", "SNT", "OSU", "CID", "CUS") and x["sid"] not in PROTECTED_IDS], 22):
    cseq2[0] += R.randint(1, 9)
    COMPL.append(dict(id=f"CO/{cseq2[0]}/23", sid=p["sid"], when=dt(date(2023, R.choice([10, 11, 12]), R.randint(1, 28)), "10:00") + rmin(0, 400),
                      alleg=R.choice(ALLEG), outcome=R.choice(["Not Upheld", "Not Upheld", "Service Acceptable", "Under Investigation", "Upheld", "Withdrawn"]), who=""))
COMPL.append(dict(id="CO/1299/23", sid=G7["sid"], when=dt(date(2023, 11, 8), "14:26"), alleg="Incivility and excessive force during stop and search, Market Street",
                  outcome="Under Investigation", who=S_COMP))

# ================================================================ exports
if os.path.exists(OUT):
    shutil.rmtree(OUT)
os.makedirs(OUT); os.makedirs(FIND, exist_ok=True)

def write_csv(path, header, rows, delim=",", encoding="utf-8", newline="\n"):
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f, delimiter=delim, lineterminator=newline)
        w.writerow(header); w.writerows(rows)

def dmy(d):
    return d.strftime("%d/%m/%Y") if d else ""
def iso_local(t):
    if t.hour == 0 and t.minute == 0 and t.second == 0 and t.microsecond == 0 and getattr(t, "_is_end", False):
        pass
    return t.strftime("%Y-%m-%d %H:%M")
def roster_end(s):
    e = s["end"]
    if e.hour == 0 and e.minute == 0:            # the roster writes a tour ending at midnight as 24:00 of its duty date
        return (e - timedelta(1)).strftime("%Y-%m-%d") + " 24:00"
    return e.strftime("%Y-%m-%d %H:%M")
def toml(path, text):
    open(path, "w").write(text.strip() + "\n")

# sites / units
write_csv(f"{OUT}/sites.csv", ["Site Code", "Site Name", "Building Type", "Latitude", "Longitude"],
          [(s[0], s[1], s[2], s[3], s[4]) for s in SITES])
toml(f"{OUT}/sites.format.toml", '''
[columns]
site_id = "Site Code"
name = "Site Name"
kind = "Building Type"
lat = "Latitude"
lon = "Longitude"
[values.kind]
"Police Station" = "station"
"Office" = "office"
"Custody Suite" = "custody"
"Training Centre" = "other"
"Court" = "other"
''')
write_csv(f"{OUT}/units.csv", ["Unit ID", "Unit Name", "Function", "Command", "Base"], UNITS)
toml(f"{OUT}/units.format.toml", "[columns]\nname = \"Unit Name\"\nunit_type = \"Function\"\nsite_id = \"Base\"\n[values.unit_type]\n" +
     "\n".join(f'"{k}" = "{v}"' for k, v in FUNCTION_TYPE.items()))
# people: Windows-1252, CRLF, UK Excel dates
rows = []
for p in people:
    rows.append((p["sid"], f"{p['sur'].upper()}, {p['fore']}", p["rank"], p["role"], p["unit"], p["group"], f"{p['fte']:.2f}",
                 f"{p['hours'] if p['hours'] else round(37 * p['fte'], 1):.1f}", dmy(p["start"]), dmy(p["end"]),
                 {True: "Y", None: "", False: "N"}[p["hybrid"]], p["lm"] or "", dmy(p["dob"])))
write_csv(f"{OUT}/people.csv", ["Payroll No", "Name", "Rank / Grade", "Post Title", "Unit ID", "Employee Group", "FTE", "Contracted Hours",
                                "Date Joined", "Leaving Date", "Hybrid Agreement", "Reports To", "Date of Birth"], rows, encoding="cp1252", newline="\r\n")
toml(f"{OUT}/people.format.toml", '''
# iTrent HR extract saved from Excel on a force PC (Windows-1252, UK dates)
encoding = "cp1252"
timestamps = "day-first"
[columns]
staff_id = "Payroll No"
display_name = "Name"
role = "Post Title"
employment_type = "Employee Group"
start_date = "Date Joined"
end_date = "Leaving Date"
hybrid_policy = "Hybrid Agreement"
line_manager_id = "Reports To"
[values.employment_type]
"Police Officer" = "officer"
"Police Staff" = "staff"
"Special Constable" = "special"
''')
AGE = lambda p: f"{(2024 - p['dob'].year) // 10 * 10}-{(2024 - p['dob'].year) // 10 * 10 + 9}"
write_csv(f"{OUT}/people_protected.csv", ["Payroll No", "Sex", "Age Band", "Ethnicity"],
          [(p["sid"], p["sex"], AGE(p), R.choice(["White British"] * 8 + ["Asian or Asian British", "Black or Black British", "Mixed", "Other White", "Prefer not to say"])) for p in people])
toml(f"{OUT}/people_protected.format.toml", '[columns]\nstaff_id = "Payroll No"\nethnicity_group = "Ethnicity"\n')
# identities
idrows = []
for p in people:
    vf = dmy(p["start"])
    vt = dmy(p["end"]) if p["end"] else ""
    card = CARD[p["sid"]]
    if p is T["PAT1"]["pcs"][6] or p is psv[4]:          # replacement cards
        newc = str(int(card) + 70001)
        idrows.append(("prowatch", card, p["sid"], vf, "14/11/2023")); idrows.append(("prowatch", newc, p["sid"], "15/11/2023", vt))
        CARD[p["sid"]] = (card, newc)
    else:
        idrows.append(("prowatch", card, p["sid"], vf, vt))
    if p["sid"] in DEVICE:
        idrows.append(("ws1", USERNAME[p["sid"]], p["sid"], vf, vt))
    if p["sid"] in MSISDN:
        idrows.append(("msisdn", MSISDN[p["sid"]], p["sid"], vf, vt))
write_csv(f"{OUT}/identities.csv", ["System", "Identifier", "Payroll No", "Valid From", "Valid To"], idrows)
toml(f"{OUT}/identities.format.toml", 'timestamps = "day-first"\n[columns]\nstaff_id = "Payroll No"\n')
def card_at(sid, t):
    c = CARD[sid]
    if isinstance(c, tuple):
        return c[0] if t.date() <= date(2023, 11, 14) else c[1]
    return c

# shifts: HealthRoster 'Assigned Duties by Person', a folder of monthly parts, rest/leave rows included
LOCNAME = {"CWC1": "Calderwick Central", "CWCS": "Calderwick Custody", "ASF1": "Ashby Fold", "NTB1": "Netherby", "THQ": "Tanner's Yard",
           "RGB": "Ravensgill", "MLTC": "Moss Lane Training", "CCC": "Crown Court Calderwick"}
SHIFTNAME = {"E": "EARLY", "L": "LATE", "N": "NIGHT", "D": "DAY"}
os.makedirs(f"{OUT}/shifts")
bymonth = {}
for s in SHIFTS:
    bymonth.setdefault(s["date"].strftime("%Y-%m"), []).append(
        (s["id"], s["sid"], P[s["sid"]]["sur"], s["date"].isoformat(), SHIFTNAME[s["kind"]], s["start"].strftime("%Y-%m-%d %H:%M"),
         roster_end(s), LOCNAME[s["site"]], s["duty"], f"{(s['end'] - s['start']).total_seconds() / 3600:.2f}"))
# rest and leave rows as the roster holds them (skipped at ingest)
for p in people:
    if p["rota"] is None:
        continue
    for d in days(GEN0, GEN1):
        if (p["sid"], d) in ROSTER or not in_post(p, d) or R.random() < 0.5:
            continue
        cat = "Annual Leave" if on_leave(p["sid"], d) else "Rest Day"
        bymonth.setdefault(d.strftime("%Y-%m"), []).append(
            (nid("sh", "AS"), p["sid"], p["sur"], d.isoformat(), "REST" if cat == "Rest Day" else "AL", f"{d} 00:00", f"{d} 24:00",
             LOCNAME[UNIT[p["unit"]][4]], cat, "0.00"))
for m, rows in sorted(bymonth.items()):
    rows.sort(key=lambda r: (r[3], r[1]))
    write_csv(f"{OUT}/shifts/Assigned Duties by Person {m}.csv",
              ["Assignment ID", "Payroll No", "Surname", "Duty Date", "Shift", "Start", "End", "Location", "Duty Category", "Hours"], rows,
              encoding="utf-8-sig")
toml(f"{OUT}/shifts/format.toml", '''
# HealthRoster 'Assigned Duties by Person'; rest days and leave are rows of the roster, not duties
[columns]
shift_id = "Assignment ID"
staff_id = "Payroll No"
site_id = "Location"
duty_type = "Duty Category"
[values.duty_type]
"Ordinary Duty" = "normal"
"Rest Day Working" = "rest_day_working"
"Bank Holiday" = "bank_holiday"
"Training" = "training"
"Court" = "court"
[skip]
duty_type = ["Rest Day", "Annual Leave"]
[values.site_id]
''' + "\n".join(f'"{v}" = "{k}"' for k, v in LOCNAME.items()))
# roster changes: semicolon-separated audit
write_csv(f"{OUT}/roster_changes.csv", ["Audit Ref", "Assignment ID", "Payroll No", "Edited By", "Edited At", "Field", "From", "To"],
          [(c["id"], c["shift"], c["sid"], c["by"], c["at"].strftime("%Y-%m-%dT%H:%M:%S"), c["field"], c["old"], c["new"]) for c in
           sorted(CHANGES, key=lambda c: c["at"])], delim=";")
toml(f"{OUT}/roster_changes.format.toml", '''
[columns]
change_id = "Audit Ref"
shift_id = "Assignment ID"
staff_id = "Payroll No"
changed_by = "Edited By"
changed_at = "Edited At"
old_value = "From"
new_value = "To"
''')
# overtime claims: 'Unicode text' from Excel - UTF-16 with BOM, tab-separated, CRLF
buf = io.StringIO()
w = csv.writer(buf, delimiter="\t", lineterminator="\r\n")
w.writerow(["Claim No", "Payroll No", "Duty Date", "Start", "End", "Hours Claimed", "Rate", "Reason", "Job Ref", "Submitted", "Authoriser",
            "Authorised", "Status", "Authorisation Note"])
for c in sorted(CLAIMS, key=lambda c: c["start"]):
    w.writerow([c["id"], c["sid"], c["start"].date().isoformat(), c["start"].strftime("%Y-%m-%d %H:%M"), c["end"].strftime("%Y-%m-%d %H:%M"),
                f"{c['hours']:.2f}", f"{c['rate']:.2f}", c["reason"], c["job"], c["sub"].strftime("%Y-%m-%d %H:%M"), c["auth"],
                c["at"].strftime("%Y-%m-%d %H:%M") if c["at"] else "", c["status"], c["note"]])
open(f"{OUT}/Overtime Claims.tsv", "w", encoding="utf-16").write(buf.getvalue())
toml(f"{OUT}/overtime_claims.format.toml", '''
[columns]
claim_id = "Claim No"
staff_id = "Payroll No"
hours = "Hours Claimed"
reason_code = "Reason"
submitted_at = "Submitted"
authorised_by = "Authoriser"
authorised_at = "Authorised"
[values.status]
"Paid" = "approved"
"Authorised" = "approved"
"Submitted" = "pending"
"Declined" = "rejected"
''')
# absences: SuccessFactors EmployeeTime (OData dates)
def ms(d):
    return f"/Date({int(datetime(d.year, d.month, d.day, tzinfo=timezone.utc).timestamp() * 1000)})/"
write_csv(f"{OUT}/absences.csv", ["externalCode", "userId", "timeType", "startDate", "endDate", "quantityInDays", "approvalStatus", "reasonText"],
          [(a["id"], a["sid"], TT[a["type"]], ms(a["start"]), ms(a["end"]), f"{a['qty']:g}", a["status"], a["reason"]) for a in ABS])
toml(f"{OUT}/absences.format.toml", '''
timestamps = "ms-epoch"
[columns]
absence_id = "externalCode"
staff_id = "userId"
type = "timeType"
start = "startDate"
end = "endDate"
days = "quantityInDays"
status = "approvalStatus"
reason_category = "reasonText"
[values.type]
"HOL" = "annual_leave"
"SICK_CERT" = "sickness"
"SICK_SELF" = "sickness"
"COMP_LV" = "compassionate"
"MAT_PAT" = "parental"
"EXT_TRN" = "training"
"SPEC_LV" = "other"
"SUSP" = "suspension"
''')
# badge events: Honeywell Pro-Watch, pipe-delimited, US month-first local times, one part a month
os.makedirs(f"{OUT}/badge_events")
DOORS = {"in": "Staff Entrance IN", "out": "Staff Entrance OUT"}
pw_emp = {p["sid"]: f"E{R.randint(1000, 9999)}" for p in people}
bm, amb = {}, []
for b in BADGE:
    t = b["ts"].replace(microsecond=0)
    p = P[b["sid"]]
    row = (pw_emp[b["sid"]], p["fore"], p["sur"], SITE[b["site"]][5], p["unit"], card_at(b["sid"], t), DOORS[b["dir"]],
           t.strftime("%m/%d/%Y %H:%M:%S"), b["outcome"])
    if ambiguous(t):
        amb.append(row); continue
    bm.setdefault(t.strftime("%Y-%m"), []).append((t, row))
for _ in range(60):   # denied reads
    b = R.choice(BADGE); t = b["ts"].replace(microsecond=0) - timedelta(seconds=R.randint(5, 40)); p = P[b["sid"]]
    if not ambiguous(t):
        bm.setdefault(t.strftime("%Y-%m"), []).append((t, (pw_emp[b["sid"]], p["fore"], p["sur"], SITE[b["site"]][5], p["unit"], card_at(b["sid"], t),
                                                          DOORS[b["dir"]], t.strftime("%m/%d/%Y %H:%M:%S"), "Invalid Time Zone")))
PWH = ["EMP_ID", "FIRST_NAME", "LAST_NAME", "BUILDING", "DEPT", "BADGE_NO", "DOOR", "EVNT_DAT", "EVNT_DESCRP"]
for m, rows in sorted(bm.items()):
    rows.sort(key=lambda r: r[0])
    write_csv(f"{OUT}/badge_events/prowatch_events_{m}.csv", PWH, [r for _, r in rows], delim="|")
write_csv(f"{FIND}/badge_events_clock_change_hour.csv", PWH, amb, delim="|")
toml(f"{OUT}/badge_events/format.toml", '''
# Honeywell Pro-Watch event export (server local time, US format)
timestamps = "month-first"
[columns]
identifier = "BADGE_NO"
site_id = "BUILDING"
direction = "DOOR"
ts = "EVNT_DAT"
[fill]
system = "prowatch"
[values.direction]
"Staff Entrance IN" = "in"
"Staff Entrance OUT" = "out"
[skip]
EVNT_DESCRP = ["Invalid Time Zone", "Invalid Badge"]
[values.site_id]
''' + "\n".join(f'"{s[5]}" = "{s[0]}"' for s in SITES if s[5]))
# device events: Workspace ONE (UTC, 3-digit fraction)
KIND = {"login": "User Login", "logout": "User Logout", "location": "GPS Location Update"}
rows = []
for e in sorted(DEV, key=lambda e: e["ts"]):
    kind, did, serial = DEVICE[e["sid"]]
    t = utc(e["ts"]).strftime("%Y-%m-%dT%H:%M:%S.") + f"{R.randint(0, 999):03d}"
    rows.append((USERNAME[e["sid"]], did, serial, "Android" if kind == "mobile" else "Windows", KIND[e["kind"]], t, e["site"],
                 e["lat"] if e["lat"] is not None else "", e["lon"] if e["lon"] is not None else "", "C"))
write_csv(f"{OUT}/device_events.csv", ["Enrollment User", "Device Friendly Name", "Serial Number", "Platform", "Event", "Event Time", "Network Site",
                                       "Latitude", "Longitude", "Ownership"], rows)
toml(f"{OUT}/device_events.format.toml", '''
# Workspace ONE UEM event export (times in UTC)
zone = "UTC"
[columns]
identifier = "Enrollment User"
device_id = "Device Friendly Name"
kind = "Event"
ts = "Event Time"
site_id = "Network Site"
lat = "Latitude"
lon = "Longitude"
[fill]
system = "ws1"
[values.kind]
"User Login" = "login"
"User Logout" = "logout"
"GPS Location Update" = "location"
''')
# system access: Parquet parts, one a month, typed UTC timestamps
os.makedirs(f"{OUT}/system_access")
ACT = {"search": "ENQUIRY", "view": "RECORD VIEWED", "update": "AMENDED", "print": "PRINTED", "export": "EXPORTED"}
sm = {}
for l in LOOK:
    sm.setdefault(l["ts"].strftime("%Y-%m"), []).append(l)
for m, ls in sorted(sm.items()):
    ls.sort(key=lambda l: l["ts"])
    tbl = pa.table({"AuditID": [l["id"] for l in ls], "UserID": [l["sid"] for l in ls],
                    "EventTimeUTC": pa.array([utc(l["ts"]) for l in ls], type=pa.timestamp("us", tz="UTC")),
                    "SourceSystem": [l["system"] for l in ls], "ActionType": [ACT[l["action"]] for l in ls],
                    "SubjectRef": [l["subject"] for l in ls], "CaseRef": [l["case"] or None for l in ls],
                    "Terminal": [f"WS{R.randint(100, 999)}" for _ in ls]})
    pq.write_table(tbl, f"{OUT}/system_access/audit_{m}.parquet")
toml(f"{OUT}/system_access/format.toml", '''
[columns]
event_id = "AuditID"
staff_id = "UserID"
ts = "EventTimeUTC"
system = "SourceSystem"
action = "ActionType"
subject_ref = "SubjectRef"
case_ref = "CaseRef"
[values.action]
"ENQUIRY" = "search"
"RECORD VIEWED" = "view"
"AMENDED" = "update"
"PRINTED" = "print"
"EXPORTED" = "export"
''')
# comms: network operator CDRs, a file a month
cm = {}
for c in COMMS:
    if c["sid"] not in MSISDN:
        continue
    cm.setdefault(c["ts"].strftime("%Y-%m"), []).append(c)
MON = {"09": "September", "10": "October", "11": "November", "12": "December", "01": "January", "02": "February", "03": "March"}
for m, cs in sorted(cm.items()):
    cs.sort(key=lambda c: c["ts"])
    write_csv(f"{OUT}/Comms Events - {MON[m[5:]]} {m[:4]}.csv",
              ["Record ID", "MSISDN", "Event Start (UTC)", "Service", "Other Party", "Direction", "Duration (s)"],
              [(c["id"], MSISDN[c["sid"]], utc(c["ts"]).strftime("%Y-%m-%d %H:%M:%S"), {"call": "Voice", "sms": "SMS", "email": "Email"}[c["channel"]],
                c["other"], "MO" if c["dir"] == "out" else "MT", c["dur"] if c["channel"] == "call" else "") for c in cs])
toml(f"{OUT}/comms_events.format.toml", '''
zone = "UTC"
[columns]
event_id = "Record ID"
identifier = "MSISDN"
ts = "Event Start (UTC)"
channel = "Service"
counterpart_ref = "Other Party"
[fill]
system = "msisdn"
[values.channel]
"Voice" = "call"
"SMS" = "sms"
"Email" = "email"
[values.direction]
"MO" = "out"
"MT" = "in"
''')
# case parties: Niche occurrence involvements, UK dates
INV = {"victim": "Aggrieved", "witness": "Witness", "suspect": "Offender", "other": "Other Involved"}
rows = []
for c in CASES:
    seen = set()
    for s, r, v in c["parties"]:
        if (s, r) in seen:
            continue
        seen.add((s, r))
        rows.append((c["ref"], s, INV[r], "Y" if v else "N", c["oic"], c["opened"].strftime("%d/%m/%Y %H:%M"),
                     c["closed"].strftime("%d/%m/%Y %H:%M") if c["closed"] else ""))
write_csv(f"{OUT}/case_parties.csv", ["OccurrenceRef", "PersonRef", "Involvement", "VulnerableFlag", "OIC_PayrollNo", "RecordedDate", "FinalisedDate"], rows)
toml(f"{OUT}/case_parties.format.toml", '''
timestamps = "day-first"
[columns]
case_ref = "OccurrenceRef"
subject_ref = "PersonRef"
role = "Involvement"
vulnerable = "VulnerableFlag"
officer_in_case = "OIC_PayrollNo"
opened = "RecordedDate"
closed = "FinalisedDate"
[values.role]
"Aggrieved" = "victim"
"Offender" = "suspect"
"Other Involved" = "other"
''')
# declarations: Parquet from the register's database, typed dates
KINDN = {"business_interest": "Business Interest", "secondary_employment": "Secondary Employment", "membership": "Membership / Association",
         "relationship": "Relationship", "gift_hospitality": "Gift or Hospitality"}
tbl = pa.table({"DeclarationRef": [d["id"] for d in DECL], "PayrollNo": [d["sid"] for d in DECL],
                "Category": [KINDN[d["kind"]] for d in DECL], "Counterparty": [d["cp"] for d in DECL],
                "DateDeclared": pa.array([d["when"] for d in DECL], type=pa.date32()), "Decision": [d["status"] for d in DECL]})
pq.write_table(tbl, f"{OUT}/declarations.parquet")
toml(f"{OUT}/declarations.format.toml", '''
[columns]
declaration_id = "DeclarationRef"
staff_id = "PayrollNo"
kind = "Category"
declared_at = "DateDeclared"
status = "Decision"
[values.kind]
"Business Interest" = "business_interest"
"Secondary Employment" = "secondary_employment"
"Membership / Association" = "membership"
"Relationship" = "relationship"
"Gift or Hospitality" = "gift_hospitality"
[values.status]
"Approved" = "approved"
"Refused" = "refused"
"Under Review" = "pending"
"Declined - item returned" = "refused"
''')
write_csv(f"{OUT}/external_records.csv", ["record_id", "kind", "counterparty", "source", "observed_at", "strength", "staff_id", "full_name",
                                          "date_of_birth", "activity", "worker_ref"],
          [(e["id"], e["kind"], e["cp"], e["source"], e["when"].isoformat(), e["strength"], e["sid"], e["name"], e["dob"], e["activity"],
            e["extra"].get("worker_ref", "")) for e in EXT])
write_csv(f"{OUT}/complaints.csv", ["Centurion Ref", "Payroll No", "Date Received", "Allegation Category", "Finalised Outcome", "Complainant Ref"],
          [(c["id"], c["sid"], c["when"].strftime("%Y-%m-%d %H:%M"), c["alleg"], c["outcome"], c["who"]) for c in COMPL])
toml(f"{OUT}/complaints.format.toml", '''
[columns]
complaint_id = "Centurion Ref"
staff_id = "Payroll No"
received_at = "Date Received"
allegation = "Allegation Category"
outcome = "Finalised Outcome"
[values.outcome]
"Not Upheld" = "not_upheld"
"Service Acceptable" = "not_upheld"
"Under Investigation" = "pending"
"Upheld" = "upheld"
"Withdrawn" = "withdrawn"
''')

# ================================================================ truth
def ds(xs):
    return ", ".join(x.isoformat() for x in xs)
TRUTH = {}
def g(p, pattern, route, note):
    TRUTH[p["sid"]] = ("guilty", pattern, route, note)
def h(p, pattern, note, visible="yes"):
    TRUTH[p["sid"]] = ("honest", pattern, "none", f"{note} [innocence visible in data: {visible}]")
g(G1, "court_overtime_after_plea", "misconduct_assessment",
  f"3 x 4h rest-day 'CRT1 - Court attendance (rest day, warned)' claims ({ds([c['start'].date() for c in g1_claims])}) citing Job Ref {C1['ref']}, "
  f"a case finalised on 2023-10-20 (plea at PTPH) - no trial left to attend; no trace, no court entry on the roster; sergeant authorised")
g(G2, "working_while_sick_undeclared_business", "gross_misconduct_assessment",
  "certified sickness 4-22 Dec (musculoskeletal); Licensing Unit sightings on 9 and 16 Dec serving at the Christmas-market stall of Smoke & Ember "
  "Street Food Ltd, of which Companies House shows her a director since Mar 2023 (name+DOB, unique name); never declared")
g(G3, "inflated_overtime_end_times", "misconduct_assessment",
  f"9 late-arrest claims of 3-4h after tours ({ds([c['start'].date() for c in g3_claims])}); every time his badge-out, device logout and "
  "last lookup come 45-75 min after the tour ends and nothing after: the rest of each claim (2-3h) was not worked; sergeant authorised")
g(G4a, "resourcing_officer_premium_edits_for_partner", "misconduct_assessment",
  f"resourcing officer relabelled 5 of her declared partner's ({G4b['sid']}) ordinary weekend tours 'Ordinary Duty' -> 'Rest Day Working' "
  f"2-4 days after they were worked ({ds(g4_dates)}); none was a rest day or bank holiday; she edits nobody else's ordinary tours")
g(G4b, "premium_edits_by_partner_benefiting", "misconduct_assessment",
  f"beneficiary of 5 unjustified 'Ordinary Duty' -> 'Rest Day Working' edits ({ds(g4_dates)}) all made by his declared partner {G4a['sid']} in Resourcing")
for p, a in ((G5a, G5b), (G5b, G5c), (G5c, G5a)):
    g(p, "three_way_authorisation_loop", "misconduct_assessment",
      f"all 7 of his overtime claims authorised by {a['sid']} ({a['role']}, {a['unit']}), a sergeant in another unit; the three sergeants "
      f"{G5a['sid']}/{G5b['sid']}/{G5c['sid']} authorise each other in a closed loop A<-B<-C<-A while their own inspectors were on duty")
g(G6, "double_paid_rest_day_working", "misconduct_assessment",
  f"rostered 'Rest Day Working' for Op Yuletide on {ds([s['date'] for s in g6_shifts])} (paid at premium through the roster) and also claimed "
  "overtime for the identical hours ('EVT3 - Op Yuletide'); the 5 other roads PCs on the same operation claimed nothing")
g(G7, "lookups_of_complainant", "misconduct_assessment",
  f"complaint CO/1299/23 received 8 Nov (complainant {S_COMP}, extra column); from 9 Nov he looked up the complainant on 11 days, her partner "
  f"on 4 days and their car on 3 days, no case reference, nobody else looked them up")
g(G8, "abuse_of_position_record_views", "misconduct_assessment",
  f"14 days of views (2 prints) of {W8}, a vulnerable witness in a colleague's sexual-offence case {C8['ref']} closed 27 Oct, citing his own "
  f"unrelated fraud case {C8b['ref']} where she is no party; 6 of them in the evening from home off duty, some with her address record; no contact")
g(G9, "pcso_personal_contact_vulnerable_victim", "gross_misconduct_assessment",
  f"PCSO OIC of hate-incident {C9['ref']} (victim {V9}, vulnerable) filed 3 Nov; from 6 Nov texts at a conversation's pace on duty rising to 30/week, "
  f"{g9_off} off-duty late-evening texts and 2 long late calls off duty; she replies - an escalating personal relationship")
g(G10, "token_office_attendance", "advice",
  "Head of People Services under the hybrid rule badges into Tanner's Yard most weekdays but badges out 8-25 minutes later on ~80% of them; "
  "laptop logins from off-site follow; a badge-in to register attendance, not attendance")
g(G11, "undeclared_association_with_rso", "gross_misconduct_assessment",
  f"MOSOVO home-visit records (19 Nov, 21 Jan, staff id) find him off duty at the address of registered sex offender {RSO}; association never "
  "declared; he looked the RSO up on 7 days with no case reference")
g(G13, "absent_during_night_shifts", "misconduct_assessment",
  f"on 9 night tours ({ds([s['date'] for s in g13_nights])}) badge in, device login and a couple of checks in the first ~90 min, badge out ~23:40, "
  "then nothing until a badge-in ~06:15 and a check before going off; his team's other nights show activity throughout")
for p in H1:
    h(p, "overtime_no_presence (covert op)",
      "3 x 5h evening 'COV1 - Covert deployment (Op Mistletoe) - devices booked out' claims (7, 14, 21 Dec) with no trace; three CID DCs on the same "
      "hours, DI authorised; covert test-purchase deployments leave work devices at base by policy", "partly (reason text and co-claimants; no ops log)")
for p in H2:
    h(p, "reciprocal_authorisation (delegated authority)",
      "two CID DSs authorised each other's Op Larch MIR claims (and the DCs' Op Larch claims) 8 Jan-23 Feb; 'Authorisation Note' says "
      "'Delegated authority - SIO finance instruction Op Larch/01'; claims traced")
for p in H3:
    h(p, "self_authorisation (system auto-approval)",
      "0.75h 'CH2' call-backlog extensions whose approver is the claimant: the duty system auto-approves extensions under an hour and writes the "
      "claimant's id; note column 'Auto-approved: under 1 hour (system rule CH2)'; work traced")
h(H4, "lookups_outside_own_cases (acting custody sergeant)",
  "response sergeant acting custody sergeant 8-28 Jan (roster 'Posting' change, custody 12h pattern at CWCS): many detainee checks citing custody "
  "record numbers CUS/24/..., not case refs")
h(H5, "repeated_subject_lookups (missing persons coordinator)",
  f"Missing Persons Coordinator re-checks a repeat-missing vulnerable teenager ({M5}) and two associates ~3 days a week citing missing-episode refs "
  f"MP-23/24-...; the teenager is a vulnerable victim in PPU case {C5['ref']}")
for p in H6:
    h(p, "repeated_subject_lookups (firearms licensing)",
      "Firearms Licensing Enquiry Officer: every applicant checked 3-4 times (application, home visit, grant) citing FEL/... application refs")
h(H7, "victim_contact (on-call call-out)",
  f"late-night calls (27 min and 6 min) and a text on 22/23 Dec to the vulnerable victim of his case {C7['ref']} closed 24 Nov: he was the on-call DS "
  "called out by the control room, covered by an approved 22:30-01:00 'OC1 - On-call call-out' claim; views cite his case")
h(H8, "overtime_during_absence (sickness keyed in error)",
  f"SuccessFactors sickness 20-24 Nov keyed against him in error (identical record for his namesake {H8n['sid']} in Roads, who was off); he worked "
  "every tour that week (badge, device, lookups) and a traced late-arrest claim on one of them")
h(H9, "overtime_during_absence (leave withdrawn)",
  "annual leave 29 Dec-2 Jan withdrawn on the request (approvalStatus WITHDRAWN); worked the NYE Op Auld overtime 31 Dec 20:00-04:00, traced")
h(H10, "overtime_during_absence / sickness (half-day appointment)",
  "sickness record of 0.5 day on 17 Jan (medical appointment); tour moved to 12:30-16:00 by his DS, then a traced 3h file-deadline claim")
h(H11, "undeclared_interest (Order of St John)",
  "St John Ambulance volunteer register: member of the Order of St John, unpaid volunteer first aider - not a declarable fraternity, unpaid")
h(H12, "undeclared_interest (residents' management company)",
  "Companies House director of Weaver's Quay (Calderwick) Management Company Ltd, SIC 98000 residents property management: her block of flats, no gain")
h(H13, "undeclared_interest (police rugby club CASC)",
  "director of Calderwick Police Rugby Football Club Ltd, a registered community amateur sports club (activity text); club membership declared 2019")
h(H14, "office_attendance (FTE not updated)",
  "hours cut to 22.2 a week (Mon-Wed) from 1 Nov under flexible working; HR's FTE field still 1.00 ('Contracted Hours' column says 22.2); "
  "in the office on nearly every one of her working days")
h(H15, "office_attendance (building closure)",
  "attends Mon-Thu every week (4 of 5 = the rule); Tanner's Yard was closed 27-29 Dec (privilege days, not recorded as leave) so the Christmas "
  "window shows missed days", "partly (no-one badges at THQ those days)")
h(H16, "roster_premium_edit by self (Christmas Day)",
  f"resourcing moved his tour of {h16_src_date} onto Christmas Day; on 27 Dec he relabelled it himself 'Ordinary Duty' -> 'Bank Holiday': "
  "the tour was worked on 25 Dec, a bank holiday")
h(H17, "rest_day_swap_overtime (training on freed day)",
  f"self-swap moved his early tour off {h17[0] if h17 else ''}; Training then rostered him on that day for Taser recertification at Moss Lane "
  "(new entry by the training sergeant) and he claimed 1.5h travel back to base after it (device/badge at Ravensgill at its end)")
h(H18, "lookups_without_case_ref (front enquiry office)",
  "restricted duties at the Ashby Fold front enquiry office 8 Jan-16 Feb (roster 'Posting' change): ~18 checks a day for document production "
  "(HORT1-24-... refs) and callers at the counter (no ref)")
h(H19, "sickness_secondary_work (twin brother)",
  "off sick 8-26 Jan; a courier-depot clock-in record for 'K DOYLE' with his date of birth on 15 Jan is his twin brother Kevin",
  "no (only the initial-only name hints at it)")
with open(os.path.join(BASE, "truth.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["staff_id", "label", "pattern", "proportionate_route", "note"])
    for p in people:
        t = TRUTH.get(p["sid"])
        w.writerow([p["sid"], *t] if t else [p["sid"], "ordinary", "", "", ""])
print("people", len(people), "guilty", sum(1 for t in TRUTH.values() if t[0] == "guilty"), "honest", sum(1 for t in TRUTH.values() if t[0] == "honest"))
print("rows: shifts", len(SHIFTS), "changes", len(CHANGES), "claims", len(CLAIMS), "absences", len(ABS), "badge", len(BADGE), "device", len(DEV),
      "lookups", len(LOOK), "comms", len(COMMS), "cases", len(CASES), "ext", len(EXT), "decl", len(DECL))
