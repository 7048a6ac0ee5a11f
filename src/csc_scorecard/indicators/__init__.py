"""Indicators: the catalogue, one function per indicator, the engine and stored results.

Main entry points (imported lazily, so that ``import csc_scorecard.indicators``
stays cheap and needs no Django):

- :func:`csc_scorecard.indicators.casedata.load_case_data` — the store's current case data;
- :func:`csc_scorecard.indicators.engine.compute` — values for periods and breakdowns;
- :func:`csc_scorecard.indicators.engine.unit_rows` — the children behind a figure;
- :func:`csc_scorecard.indicators.results.compute_and_store` and
  :func:`~csc_scorecard.indicators.results.recompute_after_ingest` — stored values;
- :func:`csc_scorecard.indicators.catalogue.get_catalogue` — the definitions;
- :func:`csc_scorecard.indicators.manifest.check_manifest` — every file naming
  indicators checked against the catalogue.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "load_case_data": "casedata",
    "case_data": "casedata",
    "compute": "engine",
    "unit_frames": "engine",
    "unit_rows": "engine",
    "load_indicator_modules": "engine",
    "compute_and_store": "results",
    "recompute_after_ingest": "results",
    "get_catalogue": "catalogue",
    "load_catalogue": "catalogue",
    "check_manifest": "manifest",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
