"""People who authorise each other's claims: reciprocal pairs and closed loops of 3 or 4."""

from __future__ import annotations

import ibis
from pydantic import BaseModel, ConfigDict, Field, model_validator

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import (
    ABSENCE_PART_READS,
    flags,
    fmt,
    in_period,
    keys,
    located,
    london_date,
    signals,
)
from fairwitness.detectors.catalogue._loops import closed_loops
from fairwitness.detectors.catalogue._mutual_cover import COVER, DELEGATED, compare_with_peers, mutual_shares
from fairwitness.detectors.catalogue._rota import FORCED, ROTA_READS, forced_by_rota
from fairwitness.detectors.peers import PEER_OPTIONAL_READS, PEER_READS, merge_reads


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_loop: int = Field(default=4, ge=2, le=4, description="Longest closed loop looked for (2 = pairs only).")
    min_share: float = Field(
        default=0.1,
        gt=0,
        le=1,
        description="Each person on the loop had at least this share (one in ten) of their claims authorised by the "
        "previous one: occasional cover between colleagues is not a loop.",
    )
    span_min_claims: int = Field(
        default=2,
        ge=2,
        description="Claims a link needs before its share is also measured over its active span (first to last "
        "claim on the link): a single claim is a span of one instant, and one-off cover is not a loop.",
    )
    span_min_share: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="Share of the claimant's claims within the link's active span that the previous one must have "
        "authorised for the link to count on its span (half: the main authoriser in that stretch, not cover). Never "
        "below min_share.",
    )
    min_claims: int = Field(
        default=4,
        ge=2,
        description="Claims on the person's loops (all directions) needed before any adverse route: two sergeants "
        "who covered each other's leave a couple of times are not an arrangement. Fewer: wellbeing (a check).",
    )
    peer_quantile: float = Field(
        default=0.95,
        gt=0,
        lt=1,
        description="The loop's share (the least share of a member's claims authorised by the previous one) must "
        "be higher than this share of the person's peers doing the same work show for the same measure — the "
        "largest share of their claims authorised by one colleague whose claims they authorised in turn — among "
        "peers with at least min_claims claims, the person's own loop partners left out. Where mutual cover is "
        "how a team works (a small team where two sergeants can authorise), peers show it too.",
    )
    cover_share: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="Share of the claims on the person's loops made while the claimant's line manager (their usual "
        "authoriser) was recorded absent at or above which the loop is cover for the absent authoriser (colleagues "
        "of the same team authorising each other meanwhile), or with nobody else of the authoriser's rank or higher on "
        "duty in the claimed hours (a loop the rota forces), or either, at or above which the loop is a check "
        "(wellbeing), never an adverse route.",
    )
    delegated_route_pattern: str = Field(
        default=r"delegat",
        description="Claims whose authorisation_route matches this (regular expression, lower-cased; empty: none) were "
        "authorised under a recorded delegated authority (an SIO's finance instruction for an operation): counted "
        "towards cover_share like cover for an absent authoriser.",
    )
    min_peers: int = Field(
        default=5,
        ge=1,
        description="Peers (with at least min_claims claims) needed for the peer group comparison; with fewer, "
        "the person is compared with every claimant of the force with at least min_claims claims.",
    )

    @model_validator(mode="after")
    def _span_bar_not_lower(self) -> Params:
        if self.span_min_share < self.min_share:
            raise ValueError("span_min_share must be at least min_share (a span is a shorter stretch, not a lower bar)")
        return self


def _floor_pct(x):
    """A share as a whole percentage rounded down ('at least' stays true), identical on both engines."""
    return fmt((x * 100 + 1e-9).floor().cast("int64"), 0)


class ReciprocalAuthorisation(Detector):
    """People who authorise each other's overtime: pairs and closed loops.

    The graph of who authorised whose claims in the period (approved or pending, never
    self) is searched for reciprocal pairs (A authorised B and B authorised A) and closed
    loops of three and four people (A→B→C→A, A→B→C→D→A), up to ``max_loop``. A link (the
    previous person authorising the next one's claims) counts when either

    * over the whole period, the previous person authorised at least ``min_share`` of the
      next one's claims — and at least ``span_min_claims`` of them, unless they are
      ``span_min_share`` or more of them (one claim among nine is one-off cover, the only
      claim of someone who claims once is not); or
    * over the link's *active span* (from the first to the last claim on it, inclusive) the
      link has at least ``span_min_claims`` claims and the previous person authorised at
      least ``span_min_share`` of the next one's claims that started in that span — an
      arrangement that ran for a few weeks or months and is diluted over a long period.

    A loop counts when every link on it counts — systematic, not the occasional cover two
    sergeants give each other. A loop that needs a link's active span must also have been
    closed at one time: every link's active span shares a common stretch (cover given one
    way in spring and returned in autumn is not a loop). Everyone on a loop is flagged, with
    the claims on the loop's edges as evidence; the detail gives the loop's dates when it
    was found on its active span.

    Mutual cover is how some teams work (two sergeants covering each other's leave, a small
    team where only two people can authorise), so a loop is judged against the person's
    **peers doing the same work** (unit type × rank band × shift pattern × FTE band,
    `fairwitness.detectors.peers`), not against a fixed bar: for each peer with at least
    ``min_claims`` claims, the largest share of their claims authorised by one colleague whose
    claims they authorised in turn (the person's own loop partners left out, and peers whose own
    loops are cover for an absent authoriser or forced by the rota counted as having none; with fewer than
    ``min_peers`` such peers, every such claimant of the force). The value is the loop's share
    (the least share of a member's claims authorised by the previous one on the loop, in
    percent; the strongest of the person's loops), the peer median the same measure's, the
    percentile the share of those peers at or below it.

    * **misconduct_assessment**: at least ``min_claims`` claims on the person's loops, and the
      loop's share higher than ``peer_quantile`` of those peers show (no more than 5% of them
      with as large a share, by default);
    * **wellbeing** (a check, not adverse): fewer claims, mutual cover as common among peers,
      no peer to compare with, or cover for an absent authoriser.

    **Cover for an absent authoriser.** When the usual authoriser is away, colleagues of the same
    team authorise each other: two custody sergeants while their inspector is on long-term
    sickness. With ``people`` (``line_manager_id``) and ``absences`` loaded, each claim on a loop
    made while the claimant's line manager was recorded absent (any absence type — sick, on leave,
    on a rest day — whose hours are known: a part day recorded without them says nothing of the
    claim's hour) is counted; when ``cover_share`` or more of the claims on the person's loops
    (half, by default) were made so, the loop is that cover and stays a check, whatever its share.
    An arrangement that outlasts the absence — most of its claims with the line manager back — is
    judged as before.

    **A loop the rota forces.** Two duty inspectors on opposite shifts are each the only inspector
    on duty when the other works late: each can only be authorised by the other. With ``shifts``
    and ``people`` (``rank_grade``) loaded, each claim on a loop authorised by a police officer of
    known rank while nobody else — neither claimant nor authoriser — of that rank or higher (the
    claimant's line manager among them, when of such rank) had a shift overlapping the claimed
    hours is counted (`_rota`); claims made so and claims made while the line manager was absent
    together reaching ``cover_share`` of the claims on the person's loops make the loop a check.
    Collusion is a pair who choose each other while others who could authorise were on duty: it is
    judged as before.

    Whether the person's own claims were authorised by their line manager is recorded as
    context; a loop always needs at least one authorisation outside line management.
    """

    name = "reciprocal_authorisation"
    version = "10"
    title = "Reciprocal authorisation pairs and closed loops"
    standard = "Honesty and integrity"
    reads = {"overtime_claims": ("claim_id", "staff_id", "start", "end", "authorised_by", "authorisation_route", "status")}
    optional_reads = {
        "people": ("staff_id", "line_manager_id"),
        "absences": ("staff_id", "start", "end", *ABSENCE_PART_READS),
    }
    optional_reads = merge_reads(optional_reads, ROTA_READS, PEER_READS, PEER_OPTIONAL_READS)
    explanations_checked = (
        "occasional cover between colleagues (less than min_share of claims)",
        "short spells of cover (fewer than span_min_claims claims on a link, less than span_min_share of the "
        "claimant's claims while it was active, or links active at different times)",
        "the person's own claims authorised by their line manager",
        "too few claims on the loop for an adverse route (fewer than min_claims)",
        "mutual cover as common among peers doing the same work (peer_quantile)",
        "cover for an absent authoriser: cover_share or more of the loop's claims made while the claimant's line "
        "manager (their usual authoriser) was recorded absent (sick, on leave, on a rest day)",
        FORCED,
        DELEGATED,
    )
    explain = (
        "Between {period_start} and {period_end} the person authorised, and was authorised by, the same "
        "people in a closed loop ({detail}): at least {value}% of each one's claims "
        "authorised by the previous one, against a peer median of {peer_median}% ({peer_group})."
    )
    scenarios = ("reciprocal_authorisation",)
    routes = ("wellbeing", "misconduct_assessment")
    Params = Params

    def build(self, src):
        p = self.params
        oc = src.table("overtime_claims")
        oc = oc.filter(in_period(oc.start, src), oc.status.lower() != "rejected", oc.authorised_by.notnull())
        oc = oc.mutate(a=oc.authorised_by.strip(), c=oc.staff_id.strip()).filter(lambda t: t.a != t.c)
        # one CTE (`Sources.once`): read three times below, each reader filtered and stripped every claim
        # again (1.07 M claims at 46,000 x 12: three filters of about 0.9 CPU-seconds each)
        pattern = p.delegated_route_pattern
        dl = oc.authorisation_route.lower().re_search(pattern).fill_null(False) if pattern else ibis.literal(False)
        oc = src.once(oc.select("claim_id", "a", "c", "start", "end", dl=dl))
        # on a loop everyone both authorises and claims: only their claims and links can be on one
        authorisers = oc.select(p=oc.a).distinct()
        claimants = oc.select(p=oc.c).distinct()
        # per claim, among the same claimant's claims: how many started before it and after it, and
        # how many there are (window functions: one pass, no self-join)
        claims = oc.semi_join(authorisers, oc.c == authorisers.p)
        by_c = ibis.window(group_by="c")
        claims = claims.mutate(
            before=ibis.rank().over(ibis.window(group_by="c", order_by="start")),
            after=ibis.rank().over(ibis.window(group_by="c", order_by=ibis.desc("start"))),
            total=claims.claim_id.count().over(by_c),
        )
        claims = claims.semi_join(claimants, claims.a == claimants.p)
        # per link: its claims, the claimant's claims in the period, and those that started within the
        # link's active span (from its first to its last claim, inclusive) = claims up to the last one's
        # start minus those before the first one's start
        e = claims.group_by("a", "c").aggregate(
            n=ibis._.count(),
            f=claims.start.min(),
            l=claims.start.max(),
            total=claims.total.max(),
            in_span=(claims.total - claims.after).max() - claims.before.min(),
        )
        share, sshare = e.n.cast("float64") / e.total, e.n.cast("float64") / e.in_span
        # the links that count: over the period, or over their active span
        # (a single claim among several is one-off cover: over the period a link of one claim counts
        # only when it is the claimant's main authoriser, span_min_share or more of their claims)
        period_link = (share >= p.min_share) & ((e.n >= p.span_min_claims) | (share >= p.span_min_share))
        q = e.filter(period_link | ((e.n >= p.span_min_claims) & (sshare >= p.span_min_share)))
        q = q.select(
            "a", "c", "f", "l",
            share=q.n.cast("float64") / q.total,
            sshare=q.n.cast("float64") / q.in_span,
            spanok=q.n >= p.span_min_claims,
        )
        # read by every walk's joins (nine readings; on Spark, computed once: `Sources.once`)
        q = src.once(q.mutate(by_span=q.share < p.min_share))

        lp = closed_loops(q, p.max_loop)
        # a loop found on its links' active spans must have been closed at one time
        lp = lp.filter(~lp.on_span | lp.closed)
        period_desc = (
            lp.label + "; at least " + _floor_pct(lp.pshare) + "% of each one's claims authorised by the previous one"
        )
        span_desc = (
            lp.label
            + " found on its active span, "
            + london_date(lp.lo, src).cast("string")
            + " to "
            + london_date(lp.hi, src).cast("string")
            + ": while each link was active at least "
            + _floor_pct(lp.sshare)
            + "% of each one's claims were authorised by the previous one (over the whole period at least "
            + _floor_pct(lp.pshare)
            + "%)"
        )
        # read by the links of each loop and by the loop partners (four readings)
        lp = src.once(lp.mutate(member=lp.v0, desc=ibis.ifelse(lp.on_span, span_desc, period_desc)))
        # one row per link of each loop: link k runs from v_k to the next person (back to v0 at the end)
        idx = ibis.memtable({"k": [0, 1, 2, 3]})
        le = lp.cross_join(idx).filter(lambda t: t.k < t.size)
        vk = [le.v0, le.v1, le.v2, le.v3]
        ea = ibis.ifelse(le.k == 0, vk[0], ibis.ifelse(le.k == 1, vk[1], ibis.ifelse(le.k == 2, vk[2], vk[3])))
        ec = ibis.ifelse(
            le.k == le.size - 1, vk[0], ibis.ifelse(le.k == 0, vk[1], ibis.ifelse(le.k == 1, vk[2], vk[3]))
        )
        le = le.select("member", "label", "desc", "loop_share", ea=ea, ec=ec)
        cl = le.join(oc, (le.ea == oc.a) & (le.ec == oc.c)).select(
            le.member, le.label, le.desc, le.loop_share, oc.claim_id, oc.dl
        )
        # cover for an absent authoriser: claims on the loop made while the claimant's line manager (their
        # usual authoriser) was recorded absent (any absence with its hours known: a part day of unknown
        # hours says nothing of the claim's hour, `_common.located`)
        if src.has("people") and src.has("absences"):
            lm = src.table("people").select(pid=ibis._.staff_id, lm=ibis._.line_manager_id)
            ab = src.table("absences")
            ab = ab.filter(located(ab))
            # only the claims on loops (a few hundred at 46,000 x 12, not the million claims: 4 s)
            on = cl.select(lc_id=cl.claim_id).distinct()
            cc = oc.join(on, oc.claim_id == on.lc_id).join(lm, oc.c == lm.pid).select(oc.claim_id, oc.start, lm.lm)
            away = cc.join(ab, (ab.staff_id == cc.lm) & (ab.start <= cc.start) & (ab.end > cc.start))
            away = src.once(away.group_by("claim_id").aggregate(away=ibis._.count() > 0))
            cl = cl.left_join(away, cl.claim_id == away.claim_id).select(cl, away=away.away.fill_null(False))
        else:
            cl = cl.mutate(away=ibis.literal(False))
        # forced by the rota (`_rota`): nobody else of the authoriser's rank or higher on duty in the hours
        on = cl.select(f_id=cl.claim_id).distinct()
        forced = forced_by_rota(src, oc.join(on, oc.claim_id == on.f_id).select("claim_id", "a", "c", "start", "end"))
        if forced is None:
            cl = cl.mutate(forced=ibis.literal(False))
        else:
            fz = forced.select(z_id=forced.claim_id, z=ibis.literal(True))
            cl = cl.left_join(fz, cl.claim_id == fz.z_id).select(cl, forced=fz.z.fill_null(False))
        per = cl.group_by("member").aggregate(
            n=cl.claim_id.nunique(),
            n_away=cl.claim_id.nunique(where=cl.away),
            n_forced=cl.claim_id.nunique(where=cl.forced),
            n_delegated=cl.claim_id.nunique(where=cl.dl),
            n_excused=cl.claim_id.nunique(where=cl.away | cl.forced | cl.dl),
            loop_share=cl.loop_share.max(),
            n_loops=cl.label.nunique(),
            # the first loop (by label) is described in full (one description per label)
            first_desc=cl.desc.argmin(cl.label),
            ev=keys(cl.claim_id),
        )
        per = per.mutate(staff_id=per.member)
        if src.has("people"):
            ppl = src.table("people")
            own = oc.left_join(ppl, oc.c == ppl.staff_id).select(oc.c, lm=(oc.a == ppl.line_manager_id).fill_null(False))
            own = own.group_by("c").aggregate(all_lm=own.lm.cast("int64").min() == 1)
            per = per.left_join(own, per.member == own.c).select(per, all_lm=own.all_lm.fill_null(False))
        else:
            per = per.mutate(all_lm=ibis.literal(False))
        # the same behaviour among peers doing the same work: how much of their claims one colleague they
        # authorise in turn authorises
        mates = lp.select(member=lp.v0, other=lp.v1)
        for v in (lp.v2, lp.v3):
            mates = mates.union(lp.filter(v.notnull()).select(member=lp.v0, other=v))
        explained = per.filter(per.n_excused.cast("float64") >= p.cover_share * per.n).select(x=per.member)
        per = compare_with_peers(per, mutual_shares(e, oc, p), mates, src, p, explained)
        lm_ok = per.all_lm
        enough = per.n >= p.min_claims
        compared = per.peers_n.fill_null(0) > 0
        beyond_peers = compared & (per.peers_high.cast("float64") <= (1 - p.peer_quantile) * per.peers_n)
        # each claim on the loop made with the usual authoriser away, or with nobody else to ask
        excused = per.n_excused.cast("float64") >= p.cover_share * per.n
        route = ibis.ifelse(enough & beyond_peers & ~excused, "misconduct_assessment", "wellbeing")
        more = per.n_loops - 1
        peers_text = ibis.ifelse(
            compared,
            "; "
            + per.peers_high.cast("string")
            + " of "
            + per.peers_n.cast("string")
            + " peers had as large a share of their claims authorised by one colleague whose claims they "
            "authorised in turn",
            "; no peer with at least " + ibis.literal(str(p.min_claims)) + " claims to compare with",
        )
        detail = (
            per.first_desc
            + ibis.ifelse(more > 0, "; and " + more.cast("string") + ibis.ifelse(more > 1, " more loops", " more loop"), "")
            + "; "
            + per.n.cast("string")
            + " claims on the person's loops"
            + ibis.ifelse(
                per.n_away > 0,
                ", " + per.n_away.cast("string") + " of them made while the claimant's line manager was recorded absent",
                "",
            )
            + ibis.ifelse(
                per.n_delegated > 0,
                ", " + per.n_delegated.cast("string") + " of them authorised under a recorded delegated authority",
                "",
            )
            + ibis.ifelse(
                per.n_forced > 0,
                ", "
                + per.n_forced.cast("string")
                + " of them with nobody else of the authoriser's rank or higher on duty in the claimed hours",
                "",
            )
            + peers_text
        )
        return signals(
            per,
            src,
            peer_median=per.peer_median,
            peer_percentile=per.peer_percentile,
            peer_group=per.peer_group,
            value=(per.loop_share * 100).round(1),
            score=ibis.least(0.5 + 0.1 * per.n + 0.1 * per.n_loops, 1.0),
            route=route,
            evidence_table="overtime_claims",
            evidence_keys=per.ev,
            explanations_found=flags(
                (lm_ok, "the person's own claims were authorised by their line manager"),
                (~enough, f"fewer than {p.min_claims} claims on the loop"),
                (compared & ~beyond_peers, "mutual cover as common among peers doing the same work"),
                (~compared, "no peers to compare with"),
                (excused & (per.n_away > 0), COVER),
                (excused & (per.n_forced > 0), FORCED),
                (excused & (per.n_delegated > 0), DELEGATED),
            ),
            detail=detail,
        )

