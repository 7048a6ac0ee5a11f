"""The plans pages in a real browser: axe-core on each (no serious or critical violation),
an action updated and a highlight report saved by an analyst, errors shown in a GOV.UK summary.

CSC_SCORECARD_SCREENSHOTS=DIR keeps a picture of every page checked.
"""

from __future__ import annotations

import pytest
import yaml

from ..plans_store import PLAN
from .browser_support import PASSWORD
from .test_browser import check_page, code_for, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_plans_pages_pass_axe_and_take_an_update(page, server):
    (server.home / "test-plan.yml").write_text(yaml.safe_dump(PLAN), encoding="utf-8")
    server.python(
        f"""
        from csc_scorecard.accounts.models import User
        from csc_scorecard.services.plans import import_plan_file
        User.objects.create_user("pia", password={PASSWORD!r}, role="analyst")
        for name in ("manager-user", "kim"):
            User.objects.get_or_create(username=name, defaults={{"role": "manager"}})
        import_plan_file({str(server.home / "test-plan.yml")!r}, author="browser test")
        """
    )
    sign_in(page, server, "pia")
    page.wait_for_url("**/two-factor/set-up/")
    page.fill("#id_code", code_for(page.inner_text("#totp-key")))
    page.click("button:has-text('Finish set-up')")
    page.wait_for_url(server.url + "/")

    page.click("#navigation a:text-is('Plans')")
    page.wait_for_url("**/plans/")
    check_page(page, "plans-list")
    page.click("a:has-text(\"Test Children's Plan\")")
    check_page(page, "plan")
    page.click("#programmes-table a:has-text('Early help')")
    page.wait_for_url("**/programmes/1/")
    assert "Overdue" in page.inner_text("tr[data-action='1(A)i'] td[data-col='deadline']")
    check_page(page, "programme")

    page.click("tr[data-action='1(A)i'] th a")
    check_page(page, "action")
    page.click("#edit-link")
    page.fill("#deadline", "Smarch-25")
    page.click("button:has-text('Save the update')")
    assert "Not a deadline" in page.inner_text(".govuk-error-summary")
    check_page(page, "action-edit-error")
    page.fill("#deadline", "2024-06")  # still overdue at the end of 2024-25-Q4, below
    page.check("#status-A")
    page.fill("#note", "Site survey done")
    page.click("button:has-text('Save the update')")
    assert "The action is updated" in page.inner_text("main")
    assert "pia" in page.inner_text("#history-table")
    check_page(page, "action-updated")

    page.goto(server.url + "/plans/test-plan/risks/")
    check_page(page, "risks")
    page.click("#risks-table th a:has-text('Owner')")
    page.wait_for_url("**sort=owner**")
    assert page.get_attribute("#risks-table th[aria-sort='ascending']", "aria-sort") == "ascending"
    page.select_option("#band", "very high")
    page.click("button:has-text('Show the risks')")
    assert page.locator("#risks-table tbody tr").count() == 1
    check_page(page, "risks-filtered")

    page.goto(server.url + "/plans/test-plan/programmes/1/highlight/?period=2024-25-Q4")
    assert "Overdue: action 1(A)i" in page.inner_text("#slippage-offered")
    check_page(page, "highlight-editor")
    page.fill("#report_date", "31/02/2025")
    page.click("button:has-text('Save the draft')")
    assert "Not a date" in page.inner_text(".govuk-error-summary")
    check_page(page, "highlight-error")
    page.fill("#report_date", "2025-04-14")
    page.fill("#achievements", "Hub opened")
    page.click("button:has-text('Save the draft')")
    assert "The highlight report is saved" in page.inner_text("main")
    page.click("button:has-text('Submit for approval')")
    assert "Submitted" in page.inner_text("#report-state")
    check_page(page, "highlight-submitted")

    page.goto(server.url + "/plans/measures/visits/")
    page.fill("#period", "2024-25-Q9")
    page.fill("#value", "12")
    page.click("button:has-text('Save the value')")
    assert "There is a problem" in page.inner_text(".govuk-error-summary")
    check_page(page, "measure-error")
    page.fill("#period", "2024-25-Q3")
    page.click("button:has-text('Save the value')")
    assert "2024-25-Q3" in page.inner_text("#values-table")
    check_page(page, "measure")
