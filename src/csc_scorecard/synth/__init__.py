"""Synthetic council generator: coherent, calibrated child journeys written as
real returns (SSDA903, CIN census, Annex A, local CSVs).

    from csc_scorecard.synth import generate
    summary = generate("out", la_code="999", population=110_000, seed=1)

The 903 is written twice, as CSVs in ``<year>/ssda903/`` and as XML in
``<year>/ssda903_xml/`` (``xml=False`` / ``--no-xml`` leaves the XML out): they are
one return, so ingest one of them (both give two submissions of the same return
and year, the later one current).
"""

from .generate import DEFAULT_YEARS, XML_FOLDER, CouncilYearCounts, SynthSummary, generate
from .scenario import Scenario, ScenarioError, load_scenario

__all__ = [
    "DEFAULT_YEARS",
    "CouncilYearCounts",
    "Scenario",
    "ScenarioError",
    "SynthSummary",
    "XML_FOLDER",
    "generate",
    "load_scenario",
]
