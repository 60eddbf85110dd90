"""The report's charts: Altair specifications rendered offline to PNG by vl-convert.

Each function takes `ReportContent` figures and returns PNG bytes, embedded in the HTML and the
PDF as a data URI. PNG rather than SVG: vl-convert lays text out with its own fonts, so a raster
looks the same in every browser and in WeasyPrint. Suppressed groups are never drawn.
"""

from __future__ import annotations

import base64
import math

import altair as alt
import pandas as pd

from fairwitness.transparency.content import ReportContent

WIDTH = 460


def png(chart: alt.TopLevelMixin) -> bytes:
    import vl_convert as vlc

    return bytes(vlc.vegalite_to_png(chart.to_json(), scale=2))


def data_uri(image: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(image).decode("ascii")


def routes_chart(content: ReportContent) -> bytes:
    """People by recommended route in the run."""
    df = pd.DataFrame([{"route": r.replace("_", " "), "people": n} for r, n in content.by_route.items()])
    chart = (
        alt.Chart(df, title="People by recommended route")
        .mark_bar(color="#4c72b0")
        .encode(x=alt.X("people:Q", title="people"), y=alt.Y("route:N", sort=None, title=None),
                tooltip=["route", "people"])  # fmt: skip
        .properties(width=WIDTH, height=150)
    )
    text = chart.mark_text(align="left", dx=3).encode(text="people:Q")
    return png(chart + text)


def fpr_ratio_chart(content: ReportContent) -> bytes:
    """False positive rate ratio per group against its reference, with the band and 95% intervals."""
    rows = []
    for g in content.groups:
        if g.suppressed or g.reference or g.fpr_ratio is None or not math.isfinite(g.fpr_ratio):
            continue
        lo, hi = g.fpr_ci if g.fpr_ci else (g.fpr_ratio, g.fpr_ratio)
        cap = 4.0
        rows.append({"group": f"{g.label}: {g.group}", "ratio": min(g.fpr_ratio, cap), "low": min(lo, cap),
                     "high": min(hi if math.isfinite(hi) else cap, cap), "judgement": g.judgement or ""})  # fmt: skip
    if not rows:
        rows = [{"group": "no group with errors to compare", "ratio": 1.0, "low": 1.0, "high": 1.0, "judgement": ""}]
    df = pd.DataFrame(rows)
    low, high = content.band
    base = alt.Chart(df, title="False positive rate ratio against the reference group (capped at 4)")
    band = alt.Chart(pd.DataFrame([{"low": low, "high": high}])).mark_rect(opacity=0.15, color="green").encode(
        x="low:Q", x2="high:Q"
    )
    rules = base.mark_rule(color="#555").encode(y=alt.Y("group:N", sort=None, title=None), x=alt.X("low:Q", title="ratio"), x2="high:Q")
    points = base.mark_point(filled=True, size=60).encode(
        y=alt.Y("group:N", sort=None),
        x="ratio:Q",
        color=alt.Color("judgement:N", scale=alt.Scale(domain=["within", "uncertain", "outside", "too_few", "no_errors"],
                        range=["#2a9d8f", "#e9c46a", "#d62828", "#999999", "#bbbbbb"]), title="judgement"),  # fmt: skip
    )
    one = alt.Chart(pd.DataFrame([{"x": 1.0}])).mark_rule(strokeDash=[4, 4]).encode(x="x:Q")
    return png((band + rules + points + one).properties(width=WIDTH, height=max(100, 12 * len(df))))


def flag_rate_chart(content: ReportContent) -> bytes:
    """Share of each group flagged on an adverse route."""
    df = pd.DataFrame(
        [{"group": f"{g.label}: {g.group}", "rate": g.flag_rate} for g in content.groups if not g.suppressed and g.flag_rate is not None]
    )
    chart = (
        alt.Chart(df, title="Share of each group flagged on an adverse route")
        .mark_bar(color="#8172b2")
        .encode(x=alt.X("rate:Q", title="flag rate", axis=alt.Axis(format="%")), y=alt.Y("group:N", sort=None, title=None))
        .properties(width=WIDTH, height=max(100, 12 * len(df)))
    )
    return png(chart)
