"""generate(): write synthetic councils' returns to disk, one council-year at a time."""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import calendar as cal
from .council import build_council, council_specs
from .model import simulate
from .scenario import Scenario, load_scenario
from .views import YearView
from .write_903 import TABLES, Writer903, tables_for_year
from .write_annex_a import AnnexAWriter
from .write_cin import write_cin
from .write_local import LOCAL_FILES, write_local

DEFAULT_YEARS = ("2021-22", "2022-23", "2023-24", "2024-25")
XML_FOLDER = "ssda903_xml"  # the 903 as XML, beside (never inside) the CSV folder


@dataclass
class CouncilYearCounts:
    la_code: str
    year: str
    cin_children: int
    cla_children: int  # children with a 903 episode in the year (short breaks included)
    counts: dict[str, int]


@dataclass
class SynthSummary:
    out_dir: Path
    scenario: str
    seed: int
    years: list[str]
    councils: list[dict] = field(default_factory=list)  # la_code, name, population
    files: list[Path] = field(default_factory=list)
    council_years: list[CouncilYearCounts] = field(default_factory=list)

    @property
    def n_files(self) -> int:
        return len(self.files)

    def totals(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for cy in self.council_years:
            for k, n in cy.counts.items():
                out[k] = out.get(k, 0) + n
        return out


def generate(
    out_dir: str | Path,
    *,
    la_code: str = "999",
    population: int = 110_000,
    years: Sequence[str] | str = DEFAULT_YEARS,
    seed: int = 0,
    scenario: str | Path | Scenario | dict | None = None,
    councils: int = 1,
    xml: bool = True,
    progress: Callable[[str], None] | None = None,
) -> SynthSummary:
    """Write synthetic returns for ``councils`` councils and each collection year.

    Layout: ``out_dir/<la>/council.yml`` and ``out_dir/<la>/<year>/`` holding
    ``ssda903/*.csv``, ``ssda903_xml/ssda903.xml`` (unless ``xml=False``),
    ``cin_census.xml``, ``annex_a.xlsx`` and ``local/*.csv``.  Councils are
    simulated and written one after another, so memory is bounded by the largest
    single council.

    The 903 XML is the same return as the 903 CSV set (without the social-worker
    episodes, which the XML format does not carry), so it sits in its own folder.
    Ingesting both stores two submissions of the same return and year, and the
    one ingested later supersedes the other; ingesting a whole year folder reads
    ``ssda903/`` before ``ssda903_xml/``, so the XML would end up current.  Ingest
    one of them: leave out the ``ssda903_xml`` folder, or pass ``xml=False``
    (``--no-xml``) to write none.
    """
    la_code = str(la_code)
    if not (la_code.isdigit() and len(la_code) == 3):
        raise ValueError(f"la_code {la_code!r} should be a 3-digit DfE code such as 999")
    if not isinstance(population, int) or population < 1_000:
        raise ValueError(
            "population (children aged 0-17) should be a whole number of at least 1000"
        )
    year_ends = cal.parse_years(years)
    sc = load_scenario(scenario)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary = SynthSummary(out, sc.name, seed, [cal.year_label(y) for y in year_ends])
    for index, (code, pop) in enumerate(council_specs(la_code, population, seed, councils)):
        council = build_council(code, pop, seed, index)
        summary.councils.append({"la_code": code, "name": council.name, "population": pop})
        cdir = out / code
        cdir.mkdir(parents=True, exist_ok=True)
        meta = council.as_yaml_dict()
        meta["seed"] = seed
        meta["scenario"] = sc.name
        meta["years"] = [cal.year_label(y) for y in year_ends]
        with open(cdir / "council.yml", "w", encoding="utf-8", newline="\n") as fh:
            yaml.safe_dump(meta, fh, sort_keys=False, allow_unicode=True)
        summary.files.append(cdir / "council.yml")
        history = simulate(council, sc, year_ends[0], year_ends[-1])
        for y in year_ends:
            view = YearView(history, sc, y)
            ydir = cdir / view.label
            counts: dict[str, int] = {}
            w903 = Writer903(view)
            xml_path = ydir / XML_FOLDER / "ssda903.xml"
            counts.update(w903.write(ydir / "ssda903", xml_path if xml else None))
            # an XML left by an earlier run: inside the CSV folder (older layout),
            # or in its own folder when this run writes none
            (ydir / "ssda903" / "ssda903.xml").unlink(missing_ok=True)
            if not xml:
                xml_path.unlink(missing_ok=True)
                if xml_path.parent.is_dir() and not any(xml_path.parent.iterdir()):
                    xml_path.parent.rmdir()
            n_cin = write_cin(view, ydir / "cin_census.xml")
            counts["cin_census.xml"] = n_cin
            for k, n in AnnexAWriter(view).write(ydir / "annex_a.xlsx").items():
                counts[f"annex_a {k}"] = n
            counts.update(write_local(view, ydir / "local"))
            written = [ydir / "ssda903" / TABLES[tb][0] for tb in tables_for_year(y)]
            if xml:
                written.append(xml_path)
            written += [ydir / "cin_census.xml", ydir / "annex_a.xlsx"]
            written += [ydir / "local" / f for f in LOCAL_FILES]
            # a table this year's 903 does not have, left by an earlier run
            for tb, (fname, _) in TABLES.items():
                if tb not in tables_for_year(y):
                    (ydir / "ssda903" / fname).unlink(missing_ok=True)
            summary.files.extend(written)
            cla = w903.children_with_episodes
            summary.council_years.append(CouncilYearCounts(code, view.label, n_cin, cla, counts))
            if progress:
                progress(f"{code} {view.label}: {n_cin} children in need, {cla} looked after")
            del view, w903
        del history
        gc.collect()
    return summary
