"""The tracker's derived status at its boundaries (rule: csc_scorecard.scrutiny.status)."""

import datetime as dt
from types import SimpleNamespace

import pytest

from csc_scorecard.scrutiny.status import (
    TrackerStatus,
    add_months,
    shown_at_meeting,
    three_months_after,
    tracker_status,
)

D = dt.date
COMPLETED, PENDING, INCOMPLETE = TrackerStatus.COMPLETED, TrackerStatus.PENDING, TrackerStatus.INCOMPLETE


def item(agreed, due=None, completed=None, override="", reason="", override_on=None):
    return SimpleNamespace(agreed_on=agreed, due_date=due, completed_on=completed, status_override=override,
                           override_reason=reason, override_on=override_on)


@pytest.mark.parametrize(("day", "expected"), [
    (D(2024, 1, 15), D(2024, 4, 15)),   # same day of the month
    (D(2023, 11, 30), D(2024, 2, 29)),  # 30 Nov -> 29 Feb in a leap year
    (D(2024, 11, 30), D(2025, 2, 28)),  # 30 Nov -> 28 Feb otherwise
    (D(2024, 8, 31), D(2024, 11, 30)),  # 31 Aug -> 30 Nov (November has 30 days)
    (D(2024, 10, 31), D(2025, 1, 31)),  # across the year end
    (D(2024, 2, 29), D(2024, 5, 29)),
])
def test_three_months_after_is_calendar_months_clamped_to_month_end(day, expected):
    assert three_months_after(day) == expected


def test_add_months_twelve_is_a_year():
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)


def test_no_update_exactly_three_months_after_agreement_is_incomplete():
    agreed = item(D(2024, 1, 15))
    assert tracker_status(agreed, [], D(2024, 4, 15)).status == INCOMPLETE
    assert "3 months reached 15 April 2024" in tracker_status(agreed, [], D(2024, 4, 15)).reason


def test_one_day_short_of_three_months_is_pending():
    judgement = tracker_status(item(D(2024, 1, 15)), [], D(2024, 4, 14))
    assert judgement.status == PENDING
    assert "agreed 15 January 2024, no update since" in judgement.reason


def test_an_update_on_the_boundary_day_restarts_the_clock():
    agreed = item(D(2024, 1, 15))
    assert tracker_status(agreed, [D(2024, 4, 15)], D(2024, 4, 15)).status == PENDING
    # the clock now runs from 15 April: 14 July still Pending, 15 July Incomplete
    assert tracker_status(agreed, [D(2024, 4, 15)], D(2024, 7, 14)).status == PENDING
    assert tracker_status(agreed, [D(2024, 4, 15)], D(2024, 7, 15)).status == INCOMPLETE


def test_an_update_after_the_as_of_day_does_not_count():
    # judged on 20 April, an update dated 1 May did not exist yet
    assert tracker_status(item(D(2024, 1, 15)), [D(2024, 5, 1)], D(2024, 4, 20)).status == INCOMPLETE


def test_updates_are_read_from_objects_with_a_date():
    updates = [SimpleNamespace(date=D(2024, 3, 1)), SimpleNamespace(date=D(2024, 2, 1))]
    judgement = tracker_status(item(D(2024, 1, 15)), updates, D(2024, 5, 31))
    # latest update 1 March -> 3 months reached 1 June; 31 May is a day short
    assert judgement.status == PENDING and "last update 1 March 2024" in judgement.reason


def test_a_due_date_in_the_future_keeps_it_pending_past_three_months():
    long_due = item(D(2024, 1, 15), due=D(2024, 9, 30))
    assert tracker_status(long_due, [], D(2024, 6, 1)).status == PENDING
    assert tracker_status(long_due, [], D(2024, 9, 30)).status == PENDING  # the due day has not passed
    after = tracker_status(long_due, [], D(2024, 10, 1))
    assert after.status == INCOMPLETE and "due date 30 September 2024 passed" in after.reason


def test_a_passed_due_date_within_three_months_of_agreement_is_pending():
    # agreed 15 Jan, due 1 Feb: on 1 March it is under 3 months since agreement
    assert tracker_status(item(D(2024, 1, 15), due=D(2024, 2, 1)), [], D(2024, 3, 1)).status == PENDING


def test_month_end_agreement_30_november():
    agreed = item(D(2024, 11, 30))
    assert tracker_status(agreed, [], D(2025, 2, 27)).status == PENDING
    assert tracker_status(agreed, [], D(2025, 2, 28)).status == INCOMPLETE
    leap = item(D(2023, 11, 30))
    assert tracker_status(leap, [], D(2024, 2, 28)).status == PENDING
    assert tracker_status(leap, [], D(2024, 2, 29)).status == INCOMPLETE


def test_completed_from_its_completion_day_only():
    done = item(D(2024, 1, 15), completed=D(2024, 3, 1))
    assert tracker_status(done, [], D(2024, 2, 29)).status == PENDING
    judgement = tracker_status(done, [], D(2024, 3, 1))
    assert judgement.status == COMPLETED and judgement.reason == "Completed on 1 March 2024."


def test_an_override_wins_from_its_day_and_carries_its_reason():
    forced = item(D(2024, 1, 15), override="Pending", reason="Awaiting the DfE's funding letter",
                  override_on=D(2024, 5, 1))
    assert tracker_status(forced, [], D(2024, 4, 30)).status == INCOMPLETE  # before the override
    judgement = tracker_status(forced, [], D(2024, 5, 1))
    assert judgement.status == PENDING and judgement.overridden
    assert judgement.reason == "Set to Pending on 1 May 2024: Awaiting the DfE's funding letter"


MEETINGS = [D(2024, 1, 15), D(2024, 3, 11), D(2024, 5, 13), D(2024, 7, 8)]


def test_completed_item_shows_at_the_next_meeting_then_is_gone():
    done = item(D(2024, 1, 15), completed=D(2024, 2, 20))
    at_next = tracker_status(done, [], D(2024, 3, 11))
    assert shown_at_meeting(done, at_next, D(2024, 3, 11), MEETINGS)
    at_one_after = tracker_status(done, [], D(2024, 5, 13))
    assert at_one_after.status == COMPLETED
    assert not shown_at_meeting(done, at_one_after, D(2024, 5, 13), MEETINGS)


def test_completed_on_a_meeting_day_is_reported_at_the_following_meeting():
    done = item(D(2024, 1, 15), completed=D(2024, 3, 11))
    judgement = tracker_status(done, [], D(2024, 3, 11))
    assert not shown_at_meeting(done, judgement, D(2024, 3, 11), MEETINGS)
    assert shown_at_meeting(done, tracker_status(done, [], D(2024, 5, 13)), D(2024, 5, 13), MEETINGS)


def test_an_item_is_not_on_the_tracker_of_the_meeting_that_agreed_it():
    fresh = item(D(2024, 3, 11))
    assert not shown_at_meeting(fresh, tracker_status(fresh, [], D(2024, 3, 11)), D(2024, 3, 11), MEETINGS)
    later = tracker_status(fresh, [], D(2024, 7, 8))
    assert later.status == INCOMPLETE and shown_at_meeting(fresh, later, D(2024, 7, 8), MEETINGS)


def test_unknown_status_word_is_refused():
    with pytest.raises(ValueError, match="expected Completed, Pending or Incomplete"):
        TrackerStatus.parse("Green")
