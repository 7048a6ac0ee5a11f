"""The indicator manifest: every file naming an indicator agrees with the catalogue.

The catalogue is the one manifest. priorities.yml, sections.yml,
measures.yml, the demo's lists and demo_targets.csv name indicators by id and
are checked against it as they load, with the file and line of any id it
lacks; every catalogue entry is computed by a registered function or is a
declared rate; units and polarities have one vocabulary (indicators.vocab).
"""

from __future__ import annotations

import ast
import sys
import textwrap
from pathlib import Path

import polars as pl
import pytest

from csc_scorecard.indicators.casedata import case_data
from csc_scorecard.indicators.catalogue import CatalogueError, get_catalogue, load_catalogue
from csc_scorecard.indicators.engine import (
    compute,
    load_indicator_modules,
    registration_problems,
    unit_rows,
)
from csc_scorecard.indicators.formatting import format_count, format_figure
from csc_scorecard.indicators.registry import INDICATORS, indicator
from csc_scorecard.indicators.vocab import Polarity, Unit, VocabularyError

SRC = Path(__file__).resolve().parents[2] / "src" / "csc_scorecard"

COUNT = """\
- id: a_count
  title: A
  definition: Some text.
  source: DfE
  numerator: things
  denominator: null
  unit: count
  polarity: contextual
  period_type: flow
  decimals: 0
  inputs:
    referral: [child_id, referral_date]
  dfe_measure: null
"""

RATE = """\
- id: a_rate_per_10k
  title: A per 10,000
  definition: Some text.
  source: DfE
  numerator: things
  denominator: children aged 0-17
  unit: rate_per_10k
  polarity: contextual
  period_type: flow
  decimals: 1
  rate_of: a_count
  dfe_measure: null
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --------------------------------------------------------------------------
# Every file that names indicators agrees with the catalogue
# --------------------------------------------------------------------------


def test_the_package_files_name_only_catalogue_ids():
    from csc_scorecard.benchmarks.mapping import load_mapping
    from csc_scorecard.demo import DEMO_TARGETS, HEADLINE_INDICATORS, check_demo_lists
    from csc_scorecard.rating.priorities import load_priorities
    from csc_scorecard.rating.targets import parse_target_file
    from csc_scorecard.reporting.layout import load_sections

    ids = set(get_catalogue().ids())
    # each loader checks against the catalogue; these must load without error
    priorities = load_priorities()
    sections = load_sections()
    mapping = load_mapping()
    targets = parse_target_file(DEMO_TARGETS, known_ids=ids)
    assert check_demo_lists() == get_catalogue().ids()
    named = (
        {i for p in priorities for i in p.indicators}
        | {i.id for s in sections for i in s.indicators}
        | {i.rate for s in sections for i in s.indicators if i.rate}
        | set(mapping.indicators)
        | {t.indicator_id for t in targets}
        | set(HEADLINE_INDICATORS)
    )
    assert named <= ids
    assert len(targets) == 40  # demo_targets.csv: 40 rows below its header


def test_check_manifest_finds_nothing_in_the_package_and_reports_a_bad_file(tmp_path, monkeypatch):
    from csc_scorecard.indicators.manifest import check_manifest

    assert check_manifest() == []
    bad = write(tmp_path, "priorities.yml", "- id: p\n  title: P\n  indicators: [cla_rate_10k]\n")
    monkeypatch.setattr("csc_scorecard.rating.priorities.PRIORITIES_FILE", bad)
    assert check_manifest() == [
        f"{bad}, line 3: unknown indicator id 'cla_rate_10k' is not in the indicator catalogue"
    ]


def test_placement_answers_where_an_indicator_appears():
    from csc_scorecard.indicators.manifest import placement

    rereferrals = placement("rereferrals_12m_pct")
    assert (rereferrals.priority, rereferrals.section) == ("right_help", "front_door")
    assert rereferrals.benchmark == (
        "c1_children_in_need_referrals_and_rereferrals / rereferral_percent"
    )
    # a rate shown beside its count sits in the count's section
    assert placement("cla_rate_per_10k").section == "children_looked_after"
    local = placement("cla_20miles_pct")
    assert local.benchmark is None and "no published figure" in (local.benchmark_note or "")
    with pytest.raises(KeyError, match="'nope_pct' is not in the indicator catalogue"):
        placement("nope_pct")


def test_every_catalogue_id_is_computed_and_every_function_is_catalogued():
    catalogue = get_catalogue()
    load_indicator_modules()
    assert registration_problems(catalogue) == []
    # the rates that only divide a count by the population are declared, not written
    assert {e.id: e.rate_of for e in catalogue.declared_rates()} == {
        "referrals_rate_per_10k": "referrals_count",
        "assessments_rate_per_10k": "assessments_completed_count",
        "cp_starts_rate_per_10k": "cp_starts_count",
        "cp_ends_rate_per_10k": "cp_ends_count",
        "early_help_rate_per_10k": "early_help_open_count",
        "s47_rate_per_10k": "s47_count",
        "cp_rate_per_10k": "cp_open_count",
        "cin_rate_per_10k": "cin_open_count",
        "cla_rate_per_10k": "cla_open_count",
    }
    for rate in catalogue.declared_rates():
        assert INDICATORS[rate.id] is INDICATORS[rate.rate_of]
        assert rate.inputs == catalogue[rate.rate_of].inputs  # inherited from the count


def test_registration_problems_are_located(tmp_path):
    write(tmp_path, "fam.yml", COUNT + "\n" + RATE.replace("rate_of: a_count", "rate_of: a_count\n  inputs: {referral: [child_id]}"))
    catalogue = load_catalogue(tmp_path)
    path = tmp_path / "fam.yml"

    def fn(data, period):  # pragma: no cover - never run
        raise AssertionError

    # nothing computes a_count (nor, so, its declared rate)
    problems = registration_problems(catalogue, {})
    assert problems[0] == (
        f"{path}, line 1: nothing computes a_count: register a function with "
        "@indicator('a_count') in csc_scorecard.indicators.fam, or declare a rate with rate_of"
    )
    assert problems[1] == (
        f"{path}, line 15: nothing computes a_rate_per_10k: it is rate_of a_count, which has no function"
    )
    # a function for an id the catalogue lacks
    assert registration_problems(catalogue, {"a_count": fn, "b_count": fn}) == [
        f"{__name__}.fn: registers 'b_count', which the catalogue lacks"
    ]
    # a declared rate with a function of its own as well

    def other(data, period):  # pragma: no cover - never run
        raise AssertionError

    problems = registration_problems(catalogue, {"a_count": fn, "a_rate_per_10k": other})
    assert len(problems) == 1 and "declared rate_of a_count but a function" in problems[0]


def test_compute_refuses_an_entry_nothing_computes(tmp_path):
    from csc_scorecard.indicators.engine import IndicatorError

    write(tmp_path, "fam.yml", COUNT.replace("a_count", "zz_count"))
    with pytest.raises(IndicatorError, match=r"fam\.yml, line 1: nothing computes zz_count"):
        compute(case_data(), "2024-25", catalogue=load_catalogue(tmp_path))


def test_a_function_for_a_declared_rate_is_refused_when_registered():
    load_indicator_modules()
    with pytest.raises(ValueError, match=r"'cla_rate_per_10k' is declared 'rate_of: cla_open_count' \(.*children_looked_after\.yml, line \d+\)"):
        indicator("cla_rate_per_10k")(lambda data, period: None)
    assert INDICATORS["cla_rate_per_10k"] is INDICATORS["cla_open_count"]


@pytest.mark.parametrize(
    ("name", "text", "line", "words"),
    [
        (
            "priorities.yml",
            "- id: p\n  title: P\n  indicators:\n    - referrals_count\n    - referals_count\n",
            5,
            "'referals_count' is not in the indicator catalogue",
        ),
        (
            "priorities.yml",
            "- id: p\n  title: P\n  indicators: [referrals_count]\n  colour: red\n",
            4,
            "unknown key 'colour'",
        ),
        (
            "sections.yml",
            "- id: s\n  title: S\n  indicators:\n    - {id: referrals_count}\n    - {id: nope_pct, detail: true}\n",
            5,
            "'nope_pct' is not in the indicator catalogue",
        ),
        (
            "sections.yml",
            "- id: s\n  title: S\n  indicators:\n    - {id: referrals_count, rate: cla_rate_per_10k}\n",
            4,
            "cla_rate_per_10k is not the rate per 10,000 of referrals_count",
        ),
        (
            "sections.yml",
            "- id: s\n  title: S\n  indicators: [referrals_count]\n- id: t\n  title: T\n"
            "  indicators: [s47_count, referrals_count]\n",
            6,
            "referrals_count is already in section s",
        ),
        (
            "sections.yml",
            "- id: s\n  title: S\n  indicators:\n    - {id: referrals_count, detail: maybe}\n",
            4,
            "detail must be true or false",
        ),
    ],
)
def test_layout_files_naming_unknown_ids_are_located_errors(tmp_path, name, text, line, words):
    from csc_scorecard.rating.priorities import PriorityError, load_priorities
    from csc_scorecard.reporting.layout import LayoutError, load_sections

    path = write(tmp_path, name, text)
    loader, error = (
        (load_priorities, PriorityError) if name == "priorities.yml" else (load_sections, LayoutError)
    )
    with pytest.raises(error) as caught:
        loader(path)
    assert str(caught.value).startswith(f"{path}, line {line}: "), str(caught.value)
    assert words in str(caught.value)


def test_target_files_naming_unknown_ids_are_located_errors(tmp_path):
    from csc_scorecard.rating.targets import TargetFileError, parse_target_file

    path = write(
        tmp_path,
        "targets.csv",
        "indicator_id,year,target,tolerance,tolerance_type,discontinued,note\n"
        "rereferrals_12m_pct,2024-25,20,2,absolute,no,\n"
        "rereferals_12m_pct,2024-25,20,2,absolute,no,\n",
    )
    with pytest.raises(TargetFileError) as caught:
        parse_target_file(path, known_ids=get_catalogue().ids())
    message = str(caught.value)
    assert "targets.csv" in message and "row 3" in message and "rereferals_12m_pct" in message


def test_reports_refuse_sections_naming_ids_the_catalogue_lacks():
    from csc_scorecard.reporting.annual import _known
    from csc_scorecard.reporting.layout import SectionIndicator, SectionSpec
    from csc_scorecard.reporting.values import ReportError

    class Ctx:
        catalogue = get_catalogue()

    spec = SectionSpec("s", "S", (SectionIndicator("referrals_count"),
                                  SectionIndicator("gone_pct", line=7)), "sections.yml")
    with pytest.raises(ReportError, match=r"sections\.yml, line 7: section s: indicator id 'gone_pct'"):
        _known(Ctx(), spec)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# The catalogue's own strictness for declared rates and the vocabularies
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("rate_of: a_count", "rate_of: b_count", 11, "rate_of 'b_count' is not in the indicator catalogue"),
        ("unit: rate_per_10k", "unit: percent", 11, "only a rate_per_10k can be a rate_of a count"),
        ("polarity: contextual", "polarity: up", 8, "polarity 'up' is not one of higher_better, lower_better, contextual"),
        ("unit: rate_per_10k", "unit: ratio", 7, "unit 'ratio' is not one of count, percent"),
        ("  rate_of: a_count\n", "", 1, "lacks inputs"),
    ],
)
def test_declared_rates_and_vocabularies_are_checked_with_lines(tmp_path, old, new, line, words):
    assert old in RATE
    write(tmp_path, "a.yml", COUNT)
    write(tmp_path, "b.yml", RATE.replace(old, new, 1))
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / 'b.yml'}, line {line}: "), str(caught.value)
    assert words in str(caught.value)


def test_rate_of_must_name_a_count(tmp_path):
    write(tmp_path, "a.yml", COUNT.replace("a_count", "a_pct").replace("unit: count", "unit: percent")
          .replace("denominator: null", "denominator: all"))
    write(tmp_path, "b.yml", RATE.replace("rate_of: a_count", "rate_of: a_pct"))
    with pytest.raises(CatalogueError, match=r"b\.yml, line 11: rate_of 'a_pct' must name a count"):
        load_catalogue(tmp_path)


def test_catalogue_entries_carry_the_enums():
    for entry in get_catalogue():
        assert isinstance(entry.unit, Unit) and isinstance(entry.polarity, Polarity)
    assert Polarity.parse("High") is Polarity.HIGHER_BETTER  # LAIT's word
    assert Polarity.parse("lower_better") is Polarity.LOWER_BETTER
    with pytest.raises(VocabularyError, match="unknown polarity 'up'; expected one of higher_better"):
        Polarity.parse("up")
    with pytest.raises(VocabularyError, match="unknown unit 'ratio'"):
        Unit.parse("ratio")


def _literals(path: Path) -> list[tuple[int, object]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append((node.lineno, node.value))
        if isinstance(node, ast.Tuple) and all(isinstance(e, ast.Constant) for e in node.elts):
            out.append((node.lineno, tuple(e.value for e in node.elts)))  # type: ignore[attr-defined]
    return out


def test_the_enums_are_the_only_vocabularies():
    # No module but vocab.py spells a polarity word or lists the units for itself:
    # code compares with Polarity.X / Unit.X members.
    polarity_words = set(Polarity.choices()) | {"high", "low"}
    unit_words = set(Unit.choices())
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "vocab.py" or "migrations" in path.parts:
            continue
        for line, value in _literals(path):
            if isinstance(value, tuple):
                if len(unit_words & set(value)) >= 3 or len(polarity_words & set(value)) >= 2:
                    offenders.append(f"{path.relative_to(SRC)}:{line} {value}")
            elif value in (set(Polarity.choices()) | {"rate_per_10k"}):
                offenders.append(f"{path.relative_to(SRC)}:{line} {value!r}")
    assert offenders == []


# --------------------------------------------------------------------------
# Declared rates compute as the rate functions did
# --------------------------------------------------------------------------


def _value(result: pl.DataFrame, ident: str) -> dict:
    return result.filter(pl.col("indicator_id") == ident, pl.col("breakdown") == "all").row(0, named=True)


def test_declared_rates_are_the_count_over_the_population():
    data = case_data(
        referral=[
            {"child_id": "A", "referral_date": "2024-04-01"},
            {"child_id": "B", "referral_date": "2024-09-30"},
            {"child_id": "A", "referral_date": "2025-03-31"},
            {"child_id": "C", "referral_date": "2025-04-01"},  # 2025-26: not counted
        ],
        cp_plan=[
            {"child_id": "A", "start_date": "2024-01-01", "end_date": None, "previous_plans": None},
            {"child_id": "B", "start_date": "2024-06-01", "end_date": None, "previous_plans": None},
            {"child_id": "C", "start_date": "2025-03-31", "end_date": None, "previous_plans": None},
            {"child_id": "D", "start_date": "2024-06-01", "end_date": "2025-03-31",
             "previous_plans": None},  # ended on 31 March: not open at 31 March
        ],
        population_0_17=40_000,
    )
    result = compute(
        data, "2024-25",
        ["referrals_count", "referrals_rate_per_10k", "cp_open_count", "cp_rate_per_10k"],
        breakdowns=["all"],
    )
    # 3 referrals in 2024-25 / 40,000 children x 10,000 = 0.75 -> 0.8 (1 dp, half away from zero)
    assert _value(result, "referrals_count")["value"] == 3
    rate = _value(result, "referrals_rate_per_10k")
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (3, 40_000, 0.8)
    # 3 plans open at 31 March 2025 (A, B, C) / 40,000 x 10,000 = 0.75 -> 0.8
    assert _value(result, "cp_rate_per_10k")["value"] == 0.8
    # the children behind the rate are the count's
    rows = unit_rows(data, "referrals_rate_per_10k", "2024-25")
    assert sorted(rows["child_id"].to_list()) == ["A", "A", "B"]
    assert rows["in_denominator"].null_count() == rows.height


# --------------------------------------------------------------------------
# Family discovery: modules and sub-packages named by the catalogue
# --------------------------------------------------------------------------


def test_families_are_discovered_from_the_catalogue_including_sub_packages(tmp_path, monkeypatch):
    package = tmp_path / "fakeindicators"
    deep = package / "fam" / "deeper"
    deep.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "fam" / "__init__.py").write_text("")
    (deep / "__init__.py").write_text("")
    (deep / "counts.py").write_text(textwrap.dedent("""\
        from csc_scorecard.indicators.registry import indicator

        @indicator("a_count")
        def a_count(data, period):
            raise AssertionError("not run")
        """))
    catalogue_dir = tmp_path / "catalogue"
    catalogue_dir.mkdir()
    write(catalogue_dir, "fam.yml", COUNT)
    write(catalogue_dir, "rates_only.yml", RATE)  # a family of declared rates needs no module
    catalogue = load_catalogue(catalogue_dir)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("csc_scorecard.indicators.registry.INDICATORS", INDICATORS)
    try:
        modules = load_indicator_modules(catalogue, package="fakeindicators")
        assert "fakeindicators.fam.deeper.counts" in modules
        assert INDICATORS["a_count"].__module__ == "fakeindicators.fam.deeper.counts"
        assert registration_problems(catalogue, {k: INDICATORS[k] for k in ("a_count",)}) == []
    finally:
        INDICATORS.pop("a_count", None)
        for name in [m for m in sys.modules if m.startswith("fakeindicators")]:
            del sys.modules[name]


# --------------------------------------------------------------------------
# One formatter
# --------------------------------------------------------------------------


def test_one_formatter_gives_every_display():
    # figures: the entry's decimals, half away from zero; never "-0.0"
    assert format_figure(2.675, 2) == "2.68" and format_figure(0.25, 1) == "0.3"
    assert format_figure(-0.04, 1) == "0.0" and format_figure(None, 1, blank="–") == "–"
    # reports: thousands and units
    assert format_figure(12345.65, 1, unit=Unit.PERCENT, thousands=True, with_unit=True) == "12,345.7%"
    assert format_figure(1, 0, unit=Unit.DAYS, with_unit=True) == "1 day"
    assert format_figure(-1234, 0, thousands=True) == "-1,234"
    # numerators and denominators: whole numbers bare, fractions to the places asked
    assert format_count(1300.0) == "1300" and format_count(1300.0, thousands=True) == "1,300"
    assert format_count(12.25) == "12.3" and format_count(12.5, decimals=2, trim=True) == "12.5"
    assert format_count(float("nan")) == "" and format_count(None) == ""
    entry = get_catalogue()["rereferrals_12m_pct"]
    assert entry.format(22.649999) == "22.6" and entry.format(22.65, with_unit=True) == "22.7%"


# --------------------------------------------------------------------------
# The scorecard takes units from the catalogue, never from an id's suffix
# --------------------------------------------------------------------------


def _values(rows):
    def provider(period, by):
        return pl.DataFrame(
            rows,
            schema={"indicator_id": pl.String, "area": pl.String, "numerator": pl.Float64,
                    "denominator": pl.Float64, "value": pl.Float64},
            orient="row",
        )

    return provider


def test_the_scorecard_does_not_guess_units_from_ids():
    from csc_scorecard.rating.scorecard import ScorecardError, build_scorecard

    # a catalogue id: unit and decimals are the catalogue's (percent, 1 dp): 1/3 -> "33.3"
    frame = build_scorecard(
        "2024-25", values_provider=_values([("rereferrals_12m_pct", "all", 1, 3, 33.333)]),
        benchmarks_provider=lambda p: None, targets={}, priorities=[],
    )
    row = frame.row(0, named=True)
    assert (row["unit"], row["value_display"]) == ("percent", "33.3")
    # an id the catalogue lacks, whose values say nothing about their unit: an error,
    # where the suffix "_pct" used to be taken for a percentage
    with pytest.raises(ScorecardError, match="'made_up_pct' is not in the indicator catalogue"):
        build_scorecard(
            "2024-25", values_provider=_values([("made_up_pct", "all", 1, 3, 33.3)]),
            benchmarks_provider=lambda p: None, targets={}, priorities=[],
        )


def test_the_scorecard_does_not_swallow_catalogue_errors(monkeypatch):
    from csc_scorecard.indicators import catalogue as catalogue_module
    from csc_scorecard.rating.scorecard import build_scorecard

    def broken():
        raise CatalogueError("front_door.yml", 12, "polarity 'up' is not one of ...")

    monkeypatch.setattr(catalogue_module, "get_catalogue", broken)
    with pytest.raises(CatalogueError, match=r"front_door\.yml, line 12: polarity 'up'"):
        build_scorecard(
            "2024-25", values_provider=_values([("rereferrals_12m_pct", "all", 1, 3, 33.3)]),
            benchmarks_provider=lambda p: None, targets={}, priorities=[],
        )
