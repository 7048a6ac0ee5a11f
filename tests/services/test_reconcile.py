"""reconcile: live, frozen and published figures side by side, against a tiny hand-made set.

The published figures are a reference import of four rows written by the test into the
data home (an import wins over the shipped snapshot); the stored ones are written straight
into results.IndicatorValue, frozen, then changed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import polars as pl
import pytest
from click.testing import CliRunner
from services_storekit import account, submission

from csc_scorecard.cli import cli

pytestmark = pytest.mark.django_db

LA = "933"
NOW = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
C1 = "c1_children_in_need_referrals_and_rereferrals"
CLA_RATE = "cla_number_and_rate_per_10k_children:rate_per_10000:Children looked after on 31 March each year"


def publish(home):
    """The DfE's 2024-25 figures for LA 933 (and England's referrals, which must not be used)."""
    from csc_scorecard.benchmarks.paths import snapshot_dir

    schema = pl.read_parquet(snapshot_dir() / "measures.parquet").schema
    rows = [
        (f"{C1}:referral_count", "Local authority", LA, 5036.0),
        (f"{C1}:rereferral_percent", "Local authority", LA, 21.3),
        (CLA_RATE, "Local authority", LA, 39.0),
        (f"{C1}:referral_count", "National", "", 1000.0),
    ]
    frame = pl.DataFrame(
        [{"measure_id": m, "source": "dfe", "dataset": m.split(":")[0], "geographic_level": level,
          "la_code": code or None, "la_name": "Somerset" if code else None,
          "region_code": "E12000009" if code else None, "time_period": "2025", "year": "2024-25",
          "period_label": "2024-25", "period_end": dt.date(2025, 3, 31), "value": v,
          "raw": f"{v:g}", "source_file": "tiny.csv"} for m, level, code, v in rows],
        schema_overrides={k: t for k, t in schema.items()},
    )
    for name in schema:
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=schema[name]).alias(name))
    folder = home / "reference"
    folder.mkdir()
    frame.select(list(schema)).write_parquet(folder / "measures.parquet")
    (folder / "manifest.json").write_text(json.dumps({"imported_at": "2026-04-01T10:00:00+00:00",
                                                      "src_dir": "tiny"}))


def store(indicator, numerator, denominator, value, sub):
    from csc_scorecard.results.models import IndicatorValue

    IndicatorValue.objects.update_or_create(
        indicator_id=indicator, period="2024-25", breakdown="all", breakdown_value="all",
        la_code=LA, defaults={"numerator": numerator, "denominator": denominator,
                              "value": value, "computed_at": NOW, "submissions": [sub.pk]})


@pytest.fixture()
def figures(home):
    """Frozen: 5,036 referrals, 1,000/5,036 re-referrals (19.857%), CLA 480/120,000 (40.0);
    then live: 5,040, 1,050/5,040 (20.833%), 500/120,000 (41.667), caseload 73/4 (18.25)."""
    from csc_scorecard.services.freeze import freeze_period

    publish(home)
    first, second = submission("cin_census", "2024-25", LA), submission("ssda903", "2024-25", LA)
    store("referrals_count", 5036, None, 5036, first)
    store("rereferrals_12m_pct", 1000, 5036, 100 * 1000 / 5036, first)
    store("cla_rate_per_10k", 480, 120_000, 40.0, first)
    freeze_period(account("ann", "analyst"), "2024-25", la_code=LA, label="Submitted")
    store("referrals_count", 5040, None, 5040, second)
    store("rereferrals_12m_pct", 1050, 5040, 100 * 1050 / 5040, second)
    store("cla_rate_per_10k", 500, 120_000, 10_000 * 500 / 120_000, second)
    store("sw_caseload_avg", 73, 4, 18.25, second)
    return first, second


def by_id(rows):
    return {r["indicator_id"]: r for r in rows}


def test_differences_are_of_the_printed_figures_in_the_indicators_unit(figures):
    from csc_scorecard.services.reconcile import reconcile

    first, second = figures
    result = reconcile("2024-25", la_code=LA)
    rows = by_id(result.rows)
    # only indicators with a figure somewhere (in catalogue order)
    assert sorted(rows) == ["cla_rate_per_10k", "referrals_count", "rereferrals_12m_pct",
                            "sw_caseload_avg"]
    got = {k: (r["live"], r["frozen"], r["published"], r["live_minus_frozen"],
               r["live_minus_published"], r["frozen_minus_published"], r["difference_unit"])
           for k, r in rows.items()}
    assert got == {
        # 5,040 - 5,036 = 4; the LA's 5,036 published, not England's 1,000
        "referrals_count": (5040, 5036, 5036, 4, 4, 0, "number"),
        # 20.8 - 19.9 = 0.9pp; 20.8 - 21.3 = -0.5pp; 19.9 - 21.3 = -1.4pp
        "rereferrals_12m_pct": (20.8, 19.9, 21.3, 0.9, -0.5, -1.4, "pp"),
        # no decimals: 42 (41.667) - 40 = 2; 42 - 39 = 3; 40 - 39 = 1
        "cla_rate_per_10k": (42, 40, 39, 2, 3, 1, "per 10,000"),
        # stored after the freeze, never published: 18.25 -> 18.3, nothing to compare
        "sw_caseload_avg": (18.3, None, None, None, None, None, "average"),
    }
    r = rows["rereferrals_12m_pct"]
    assert (r["live_num_den"], r["frozen_num_den"]) == ("1,050/5,040", "1,000/5,036")
    assert f"#{second.pk} ssda903 2024-25" in r["live_source"]
    assert r["frozen_source"].startswith("freeze version 1 of ")
    assert f"#{first.pk} cin_census 2024-25" in r["frozen_source"]
    assert r["published_source"].startswith(f"DfE 2024-25, {C1}:rereferral_percent; reference data")
    assert result.freeze is not None and result.freeze.label == "Submitted"


def test_table_csv_and_xlsx(figures, home, tmp_path):
    import openpyxl

    runner = CliRunner()
    table = runner.invoke(cli, ["reconcile", "--period", "2024-25", "--la", LA])
    assert table.exit_code == 0, table.output
    line = next(x for x in table.output.splitlines() if "Re-referrals" in x or "re-referrals" in x)
    assert "20.8" in line and "19.9" in line and "21.3" in line and "+0.9" in line and "-1.4" in line
    assert "Frozen: LA 933 2024-25 version 1" in table.output

    out = runner.invoke(cli, ["reconcile", "--period", "2024-25", "--la", LA, "--format", "csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    rr = next(r for r in rows if r["Indicator id"] == "rereferrals_12m_pct")
    # a negative difference stays a number (no formula guard on numbers)
    assert (rr["Live"], rr["Live - published"], rr["Difference in"]) == ("20.8", "-0.5", "pp")
    assert next(r for r in rows if r["Indicator id"] == "referrals_count")["Live"] == "5040"

    target = tmp_path / "rec.xlsx"
    done = runner.invoke(cli, ["reconcile", "--period", "2024-25", "--la", LA, "--format", "xlsx",
                               "--output", str(target)])
    assert done.exit_code == 0, done.output
    book = openpyxl.load_workbook(target)
    sheet = book["Reconcile"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:O5"  # 15 columns, header + 4 indicators
    header = [c.value for c in sheet[1]]
    rows_by_id = {}
    for cells in sheet.iter_rows(min_row=2):
        values = {h: c.value for h, c in zip(header, cells, strict=True)}
        rows_by_id[values["Indicator id"]] = values
    row = rows_by_id["rereferrals_12m_pct"]
    assert (row["Live - frozen"], row["Frozen - published"]) == (0.9, -1.4)  # numbers, not text
    assert "Submitted" in " ".join(str(c.value) for c in book["About"]["A"])


def test_csv_guards_text_cells_against_formulas():
    from csc_scorecard.services.reconcile import COLUMNS, Reconciliation, reconcile_csv

    row = dict.fromkeys(COLUMNS, None)
    row.update(indicator_id="local_x", title="=HYPERLINK(\"http://x\")", live=-2.0,
               live_source="@SUM(A1)")
    text = reconcile_csv(Reconciliation("933", "2024-25", None, "none", [row]))
    cells = list(csv.reader(io.StringIO(text)))[1]
    assert cells[1] == "'=HYPERLINK(\"http://x\")" and cells[5] == "'@SUM(A1)"
    assert cells[3] == "-2"


def test_reconcile_needs_a_year_and_results(home):
    runner = CliRunner()
    quarter = runner.invoke(cli, ["reconcile", "--period", "2024-25-Q2"])
    assert quarter.exit_code == 2 and "this command takes a financial year" in quarter.stderr
    nothing = runner.invoke(cli, ["reconcile", "--period", "2024-25"])
    assert nothing.exit_code == 2 and "no indicator results are stored" in nothing.stderr
    table_to_file = runner.invoke(cli, ["reconcile", "--period", "2024-25", "--output", "x.csv"])
    assert table_to_file.exit_code == 2 and "--output is for --format csv or xlsx" in table_to_file.stderr


def test_not_frozen_and_not_published_say_so(home):
    from csc_scorecard.services.reconcile import reconcile

    sub = submission("cin_census", "2024-25", "981")
    from csc_scorecard.results.models import IndicatorValue

    IndicatorValue.objects.create(indicator_id="referrals_count", period="2024-25", la_code="981",
                                  numerator=7, value=7, computed_at=NOW, submissions=[sub.pk])
    result = reconcile("2024-25", la_code="981")
    assert [(r["live"], r["frozen"], r["published"]) for r in result.rows] == [(7, None, None)]
    assert any("not frozen" in n for n in result.notes)
    assert any("published figures unavailable" in n and "981" in n for n in result.notes)
