"""Rendering the transparency report: HTML with Jinja2, PDF with WeasyPrint.

`render_html` fills ``templates/report.html`` with a `ReportContent` and its charts (SVG data
URIs, so the HTML is one self-contained file); `write` writes ``transparency-report.html`` or
``.pdf`` into a folder and never overwrites an existing file unless ``force``.
"""

from __future__ import annotations

import os
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from fairwitness.transparency import charts
from fairwitness.transparency.content import ReportContent

FORMATS = ("html", "pdf")
BASENAME = "transparency-report"


class ReportExists(FileExistsError):
    """The output file exists and ``force`` was not given."""


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.1%}"


def _ratio(v: float | None) -> str:
    if v is None:
        return "—"
    return "∞" if v == float("inf") else f"{v:.2f}"


def render_html(content: ReportContent) -> str:
    env = Environment(loader=PackageLoader("fairwitness.transparency", "templates"), autoescape=select_autoescape(["html"]))
    figures = {
        "routes": charts.data_uri(charts.routes_chart(content)),
        "fpr": charts.data_uri(charts.fpr_ratio_chart(content)),
        "flags": charts.data_uri(charts.flag_rate_chart(content)),
    }
    return env.get_template("report.html").render(c=content, charts=figures, pct=_pct, ratio=_ratio)


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def write(content: ReportContent, out_dir: str | Path, *, fmt: str = "html", force: bool = False) -> Path:
    """Write the report into ``out_dir``; `ReportExists` rather than overwrite (unless ``force``)."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    path = out / f"{BASENAME}.{fmt}"
    if path.exists() and not force:
        raise ReportExists(f"{path} exists: give --force to overwrite it")
    out.mkdir(parents=True, exist_ok=True)
    html = render_html(content)
    data = html.encode("utf-8") if fmt == "html" else render_pdf(html)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    if force:
        tmp.replace(path)
        return path
    try:
        os.link(tmp, path)  # fails if the file appeared meanwhile: never overwrite
    except FileExistsError:
        raise ReportExists(f"{path} exists: give --force to overwrite it") from None
    finally:
        tmp.unlink(missing_ok=True)
    return path
