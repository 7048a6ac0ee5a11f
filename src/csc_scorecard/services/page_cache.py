"""Keep built scorecards while the data under them is unchanged (per server process).

Building a scorecard reads every stored value of two periods, rates them and
reads the benchmarks: a few hundred milliseconds, far too long for a page that
many people open every week. The result only changes when the stored results,
the targets, the submissions or the reference data change, so a built
scorecard is kept under a key made of cheap "has anything changed" reads:
the newest stored value (id and time), the computed years, the targets and
their history, the submissions, the freezes, and the reference file's time. Any write to
one of those makes a new key; old entries fall out (32 kept).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

__all__ = ["cached_scorecard_view", "data_version", "remember"]

_KEEP = 32
_cache: OrderedDict[tuple, Any] = OrderedDict()
_lock = threading.Lock()


def data_version() -> tuple:
    from django.db.models import Count, Max

    from csc_scorecard.rating.models import Target, TargetChange
    from csc_scorecard.results.models import ComputedYear, Freeze, IndicatorValue
    from csc_scorecard.store.models import Submission

    newest = IndicatorValue.objects.order_by("-id").values_list("id", "computed_at").first()
    years = ComputedYear.objects.aggregate(n=Count("id"), t=Max("computed_at"))
    targets = Target.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    changes = TargetChange.objects.aggregate(m=Max("id"))
    subs = Submission.objects.aggregate(n=Count("id"), m=Max("id"))
    current = Submission.objects.filter(is_current=True).count()
    # a freeze, or its withdrawal, changes which figures a page shows
    freezes = Freeze.objects.aggregate(m=Max("id"), w=Max("withdrawn_at"))
    return (newest, tuple(years.values()), tuple(targets.values()), changes["m"],
            tuple(subs.values()), current, tuple(freezes.values()), _reference_stamp())


def _reference_stamp() -> int:
    try:
        from csc_scorecard.benchmarks import reference as ref
        from csc_scorecard.benchmarks.paths import reference_file

        path = reference_file(ref.MEASURES_FILE)
        return path.stat().st_mtime_ns if path is not None else 0
    except Exception:  # no reference data: nothing to tell apart
        return 0


def cached_scorecard_view(period: str, *, by: str | None, la_code: str | None, account: Any):
    """services.scorecard.scorecard_view, kept while the data is unchanged (notes copied)."""
    from csc_scorecard.services.access import publication_only
    from csc_scorecard.services.scorecard import ScorecardView, scorecard_view

    publication = publication_only(account)
    key = (period, by, la_code, publication, data_version())
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
    if hit is None:
        hit = scorecard_view(period, by=by, la_code=la_code, publication=publication)
        with _lock:
            _cache[key] = hit
            while len(_cache) > _KEEP * 4:
                _cache.popitem(last=False)
    return ScorecardView(hit.frame, hit.shown, list(hit.notes), hit.frozen)


def remember(name: str, args: tuple, build: Any) -> Any:
    """``build()`` kept under (name, args) while the data is unchanged: for small look-ups
    (which periods, areas and teams are stored) that every page asks again."""
    key = (name, args, data_version())
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    value = build()
    with _lock:
        _cache[key] = value
        while len(_cache) > _KEEP * 4:
            _cache.popitem(last=False)
    return value
