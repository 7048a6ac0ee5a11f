"""The demo council end to end: synthetic returns -> store -> indicators -> reports.

Everything lands in the data directory (CSC_SCORECARD_HOME), in demo/:
the returns as a council would send them, and the reports written from
them. Running it again regenerates the same returns (same seed), which the
store recognises as already loaded.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from csc_scorecard.config import council_file, data_home, shared_dir
from csc_scorecard.progress import Progress, as_progress

DEMO_LA = "999"
DEMO_YEARS = ("2021-22", "2022-23", "2023-24", "2024-25")
DEMO_POPULATION = 110_000
DEMO_SEED = 2024
# The demo council is county-sized; it borrows Somerset's statistical neighbours
# (a county of about 113,000 children) so its scorecard has an SN average.
DEMO_NEIGHBOURS_LIKE = "933"
DEMO_TARGETS = Path(__file__).with_name("data") / "demo_targets.csv"
# The figures the demo prints at the end; checked against the catalogue before it runs.
HEADLINE_INDICATORS = (
    "referrals_rate_per_10k",
    "rereferrals_12m_pct",
    "assessments_45wd_pct",
    "cp_rate_per_10k",
    "cin_rate_per_10k",
    "cla_rate_per_10k",
    "cla_3plus_placements_pct",
    "care_leavers_eet_pct",
)


@dataclass
class DemoSummary:
    returns_dir: Path
    council: dict
    outcomes: list = field(default_factory=list)
    indicator_rows: int = 0
    reference_note: str = ""
    headline: list[tuple[str, str, str]] = field(default_factory=list)  # (title, value, num/den)
    reports: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    next_meeting: Any = None  # the demo committee's next meeting (scrutiny.models.Meeting)


def shared_reference_dir() -> Path | None:
    """DfE reference data to import for benchmarks: CSC_SCORECARD_REFERENCE, or ../shared/reference."""
    configured = os.environ.get("CSC_SCORECARD_REFERENCE")
    candidates = [Path(configured)] if configured else []
    candidates.append(shared_dir() / "reference")
    for candidate in candidates:
        if (candidate / "dfe_open_data").is_dir():
            return candidate
    return None


def run_demo(
    *,
    population: int = DEMO_POPULATION,
    years: tuple[str, ...] = DEMO_YEARS,
    seed: int = DEMO_SEED,
    progress: Progress | Callable[[str], None] | None = None,
) -> DemoSummary:
    from csc_scorecard.django_setup import setup

    known_ids = check_demo_lists()
    setup(migrate=True)
    demo_dir = data_home() / "demo"
    returns_dir = demo_dir / "returns"
    timings: dict[str, float] = {}
    progress = as_progress(progress)

    started = time.perf_counter()
    with progress.step(f"Writing the demo council's returns for {years[0]} to {years[-1]}"):
        council = _write_returns(returns_dir, population=population, years=years, seed=seed)
    timings["synth"] = time.perf_counter() - started

    summary = DemoSummary(returns_dir=returns_dir, council=council, timings=timings)
    summary.reference_note = _import_reference(progress, timings)
    from csc_scorecard.rating.targets import import_targets

    import_targets(DEMO_TARGETS, user="", replace=True, known_ids=known_ids)  # as the CLI's account

    started = time.perf_counter()
    from csc_scorecard.store.ingest import ingest_paths

    summary.outcomes = ingest_paths(
        [returns_dir / DEMO_LA / year for year in years], user="demo", progress=progress
    )
    timings["ingest"] = time.perf_counter() - started

    started = time.perf_counter()
    from csc_scorecard.indicators.results import recompute_after_ingest

    with progress.step("Computing the indicators for every year, quarter and month"):
        summary.indicator_rows = sum(recompute_after_ingest().values())
    timings["indicators"] = time.perf_counter() - started
    summary.headline = _headline(years[-1])

    from csc_scorecard.plans.demo import import_demo_plan, write_demo_plan_documents

    with progress.step("Importing the demo improvement plan"):
        plan = import_demo_plan()  # before the reports: the quarterly report shows its programmes
    summary.reports = _write_reports(demo_dir / "reports", years[-1], progress, timings)
    with progress.step("Writing the plan's highlight reports, summary, action plan and risk register"):
        summary.reports += write_demo_plan_documents(plan, demo_dir / "reports" / "plans",
                                                     f"{years[-1]}-Q4", la_code=DEMO_LA)
    from csc_scorecard.inspection.demo import write_demo_inspection

    with progress.step("Importing the demo inspection; writing its self-evaluation and Annex A pack"):
        summary.reports += write_demo_inspection(demo_dir / "reports" / "inspection", years[-1],
                                                 la_code=DEMO_LA)
    from csc_scorecard.scrutiny.demo import import_demo_scrutiny

    with progress.step("Importing the demo scrutiny committee: a year of meetings, work programme, tracker"):
        summary.next_meeting = import_demo_scrutiny(years[-1], demo_dir / "scrutiny")
    from csc_scorecard.services.committee_docs import write_committee_pack

    meeting = summary.next_meeting
    with progress.step(f"Writing the published committee pack for the meeting of {meeting.date:%d %B %Y}"):
        summary.reports += write_committee_pack(meeting.date, demo_dir / "reports" / "scrutiny",
                                                committee_slug=meeting.committee.slug,
                                                la_code=DEMO_LA, draft=False).values()  # the published pack
    return summary


def _write_returns(out: Path, *, population: int, years: tuple[str, ...], seed: int) -> dict:
    from csc_scorecard.synth import generate

    # The 903 as CSV tables only: its XML form is the same return.
    generate(out, la_code=DEMO_LA, population=population, years=years, seed=seed, xml=False)
    council = yaml.safe_load((out / DEMO_LA / "council.yml").read_text(encoding="utf-8"))
    settings = {
        "la_code": DEMO_LA,
        "name": council.get("name", "Demo council"),
        "population_0_17": int(council.get("population", population)),
        "neighbours_like": DEMO_NEIGHBOURS_LIKE,
        "note": "written by `csc-scorecard demo`: the synthetic council's own population",
    }
    target = council_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return settings


def _import_reference(progress: Progress, timings: dict[str, float]) -> str:
    source = shared_reference_dir()
    target = data_home() / "reference"
    if (target / "manifest.json").exists():
        return f"DfE reference data already imported in {target}"
    if source is None:
        from csc_scorecard.benchmarks.status import reference_status

        return (
            f"benchmarks from the reference snapshot shipped with csc-scorecard "
            f"({reference_status().label}; newer figures: csc-scorecard reference import DIR)"
        )
    started = time.perf_counter()
    from csc_scorecard.benchmarks.reference import import_reference

    with progress.step(f"Importing DfE reference data from {source}"):
        import_reference(source, target)
    timings["reference"] = time.perf_counter() - started
    return f"DfE reference data imported from {source}"


def check_demo_lists() -> list[str]:
    """Every indicator id the demo names is in the catalogue (CatalogueError, located, if not).

    Returns the catalogue's ids, which the demo targets are then checked
    against row by row as they are imported.
    """
    from csc_scorecard.indicators.catalogue import get_catalogue

    catalogue = get_catalogue()
    lines = Path(__file__).read_text(encoding="utf-8").splitlines()

    def line_of(ident: str) -> int | None:
        quoted = f'"{ident}"'
        return next((n for n, text in enumerate(lines, 1) if quoted in text), None)

    catalogue.check_ids(
        ((i, __file__, line_of(i)) for i in HEADLINE_INDICATORS), what="headline indicator"
    )
    return catalogue.ids()


def _headline(year: str) -> list[tuple[str, str, str]]:
    from csc_scorecard.indicators.catalogue import get_catalogue
    from csc_scorecard.indicators.formatting import format_figure
    from csc_scorecard.indicators.results import stored_values

    catalogue = get_catalogue()
    wanted = list(HEADLINE_INDICATORS)
    values = stored_values(year, la_code=DEMO_LA, breakdown="all", indicator_ids=wanted)
    rows = []
    for ident in wanted:
        hit = values.filter(values["indicator_id"] == ident)
        if hit.height == 0:
            continue
        row = hit.row(0, named=True)
        entry = catalogue[ident]
        value = entry.format(row["value"], with_unit=True)
        fraction = ""
        if row["denominator"] is not None:
            fraction = (
                f"{format_figure(row['numerator'], 0, thousands=True)}/"
                f"{format_figure(row['denominator'], 0, thousands=True)}"
            )
        rows.append((entry.title, value, fraction))
    return rows


def _write_reports(
    out: Path, year: str, progress: Progress, timings: dict[str, float]
) -> list[Path]:
    """The annual report for the year and the quarterly report for its last quarter."""
    from csc_scorecard.reporting.produce import write_report

    started = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    written: list[Path] = []
    reports = (("annual", year), ("quarterly", f"{year}-Q4"))
    with progress.step("Writing the annual and quarterly reports (HTML, PDF, Word)", total=2) as step:
        for kind, period in reports:
            files = write_report(kind, period, out / kind, la_code=DEMO_LA)
            written += list(files.paths.values())
            step.advance(item=f"{kind} {period}")
    timings["reports"] = time.perf_counter() - started
    return written
