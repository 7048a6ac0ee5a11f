"""Synthetic council generator: coherent, calibrated child journeys written as
real returns (SSDA903, CIN census, Annex A, local CSVs).

    from csc_scorecard.synth import generate
    summary = generate("out", la_code="999", population=110_000, seed=1)
"""

from .generate import DEFAULT_YEARS, CouncilYearCounts, SynthSummary, generate
from .scenario import Scenario, ScenarioError, load_scenario

__all__ = [
    "DEFAULT_YEARS",
    "CouncilYearCounts",
    "Scenario",
    "ScenarioError",
    "SynthSummary",
    "generate",
    "load_scenario",
]
