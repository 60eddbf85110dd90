"""The case page's two charts, drawn with Altair and rendered to SVG on the server (vl-convert).

No JavaScript and no network: the app serves the SVG as an image.

``timeline_svg``  rostered duty, overtime, absence and presence around the flagged period
                  (the period shaded).
``peer_svg``      for each signal with a peer comparison: where the person sits in their
                  peer group (percentile scale, middle half of the group shaded, median
                  marked), the person marked with their value, and the peer group named.
                  The run keeps each signal's value, peer median and percentile, not every
                  peer's value, so the chart shows position rather than a histogram.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from fairwitness.web.timeline import Timeline

LANES = ["rostered duty", "overtime", "absence", "presence"]
COLOURS = ["#3b6ea8", "#d98b1c", "#8e5ba6", "#2e8b57"]
WIDTH = 760


@lru_cache(maxsize=256)
def _render(spec: str) -> str:
    import vl_convert

    return str(vl_convert.vegalite_to_svg(json.loads(spec)))


def render(chart: Any) -> str:
    """An Altair chart as SVG text (cached by its specification)."""
    return _render(json.dumps(chart.to_dict(), sort_keys=True, default=str))


def timeline_svg(timeline: Timeline, *, title: str) -> str:
    import altair as alt
    import pandas as pd

    rows = [
        {"lane": i.lane, "start": i.start.isoformat(), "end": i.end.isoformat(), "kind": i.kind or i.lane}
        for i in timeline.items
    ]
    data = pd.DataFrame(rows, columns=["lane", "start", "end", "kind"])
    period = pd.DataFrame(
        [{"start": timeline.period_start.isoformat(), "end": timeline.period_end.isoformat(), "label": "flagged period"}]
    )
    x_scale = alt.Scale(domain=[timeline.window_start.isoformat(), timeline.window_end.isoformat()])
    y = alt.Y("lane:N", sort=LANES, scale=alt.Scale(domain=LANES), title=None)
    colour = alt.Color("lane:N", scale=alt.Scale(domain=LANES, range=COLOURS), legend=None)
    shade = alt.Chart(period).mark_rect(color="#f3d9d9", opacity=0.6).encode(
        x=alt.X("start:T", scale=x_scale, title=None), x2="end:T"
    )
    label = alt.Chart(period).mark_text(align="left", baseline="top", dx=4, dy=4, color="#a33").encode(
        x=alt.X("start:T", scale=x_scale), text="label:N", y=alt.value(0)
    )
    spans = data[data.lane != "presence"]
    ticks = data[data.lane == "presence"]
    bars = alt.Chart(spans).mark_bar(height=14).encode(
        x=alt.X("start:T", scale=x_scale, title=None), x2="end:T", y=y, color=colour,
        tooltip=["lane:N", "kind:N", "start:T", "end:T"],
    )
    marks = alt.Chart(ticks).mark_tick(thickness=1, size=14).encode(
        x=alt.X("start:T", scale=x_scale), y=y, color=colour
    )
    chart = alt.layer(shade, label, bars, marks).properties(width=WIDTH, height=150, title=title)
    empty = "" if rows else " (no rows in the lake for this window)"
    return render(chart.properties(title=title + empty))


def peer_svg(signals: list[dict[str, Any]], *, title: str) -> str:
    """``signals``: dicts with detector, value, peer_median, peer_percentile, peer_group."""
    import altair as alt
    import pandas as pd

    def row(s: dict[str, Any]) -> dict[str, Any]:
        pct = s.get("peer_percentile")
        if pct is None:
            return {"signal": s["detector"], "group": f"no peer comparison (a rule, not a peer baseline); value {s.get('value')}",
                    "percentile": None, "label": "", "median": "", "compared": False}  # fmt: skip
        return {
            "signal": s["detector"],
            "group": f"peer group: {s.get('peer_group') or 'not recorded'}",
            "percentile": float(pct),
            "label": f"this person: {s.get('value')} ({float(pct):.0f}th percentile)",
            "median": f"peer median {s.get('peer_median')}",
            "compared": True,
        }

    rows = [row(s) for s in signals]
    frame = pd.DataFrame(rows, columns=["signal", "group", "percentile", "label", "median", "compared"])
    compared = frame[frame.compared]
    x = alt.X("lo:Q", scale=alt.Scale(domain=[0, 100]), title="position in the peer group (percentile)")
    base = alt.Chart(compared)
    whole = base.mark_bar(height=18, color="#e6e6e6").encode(x=x, x2="hi:Q", y=alt.Y("signal:N", title=None)).transform_calculate(lo="0", hi="100")
    middle = base.mark_bar(height=18, color="#bcc8d8").encode(x=x, x2="hi:Q", y="signal:N").transform_calculate(lo="25", hi="75")
    median = base.mark_tick(color="#333", size=22, thickness=2).encode(x=alt.X("m:Q"), y="signal:N").transform_calculate(m="50")
    median_text = base.mark_text(dy=-16, fontSize=10, color="#333").encode(x=alt.X("m:Q"), y="signal:N", text="median:N").transform_calculate(m="50")
    person = base.mark_point(shape="diamond", size=160, filled=True, color="#c0392b").encode(
        x=alt.X("percentile:Q"), y="signal:N", tooltip=["label:N", "median:N", "group:N"]
    )
    person_text = base.mark_text(dy=18, fontSize=10, color="#c0392b").encode(
        x="at:Q", y="signal:N", text="label:N"
    ).transform_calculate(at="min(datum.percentile, 82)")
    group_text = alt.Chart(frame).mark_text(align="left", dy=32, fontSize=10, color="#555").encode(
        x=alt.value(0), y="signal:N", text="group:N"
    )
    chart = alt.layer(whole, middle, median, median_text, person, person_text, group_text).properties(
        width=WIDTH, height=alt.Step(70), title=title + ("" if rows else " (no signals)")
    )
    return render(chart)
