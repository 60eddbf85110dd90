"""Ibis expressions to SQL: the statement a run executes and keeps, and a digest that names an
expression by its structure.

Compiling is Python work every detector pays before its query runs, whatever the size of the
force (a daily run keeps its statements, `fairwitness.detectors.statements`; a first run, a new
window or new parameters compile again). Measured on the 400-person force, the catalogue's 17
builds took 17.3 s (`python -m benchmarks.build_cost`, median of three passes), longer than
their queries. Two things in that time did no work a run needs:

* a deep copy of the SQL syntax tree before printing it (the tree is the compiler's own,
  printed once);
* naming a shared part of a query after its SQL (`fairwitness.detectors.sources.cte`)
  compiled that part a second time: `digest` names it from its expression instead.

Without them the builds take 13.2 s. Nor is the expression unbound before it is compiled
(`compile_sql`). A quarter of what is left is Ibis fusing consecutive
projections into one SELECT (``ibis.options.sql.fuse_selects``); left on: without it DuckDB ran
the same catalogue at 46,000 x 12 in 146-154 s instead of 105-107 s (``lookups_without_case_ref``
31 s instead of 12 s), whatever its optimiser collapses itself. Most of the fusing's cost was
Ibis scoring each candidate by walking the whole graph below it: importing this module puts
`fairwitness.detectors.fusion`'s kept scores in its place (the same scores, so the same SQL).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from fairwitness.detectors import fusion

if TYPE_CHECKING:  # pragma: no cover
    import ibis.expr.types as ir
    from ibis.backends import BaseBackend

fusion.install()  # every compile in a process that builds detectors (they import this module)


def compile_sql(con: BaseBackend, expr: ir.Table) -> str:
    """The SQL the backend runs for ``expr``, in its own dialect, formatted for reading (the
    compiler's syntax tree printed as it is, not copied first)."""
    import ibis.backends.sql.compilers as sc

    compiler = getattr(getattr(sc, con.name, None), "compiler", None)
    if compiler is None:  # pragma: no cover - every engine fairwitness runs on compiles SQL
        return str(con.compile(expr))
    try:
        # the expression as built, not ``expr.unbind()`` as `ibis.to_sql` does: a bound table
        # prints as its unbound twin does (``visit_DatabaseTable`` and ``visit_UnboundTable`` give
        # the same name), and unbinding walked and rebuilt every node of the graph first (the
        # catalogue's builds on the 400-person force 10.2 s -> 9.4-9.5 s; the same SQL, its
        # memtables' and their digests' random names aside)
        out = compiler.to_sqlglot(expr)
        queries = out if isinstance(out, list) else [out]
        return ";\n".join(q.sql(dialect=compiler.dialect, pretty=True, copy=False) for q in queries)
    except Exception:  # noqa: BLE001 - fall back to the backend's own compiler
        return str(con.compile(expr))


_PLAIN = (str, bytes, bool, int, float, decimal.Decimal, dt.date, dt.time, dt.timedelta, type(None))


def _stable(value: Any) -> str:
    """Text for an operation's argument that is the same in every process: values, types and
    schemas by their representation, anything else (a backend, a memtable's data) by its type."""
    if isinstance(value, _PLAIN):
        return repr(value)
    if isinstance(value, (tuple, list)):
        return "(" + ",".join(_stable(v) for v in value) + ")"
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{_stable(k)}:{_stable(v)}" for k, v in value.items()) + "}"
    text = repr(value)
    return type(value).__qualname__ if " at 0x" in text else text


def digest(t: ir.Expr) -> str:
    """A hex digest of ``t``'s expression: equal for structurally equal expressions, in any
    process (operations by their class and arguments, bottom up), without compiling it."""

    def fn(node: Any, _results: Any, **kwargs: Any) -> str:
        h = hashlib.sha1(type(node).__qualname__.encode())
        h.update(_stable(kwargs).encode())
        return h.hexdigest()

    op = t.op()
    return op.map(fn)[op]


__all__ = ["compile_sql", "digest"]
