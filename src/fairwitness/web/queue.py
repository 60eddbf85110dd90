"""The triage queue: the cases a viewer may see, filtered, sorted, paged and counted.

The library's `fairwitness.governance.cases.list_cases` returns every case at once; a
queue of 100,000 needs paging and more filters in SQL, so this module pages, but it
keeps the library's rules: the permission is checked with `require("case.list")`, the
cases the library withholds from the viewer (`conflicts.conflicted_staff`: their own and
their line-management chain's, from the store's workforce; refused when the workforce
cannot be checked) are left out in SQL, and the listing is audited as ``case.list``.

At 100,000 signals every query must avoid reading every case row: the counts by route and
status are all cases' (a covering index) less the withheld staff's (the staff_id index), in
one statement; the total of a page is read off those counts unless a detector, unit or
assignee filters; and a page's case ids are chosen from the narrow sort indexes, the withheld
cases left out by id, before the page's rows are read (`_page`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select, union_all
from sqlalchemy.orm import Session, aliased

from fairwitness.governance import audit, conflicts
from fairwitness.governance.access import require
from fairwitness.governance.cases import STATES
from fairwitness.governance.errors import InvalidInput
from fairwitness.governance.models import Case, Signal, User
from fairwitness.routes import ROUTES

Sort = Literal["score", "oldest", "newest"]


class QueueFilters(BaseModel):
    """What the queue shows (every field is optional; nothing about a person goes in a URL)."""

    route: str | None = Field(default=None, max_length=40)
    detector: str | None = Field(default=None, max_length=128)
    unit: str | None = Field(default=None, max_length=64)
    status: str | None = Field(default=None, max_length=20)
    assignee: str | None = Field(default=None, max_length=12, description="An account id, 'none' or 'me'.")
    sort: Sort = "score"
    page: int = Field(default=1, ge=1, le=1_000_000)

    def active(self) -> dict[str, str]:
        keys = ("route", "detector", "unit", "status", "assignee")
        return {k: str(v) for k in keys if (v := getattr(self, k)) not in (None, "")}


class QueueRow(BaseModel):
    id: int
    pseudonym: str
    route: str
    score: float
    state: str
    detectors: list[str]
    assignee: str | None
    period_start: dt.date
    period_end: dt.date
    created_at: dt.datetime


class QueuePage(BaseModel):
    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    page_size: int
    by_route: dict[str, int]
    by_status: dict[str, int]
    filters: QueueFilters


def _filtered(query: Select, f: QueueFilters, *, viewer: User, unit_of: Mapping[str, str]) -> Select:
    if f.route:
        if f.route not in ROUTES:
            raise InvalidInput(f"unknown route {f.route!r}; expected one of {', '.join(ROUTES)}")
        query = query.where(Case.route == f.route)
    if f.status:
        if f.status not in STATES:
            raise InvalidInput(f"unknown status {f.status!r}; expected one of {', '.join(STATES)}")
        query = query.where(Case.state == f.status)
    if f.detector:
        query = query.where(Case.id.in_(select(Signal.case_id).where(Signal.detector == f.detector)))
    if f.unit:
        query = query.where(Case.staff_id.in_(sorted(s for s, u in unit_of.items() if u == f.unit)))
    if f.assignee == "none":
        query = query.where(Case.assignee_id.is_(None))
    elif f.assignee == "me":
        query = query.where(Case.assignee_id == viewer.id)
    elif f.assignee:
        if not f.assignee.isdigit():
            raise InvalidInput("assignee is an account id, 'none' or 'me'")
        query = query.where(Case.assignee_id == int(f.assignee))
    return query


ORDER = {
    "score": (Case.score.desc(), Case.id.desc()),
    "oldest": (Case.created_at.asc(), Case.id.asc()),
    "newest": (Case.created_at.desc(), Case.id.desc()),
}


def _counts(session: Session, excluded: frozenset[str]) -> dict[tuple[str, str], int]:
    """Visible cases by (route, state): every case (read from the covering (route, state) index) less the
    viewer's excluded staff's cases (found by the staff_id index). One statement, so one snapshot: exactly the
    ``staff_id NOT IN (...)`` count, without reading every row."""
    grouped = select(Case.route, Case.state, func.count().label("n")).group_by(Case.route, Case.state)
    query = grouped
    if excluded:
        withheld = select(Case.route, Case.state, (-func.count()).label("n")).where(Case.staff_id.in_(sorted(excluded)))
        query = union_all(grouped, withheld.group_by(Case.route, Case.state))
    counts: dict[tuple[str, str], int] = {}
    for route, state, n in session.execute(query):
        counts[(route, state)] = counts.get((route, state), 0) + n
    return counts


def _from_counts(filters: QueueFilters, counts: Mapping[tuple[str, str], int]) -> int | None:
    """How many visible cases match ``filters``, read off ``counts`` when only route and status filter; else None."""
    if not set(filters.active()) <= {"route", "status"}:
        return None
    return sum(
        n for (route, state), n in counts.items()
        if filters.route in (None, "", route) and filters.status in (None, "", state)
    )  # fmt: skip


def _count(
    session: Session, filters: QueueFilters, excluded: frozenset[str], *, viewer: User, unit_of: Mapping[str, str]
) -> int:
    """How many visible cases match ``filters``: all matching cases less the viewer's excluded staff's, in one
    statement."""
    matching = _filtered(select(func.count().label("n")).select_from(Case), filters, viewer=viewer, unit_of=unit_of)
    query = matching
    if excluded:
        withheld = _filtered(select((-func.count()).label("n")).select_from(Case), filters, viewer=viewer, unit_of=unit_of)
        query = union_all(matching, withheld.where(Case.staff_id.in_(sorted(excluded))))
    return sum(n for (n,) in session.execute(query))


def _page(
    filters: QueueFilters, excluded: frozenset[str], *, viewer: User, unit_of: Mapping[str, str], page_size: int
) -> Select:
    """The page's rows, in one statement: first the page's case ids, chosen from the narrow sort indexes (the
    viewer's excluded staff's cases left out by id, so no case row is read to choose), then those cases' columns."""
    withheld = aliased(Case)
    ids = _filtered(select(Case.id), filters, viewer=viewer, unit_of=unit_of)
    if excluded:
        ids = ids.where(Case.id.not_in(select(withheld.id).where(withheld.staff_id.in_(sorted(excluded)))))
    chosen = ids.order_by(*ORDER[filters.sort]).limit(page_size).offset((filters.page - 1) * page_size).subquery()
    assignee = aliased(User)
    cols = (Case.id, Case.pseudonym, Case.route, Case.score, Case.state, Case.detectors, assignee.username,
            Case.period_start, Case.period_end, Case.created_at)  # fmt: skip
    query = select(*cols).join(chosen, chosen.c.id == Case.id).outerjoin(assignee, assignee.id == Case.assignee_id)
    return query.order_by(*ORDER[filters.sort])


def queue_page(
    *,
    session: Session,
    actor: User,
    filters: QueueFilters,
    unit_of: Mapping[str, str],
    page_size: int,
) -> QueuePage:
    """One page of the queue, with counts by route and status over every case the viewer may see."""
    user = require(session=session, actor=actor, action="case.list")
    excluded = conflicts.conflicted_staff(session=session, user=user)
    counts = _counts(session, excluded)
    by_route: dict[str, int] = {}
    by_status: dict[str, int] = {}
    for (route, state), n in counts.items():
        by_route[route] = by_route.get(route, 0) + n
        by_status[state] = by_status.get(state, 0) + n
    total = _from_counts(filters, counts)
    if total is None:
        total = _count(session, filters, excluded, viewer=user, unit_of=unit_of)
    pages = max(1, math.ceil(total / page_size))
    rows = [
        QueueRow(id=r[0], pseudonym=r[1], route=r[2], score=r[3], state=r[4], detectors=list(r[5]), assignee=r[6],
                 period_start=r[7], period_end=r[8], created_at=r[9])  # fmt: skip
        for r in session.execute(_page(filters, excluded, viewer=user, unit_of=unit_of, page_size=page_size))
    ]
    detail = {"filters": filters.active(), "sort": filters.sort, "page": filters.page, "count": total}
    audit.record(session=session, actor=user, action="case.list", object_type="case", detail=detail)
    return QueuePage(
        rows=rows,
        total=total,
        page=filters.page,
        pages=pages,
        page_size=page_size,
        by_route={r: by_route.get(r, 0) for r in ROUTES},
        by_status={s: by_status.get(s, 0) for s in STATES},
        filters=filters,
    )
