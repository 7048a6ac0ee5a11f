"""TableTap: the rule tables built while the census reader streams the file (one parse
per ingest) are the tables load_cin_tables builds from the file on its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from polars.testing import assert_frame_equal
from test_cin_tables import FIXTURES, HAND_WRITTEN, needs_fixtures

from csc_scorecard.returns.base import ListSink
from csc_scorecard.returns.cin_census import read_cin_census
from csc_scorecard.validation.cin import load_cin_tables
from csc_scorecard.validation.cin.tables import TABLES, TableTap


class _EveryYear(TableTap):
    """Collects whatever the year (the shared fixtures are years without rules)."""

    def year(self, year: str) -> None:
        return None


def _tapped(path: Path) -> dict:
    tap = _EveryYear()
    read_cin_census(path, sink=ListSink(), tap=tap)
    frames = tap.frames()
    assert frames is not None
    return frames


def _assert_same(path: Path) -> None:
    tapped, alone = _tapped(path), load_cin_tables(path)
    assert set(tapped) == set(alone) == set(TABLES)
    for name in TABLES:
        assert_frame_equal(tapped[name], alone[name])


def test_hand_written_census_gives_the_same_tables(tmp_path):
    path = tmp_path / "census.xml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    tapped = _tapped(path)
    # two children, the second without an id; three episodes' worth of rows in all
    assert tapped["ChildIdentifiers"]["LAchildID"].to_list() == ["A1", None]
    assert tapped["Assessments"].height == 2 and tapped["Reviews"].height == 2
    _assert_same(path)


@needs_fixtures
@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.xml")) if FIXTURES.exists() else [])
def test_shared_fixtures_give_the_same_tables(name):
    _assert_same(FIXTURES / name)


class _Broken(TableTap):
    def __init__(self) -> None:
        super().__init__()
        self.seen = 0

    def child(self, child) -> None:
        self.seen += 1
        if self.seen == 2:
            child = None  # the collector fails on this child
        super().child(child)


def test_a_failing_tap_is_dropped_and_the_reading_goes_on(tmp_path):
    path = tmp_path / "census.xml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    tap = _Broken()
    result = read_cin_census(path, sink=ListSink(), tap=tap)
    assert tap.seen == 2
    assert tap.frames() is None  # the caller reads the file again (validation.at_ingest)
    assert result.counts["child"] == read_cin_census(path, sink=ListSink()).counts["child"]


def test_no_rules_for_the_year_collects_nothing(tmp_path):
    # 2023-24 (Year 2024): no DfE list is held before 2024-25, so nothing is built
    path = tmp_path / "census.xml"
    path.write_text(HAND_WRITTEN.replace("<Year>2025</Year>", "<Year>2024</Year>")
                    .replace("2025-03-31", "2024-03-31"), encoding="utf-8")
    tap = TableTap()
    read_cin_census(path, sink=ListSink(), tap=tap)
    assert tap.frames() is None
