"""The DfE rules and our cross-return checks, run as a return is ingested.

    validate_submission(submission, paths) -> RuleCounts
    validate_cross(submission) -> RuleCounts     (the cross checks alone, see below)

store/ingest.py calls this once, inside the submission's transaction, after
the readers have stored the return and older submissions were superseded.
It runs

1. the return's own rules - the SSDA903's (with last year's 903 read again
   from the store's raw files, so the rules comparing years run) or the CIN
   census's - on the files just read; and
2. the cross-return checks (XR01...) over the store's current submissions for
   the submission's collection year and LA. A 903, census or Annex A each can
   change their answer, so they run after any of those is ingested.

Each failing record becomes an IssueRecord of the submission with the rule's
code in ``rule`` and severity error (DfE error), query (DfE query) or warning
(our check). Every rule in force gets a RuleOutcome - passed, failed, not run
(with what it needed), could not run (the exception's type and place) - so a
rule that did not run is never mistaken for one that passed.

The cross-return results of a year belong to the store as a whole, not to one
file: they are kept with the submission whose ingest last ran them, and that
run replaces the ones kept with earlier submissions of the same year and LA.
So when one ingest stores several returns of a year (a 903, a census and an
Annex A), store/ingest.py asks validate_submission to leave them out
(``cross=False``) and runs validate_cross once, after the last of them, with
that submission: the store ends as if each had run them, without the two
runs whose results the third would replace.

Validation is advice, never a gate: anything it raises is caught, logged by
type and place only, and the ingest goes on (the submission is stored with
``rule_counts`` saying the rules could not be run).
"""

from __future__ import annotations

import logging
import time
import traceback
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from django.db import transaction

from csc_scorecard.validation.core import Context, Outcome, RuleResult
from csc_scorecard.validation.files import ReturnRun, ValidationRun

log = logging.getLogger(__name__)

RULE_SETS = {"ssda903": "ssda903", "cin_census": "cin"}  # submission return type -> rule set
CROSS_INPUTS = ("ssda903", "cin_census", "annex_a")  # returns the cross checks read
RuleCounts = dict  # "error"/"query"/"warning" -> failures; "not run"/"could not run" -> rules; "seconds"


def validate_submission(
    submission, paths: Sequence[Path], *, tables=None, cross: bool = True
) -> RuleCounts:
    """Run and store the rules for a just-stored submission; never raises (see the module).

    `tables`: a CIN census's rule tables when the reader built them as it read
    the file (validation.cin.tables.TableTap); otherwise the file is read again.
    """
    if submission.return_type not in RULE_SETS and submission.return_type not in CROSS_INPUTS:
        return {}
    started = time.perf_counter()
    try:
        with transaction.atomic():  # a savepoint: a failure here undoes only the rule results
            counts = _validate(submission, list(paths), tables, cross)
    except Exception as exc:  # validation must never fail the ingest
        where = traceback.extract_tb(exc.__traceback__)[-1]
        log.error("validation at ingest failed: %s (%s:%s)", type(exc).__name__,
                  Path(where.filename).name, where.lineno)
        counts = {"failed": f"{type(exc).__name__}: the rules could not be run on this submission"}
    counts["seconds"] = round(time.perf_counter() - started, 2)
    submission.rule_counts = counts
    submission.save(update_fields=["rule_counts"])
    return counts


def validate_cross(submission) -> RuleCounts:
    """Run the cross checks for a stored submission's year and LA and keep them with
    it (replacing earlier ones); its ``rule_counts`` gain their counts. Never raises."""
    if submission.return_type not in CROSS_INPUTS or not submission.year:
        return dict(submission.rule_counts or {})
    started = time.perf_counter()
    try:
        with transaction.atomic():
            run = _cross_checks(submission)
            _store(submission, [run], replacing_cross=True)
            found: dict = _count([run])
    except Exception as exc:  # validation must never fail the ingest
        where = traceback.extract_tb(exc.__traceback__)[-1]
        log.error("cross checks at ingest failed: %s (%s:%s)", type(exc).__name__,
                  Path(where.filename).name, where.lineno)
        found = {"failed": f"{type(exc).__name__}: the cross-return checks could not be run"}
    counts = dict(submission.rule_counts or {})
    found["seconds"] = round(time.perf_counter() - started, 2)
    for key, value in found.items():
        if isinstance(value, str):
            counts.setdefault(key, value)
        else:
            counts[key] = round(counts.get(key, 0) + value, 2)
    submission.rule_counts = counts
    submission.save(update_fields=["rule_counts"])
    return counts


def _validate(submission, paths: list[Path], tables, cross_too: bool) -> RuleCounts:
    runs: list[ReturnRun] = []
    own = _own_rules(submission, paths, tables)
    if own is not None:
        runs.append(own)
    cross = None
    if cross_too and submission.return_type in CROSS_INPUTS and submission.year:
        cross = _cross_checks(submission)
        runs.append(cross)
    _store(submission, runs, replacing_cross=cross is not None)
    return _count(runs)


def _own_rules(submission, paths: list[Path], given) -> ReturnRun | None:
    rule_set = RULE_SETS.get(submission.return_type)
    if rule_set is None or not submission.year or not _has_rules(rule_set, submission.year):
        return None
    la = submission.la_code or None
    names = [p.name for p in paths]
    if rule_set == "ssda903":
        from csc_scorecard.validation import ssda903
        from csc_scorecard.validation.ssda903.tables import load_903_tables
        from csc_scorecard.validation.store_tables import last_year_from_store

        loaded = load_903_tables(paths)
        tables = dict(loaded.tables)
        tables.update(last_year_from_store(submission.year, submission.la_code))
        results = ssda903.run_903(tables, Context(submission.year, la))
        return ReturnRun("ssda903", submission.year, names, loaded.sources, results, "stored")
    from csc_scorecard.validation import cin

    tables = given if given is not None else cin.load_cin_tables(paths[0])
    results = cin.check_cin_tables(tables, Context(submission.year, la))
    return ReturnRun("cin", submission.year, names, {t: names[0] for t in tables}, results, "stored")


def _has_rules(rule_set: str, year: str) -> bool:
    """Whether any rule is in force (none before 2024-25: no DfE list is held), so
    an older year's files are not read again for nothing."""
    from csc_scorecard.validation import cin, ssda903  # noqa: F401 - importing registers the rules
    from csc_scorecard.validation.core import REGISTRY

    return bool(REGISTRY.for_return(rule_set, year))


def _cross_checks(submission) -> ReturnRun:
    from csc_scorecard.validation.cross import check_cross

    results = check_cross(submission.year, submission.la_code or None)
    return ReturnRun("cross", submission.year, ["the store"], {}, results, "stored")


def _store(submission, runs: list[ReturnRun], *, replacing_cross: bool) -> None:
    from csc_scorecard.store.bulk import TableWriter
    from csc_scorecard.store.models import IssueRecord, RuleOutcome
    from csc_scorecard.validation.report import issues

    if replacing_cross:
        # The year's cross-return results are those of the latest run (see the module).
        same_year = {"submission__year": submission.year, "submission__la_code": submission.la_code}
        RuleOutcome.objects.filter(return_type="cross", **same_year).exclude(submission=submission).delete()
        IssueRecord.objects.filter(rule__startswith="XR", **same_year).exclude(submission=submission).delete()
    # Plain rows through the store's bulk writer, as the readers' issues are: the same
    # values bulk_create would store, without a model instance per record.
    records = TableWriter(IssueRecord, submission.pk)
    records.add_many(map(_record, issues(ValidationRun(returns=runs))))
    records.flush()
    outcomes = TableWriter(RuleOutcome, submission.pk)
    outcomes.add_many(_outcome(run.return_type, r) for run in runs for r in run.results)
    outcomes.flush()


def _record(issue) -> dict:
    """A rule's failing record as an IssueRecord's fields (fields and values ";"-joined, as validate shows them)."""
    pairs = [p.split("=", 1) for p in issue.fields.split("; ") if "=" in p]
    row = int(issue.row) if issue.row.isdigit() else None
    return {
        "severity": issue.severity,
        "rule": issue.rule[:20],
        "code": f"rule {issue.rule}"[:40],
        "child": issue.child[:50],
        "place": "" if row is not None else issue.row[:200],
        "file": issue.file[:255],
        "table": issue.table[:60],
        "row": row,
        "column": "; ".join(k for k, _ in pairs)[:80],
        "value": "; ".join(v for _, v in pairs)[:120],
        "message": issue.message,
    }


def _outcome(return_type: str, result: RuleResult) -> dict:
    return {
        "return_type": return_type, "rule": result.spec.code[:20],
        "severity": str(result.spec.severity), "outcome": str(result.outcome),
        "failures": result.failure_count, "children": len(result.children), "reason": result.reason[:200],
    }


def _count(runs: list[ReturnRun]) -> RuleCounts:
    counts: Counter[str] = Counter()
    for run in runs:
        for r in run.results:
            if r.outcome is Outcome.FAILED:
                counts[str(r.spec.severity)] += r.failure_count
                counts["rules failed"] += 1
            elif r.outcome in (Outcome.NOT_RUN, Outcome.COULD_NOT_RUN):
                counts[str(r.outcome)] += 1
            counts["rules"] += 1
    return dict(counts)
