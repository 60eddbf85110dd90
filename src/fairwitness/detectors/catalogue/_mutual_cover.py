"""Mutual cover among peers: how much of a person's claims one colleague they authorise in turn
authorises, and a loop of `reciprocal_authorisation` compared with that among peers doing the same work."""

from __future__ import annotations

import ibis

from fairwitness.detectors.peers import LEVEL_KEYS, level_rows, peer_groups

COVER = (
    "cover for an absent authoriser: most claims on the loop were made while the claimant's line manager (their "
    "usual authoriser) was recorded absent"
)
"""A loop excused as cover for an absent authoriser (`reciprocal_authorisation`'s explanation)."""

DELEGATED = (
    "a recorded delegated authority: cover_share or more of the loop's claims authorised under a delegation the "
    "claims record names (authorisation_route)"
)
"""A loop excused by a recorded delegated authority (`reciprocal_authorisation`'s explanation)."""


def mutual_shares(e, oc, p):
    """``staff_id, share``: for each person with at least ``p.min_claims`` claims in ``oc``, their
    strongest pair — the least share of either one's claims authorised by the other, each over the
    period or, when both links were active at one time and have at least ``p.span_min_claims``
    claims, while the link was active (as a loop's share); 0 for a person in no pair.

    ``e``: one row per link (``a`` authorised ``c``'s claims) with ``n`` claims, the claimant's
    ``total`` and ``in_span`` claims, and the first and last claim's start ``f`` and ``l``."""
    lk = e.select("a", "c", "n", "f", "l", share=e.n.cast("float64") / e.total, sshare=e.n.cast("float64") / e.in_span)
    back = lk.view()
    pr = lk.join(back, (lk.a == back.c) & (lk.c == back.a))
    closed = ibis.greatest(lk.f, back.f) <= ibis.least(lk.l, back.l)

    def best(t):
        return ibis.greatest(t.share, ibis.ifelse(closed & (t.n >= p.span_min_claims), t.sshare, 0.0))

    pr = pr.select(c=lk.c, m=ibis.least(best(lk), best(back)))
    top = pr.group_by("c").aggregate(m=pr.m.max())
    tot = oc.group_by("c").aggregate(total=oc.claim_id.count())
    tot = tot.filter(tot.total >= p.min_claims)
    j = tot.left_join(top, tot.c == top.c)
    return j.select(staff_id=tot.c, share=j.m.fill_null(0.0))


def compare_with_peers(per, meas, mates, src, p, explained=None):
    """``per`` plus ``peers_n``, ``peers_high`` (peers whose mutual share is at least the person's
    loop share), ``peer_median``, ``peer_percentile`` and ``peer_group``: the person's loop share
    against ``meas`` (`mutual_shares`) of their peer group (`peers.peer_groups`), their own loop partners
    left out; with fewer than ``min_peers`` such peers, against every such claimant of the force.
    ``explained`` (``x``: people whose loops are cover for an absent authoriser or forced by the
    rota) count as peers with no mutual cover to compare: one honest pair covering for their sick
    inspector must not make another pair's unexplained loop look usual."""
    if explained is not None:
        meas = meas.left_join(explained, meas.staff_id == explained.x).select(
            meas.staff_id, share=ibis.ifelse(explained.x.notnull(), 0.0, meas.share)
        )
    mine = per.select(me=per.member, own=per.loop_share)
    if src.has("people") and src.has("units"):
        groups = peer_groups(src)
        # each claimant once per group they belong to, so a group chosen at a coarser level
        # holds everyone at that level (`peers.members`)
        in_groups = level_rows(
            meas.join(groups, meas.staff_id == groups.staff_id).select(
                meas.staff_id, meas.share, *[groups[k] for k in LEVEL_KEYS]
            )
        ).select("staff_id", "share", peer_key="_key")
        mine = mine.left_join(groups, mine.me == groups.staff_id).select(mine.me, mine.own, peer_key=groups.peer_key)
    else:
        in_groups = meas.mutate(peer_key=ibis.null("string"))
        mine = mine.mutate(peer_key=ibis.null("string"))

    def stats(pairs):
        pairs = pairs.anti_join(mates, (pairs.me == mates.member) & (pairs.staff_id == mates.other))
        return pairs.group_by("me").aggregate(
            n=pairs.count(),
            high=(pairs.share >= pairs.own).cast("int64").sum(),
            low=(pairs.share <= pairs.own).cast("int64").sum(),
            med=pairs.share.median(),
        )

    grp = stats(
        mine.join(in_groups, (mine.peer_key == in_groups.peer_key) & (mine.me != in_groups.staff_id)).select(
            mine.me, mine.own, in_groups.staff_id, in_groups.share
        )
    )
    force = stats(
        mine.cross_join(meas.select(them=meas.staff_id, share=meas.share))
        .filter(lambda t: t.me != t.them)
        .select("me", "own", "share", staff_id="them")
    )
    mine = mine.left_join(grp, mine.me == grp.me).select(
        mine.me, mine.peer_key, g_n=grp.n.fill_null(0), g_high=grp.high, g_low=grp.low, g_med=grp.med
    )
    mine = mine.left_join(force, mine.me == force.me).select(
        mine, f_n=force.n.fill_null(0), f_high=force.high, f_low=force.low, f_med=force.med
    )
    use_group = mine.g_n >= p.min_peers
    n = ibis.ifelse(use_group, mine.g_n, mine.f_n)
    label = ibis.ifelse(
        use_group,
        mine.peer_key,
        ibis.literal(f"every claimant of the force (fewer than {p.min_peers} in the peer group)"),
    ) + ibis.literal(f" with at least {p.min_claims} claims, n=") + n.cast("string")
    mine = mine.select(
        "me",
        peers_n=n,
        peers_high=ibis.ifelse(use_group, mine.g_high, mine.f_high).fill_null(0),
        peer_median=(ibis.ifelse(use_group, mine.g_med, mine.f_med) * 100).round(1),
        peer_percentile=(
            ibis.ifelse(use_group, mine.g_low, mine.f_low).cast("float64") * 100.0 / ibis.greatest(n, 1)
        ).round(2),
        peer_group=ibis.ifelse(n > 0, label, ibis.null("string")),
    )
    return per.left_join(mine, per.member == mine.me).select(
        per, *[mine[c] for c in ("peers_n", "peers_high", "peer_median", "peer_percentile", "peer_group")]
    )
