"""The committee-pack page in a real browser: reached from the meeting page; the analyst's
form and the member's read-only view pass axe-core."""

from __future__ import annotations

import pytest

from .browser_support import PASSWORD
from .test_browser import check_page, code_for, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SLUG = "children-families"


def test_committee_pack_page(page, server):
    server.python(
        f"""
        from csc_scorecard.accounts.models import User
        from csc_scorecard.scrutiny.models import Committee
        if not Committee.objects.filter(slug={SLUG!r}).exists():
            from csc_scorecard.plans.demo import DEMO_PLAN
            from csc_scorecard.scrutiny.demo import DEMO_SCRUTINY
            from csc_scorecard.services.plans import import_plan_file
            from csc_scorecard.services.scrutiny import import_scrutiny_file
            import_plan_file(DEMO_PLAN, author="test", replace=True)  # the server is shared
            import_scrutiny_file(DEMO_SCRUTINY, replace=True)
        User.objects.create_user("packer", password={PASSWORD!r}, role="analyst")
        """
    )
    sign_in(page, server, "packer")
    page.wait_for_url("**/two-factor/set-up/")
    page.fill("#id_code", code_for(page.inner_text("#totp-key")))
    page.click("button:has-text('Finish set-up')")
    page.wait_for_url(server.url + "/")
    page.goto(f"{server.url}/scrutiny/{SLUG}/2025-05-19/")
    page.click("#committee-pack-link")
    assert "Committee pack for 19 May 2025" in page.inner_text("h1")
    assert page.is_checked("#mode-publication")  # the published pack unless an officer asks for a draft
    check_page(page, "committee-pack-analyst")

    page.click("button:has-text('Sign out')")
    sign_in(page, server, "vic")
    page.wait_for_url(server.url + "/")
    page.goto(f"{server.url}/scrutiny/{SLUG}/2025-05-19/pack/")
    assert page.locator("button:has-text('Build the committee pack')").count() == 0  # members only download
    check_page(page, "committee-pack-member")
