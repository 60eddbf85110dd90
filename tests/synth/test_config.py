from __future__ import annotations

import pydantic
import pytest

from fairwitness.scenarios import DECOYS, MISCONDUCT
from fairwitness.synth import SynthConfig


def test_one_rate_field_per_scenario() -> None:
    from fairwitness.synth.config import NATURAL

    fields = set(SynthConfig.model_fields)
    assert set(MISCONDUCT) - NATURAL <= fields
    assert not NATURAL & fields  # arises from the world's honest behaviour, never planted at a rate
    assert set(DECOYS) <= fields


def test_config_is_frozen_and_strict() -> None:
    cfg = SynthConfig(people=2000, months=6, seed=1)
    with pytest.raises(pydantic.ValidationError):
        cfg.people = 3  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        SynthConfig(people=100, colour="blue")  # type: ignore[call-arg]
    with pytest.raises(pydantic.ValidationError):
        SynthConfig(rota="5-5-4")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("people", "rate", "expected"),
    [(46_000, 1.0, 46), (600, 1.0, 3), (300, 1.0, 1), (150, 2.0, 1), (50, 1.0, 0), (46_000, 0.0, 0), (600, 0.0, 0)],
)
def test_planted_count_floors(people: int, rate: float, expected: int) -> None:
    cfg = SynthConfig(people=people, self_authorisation=rate)
    assert cfg.planted_count("self_authorisation") == expected
