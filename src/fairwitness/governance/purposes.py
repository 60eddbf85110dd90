"""The purpose register, exported for a data protection impact assessment.

The register itself is `fairwitness.contract.purposes` (each source's lawful
basis, permitted purposes, retention and column restrictions; detectors are
checked against it when loaded). This module writes it as JSON and as Markdown,
together with the roles and permission matrix and the governance retention
rule, and records the export.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from fairwitness.contract.purposes import PURPOSES, register_as_records
from fairwitness.governance import audit
from fairwitness.governance.access import require
from fairwitness.governance.models import User
from fairwitness.governance.reports import to_json
from fairwitness.governance.retention import DEFAULT_MONTHS, PURGEABLE_OUTCOMES
from fairwitness.governance.roles import ROLE_DOC, ROLES, matrix


def document() -> dict[str, Any]:
    """The register, purposes, roles and governance retention as one plain document."""
    return {
        "title": "fairwitness purpose register",
        "purposes": PURPOSES,
        "sources": register_as_records(),
        "roles": ROLE_DOC,
        "permissions": matrix(),
        "case_retention": {
            "months": DEFAULT_MONTHS,
            "applies_to": sorted(PURGEABLE_OUTCOMES),
            "note": "closed cases with these outcomes are purged after the period; the audit event remains",
        },
    }


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(doc: dict[str, Any]) -> str:
    """The document as Markdown tables."""
    lines = [f"# {doc['title']}", "", "## Purposes", "", "| purpose | description |", "|---|---|"]
    lines += [f"| `{k}` | {_cell(v)} |" for k, v in doc["purposes"].items()]
    lines += ["", "## Sources", "", "| table | lawful basis | purposes | retention (months) | restrictions |"]
    lines += ["|---|---|---|---|---|"]
    for s in doc["sources"]:
        restrictions = "; ".join(
            f"`{r['column']}`: {', '.join(r['purposes'])} ({r['note']})" for r in s["restrictions"]
        )
        cells = [f"`{s['table']}`", _cell(s["lawful_basis"]), ", ".join(s["purposes"])]
        cells += [str(s["retention_months"]), _cell(restrictions) or "—"]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "## Roles", "", "| role | duties |", "|---|---|"]
    lines += [f"| `{k}` | {_cell(v)} |" for k, v in doc["roles"].items()]
    lines += ["", "## Permissions", "", "| action | " + " | ".join(ROLES) + " |", "|---" * (len(ROLES) + 1) + "|"]
    for row in doc["permissions"]:
        lines.append(f"| `{row['action']}` | " + " | ".join("✔" if row[r] else "" for r in ROLES) + " |")
    r = doc["case_retention"]
    rule = f"Cases closed as {' or '.join(r['applies_to'])}: {r['months']} months; {r['note']}."
    lines += ["", "## Case retention", "", rule, ""]
    return "\n".join(lines)


def export_register(*, session: Session, actor: User, out_dir: str | Path) -> list[Path]:
    """Write ``purpose_register.json`` and ``purpose_register.md`` into ``out_dir``."""
    user = require(session=session, actor=actor, action="purposes.export")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    doc = document()
    json_path, md_path = out / "purpose_register.json", out / "purpose_register.md"
    json_path.write_text(to_json(doc), encoding="utf-8")
    md_path.write_text(markdown(doc), encoding="utf-8")
    detail = {"sources": len(doc["sources"])}
    audit.record(session=session, actor=user, action="purposes.export", object_type="purpose_register", detail=detail)
    return [json_path, md_path]
