"""`synth --defects`: every injected defect is listed, and the validator finds each one."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from csc_scorecard.cli import cli
from csc_scorecard.synth.defects import (
    DefectsError,
    known_defects,
    parse_defects,
    read_manifest,
)
from csc_scorecard.validation.files import run_files
from csc_scorecard.validation.report import issues

RETURN_OF = {"ssda903": "ssda903", "cin": "cin_census"}


def _found(year_dir):
    run = run_files([year_dir / "ssda903", year_dir / "cin_census.xml"], year="2024-25", la="933")
    return {(RETURN_OF[i.return_type], i.rule, i.child) for i in issues(run)}


def _synth(out, *extra):
    result = CliRunner().invoke(cli, [
        "synth", "--out", str(out), "--la", "933", "--population", "12000",
        "--years", "2024-25", "--seed", "4", "--no-xml", *extra,
    ])
    assert result.exit_code == 0, result.output
    return result


def test_every_injected_defect_is_found_by_the_rules(tmp_path):
    # Two children for every known defect (13 in the 903, 34 in the census).
    plan = tmp_path / "defects.yml"
    plan.write_text(yaml.safe_dump({name: 2 for name in known_defects()}))
    clean = tmp_path / "clean"
    _synth(clean)
    out = tmp_path / "defective"
    result = _synth(out, "--defects", str(plan))
    year = out / "933" / "2024-25"
    manifest = read_manifest(year / "defects.csv")
    assert f"injected {len(manifest)} defects" in result.output
    # Every defect found a child to spoil (this council has records of every kind), two each.
    per_defect = {}
    for e in manifest:
        per_defect[e["defect"]] = per_defect.get(e["defect"], 0) + 1
    assert per_defect == {name: 2 for name in known_defects()}
    # Each (rule, child) injected is flagged by the rules on the defective returns ...
    found = _found(year)
    missed = [e for e in manifest if (e["return"], e["rule"], e["child"]) not in found]
    assert missed == []
    # ... and was not flagged on the clean ones: the finding is the injection's doing.
    before = _found(clean / "933" / "2024-25")
    already = [e for e in manifest if (e["return"], e["rule"], e["child"]) in before]
    assert already == []
    # 903 rows point at the spoiled value: the header's row 1, so data starts on row 2.
    e = next(e for e in manifest if e["defect"] == "103:header_ethnic")
    lines = (year / e["file"]).read_text().splitlines()
    assert lines[int(e["row"]) - 1].split(",")[0] == e["child"] and ",XXXX," in lines[int(e["row"]) - 1]


def test_a_rate_spoils_about_that_share_of_children(tmp_path):
    out = tmp_path / "out"
    _synth(out, "--defects", "0.1")
    year = out / "933" / "2024-25"
    manifest = read_manifest(year / "defects.csv")
    header_children = len((year / "ssda903" / "header.csv").read_text().splitlines()) - 1
    in_903 = [e for e in manifest if e["return"] == "ssda903"]
    # round(0.1 x children) drawn; a draw on a child already spoiled or with no row to spoil is
    # dropped, so at most that many and most of them.
    assert 0.6 * round(0.1 * header_children) <= len(in_903) <= round(0.1 * header_children)
    assert len({e["child"] for e in in_903}) == len(in_903)  # one defect per child
    assert any(e["return"] == "cin_census" for e in manifest)


def test_bad_defects_values_are_refused_clearly(tmp_path):
    with pytest.raises(DefectsError, match="above 0"):
        parse_defects("1.5")
    with pytest.raises(DefectsError, match="readable YAML"):
        parse_defects(str(tmp_path / "absent.yml"))
    listing = tmp_path / "bad.yml"
    listing.write_text("'999': 2\n")
    with pytest.raises(DefectsError, match="no defect is known"):
        parse_defects(str(listing))
    listing.write_text("'103': 0\n")
    with pytest.raises(DefectsError, match="whole number"):
        parse_defects(str(listing))
    listing.write_text("'103': 3\n8565q: 1\n")  # no 8565 defect: refused before anything is written
    with pytest.raises(DefectsError):
        parse_defects(str(listing))
    listing.write_text("'103': 3\n")
    assert parse_defects(str(listing)).counts == {"103:header_ethnic": 3}
    result = CliRunner().invoke(cli, ["synth", "--out", str(tmp_path / "x"), "--defects", "zero"])
    assert result.exit_code == 2 and "not a rate" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x").exists()  # refused before anything was generated
