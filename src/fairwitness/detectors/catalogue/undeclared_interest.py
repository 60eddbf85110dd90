"""External records of an interest, linked to a person, with no matching declaration."""

from __future__ import annotations

import datetime as dt

import ibis
from pydantic import BaseModel, ConfigDict, Field, model_validator

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._own_declaration import corroborated
from fairwitness.detectors.catalogue._interests import (
    NO_GAIN_LIKELY_DOC, NO_GAIN_LIKELY_LABEL, NO_GAIN_LIKELY_PATTERN, NOT_FOR_GAIN_DOC, NOT_FOR_GAIN_LABEL,
    NOT_FOR_GAIN_PATTERN, for_gain, no_gain_likely,
)
from fairwitness.detectors.catalogue._common import (
    flags, fmt, keys, kinds_present, party_match, period_end_ts, period_start_ts, signals,
)
from fairwitness.detectors.peers import PEER_OPTIONAL_READS, PEER_READS, merge_reads, peer_context


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    strong_link: float = Field(
        default=0.99,
        gt=0,
        le=1,
        description="Link probability treated as the same person for a gross misconduct route. With the linkage's "
        "fixed weights, an exact name and an exact date of birth give about 0.9998, a similar name with an exact "
        "date 0.99; an exact name with a date one character out only about 0.96, which for a common name in a "
        "large force is often somebody else, so it stays advice until a reviewer confirms the identity.",
    )
    min_link: float = Field(
        default=0.5, gt=0, le=1,
        description="Below this a linked record is ignored; up to strong_link it is surfaced for an identity check "
        "(wellbeing), never an adverse route.",
    )
    max_name_sharers: int = Field(
        default=1,
        ge=1,
        description="A link by name and date of birth alone establishes the identity for an adverse route only when "
        "at most this many members of staff bear the name (the linkage's name_sharers): a name several colleagues "
        "bear is borne by many strangers in an outside register, and one of them born the same day is a real chance "
        "(world 121, 46,000 staff: 8 of 2,454 exact name and birth-date links were strangers, all for names borne by "
        "4 to 30 members of staff). A link by staff id, or one corroborated by the person's own declaration of the "
        "organisation, needs no such check. Above it the record is surfaced for an identity check (wellbeing).",
    )
    grace_days: int = Field(default=90, ge=0, description="A declaration up to this long after the observation is on time.")
    name_tolerance: float = Field(
        default=0.2, ge=0, le=0.5, description="Edit distance allowed between counterparty names, as a share of length."
    )
    declarable_membership_pattern: str = Field(
        default=r"lodge|mason|fraternit|royal arch|buffaloes|oddfellows|knights templar"
        r"|\b(chapter|preceptory|conclave)\b.*\bno\.?\s*\d"
        r"|rose croix|secret monitor|ark mariner|royal order of scotland|red cross of constantine|eastern star"
        r"|societas rosicruciana|orange (order|institution)|royal black (institution|preceptory)",
        description="Memberships are declarable only for hierarchical organisations with confidential membership "
        "and mutual support (regular expression on the lower-cased counterparty): lodges and the masonic "
        "'side orders' — Royal Arch chapters, Knights Templar preceptories, conclaves — which, "
        "like lodges, meet under a numbered warrant ('Chapter of Fidelity No. 123'), the fraternal orders named "
        "(the Royal Order of Scotland, the Orange Order); club memberships are not. The word 'Order' alone is "
        "not enough: orders of chivalry and their volunteers (the Order of St John, whose volunteers are St John "
        "Ambulance), honours and religious orders are not secret fraternities.",
    )
    max_age_days: int = Field(
        default=1826, ge=0, description="Records observed longer than this before the period are stale evidence."
    )
    membership_declarable_from: dt.date | None = Field(
        default=None,
        description="The day the force's rule to declare memberships took effect (the Met's declarable-associations "
        "policy: reported as December 2024 in some sources and 11 December 2025 in others — set your force's own). "
        "A membership observed before it was due for declaration only grace_days after this day: declaring it "
        "then is on time, not late, and an undeclared one is nothing to answer before that deadline. Empty: "
        "memberships were always declarable, due grace_days after the observation like any interest.",
    )
    not_for_gain_pattern: str = Field(default=NOT_FOR_GAIN_PATTERN, description=NOT_FOR_GAIN_DOC)
    no_gain_likely_pattern: str = Field(default=NO_GAIN_LIKELY_PATTERN, description=NO_GAIN_LIKELY_DOC)
    ignored_declaration_kinds: tuple[str, ...] = Field(
        default=("gift_hospitality",), description="Declarations that never cover an ongoing interest."
    )
    own_declaration_m: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Identity corroborated by the person's own declaration: how often a person's own declarations "
        "name the organisation of an outside record that is about them (the m probability of that comparison; "
        "0 turns the corroboration off). Its u probability is the share of staff who declared that organisation "
        "(counting the person). A name-and-birth-date link to a record of the very organisation the person "
        "declared (late) is multiplied by m / u in odds: a misspelt name and a birth year out (about 0.4 on its "
        "own) is then near certain for an organisation one person in two thousand declared, and barely moves for "
        "an employer half the force declared.",
    )

    @model_validator(mode="after")
    def _order(self) -> Params:
        if self.min_link > self.strong_link:
            raise ValueError("min_link must not exceed strong_link")
        return self


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

    A record is *declared* when the person has a declaration (not ``gift_hospitality``),
    approved or pending, whose counterparty matches — the same organisation once case,
    punctuation, legal suffixes and filler words are removed, one name containing the
    other, or within ``name_tolerance`` edits — made no later than ``grace_days`` after the
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
      (``no_gain_likely_pattern``), a link below ``strong_link``, or a link by name and date of birth alone for a name that more than
      ``max_name_sharers`` members of staff bear (the linkage's ``name_sharers``): a name
      several colleagues bear is borne by many strangers in an outside register, so an exact
      name and birth date are not proof of identity. A direct link (staff id) or the person's
      own declaration of the organisation establishes the identity whatever the name.

    The match probability and method are in the detail.
    """

    name = "undeclared_interest"
    version = "12"
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
            ~member | er.counterparty.lower().re_search(p.declarable_membership_pattern), for_gain(er, p.not_for_gain_pattern)
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

        er = er.mutate(no_gain=no_gain_likely(er, p.no_gain_likely_pattern))
        r = er.join(links, "record_id").select(
            "record_id", "kind", "counterparty", "source", "observed_at", "strength", links.staff_id, "prob", "method",
            "sharers", "no_gain",
        )
        if src.has("people"):  # an observation from before the person joined is not an interest held in post
            ppl = src.table("people")
            r = r.left_join(ppl, r.staff_id == ppl.staff_id).filter(
                lambda t: t.start_date.isnull() | (t.observed_at.date() >= t.start_date)
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
        match = r.join(d, (r.staff_id == d.staff_id) & party_match(r.counterparty, d.counterparty, p.name_tolerance)).select(
            r.record_id,
            r.staff_id,
            valid=d.status.lower().isin(["approved", "pending"]),
            # on time, or at least before the period: the lateness is history, the interest is known
            on_time=(d.declared_at <= r.due_from + ibis.interval(days=p.grace_days)) | (d.declared_at < period_start_ts(src)),
            refused=d.status.lower().isin(["refused", "withdrawn"]),
        )
        m = match.group_by("record_id", "staff_id").aggregate(
            declared=(match.valid & match.on_time).cast("int64").max() == 1,
            late=(match.valid & ~match.on_time).cast("int64").max() == 1,
            refused=match.refused.cast("int64").max() == 1,
            own=match.valid.cast("int64").max() == 1,
        )
        r = r.left_join(m, (r.record_id == m.record_id) & (r.staff_id == m.staff_id)).select(
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
            gravity=ibis.ifelse(ident & ~r.no_gain, ibis.ifelse(route == "advice", 1, 3), 0), ident=ident, crowded=crowded
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
            + r.observed_at.date().cast("string")
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

