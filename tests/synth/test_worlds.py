"""Worlds: honest behaviour sampled from documented ranges, some worlds held out."""

from __future__ import annotations

from pathlib import Path

import pytest

from fairwitness.synth.worlds import (
    DEVELOPMENT_WORLDS, HELD_OUT_WORLDS, RANGES, world_config, world_settings, worlds_markdown,
)


def test_a_world_is_reproducible_and_inside_its_documented_ranges():
    for w in (*DEVELOPMENT_WORLDS, *HELD_OUT_WORLDS):
        s = world_settings(w)
        assert s == world_settings(w)
        assert set(s) == set(RANGES)
        for name, (lo, hi, _) in RANGES.items():
            assert lo <= s[name] <= hi, (w, name)
    assert world_settings(1) != world_settings(2)


def test_held_out_worlds_were_not_used_for_development():
    assert not set(DEVELOPMENT_WORLDS) & set(HELD_OUT_WORLDS)


def test_world_config_takes_size_and_seed_but_not_world_settings():
    cfg = world_config(101, people=500, months=2, seed=9)
    assert (cfg.people, cfg.seed, cfg.world) == (500, 9, 101)
    assert cfg.victim_followup == world_settings(101)["victim_followup"]
    with pytest.raises(ValueError, match="namesake_share are set by the world"):
        world_config(101, namesake_share=0.5)
    with pytest.raises(ValueError, match="positive integer"):
        world_settings(0)


def test_the_worlds_page_is_current():
    page = Path(__file__).parents[2] / "docs" / "worlds.md"
    assert page.read_text() == worlds_markdown(), "run `python -m fairwitness.synth.worlds > docs/worlds.md`"
