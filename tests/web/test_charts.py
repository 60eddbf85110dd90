"""The charts are SVG drawn on the server, naming what they show."""

from __future__ import annotations

import datetime as dt

from fairwitness.web.charts import peer_svg, timeline_svg
from fairwitness.web.timeline import Timeline, TimelineItem


def test_timeline_marks_the_period_and_every_lane():
    t = dt.datetime(2025, 1, 6, 7)
    items = [
        TimelineItem(lane="rostered duty", start=t, end=t + dt.timedelta(hours=10), kind="normal"),
        TimelineItem(lane="overtime", start=t + dt.timedelta(hours=10), end=t + dt.timedelta(hours=12), kind="approved"),
        TimelineItem(lane="absence", start=t + dt.timedelta(days=3), end=t + dt.timedelta(days=5), kind="sickness"),
        TimelineItem(lane="presence", start=t, end=t, kind="in"),
    ]
    tl = Timeline(window_start=dt.date(2024, 12, 18), window_end=dt.date(2025, 2, 14), period_start=dt.date(2025, 1, 1),
                  period_end=dt.date(2025, 1, 31), items=items, sources=["shifts"])  # fmt: skip
    svg = timeline_svg(tl, title="P-TEST: duty")
    assert svg.startswith("<svg") and "flagged period" in svg and "P-TEST: duty" in svg
    assert all(lane in svg for lane in ("rostered duty", "overtime", "absence", "presence"))
    empty = timeline_svg(tl.model_copy(update={"items": []}), title="P-TEST: duty")
    assert "no rows in the lake" in empty


def test_peer_chart_marks_the_person_and_names_the_group():
    svg = peer_svg(
        [{"detector": "excess_hours", "value": 50.3, "peer_median": 40.8, "peer_percentile": 90.0, "peer_group": "unit type=response, n=30"},
         {"detector": "victim_contact", "value": 13.0, "peer_percentile": None}],
        title="P-TEST against their peer group",
    )  # fmt: skip
    assert "this person: 50.3 (90th percentile)" in svg and "peer group: unit type=response, n=30" in svg
    assert "peer median 40.8" in svg and "no peer comparison" in svg
