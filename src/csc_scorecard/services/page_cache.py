"""Keep built pages while the data under them is unchanged (per server process).

Building a scorecard reads every stored value of two periods, rates them and
reads the benchmarks: tens of milliseconds, far too long for pages that twenty
people open at once. What a page shows only changes when the stored results,
the targets, the commentary, the submissions, the freezes or a settings file change, so a
built page (or part of one) is kept under a key that ends with
:func:`data_version`: one cheap query ("has anything changed?") plus the
modification times of the files the pages read. Any write to one of those
makes a new key; old entries fall out (least recently used first).

Within one GET request the version is read once (:func:`request_scope`, set by
the web's middleware), not once per cached part: a page asks for several.
Writes happen in POSTs and in the task worker, so a GET never needs a fresher
answer than the one it started with.
"""

from __future__ import annotations

import contextvars
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["cached_scorecard_view", "data_version", "file_stamp", "remember", "request_scope", "version_key"]

T = TypeVar("T")
_KEEP = 256
_cache: OrderedDict[tuple, Any] = OrderedDict()
_lock = threading.Lock()
# The version read for the current request (None outside request_scope).
_request_version: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "csc_page_version", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    """Read data_version at most once inside this block (one GET request)."""
    token = _request_version.set([])
    try:
        yield
    finally:
        _request_version.reset(token)


def data_version() -> tuple:
    memo = _request_version.get()
    if memo:
        return memo[0]
    version = (_database_version(), _file_stamps())
    if memo is not None:
        memo.append(version)
    return version


def _database_version() -> tuple:
    """One query: the newest stored value, computed years, targets and their history,
    commentary and submissions (counts catch deletions, maxima catch writes)."""
    from django.db import connection

    from csc_scorecard.rating.models import Target, TargetChange
    from csc_scorecard.reporting.models import Commentary
    from csc_scorecard.results.models import ComputedYear, Freeze, IndicatorValue
    from csc_scorecard.store.models import Submission

    def table(model: Any) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    values, years, targets = table(IndicatorValue), table(ComputedYear), table(Target)
    changes, notes, subs = table(TargetChange), table(Commentary), table(Submission)
    freezes = table(Freeze)
    sql = (
        f"SELECT (SELECT MAX(id) FROM {values}),"
        f" (SELECT computed_at FROM {values} WHERE id = (SELECT MAX(id) FROM {values})),"
        f" (SELECT COUNT(*) FROM {years}), (SELECT MAX(computed_at) FROM {years}),"
        f" (SELECT COUNT(*) FROM {targets}), (SELECT MAX(updated_at) FROM {targets}),"
        f" (SELECT MAX(id) FROM {changes}),"
        f" (SELECT COUNT(*) FROM {notes}), (SELECT MAX(updated_at) FROM {notes}),"
        f" (SELECT COUNT(*) FROM {subs}), (SELECT MAX(id) FROM {subs}),"
        f" (SELECT COUNT(*) FROM {subs} WHERE is_current),"
        # a freeze, or its withdrawal, changes which figures a page shows
        f" (SELECT MAX(id) FROM {freezes}), (SELECT MAX(withdrawn_at) FROM {freezes})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return tuple(str(v) for v in row)


def file_stamp(path: Path | None) -> tuple[int, int]:
    """(modification time, size) of a file; (0, 0) when it is absent."""
    try:
        st = path.stat() if path is not None else None
    except OSError:
        st = None
    return (st.st_mtime_ns, st.st_size) if st is not None else (0, 0)


def _file_stamps() -> tuple:
    """The files pages read besides the database: council.yml, priorities, reference data."""
    from csc_scorecard.config import council_file
    from csc_scorecard.rating.priorities import PRIORITIES_FILE

    stamps = [file_stamp(council_file()), file_stamp(PRIORITIES_FILE)]
    try:
        from csc_scorecard.benchmarks import reference as ref
        from csc_scorecard.benchmarks.paths import (
            MANIFEST_FILE,
            default_reference_dir,
            reference_file,
        )

        stamps.append(file_stamp(reference_file(ref.MEASURES_FILE)))
        stamps.append(file_stamp(default_reference_dir() / MANIFEST_FILE))
    except Exception:  # no reference data: nothing to tell apart
        pass
    return tuple(stamps)


def remember(name: str, args: tuple, build: Callable[[], T]) -> T:
    """``build()`` kept under (name, args) while the data is unchanged.

    The value is shared by every later request: callers treat it as read-only.
    """
    key = (name, args, data_version())
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    value = build()
    with _lock:
        _cache[key] = value
        while len(_cache) > _KEEP:
            _cache.popitem(last=False)
    return value


def version_key(name: str, args: tuple) -> str:
    """A short text naming (name, args) at the current data version: what a page's template
    keys its rendered parts on (Django's ``{% cache %}``), so they are drawn again on a change."""
    return hashlib.sha256(repr((name, args, data_version())).encode()).hexdigest()[:32]


def cached_scorecard_view(period: str, *, by: str | None, la_code: str | None, account: Any):
    """services.scorecard.scorecard_view, kept while the data is unchanged (notes copied)."""
    from csc_scorecard.services.access import publication_only
    from csc_scorecard.services.scorecard import ScorecardView, scorecard_view

    publication = publication_only(account)
    hit = remember("scorecard-view", (period, by, la_code, publication),
                   lambda: scorecard_view(period, by=by, la_code=la_code, publication=publication))
    return ScorecardView(hit.frame, hit.shown, list(hit.notes), hit.frozen)
