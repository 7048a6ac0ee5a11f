"""Rolling figures a self-evaluation asks for are worked out on demand (they are not stored).

Hand-worked case, council 933, assessments_45wd_pct (authorised in the period, within 45
working days of the start), month figures stored for September 2024 to February 2025:

  child  start        authorised   working days  month authorised
  A      2024-11-20   2024-12-10   14            December 2024   within
  B      2024-10-01   2025-01-15   about 73      January 2025    late
  C      2025-02-03   2025-02-20   13            February 2025   within
  D      2024-09-02   2024-11-28   64            November 2024   late

R3-2025-02 (December to February, across the year end): A, B, C -> 2 of 3 = 66.7%.
R6-2025-02 (September to February): A, B, C, D -> 2 of 4 = 50.0%.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from csc_scorecard.results.models import IndicatorValue
from csc_scorecard.services.inspection import (
    EvaluationError,
    import_self_evaluation,
    render_self_evaluation,
    stored_evaluation,
)
from csc_scorecard.services.rolling_figures import rolling_labels

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 3, 5, 9, 0, tzinfo=dt.UTC)
MONTHS = ["2024-09", "2024-10", "2024-11", "2024-12", "2025-01", "2025-02"]


@pytest.fixture
def council(db):
    from csc_scorecard.store.models import Assessment, Submission

    sub = Submission.objects.create(return_type="cin_census", year="2024-25", la_code="933",
                                    sha256="a" * 64, is_current=True)
    for child, start, auth in (("A", "2024-11-20", "2024-12-10"), ("B", "2024-10-01", "2025-01-15"),
                               ("C", "2025-02-03", "2025-02-20"), ("D", "2024-09-02", "2024-11-28")):
        Assessment.objects.create(submission=sub, child_id=child, start_date=dt.date.fromisoformat(start),
                                  authorised_date=dt.date.fromisoformat(auth))
    for month in MONTHS:  # the month figures themselves do not matter here, only that they exist
        IndicatorValue.objects.create(indicator_id="assessments_45wd_pct", period=month,
                                      la_code="933", numerator=1, denominator=1, value=100.0,
                                      computed_at=NOW)


def _render(tmp_path, bullets: list[str]) -> list[str]:
    path = tmp_path / "se.yml"
    body = "\n".join(f'      - "{b}"' for b in bullets)
    path.write_text(textwrap.dedent("""\
        title: Rolling
        sections:
          - theme: Practice
            title: Assessments
            evidence:
        """) + body + "\n", encoding="utf-8")
    import_self_evaluation(path, la_code="933")
    done, _, _ = render_self_evaluation(stored_evaluation("Rolling"))
    return done.parts[0].bullets


def test_rolling_windows_only_where_every_month_is_stored():
    got = rolling_labels({"2024-11", "2024-12", "2025-01", "2025-02"})
    assert got == ["R3-2025-01", "R3-2025-02"]  # R3-2024-12 needs October; no R6 (needs six)


def test_r3_and_r6_computed_on_demand_across_the_year_end(tmp_path, council):
    assert not IndicatorValue.objects.filter(period__startswith="R").exists()
    bullets = _render(tmp_path, [
        "{assessments_45wd_pct | period R3-latest}",
        "{assessments_45wd_pct | period R6-2025-02}",
        "{assessments_45wd_pct | period R3-2025-02}",
    ])
    assert bullets == ["66.7% over the last 3 months", "50.0% over the 6 months to February 2025",
                       "66.7% over the 3 months to February 2025"]
    # nothing was stored by rendering
    assert not IndicatorValue.objects.filter(period__startswith="R").exists()


def test_a_window_reaching_past_the_stored_months_is_an_error(tmp_path, council):
    # R3-2024-10 needs August 2024, whose month figure is not stored
    with pytest.raises(EvaluationError) as caught:
        _render(tmp_path, ["{assessments_45wd_pct | period R3-2024-10}"])
    assert "no stored figure for assessments_45wd_pct" in caught.value.problems[0]
    assert "section 1 (Practice), bullet 1" in caught.value.problems[0]
