"""The self-evaluation and Annex A pack pages in a real browser: axe-core finds nothing serious,
the journey chart loads as an image under the page's CSP, and a viewer's pack names no child."""

from __future__ import annotations

import pytest

from .browser_support import PASSWORD, watch_documents
from .test_browser import check_page, code_for, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def world(server):
    server.python(f"""
        from pathlib import Path
        from csc_scorecard.accounts.models import User
        from tests.web.inspection_store import build_inspection_world
        build_inspection_world(Path({str(server.home)!r}))
        User.objects.create_user("insp-viewer", password={PASSWORD!r}, role="viewer")
        User.objects.create_user("insp-analyst", password={PASSWORD!r}, role="analyst")
    """)
    return server


def test_self_evaluation_and_pack_pages(browser, world):
    # bypass_csp off: the page must load its chart as an image, with no inline style
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(page, world, "insp-viewer")
    page.wait_for_url(world.url + "/")
    page.goto(world.url + "/inspection/self-evaluations/")
    page.click("text=Self-evaluation 2025")
    assert "down 5.0 percentage points" in page.inner_text("main")
    assert "section 1 (Protection), bullet 2" in page.inner_text("main")
    page.goto(world.url + "/inspection/pack/?as_at=2024-03-31")
    loaded = page.evaluate("document.querySelector('img.app-chart').naturalWidth")
    assert loaded > 0 and not blocked
    assert "C1" not in page.inner_text("main")
    context.close()
    # axe (its script needs the CSP bypassed) and the screenshots
    context = browser.new_context(bypass_csp=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    watch_documents(page)
    sign_in(page, world, "insp-viewer")
    page.wait_for_url(world.url + "/")
    page.goto(world.url + "/inspection/pack/?as_at=2024-03-31")
    check_page(page, "inspection-pack")
    page.goto(world.url + "/inspection/self-evaluations/")
    page.click("text=Self-evaluation 2025")
    check_page(page, "self-evaluation")
    context.close()


def test_deleting_a_recommendation_through_its_confirmation_page(browser, world):
    """An analyst deletes R1 (linked to an action): warned, made to tick the unlinking, then deleted."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    watch_documents(page)
    sign_in(page, world, "insp-analyst")
    page.wait_for_url("**/two-factor/set-up/")
    page.fill("#id_code", code_for(page.inner_text("#totp-key")))
    page.click("button:has-text('Finish set-up')")
    page.wait_for_url(world.url + "/")
    page.goto(world.url + "/inspection/")
    page.click("text=ILACS November 2023")
    page.click("#rec-R1 a:has-text('Delete')")
    check_page(page, "recommendation-delete")
    page.click("button:has-text('Delete R1')")  # not ticked: refused
    assert "There is a problem" in page.inner_text("main")
    check_page(page, "recommendation-delete-error")
    page.check("#confirm_unlink")
    page.click("button:has-text('Delete R1')")
    page.wait_for_url("**/inspection/*/?saved=1")
    assert "No recommendations are stored for this inspection." in page.inner_text("main")
    context.close()
