"""Rendering governance documents: JSON for machines, HTML (Jinja2) for people.

Used by the subject access export, the disclosure pack and the purpose
register. Templates live in ``templates/`` and are autoescaped.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel

TEMPLATES = Path(__file__).parent / "templates"


def _default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(data: Any) -> str:
    """Readable, stable JSON (indented, UTF-8, ISO dates)."""
    return json.dumps(data, default=_default, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _when(value: str | None) -> str:
    if not value:
        return ""
    try:
        return dt.datetime.fromisoformat(value).strftime("%d %b %Y %H:%M UTC")
    except ValueError:
        return value


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["pretty"] = lambda v: json.dumps(v, indent=2, ensure_ascii=False, sort_keys=True)
    return env


def render_html(*, template: str, context: dict[str, Any]) -> str:
    return environment().get_template(template).render(**context)


def json_and_html_paths(out: str | Path) -> tuple[Path, Path]:
    """``out`` as a pair of files: ``X.json`` and ``X.html`` (whatever suffix ``out`` had)."""
    out = Path(out)
    base = out.with_suffix("") if out.suffix.lower() in {".json", ".html", ".htm"} else out
    return base.with_name(base.name + ".json"), base.with_name(base.name + ".html")


def write_json_and_html(*, out: str | Path, data: dict[str, Any], template: str) -> tuple[Path, Path]:
    """Write ``data`` as JSON and through ``template`` as HTML; returns both paths."""
    json_path, html_path = json_and_html_paths(out)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    text = to_json(data)
    json_path.write_text(text, encoding="utf-8")
    html_path.write_text(render_html(template=template, context=json.loads(text)), encoding="utf-8")
    return json_path, html_path
