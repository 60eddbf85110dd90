# Hand-written honest force for red-teaming fairwitness detectors. All behaviour honest.
import csv, os, random, datetime as dt
R = random.Random(7)
import sys
OUT = os.path.join(sys.argv[1] if len(sys.argv) > 1 else "lookalikes62", "force"); os.makedirs(OUT, exist_ok=True)
D0, D1 = dt.date(2025, 3, 1), dt.date(2025, 5, 31)   # generate a month of look-back too
def days():
    d = D0
    while d <= D1:
        yield d; d += dt.timedelta(days=1)
def ts(d, h, m=0):
    return (dt.datetime(d.year, d.month, d.day) + dt.timedelta(hours=h, minutes=m)).strftime("%Y-%m-%dT%H:%M:%S")
tables = {}
def row(t, **k): tables.setdefault(t, []).append(k)
BH = {dt.date(2025,4,18), dt.date(2025,4,21), dt.date(2025,5,5), dt.date(2025,5,26)}

for s, n, k in [("HQ","Headquarters","office"),("STN1","North Station","station"),("STN2","South Station","station"),
                ("CUS","Custody Suite","custody")]:
    row("sites", site_id=s, name=n, kind=k)
units = [("RESP","Response North","response","STN1"),("NBH","Neighbourhood South","neighbourhood","STN2"),
         ("CID","CID North","investigation","STN1"),("MCU","Major Crime","investigation","HQ"),
         ("ROADS","Roads Policing","specialist","STN2"),("HQA","Analysis & Resourcing","hq","HQ"),("CUST","Custody","custody","CUS")]
for u, n, t, s in units: row("units", unit_id=u, name=n, unit_type=t, site_id=s)
usite = {u: s for u, _, _, s in units}
people = {}
def person(sid, rank, role, unit, etype="officer", fte=1.0, lm="", hybrid="", start="2015-01-01", end="", pattern="rot"):
    people[sid] = dict(staff_id=sid, rank_grade=rank, role=role, unit_id=unit, employment_type=etype, fte=fte,
                       start_date=start, end_date=end, hybrid_policy=hybrid, line_manager_id=lm, pattern=pattern)
person("CI01","chief inspector","operations chief inspector","RESP", pattern="days")
person("IN01","inspector","duty inspector","RESP", lm="CI01", pattern="rot0")
person("IN02","inspector","duty inspector","RESP", lm="CI01", pattern="rot4")
for i in range(1,3): person(f"SG0{i}","sergeant","response sergeant","RESP", lm=f"IN0{i}", pattern=f"rot{(i-1)*4}")
for i in range(1,17): person(f"RP{i:02d}","constable","response constable","RESP", lm=f"SG0{(i%2)+1}", pattern=f"rot{(i%2)*4}")
person("NI01","inspector","neighbourhood inspector","NBH", lm="CI01", pattern="days")
person("NS01","sergeant","neighbourhood sergeant","NBH", lm="NI01", pattern="days")
for i in range(1,9): person(f"NB{i:02d}","constable","neighbourhood constable","NBH", lm="NS01", pattern="days")
people["NB08"]["fte"]=0.6; people["NB08"]["pattern"]="days3"          # part-time officer
person("DI01","inspector","detective inspector","CID", lm="CI01", pattern="days")
person("DS01","sergeant","detective sergeant","CID", lm="DI01", pattern="days")
for i in range(1,9): person(f"DC{i:02d}","constable","detective constable","CID", lm="DS01", pattern="days")
person("MI01","inspector","senior investigating officer","MCU", lm="CI01", pattern="days")
for i in range(1,6): person(f"MC{i:02d}","sergeant" if i==1 else "constable","major crime detective","MCU", lm="MI01", pattern="days")
person("RS01","sergeant","roads policing sergeant","ROADS", lm="CI01", pattern="rot0")
for i in range(1,4): person(f"RD{i:02d}","constable","roads policing officer","ROADS", lm="RS01", pattern=f"rot{(i%2)*4}")
people["RD01"]["role"]="ANPR intercept officer"
person("HM01","G7","analysis manager","HQA", etype="staff", lm="CI01", hybrid="true", pattern="none")
for i in range(1,7): person(f"HA{i:02d}","G5","intelligence analyst" if i<4 else "resourcing officer","HQA", etype="staff", lm="HM01", hybrid="true", pattern="none")
people["HA06"]["fte"]=0.6
person("CS01","sergeant","custody sergeant","CUST", lm="CI01", pattern="rot0")
for i in range(2,5): person(f"CS0{i}","sergeant","custody sergeant","CUST", lm="CI01", pattern=f"rot{(i%2)*4}")
print(len(people), "people")

# ---------- absences ----------
absn = []
def absence(sid, typ, s, e, **k):
    aid = f"AB{len(absn)+1:04d}"; absn.append(aid)
    row("absences", absence_id=aid, staff_id=sid, type=typ, start=s, end=e, status=k.get("status",""), days=k.get("days",""), hours="", reason_category="")
def off(sid, d):
    for a in tables.get("absences", []):
        if a["staff_id"]==sid and a["status"] in ("", "approved") and a["type"]!="rest_day":
            s = dt.date.fromisoformat(a["start"][:10]); e = dt.date.fromisoformat(a["end"][:10])
            if s <= d <= e: return True
    return False
absence("NB03","sickness","2025-02-10","2025-06-30")   # long-term sick, volunteers at charity shop
absence("NS01","sickness","2025-04-07","2025-05-02")   # knee surgery, declared online tutor
absence("RP07","annual_leave","2025-05-12","2025-05-16")  # leave; came in to staff scene cordon 14 May
absence("DC03","annual_leave","2025-04-22","2025-04-25")
absence("RP11","annual_leave","2025-04-07","2025-04-10")
absence("HA02","annual_leave","2025-05-19","2025-05-23")

# ---------- shifts + presence ----------
shift_of = {}
subjects = [f"SUBJ{i:05d}" for i in range(1, 4000)]
case_parties = []
own_cases = {}
def new_case(oic, opened, closed="", n=3, vuln=False, roles=("victim","witness","suspect")):
    cref = f"CR{len(own_cases)+1:05d}"; subs = []
    for j in range(n):
        s = subjects.pop(R.randrange(len(subjects)))
        role = roles[j % len(roles)]
        row("case_parties", case_ref=cref, subject_ref=s, role=role, vulnerable=str(vuln and role=="victim").lower(),
            officer_in_case=oic, opened=opened, closed=closed)
        subs.append(s)
    own_cases.setdefault(oic, []).append((cref, subs)); return cref, subs
ev = [0]
def eid(p): ev[0]+=1; return f"{p}{ev[0]:07d}"
def lookup(sid, when, subj, cref, system="Niche", action="view"):
    row("system_access", event_id=eid("SA"), staff_id=sid, ts=when, system=system, action=action, subject_ref=subj, case_ref=cref)
def shift_times(p, d):
    pat = p["pattern"]
    if pat == "none": return None
    if pat.startswith("rot"):
        off_ = int(pat[3:] or 0); k = ((d - D0).days + off_) % 8
        if k in (0,1): return (7, 17)
        if k in (2,3): return (22, 31)
        return None
    if pat == "days": return (8, 16) if d.weekday() < 5 else None
    if pat == "days3": return (8, 16.5) if d.weekday() < 3 else None
for sid, p in people.items():
    if p["pattern"] in ("days","days3","none") or sid.startswith(("DC","MC","RP","NB","RD")):
        for j in range(4):
            new_case(sid, "2025-02-%02d" % (j*5+1), "", 3)
shifts = []
for sid, p in people.items():
    for d in days():
        st = shift_times(p, d)
        if not st or off(sid, d) or d in BH and p["pattern"]=="days": continue
        h0, h1 = st; shid = f"SH{len(shifts)+1:06d}"
        s_ts, e_ts = ts(d, h0), ts(d, int(h1), int((h1 % 1)*60))
        dtype = "normal"
        row("shifts", shift_id=shid, staff_id=sid, start=s_ts, end=e_ts, duty_type=dtype, site_id=usite[p["unit_id"]])
        shifts.append((shid, sid, d, h0, h1)); shift_of[(sid, d)] = shid
        site = usite[p["unit_id"]]
        row("badge_events", staff_id=sid, ts=ts(d, h0, -7) if h0 else ts(d,0), site_id=site, direction="in")
        row("badge_events", staff_id=sid, ts=ts(d, int(h1), int((h1%1)*60)+6), site_id=site, direction="out")
        dev = f"DEV-{sid}"
        row("device_events", staff_id=sid, device_id=dev, ts=ts(d, h0, 12), kind="login", site_id="", lat="", lon="")
        row("device_events", staff_id=sid, device_id=dev, ts=ts(d, int(h1), int((h1%1)*60)-9), kind="logout", site_id="", lat="", lon="")
        # routine lookups
        nlook = 2 + R.randrange(3)
        for _ in range(nlook):
            when = ts(d, h0 + 1 + R.random()*(h1-h0-2))
            if sid in own_cases and R.random() < 0.7:
                cref, subs = R.choice(own_cases[sid]); lookup(sid, when, R.choice(subs), cref)
            else:
                lookup(sid, when, f"VEH{R.randrange(99999):05d}" if p["unit_id"] in ("RESP","ROADS") else R.choice(subjects), "", system="PNC", action="search")

# HQ staff (not rostered): office days Mon/Wed/Fri + Tue/Thu (normal hybrid 4 of 5), device every workday
for sid, p in people.items():
    if p["pattern"] != "none": continue
    for d in days():
        if d.weekday() >= 5 or d in BH or off(sid, d): continue
        if sid == "HA06" and d.weekday() > 2: continue          # part-time 0.6: Mon-Wed long days
        in_office = d.weekday() != 4 or sid in ("HM01",)      # Fridays at home
        if sid == "HA01": in_office = d.weekday() in (0, 2, 4)  # Tue/Thu co-located at the council MASH
        dev = f"LAP-{sid}"
        h1 = 18 if sid == "HA06" else 16.5
        if in_office:
            row("badge_events", staff_id=sid, ts=ts(d, 8, 40), site_id="HQ", direction="in")
            row("badge_events", staff_id=sid, ts=ts(d, int(h1), 5), site_id="HQ", direction="out")
        row("device_events", staff_id=sid, device_id=dev, ts=ts(d, 8, 55), kind="login", site_id="HQ" if in_office else "", lat="", lon="")
        row("device_events", staff_id=sid, device_id=dev, ts=ts(d, int(h1), 0), kind="logout", site_id="HQ" if in_office else "", lat="", lon="")
        for _ in range(3): lookup(sid, ts(d, 9 + R.random()*6), R.choice(subjects), f"INT-{R.randrange(50)}" if R.random()<0.5 else "", system="Niche", action="search")

# ---------- overtime ----------
claims = []
def claim(sid, s, e, hours, reason, auth, status="approved", presence=True, site=None):
    cid = f"OT{len(claims)+1:05d}"; claims.append(cid)
    row("overtime_claims", claim_id=cid, staff_id=sid, start=s, end=e, hours=hours, rate="1.5", reason_code=reason,
        submitted_at=e, authorised_by=auth, authorised_at=e if auth else "", status=status)
    if presence:
        t = dt.datetime.fromisoformat(s) + dt.timedelta(minutes=40)
        lookup(sid, t.strftime("%Y-%m-%dT%H:%M:%S"), R.choice(subjects), own_cases[sid][0][0] if sid in own_cases else "", system="Niche")
    return cid
# routine late-arrest overruns across response / CID
for (shid, sid, d, h0, h1) in shifts:
    p = people[sid]
    if p["unit_id"] in ("RESP","CID","NBH","CUST","ROADS") and R.random() < 0.08 and sid not in ("IN01","IN02","CI01"):
        auth = "IN01" if p["unit_id"] in ("RESP","CUST","ROADS") and R.random()<0.5 else ("IN02" if p["unit_id"] in ("RESP","CUST","ROADS") else p["line_manager_id"])
        if auth == sid: auth = "CI01"
        e_h = h1 + 2
        claim(sid, ts(d, int(h1), int((h1%1)*60)), ts(d, int(e_h), int((e_h%1)*60)), 2, "late_arrest", auth)
# Duty inspectors: each night the other duty inspector is the only inspector on duty, so they authorise each other's overtime
for k, (a, b) in enumerate([("IN01","IN02")]*5 + [("IN02","IN01")]*5):
    shs = [x for x in shifts if x[1]==a and x[3]==7]
    shid, sid, d, h0, h1 = shs[3 + k*2]
    claim(a, ts(d, 17), ts(d, 20), 3, "critical_incident", b)

# Major incident 15 Apr (firearms incident): team called in; RP03 had swapped 15 Apr -> 17 Apr himself (approved self-service swap)
MI = dt.date(2025, 4, 15)
# RP03 ensure shift on 15th moved: find his shift that day or create the swap target
sh = shift_of.get(("RP03", MI))
if sh is None:
    # create a shift on 15th that he swapped away: pick pattern day shift 07-17 on 15th to be moved to 17th
    sh = f"SHX0001"
    row("shifts", shift_id=sh, staff_id="RP03", start=ts(dt.date(2025,4,17),7), end=ts(dt.date(2025,4,17),17), duty_type="normal", site_id="STN1")
else:
    for r in tables["shifts"]:
        if r["shift_id"]==sh: r["start"]=ts(dt.date(2025,4,17),7); r["end"]=ts(dt.date(2025,4,17),17)
# presence for the moved shift on 17th
row("badge_events", staff_id="RP03", ts=ts(dt.date(2025,4,17),6,53), site_id="STN1", direction="in")
row("badge_events", staff_id="RP03", ts=ts(dt.date(2025,4,17),17,6), site_id="STN1", direction="out")
row("roster_changes", change_id="RC0001", shift_id=sh, staff_id="RP03", changed_by="RP03", changed_at="2025-04-02T10:12:00",
    field="start", old_value="2025-04-15T07:00:00", new_value="2025-04-17T07:00:00")
for sid in ("RP03","RP05","RP09","RP13","SG01","RP04"):
    if shift_of.get((sid, MI)) and sid != "RP03": continue
    claim(sid, ts(MI, 12), ts(MI, 21), 9, "major_incident", "IN02")
    row("badge_events", staff_id=sid, ts=ts(MI, 11, 52), site_id="STN1", direction="in")
    row("badge_events", staff_id=sid, ts=ts(MI, 21, 8), site_id="STN1", direction="out")
    row("device_events", staff_id=sid, device_id=f"DEV-{sid}", ts=ts(MI, 12, 20), kind="login", site_id="", lat="", lon="")

# RP07 on annual leave, came in 14 May to staff the scene cordon at a murder scene (leave not updated); no reader at a cordon
claim("RP07", ts(dt.date(2025,5,14),8), ts(dt.date(2025,5,14),18), 10, "scene_cordon", "IN01", presence=False)
claim("RP07", ts(dt.date(2025,5,15),8), ts(dt.date(2025,5,15),18), 10, "scene_cordon", "IN01", presence=False)
# other cordon shifts by colleagues (on rest days) - also untraced, as cordons are
for sid, dd in (("RP02", dt.date(2025,5,14)), ("RP06", dt.date(2025,5,15)), ("RP10", dt.date(2025,5,16))):
    if not shift_of.get((sid, dd)):
        claim(sid, ts(dd,8), ts(dd,18), 10, "scene_cordon", "IN01", presence=False)

# CS02 (custody sergeant): prisoner hospital guard overtime, 5 times (no readers at hospital, no device)
for dd in (dt.date(2025,4,3), dt.date(2025,4,19), dt.date(2025,5,1), dt.date(2025,5,9), dt.date(2025,5,22)):
    if shift_of.get(("CS02", dd)): dd = dd + dt.timedelta(days=2)
    claim("CS02", ts(dd, 9), ts(dd, 17), 8, "hospital_guard", "CS01", presence=False)

# Mutual aid PSU: 3 officers deployed 4 days to another force
for sid in ("RP14","RP15","RP16"):
    for j in range(4):
        dd = dt.date(2025,5,20) + dt.timedelta(days=j)
        claim(sid, ts(dd, 6), ts(dd, 18), 12, "mutual_aid", "IN02", presence=False)

# RP12: rest days cancelled (recalled) for Op; sergeant adds shift, system defaults duty type to normal, sergeant corrects to rest_day_working
k = 0
for dd in (dt.date(2025,4,8), dt.date(2025,4,24), dt.date(2025,5,7)):
    while shift_of.get(("RP12", dd)): dd += dt.timedelta(days=1)
    shid = f"SHR{k:03d}"; k += 1
    row("shifts", shift_id=shid, staff_id="RP12", start=ts(dd,7), end=ts(dd,17), duty_type="rest_day_working", site_id="STN1")
    row("badge_events", staff_id="RP12", ts=ts(dd,6,50), site_id="STN1", direction="in")
    row("badge_events", staff_id="RP12", ts=ts(dd,17,5), site_id="STN1", direction="out")
    absence("RP12","rest_day", dd.isoformat(), dd.isoformat(), status="cancelled")
    row("roster_changes", change_id=f"RC1{k:03d}", shift_id=shid, staff_id="RP12", changed_by="SG01", changed_at=ts(dd - dt.timedelta(days=3), 14),
        field="duty_type", old_value="", new_value="normal")
    row("roster_changes", change_id=f"RC2{k:03d}", shift_id=shid, staff_id="RP12", changed_by="SG01", changed_at=ts(dd - dt.timedelta(days=3), 14, 5),
        field="duty_type", old_value="normal", new_value="rest_day_working")
# Night shifts beginning on the eve of a bank holiday (most hours on the BH): resourcing officer HA05 relabels them bank_holiday
k = 0
for (shid, sid, d, h0, h1) in shifts:
    if h0 == 22 and (d + dt.timedelta(days=1)) in BH and people[sid]["unit_id"] == "RESP":
        k += 1
        row("roster_changes", change_id=f"RC3{k:03d}", shift_id=shid, staff_id=sid, changed_by="HA05", changed_at=ts(d - dt.timedelta(days=10), 10),
            field="duty_type", old_value="normal", new_value="bank_holiday")
        for r in tables["shifts"]:
            if r["shift_id"] == shid: r["duty_type"] = "bank_holiday"

# MCU: MC02 is the intelligence cell researcher on Op KESTREL (murder): associate checks all cite the op's case ref
op_ref, op_subs = new_case("MI01", "2025-03-28", "", 4)
assoc = [subjects.pop(R.randrange(len(subjects))) for _ in range(40)]
for d in days():
    if d < dt.date(2025,3,29) or d.weekday() >= 5 or d in BH: continue
    for _ in range(5):
        lookup("MC02", ts(d, 9 + R.random()*6), R.choice(assoc + op_subs), op_ref, system="Niche", action="view")
    for sid in ("MC01","MC03","MC04","MI01"):
        if R.random() < 0.5: lookup(sid, ts(d, 10 + R.random()*5), R.choice(op_subs), op_ref)
# RD01: ANPR intercept officer, many PNC vehicle checks per shift (no case ref)
for (shid, sid, d, h0, h1) in shifts:
    if sid == "RD01":
        for _ in range(14): lookup(sid, ts(d, h0 + 1 + R.random()*(h1-h0-2)), f"VEH{R.randrange(99999):05d}", "", system="PNC", action="search")

# DC05: DA case, deaf vulnerable victim communicates by SMS; case closed (charged) 20 Mar; trial 19 May. Trial prep by text on duty
cref, subs = new_case("DC05", "2025-01-10", "2025-03-20", 3, vuln=True)
victim = subs[0]
for when in ("2025-04-10T10:15:00","2025-04-28T11:02:00","2025-05-12T14:30:00","2025-05-16T09:45:00","2025-05-20T15:10:00"):
    row("comms_events", event_id=eid("CM"), staff_id="DC05", ts=when, channel="sms", counterpart_ref=victim, direction="out", duration_s="")
    t = (dt.datetime.fromisoformat(when) + dt.timedelta(minutes=25)).strftime("%Y-%m-%dT%H:%M:%S")
    row("comms_events", event_id=eid("CM"), staff_id="DC05", ts=t, channel="sms", counterpart_ref=victim, direction="in", duration_s="")
# routine comms
for (shid, sid, d, h0, h1) in shifts[::5]:
    row("comms_events", event_id=eid("CM"), staff_id=sid, ts=ts(d, h0+2), channel="call", counterpart_ref=f"TEL{R.randrange(9999):04d}", direction="out", duration_s=str(60+R.randrange(300)))

# ---------- declarations and external records ----------
def decl(sid, kind, cp, at, status="approved"):
    row("declarations", declaration_id=f"DE{len(tables.get('declarations',[]))+1:04d}", staff_id=sid, kind=kind, counterparty=cp, declared_at=at, status=status)
def ext(kind, cp, source, at, strength="confirmed", sid="", activity=""):
    row("external_records", record_id=f"EX{len(tables.get('external_records',[]))+1:04d}", kind=kind, counterparty=cp, source=source,
        observed_at=at, strength=strength, staff_id=sid, full_name="", date_of_birth="", activity=activity)
decl("DC02","secondary_employment","Sainsbury's","2023-06-01"); ext("employment","J Sainsbury plc","HMRC RTI payroll return","2025-04-30", sid="DC02")
decl("DC04","secondary_employment","Marks & Spencer","2022-11-15"); ext("employment","Marks and Spencer Group plc","HMRC RTI payroll return","2025-04-30", sid="DC04")
decl("NB05","membership","Lodge of Harmony No. 255","2024-01-10"); ext("membership","Harmony Lodge No 255","UGLE membership list","2025-04-15", sid="NB05")
decl("RP08","business_interest","Hartley Lettings","2021-03-01"); ext("directorship","Hartley Lettings & Property Management Ltd","Companies House officers register","2025-04-02", sid="RP08")
decl("NS01","secondary_employment","Kingsley Tutoring (online maths tutor)","2024-02-01")
ext("employment","Kingsley Tutoring Ltd","tutoring platform timesheet","2025-04-16", sid="NS01")
ext("employment","Kingsley Tutoring Ltd","tutoring platform timesheet","2025-04-23", sid="NS01")
ext("employment","British Heart Foundation shop (registered charity 225971)","counter-corruption sighting","2025-04-12", sid="NB03")
ext("employment","British Heart Foundation shop (registered charity 225971)","counter-corruption sighting","2025-05-03", sid="NB03")
row("complaints", complaint_id="CP0001", staff_id="RP04", received_at="2025-04-03", allegation="incivility", outcome="not_upheld")
row("identities", system="badge", identifier="B0001", staff_id="RP01", valid_from="2015-01-01", valid_to="")

for sid, p in people.items():
    row("people", **{k: v for k, v in p.items() if k != "pattern"})
    row("people_protected", staff_id=sid, sex=R.choice("MF"), ethnicity_group=R.choice(["white","asian","black","mixed"]), age_band=R.choice(["18-29","30-44","45-59"]), disability="no")
for t, rows in tables.items():
    cols = list(rows[0].keys())
    for r in rows:
        for c in r:
            if c not in cols: cols.append(c)
    with open(f"{OUT}/{t}.csv", "w", newline="") as f:
        w = csv.DictWriter(f, cols); w.writeheader(); [w.writerow({c: r.get(c, "") for c in cols}) for r in rows]
    print(t, len(rows))

# everyone here is honest (the force's look-alikes are commented above): a truth file for the scorer
with open(os.path.join(os.path.dirname(OUT), "truth.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["staff_id", "label", "pattern", "proportionate_route", "note"])
    for sid in people:
        w.writerow([sid, "honest", "", "", ""])
