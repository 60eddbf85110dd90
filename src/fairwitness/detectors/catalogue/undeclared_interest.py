"""External records of an interest, linked to a person, with no matching declaration."""

from __future__ import annotations

import datetime as dt

import ibis

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import flags, fmt, keys, kinds_present, period_end_ts, period_start_ts, signals
from fairwitness.detectors.catalogue._interest_params import UndeclaredInterestParams as Params
from fairwitness.detectors.catalogue._interests import (
    CHARITY_WORK_LABEL, NO_GAIN_LIKELY_LABEL, NOT_FOR_GAIN_LABEL, VOLUNTARY_LABEL, charity_work, for_gain, no_gain_likely,
    observed_date, voluntary,
)
from fairwitness.detectors.catalogue._names import declares, former_name, name_key
from fairwitness.detectors.catalogue._own_declaration import corroborated
from fairwitness.detectors.peers import PEER_OPTIONAL_READS, PEER_READS, merge_reads, peer_context


class UndeclaredInterest(Detector):
    """External records of an interest linked to a person, with no matching declaration.

    External records observed by the end of the period, and no more than ``max_age_days``
    before it, are linked to staff directly (``staff_id``) or through the derived source
    ``external_links`` (Splink, by name and date of birth; see `fairwitness.linkage`);
    links below ``min_link`` are ignored, and so are observations from before the person
    joined. Memberships count only for organisations that must be declared — hierarchical,
    with confidential membership and mutual support (``declarable_membership_pattern``:
    lodges, freemasonry and its side orders, which meet as numbered chapters, preceptories
    and conclaves), not sports or social clubs. A directorship held for no gain is not a
    business interest (Police Regulations 2003, reg. 7: an office "for hire or gain"): a
    residents' management or right-to-manage company of the person's block of flats, or a
    charity, recognised by ``not_for_gain_pattern`` on the counterparty and the record's
    ``activity`` (an RTM or RTE name, SIC 98000, a charity's register number;
    `_interests`), is not held against anyone. A directorship *probably* held for no gain — a
    community interest company, a dormant company (SIC 99999), the force's own staff, sports or
    social association (``no_gain_likely_pattern``) — is surfaced for a check whether it is paid
    (**wellbeing**), never an adverse route on its own: the register shows the office, not gain.
    The word "Order" alone does not make a declarable membership: the Order of St John (St John
    Ambulance's volunteers) is an order of chivalry and a charity, not a secret fraternity.
    Unpaid voluntary work is not employment for gain either, and need not be declared: a record
    of work whose ``activity`` names the role unpaid (a volunteer, ``voluntary_pattern``) is not
    held against anyone; work for a charity or in a volunteer role named by the counterparty or
    activity (a registered charity or its number, a charity shop: ``charity_work_pattern``) is
    probably voluntary — most people seen in a charity shop are volunteers, though a charity
    employs paid staff too — and is surfaced for a check whether it is paid (**wellbeing**). A
    payroll record (``paid_sources``: HMRC RTI, a payslip) is employment for gain whoever the
    employer, and neither excuses it.

    A record is *declared* when the person has a declaration (not ``gift_hospitality``),
    approved or pending, whose counterparty matches — as officers type them: case,
    punctuation, possessives, legal forms and filler words (plc, Ltd, Group, & Co), initials
    and a parenthesised description set aside, every word of one name among the other's
    (each within ``name_tolerance`` edits), any numbers (a lodge's warrant) agreeing, so
    "Sainsbury's" is "J Sainsbury plc" and "Kingsley Tutoring (online maths tutor)" is
    "Kingsley Tutoring Ltd", but "Smith Security Ltd" is not "Smith Haulage Ltd" (`_names`)
    — made no later than ``grace_days`` after the
    observation or at any time before the period (the lateness is history). Refused or
    withdrawn declarations do not count (the detail says so). A record linked to several
    members of staff (the linkage's ``match_probability`` is then shared between them) is
    not held against anyone when one of them declared it.

    A membership became declarable when the force's rule did (``membership_declarable_from``;
    the Met's policy on hierarchical organisations, announced with immediate effect): one
    observed before that day was due ``grace_days`` after it, so the hundreds who declare in
    the weeks after a new rule are on time, and an undeclared membership is nothing to answer
    until that deadline has passed within the period. Unset, memberships are due like any
    interest.

    A name and birth date written carelessly elsewhere (a misspelt name and a birth year
    out give about 0.4) are corroborated by the person's own declaration of the record's
    organisation, approved or pending, however late: the record's odds of being theirs are
    multiplied by ``own_declaration_m`` over the share of staff who declared that
    organisation (Fellegi–Sunter, one more comparison), the record's candidates staying
    exclusive. Only a declared organisation is corroborated, so this only ever finds a
    declaration *late*, never an interest undeclared; the detail gives both probabilities.

    * **gross_misconduct_assessment**: a confirmed record, linked with at least
      ``strong_link`` probability, not declared;
    * **advice**: an indicative record, or a declaration made late (after the policy's
      deadline, ``grace_days``), during the period — with the identity established (a link of
      at least ``strong_link``);
    * **wellbeing** (not adverse: a check first): a directorship probably held for no gain
      (``no_gain_likely_pattern``), work probably voluntary (``charity_work_pattern``), a link below ``strong_link``, or a link by name and date of birth alone for a name that more than
      ``max_name_sharers`` members of staff bear (the linkage's ``name_sharers``): a name
      several colleagues bear is borne by many strangers in an outside register, so an exact
      name and birth date are not proof of identity. A direct link (staff id) or the person's
      own declaration of the organisation establishes the identity whatever the name.

    The match probability and method are in the detail, and the day observed as a date in
    Europe/London (a date-only record is stored as the local midnight).
    """

    name = "undeclared_interest"
    version = "15"
    title = "Undeclared interests"
    standard = "Honesty and integrity"
    reads = {
        "external_records": (
            "record_id", "kind", "counterparty", "source", "observed_at", "strength", "staff_id", "activity",
        ),
        "declarations": ("declaration_id", "staff_id", "kind", "counterparty", "declared_at", "status"),
    }
    optional_reads = {
        "external_links": ("record_id", "staff_id", "match_probability", "match_method", "name_sharers"),
        "people": ("staff_id", "start_date"),
    }
    optional_reads = merge_reads(optional_reads, PEER_READS, PEER_OPTIONAL_READS)
    explanations_checked = (
        "a declaration of the same counterparty, approved or pending, made before or soon after the observation",
        "a declaration made late (after the grace period), during the period",
        "a membership of a club or society that need not be declared",
        "a membership observed before the force's rule to declare memberships, declared within grace_days of the rule (or not yet due)",
        NOT_FOR_GAIN_LABEL,
        NO_GAIN_LIKELY_LABEL,
        VOLUNTARY_LABEL,
        CHARITY_WORK_LABEL,
        "an observation from before the person joined, or older than max_age_days",
        "uncertain identity (record linkage probability below strong_link)",
        "identity by name and date of birth alone, for a name other members of staff bear",
        "the record also fits another member of staff who declared the interest",
    )
    explain = (
        "{value} external record(s) of an interest with no matching declaration as of {period_end}: {detail}."
    )
    scenarios = ("undeclared_interest_confirmed", "undeclared_interest_indicative", "late_declaration")
    routes = ("wellbeing", "advice", "gross_misconduct_assessment")
    evidence_kinds = {
        "confirmed_record": "a confirmed outside record of the interest",
        "identity": "identity by staff id, by a strong name and birth-date link for a name no more than "
        "max_name_sharers members of staff bear, or corroborated by the person's own declaration",
        "no_declaration": "no declaration by the policy's deadline",
    }
    Params = Params

    def build(self, src):
        p = self.params
        er = src.table("external_records")
        oldest = dt.datetime.combine(src.period_start - dt.timedelta(days=p.max_age_days), dt.time())
        er = er.filter(er.observed_at < period_end_ts(src), er.observed_at >= ibis.literal(oldest, type="timestamp"))
        member = er.kind.lower() == "membership"
        er = er.filter(
            ~member | er.counterparty.lower().re_replace(p.membership_place_pattern, " ").re_search(p.declarable_membership_pattern),
            for_gain(er, p.not_for_gain_pattern),
            ~voluntary(er, p.voluntary_pattern, p.paid_sources),
        )
        direct = er.filter(er.staff_id.notnull() & (er.staff_id.strip() != "")).select(
            "record_id",
            staff_id=er.staff_id.strip(),
            prob=ibis.literal(1.0),
            method=ibis.literal("staff_id"),
            sharers=ibis.null("int64"),
        )
        links = direct
        if src.has("external_links"):
            el = src.table("external_links")
            links = links.union(
                el.select(
                    "record_id", "staff_id", prob=el.match_probability.cast("float64"), method=el.match_method,
                    sharers=el.name_sharers.cast("int64"),
                )
            )
        w = ibis.window(group_by=[links.record_id, links.staff_id], order_by=[links.prob.desc(), links.method])
        links = links.mutate(rn=ibis.row_number().over(w)).filter(lambda t: t.rn == 0).drop("rn")
        # weak links are kept until the declarations are checked: a record that may be about
        # someone else who declared it is not evidence against this person

        # a directorship probably held for no gain, or work probably voluntary (a charity's, not on
        # a payroll): whether it is paid is to be checked first; the day observed, in London
        er = er.mutate(
            no_gain=no_gain_likely(er, p.no_gain_likely_pattern),
            charity=charity_work(er, p.charity_work_pattern, p.paid_sources),
            day=observed_date(er.observed_at, src, oldest.date()),
            was=former_name(er.activity),
        )
        r = er.join(links, "record_id").select(
            "record_id", "kind", "counterparty", "source", "observed_at", "strength", links.staff_id, "prob", "method",
            "sharers", "no_gain", "charity", "day", "was",
        )
        if src.has("people"):  # an observation from before the person joined is not an interest held in post
            ppl = src.table("people")
            r = r.left_join(ppl, r.staff_id == ppl.staff_id).filter(
                lambda t: t.start_date.isnull() | (t.day >= t.start_date)
            ).select(*r.columns)
        # when the declaration was due: the observation, or, for a membership observed before the
        # force's rule took effect, the rule's first day (then grace_days to declare either way)
        r = r.mutate(due_from=r.observed_at)
        if p.membership_declarable_from is not None:
            rule = ibis.literal(dt.datetime.combine(p.membership_declarable_from, dt.time()), type="timestamp")
            member = r.kind.lower() == "membership"
            r = r.mutate(due_from=ibis.ifelse(member & (r.observed_at < rule), rule, r.observed_at))
        d = src.table("declarations")
        d = d.filter(~d.kind.lower().isin(list(p.ignored_declaration_kinds)))
        # the names reduced once a row, then compared within each person's pairs
        # (a view, with fresh names: Ibis would otherwise read r's columns in the join back
        # through m's)
        v = r.view()
        rk = v.select(_rid=v.record_id, _sid=v.staff_id, _due=v.due_from, _key=name_key(v.counterparty), _was=name_key(v.was))
        dk = d.select(_dsid=d.staff_id, _at=d.declared_at, _status=d.status.lower(), _dkey=name_key(d.counterparty))
        match = rk.join(dk, (rk._sid == dk._dsid) & declares(rk._key, rk._was, dk._dkey, p.name_tolerance))
        match = match.select(
            "_rid",
            "_sid",
            valid=match._status.isin(["approved", "pending"]),
            # on time, or at least before the period: the lateness is history, the interest is known
            on_time=(match._at <= match._due + ibis.interval(days=p.grace_days)) | (match._at < period_start_ts(src)),
            refused=match._status.isin(["refused", "withdrawn"]),
        )
        m = match.group_by("_rid", "_sid").aggregate(
            declared=(match.valid & match.on_time).cast("int64").max() == 1,
            late=(match.valid & ~match.on_time).cast("int64").max() == 1,
            refused=match.refused.cast("int64").max() == 1,
            own=match.valid.cast("int64").max() == 1,
        )
        r = r.left_join(m, (r.record_id == m._rid) & (r.staff_id == m._sid)).select(
            r,
            declared=m.declared.fill_null(False),
            late=m.late.fill_null(False),
            refused=m.refused.fill_null(False),
            own=m.own.fill_null(False),
        )
        r = corroborated(r, d, src, p)
        by_other = r.declared.cast("int64").max().over(ibis.window(group_by=r.record_id)) == 1
        r = r.mutate(by_other=by_other).filter(r.prob >= p.min_link, ~r.declared, ~by_other).drop("by_other")
        if p.membership_declarable_from is not None:
            # a membership the rule made declarable, still within its time to declare at the end of
            # the period and not yet declared, is nothing to answer yet
            due = r.due_from + ibis.interval(days=p.grace_days)
            r = r.filter((r.due_from == r.observed_at) | r.late | (due < period_end_ts(src)))
        confirmed = r.strength.lower() == "confirmed"
        # the identity, for an adverse route: a direct link, the person's own declaration of the
        # organisation, or a strong name link for a name few colleagues bear
        crowded = (r.method != "staff_id") & (r.prob <= r.name_prob) & r.sharers.notnull() & (r.sharers > p.max_name_sharers)
        ident = (r.prob >= p.strong_link) & ~crowded
        route = ibis.ifelse(confirmed & ident & ~r.late, "gross_misconduct_assessment", "advice")
        # gravity counts only records whose identity is established and whose office may be held
        # for gain (0: to be checked first)
        r = r.mutate(
            gravity=ibis.ifelse(ident & ~r.no_gain & ~r.charity, ibis.ifelse(route == "advice", 1, 3), 0),
            ident=ident,
            crowded=crowded,
        )
        text = (
            r.kind.lower()
            + " "
            + r.counterparty
            + " ("
            + r.strength.lower()
            + ", "
            + r.source
            + ", observed "
            + r.day.cast("string")
            + ", match probability "
            + fmt(r.prob, 3)
            + " by "
            + r.method
            + ibis.ifelse(
                r.prob > r.name_prob,
                " (" + fmt(r.name_prob, 3) + " by name and date of birth alone; the person's own declaration names it)",
                "",
            )
            + ibis.ifelse(
                r.crowded,
                ", a name " + r.sharers.cast("string") + " members of staff bear: identity to be verified",
                "",
            )
            + ibis.ifelse(r.no_gain, ", probably held for no gain: whether it is paid to be checked", "")
            + ibis.ifelse(r.charity, ", probably voluntary (a charity or volunteer role): whether it is paid to be checked", "")
            + ibis.ifelse(r.late, ", declared late", "")
            + ibis.ifelse(r.refused, ", a declaration was refused or withdrawn", "")
            + ")"
        )
        r = r.mutate(text=text)
        w = ibis.window(
            group_by=r.staff_id,
            order_by=[r.gravity.desc(), r.ident.desc(), r.prob.desc(), r.observed_at.desc(), r.record_id],
        )
        r = r.mutate(rank=ibis.row_number().over(w))
        per = r.group_by("staff_id").aggregate(
            n=r.count(),
            gravity=r.gravity.max(),
            top_text=ibis.ifelse(r.rank == 0, r.text, ibis.null("string")).max(),
            top_prob=ibis.ifelse(r.rank == 0, r.prob, ibis.null("float64")).max(),
            top_ident=(ibis.ifelse(r.rank == 0, r.ident, False)).cast("int64").max() == 1,
            any_crowded=r.crowded.cast("int64").max() == 1,
            any_no_gain=(r.no_gain & r.ident).cast("int64").max() == 1,
            any_charity=(r.charity & r.ident).cast("int64").max() == 1,
            top_confirmed=(ibis.ifelse(r.rank == 0, confirmed, False)).cast("int64").max() == 1,
            top_on_time=(ibis.ifelse(r.rank == 0, ~r.late, False)).cast("int64").max() == 1,
            any_late=r.late.cast("int64").max() == 1,
            any_weak=(r.prob < p.strong_link).cast("int64").max() == 1,
            any_indicative=(r.strength.lower() != "confirmed").cast("int64").max() == 1,
            ev=keys(r.record_id),
        )
        gross = per.gravity == 3
        # advice is adverse: it needs the identity established; a weaker link, or a common name,
        # is for checking first
        route = ibis.cases(
            (gross, "gross_misconduct_assessment"),
            # (a directorship probably held for no gain has gravity 0: a check, not advice)
            (per.gravity == 1, "advice"),
            else_="wellbeing",
        )
        score = ibis.ifelse(gross, 0.8 + 0.2 * (per.top_prob - p.strong_link) / (1.0001 - p.strong_link), 0.5 * per.top_prob)
        _, kinds_text = kinds_present(
            {
                "confirmed_record": per.top_confirmed,
                "identity": per.top_ident,
                "no_declaration": per.top_on_time,
            },
            self.evidence_kinds,
        )
        policy = ibis.literal(
            f"; policy: an interest is declared within {p.grace_days} days (Police Regulations 2003 reg. 7 and the "
            "force's declarable associations policy)"
        )
        detail = (
            per.top_text
            + ibis.ifelse(per.n > 1, " and " + (per.n - 1).cast("string") + " more", "")
            + ibis.ifelse(gross, policy, "")
            + kinds_text
        )
        found = flags(
            (per.any_late, "a declaration made late (after the grace period)"),
            (~gross & per.any_weak, "uncertain identity (record linkage probability below strong_link)"),
            (~per.top_ident & per.any_crowded, "identity by name and date of birth alone, for a name other members of staff bear"),
            ((per.gravity == 0) & per.any_no_gain, NO_GAIN_LIKELY_LABEL),
            ((per.gravity == 0) & per.any_charity, CHARITY_WORK_LABEL),
        )
        # the same behaviour among peers doing the same work, for the evidence
        per = peer_context(per, src, "n")
        return signals(
            per,
            src,
            peer_median=per.peer_median,
            peer_percentile=per.peer_percentile,
            peer_group=per.peer_group,
            value=per.n,
            score=ibis.least(ibis.greatest(score, ibis.literal(0.0)), 1.0),
            route=route,
            evidence_table="external_records",
            evidence_keys=per.ev,
            explanations_found=found,
            detail=detail,
        )

