"""The operators' live dashboard in a real browser (Debian's headless Chromium driven by
Playwright) against the whole platform: an operator signs in, sees the 001 call's
pipeline, and the counts change as submissions arrive — without reloading the page. The
screenshot is kept beside the test's other output."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from browser import chromium_path
from journey import new_applicant, prepare_application, wait_until_reviewed
from playwright.sync_api import Page, sync_playwright

from gateway.dev_issuer import DEV_PASSWORD

pytestmark = pytest.mark.e2e


def _number(page: Page, testid: str) -> int | None:
    text = page.get_by_test_id(testid).inner_text().strip()
    return int(text) if text.isdigit() else None


def _wait_for(page: Page, testid: str, expected: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _number(page, testid) == expected:
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"{testid} stayed {_number(page, testid)}, expected {expected}")


def test_the_dashboard_follows_submissions_live(stack, tmp_path: Path) -> None:
    url = stack.gateway_url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR")
            page.goto(url + "/ops")
            page.fill("#username", "operator")
            page.fill("#password", DEV_PASSWORD)
            page.click("#login button")
            page.wait_for_function(
                "document.getElementById('submitted').textContent.trim() !== '–'"
            )
            page.evaluate("window.__sameDocument = true")
            before = _number(page, "submitted")
            eligible_before = _number(page, "eligible") or 0
            ineligible_before = _number(page, "ineligible") or 0
            assert before is not None
            # the stack's clock stands on 2026-06-10; 001 closes 2026-06-16 17:00 KST
            page.wait_for_function(
                "document.getElementById('countdown').textContent.includes('D-6')"
            )

            rng = random.Random(811)
            submitted = []
            for _ in range(2):
                owner, brn = new_applicant(url, rng)
                application_id = prepare_application(owner, brn)
                assert owner.post(f"/applications/{application_id}/submit").status_code == 200
                submitted.append((owner, application_id))
            _wait_for(page, "submitted", before + 2)
            verdicts = [wait_until_reviewed(o, a)["verdict"] for o, a in submitted]
            _wait_for(page, "eligible", eligible_before + verdicts.count("eligible"))
            _wait_for(page, "ineligible", ineligible_before + verdicts.count("ineligible"))
            assert page.evaluate("window.__sameDocument") is True  # updated, never reloaded
            bars = page.locator("[data-testid=spm] > div")
            assert bars.count() == 10
            rows = page.locator("[data-testid=messaging] tbody tr")
            names = {rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())}
            assert names == {"intake", "eligibility", "scoring", "matching", "settlement"}
            shot = tmp_path / "ops-dashboard.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
            print(f"dashboard screenshot: {shot}")
        finally:
            browser.close()
