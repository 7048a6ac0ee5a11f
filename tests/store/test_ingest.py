"""Ingest end to end on the real-format fixtures, and on broken and hostile input."""

import shutil

import pytest
from click.testing import CliRunner

from csc_scorecard.cli import cli
from csc_scorecard.config import shared_dir
from csc_scorecard.store import bulk
from csc_scorecard.store import ingest as ingest_module
from csc_scorecard.store.ingest import ingest_paths
from csc_scorecard.store.models import CANONICAL_TABLES, IssueRecord, RawFile, Submission

FIXTURES = shared_dir() / "fixtures"
FAKE_903 = FIXTURES / "ssda903" / "validator_fake_2017_18"
CIN_2024 = FIXTURES / "cin_census" / "CIN_Census_2024.xml"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not FIXTURES.exists(), reason="../shared/fixtures is not beside the repo"),
]


def store_snapshot():
    """Every row count in the store: equal snapshots mean nothing changed."""
    counts = {name: model.objects.count() for name, model in CANONICAL_TABLES.items()}
    counts["submissions"] = Submission.objects.count()
    counts["issues"] = IssueRecord.objects.count()
    counts["raw"] = RawFile.objects.count()
    return counts


def only(outcomes, status):
    assert [o.status for o in outcomes] == [status], [(o.label, o.status, o.reason) for o in outcomes]
    return outcomes[0]


@pytest.fixture()
def fake_903_csvs(tmp_path):
    folder = tmp_path / "903_2017_18"
    folder.mkdir()
    for path in FAKE_903.glob("*.csv"):
        shutil.copy(path, folder / path.name)
    return folder


def test_903_csv_folder_is_one_submission_with_every_table(fake_903_csvs, settings):
    outcome = only(ingest_paths([fake_903_csvs]), "stored")
    sub = Submission.objects.get(pk=outcome.submission_id)
    assert sub.return_type == "ssda903" and sub.year == "2017-18" and sub.is_current
    assert len(sub.file_names) == len(list(fake_903_csvs.glob("*.csv")))
    # what the submission says it stored is what the tables hold
    for table, n in sub.row_counts.items():
        assert CANONICAL_TABLES[table].objects.filter(submission=sub).count() == n
    assert sub.row_counts["cla_episode"] > 100 and sub.row_counts["child"] > 100
    # raw bytes kept, by checksum, byte for byte
    for raw in sub.raw_files.all():
        kept = ingest_module.raw_dir() / raw.sha256
        assert kept.read_bytes() == (fake_903_csvs / raw.name).read_bytes()


def test_same_files_twice_is_a_no_op(fake_903_csvs):
    only(ingest_paths([fake_903_csvs]), "stored")
    before = store_snapshot()
    outcome = only(ingest_paths([fake_903_csvs]), "duplicate")
    assert "already stored" in outcome.reason
    assert store_snapshot() == before


def test_newer_submission_of_same_return_and_year_becomes_current(tmp_path):
    first = tmp_path / "a"
    second = tmp_path / "b"
    first.mkdir()
    second.mkdir()
    shutil.copy(CIN_2024, first / "census.xml")
    # the same return re-sent with one byte changed (a trailing newline) is a new submission
    (second / "census.xml").write_bytes(CIN_2024.read_bytes() + b"\n")
    old = only(ingest_paths([first]), "stored")
    new = only(ingest_paths([second]), "stored")
    assert new.superseded == [old.submission_id]
    old_sub = Submission.objects.get(pk=old.submission_id)
    assert not old_sub.is_current and old_sub.superseded_by_id == new.submission_id
    assert Submission.objects.get(pk=new.submission_id).is_current
    # the older one stays stored, rows and all
    assert old_sub.row_counts == Submission.objects.get(pk=new.submission_id).row_counts
    assert CANONICAL_TABLES["referral"].objects.filter(submission=old_sub).count() > 0


def test_a_failure_part_way_through_leaves_the_store_exactly_as_it_was(fake_903_csvs, monkeypatch):
    only(ingest_paths([CIN_2024]), "stored")
    before = store_snapshot()
    real_read = ingest_module.read_group
    monkeypatch.setattr(bulk, "BATCH_ROWS", 7)  # so batches are written before the failure

    def read_then_fail(group, **kw):
        real_read(group, **kw)
        kw["sink"].flush()
        raise RuntimeError("disk full, say")

    monkeypatch.setattr(ingest_module, "read_group", read_then_fail)
    outcome = only(ingest_paths([fake_903_csvs]), "rejected")
    assert "RuntimeError" in outcome.reason and "nothing was stored" in outcome.reason
    assert store_snapshot() == before


@pytest.mark.parametrize(
    ("name", "content", "reason_words"),
    [
        ("episodes.csv", b"", "empty"),
        ("episodes.csv", bytes(range(256)) * 400, "binary"),
        ("episodes.csv", b"NAME,FAVOURITE_COLOUR\nAda,blue\n", "match no"),
        ("returns.xlsx", b"PK\x03\x04" + b"\x00" * 200, "workbook"),
        ("census.xml", b"<Message><Header><CollectionDetails><Collection>CIN</Collection>", ""),
        ("other.xml", b"<?xml version='1.0'?><catalogue><book/></catalogue>", "neither"),
    ],
)
def test_hostile_and_broken_files_are_rejected_and_store_unchanged(tmp_path, name, content, reason_words):
    path = tmp_path / name
    path.write_bytes(content)
    before = store_snapshot()
    outcome = only(ingest_paths([path]), "rejected")
    assert outcome.reason
    if reason_words:
        assert reason_words in outcome.reason.lower() or reason_words in outcome.reason
    assert store_snapshot() == before


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2024</Year>
<ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails></Header>
<Children><Child><ChildIdentifiers><LAchildID>&lol9;</LAchildID></ChildIdentifiers></Child></Children></Message>
"""


def test_entity_expansion_bomb_is_rejected_quickly(tmp_path):
    path = tmp_path / "cin.xml"
    path.write_bytes(BILLION_LAUGHS)
    before = store_snapshot()
    outcome = only(ingest_paths([path]), "rejected")
    assert outcome.reason
    assert store_snapshot() == before


def test_truncated_xml_is_rejected_whole(tmp_path):
    data = CIN_2024.read_bytes()
    path = tmp_path / "cin.xml"
    path.write_bytes(data[: len(data) * 2 // 3])
    before = store_snapshot()
    only(ingest_paths([path]), "rejected")
    assert store_snapshot() == before


def test_wrong_year_return_is_rejected(fake_903_csvs):
    before = store_snapshot()
    outcome = only(ingest_paths([fake_903_csvs], year="2024-25"), "rejected")
    assert "2024-25" in outcome.reason
    assert store_snapshot() == before


def test_files_that_cannot_be_returns_are_passed_over_in_a_folder(fake_903_csvs):
    (fake_903_csvs / "council.yml").write_text("la_code: '999'\n")
    (fake_903_csvs / "README.md").write_text("# notes\n")
    outcomes = ingest_paths([fake_903_csvs])
    assert sorted(o.status for o in outcomes) == ["skipped", "skipped", "stored"]
    # named directly, it is read and refused for what it is
    named = only(ingest_paths([fake_903_csvs / "council.yml"]), "rejected")
    assert "match no" in named.reason


def test_missing_path_is_reported(tmp_path):
    outcome = only(ingest_paths([tmp_path / "nope"]), "rejected")
    assert "no such file" in outcome.reason


def test_cli_exit_codes_and_messages(tmp_path, fake_903_csvs):
    runner = CliRunner()
    good = runner.invoke(cli, ["ingest", str(fake_903_csvs)])
    assert good.exit_code == 0, good.output
    assert "stored" in good.output and "cla_episode" in good.output

    junk = tmp_path / "episodes.csv"
    junk.write_bytes(b"\x00\xff" * 1000)
    bad = runner.invoke(cli, ["ingest", str(junk)])
    assert bad.exit_code == 2
    assert "episodes.csv" in bad.stderr and "binary" in bad.stderr
    assert "Traceback" not in bad.output + bad.stderr

    status = runner.invoke(cli, ["status"])
    assert status.exit_code == 0 and "ssda903" in status.output and "current" in status.output

    bad_year = runner.invoke(cli, ["ingest", "--year", "2024", str(fake_903_csvs)])
    assert bad_year.exit_code == 2 and "2024-25" in bad_year.stderr


def test_issue_reports_in_csv_and_xlsx(tmp_path):
    import csv
    import io

    from openpyxl import load_workbook

    outcome = only(ingest_paths([FIXTURES / "cin_census" / "fake_CIN_data.xml"]), "stored")
    runner = CliRunner()
    as_csv = runner.invoke(cli, ["issues", str(outcome.submission_id), "--format", "csv"])
    assert as_csv.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert list(rows[0]) == ["rule", "severity", "code", "file", "table", "child", "row", "place", "column",
                             "value", "message", "expected"]
    assert len(rows) == IssueRecord.objects.filter(submission_id=outcome.submission_id).count() > 0
    assert all(r["file"] == "fake_CIN_data.xml" for r in rows)

    target = tmp_path / "issues.xlsx"
    as_xlsx = runner.invoke(cli, ["issues", str(outcome.submission_id), "--format", "xlsx", "--output", str(target)])
    assert as_xlsx.exit_code == 0
    sheet = load_workbook(target)["Issues"]
    assert sheet.max_row == len(rows) + 1
    assert sheet.auto_filter.ref and sheet["A1"].value == "rule"

    missing = runner.invoke(cli, ["issues", "99999"])
    assert missing.exit_code == 2 and "no submission" in missing.stderr


def test_child_level_views_and_exports_are_audited_without_child_data(tmp_path):
    from csc_scorecard.store.models import AuditEvent

    outcome = only(ingest_paths([FIXTURES / "cin_census" / "fake_CIN_data.xml"]), "stored")
    runner = CliRunner()
    runner.invoke(cli, ["issues", str(outcome.submission_id), "--format", "csv"])
    event = AuditEvent.objects.get()
    assert event.action == "issues" and event.rows > 0
    assert f"submission {outcome.submission_id}" in event.detail
    child_ids = set(CANONICAL_TABLES["child"].objects.values_list("child_id", flat=True))
    assert not any(child_id in event.detail for child_id in child_ids)
