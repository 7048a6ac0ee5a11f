"""In a real browser: sign in with TOTP, upload a synthetic council year, watch the task finish.

Every page built so far is checked with axe-core (no serious or critical
violation) and photographed (CSC_SCORECARD_SCREENSHOTS=DIR keeps the
pictures); the skip link and the navigation are used by keyboard alone.
"""

from __future__ import annotations

import base64
import csv
import io
import os
import re
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from django_otp.oath import totp

from .browser_support import AXE, PASSWORD, inline_code, served_html

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(os.environ.get("CSC_SCORECARD_SCREENSHOTS", "") or "/nonexistent")


def code_for(key_text: str, *, not_this: str = "") -> str:
    """The current code for the key the enrolment page shows; waits for a fresh one if asked."""
    key = key_text.replace(" ", "").upper()
    key += "=" * (-len(key) % 8)
    while True:
        code = f"{totp(base64.b32decode(key), step=30, t0=0, digits=6, drift=0):06d}"
        if code != not_this:
            return code
        time.sleep(30 - time.time() % 30 + 0.5)


def check_page(page, name: str) -> None:
    """No inline script or style in the served HTML (the CSP would refuse it; the test
    context bypasses CSP for axe), no serious or critical axe-core violation, a screenshot."""
    inline = inline_code(served_html(page))
    assert not inline, f"{name}: " + "; ".join(inline)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{name}: " + "; ".join(bad)
    if SHOTS.parent.exists() and str(SHOTS) != "/nonexistent":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page, server, name: str) -> None:
    page.goto(server.url + "/")
    assert "/sign-in/" in page.url
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")


@pytest.fixture(scope="module")
def council_zip(tmp_path_factory) -> Path:
    from csc_scorecard.synth.command import synth

    out = tmp_path_factory.mktemp("synth")
    result = CliRunner().invoke(synth, ["--out", str(out), "--population", "1000", "--years", "2024-25"])
    assert result.exit_code == 0, result.output
    year = out / "999" / "2024-25"
    target = out / "synthshire-2024-25.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(year.rglob("*")):
            if path.is_file() and "ssda903_xml" not in path.parts:
                archive.write(path, str(path.relative_to(year.parent)))
    return target


def child_ids(council_zip: Path) -> set[str]:
    with zipfile.ZipFile(council_zip) as archive:
        name = next(n for n in archive.namelist() if n.endswith("ssda903/header.csv"))
        rows = csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig")))
        return {r["CHILD"] for r in rows if len(r["CHILD"]) >= 6}


def test_analyst_signs_in_with_totp_uploads_and_sees_the_returns(page, server, council_zip):
    page.goto(server.url + "/accessibility/")
    check_page(page, "accessibility-statement")

    page.goto(server.url + "/returns/")
    assert "/sign-in/?next=/returns/" in page.url  # signed out: every other page sends here
    check_page(page, "sign-in")
    page.fill("#id_username", "ana")
    page.fill("#id_password", "not the password")
    page.click("button:has-text('Sign in')")
    assert "Enter a correct account name and password" in page.inner_text(".govuk-error-summary")
    check_page(page, "sign-in-error")

    sign_in(page, server, "ana")
    page.wait_for_url("**/two-factor/set-up/")
    assert page.locator(".app-qr svg").count() == 1
    check_page(page, "two-factor-enrol")
    key = page.inner_text("#totp-key")
    first_code = code_for(key)
    page.fill("#id_code", first_code)
    page.click("button:has-text('Finish set-up')")
    page.wait_for_url(server.url + "/")
    assert page.inner_text("h1") == "Synthshire County Council"
    assert "No returns have been loaded yet" in page.inner_text("main")
    check_page(page, "home-empty")

    page.click(".govuk-service-navigation__link:has-text('Returns')")
    page.wait_for_url("**/returns/")
    check_page(page, "returns-empty")
    page.click("text=Upload returns")
    check_page(page, "upload")

    # a refused upload first: a file that is not a return
    junk = council_zip.parent / "notes.csv"
    junk.write_text("hello,world\n1,2\n")
    page.set_input_files("#files", str(junk))
    page.click("button:has-text('Upload and load')")
    assert "There is a problem" in page.inner_text(".govuk-error-summary")
    check_page(page, "upload-refused")

    page.set_input_files("#files", str(council_zip))
    page.click("button:has-text('Upload and load')")
    page.wait_for_url("**/tasks/*/")
    page.wait_for_selector("text=Finished", timeout=180_000)
    results = page.inner_text("main")
    assert "CIN census" in results and "SSDA903" in results and "Stored" in results
    check_page(page, "task-finished")

    page.click("text=See all returns")
    listing = page.inner_text("main")
    assert "CIN census" in listing and "Annex A" in listing and "Current" in listing
    check_page(page, "returns-list")
    page.click("a:has-text('Issues') >> nth=-1")  # the SSDA903 submission, which has notes
    page.wait_for_url("**/issues/")
    check_page(page, "issues")
    if page.locator("#id_severity option").count() > 1:  # this submission has issues to filter
        page.select_option("#id_severity", index=1)
        page.click("button:has-text('Apply filters')")
        assert "severity=" in page.url
        check_page(page, "issues-filtered")

    page.goto(server.url + "/")
    assert "CIN census" in page.inner_text("#main-content")
    check_page(page, "home-freshness")

    # sign out, then back in: now the code page, not the set-up
    page.click("button:has-text('Sign out')")
    check_page(page, "signed-out")
    sign_in(page, server, "ana")
    page.wait_for_url("**/two-factor/")
    check_page(page, "two-factor-verify")
    page.fill("#id_code", code_for(key, not_this=first_code))
    page.click("button:has-text('Continue')")
    page.wait_for_url(server.url + "/")

    # no child's id reaches the server's log
    ids = child_ids(council_zip)
    assert ids
    log = server.log_text()
    assert not [i for i in ids if re.search(rf"\b{re.escape(i)}\b", log)]


def test_admin_reads_the_audit_log_and_a_viewer_is_refused(page, server):
    sign_in(page, server, "ada")
    page.wait_for_url("**/two-factor/set-up/")
    page.fill("#id_code", code_for(page.inner_text("#totp-key")))
    page.click("button:has-text('Finish set-up')")
    page.wait_for_url(server.url + "/")
    page.click(".govuk-service-navigation__link:has-text('Audit log')")
    text = page.inner_text("main")
    assert "two-factor-enrolled" in text and "upload" in text
    check_page(page, "audit-log")
    page.goto(server.url + "/no-such-page/")
    check_page(page, "not-found")

    # a task still running: its page says so and offers a way to look again without JavaScript
    task_id = server.python(
        """
        from csc_scorecard.web.tasks.models import TaskRun
        run = TaskRun.objects.create(kind="returns.ingest", title="Upload of big.xml", status="running",
                                     step="Reading big.xml", steps_done=1, steps_total=3)
        print(run.pk)
        """
    )
    page.goto(f"{server.url}/tasks/{task_id}/")
    assert "Running: Reading big.xml" in page.inner_text("#task-status")
    check_page(page, "task-running")

    page.click("button:has-text('Sign out')")
    sign_in(page, server, "vic")
    page.wait_for_url(server.url + "/")  # a viewer needs no second factor
    response = page.goto(server.url + "/returns/")
    assert response.status == 403
    assert "You cannot see this page" in page.inner_text("h1")
    check_page(page, "forbidden")


def test_lockout_page(page, server):
    for _ in range(5):
        page.goto(server.url + "/sign-in/")
        page.fill("#id_username", "lou")
        page.fill("#id_password", "wrong wrong wrong")
        page.click("button:has-text('Sign in')")
    assert "This account is locked for 30 minutes" in page.inner_text("h1")
    check_page(page, "locked-out")


def test_skip_link_and_navigation_work_by_keyboard(page, server):
    page.goto(server.url + "/accessibility/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "govuk-skip-link" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"

    sign_in(page, server, "vic")
    page.wait_for_url(server.url + "/")
    page.goto(server.url + "/accessibility/")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Home":
            break
    else:
        pytest.fail("Tab never reached the Home link of the navigation")
    page.keyboard.press("Enter")
    page.wait_for_url(server.url + "/")
    assert page.inner_text("h1") == "Synthshire County Council"


def _rag_of(page, indicator_id: str) -> str:
    return page.inner_text(f"tr[data-indicator='{indicator_id}'] td[data-col='rag_label']").strip()


def test_scorecard_indicator_children_target_commentary_and_report(page, server):
    """After the upload above: the analyst's week, then a viewer refused the children."""
    server.python(
        f"""
        from csc_scorecard.accounts.models import User
        User.objects.create_user("nat", password={PASSWORD!r}, role="analyst")
        """
    )
    sign_in(page, server, "nat")
    page.wait_for_url("**/two-factor/set-up/")
    page.fill("#id_code", code_for(page.inner_text("#totp-key")))
    page.click("button:has-text('Finish set-up')")
    page.wait_for_url(server.url + "/")
    assert "Summary by priority" in page.inner_text("main")
    check_page(page, "home-summary")

    page.click("#navigation a:text-is('Scorecard')")
    page.wait_for_url("**/scorecard/")
    assert page.locator("#scorecard-table tbody tr").count() > 20
    check_page(page, "scorecard")
    page.select_option("#area", index=1)
    area = page.locator("#area option:checked").inner_text()
    page.click("button:has-text('Show the scorecard')")
    assert "area=" in page.url
    cells = page.locator("#scorecard-table td[data-col='area']").all_inner_texts()
    assert cells and set(cells) == {area}
    check_page(page, "scorecard-area")

    # keyboard only: Tab to the Value heading's sort link and press Enter
    page.goto(server.url + "/scorecard/")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()").startswith("Value"):
            break
    else:
        pytest.fail("Tab never reached the Value column's sort link")
    page.keyboard.press("Enter")
    page.wait_for_url("**sort=value_display**")
    assert page.get_attribute("#scorecard-table th[aria-sort='ascending']", "aria-sort")

    # a quarter, so that the trend has several points to draw
    page.goto(server.url + "/scorecard/")
    quarter = page.locator("#period optgroup[label='Quarters'] option").first.get_attribute("value")
    page.select_option("#period", quarter)
    page.click("button:has-text('Show the scorecard')")
    indicator = "assessments_45wd_pct"  # higher is better
    page.click(f"tr[data-indicator='{indicator}'] a")
    page.wait_for_url(f"**/indicators/{indicator}/**")
    assert "Higher is better" in page.inner_text("main")
    assert page.evaluate("document.querySelector('img.app-chart').naturalWidth") > 0
    check_page(page, "indicator")
    page.click("#children-link")
    page.wait_for_url("**/children/**")
    assert page.locator("#children-table tbody tr").count() > 0
    check_page(page, "children")
    page.go_back()

    # a target far above the figure makes it Red; a target of 0 makes it Green
    page.click("text=Set or change the target")
    check_page(page, "target-edit")
    edit_url = page.url.split("?")[0]
    page.fill("#target", "not a number")
    page.click("button:has-text('Save the target')")
    assert "There is a problem" in page.inner_text(".govuk-error-summary")
    check_page(page, "target-error")
    page.fill("#target", "100")
    page.fill("#tolerance", "1")
    page.click("button:has-text('Save the target')")
    assert "The target is saved" in page.inner_text("main")
    page.goto(server.url + "/scorecard/")
    assert _rag_of(page, indicator).startswith("Red")
    page.goto(edit_url)
    page.fill("#target", "0")
    page.click("button:has-text('Save the target')")
    assert "nat" in page.inner_text("#history-table")
    page.goto(server.url + "/scorecard/")
    assert _rag_of(page, indicator).startswith("Green")
    page.goto(server.url + "/targets/")
    check_page(page, "targets")

    page.goto(server.url + "/scorecard/")
    page.click(f"tr[data-indicator='{indicator}'] a")
    page.click("text=Write commentary on this indicator")
    page.fill("#worried", "Assessments slowed over the summer.")
    page.check("#status-approved")
    page.click("button:has-text('Save the commentary')")
    assert "The commentary is saved" in page.inner_text("main")
    check_page(page, "commentary")
    page.goto(server.url + f"/indicators/{indicator}/")
    assert "Assessments slowed over the summer." in page.inner_text("main")

    page.click("#navigation a:text-is('Reports')")
    check_page(page, "reports")
    quarter = page.locator("#period optgroup[label='Quarters'] option").first.get_attribute("value")
    page.check("#kind-quarterly")
    page.select_option("#period", quarter)
    page.click("button:has-text('Generate the report')")
    page.wait_for_url("**/tasks/*/")
    page.wait_for_selector("text=Finished", timeout=240_000)
    page.goto(server.url + "/reports/")
    assert f"Quarterly report, {quarter} (draft)" in page.inner_text("#reports-table")
    check_page(page, "reports-listed")
    with page.expect_download() as download:
        page.click("#reports-table a:has-text('PDF') >> nth=0")
    assert Path(download.value.path()).read_bytes()[:4] == b"%PDF"

    # a viewer sees no child link and is refused the children by URL
    page.click("button:has-text('Sign out')")
    sign_in(page, server, "vic")
    page.wait_for_url(server.url + "/")
    page.goto(server.url + f"/indicators/{indicator}/")
    assert page.locator("#children-link").count() == 0
    response = page.goto(server.url + f"/indicators/{indicator}/children/")
    assert response.status == 403 and "You cannot see this page" in page.inner_text("h1")
    page.goto(server.url + "/scorecard/")
    check_page(page, "scorecard-viewer")
