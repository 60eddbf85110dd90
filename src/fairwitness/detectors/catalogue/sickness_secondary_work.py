"""Working elsewhere while on sick leave: secondary employment or overtime during a sickness spell."""

from __future__ import annotations

import ibis

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import (
    ABSENCE_PART_READS, ACTIVE_CLAIM_STATUSES, PRESENCE_READS, flags, keys, kinds_present, located, mark_overruns,
    overlap_hours, overlaps_period, period_end_ts, settled, signals,
)
from fairwitness.detectors.catalogue._interest_params import (
    KNOWN_JOB_FOUND, OVERTIME_FOUND, STATUS_ONLY_FOUND, WORKED_FOUND, WORKED_TEXT, SicknessSecondaryWorkParams as Params,
)
from fairwitness.detectors.catalogue._interests import (
    CHARITY_WORK_LABEL, NO_GAIN_LIKELY_LABEL, NOT_FOR_GAIN_LABEL, VOLUNTARY_LABEL, charity_work, for_gain, no_gain_likely,
    voluntary,
)
from fairwitness.detectors.catalogue._intervals import claim_worked
from fairwitness.detectors.catalogue._names import declares, former_name, name_key
from fairwitness.detectors.catalogue._spells import spell_starts
from fairwitness.detectors.peers import PEER_OPTIONAL_READS, PEER_READS, merge_reads, peer_context


class SicknessSecondaryWork(Detector):
    """Working while on sick leave: secondary employment or overtime during a sickness spell.

    Evidence during a sickness spell that overlaps the period:

    * an external record of ``work_kinds`` (employment, directorship) linked to the person
      (directly or through ``external_links``, at least ``min_link``) and dated in the spell.
      Only a record of ``seen_working_kinds`` from a source that observes work on its date
      (``work_seen_sources``: an observation, a sighting, a timesheet, a shift or clocking
      record, an invoice for the day) shows the person *working* while sick. A payroll return
      (HMRC RTI: submitted monthly while the person is on the payroll, sick pay included), a
      register of officers or a source the pattern does not name shows that the person holds
      the job, not that they worked that day: held undeclared it is at most **advice**, held
      declared **wellbeing** (the force knew of the job; whether it fits the illness is for
      occupational health). A record seen working is
      **gross_misconduct_assessment** when confirmed, linked with at least
      ``strong_link`` (by name and date of birth alone only for a name no more than
      ``max_name_sharers`` members of staff bear, unless the person declared the job: a stranger
      with a common name and the same birthday is otherwise a real chance), and either never
      declared (no approved or pending declaration of a matching counterparty by the end of the
      period: concealment, as in the cases this detector exists for), or declared only after
      the person was seen working it at least ``declared_min_sightings`` times in the same
      spell (one such sighting, the job then declared, is a question: **wellbeing**; the
      detail says when a declaration came only after the sickness began).
      Work at a job the force had been told of (approved or pending) when the person was
      seen at it is a matter for attendance management, however often it was seen:
      **wellbeing**. Whether the work fits the illness — a desk job elsewhere while off from a
      physical one (Perry v Imperial), online tutoring after knee surgery, what a fit note
      allows — is for occupational health and the line manager; the data cannot say, and
      dishonesty about the illness needs evidence it does not hold. **advice** for an
      undeclared job on weaker evidence. Counterparty names are compared as officers type
      them (possessives, legal forms, initials and a parenthesised description set aside:
      `_names`). A directorship held for no gain (a residents' management or right-to-manage
      company, a charity: ``not_for_gain_pattern``, `_interests`) is not work elsewhere, and a
      filing of it during the spell is not evidence of anything; one probably held for no gain
      (a community interest company, a dormant company, the force's own staff or sports
      association: ``no_gain_likely_pattern``) is at most **wellbeing**. Unpaid voluntary
      work is not work for gain, and volunteering is often encouraged during a long sickness:
      a record whose ``activity`` names the role unpaid (``voluntary_pattern``) is not
      counted; work for a charity or in a volunteer role (a registered charity or its number,
      a charity shop: ``charity_work_pattern``) is probably voluntary and at most **wellbeing**
      (whether it is paid to be checked). A payroll record (``paid_sources``) is never excused;
    * a declaration of secondary employment or a business interest made during the spell —
      **wellbeing** (declaring is what the rules ask);
    * an approved or pending overtime claim overlapping the spell by ``min_overtime_hours``
      — **wellbeing**, shown so the reviewer sees the whole picture: it is work for the force,
      not elsewhere, and ``overtime_during_absence`` judges it (a recall, a rostered court duty,
      off-site work, activity in the claimed hours); routing the same claim here as well would
      count one fact twice, without those explanations. Overruns of a shift begun before the
      spell are not counted; a claim with the person's activity in its hours (from
      ``inside_minutes`` after its start to ``after_minutes`` after its end, a presence source
      loaded) says so.

    A sickness recorded as part of one day without its hours (a date and ``hours`` or ``days``
    short of a day: a medical appointment; `_common.located`) is not sick leave: the person
    worked the rest of that day, and it is not read as a spell. Nor is a sickness record still
    pending (``status``). A spell is what the person was off, however the HR system wrote it:
    records that touch or overlap, or with only rest days between them (``rest_gap_days``), are
    one spell — its start is when the sickness began, for a late declaration, repeated sightings
    and an overrun (`_spells.spells`).

    One signal per person and evidence table.
    """

    name = "sickness_secondary_work"
    version = "16"
    title = "Sickness overlapping secondary employment or overtime"
    standard = "Honesty and integrity"
    reads = {
        "absences": ("absence_id", "staff_id", "type", "start", "end", "status", *ABSENCE_PART_READS),
        "external_records": (
            "record_id", "kind", "counterparty", "source", "observed_at", "strength", "staff_id", "activity",
        ),
    }
    optional_reads = {
        "external_links": ("record_id", "staff_id", "match_probability", "match_method", "name_sharers"),
        "declarations": ("declaration_id", "staff_id", "kind", "counterparty", "declared_at", "status"),
        "overtime_claims": ("claim_id", "staff_id", "start", "end", "status"),
        "shifts": ("staff_id", "start", "end"),
    }
    optional_reads = merge_reads(optional_reads, PRESENCE_READS, PEER_READS, PEER_OPTIONAL_READS)
    explanations_checked = (
        "secondary work declared and approved (or pending): before the sickness, or late, after it began",
        "uncertain identity of the external record (linkage probability below strong_link)",
        "identity by name and date of birth alone, for a name other members of staff bear",
        "indicative rather than confirmed evidence",
        NOT_FOR_GAIN_LABEL,
        NO_GAIN_LIKELY_LABEL,
        VOLUNTARY_LABEL,
        CHARITY_WORK_LABEL,
        KNOWN_JOB_FOUND,
        STATUS_ONLY_FOUND,
        WORKED_FOUND,
        OVERTIME_FOUND,
        "a sickness of part of a day recorded without its hours (a date with fewer hours or days absent than a day): "
        "not sick leave",
    )
    explain = (
        "Evidence of working while on sick leave between {period_start} and {period_end}: {detail}."
    )
    scenarios = ("sickness_secondary_work",)
    routes = ("wellbeing", "advice", "gross_misconduct_assessment")
    evidence_kinds = {
        "sickness_record": "a recorded sickness spell",
        "outside_work_record": "a confirmed outside record of work done on a day of it, strongly linked",
        "undeclared": "the work was never declared",
        "repeated_sightings": "seen working repeatedly in the same spell",
    }
    Params = Params

    def build(self, src):
        p = self.params
        ab = src.table("absences")
        sick = ab.filter(ab.type.lower() == "sickness", overlaps_period(ab.start, ab.end, src), located(ab), settled(ab)).select(
            "absence_id", "staff_id", "start", "end"
        )
        # one spell however the HR system wrote it (a row per day, an extension's own record)
        sick = spell_starts(sick, src, p.rest_gap_days)
        items = []

        # 1. external records of work observed during a sickness spell
        er = src.table("external_records")
        er = er.filter(
            er.kind.lower().isin(list(p.work_kinds)),
            er.observed_at < period_end_ts(src),
            for_gain(er, p.not_for_gain_pattern),
            ~voluntary(er, p.voluntary_pattern, p.paid_sources),  # unpaid: not work for gain
        )
        links = er.filter(er.staff_id.notnull() & (er.staff_id.strip() != "")).select(
            "record_id", staff_id=er.staff_id.strip(), prob=ibis.literal(1.0), crowded=ibis.literal(0, type="int64")
        )
        if src.has("external_links"):
            el = src.table("external_links")
            # a name+birth-date link for a name more than max_name_sharers colleagues bear
            crowded = el.name_sharers.notnull() & (el.name_sharers > p.max_name_sharers) & (el.match_method != "staff_id")
            links = links.union(
                el.select("record_id", "staff_id", prob=el.match_probability.cast("float64"), crowded=crowded.cast("int64"))
            )
        links = links.group_by("record_id", "staff_id").aggregate(prob=links.prob.max(), crowded=links.crowded.min() == 1)
        links = links.filter(links.prob >= p.min_link)
        # a record of work done on its date (an observation, a timesheet), not of a job held (a
        # payroll return, a register): only the first shows the person working while sick
        er = er.mutate(
            seen=er.kind.lower().isin(list(p.seen_working_kinds)) & er.source.fill_null("").lower().re_search(p.work_seen_sources),
            no_gain=no_gain_likely(er, p.no_gain_likely_pattern),
            charity=charity_work(er, p.charity_work_pattern, p.paid_sources),
            was=former_name(er.activity),
        )
        r = er.join(links, "record_id").select(
            "record_id", "counterparty", "kind", "strength", "observed_at", links.staff_id, "prob", "crowded", "seen",
            "no_gain", "charity", "was",
        )
        r = r.join(sick, (r.staff_id == sick.staff_id) & (r.observed_at >= sick.start) & (r.observed_at < sick.end)).select(
            r.record_id, r.staff_id, r.counterparty, r.kind, r.strength, r.observed_at, r.prob, r.crowded, r.seen, r.no_gain,
            r.charity, r.was, sick_start=sick.spell_start,
        )
        if src.has("declarations"):
            d = src.table("declarations")
            d = d.filter(
                d.kind.lower().isin(list(p.declaration_kinds)), d.status.lower().isin(["approved", "pending"])
            )
            # the names reduced once a row (fresh column names: ok is joined back to r)
            # (a view: Ibis would otherwise read r's columns in the join back through ok's)
            v = r.view()
            rk = v.select(_rid=v.record_id, _sid=v.staff_id, _start=v.sick_start, _seen=v.observed_at,
                          _key=name_key(v.counterparty), _was=name_key(v.was))
            dk = d.select(_dsid=d.staff_id, _at=d.declared_at, _dkey=name_key(d.counterparty))
            ok = rk.join(
                dk,
                (rk._sid == dk._dsid)
                & declares(rk._key, rk._was, dk._dkey, p.name_tolerance)
                & (dk._at < period_end_ts(src)),
            )
            ok = ok.select(
                "_rid",
                "_sid",
                before=(ok._at <= ok._start).cast("int64"),
                # the force had been told of the job when the person was seen at it
                known=(ok._at <= ok._seen).cast("int64"),
            )
            ok = ok.group_by("_rid", "_sid").aggregate(before=ok.before.max() == 1, known=ok.known.max() == 1)
            r = r.left_join(ok, (r.record_id == ok._rid) & (r.staff_id == ok._sid)).select(
                r,
                # declared at some time by the end of the period: the job is not concealed,
                # whether the declaration came before the sickness or (late) after it
                declared=ok.before.notnull(),
                declared_late=ok.before.notnull() & ~ok.before.fill_null(True),
                known=ok.known.fill_null(False),
            )
        else:
            r = r.mutate(declared=ibis.literal(False), declared_late=ibis.literal(False), known=ibis.literal(False))
        # the identity: a strong link, and for a common name by name and birth date alone, the
        # person's own declaration of the job
        strong = (r.strength.lower() == "confirmed") & (r.prob >= p.strong_link) & (~r.crowded | r.declared)
        # Confirmed evidence of working on a day of the spell at a job never declared is
        # concealment: gross. A job the force had been told of when the person was seen at it is
        # a matter for attendance management, however often: whether the work fits the illness
        # (a fit note may allow it) is not in the data, and dishonesty needs more than that.
        # Seen repeatedly at a job declared only afterwards is a conduct matter; once, a
        # question. A job merely on record (a payroll return, a directorship filing) during the
        # spell is not evidence of working: advice at most, when undeclared. Work probably
        # voluntary (a charity's) is a check whether it is paid, never a conduct route.
        seen_working = r.seen & ~r.charity
        spell = ibis.window(group_by=[r.staff_id, r.sick_start])
        r = r.mutate(
            sightings=(strong & seen_working & ~r.known).cast("int64").sum().over(spell),
            known_sightings=(strong & seen_working & r.known).cast("int64").sum().over(spell),
        )
        strong = (r.strength.lower() == "confirmed") & (r.prob >= p.strong_link) & (~r.crowded | r.declared)
        seen_working = r.seen & ~r.charity
        corroborated = seen_working & ~r.known & (r.sightings >= p.declared_min_sightings)
        items.append(
            r.select(
                "staff_id",
                table=ibis.literal("external_records"),
                key=r.record_id,
                grav=ibis.ifelse(strong & seen_working & (corroborated | ~r.declared), 3, 1),
                declared=r.declared,
                k_undeclared=strong & ~r.declared & ~r.charity,
                k_repeated=strong & corroborated,
                weak=~strong,
                unverified=r.crowded & ~r.declared,
                worked=ibis.literal(False),
                status_only=~r.seen,
                no_gain=r.no_gain | r.charity,
                charity=r.charity,
                known=strong & seen_working & r.known & (r.known_sightings >= p.declared_min_sightings),
                text=r.kind.lower()
                + " with "
                + r.counterparty
                + ibis.ifelse(r.seen, " seen during sickness", " on record during sickness (holding the job, not seen working)")
                + ibis.ifelse(r.no_gain, " (probably held for no gain)", "")
                + ibis.ifelse(r.charity, " (probably voluntary: a charity or volunteer role)", "")
                + ibis.ifelse(r.declared_late, " (declared only after the sickness began)", ""),
            )
        )

        # 2. secondary work declared during a sickness spell
        if src.has("declarations"):
            d = src.table("declarations")
            d = d.filter(d.kind.lower().isin(list(p.declaration_kinds)))
            dd = d.join(sick, (d.staff_id == sick.staff_id) & (d.declared_at >= sick.start) & (d.declared_at < sick.end))
            items.append(
                dd.select(
                    d.staff_id,
                    table=ibis.literal("declarations"),
                    key=d.declaration_id,
                    grav=ibis.literal(1),
                    declared=ibis.literal(True),
                    k_undeclared=ibis.literal(False),
                    k_repeated=ibis.literal(False),
                    weak=ibis.literal(False),
                    unverified=ibis.literal(False),
                    worked=ibis.literal(False),
                    status_only=ibis.literal(False),
                    no_gain=ibis.literal(False),
                    charity=ibis.literal(False),
                    known=ibis.literal(False),
                    text=d.kind.lower() + " with " + d.counterparty + " declared during sickness",
                )
            )

        # 3. overtime claimed during a sickness spell
        if src.has("overtime_claims"):
            oc = src.table("overtime_claims")
            oc = oc.filter(oc.status.lower().isin(ACTIVE_CLAIM_STATUSES), overlaps_period(oc.start, oc.end, src))
            oj = oc.join(sick, (oc.staff_id == sick.staff_id) & (oc.start < sick.end) & (oc.end > sick.start)).select(
                oc.staff_id,
                oc.claim_id,
                pair_id=oc.claim_id + "|" + sick.absence_id,
                claim_start=oc.start,
                absence_start=sick.spell_start,
                ov=overlap_hours(oc.start, oc.end, sick.start, sick.end),
            )
            oj = oj.filter(oj.ov >= p.min_overtime_hours)
            oj = mark_overruns(oj, src, p.overrun_minutes)
            oj = oj.filter(~oj.overrun)
            # activity in the claimed hours: the work was done, for the force, and the sickness
            # record is the likelier error (a return to work not recorded): not working elsewhere
            oj = oj.mutate(worked=claim_worked(src, self.name, p, oj.claim_id))
            items.append(
                oj.select(
                    "staff_id",
                    table=ibis.literal("overtime_claims"),
                    key=oj.claim_id,
                    grav=ibis.literal(1),  # judged by overtime_during_absence (docstring)
                    declared=ibis.literal(False),
                    k_undeclared=ibis.literal(False),
                    k_repeated=ibis.literal(False),
                    weak=ibis.literal(False),
                    unverified=ibis.literal(False),
                    worked=oj.worked,
                    status_only=ibis.literal(False),
                    no_gain=ibis.literal(False),
                    charity=ibis.literal(False),
                    known=ibis.literal(False),
                    text=ibis.ifelse(oj.worked, WORKED_TEXT, "overtime claimed during sickness"),
                )
            )

        it = items[0]
        for other in items[1:]:
            it = it.union(other)
        it = it.distinct()
        w = ibis.window(group_by=[it.staff_id, it.table], order_by=[it.grav.desc(), it.key])
        it = it.mutate(rank=ibis.row_number().over(w))
        per = it.group_by("staff_id", "table").aggregate(
            n=it.key.nunique(),
            grav=it.grav.max(),
            any_declared=it.declared.cast("int64").max() == 1,
            any_weak=it.weak.cast("int64").max() == 1,
            all_unverified=it.unverified.cast("int64").min() == 1,
            all_worked=it.worked.cast("int64").min() == 1,
            all_status_only=it.status_only.cast("int64").min() == 1,
            all_no_gain=it.no_gain.cast("int64").min() == 1,
            any_charity=it.charity.cast("int64").max() == 1,
            any_office=(it.no_gain & ~it.charity).cast("int64").max() == 1,
            any_known=it.known.cast("int64").max() == 1,
            k_undeclared=it.k_undeclared.cast("int64").max() == 1,
            k_repeated=it.k_repeated.cast("int64").max() == 1,
            top=ibis.ifelse(it.rank == 0, it.text, ibis.null("string")).max(),
            ev=keys(it.key),
        )
        gross = per.grav == 3
        _, kinds_text = kinds_present(
            {
                "sickness_record": ibis.literal(True),
                "outside_work_record": gross & (per.table == "external_records"),
                "undeclared": per.k_undeclared,
                "repeated_sightings": per.k_repeated,
            },
            self.evidence_kinds,
        )
        detail = per.top + ibis.ifelse(per.n > 1, " and " + (per.n - 1).cast("string") + " more", "") + kinds_text
        # the same behaviour among peers doing the same work, for the evidence
        per = peer_context(per, src, "n")
        return signals(
            per,
            src,
            peer_median=per.peer_median,
            peer_percentile=per.peer_percentile,
            peer_group=per.peer_group,
            value=per.n,
            score=ibis.ifelse(gross, ibis.least(0.75 + 0.05 * per.n, 1.0), 0.45),
            route=ibis.cases(
                (gross, "gross_misconduct_assessment"),
                # declaring a job, or a declared job seen once, during sickness is no breach: a
                # question for occupational health (a fit note may allow amended work)
                ((per.table == "declarations") | (per.any_declared & ~per.k_undeclared), "wellbeing"),
                # advice is adverse: a common name and a birthday are an identity to check first
                (per.all_unverified, "wellbeing"),
                # overtime for the force while recorded sick: overtime_during_absence judges it
                (per.table == "overtime_claims", "wellbeing"),
                # an office probably held for no gain, on record during sickness: not work for gain
                (per.all_no_gain, "wellbeing"),
                else_="advice",
            ),
            evidence_table=per.table,
            evidence_keys=per.ev,
            explanations_found=flags(
                (per.any_declared, "secondary work declared and approved or pending"),
                (~gross & per.any_weak, "uncertain identity or indicative evidence"),
                (~gross & per.all_unverified, "identity by name and date of birth alone, for a name other members of staff bear"),
                (per.all_worked, WORKED_FOUND),
                (per.table == "overtime_claims", OVERTIME_FOUND),
                (~gross & per.all_no_gain & per.any_office, NO_GAIN_LIKELY_LABEL),
                (~gross & per.all_no_gain & per.any_charity, CHARITY_WORK_LABEL),
                (~gross & per.any_known, KNOWN_JOB_FOUND),
                (~gross & per.all_status_only, STATUS_ONLY_FOUND),
            ),
            detail=detail,
        )
