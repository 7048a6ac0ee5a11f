"""The scorecard and indicator pages: figures as stored, filters, sorting, downloads, roles."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from csc_scorecard.accounts.models import Role
from csc_scorecard.store.models import AuditEvent

from .page_parse import read_table
from .pages_store import build_council
from .web_helpers import inline_code, make_account, signed_in

pytestmark = pytest.mark.django_db
A, N, M, V = Role.ADMIN, Role.ANALYST, Role.MANAGER, Role.VIEWER


@pytest.fixture()
def council(db):
    build_council()


def _rows(client, query=""):
    response = client.get(reverse("scorecard:scorecard") + query)
    assert response.status_code == 200
    headings, rows = read_table(response.content.decode())
    return headings, {r["_indicator"]: r for r in rows}, rows


def test_scorecard_figures_equal_the_stored_results(council, clients):
    _, by_id, _ = _rows(clients[N], "?period=2024-25")
    cp = by_id["cp_repeat_ever_pct"]
    # 20/100 = 20.0%, one decimal as the catalogue says; previous 2023-24 25/100 = 25.0%
    assert cp["value_display"] == "20.0"
    assert cp["num_den"] == "20/100"
    assert cp["previous_display"] == "25.0"
    assert cp["change_display"].startswith("-5.0")  # 20.0 - 25.0 = -5.0 percentage points
    assert "improv" in cp["direction_label"].lower()  # lower is better, and it fell
    assert cp["rag_label"] == "Not rated"  # no target set yet
    assert cp["area"] == "Whole council"
    ref = by_id["referrals_count"]
    assert (ref["value_display"], ref["num_den"], ref["previous_display"]) == ("3", "3", "2")


def test_filter_to_an_area_and_to_a_team(council, clients):
    _, by_id, rows = _rows(clients[N], "?period=2024-25&area=North")
    assert {r["area"] for r in rows} == {"North"}
    assert by_id["cp_repeat_ever_pct"]["value_display"] == "7.5"  # 3/40 = 7.5%
    assert by_id["cp_repeat_ever_pct"]["num_den"] == "3/40"
    _, by_id, rows = _rows(clients[N], "?period=2024-25&team=T2")
    assert by_id["referrals_count"]["value_display"] == "2" and {r["area"] for r in rows} == {"T2"}
    # a priority filter keeps only its indicators
    _, by_id, _ = _rows(clients[N], "?period=2024-25&priority=right_help")
    assert "referrals_count" in by_id and "cp_repeat_ever_pct" not in by_id
    _, by_id, _ = _rows(clients[N], "?period=2024-25&family=child_protection")
    assert "cp_repeat_ever_pct" in by_id and "referrals_count" not in by_id


def test_unknown_filter_values_are_ignored_not_errors(council, clients):
    _, by_id, _ = _rows(clients[N], "?period=1999-00&area=Atlantis&priority=x&sort=nope")
    assert by_id["cp_repeat_ever_pct"]["value_display"] == "20.0"  # the latest year instead


def test_sorting_by_value_both_ways_with_no_script(council, clients):
    # area North: cp 7.5, referrals 1 -> ascending 1 then 7.5
    _, _, rows = _rows(clients[N], "?period=2024-25&area=North&sort=value_display&order=asc")
    assert [r["_indicator"] for r in rows] == ["referrals_count", "cp_repeat_ever_pct"]
    _, _, rows = _rows(clients[N], "?period=2024-25&area=North&sort=value_display&order=desc")
    assert [r["_indicator"] for r in rows] == ["cp_repeat_ever_pct", "referrals_count"]
    html = clients[N].get(reverse("scorecard:scorecard") + "?sort=value_display").content.decode()
    assert 'aria-sort="ascending"' in html and "order=desc" in html  # the link reverses it
    assert inline_code(html) == {"scripts": 0, "styles": 0, "handlers": 0}


def test_viewer_sees_publication_figures_and_no_child_link(council, clients):
    _, by_id, _ = _rows(clients[V], "?period=2024-25&area=North")
    # North 3/40: 3 is in 1-5, so shown c
    assert by_id["cp_repeat_ever_pct"]["value_display"] == "c"
    assert by_id["cp_repeat_ever_pct"]["num_den"] == "c/c"
    # South 17/60 is safe alone, but with North hidden it would give North back from the
    # total (20 - 17 = 3): secondary suppression hides it too
    _, by_id, _ = _rows(clients[V], "?period=2024-25&area=South")
    assert by_id["cp_repeat_ever_pct"]["value_display"] == "c"
    _, by_id, _ = _rows(clients[N], "?period=2024-25&area=South")
    assert by_id["cp_repeat_ever_pct"]["value_display"] == "28.3"  # 17/60 = 28.33%
    page = clients[V].get(reverse("scorecard:indicator", args=["cp_repeat_ever_pct"])).content.decode()
    assert "children-link" not in page and "children behind" not in page.lower()
    # referrals 2024-25: 3 children, a count in 1-5 -> c on the page, in the headline and trend
    page = clients[V].get(reverse("scorecard:indicator", args=["referrals_count"])).content.decode()
    _, trend = read_table(page, "trend-table")
    assert [(t["period"], t["value"]) for t in trend] == [("2023-24", "c"), ("2024-25", "c")]
    assert 'data-field="value">c<' in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_downloads_hold_exactly_what_is_on_screen(council, clients, fmt):
    query = "?period=2024-25&area=South&sort=value_display&order=desc"
    headings, _, rows = _rows(clients[N], query)
    response = clients[N].get(reverse(f"scorecard:scorecard-{fmt}") + query)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        table = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    assert table[0] == headings
    keys = ["priority", "title", "area", "value_display", "num_den", "target_display", "rag_label",
            "direction_label", "previous_display", "change_display", "sn_display",
            "england_display", "rank_display"]
    assert table[1:] == [[r[k] for k in keys] for r in rows]


def test_viewer_download_is_suppressed_too(council, clients):
    text = clients[V].get(reverse("scorecard:scorecard-csv") + "?period=2024-25&area=North").content
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert len(rows) == 3  # the heading and two indicators
    assert [r[3] for r in rows[1:]] == ["c", "c"]  # cp 3/40 and referrals 1: both in 1-5
    assert "7.5" not in text.decode() and "3/40" not in text.decode()


def test_indicator_page_shows_definition_trend_breakdowns(council, clients):
    response = clients[N].get(reverse("scorecard:indicator", args=["cp_repeat_ever_pct"]) + "?period=2024-25")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lower is better" in html and "Numerator" in html
    _, trend = read_table(html, "trend-table")
    assert [(t["period"], t["value"], t["numerator"], t["denominator"]) for t in trend] == [
        ("2023-24", "25.0", "25", "100"), ("2024-25", "20.0", "20", "100")]
    assert "By area" in html and "7.5" in html and "28.3" in html
    assert 'src="/indicators/cp_repeat_ever_pct/chart.svg?period=2024-25"' in html
    assert inline_code(html) == {"scripts": 0, "styles": 0, "handlers": 0}
    chart = clients[N].get(reverse("scorecard:indicator-chart", args=["cp_repeat_ever_pct"]) + "?period=2024-25")
    assert chart["Content-Type"] == "image/svg+xml" and chart.content.startswith(b"<svg")
    assert clients[N].get(reverse("scorecard:indicator", args=["no_such_thing"])).status_code == 404


def test_children_behind_a_figure_by_role_and_area(council, clients):
    url = reverse("scorecard:children", args=["referrals_count"]) + "?period=2024-25"
    page = clients[N].get(url)
    assert page.status_code == 200
    _, rows = read_table(page.content.decode(), "children-table")
    assert len(rows) == 3  # A, B and C
    manager = signed_in(make_account(M, "north-manager", areas=["North"]))
    html = manager.get(url).content.decode()
    assert ">A<" in html and ">B<" not in html and ">C<" not in html
    ind = manager.get(reverse("scorecard:indicator", args=["referrals_count"])).content.decode()
    assert "in your areas (north)" in ind.lower()
    assert manager.get(url + "&area=South").status_code == 403
    # a viewer guessing the address gets the 403 page in words, and the refusal is audited
    refused = clients[V].get(url)
    assert refused.status_code == 403 and "You cannot see this page" in refused.content.decode()
    assert AuditEvent.objects.filter(action="children-refused", account__role=V).count() == 1
    assert AuditEvent.objects.filter(action="children", account__role=N, rows=3).count() == 1


def test_a_viewer_is_refused_children_whatever_the_period(council, clients):
    for query in ("", "?period=nonsense", "?period=2024-25&area=North"):
        response = clients[V].get(reverse("scorecard:children", args=["referrals_count"]) + query)
        assert response.status_code == 403, query
    assert AuditEvent.objects.filter(action="children-refused").count() == 3
