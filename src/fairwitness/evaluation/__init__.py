"""Evaluation of a detector run against ground truth (`fairwitness evaluate`)."""

from fairwitness.evaluation.evaluate import TruthError, evaluate, read_truth, render_report
from fairwitness.evaluation.metrics import Report, ScenarioResult, Thresholds, score_run

__all__ = ["Report", "ScenarioResult", "Thresholds", "TruthError", "evaluate", "read_truth", "render_report", "score_run"]
