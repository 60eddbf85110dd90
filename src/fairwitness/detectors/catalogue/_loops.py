"""Closed loops of who authorised whose claims, for `reciprocal_authorisation` (not a detector)."""

from __future__ import annotations

import ibis

_ARROW = " → "


def closed_loops(q, max_loop):
    """One row per closed walk of 2 to ``max_loop`` distinct people over the links that count
    (``q``: ``a`` authorised ``c``'s claims, with ``share``, ``sshare``, ``spanok``, ``by_span``, ``f``,
    ``l``), per loop and starting person: members ``v0``..``v3``, ``size``, ``label``, the loop's
    shares over the period (``pshare``) and while active (``sshare``), ``on_span``, ``lo``, ``hi``,
    ``closed`` (every link's active span shares a common stretch) and ``loop_share``."""
    # closed walks of 2, 3 and 4 distinct people over the links that count: one row per loop and
    # starting person (every rotation of a loop is a row, so each member sees it from themselves)
    def edge_cols(t, i):
        return {f"e{i}{k}": t[k] for k in ("share", "sshare", "spanok", "by_span", "f", "l")}

    e1, e2 = q.view(), q.view()
    sizes = [
        e1.join(e2, (e1.a == e2.c) & (e1.c == e2.a)).select(
            v0=e1.a, v1=e1.c, v2=ibis.null("string"), v3=ibis.null("string"), **edge_cols(e1, 1), **edge_cols(e2, 2)
        )
    ]
    if max_loop >= 3:
        e1, e2, e3 = q.view(), q.view(), q.view()
        t3 = (
            e1.join(e2, e1.c == e2.a)
            .join(e3, (e2.c == e3.a) & (e3.c == e1.a))
            .select(
                v0=e1.a, v1=e1.c, v2=e2.c, v3=ibis.null("string"),
                **edge_cols(e1, 1), **edge_cols(e2, 2), **edge_cols(e3, 3),
            )
        )
        sizes.append(t3.filter(t3.v0 != t3.v1, t3.v1 != t3.v2, t3.v0 != t3.v2))
    if max_loop >= 4:
        e1, e2, e3, e4 = q.view(), q.view(), q.view(), q.view()
        t4 = (
            e1.join(e2, e1.c == e2.a)
            .join(e3, e2.c == e3.a)
            .join(e4, (e3.c == e4.a) & (e4.c == e1.a))
            .select(
                v0=e1.a, v1=e1.c, v2=e2.c, v3=e3.c,
                **edge_cols(e1, 1), **edge_cols(e2, 2), **edge_cols(e3, 3), **edge_cols(e4, 4),
            )
        )
        sizes.append(
            t4.filter(t4.v0 != t4.v1, t4.v0 != t4.v2, t4.v0 != t4.v3, t4.v1 != t4.v2, t4.v1 != t4.v3, t4.v2 != t4.v3)
        )
    arrow = ibis.literal(_ARROW)
    loops = []
    for k, t in enumerate(sizes, start=2):
        es = range(1, k + 1)
        vs = [t[f"v{i}"] for i in range(k)]
        if k == 2:
            label = "pair " + vs[0] + " ⇄ " + vs[1]
        else:
            label = ibis.literal("loop ")
            for v in vs:
                label = label + v + arrow
            label = label + vs[0]
        closed = ibis.greatest(*[t[f"e{i}f"] for i in es]) <= ibis.least(*[t[f"e{i}l"] for i in es])
        loops.append(
            t.select(
                "v0", "v1", "v2", "v3",
                size=ibis.literal(k),
                label=label,
                pshare=ibis.least(*[t[f"e{i}share"] for i in es]),
                sshare=ibis.least(*[t[f"e{i}sshare"] for i in es]),
                on_span=ibis.or_(*[t[f"e{i}by_span"] for i in es]),
                lo=ibis.least(*[t[f"e{i}f"] for i in es]),
                hi=ibis.greatest(*[t[f"e{i}l"] for i in es]),
                # every link's active span shares a common stretch
                closed=closed,
                # the share compared with peers (`_mutual_cover.mutual_shares`): each link's share over the
                # period or, for a loop closed at one time, while the link was active
                loop_share=ibis.least(
                    *[
                        ibis.greatest(t[f"e{i}share"], ibis.ifelse(closed & t[f"e{i}spanok"], t[f"e{i}sshare"], 0.0))
                        for i in es
                    ]
                ),
            )
        )
    lp = loops[0]
    for other in loops[1:]:
        lp = lp.union(other)
    return lp
