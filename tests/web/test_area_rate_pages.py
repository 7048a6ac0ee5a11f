"""Area rates per 10,000 on the pages, each with the children it divides by and their source."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csc_scorecard.accounts.models import Role

from .pages_store import LA, build_council

pytestmark = pytest.mark.django_db

NORTH_NOTE = "3,000 children aged 0-17: area populations extract: ONS mid-2024 (wards)"
SOUTH_NOTE = "South: no 0-17 population for 2024-25 (give it in an area_populations extract)"


@pytest.fixture()
def council(db):
    from django.utils import timezone

    from csc_scorecard.results.models import IndicatorValue

    build_council()
    # referrals 2024-25 (pages_store): North 1, South 2, all 3; North has 3,000 children aged
    # 0-17: 1 x 10,000 / 3,000 = 3.3; South none known; the council 3 x 10,000 / 12,000 = 2.5
    rows = [("all", "all", 3, 12_000, 2.5, "ONS mid-2024 estimate of children aged 0-17"),
            ("area", "North", 1, 3_000, 3.3, NORTH_NOTE),
            ("area", "South", 2, None, None, SOUTH_NOTE)]
    IndicatorValue.objects.bulk_create([
        IndicatorValue(indicator_id="referrals_rate_per_10k", period="2024-25", breakdown=b,
                       breakdown_value=v, la_code=LA, numerator=n, denominator=d, value=val,
                       computed_at=timezone.now(), population_note=note)
        for b, v, n, d, val, note in rows
    ])


def test_the_indicator_page_names_each_areas_population(council, clients):
    url = reverse("scorecard:indicator", args=["referrals_rate_per_10k"]) + "?period=2024-25"
    html = clients[Role.ANALYST].get(url).content.decode()
    assert "Children aged 0-17 the rates per 10,000 divide by" in html
    assert f"<li>North: {NORTH_NOTE}</li>" in html
    assert "South: no 0-17 population for 2024-25" in html
    assert "Whole council: ONS mid-2024 estimate" in html
    # a count has no such list
    count = clients[Role.ANALYST].get(reverse("scorecard:indicator", args=["referrals_count"])
                                   + "?period=2024-25").content.decode()
    assert "the rates per 10,000 divide by" not in count


def test_the_scorecard_for_an_area_says_what_its_rates_divide_by(council, clients):
    html = clients[Role.ANALYST].get(reverse("scorecard:scorecard") + "?period=2024-25&area=North")
    text = html.content.decode()
    assert f"Rates per 10,000 for North: {NORTH_NOTE}" in text
    assert "Rates per 10,000 for South" not in text  # only the chosen area's
