"""Scrutiny pages in a real browser: an analyst adds an update and overrides a status; a
scrutiny member (viewer) reads the work programme, the meeting and the tracker.  axe-core on each."""

from __future__ import annotations

import pytest

from .browser_support import PASSWORD
from .test_browser import check_page, code_for, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SLUG = "children-families"


def test_scrutiny_pages(page, server):
    item = server.python(
        f"""
        from csc_scorecard.accounts.models import User
        from csc_scorecard.plans.demo import DEMO_PLAN
        from csc_scorecard.scrutiny.demo import DEMO_SCRUTINY
        from csc_scorecard.scrutiny.models import TrackerItem
        from csc_scorecard.services.plans import import_plan_file
        from csc_scorecard.services.scrutiny import import_scrutiny_file
        # the server is shared with the other browser tests, which change the plan on its
        # pages: the example files win over those changes here
        import_plan_file(DEMO_PLAN, author="test", replace=True)
        import_scrutiny_file(DEMO_SCRUTINY, replace=True)
        User.objects.create_user("sally", password={PASSWORD!r}, role="analyst")
        print(TrackerItem.objects.get(meeting__date="2024-11-18", number=2).pk)
        """
    )
    sign_in(page, server, "sally")
    page.wait_for_url("**/two-factor/set-up/")
    page.fill("#id_code", code_for(page.inner_text("#totp-key")))
    page.click("button:has-text('Finish set-up')")
    page.wait_for_url(server.url + "/")
    page.click(".govuk-service-navigation__link:has-text('Scrutiny')")
    page.click("a:has-text('Children and Families Scrutiny Committee')")
    assert "Work programme" in page.inner_text("h1")
    check_page(page, "scrutiny-work-programme")

    page.goto(f"{server.url}/scrutiny/{SLUG}/tracker/{item}/")
    page.click("button:has-text('Add the update')")  # today's date, no text: an error summary
    assert "Enter the update" in page.inner_text(".govuk-error-summary")
    check_page(page, "scrutiny-item-error")
    page.fill("#date-day", "1")
    page.fill("#date-month", "3")
    page.fill("#date-year", "2025")
    page.fill("#text", "Recruitment plan drafted.")
    page.click("button:has-text('Add the update')")
    assert "Update added." in page.inner_text(".govuk-notification-banner")
    page.check("#status-incomplete")
    page.fill("#reason", "The plan was not agreed by the workforce board.")
    page.click("button:has-text('Save the status')")
    assert "Set to Incomplete on" in page.inner_text("[data-field='status']")
    check_page(page, "scrutiny-item")

    page.click("button:has-text('Sign out')")
    sign_in(page, server, "vic")
    page.wait_for_url(server.url + "/")
    page.goto(f"{server.url}/scrutiny/{SLUG}/2025-05-19/")
    assert "Meeting of Monday 19 May 2025" in page.inner_text("h1")
    check_page(page, "scrutiny-meeting")
    page.goto(f"{server.url}/scrutiny/{SLUG}/tracker/?as_of-day=19&as_of-month=5&as_of-year=2025")
    # on 19 May 2025 the override (made today) did not apply yet: the 1 March update keeps it Pending
    assert page.inner_text(f"tr[data-item='{item}'] td[data-status]").startswith("Pending")
    check_page(page, "scrutiny-tracker")
    page.goto(f"{server.url}/scrutiny/{SLUG}/tracker/")  # today: the override applies
    assert page.inner_text(f"tr[data-item='{item}'] td[data-status]").startswith("Incomplete (set by hand)")
    page.goto(f"{server.url}/scrutiny/{SLUG}/tracker/{item}/")
    assert page.locator("form input[name='form']").count() == 0  # a member reads only
