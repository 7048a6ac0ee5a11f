"""The scorecard and indicator pages of a frozen year show its frozen figures and say so."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csc_scorecard.accounts.models import Role

from .page_parse import read_table
from .pages_store import LA, build_council

pytestmark = pytest.mark.django_db


def _live_change():
    """cp_repeat_ever_pct 2024-25 recomputed after the freeze: 20/100 -> 30/100."""
    from csc_scorecard.results.models import IndicatorValue

    IndicatorValue.objects.filter(indicator_id="cp_repeat_ever_pct", period="2024-25",
                                  breakdown="all").update(numerator=30, value=30.0)


def test_pages_of_a_frozen_year_show_the_frozen_figures_and_say_when(db, accounts, clients):
    from csc_scorecard.services.freeze import freeze_period, unfreeze_period

    build_council()
    freeze_period(accounts[Role.ANALYST], "2024-25", la_code=LA, label="Annual return")
    _live_change()
    page = clients[Role.VIEWER].get(reverse("scorecard:scorecard") + "?period=2024-25")
    html = page.content.decode()
    assert 'data-frozen="true"' in html and "were frozen on" in html and "Annual return" in html
    _, rows = read_table(html)
    cp = next(r for r in rows if r["_indicator"] == "cp_repeat_ever_pct")
    assert (cp["value_display"], cp["num_den"]) == ("20.0", "20/100")  # frozen, not 30/100

    indicator = clients[Role.ANALYST].get(
        reverse("scorecard:indicator", args=["cp_repeat_ever_pct"]) + "?period=2024-25")
    html = indicator.content.decode()
    assert 'data-frozen="true"' in html and "were frozen on" in html
    _, trend = read_table(html, "trend-table")
    assert [(t["period"], t["value"]) for t in trend] == [("2023-24", "25.0"), ("2024-25", "20.0")]

    unfreeze_period(accounts[Role.ADMIN], "2024-25", reason="restated", la_code=LA)
    html = clients[Role.ANALYST].get(reverse("scorecard:scorecard") + "?period=2024-25").content.decode()
    assert 'data-frozen="true"' not in html
    _, rows = read_table(html)
    assert next(r for r in rows if r["_indicator"] == "cp_repeat_ever_pct")["value_display"] == "30.0"
