"""The right to respond: the subject's response, its attachments, the disclosure pack.

A response (text and any attachments) is recorded on the subject's behalf and
appears in the case view every reviewer reads. Attachments are stored in the
store with their SHA-256. The disclosure pack, for the subject, is a zip with
the case as JSON and readable HTML (signals, explanations, evidence, decisions
and rationale, their own responses) and the attachments; it shows the subject
their own staff number and other people only as pseudonyms. Working notes are
not in the pack (they are in a subject access export).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import zipfile
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from fairwitness.governance import audit, outputs
from fairwitness.governance.access import require
from fairwitness.governance.cases import governed_case
from fairwitness.governance.errors import InvalidInput, NotFound
from fairwitness.governance.models import Attachment, Response, User
from fairwitness.governance.reports import render_html, to_json
from fairwitness.governance import views
from fairwitness.governance.views import ResponseView, case_view, response_view

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def _attachment(name: str, content: bytes) -> Attachment:
    filename = Path(name).name
    if not filename:
        raise InvalidInput("an attachment needs a file name")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(f"{filename}: attachments are limited to {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MiB")
    media_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    digest = hashlib.sha256(content).hexdigest()
    return Attachment(filename=filename, media_type=media_type, size=len(content), sha256=digest, content=content)


def record_response(
    *,
    session: Session,
    actor: User,
    case_id: int,
    text: str,
    attachments: Sequence[tuple[str, bytes]] = (),
    received_at: dt.datetime | None = None,
) -> ResponseView:
    """Record the subject's response to a case, with attachments as ``(file name, content)`` pairs."""
    user = require(session=session, actor=actor, action="case.respond")
    case = governed_case(session=session, user=user, case_id=case_id)
    if not (text or "").strip() and not attachments:
        raise InvalidInput("a response needs text or at least one attachment")
    now = audit.now()
    response = Response(
        case_id=case.id,
        text=(text or "").strip(),
        received_at=received_at or now,
        recorded_by=user,
        created_at=now,
        attachments=[_attachment(name, content) for name, content in attachments],
    )
    session.add(response)
    session.flush()
    audit.record(
        session=session,
        actor=user,
        action="case.respond",
        object_type="case",
        object_id=case.id,
        subject=case.pseudonym,
        detail={"response": response.id, "attachments": [a.sha256 for a in response.attachments]},
    )
    return response_view(response)


def read_attachment(*, session: Session, actor: User, attachment_id: int) -> tuple[str, bytes]:
    """An attachment's file name and content (a read of personal data: audited)."""
    user = require(session=session, actor=actor, action="case.view")
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound(f"no attachment {attachment_id}")
    response = session.get(Response, attachment.response_id)
    assert response is not None
    case = governed_case(session=session, user=user, case_id=response.case_id)
    audit.record(
        session=session,
        actor=user,
        action="case.attachment.read",
        object_type="attachment",
        object_id=attachment.id,
        subject=case.pseudonym,
        detail={"case": case.id, "sha256": attachment.sha256},
    )
    return attachment.filename, attachment.content


def export_disclosure_pack(
    *, session: Session, actor: User, case_id: int, out: str | Path, force: bool = False
) -> Path:
    """Write the subject's disclosure pack for a case as a zip; returns its path.

    Never over an existing file unless ``force``, never into a workspace or over the store (`outputs.check`).
    """
    user = require(session=session, actor=actor, action="case.disclose")
    case = governed_case(session=session, user=user, case_id=case_id)
    out = outputs.check(out, force=force, protected=outputs.store_files(str(session.get_bind().engine.url)))
    view = case_view(session=session, case=case, reveal_until=audit.now()).model_dump(
        mode="json", exclude={"notes", "reidentified_until"}
    )
    pack = {
        "title": f"Disclosure pack: case {case.id}",
        "generated_at": audit.now().isoformat(),
        "generated_by": user.username,
        "case": view,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("disclosure.json", to_json(pack))
        zf.writestr("disclosure.html", render_html(template="disclosure.html", context=pack))
        for response in case.responses:
            for a in response.attachments:
                zf.writestr(f"attachments/{a.id}-{views.masker(session=session, keep=case.staff_id).text(a.filename)}", a.content)
    audit.record(
        session=session,
        actor=user,
        action="case.disclose",
        object_type="case",
        object_id=case.id,
        subject=case.pseudonym,
        detail={"file": out.name, "responses": len(case.responses)},
    )
    return out
