"""What a case looks like to a reader: pseudonymised, without protected characteristics.

A case view shows the subject's pseudonym; the staff number appears only while
the reader holds an unexpired re-identification of that case. Every other
person is a pseudonym by construction: evidence keyed by ``staff_id`` or
``*_staff_id`` is swapped for pseudonyms, and every free-text string rendered
(explanations, evidence details such as "pair A ⇄ B", evidence keys, notes,
rationales, responses) goes through `Masker`, which replaces any staff id of the
store's workforce (and of the case's subject) with its pseudonym. Protected characteristics (and the linkage-only name and
date of birth) are removed from evidence on import and again here, so they can
never reach a case view, a disclosure pack or a subject access export.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from fairwitness.contract.tables import BY_NAME
from fairwitness.governance import pseudonyms
from fairwitness.governance.models import Case, Decision, Response

_EQUALITY_ACT_TOKENS = frozenset(
    {
        "age", "birth", "dob", "disability", "disabled", "gender", "transgender", "reassignment", "marriage",
        "marital", "pregnancy", "pregnant", "maternity", "race", "racial", "ethnic", "ethnicity", "religion",
        "religious", "belief", "sex", "sexual", "orientation",
    }
)  # fmt: skip
_NEVER_SHOWN = frozenset({"display_name", "date_of_birth"})


@lru_cache(maxsize=1)
def protected_columns() -> frozenset[str]:
    """Columns of the contract's ``people_protected`` table (except the key)."""
    return frozenset(c.name for c in BY_NAME["people_protected"].columns if c.name != "staff_id")


def is_protected(key: str) -> bool:
    """Whether an evidence key names a protected characteristic (or linkage-only data)."""
    k = key.strip().lower()
    if k in _NEVER_SHOWN or k in protected_columns():
        return True
    return any(token in _EQUALITY_ACT_TOKENS for token in re.split(r"[^a-z0-9]+", k))


def redact_protected(value: Any) -> Any:
    """``value`` with every protected key removed, at any depth."""
    if isinstance(value, dict):
        return {k: redact_protected(v) for k, v in value.items() if not is_protected(str(k))}
    if isinstance(value, list | tuple):
        return [redact_protected(v) for v in value]
    return value


def _is_staff_key(key: str) -> bool:
    k = key.lower()
    return k in {"staff_id", "staff_ids"} or k.endswith(("_staff_id", "_staff_ids"))


def pseudonymise_evidence(value: Any, *, session: Session, keep: str | None = None) -> Any:
    """Evidence with staff numbers replaced by pseudonyms (except ``keep``, a revealed subject)."""

    def swap(v: Any) -> Any:
        if isinstance(v, str) and v != keep:
            return pseudonyms.pseudonym(session=session, staff_id=v)
        if isinstance(v, list):
            return [swap(x) for x in v]
        return v

    if isinstance(value, dict):
        return {
            k: swap(v) if _is_staff_key(str(k)) else pseudonymise_evidence(v, session=session, keep=keep)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [pseudonymise_evidence(v, session=session, keep=keep) for v in value]
    return value


_RUN = re.compile(r"[^\W_]+(?:[-_][^\W_]+)*")
_SEP = re.compile(r"([-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\n]")


def printable(text: str) -> str:
    """``text`` safe for a terminal: control characters, line breaks and bidi overrides shown as escapes."""
    return _CONTROL.sub(lambda m: "\\n" if m.group(0) == "\n" else f"\\u{ord(m.group(0)):04x}", text)


class Masker:
    """Replaces every known staff id in free text with its pseudonym (except ``keep``, a revealed subject).

    Text is cut into runs of letters and digits joined by ``-`` or ``_``; within a
    run the longest sequence of pieces that is a staff id is replaced, so
    ``1598133``, ``pair P-X ⇄ 1598133``, ``1598133-1598134`` and composite keys
    ``P2|2025-01-06`` are all masked, whatever the id format.
    """

    def __init__(self, *, session: Session, staff_ids: frozenset[str] | set[str], keep: str | None = None) -> None:
        self.session = session
        self.ids = frozenset(staff_ids)
        self.keep = keep

    def _sub(self, staff_id: str) -> str:
        return staff_id if staff_id == self.keep else pseudonyms.pseudonym(session=self.session, staff_id=staff_id)

    def _run(self, m: re.Match[str]) -> str:
        run = m.group(0)
        if run in self.ids:
            return self._sub(run)
        parts = _SEP.split(run)
        pieces, seps = parts[0::2], parts[1::2]
        out: list[str] = []
        i = 0
        while i < len(pieces):
            for j in range(len(pieces) - 1, i - 1, -1):
                candidate = "".join(p + (seps[k] if k < j else "") for k, p in enumerate(pieces[i : j + 1], start=i))
                if candidate in self.ids:
                    out.append(self._sub(candidate))
                    i = j + 1
                    break
            else:
                out.append(pieces[i])
                i += 1
            if i < len(pieces):
                out.append(seps[i - 1])
        return "".join(out)

    def text(self, value: str) -> str:
        return _RUN.sub(self._run, value) if self.ids else value

    def __call__(self, value: Any) -> Any:
        """``value`` with every string (and dict key) masked, at any depth."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(str(k)): self(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self(v) for v in value]
        return value


def masker(*, session: Session, keep: str | None = None, also: tuple[str, ...] = ()) -> Masker:
    """A `Masker` over the store's workforce plus ``also`` (e.g. the case's subject)."""
    from fairwitness.governance import workforce

    known = workforce.staff_ids(session)
    extra = frozenset(also) - known
    return Masker(session=session, staff_ids=known | extra if extra else known, keep=keep)  # no copy of the workforce


def mask_text(text: str, *, staff_id: str, pseudonym: str) -> str:
    """``text`` with the subject's staff number replaced by their pseudonym."""
    return re.sub(rf"(?<![\w-]){re.escape(staff_id)}(?![\w-])", pseudonym, text)


def mask_strings(value: Any, *, staff_id: str, pseudonym: str) -> Any:
    """``value`` with the subject's staff number masked in every string, at any depth (keys included)."""
    if isinstance(value, str):
        return mask_text(value, staff_id=staff_id, pseudonym=pseudonym)
    if isinstance(value, dict):
        return {
            mask_text(str(k), staff_id=staff_id, pseudonym=pseudonym): mask_strings(
                v, staff_id=staff_id, pseudonym=pseudonym
            )
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [mask_strings(v, staff_id=staff_id, pseudonym=pseudonym) for v in value]
    return value


class SignalView(BaseModel):
    signal_id: str
    detector: str
    detector_version: str
    route: str
    score: float
    severity: str
    explanation: str
    evidence: dict[str, Any]


class NoteView(BaseModel):
    id: int
    author: str
    text: str
    created_at: dt.datetime


class DecisionView(BaseModel):
    id: int
    reviewer: str
    outcome: str
    rationale: str
    status: str
    requires_concurrence: bool
    created_at: dt.datetime
    concurred_by: str | None
    concurred_at: dt.datetime | None
    concurrence_rationale: str | None
    signal_outcomes: dict[str, str]


class AttachmentView(BaseModel):
    id: int
    filename: str
    media_type: str
    size: int
    sha256: str


class ResponseView(BaseModel):
    id: int
    text: str
    received_at: dt.datetime
    recorded_by: str
    attachments: list[AttachmentView]


class CaseSummary(BaseModel):
    id: int
    pseudonym: str
    run_id: str
    period_start: dt.date
    period_end: dt.date
    route: str
    score: float
    detectors: list[str]
    state: str
    assignee: str | None
    version: int


class CaseView(CaseSummary):
    staff_id: str | None
    """Only while the reader holds an unexpired re-identification; else ``None``."""
    reidentified_until: dt.datetime | None
    candidate_id: str
    explanation: str
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None
    signals: list[SignalView]
    notes: list[NoteView]
    decisions: list[DecisionView]
    responses: list[ResponseView]


def summary(case: Case) -> CaseSummary:
    return CaseSummary(
        id=case.id,
        pseudonym=case.pseudonym,
        run_id=case.run_id,
        period_start=case.period_start,
        period_end=case.period_end,
        route=case.route,
        score=case.score,
        detectors=list(case.detectors),
        state=case.state,
        assignee=case.assignee.username if case.assignee else None,
        version=case.version,
    )


def decision_view(decision: Decision) -> DecisionView:
    return DecisionView(
        id=decision.id,
        reviewer=decision.reviewer.username,
        outcome=decision.outcome,
        rationale=decision.rationale,
        status=decision.status,
        requires_concurrence=decision.requires_concurrence,
        created_at=decision.created_at,
        concurred_by=decision.concurred_by.username if decision.concurred_by else None,
        concurred_at=decision.concurred_at,
        concurrence_rationale=decision.concurrence_rationale,
        signal_outcomes={o.signal.signal_id: o.outcome for o in decision.signal_outcomes},
    )


def response_view(response: Response) -> ResponseView:
    return ResponseView(
        id=response.id,
        text=response.text,
        received_at=response.received_at,
        recorded_by=response.recorded_by.username,
        attachments=[
            AttachmentView(id=a.id, filename=a.filename, media_type=a.media_type, size=a.size, sha256=a.sha256)
            for a in response.attachments
        ],
    )


def case_view(
    *, session: Session, case: Case, reveal_until: dt.datetime | None, keep: str | None = None
) -> CaseView:
    """The full view of ``case``: every person a pseudonym, except the subject while ``reveal_until`` is set.

    ``keep`` reveals one other staff id instead (a subject access export shows the requester their own).
    """
    revealed = reveal_until is not None
    shown = case.staff_id if revealed else keep
    mask = masker(session=session, keep=shown, also=(case.staff_id,))
    signals = [
        SignalView(
            signal_id=s.signal_id,
            detector=s.detector,
            detector_version=s.detector_version,
            route=s.route,
            score=s.score,
            severity=s.severity,
            explanation=mask.text(s.explanation),
            evidence=mask(pseudonymise_evidence(redact_protected(s.evidence), session=session, keep=shown)),
        )
        for s in case.signals
    ]
    decisions = []
    for d in case.decisions:
        view = decision_view(d)
        view.rationale = mask.text(view.rationale)
        view.concurrence_rationale = mask.text(view.concurrence_rationale) if view.concurrence_rationale else None
        decisions.append(view)
    responses = []
    for r in case.responses:
        rv = response_view(r)
        rv.text = mask.text(rv.text)
        for a in rv.attachments:
            a.filename = mask.text(a.filename)
        responses.append(rv)
    return CaseView(
        **summary(case).model_dump(),
        staff_id=case.staff_id if revealed else None,
        reidentified_until=reveal_until,
        candidate_id=mask.text(case.candidate_id),
        explanation=mask.text(case.explanation),
        created_at=case.created_at,
        updated_at=case.updated_at,
        closed_at=case.closed_at,
        signals=signals,
        notes=[
            NoteView(id=n.id, author=n.author.username, text=mask.text(n.text), created_at=n.created_at)
            for n in case.notes
        ],
        decisions=decisions,
        responses=responses,
    )
