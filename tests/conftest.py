"""Fixtures shared across the test packages.

``synthetic_council``: one small synthetic council, generated, ingested into
the test database, computed and reported on ONCE per test session (per
worker under pytest-xdist), instead of once per test or module.  Everything
the consumers read is captured while the council is in the store (its case
data, every stored result, the reports written from them); the store is then
emptied again before any test runs, so no other test ever sees this council
(a test that counts councils or submissions stays exact whichever worker and
order it runs in).

Tests that use it are put in one xdist group (``synthetic_council``), so with
``--dist loadgroup`` (scripts/test.sh) only one worker builds it; the other
tests are grouped by file and by the session fixture they share (below).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

COUNCIL_LA = "981"
COUNCIL_POPULATION = 12_000  # small, so areas have counts of 1-5 to suppress
COUNCIL_YEARS = ("2023-24", "2024-25")
COUNCIL_SEED = 7

# Targets the reports are written with: (target, tolerance) per indicator, every year.
REPORT_TARGETS = {
    "assessments_45wd_pct": (95, 5), "rereferrals_12m_pct": (15, 3),
    "icpc_15wd_pct": (85, 5), "cp_visits_timely_pct": (90, 5),
    "cla_reviews_timely_pct": (80, 5), "care_leavers_in_touch_pct": (90, 5),
    "sw_caseload_avg": (18, 2), "cla_3plus_placements_pct": (10, 2),
}


def report_targets(year: str) -> dict[str, Any]:
    from csc_scorecard.rating.targets import TargetSpec

    return {k: TargetSpec(k, year, Decimal(t), Decimal(tol)) for k, (t, tol) in REPORT_TARGETS.items()}


@dataclass
class SyntheticCouncil:
    la_code: str
    population: int
    years: tuple[str, ...]
    returns_dir: Path  # the council's returns as the generator wrote them, one folder per year
    outcomes: list  # what ingest said about each file
    case_data: Any  # indicators.casedata.load_case_data(la_code) while it was stored
    stored: Any  # every stored result (all breakdowns), a polars frame
    # (kind, publication) -> ReportFiles: annual 2024-25 and quarterly 2024-25-Q2, draft;
    # HTML, PDF and Word, except no PDF in publication mode
    reports: dict[tuple[str, bool], Any] = field(default_factory=dict)
    final_quarterly: Any = None  # the Q2 report in final mode, HTML only


def _clear(la_code: str, submission_ids: list[int]) -> None:
    """Remove everything this council put in the store (submissions cascade to their rows)."""
    from django.apps import apps

    from csc_scorecard.store.models import Submission

    for model in apps.get_app_config("results").get_models():
        if any(f.name == "la_code" for f in model._meta.get_fields()):
            model.objects.filter(la_code=la_code).delete()
    Submission.objects.filter(id__in=submission_ids).delete()


@pytest.fixture(scope="session")
def synthetic_council(tmp_path_factory, django_db_setup, django_db_blocker) -> SyntheticCouncil:
    from csc_scorecard.indicators.casedata import load_case_data
    from csc_scorecard.indicators.results import compute_and_store, periods_for_years, stored_values
    from csc_scorecard.reporting.produce import FORMATS, write_report
    from csc_scorecard.store.ingest import ingest_paths
    from csc_scorecard.synth import generate

    root = tmp_path_factory.mktemp("synthetic_council")
    la = COUNCIL_LA
    generate(root / "returns", la_code=la, population=COUNCIL_POPULATION, seed=COUNCIL_SEED,
             years=COUNCIL_YEARS, xml=False)
    with django_db_blocker.unblock():
        outcomes = ingest_paths([root / "returns" / la])
        ids = [o.submission_id for o in outcomes if o.status == "stored"]
        try:
            assert ids, [(o.label, o.status, o.reason) for o in outcomes]
            compute_and_store(periods_for_years(COUNCIL_YEARS), la_code=la,
                              population=COUNCIL_POPULATION)
            council = SyntheticCouncil(
                la_code=la, population=COUNCIL_POPULATION, years=COUNCIL_YEARS,
                returns_dir=root / "returns" / la, outcomes=outcomes,
                case_data=load_case_data(la, population=COUNCIL_POPULATION),
                stored=stored_values(la_code=la),
            )
            out = root / "reports"
            no_benchmarks = lambda period: None  # noqa: E731 - the reports' comparisons stay blank
            for kind, period in (("annual", "2024-25"), ("quarterly", "2024-25-Q2")):
                for publication in (False, True):
                    council.reports[(kind, publication)] = write_report(
                        kind, period, out / f"{kind}-{publication}", la_code=la,
                        publication=publication, draft=True, targets=report_targets,
                        benchmarks_provider=no_benchmarks,
                        # the PDF is rendered from the same HTML; rendering it once per
                        # kind (the slowest step) is enough for the PDF tests
                        formats=("html", "docx") if publication else FORMATS,
                    )
            council.final_quarterly = write_report(
                "quarterly", "2024-25-Q2", out / "final", la_code=la, draft=False,
                targets=report_targets, benchmarks_provider=no_benchmarks, formats=("html",),
            )
        finally:
            _clear(la, ids)
    return council


# Session fixtures that are expensive to build: the tests using one form one xdist group, so
# (with --dist loadgroup, as scripts/test.sh runs) one worker builds it, not every worker.
SHARED_GROUPS = {
    "synthetic_council": "synthetic_council",
    "all_years_council": "synth_all_years_council",
    "small_council": "synth_small_council",
    "imported": "reference_import",
    "ref_dir": "reference_import",
    "browser": "browser",
    "server": "browser",
}


@pytest.hookimpl(tryfirst=True)  # before xdist and pytest-django read the marks
def pytest_collection_modifyitems(config, items):
    """One xdist group per shared session fixture (above), else per test file, so module and
    session fixtures are built once per run rather than once per worker.  The synthetic
    council's consumers are also marked as database tests: pytest-django creates the test
    database only when a collected test asks for it."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        group = next((g for f, g in SHARED_GROUPS.items() if f in names), None)
        item.add_marker(pytest.mark.xdist_group(group or item.nodeid.split("::", 1)[0]))
        if "synthetic_council" in names:
            item.add_marker(pytest.mark.django_db)
