"""The catalogue: strict loading, and one function per entry (all six families)."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from csc_scorecard.indicators.catalogue import (
    CATALOGUE_DIR,
    CatalogueError,
    load_catalogue,
)
from csc_scorecard.indicators.command import catalogue_group
from csc_scorecard.indicators.engine import load_indicator_modules
from csc_scorecard.indicators.registry import INDICATORS

FAMILIES = (
    "front_door", "child_protection", "children_in_need",
    "children_looked_after", "care_leavers", "workforce",
)

MY_IDS = {
    "front_door": {
        "contacts_count", "referrals_count", "referrals_rate_per_10k", "rereferrals_12m_pct",
        "referrals_nfa_pct", "referrals_to_assessment_pct", "assessments_completed_count",
        "assessments_45wd_pct", "s47_count", "s47_rate_per_10k", "icpc_count", "icpc_15wd_pct",
        # issue 16
        "rereferrals_12m_count", "assessments_rate_per_10k", "strategy_discussions_count",
    },
    "child_protection": {
        "cp_open_count", "cp_rate_per_10k", "cp_starts_count", "cp_ends_count",
        "cp_repeat_ever_pct", "cp_repeat_2yr_pct", "cp_open_2yr_pct", "cp_ended_2yr_pct",
        "cp_reviews_timely_pct", "cp_visits_timely_pct",
        "cp_starts_rate_per_10k", "cp_ends_rate_per_10k",  # issue 16
    },
    "children_in_need": {
        "cin_open_count", "cin_rate_per_10k", "cin_no_visit_6wk_pct",
        # issue 16
        "cin_open_excl_cp_cla_count", "cin_plan_overdue_pct", "cin_stepped_down_from_cp_pct",
        "cin_stepped_down_from_cla_pct",
    },
}


def test_every_family_has_a_catalogue_file():
    present = {p.stem for p in CATALOGUE_DIR.glob("*.yml")}
    assert set(FAMILIES) <= present


def test_every_entry_has_a_function_and_every_function_an_entry():
    catalogue = load_catalogue()
    load_indicator_modules()
    assert sorted(set(catalogue.ids()) - set(INDICATORS)) == [], "entries without a function"
    assert sorted(set(INDICATORS) - set(catalogue.ids())) == [], "functions without an entry"


@pytest.mark.parametrize("family", sorted(MY_IDS))
def test_family_ids(family):
    catalogue = load_catalogue()
    assert {e.id for e in catalogue.family(family)} == MY_IDS[family]


def test_entries_are_complete_and_consistent():
    for entry in load_catalogue():
        assert entry.definition and entry.title and entry.numerator
        if entry.family not in MY_IDS:
            continue
        if entry.unit == "rate_per_10k":
            assert "0-17" in (entry.denominator or "")
        if entry.source == "LOCAL" and entry.family in MY_IDS:
            assert entry.dfe_measure is None, entry.id


def test_inputs_name_real_tables_and_fields(db):
    from csc_scorecard.store.models import CANONICAL_TABLES, table_fields

    for entry in load_catalogue():
        for table, fields in entry.inputs.items():
            assert table in CANONICAL_TABLES, f"{entry.id}: no table {table}"
            known = set(table_fields(table))
            assert set(fields) <= known, f"{entry.id}: {set(fields) - known} not in {table}"


GOOD = """\
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


def write(tmp_path, text, name="fam.yml"):
    (tmp_path / name).write_text(textwrap.dedent(text))
    return tmp_path


def test_a_good_file_loads(tmp_path):
    catalogue = load_catalogue(write(tmp_path, GOOD))
    entry = catalogue["a_count"]
    assert entry.family == "fam" and entry.line == 1
    assert entry.inputs == {"referral": ("child_id", "referral_date")}


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("  unit: count", "  unit: percentage"), 7, "unit 'percentage' is not one of"),
        (("  polarity: contextual", "  polarity: up"), 8, "polarity 'up'"),
        (("  dfe_measure: null", "  dfe_measure: null\n  colour: red"), 14, "unknown key 'colour'"),
        (("  title: A\n", ""), 1, "lacks title"),
        (("  decimals: 0", "  decimals: two"), 10, "'decimals' must be a whole number"),
        (("  source: DfE", "  source: DfE\n  source: LOCAL"), 5, "appears twice"),
        (("- id: a_count", "- id: A-Count"), 1, "not snake_case"),
        (("  numerator: things", "  numerator: [a, b]"), 5, "single value"),
        (("    referral: [child_id, referral_date]", "    referral: child_id"), 12, "list of field"),
        (("  unit: count", "  unit: percent"), 1, "needs a denominator"),
        (("  title: A", "  title: [unclosed"), 3, "not valid YAML"),
    ],
)
def test_errors_name_file_and_line(tmp_path, change, line, words):
    old, new = change
    assert old in GOOD
    write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path)
    message = str(caught.value)
    assert str(tmp_path / "fam.yml") in message
    assert words in message
    assert caught.value.line == line, message


def test_duplicate_id_across_files(tmp_path):
    write(tmp_path, GOOD, "a.yml")
    write(tmp_path, "# another family\n" + GOOD, "b.yml")
    with pytest.raises(CatalogueError, match=r"b\.yml, line 2: id 'a_count' is already defined in .*a\.yml, line 1"):
        load_catalogue(tmp_path)


def test_root_must_be_a_list(tmp_path):
    write(tmp_path, "id: x\n")
    with pytest.raises(CatalogueError, match="must be a list"):
        load_catalogue(tmp_path)


def test_cli_catalogue_list_and_explain():
    runner = CliRunner()
    listed = runner.invoke(catalogue_group, ["list", "--format", "csv"])
    assert listed.exit_code == 0, listed.output
    assert "rereferrals_12m_pct,front_door," in listed.output
    explained = runner.invoke(catalogue_group, ["explain", "icpc_15wd_pct"])
    assert explained.exit_code == 0
    assert "15 working days" in explained.output
    assert "Polarity:     higher better" in explained.output
    unknown = runner.invoke(catalogue_group, ["explain", "icpc"])
    assert unknown.exit_code == 2
    assert "no indicator 'icpc'" in unknown.output and "icpc_count" in unknown.output
    assert "Traceback" not in unknown.output
