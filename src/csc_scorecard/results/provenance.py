"""What a year's figures are computed from, and whether they are stale.

A council's figures for financial year Y depend on:

- the current submissions of collection years Y-2 to Y+1, and every current
  submission without a year (local extracts). Y-1 and Y-2 because look-backs
  read them (re-referrals within 12 months, repeat plans within two years);
  Y+1 because a later return repeats records open across 31 March and the
  store keeps the latest copy. So a new (or superseding) submission of year
  S makes S-1, S, S+1 and S+2 stale;
- the 0-17 population of the rates: set by hand (``--population``,
  CSC_SCORECARD_POPULATION, council.yml), else the ONS estimate from the
  imported reference data;
- the indicator catalogue (and the package version that computes it).

:func:`inputs_now` fingerprints those inputs as the store holds them now;
:func:`stale_reasons` compares them with a :class:`ComputedYear`. A council.yml
change that alters no input (its name, neighbours_like) makes nothing stale.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from csc_scorecard.periods import parse_period

__all__ = [
    "YearInputs",
    "affected_years",
    "catalogue_version",
    "inputs_now",
    "reference_id",
    "settings_hash",
    "stale_reasons",
    "window_submissions",
]

LOOK_BACK_YEARS = 2
LOOK_AHEAD_YEARS = 1


@dataclass(frozen=True)
class YearInputs:
    submissions: tuple[tuple[int, str], ...]  # (id, sha256), sorted by id
    reference_id: str
    population_source: str  # "set" (by hand) or "reference"
    population: int | None  # hand-set population (None when from the reference data)
    catalogue_version: str
    settings_hash: str
    # (population, note) the reference data gives the year now; looked up only when needed
    reference_population: tuple[int | None, str] | None = None


def _digest(*parts: object) -> str:
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@lru_cache(maxsize=1)
def catalogue_version() -> str:
    """A hash of the catalogue's YAML files and the package version."""
    from csc_scorecard import __version__
    from csc_scorecard.indicators import catalogue

    folder = Path(catalogue.__file__).with_name("catalogue")
    h = hashlib.sha256(__version__.encode())
    for path in sorted(folder.rglob("*.yml")):
        h.update(path.relative_to(folder).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:32]


def reference_id() -> str:
    """A hash of the reference data in use: the import's manifest, else the shipped snapshot's.

    "" when neither is there. The import replaces the snapshot (benchmarks.paths).
    """
    from csc_scorecard.benchmarks.paths import MANIFEST_FILE, default_reference_dir, snapshot_dir

    for prefix, folder in (("import", default_reference_dir()), ("snapshot", snapshot_dir())):
        try:
            digest = hashlib.sha256((folder / MANIFEST_FILE).read_bytes()).hexdigest()
        except OSError:
            continue
        return f"{prefix}:{digest[:32]}"
    return ""


def settings_hash(population: int | None) -> str:
    """The council settings the computation reads: the hand-set population (or none), and
    the areas council.yml gives as wards or LSOAs with the small-area estimates they are
    summed from (only when it gives any, so other councils' hashes are as they were)."""
    from csc_scorecard.indicators.population import area_definitions

    areas, problem = area_definitions()
    if not (areas or problem):
        return _digest("population", population)
    from csc_scorecard.benchmarks.paths import reference_file
    from csc_scorecard.benchmarks.small_areas import SMALL_AREAS_MANIFEST

    manifest = reference_file(SMALL_AREAS_MANIFEST)
    estimates = hashlib.sha256(manifest.read_bytes()).hexdigest() if manifest else ""
    return _digest("population", population, "areas", sorted(areas.items()), problem, estimates)


def _year_start(label: str) -> int | None:
    try:
        return int(parse_period(label).financial_year[:4])
    except ValueError:
        return None


def window_submissions(la_code: str, year: str) -> tuple[tuple[int, str], ...]:
    """Current submissions (of the council, or uncoded) whose collection year reaches ``year``."""
    from csc_scorecard.store.models import Submission

    start = _year_start(year)
    rows = Submission.objects.filter(is_current=True, la_code__in=sorted({la_code, ""}))
    out = []
    for sub_id, sub_year, sha in rows.values_list("id", "year", "sha256"):
        sub_start = _year_start(sub_year) if sub_year else None
        if (
            sub_start is None
            or start is None
            or start - LOOK_BACK_YEARS <= sub_start <= start + LOOK_AHEAD_YEARS
        ):
            out.append((int(sub_id), str(sha)))
    return tuple(sorted(out))


def affected_years(submission_year: str) -> list[str]:
    """Financial years whose figures a submission of ``submission_year`` feeds."""
    start = _year_start(submission_year)
    if start is None:
        return []
    return [
        f"{y}-{(y + 1) % 100:02d}"
        for y in range(start - LOOK_AHEAD_YEARS, start + LOOK_BACK_YEARS + 1)
    ]


def inputs_now(la_code: str, year: str, population: int | None = None) -> YearInputs:
    """The inputs a computation of ``year`` for ``la_code`` would use now.

    ``population`` is an explicit population (the --population option); else
    the hand-set one from the environment or council.yml, if any.
    """
    from csc_scorecard.indicators.casedata import resolve_population

    if population is None:
        try:
            population, _ = resolve_population(None)
        except ValueError:
            population = None
    return YearInputs(
        submissions=window_submissions(la_code, year),
        reference_id=reference_id(),
        population_source="set" if population is not None else "reference",
        population=population,
        catalogue_version=catalogue_version(),
        settings_hash=settings_hash(population),
    )


def reference_population_now(la_code: str, year: str) -> tuple[int | None, str]:
    """The 0-17 population the imported reference data gives ``year``'s rates now."""
    from csc_scorecard.indicators.population import reference_population

    return reference_population(la_code, parse_period(year).financial_year)


def stale_reasons(recorded, now: YearInputs, la_code: str = "", year: str = "") -> list[str]:
    """Why a year's recorded computation (a ComputedYear or None) no longer matches ``now``.

    A new reference import makes a year stale only when it changes the
    population that year's rates use (its value or its vintage); the import's
    id is compared first so an unchanged import costs no look-up.
    """
    if recorded is None:
        return ["not computed yet"]
    reasons = []
    before = {int(i): s for i, s in recorded.submissions}
    after = dict(now.submissions)
    added = sorted(set(after) - set(before))
    gone = sorted(set(before) - set(after))
    if added:
        reasons.append("new submission " + ", ".join(f"#{i}" for i in added))
    if gone:
        reasons.append("submission " + ", ".join(f"#{i}" for i in gone) + " superseded or removed")
    if recorded.settings_hash != now.settings_hash:
        from csc_scorecard.indicators.population import area_definitions

        reasons.append(
            "council settings changed (0-17 population or the areas' wards or LSOAs)"
            if area_definitions()[0] else "council settings changed (0-17 population)"
        )
    elif now.population_source == "reference" and recorded.reference_id != now.reference_id:
        value, note = now.reference_population or reference_population_now(la_code, year)
        if value != recorded.population or note[:200] != recorded.population_note:
            reasons.append("reference data changed (0-17 population)")
    if recorded.catalogue_version != now.catalogue_version:
        reasons.append("indicator catalogue changed")
    return reasons
