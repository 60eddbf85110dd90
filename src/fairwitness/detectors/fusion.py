"""The score Ibis's select fusion decides by, computed once per expression node.

Ibis fuses consecutive projections into one SELECT (``ibis.options.sql.fuse_selects``, kept on:
`fairwitness.detectors.compiler`). For every candidate pair it compares the *complexity* of the
fused query with the unfused one (``ibis.backends.sql.rewrites.complexity``): 1 for a column
reference, the largest integer for an impure function, otherwise 1 plus the scores of the node's
children. Ibis computes the score by walking the whole expression graph below the query, every
relation under it included, twice per candidate: compiling a detector walked its graph a
thousand times over, and the catalogue's compile spent about a fifth of its time there.

`complexity` gives the same score by the same definition, but keeps each node's score while the
node exists (a weak mapping: a node nothing holds any more is forgotten with its score), so a
walk stops at the nodes already scored. `install` puts it in Ibis's place, for the Ibis version
it was checked against only (`CHECKED_IBIS`); any other version keeps Ibis's own, which gives
the same SQL more slowly. Expression nodes are immutable, so a kept score cannot go stale.

Measured with ``python -m benchmarks.build_cost`` (the catalogue built and compiled over the
400-person force): see the README's round 28.
"""

from __future__ import annotations

import sys
import weakref
from typing import Any

CHECKED_IBIS = "12.0.0"
"""The Ibis release whose ``complexity`` this one reproduces (the project pins it)."""

_SCORES: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
_REPLACED: dict[str, Any] = {}
"""What `install` replaced in Ibis (``complexity``: Ibis's own function)."""


def complexity(node: Any) -> int:
    """Ibis's complexity score of ``node`` (see the module doc), from the kept scores where it can.

    The scores this call uses are held in a local mapping while it runs: a kept score may be
    forgotten at any moment (its node, equal to one of ours, collected; another thread's compile
    dropping its graph), and the sum must not reach for one that went."""
    import ibis.expr.operations as ops

    kept = _SCORES
    used: dict[Any, int] = {}

    def known(n: Any) -> int | None:
        score = used.get(n)
        if score is None and (score := kept.get(n)) is not None:
            used[n] = score
        return score

    if (score := known(node)) is not None:
        return score
    stack: list[tuple[Any, bool]] = [(node, False)]
    while stack:
        n, children_scored = stack.pop()
        if known(n) is not None:
            continue
        if isinstance(n, ops.Field):
            used[n] = 1
        elif isinstance(n, ops.Impure):
            used[n] = sys.maxsize
        elif children_scored:
            used[n] = 1 + sum(used[c] for c in n.__children__)
        else:
            stack.append((n, True))
            stack.extend((c, False) for c in n.__children__ if known(c) is None)
            continue
        kept[n] = used[n]
    return used[node]


def ibis_complexity() -> Any:
    """Ibis's own ``complexity`` (the one `install` replaces)."""
    from ibis.backends.sql import rewrites

    return _REPLACED.get("complexity", rewrites.complexity)


def install() -> bool:
    """Use `complexity` in Ibis's select fusion when Ibis is the checked release; True if it is."""
    import ibis
    from ibis.backends.sql import rewrites

    if ibis.__version__ != CHECKED_IBIS:
        return False
    if rewrites.complexity is not complexity:
        _REPLACED.setdefault("complexity", rewrites.complexity)
        rewrites.complexity = complexity
    return True


__all__ = ["CHECKED_IBIS", "complexity", "ibis_complexity", "install"]
