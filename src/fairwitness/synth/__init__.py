"""The synthetic police force generator (`fairwitness synth`).

    from fairwitness.synth import SynthConfig, generate
    summary = generate(SynthConfig(people=2000, months=6, seed=1), out=Path("force"))
    summary.rows  # table name -> rows written
"""

from fairwitness.synth.config import SynthConfig, SynthSummary
from fairwitness.synth.generator import generate

__all__ = ["SynthConfig", "SynthSummary", "generate"]
