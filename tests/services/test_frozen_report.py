"""A frozen year's annual report is reproducible: a later ingest that changes the live
figures leaves every figure of the regenerated report as it was.

A small synthetic council (two years) is ingested and recomputed; the 2024-25 annual report
is written, the year frozen, then a second 903 for 2024-25 without half of its children
is ingested (it supersedes the first) and recomputed, and the reference data restates the
England and neighbour figures. The report written again holds the same figure in every
cell, benchmarks included; the live figures have moved; once the freeze is withdrawn, the
report written a third time differs (so the comparison can fail).
"""

from __future__ import annotations

import csv
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from services_storekit import account

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # about 2 minutes: a synthetic council ingested twice

LA = "981"
POPULATION = 1500


class FigureCells(HTMLParser):
    """Every cell naming a stored result (data-field), and the key findings, with their text."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple[str, ...], str] = {}
        self.findings: list[str] = []
        self._open: list[tuple[str, tuple[str, ...] | None, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("td", "th") and "data-field" in a:
            key = tuple(a.get(k) or "" for k in ("data-indicator", "data-period", "data-area",
                                                 "data-field"))
            self._open.append((tag, key, []))
        elif tag == "li" and "finding" in (a.get("class") or ""):
            self._open.append((tag, None, []))

    def handle_data(self, data):
        for _, _, parts in self._open:
            parts.append(data)

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            _, key, parts = self._open.pop()
            text = " ".join("".join(parts).split())
            if key is None:
                self.findings.append(text)
            else:
                self.cells[key] = text


def figures_of(path: Path) -> FigureCells:
    parser = FigureCells()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def write_annual(out: Path) -> Path:
    """The annual report's HTML, with the benchmarks the scorecard reads by default."""
    from csc_scorecard.reporting.produce import write_report

    return write_report("annual", "2024-25", out, la_code=LA, formats=("html",)).paths["html"]


def newer_reference_data(monkeypatch) -> None:
    """As if a new reference import restated every SN average and England figure (+10)."""
    import polars as pl

    from csc_scorecard.benchmarks import compare

    original = compare.benchmarks_for

    def restated(*args, **kwargs):
        frame = original(*args, **kwargs)
        return frame.with_columns(pl.col("england") + 10, pl.col("sn_average") + 10)

    monkeypatch.setattr(compare, "benchmarks_for", restated)


def without_a_third_of_the_children(src: Path, dest: Path) -> int:
    """A copy of a 903 folder leaving out every other child of the header; children dropped."""
    shutil.copytree(src, dest)
    with (src / "header.csv").open(newline="") as f:
        children = [row["CHILD"] for row in csv.DictReader(f)]
    dropped = set(children[::2])
    for path in dest.glob("*.csv"):
        with path.open(newline="") as f:
            reader = csv.DictReader(f)
            fields, rows = reader.fieldnames, [r for r in reader if r.get("CHILD") not in dropped]
        with path.open("w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
    return len(dropped)


def council_figures() -> dict[str, tuple]:
    """The live 2024-25 council-wide figures: indicator -> (numerator, denominator, value)."""
    from csc_scorecard.services.results import live_values

    frame = live_values("2024-25", la_code=LA, breakdown="all")
    return {r["indicator_id"]: (r["numerator"], r["denominator"], r["value"])
            for r in frame.iter_rows(named=True)}


def test_frozen_annual_report_holds_its_figures_after_a_new_ingest(home, tmp_path, monkeypatch):
    from csc_scorecard.services.freeze import freeze_period, unfreeze_period
    from csc_scorecard.services.recompute import recompute_after_ingest
    from csc_scorecard.store.ingest import ingest_paths
    from csc_scorecard.synth import generate

    generate(tmp_path / "returns", la_code=LA, population=POPULATION, seed=11,
             years=("2023-24", "2024-25"), xml=False)
    council = tmp_path / "returns" / LA
    shutil.copy(council / "council.yml", home / "council.yml")
    with (home / "council.yml").open("a") as f:  # England and neighbours from the snapshot
        f.write("neighbours_like: '933'\n")
    stored = [o for o in ingest_paths([council]) if o.status == "stored"]
    assert stored
    recompute_after_ingest()
    before = figures_of(write_annual(tmp_path / "before"))
    assert len(before.cells) > 100 and before.findings
    benchmark_cells = {k: v for k, v in before.cells.items() if k[2] == "benchmark"}
    assert any(v not in ("", "–") for v in benchmark_cells.values()), benchmark_cells

    info = freeze_period(account("ann", "analyst"), "2024-25", la_code=LA, label="Annual return")
    frozen = council_figures()
    dropped = without_a_third_of_the_children(council / "2024-25" / "ssda903",
                                              tmp_path / "reloaded" / "ssda903")
    again = ingest_paths([tmp_path / "reloaded" / "ssda903"], year="2024-25", la_code=LA)
    assert [o.status for o in again] == ["stored"], [(o.status, o.reason) for o in again]
    recompute_after_ingest()
    newer_reference_data(monkeypatch)
    # the live figures moved: fewer children looked after in 2024-25
    live = council_figures()
    moved = sorted(k for k in frozen if live.get(k) != frozen[k])
    assert dropped > 0 and "cla_starts_count" in moved, moved
    assert live["cla_starts_count"][0] < frozen["cla_starts_count"][0]

    after_path = write_annual(tmp_path / "after")
    after = figures_of(after_path)
    assert after.cells == before.cells
    assert after.findings == before.findings
    text = after_path.read_text(encoding="utf-8")
    assert f"frozen on {info.date_text}" in text and "Annual return" in text

    # control: the same comparison sees the change once the year is read live again
    unfreeze_period(account("root", "admin"), "2024-25", reason="test", la_code=LA)
    reread = figures_of(write_annual(tmp_path / "live"))
    changed = [k for k, v in reread.cells.items() if before.cells.get(k) != v]
    assert any(k[0] == "cla_starts_count" and k[1] == "2024-25" for k in changed), changed[:10]
    assert any(k[2] == "benchmark" for k in changed), changed[:10]  # the restated England
