"""The Returns pages: upload through the CLI's ingest, refused uploads, issues and their downloads."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from csc_scorecard.config import data_home
from csc_scorecard.store.models import AuditEvent, IssueRecord, Submission
from csc_scorecard.web.tasks.models import TaskRun

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def council_year(tmp_path_factory) -> Path:
    """A small synthetic council's 2024-25 returns (csc-scorecard synth)."""
    from csc_scorecard.synth.command import synth

    out = tmp_path_factory.mktemp("synth")
    result = CliRunner().invoke(synth, ["--out", str(out), "--population", "1000", "--years", "2024-25"])
    assert result.exit_code == 0, result.output
    return out / "999" / "2024-25"


def upload(client, *files):
    return client.post(reverse("returns:upload"), {"files": list(files)})


def as_upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def zipped(entries: dict[str, bytes], name="returns.zip", compression=zipfile.ZIP_DEFLATED) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for entry, data in entries.items():
            archive.writestr(entry, data)
    return SimpleUploadedFile(name, buffer.getvalue())


def nothing_changed():
    assert Submission.objects.count() == 0
    assert TaskRun.objects.count() == 0
    uploads = data_home() / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


def test_upload_files_runs_the_ingest_and_shows_the_result(clients, council_year):
    response = upload(clients["analyst"], as_upload(council_year / "cin_census.xml"), as_upload(council_year / "annex_a.xlsx"))
    assert response.status_code == 302
    run = TaskRun.objects.get()
    assert response["Location"] == reverse("tasks:detail", args=[run.pk])
    assert run.status == "done", run.failure
    assert run.result["stored"] == 2 and run.result["rejected"] == 0
    stored = {s.return_type: s for s in Submission.objects.all()}
    assert set(stored) == {"cin_census", "annex_a"}
    assert stored["cin_census"].year == "2024-25" and stored["cin_census"].ingested_by == "analyst-user"

    page = clients["analyst"].get(response["Location"]).content.decode()
    assert "Finished" in page and "cin_census.xml" in page and "Stored" in page

    listing = clients["analyst"].get(reverse("returns:list")).content.decode()
    assert "CIN census" in listing and "Annex A" in listing and "Current" in listing
    home = clients["viewer"].get(reverse("core:home")).content.decode()
    assert "CIN census" in home and "2024-25" in home
    # staging folder removed once ingested
    assert not any((data_home() / "uploads").iterdir())


def test_upload_zip_of_a_year_folder_and_same_again_changes_nothing(clients, council_year):
    entries = {
        str(p.relative_to(council_year.parent)): p.read_bytes()
        for p in sorted(council_year.rglob("*")) if p.is_file() and "ssda903_xml" not in p.parts
    }
    first = upload(clients["admin"], zipped(entries))
    assert first.status_code == 302
    run = TaskRun.objects.get()
    assert run.status == "done", run.failure
    kinds = sorted(o["return"] for o in run.result["outcomes"] if o["status"] == "stored")
    assert kinds == ["Annex A", "CIN census", "Local extract (allocations)",
                     "Local extract (area_populations)",
                     "Local extract (cin_plan_reviews)", "Local extract (early_help)",
                     "Local extract (teams)", "Local extract (visits)", "Local extract (workforce)",
                     "SSDA903"]
    count = Submission.objects.count()
    again = upload(clients["admin"], zipped(entries, name="again.zip"))
    assert again.status_code == 302
    second = TaskRun.objects.order_by("-id").first()
    assert second.result["stored"] == 0
    assert {o["status"] for o in second.result["outcomes"]} == {"duplicate"}
    assert Submission.objects.count() == count


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: [SimpleUploadedFile("empty.csv", b"")], "empty.csv is empty"),
        (lambda: [SimpleUploadedFile("notes.csv", b"hello,world\n1,2\n")], "notes.csv is not a return"),
        (lambda: [SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)], "photo.png is not a return"),
        (lambda: [zipped({"../../evil.csv": b"CHILD,SEX\n1,1\n"})], "names a file outside itself"),
        (lambda: [zipped({"/etc/cron.d/evil": b"x"})], "names a file outside itself"),
        (lambda: [zipped({"README.txt": b"no returns here"})], "None of the files is a return"),
        (lambda: [zipped({"inner.zip": b"PK\x03\x04 not really"})], "holds another zip"),
        (lambda: [zipped({"big.csv": b"0" * (30 << 20)})], "looks like a zip bomb"),
        (lambda: [SimpleUploadedFile("broken.zip", b"PK\x03\x04 this is not a zip")], "not a zip file that can be opened"),
        (lambda: [], "Choose one or more files"),
    ],
    ids=["empty", "junk-csv", "binary", "traversal", "absolute", "no-returns", "nested", "bomb", "bad-zip", "none"],
)
def test_refused_uploads_say_why_and_change_nothing(clients, make, message, tmp_path):
    response = upload(clients["analyst"], *make())
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text and message in text
    assert "Traceback" not in text
    nothing_changed()
    assert not (data_home() / "evil.csv").exists() and not (data_home().parent / "evil.csv").exists()


def test_oversized_upload_is_refused_before_it_is_stored(clients, settings, council_year):
    settings.UPLOAD_LIMIT_BYTES = 10_000
    big = council_year / "cin_census.xml"
    assert big.stat().st_size > 10_000
    response = upload(clients["analyst"], as_upload(big))
    assert response.status_code == 400
    assert "larger than the limit" in response.content.decode()
    nothing_changed()


def test_a_failed_task_says_what_failed_and_stores_nothing(clients, council_year, monkeypatch):
    import csc_scorecard.store.ingest as ingest_module

    def broken(*args, **kwargs):
        raise RuntimeError("child 7788123 has a bad date")  # a message quoting child data

    monkeypatch.setattr(ingest_module, "ingest_paths", broken)
    response = upload(clients["analyst"], as_upload(council_year / "cin_census.xml"))
    run = TaskRun.objects.get()
    assert run.status == "failed"
    page = clients["analyst"].get(response["Location"]).content.decode()
    assert "The task failed" in page and "RuntimeError" in page
    assert "7788123" not in page and "7788123" not in run.failure
    assert Submission.objects.count() == 0
    assert not any((data_home() / "uploads").iterdir())


def test_a_task_is_only_visible_to_who_started_it_and_admins(clients, council_year):
    upload(clients["analyst"], as_upload(council_year / "cin_census.xml"))
    run = TaskRun.objects.get()
    url = reverse("tasks:detail", args=[run.pk])
    assert clients["analyst"].get(url).status_code == 200
    assert clients["admin"].get(url).status_code == 200
    assert clients["manager"].get(url).status_code == 404
    status = clients["analyst"].get(reverse("tasks:status", args=[run.pk])).json()
    assert status["finished"] and status["status"] == "done"


@pytest.fixture()
def issues_submission(db):
    sub = Submission.objects.create(return_type="ssda903", year="2024-25", la_code="999", sha256="b" * 64,
                                    file_names=["episodes.csv"], row_counts={"cla_episode": 10})
    rows = [
        ("error", "bad-date", "cla_episode", "DECOM", "=cmd", 3),
        ("warning", "bad-code", "cla_episode", "RNE", "Q9", 4),
        ("error", "missing", "child", "DOB", "", 5),
    ]
    for severity, code, table, column, value, row in rows:
        IssueRecord.objects.create(submission=sub, severity=severity, code=code, file="episodes.csv",
                                   table=table, row=row, column=column, value=value, message=f"{code} here")
    return sub


def test_issues_table_filters_and_downloads_what_it_shows(clients, issues_submission):
    url = reverse("returns:issues", args=[issues_submission.pk])
    page = clients["analyst"].get(url, {"severity": "error"}).content.decode()
    assert "2 issues" in page and "bad-date here" in page and "missing here" in page
    assert "bad-code here" not in page
    page = clients["analyst"].get(url, {"severity": "error", "table": "child"}).content.decode()
    assert "1 issue." in page and "missing here" in page
    csv_text = clients["analyst"].get(
        reverse("returns:issues-csv", args=[issues_submission.pk]), {"code": "bad-date"}
    ).content.decode()
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert [(r["code"], r["row"], r["value"]) for r in rows] == [("bad-date", "3", "'=cmd")]  # formula defused
    xlsx = clients["analyst"].get(reverse("returns:issues-xlsx", args=[issues_submission.pk]))
    assert xlsx.content[:2] == b"PK" and "attachment" in xlsx["Content-Disposition"]
    events = list(AuditEvent.objects.filter(action__startswith="issues").order_by("id").values_list("action", "rows"))
    assert events == [("issues-view", 2), ("issues-view", 1), ("issues-export", 1), ("issues-export", 3)]


def test_home_freshness_shows_the_latest_submission_of_each_return_and_year(clients):
    def stored(n, return_type, year, issues, current=True, subtype=""):
        return Submission.objects.create(
            return_type=return_type, year=year, subtype=subtype, sha256=f"{n:064d}", is_current=current,
            row_counts={"child": n * 10}, issue_counts=issues,
        )

    stored(1, "cin_census", "2023-24", {"error": 4, "warning": 1, "info": 0})
    stored(2, "cin_census", "2024-25", {"error": 9, "warning": 9, "info": 9}, current=False)
    stored(3, "cin_census", "2024-25", {"error": 2, "warning": 0, "info": 5})  # replaces 2
    stored(4, "local", "2024-25", {"error": 0, "warning": 3, "info": 0}, subtype="teams")
    from csc_scorecard.services.returns import freshness

    rows = [(r["return"], r["year"], r["submission"], r["rows"], r["errors"], r["warnings"], r["notes"])
            for r in freshness(None)]
    ids = list(Submission.objects.order_by("id").values_list("id", flat=True))
    assert rows == [
        ("CIN census", "2023-24", ids[0], 10, 4, 1, 0),
        ("CIN census", "2024-25", ids[2], 30, 2, 0, 5),  # the latest, not the superseded one
        ("Local extract (teams)", "2024-25", ids[3], 40, 0, 3, 0),
    ]
    html = clients["viewer"].get(reverse("core:home")).content.decode()
    assert "Local extract (teams)" in html and "2023-24" in html


def test_the_year_box_overrides_the_files_and_is_checked(clients, council_year):
    csvs = sorted((council_year / "ssda903").glob("*.csv"))
    bad = clients["analyst"].post(reverse("returns:upload"), {"files": [as_upload(p) for p in csvs], "year": "2024"})
    assert bad.status_code == 400 and "Enter the collection year like 2024-25" in bad.content.decode()
    nothing_changed()

    # a year the data cannot belong to: refused by the ingest, explained in the web's words
    clients["analyst"].post(reverse("returns:upload"), {"files": [as_upload(p) for p in csvs], "year": "2015-16"})
    [outcome] = TaskRun.objects.get().result["outcomes"]
    assert outcome["status"] == "rejected" and "collection year 2015-16" in outcome["reason"]
    assert "in the collection year box" in outcome["reason"] and "--year" not in outcome["reason"]
    assert Submission.objects.count() == 0

    clients["analyst"].post(reverse("returns:upload"), {"files": [as_upload(p) for p in csvs], "year": "2024-25"})
    stored = Submission.objects.get()
    assert (stored.return_type, stored.year) == ("ssda903", "2024-25")
