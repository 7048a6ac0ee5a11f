"""Target files: strict validation, all-or-nothing import, history, export round trip, CLI."""

import datetime as dt
from decimal import Decimal

import pytest
from click.testing import CliRunner

from csc_scorecard.rating.command import targets as targets_cli
from csc_scorecard.rating.models import Target, TargetChange
from csc_scorecard.rating.targets import (
    TargetFileError,
    export_targets,
    import_targets,
    parse_target_text,
    target_history,
    targets_for_year,
)

KNOWN = {"assessments_45wd_pct", "cp_repeat_2yr_pct", "referrals_count", "sw_caseload_avg"}

GOOD_CSV = """indicator_id,year,target,tolerance,tolerance_type,discontinued,note
assessments_45wd_pct,2024-25,85,5,absolute,no,DfE timeliness
cp_repeat_2yr_pct,2024-25,5,10%,,,
referrals_count,2024-25,,,,yes,replaced by the rate
sw_caseload_avg,2024-25,18,0.1,relative,,
"""

GOOD_YAML = """\
- indicator_id: assessments_45wd_pct
  year: 2024-25
  target: 85
  tolerance: 5
- indicator_id: cp_repeat_2yr_pct
  year: 2024-25
  target: 5
  tolerance: 0.1
  tolerance_type: relative
  discontinued: false
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot():
    return (
        sorted(
            Target.objects.values_list(
                "indicator_id", "year", "target", "tolerance", "tolerance_type", "discontinued"
            )
        ),
        TargetChange.objects.count(),
    )


# -- parsing (no database) ---------------------------------------------------


def test_parse_csv():
    specs = {s.indicator_id: s for s in parse_target_text(GOOD_CSV, name="t.csv", known_ids=KNOWN)}
    a = specs["assessments_45wd_pct"]
    assert (a.target, a.tolerance, a.tolerance_type, a.discontinued, a.note) == (
        Decimal(85),
        Decimal(5),
        "absolute",
        False,
        "DfE timeliness",
    )
    cp = specs["cp_repeat_2yr_pct"]
    assert (cp.tolerance, cp.tolerance_type) == (
        Decimal("0.1"),
        "relative",
    )  # "10%" is relative 0.1
    assert specs["referrals_count"].discontinued and specs["referrals_count"].target is None


def test_parse_yaml_with_targets_key():
    text = "targets:\n" + "\n".join("  " + line for line in GOOD_YAML.splitlines())
    specs = parse_target_text(text, name="t.yml", known_ids=KNOWN)
    assert [s.indicator_id for s in specs] == ["assessments_45wd_pct", "cp_repeat_2yr_pct"]


def problems_of(text, name, known=KNOWN):
    with pytest.raises(TargetFileError) as info:
        parse_target_text(text, name=name, known_ids=known)
    return info.value.problems, str(info.value)


def test_missing_column_is_named():
    problems, message = problems_of(
        "indicator_id,year,tolerance\nreferrals_count,2024-25,1\n", "t.csv"
    )
    assert [(p.where, p.column) for p in problems] == [("row 1", "target")]
    assert "t.csv" in message and "target" in message and "nothing was imported" in message


def test_bad_values_name_row_column_and_value():
    text = (
        "indicator_id,year,target,tolerance,tolerance_type,discontinued\n"
        "assessments_45wd_pct,2024-25,eighty,,,\n"
        "assessments_45wd_pct,2024,85,,,\n"
        "cp_repeat_2yr_pct,2024-25,5,-1,,\n"
        "cp_repeat_2yr_pct,2023-24,5,2,relative,\n"
        "sw_caseload_avg,2024-25,18,,sideways,maybe\n"
        "nonsense_pct,2024-25,1,,,\n"
    )
    problems, message = problems_of(text, "targets.csv")
    found = {(p.where, p.column, p.value) for p in problems}
    assert ("row 2", "target", "eighty") in found
    assert ("row 3", "year", "2024") in found
    assert ("row 4", "tolerance", "-1") in found
    assert ("row 5", "tolerance", "2") in found  # relative tolerance above 1
    assert ("row 6", "tolerance_type", "sideways") in found
    assert ("row 6", "discontinued", "maybe") in found
    assert ("row 7", "indicator_id", "nonsense_pct") in found
    assert "targets.csv, row 2, column target, value 'eighty': not a number" in message


def test_unknown_ids_allowed_without_a_catalogue():
    specs = parse_target_text("indicator_id,year,target\nnonsense_pct,2024-25,1\n", name="t.csv")
    assert specs[0].indicator_id == "nonsense_pct"


def test_duplicates_and_unknown_columns():
    problems, _ = problems_of(
        "indicator_id,year,target\nreferrals_count,2024-25,1\nreferrals_count,2024-25,2\n", "t.csv"
    )
    assert problems[0].where == "row 3" and "row 2" in problems[0].message
    problems, _ = problems_of("indicator_id,year,target,colour\n", "t.csv")
    assert problems[0].column == "colour"


def test_yaml_problems_name_lines():
    text = "- indicator_id: assessments_45wd_pct\n  year: 2024-25\n  target: lots\n- indicator_id: referrals_count\n  year: 2024-25\n"
    problems, _ = problems_of(text, "t.yml")
    assert {(p.where, p.column) for p in problems} == {("line 3", "target"), ("line 4", "target")}
    problems, _ = problems_of("- [1, 2\n", "t.yml")
    assert "not valid YAML" in problems[0].message


def test_unknown_format():
    with pytest.raises(TargetFileError):
        parse_target_text(GOOD_CSV, name="targets.xlsx")


# -- database ------------------------------------------------------------------


@pytest.mark.django_db
def test_import_creates_targets_and_history(tmp_path):
    path = write(tmp_path, "targets.csv", GOOD_CSV)
    before = dt.datetime.now(dt.UTC)
    summary = import_targets(path, user="analyst1", known_ids=KNOWN)
    assert (summary.created, summary.updated, summary.unchanged) == (4, 0, 0)
    stored = targets_for_year("2024-25")
    assert stored["sw_caseload_avg"].tolerance_type == "relative"
    assert stored["referrals_count"].discontinued
    history = target_history("assessments_45wd_pct")
    assert {(h["field"], h["old_value"], h["new_value"]) for h in history} >= {
        ("target", "", "85"),
        ("tolerance", "", "5"),
    }
    assert all(
        h["changed_by"] == "analyst1" and h["changed_at"] >= before and h["action"] == "created"
        for h in history
    )
    assert all(h["source"] == "targets.csv" for h in history)


@pytest.mark.django_db
def test_update_records_old_and_new_and_same_file_is_a_no_op(tmp_path):
    import_targets(write(tmp_path, "targets.csv", GOOD_CSV), user="analyst1", known_ids=KNOWN)
    changed = GOOD_CSV.replace(
        "assessments_45wd_pct,2024-25,85,5", "assessments_45wd_pct,2024-25,87.5,3"
    )
    n_before = TargetChange.objects.count()
    summary = import_targets(
        write(tmp_path, "targets2.csv", changed), user="head_of_service", known_ids=KNOWN
    )
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 3)
    new = list(TargetChange.objects.order_by("id"))[n_before:]
    assert {(c.field, c.old_value, c.new_value, c.changed_by, c.action) for c in new} == {
        ("target", "85", "87.5", "head_of_service", "updated"),
        ("tolerance", "5", "3", "head_of_service", "updated"),
    }
    again = import_targets(write(tmp_path, "targets3.csv", changed), user="x", known_ids=KNOWN)
    assert (again.updated, again.unchanged) == (0, 4)
    assert TargetChange.objects.count() == n_before + 2
    assert Target.objects.get(indicator_id="assessments_45wd_pct").updated_by == "head_of_service"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "broken",
    [
        "indicator_id,year,tolerance\nassessments_45wd_pct,2024-25,1\n",  # missing column
        GOOD_CSV + "cp_repeat_2yr_pct,2025-26,five,,,,\n",  # bad number on the last row
        GOOD_CSV + "made_up_pct,2025-26,5,,,,\n",  # unknown id
    ],
    ids=["missing-column", "bad-number", "unknown-id"],
)
def test_broken_file_changes_nothing(tmp_path, broken):
    import_targets(write(tmp_path, "targets.csv", GOOD_CSV), user="a", known_ids=KNOWN)
    before = snapshot()
    edited = broken.replace(
        "assessments_45wd_pct,2024-25,85,5", "assessments_45wd_pct,2024-25,90,5"
    )
    with pytest.raises(TargetFileError):
        import_targets(write(tmp_path, "broken.csv", edited), user="b", known_ids=KNOWN)
    assert snapshot() == before


@pytest.mark.django_db
def test_failure_during_store_rolls_back(tmp_path, monkeypatch):
    import_targets(write(tmp_path, "targets.csv", GOOD_CSV), user="a", known_ids=KNOWN)
    before = snapshot()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(TargetChange.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        import_targets(write(tmp_path, "t2.csv", GOOD_CSV.replace(",85,", ",95,")), user="b")
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "yaml"])
def test_export_import_round_trip(tmp_path, fmt):
    import_targets(write(tmp_path, "targets.csv", GOOD_CSV), user="a", known_ids=KNOWN)
    out = tmp_path / f"export.{'yml' if fmt == 'yaml' else 'csv'}"
    export_targets(fmt, out)
    before = snapshot()
    summary = import_targets(out, user="b", known_ids=KNOWN)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 4)
    assert snapshot() == before


@pytest.mark.django_db
def test_replace_deletes_only_the_files_years(tmp_path):
    import_targets(write(tmp_path, "targets.csv", GOOD_CSV), user="a")
    import_targets(
        write(tmp_path, "old.csv", "indicator_id,year,target\nreferrals_count,2023-24,100\n"),
        user="a",
    )
    summary = import_targets(
        write(
            tmp_path,
            "less.csv",
            "indicator_id,year,target,tolerance\nassessments_45wd_pct,2024-25,85,5\n",
        ),
        user="b",
        replace=True,
    )
    assert summary.deleted == 3
    assert set(Target.objects.values_list("indicator_id", "year")) == {
        ("assessments_45wd_pct", "2024-25"),
        ("referrals_count", "2023-24"),
    }
    deleted = TargetChange.objects.filter(
        action="deleted", indicator_id="sw_caseload_avg", field="target"
    )
    assert [(d.old_value, d.new_value, d.changed_by) for d in deleted] == [("18", "", "b")]


@pytest.mark.django_db
def test_cli_import_export_history(tmp_path):
    runner = CliRunner()
    path = write(tmp_path, "targets.csv", GOOD_CSV)
    result = runner.invoke(targets_cli, ["import", str(path), "--user", "analyst1"])
    assert result.exit_code == 0, result.output
    assert "4 created" in result.output
    result = runner.invoke(targets_cli, ["export", "--format", "yaml"])
    assert result.exit_code == 0 and "assessments_45wd_pct" in result.output
    out = tmp_path / "out.csv"
    result = runner.invoke(targets_cli, ["export", "--output", str(out)])
    assert result.exit_code == 0 and out.read_text().startswith("indicator_id,year,target")
    result = runner.invoke(targets_cli, ["history", "assessments_45wd_pct"])
    assert result.exit_code == 0 and "analyst1" in result.output and "created" in result.output


@pytest.mark.django_db
def test_cli_broken_file_is_a_clear_message(tmp_path):
    runner = CliRunner()
    path = write(
        tmp_path, "targets.csv", "indicator_id,year,target\nreferrals_count,2024-25,lots\n"
    )
    result = runner.invoke(targets_cli, ["import", str(path)])
    assert result.exit_code == 2
    assert "row 2, column target, value 'lots'" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(targets_cli, ["import", str(tmp_path / "missing.csv")])
    assert result.exit_code == 2 and "cannot read the file" in result.output
    assert Target.objects.count() == 0
