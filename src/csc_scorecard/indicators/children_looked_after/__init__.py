"""Children looked after: numbers, placement stability, distance, reviews,
health (OC2) and missing.

Every measure here works from the SSDA903 episodes in ``cla_episode`` after
the same preparation (:func:`prepared_episodes`):

* Episodes under legal status V3 or V4 (an agreed series of short breaks)
  are removed first: a child on short breaks is never counted as looked
  after, as in all DfE figures.
* The remaining episodes of each child are put in date order and grouped
  into *periods of care*.  A period of care starts with an episode whose
  reason for new episode (RNE) is ``S``, or with any episode that does not
  follow on from the child's previous episode (a gap between the previous
  end date and this start date, or no previous episode).  It ends with the
  end date of its last episode (null while still open).
* Each episode is flagged ``new_placement`` when it begins a new placement
  for placement-count purposes, and ``new_carer`` when it begins a spell
  with new carers (for long-term stability).  See :func:`prepared_episodes`.

Dates: a child is *looked after at* a date ``d`` when an episode has
``start_date <= d`` and its end date is null or after ``d``.  An episode that
ends on 31 March therefore does not make the child looked after "at 31
March": the child ceased during the year, exactly as in the DfE counts
(which take those at 31 March from episodes with no end date in the year's
return).  "Looked after continuously for N months at ``d``" means the period
of care started on or before ``(d + 1 day) - N months`` - for 31 March 2025
and 12 months that is 1 April 2024, a full twelve months by the end of 31
March.

History: a 903 return holds only the episodes open during its year, so with
a single year loaded a period of care that began earlier is seen from its
earliest recorded episode.  The numbers, flows, 3+ placements, OC2 cohort
(12 months) and missing measures are unaffected; long-term stability (2.5
years in care, 2 years with the same carers) needs the returns of the two or
three years before loaded too, or it under-counts its cohort.  The reviews
measure copes with short review history (see :func:`reviews_on_time`).

The family's modules: ``episodes`` (the preparation and shared helpers),
``placements`` (numbers, flows, placement types, stability, distance),
``reviews`` and ``health`` (OC2 health, missing). The names other families and
the tests use are re-exported here.
"""

from __future__ import annotations

# importing the family registers all its indicators, as one module did
from csc_scorecard.indicators.children_looked_after import health  # noqa: F401
from csc_scorecard.indicators.children_looked_after.episodes import (
    FOSTER_PLACEMENTS,
    PLACED_FOR_ADOPTION,
    PLACED_WITH_PARENTS,
    add_months,
    age_expr,
    code_expr,
    continuous_since,
    looked_after_at,
    looked_after_during,
    periods_of_care,
    prepared_episodes,
)
from csc_scorecard.indicators.children_looked_after.placements import placements_in_period
from csc_scorecard.indicators.children_looked_after.reviews import reviews_on_time

__all__ = [
    "FOSTER_PLACEMENTS",
    "PLACED_FOR_ADOPTION",
    "PLACED_WITH_PARENTS",
    "add_months",
    "age_expr",
    "code_expr",
    "continuous_since",
    "looked_after_at",
    "looked_after_during",
    "periods_of_care",
    "placements_in_period",
    "prepared_episodes",
    "reviews_on_time",
]
