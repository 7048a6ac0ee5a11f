"""Scenarios shift rates and trends; the click command writes and summarises."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner
from synth_rates import read_cin, working_days

from csc_scorecard.synth import ScenarioError, generate, load_scenario
from csc_scorecard.synth.command import synth
from csc_scorecard.synth.scenario import builtin_names


def test_builtin_scenarios_load():
    assert {"improving", "struggling"} <= set(builtin_names())
    imp = load_scenario("improving")
    strug = load_scenario("struggling")
    # trends: improving gets better each year, struggling worse
    assert imp.value("assessment_late", 2022) > imp.value("assessment_late", 2025)
    assert strug.value("assessment_late", 2022) < strug.value("assessment_late", 2025)
    assert strug.value("assessment_late", 2025, "East") > strug.value("assessment_late", 2025)
    assert load_scenario(None).value("demand", 2020) == 1.0


def test_scenario_file_errors_are_clear(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("knobs:\n  referals: 1.2\n")
    with pytest.raises(ScenarioError, match="unknown knob 'referals'"):
        load_scenario(bad)
    bad.write_text("knobs:\n  demand: {level: -1}\n")
    with pytest.raises(ScenarioError, match="level must be > 0"):
        load_scenario(bad)
    bad.write_text("knobs: [1, 2\n")
    with pytest.raises(ScenarioError, match="not valid YAML"):
        load_scenario(bad)
    with pytest.raises(ScenarioError, match="neither a file nor a built-in"):
        load_scenario("no-such-scenario")


def _late_share(council_dir, label):
    done = [
        (s, a)
        for e in read_cin(council_dir / label / "cin_census.xml")
        for s, a in e["assess"]
        if a and a.year + (a.month >= 4) == int(label[:4]) + 1
    ]
    return sum(working_days(s, a) > 45 for s, a in done) / len(done)


def test_scenarios_shift_rates_and_trends(tmp_path):
    custom = tmp_path / "custom.yml"
    custom.write_text(yaml.safe_dump({"name": "custom", "knobs": {"demand": 1.5}}))
    years = "2021-22,2024-25"
    generate(tmp_path / "imp", population=15_000, seed=4, years=years, scenario="improving")
    generate(tmp_path / "str", population=15_000, seed=4, years=years, scenario="struggling")
    generate(tmp_path / "cus", population=8_000, seed=4, years="2024-25", scenario=custom)
    generate(tmp_path / "def", population=8_000, seed=4, years="2024-25")
    imp, strug = tmp_path / "imp" / "999", tmp_path / "str" / "999"
    assert _late_share(imp, "2024-25") < _late_share(strug, "2024-25")
    assert _late_share(imp, "2024-25") < _late_share(imp, "2021-22")  # improving
    assert _late_share(strug, "2024-25") > _late_share(strug, "2021-22")  # getting worse
    assert yaml.safe_load((strug / "council.yml").read_text())["scenario"] == "struggling"

    def referrals(root):
        return sum(
            1
            for e in read_cin(root / "2024-25" / "cin_census.xml")
            if e["ref"].year * 100 + e["ref"].month >= 202404
        )

    assert referrals(tmp_path / "cus" / "999") > 1.3 * referrals(tmp_path / "def" / "999")


def test_cli_writes_and_summarises(tmp_path):
    runner = CliRunner()
    res = runner.invoke(
        synth,
        [
            "--out",
            str(tmp_path),
            "--la",
            "870",
            "--population",
            "4000",
            "--years",
            "2023-24:2024-25",
            "--seed",
            "3",
            "--councils",
            "3",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "3 council(s), 2 year(s)" in res.output
    dirs = sorted(p.name for p in tmp_path.iterdir())
    assert len(dirs) == 3 and "870" in dirs
    pops = set()
    for d in dirs:
        meta = yaml.safe_load((tmp_path / d / "council.yml").read_text())
        assert meta["la_code"] == d
        pops.add(meta["population"])
        for year in ("2023-24", "2024-25"):
            y = tmp_path / d / year
            assert (y / "cin_census.xml").is_file() and (y / "annex_a.xlsx").is_file()
            # the 903 XML sits in its own folder, never among the 903 CSVs
            assert (y / "ssda903_xml" / "ssda903.xml").is_file()
            assert not (y / "ssda903" / "ssda903.xml").exists()
            assert (y / "local" / "visits.csv").is_file()
    assert len(pops) == 3, "councils have distinct populations"


def test_cli_no_xml_writes_no_903_xml_and_removes_an_old_one(tmp_path):
    args = ["--out", str(tmp_path), "--population", "2000", "--years", "2024-25", "--quiet"]
    res = CliRunner().invoke(synth, args)
    assert res.exit_code == 0, res.output
    ydir = tmp_path / "999" / "2024-25"
    assert (ydir / "ssda903_xml" / "ssda903.xml").is_file()
    # an XML left inside the CSV folder by the older layout is tidied away too
    (ydir / "ssda903" / "ssda903.xml").write_text("<EXPSSDA903/>")
    res = CliRunner().invoke(synth, [*args, "--no-xml"])
    assert res.exit_code == 0, res.output
    assert not (ydir / "ssda903_xml").exists()
    assert not (ydir / "ssda903" / "ssda903.xml").exists()
    assert (ydir / "ssda903" / "episodes.csv").is_file()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--years", "2024-26"], "next year"),
        (["--years", "2012-13"], "outside 2016-17..2025-26"),
        (["--la", "12"], "3-digit"),
        (["--scenario", "nope"], "neither a file nor a built-in"),
    ],
)
def test_cli_bad_options_get_clear_errors(tmp_path, args, message):
    res = CliRunner().invoke(synth, ["--out", str(tmp_path), "--population", "2000", *args])
    assert res.exit_code == 2
    assert message in res.output
    assert "Traceback" not in res.output
