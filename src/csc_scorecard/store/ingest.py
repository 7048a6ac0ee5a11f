"""Ingest: files in, one stored Submission per return, all or nothing.

For each group of files (see returns.detect) this:
1. hashes the bytes; the same bytes already stored is a no-op;
2. in one transaction, creates the Submission, streams the reader's rows into
   the canonical tables in batches, stores every issue, and marks older
   submissions of the same return, year, LA (and local subtype) superseded,
   then runs the validation rules and stores their results (validation.at_ingest;
   a rule's trouble never fails the ingest; the cross-return checks run once
   per year and LA, after the last return of that year stored by the call);
3. keeps the raw files under the data directory, named by their sha256.

Any failure rolls the transaction back, so a rejected file leaves the store
exactly as it was. Errors reach the caller as text, never as a traceback.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from csc_scorecard.config import council_settings, data_home
from csc_scorecard.periods import financial_year_of
from csc_scorecard.progress import Progress, as_progress
from csc_scorecard.returns import detect
from csc_scorecard.returns.annex_a.years import window_text
from csc_scorecard.returns.base import ReadResult
from csc_scorecard.returns.cleaning import year_from_text
from csc_scorecard.returns.issue_codes import Code
from csc_scorecard.returns.issues import FileRejected, count_by_severity
from csc_scorecard.store.bulk import TableWriter
from csc_scorecard.store.collection import collecting_less
from csc_scorecard.store.models import (
    IssueRecord,
    RawFile,
    Submission,
)
from csc_scorecard.store.read_ahead import ReadAhead, ReaderCrashed
from csc_scorecard.store.read_worker import WorkerRead
from csc_scorecard.store.reading import read_group
from csc_scorecard.store.sinks import DatabaseSink

log = logging.getLogger(__name__)

MIN_SHARE_IN_YEAR = 0.02


@dataclass
class IngestOutcome:
    label: str
    status: str  # "stored", "duplicate", "skipped" or "rejected"
    return_type: str = ""
    submission_id: int | None = None
    reason: str = ""
    year: str = ""
    la_code: str = ""
    row_counts: dict[str, int] = field(default_factory=dict)
    quarantined: dict[str, int] = field(default_factory=dict)
    issue_counts: dict[str, int] = field(default_factory=dict)
    superseded: list[int] = field(default_factory=list)
    rule_counts: dict = field(default_factory=dict)  # the DfE rules' findings (validation.at_ingest)


@collecting_less
def ingest_paths(
    paths: Sequence[Path],
    *,
    year: str = "",
    la_code: str = "",
    user: str = "",
    progress: Progress | Callable[[str], None] | None = None,
) -> list[IngestOutcome]:
    """Ingest files and folders; one outcome per submission or unrecognised file.

    ``progress`` (see csc_scorecard.progress) sees one step, "Ingesting", with
    a count of the submissions to store and each one's label as it is done.
    """
    reporter = as_progress(progress)
    collected = detect.collect_files(paths)
    outcomes = [IngestOutcome(str(m.path), "rejected", reason=m.reason) for m in collected.missing]
    outcomes += [
        IngestOutcome(str(p), "skipped", reason="not a return (passed over in a folder)")
        for p in collected.passed_over
    ]
    classified: list[detect.Classified] = []
    for path in collected.files:
        result = detect.classify(path)
        if isinstance(result, detect.Unrecognised):
            outcomes.append(IngestOutcome(str(path), "rejected", reason=result.reason))
        else:
            classified.append(result)
    groups = detect.plan_groups(classified)
    # each group's bytes hashed once: already-stored groups are not read ahead for nothing
    hashes = [[(p.name, _sha256(p)) for p in group.paths] for group in groups]
    stored_already = set(
        Submission.objects.filter(sha256__in=[_group_digest(h) for h in hashes]).values_list("sha256", flat=True)
    )
    fresh = [i for i, h in enumerate(hashes) if _group_digest(h) not in stored_already]
    ahead = ReadAhead.start(groups, year=year, la_code=la_code, home=_home_for_workers(), only=fresh)
    try:
        with reporter.step("Ingesting", total=len(groups)) as step:
            # in plan order, but with read-ahead workers a group whose reading is in goes
            # before one still being read (store/read_ahead.py: next_index)
            pending, stored_by_index = list(range(len(groups))), {}
            while pending:
                index = ahead.next_index(pending) if ahead else pending[0]
                pending.remove(index)
                group = groups[index]
                outcome = stored_by_index[index] = ingest_group(
                    group, year=year, la_code=la_code, user=user, cross_checks=False,
                    read_ahead=(ahead, index) if ahead else None, hashes=hashes[index],
                )
                rows = sum(outcome.row_counts.values())
                step.advance(item=f"{group.label} ({outcome.status}{f', {rows:,} rows' if rows else ''})")
            outcomes += [stored_by_index[i] for i in range(len(groups))]
            _cross_check_latest(outcomes)
            stored = [o for o in outcomes if o.status == "stored"]
            step.note(f"{len(stored)} stored, {sum(sum(o.row_counts.values()) for o in stored):,} rows")
    finally:
        if ahead is not None:
            ahead.close()
    return outcomes


def _cross_check_latest(outcomes: list[IngestOutcome]) -> None:
    """The cross-return checks, once per year and LA this ingest stored a return for,
    kept with the latest of them (validation.at_ingest.validate_cross)."""
    from csc_scorecard.validation.at_ingest import CROSS_INPUTS, validate_cross
    from csc_scorecard.validation.cross import shared_reads

    latest: dict[tuple[str, str], IngestOutcome] = {}
    for outcome in outcomes:
        if outcome.status == "stored" and outcome.return_type in CROSS_INPUTS and outcome.year:
            latest[(outcome.year, outcome.la_code)] = outcome  # later ones replace earlier
    # the case tables do not change between these runs (only rule results are stored),
    # so runs over the same submissions read each return's table once
    with shared_reads():
        for outcome in latest.values():
            submission = Submission.objects.get(pk=outcome.submission_id)
            outcome.rule_counts = validate_cross(submission)


def recompute_after_ingest() -> str:
    """Recompute the figures a new submission made stale (services.recompute); "" or the problem.

    Called once an ingest has stored something; the submissions stay stored
    whatever happens here, and `csc-scorecard status` shows what is still stale.
    """
    try:
        from csc_scorecard.services.recompute import recompute_after_ingest as recompute

        recompute()
    except Exception as exc:  # noqa: BLE001 - the stored data must not be lost to a figure bug
        log.warning("recompute after ingest failed: %s", type(exc).__name__)
        return type(exc).__name__  # the message could quote a value from a child's record
    return ""


def ingest_group(
    group: detect.FileGroup,
    *,
    year: str = "",
    la_code: str = "",
    user: str = "",
    cross_checks: bool = True,
    read_ahead: tuple[ReadAhead, int] | None = None,
    hashes: list[tuple[str, str]] | None = None,
) -> IngestOutcome:
    """Store one return (see the module). ``cross_checks=False`` leaves the
    cross-return checks to the caller (ingest_paths runs them once at the end);
    ``read_ahead`` is the workers reading the caller's plan and this group's place
    in it (store/read_ahead.py); ``hashes`` its files' names and sha256s, when the
    caller has them already."""
    if hashes is None:
        hashes = [(p.name, _sha256(p)) for p in group.paths]
    digest = _group_digest(hashes)
    existing = Submission.objects.filter(sha256=digest).first()
    if existing is not None:
        return IngestOutcome(
            group.label,
            "duplicate",
            return_type=existing.return_type,
            submission_id=existing.pk,
            reason=f"already stored as submission {existing.pk}; nothing changed",
            year=existing.year,
            la_code=existing.la_code,
        )
    try:
        with transaction.atomic():
            outcome = _store(
                group, hashes, digest, year=year, la_code=la_code, user=user, cross=cross_checks,
                read_ahead=read_ahead,
            )
    except FileRejected as exc:
        return IngestOutcome(group.label, "rejected", group.return_type, reason=exc.reason)
    except Exception as exc:  # a reader bug must not leak a traceback (or child data) to the user
        if isinstance(exc, ReaderCrashed):  # in a read-ahead worker: where it was, there
            name, file, line = exc.name, exc.filename, exc.lineno
        else:
            where = traceback.extract_tb(exc.__traceback__)[-1]
            name, file, line = type(exc).__name__, where.filename, where.lineno or 0
        log.error(
            "unexpected %s while reading a %s file (%s:%s)", name, group.return_type, Path(file).name, line
        )
        return IngestOutcome(
            group.label,
            "rejected",
            group.return_type,
            reason=f"could not be read ({name}); nothing was stored. "
            "Please report this with the file's return type, not the file itself.",
        )
    _keep_raw_files(group.paths, hashes)
    return outcome


def _store(
    group: detect.FileGroup,
    hashes: list[tuple[str, str]],
    digest: str,
    *,
    year: str,
    la_code: str,
    user: str,
    cross: bool = True,
    read_ahead: tuple[ReadAhead, int] | None = None,
) -> IngestOutcome:
    submission = Submission.objects.create(
        return_type=group.return_type,
        subtype=group.subtype,
        file_names=[name for name, _ in hashes],
        sha256=digest,
        size_bytes=sum(p.stat().st_size for p in group.paths),
        ingested_by=user,
    )
    sink = DatabaseSink(submission.pk)
    rule_tables: dict = {}  # the DfE rules' tables, when the reader built them on the way
    ahead = read_ahead[0].take(read_ahead[1]) if read_ahead else None
    if ahead is None:
        result = read_group(group, year=year, la_code=la_code, sink=sink, rule_tables=rule_tables)
    else:
        result = _replay(ahead, sink, rule_tables)
    sink.flush()

    submission.year = year or result.year or _year_from_names(group.paths)
    submission.la_code = la_code or result.la_code or council_settings().get("la_code", "")
    if group.return_type == "annex_a":
        submission.window_start = result.window_start
        submission.window_end = result.window_end
        submission.as_at = result.as_at
        if year:
            _check_window_fits(year, result, group.label)
    else:
        _settle_year(submission, result, sink, explicit=bool(year))
    if group.return_type in ("ssda903", "cin_census") and not submission.year:
        raise FileRejected(
            group.label,
            "the collection year could not be found in the file or its name; give it with --year 2024-25",
        )
    if not any(result.counts.values()):
        raise FileRejected(group.label, _nothing_usable(result))

    submission.row_counts = result.row_counts
    submission.quarantined_counts = dict(result.quarantined)
    submission.issue_counts = count_by_severity(result.issues)
    submission.save()
    issues = TableWriter(IssueRecord, submission.pk)
    issues.add_many(_issue_fields(i) for i in result.issues)
    issues.flush()
    RawFile.objects.bulk_create(
        RawFile(submission=submission, name=name, sha256=sha, size_bytes=path.stat().st_size)
        for (name, sha), path in zip(hashes, group.paths, strict=True)
    )
    superseded = _supersede_older(submission)
    from csc_scorecard.validation.at_ingest import validate_submission

    rule_counts = validate_submission(
        submission, group.paths, tables=rule_tables.get("cin"), cross=cross
    )
    return IngestOutcome(
        group.label,
        "stored",
        group.return_type,
        submission_id=submission.pk,
        year=submission.year,
        la_code=submission.la_code,
        row_counts=result.row_counts,
        quarantined=dict(result.quarantined),
        issue_counts=submission.issue_counts,
        superseded=superseded,
        rule_counts=rule_counts,
    )


def _replay(read: WorkerRead, sink: DatabaseSink, rule_tables: dict) -> ReadResult:
    """A worker's reading of a group, its rows played into this ingest's sink in the
    order the reader gave them (store/read_ahead.py)."""
    result: ReadResult = read.result  # type: ignore[assignment]
    result.sink = sink
    for table, batch in read.batches:
        sink.add_columns(table, batch)
    rule_tables.update(read.rule_tables)
    return result


def _home_for_workers() -> Path:
    home = data_home()
    home.mkdir(parents=True, exist_ok=True)
    return home


def _settle_year(
    submission: Submission, result: ReadResult, sink: DatabaseSink, *, explicit: bool
) -> None:
    """Check the year a return is filed under against its event dates.

    Evidence beats a guess: when the year only came from a file or folder name
    and the dates say otherwise, the dates' year is used and a warning names
    both. A year given with --year, or read from the file's own header, that
    the dates contradict is refused.
    """
    misfit = _year_misfit(submission.year, sink)
    if misfit is None:
        return
    in_year, total, busiest, busiest_n = misfit
    if not explicit and _year_from_a_name(result):
        result.log(result.files[0]).warning(
            f"the name suggests collection year {submission.year}, but only {in_year} of its "
            f"{total} event dates fall in it and most ({busiest_n}) fall in {busiest}: filed "
            f"under {busiest}. Give --year to file it otherwise",
            code=Code.YEAR_MISMATCH,
        )
        submission.year = busiest
        return
    raise FileRejected(
        result.return_type,
        f"only {in_year} of its {total} event dates fall in collection year {submission.year}; "
        f"most ({busiest_n}) fall in {busiest}. It looks like another "
        "year's return: check the file, or give the right year with --year",
    )


def _year_misfit(year: str, sink: DatabaseSink) -> tuple[int, int, str, int] | None:
    """(in year, total, busiest year, its count) when almost no event falls in `year`.

    A few stray dates (typing errors, reviews booked ahead) are normal, so the
    test is on the share of event dates in the year, not on the extremes.
    """
    event_years: Counter[str] = Counter()
    for day, n in sink.event_dates.items():
        event_years[financial_year_of(day)] += n
    total = sum(event_years.values())
    if not year or not total:
        return None
    in_year = event_years[financial_year_of(dt.date(int(year[:4]), 4, 1))]
    if in_year / total >= MIN_SHARE_IN_YEAR:
        return None
    # a tie goes to the latest year, whatever order the dates were counted in (a reader
    # and a read-ahead worker's replay count them in different orders)
    busiest, busiest_n = max(event_years.items(), key=lambda pair: (pair[1], pair[0]))
    return in_year, total, busiest, busiest_n


def _year_from_a_name(result: ReadResult) -> bool:
    """True when the reader found no year, or took it from a file or folder name."""
    if not result.year:
        return True
    return any(i.code == Code.YEAR_INFERRED and "name" in i.message for i in result.issues)


def _check_window_fits(year: str, result: ReadResult, label: str) -> None:
    """Refuse an Annex A filed (with --year) under a year its window does not touch."""
    start, end = result.window_start, result.as_at or result.window_end
    if start is None or end is None:
        return
    first = dt.date(int(year[:4]), 4, 1)
    last = dt.date(int(year[:4]) + 1, 3, 31)
    if start <= last and end >= first:
        return
    raise FileRejected(
        label,
        f"it was given as collection year {year}, but its lists cover "
        f"{window_text(result.window_start, result.window_end, result.as_at)}, "
        f"which ends in {financial_year_of(end)}. Check the file, or give the right year with --year",
    )


def _nothing_usable(result: ReadResult) -> str:
    refused = sum(result.quarantined.values())
    if refused:
        first = result.errors[0].describe() if result.errors else ""
        return f"none of its {refused} rows could be used; the first problem: {first}"
    return "it holds no rows of data"


def _supersede_older(submission: Submission) -> list[int]:
    older = Submission.objects.filter(
        return_type=submission.return_type,
        year=submission.year,
        la_code=submission.la_code,
        subtype=submission.subtype,
        is_current=True,
    ).exclude(pk=submission.pk)
    ids = list(older.values_list("pk", flat=True))
    older.update(is_current=False, superseded_by=submission)
    return ids


def _issue_fields(issue) -> dict:
    row = issue.as_row()
    row["value"] = str(row["value"])[:120]
    row["file"] = str(row["file"])[:255]
    return row


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _group_digest(hashes: Iterable[tuple[str, str]]) -> str:
    """One file: its own sha256. Several: a sha256 over their sorted hashes."""
    hashes = list(hashes)
    if len(hashes) == 1:
        return hashes[0][1]
    digest = hashlib.sha256()
    for sha in sorted(sha for _, sha in hashes):
        digest.update(sha.encode())
    return digest.hexdigest()


def _year_from_names(paths: Sequence[Path]) -> str:
    for path in paths:
        for part in (path.name, *(p.name for p in path.parents)):
            year = year_from_text(part)
            if year:
                return year
    return ""


def raw_dir() -> Path:
    return data_home() / "raw"


def _keep_raw_files(paths: Sequence[Path], hashes: list[tuple[str, str]]) -> None:
    folder = raw_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for path, (_, sha) in zip(paths, hashes, strict=True):
        target = folder / sha
        if not target.exists():
            partial = folder / f".{sha}.partial"
            shutil.copyfile(path, partial)
            partial.replace(target)
            target.chmod(0o600)
