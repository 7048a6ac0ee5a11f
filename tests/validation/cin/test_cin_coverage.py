"""How many codes of each year's DfE list have a rule function running for that year."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import csc_scorecard.validation.cin  # noqa: F401 - registers the rules
from csc_scorecard.validation.cin import rule_list
from csc_scorecard.validation.core import REGISTRY

SPECS = Path(__file__).resolve().parents[3] / ".." / "shared" / "specs" / "cin_census"
LISTS = {
    "2024-25": "dfe_rules_2024_25.csv",
    "2025-26": "dfe_rules_2024_25.csv",  # the DfE changed nothing for 2025-26
    "2026-27": "dfe_rules_2026_27.csv",
}


def _codes(name: str) -> set[str]:
    with (SPECS / name).open(encoding="utf-8-sig", newline="") as handle:
        return {row["Rule code"].strip() for row in csv.DictReader(handle)}


@pytest.mark.skipif(not SPECS.exists(), reason="../shared/specs not present")
@pytest.mark.parametrize("year", sorted(LISTS))
def test_every_code_of_the_year_has_a_function(year):
    listed = _codes(LISTS[year])
    running = {r.spec.code for r in REGISTRY.for_return("cin", year)}
    covered = listed & running
    print(f"CIN census {year}: {len(covered)} of {len(listed)} DfE rules have a function")
    assert len(listed) == 109
    assert covered == listed
    assert running == listed  # and nothing runs that the year's list does not have


def test_rules_do_not_run_before_the_first_listed_year():
    assert REGISTRY.for_return("cin", "2023-24") == []


def test_the_rule_list_is_the_dfe_list():
    entries = rule_list()
    assert entries["2884"]["message"].startswith("An initial child protection conference is recorded")
    assert entries["2884"]["tables"] == ["CINdetails", "Section47"]
    assert entries["1510"]["fields"] == ["UPN"]
    # The messages carry over unchanged; severity follows the Q.
    spec = REGISTRY.rules["cin:8770Q"].spec
    assert spec.severity == "query" and spec.message == entries["8770Q"]["message"]


def test_year_deltas_from_the_build_script(tmp_path):
    import importlib.util

    script = Path(__file__).resolve().parents[3] / "scripts" / "build_cin_rule_list.py"
    spec = importlib.util.spec_from_file_location("build_cin_rule_list", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lists = {
        "2024-25": {"1": {"message": "a", "fields": [], "tables": []},
                    "2": {"message": "b", "fields": [], "tables": []}},
        "2025-26": {"1": {"message": "a2", "fields": [], "tables": []}},
        "2026-27": {"1": {"message": "a2", "fields": [], "tables": []},
                    "3": {"message": "c", "fields": [], "tables": []}},
    }
    out = module.deltas(lists)
    assert (out["1"]["first_year"], out["1"]["retired_in"]) == ("2024-25", None)
    assert out["1"]["changes"] == [{"year": "2025-26", "message": "a2"}]
    assert (out["2"]["first_year"], out["2"]["retired_in"]) == ("2024-25", "2025-26")
    assert (out["3"]["first_year"], out["3"]["retired_in"]) == ("2026-27", None)
    assert module.parse_fields(
        "[<CINTable.ChildProtectionPlans: <enum 'ChildProtectionPlans'>>, 'CPPstartDate', 'CPPendDate']"
    ) == ["CPPstartDate", "CPPendDate"]
