"""Check the whole indicator manifest at once: the catalogue and every file naming its ids.

:func:`check_manifest` loads the catalogue, imports the indicator functions
and reads each file that names indicators (priorities.yml, sections.yml,
measures.yml, the demo's lists and targets), each checked against the
catalogue by its own loader. It returns every problem found, each naming a
file and line, so one call (or ``pytest tests/indicators/test_manifest.py``)
tells whoever adds an indicator what is still missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Placement", "check_manifest", "placement"]


@dataclass(frozen=True)
class Placement:
    """Where one indicator appears: its priority, report section and published benchmark."""

    indicator_id: str
    priority: str | None  # priority id in priorities.yml
    section: str | None  # annual-report section id in sections.yml
    benchmark: str | None  # the published figure in measures.yml, described
    benchmark_note: str | None = None  # why there is none, when measures.yml says


def placement(indicator_id: str) -> Placement:
    """The priority, section and benchmark of a catalogue indicator (KeyError if unknown)."""
    from csc_scorecard.benchmarks.mapping import load_mapping
    from csc_scorecard.indicators.catalogue import get_catalogue
    from csc_scorecard.rating.priorities import load_priorities, priority_of
    from csc_scorecard.reporting.layout import load_sections

    catalogue = get_catalogue()
    if indicator_id not in catalogue:
        raise KeyError(catalogue.unknown_message(indicator_id))
    owner = priority_of(load_priorities())
    section = next(
        (s.id for s in load_sections() for i in s.indicators if indicator_id in (i.id, i.rate)),
        None,
    )
    mapping = load_mapping()
    mapped = mapping.indicators.get(indicator_id)
    return Placement(
        indicator_id,
        owner[indicator_id].id if indicator_id in owner else None,
        section,
        mapped.published.describe() if mapped else None,
        mapping.unmapped.get(indicator_id),
    )


def _problem(check: Callable[[], object]) -> list[str]:
    try:
        check()
    except Exception as exc:  # noqa: BLE001 - each loader's own located error, whatever its class
        return [str(exc)]
    return []


def check_manifest() -> list[str]:
    """Every problem in the manifest, located (an empty list when all agree)."""
    from csc_scorecard.indicators.catalogue import get_catalogue

    try:
        catalogue = get_catalogue()
    except ValueError as exc:
        return [str(exc)]  # nothing else can be checked without the catalogue

    from csc_scorecard.benchmarks.mapping import load_mapping
    from csc_scorecard.demo import DEMO_TARGETS, check_demo_lists
    from csc_scorecard.indicators.engine import load_indicator_modules, registration_problems
    from csc_scorecard.rating.priorities import load_priorities
    from csc_scorecard.rating.targets import parse_target_file
    from csc_scorecard.reporting.layout import load_sections

    load_indicator_modules()
    problems = registration_problems(catalogue)
    problems += _problem(load_priorities)
    problems += _problem(load_sections)
    problems += _problem(load_mapping)
    problems += _problem(check_demo_lists)
    problems += _problem(lambda: parse_target_file(DEMO_TARGETS, known_ids=catalogue.ids()))
    return problems
