"""Annex A is filed by the window its lists cover: content beats a name, only --year refuses."""

import datetime as dt
import shutil

import openpyxl
import pytest
from click.testing import CliRunner

from csc_scorecard.cli import cli
from csc_scorecard.config import shared_dir
from csc_scorecard.indicators.casedata import load_case_data
from csc_scorecard.store.ingest import ingest_paths
from csc_scorecard.store.models import IssueRecord, Submission

FIXTURES = shared_dir() / "fixtures"
OFSTED_SAMPLE = FIXTURES / "annex_a" / "Annex_A_2024_Jan.xlsx"
FAKE_903 = FIXTURES / "ssda903" / "validator_fake_2017_18"

pytestmark = pytest.mark.django_db

needs_fixtures = pytest.mark.skipif(
    not FIXTURES.exists(), reason="../shared/fixtures is not beside the repo"
)

CONTACT_HEADERS = [
    "Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Date of Contact",
    "Contact Source",
]


def contacts_workbook(path, dates, title=None):
    """A one-list Annex A: contacts on the given dates, under an optional title row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "List 1"
    if title:
        ws.append([title])
    ws.append(CONTACT_HEADERS)
    for n, day in enumerate(dates, start=1):
        ws.append([f"C{n}", "a) Male", "a) WBRI", dt.datetime(2015, 1, 1), 8,
                   dt.datetime.combine(day, dt.time()), "q) 6: Police"])
    wb.save(path)
    return path


def codes_of(submission_id):
    return list(IssueRecord.objects.filter(submission_id=submission_id).values_list("code", "message"))


@needs_fixtures
def test_ofsteds_sample_loads_under_the_year_its_window_ends_in():
    [outcome] = ingest_paths([OFSTED_SAMPLE])
    assert outcome.status == "stored", outcome.reason
    sub = Submission.objects.get(pk=outcome.submission_id)
    # named January 2024 (2023-24); its events run 16/05/2019 - 08/02/2021, so 2020-21
    assert sub.year == "2020-21"
    assert (sub.window_start, sub.window_end, sub.as_at) == (
        dt.date(2019, 5, 16), dt.date(2021, 2, 8), None
    )
    [(code, message)] = [c for c in codes_of(sub.pk) if c[0] == "year-mismatch"]
    assert "2023-24" in message and "2020-21" in message
    # the case data knows which days the Annex A tables speak for
    data = load_case_data()
    assert data.annex_a_window == (dt.date(2019, 5, 16), dt.date(2021, 2, 8))
    assert any("16/05/2019 to 08/02/2021" in note for note in data.notes)


def test_a_name_the_content_contradicts_gets_a_warning_and_the_as_at_date_wins(tmp_path):
    # named for January 2025 (2024-25); the title says "as at 31/03/2023" and the
    # contacts run 03/10/2022 - 14/02/2023: the window ends 31/03/2023, in 2022-23
    path = contacts_workbook(
        tmp_path / "Annex_A_Jan_2025.xlsx",
        [dt.date(2022, 10, 3), dt.date(2022, 12, 1), dt.date(2023, 2, 14)],
        title="Annex A for inspection, data as at 31/03/2023",
    )
    [outcome] = ingest_paths([path])
    assert outcome.status == "stored", outcome.reason
    sub = Submission.objects.get(pk=outcome.submission_id)
    assert sub.year == "2022-23"
    assert (sub.window_start, sub.window_end, sub.as_at) == (
        dt.date(2022, 10, 3), dt.date(2023, 2, 14), dt.date(2023, 3, 31)
    )
    [(_, message)] = [c for c in codes_of(sub.pk) if c[0] == "year-mismatch"]
    assert "2024-25" in message and "2022-23" in message and "31/03/2023" in message


def test_a_name_the_content_agrees_with_is_only_a_note(tmp_path):
    path = contacts_workbook(
        tmp_path / "Annex_A_2024-25.xlsx", [dt.date(2024, 9, 2), dt.date(2025, 1, 6)]
    )
    [outcome] = ingest_paths([path])
    sub = Submission.objects.get(pk=outcome.submission_id)
    assert sub.year == "2024-25"
    assert not [c for c in codes_of(sub.pk) if c[0] == "year-mismatch"]


def test_an_explicit_wrong_year_is_still_refused(tmp_path):
    path = contacts_workbook(
        tmp_path / "annex.xlsx", [dt.date(2022, 10, 3), dt.date(2023, 2, 14)]
    )
    result = CliRunner().invoke(cli, ["ingest", "--year", "2024-25", str(path)])
    assert result.exit_code == 2
    assert "2024-25" in result.output and "03/10/2022 to 14/02/2023" in result.output
    assert Submission.objects.count() == 0
    # a --year the window touches is accepted (the window spans 2022-23 only)
    ok = CliRunner().invoke(cli, ["ingest", "--year", "2022-23", str(path)])
    assert ok.exit_code == 0, ok.output
    assert Submission.objects.get().year == "2022-23"


@needs_fixtures
def test_a_903_folder_named_for_another_year_is_filed_by_its_dates(tmp_path):
    # the validator's fake 903 holds 2017-18 episodes; the folder name says 2024-25
    folder = tmp_path / "903_2024_25"
    folder.mkdir()
    for path in FAKE_903.glob("*.csv"):
        shutil.copy(path, folder / path.name)
    [outcome] = ingest_paths([folder])
    assert outcome.status == "stored", outcome.reason
    sub = Submission.objects.get(pk=outcome.submission_id)
    assert sub.year != "2024-25"
    [(_, message)] = [c for c in codes_of(sub.pk) if c[0] == "year-mismatch"][-1:]
    assert "2024-25" in message and sub.year in message
