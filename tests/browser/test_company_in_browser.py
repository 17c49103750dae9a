"""The Company page in a real browser: opened from a shared link and from a table's link, at laptop and phone
widths (screenshots in test-artifacts/, looked at by a person)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import APP_WAIT_MS, LAPTOP, PHONE, metric_values, screenshot

pytestmark = pytest.mark.browser
CLICK_WAIT_MS = 10_000  # per click on a table's link, before clicking again
COMPARISON_CARDS = 38  # cards of the AWS, Azure and Oracle profiles side by side, on the bundled data
TALL = 3000  # Streamlit scrolls inside the app, not the document: a tall window shows the whole page at once


def open_profile(page: Page, url: str, names: list[str]) -> None:
    page.goto(url)
    # Not conftest's wait_for_app: on a phone the sidebar (its nav and filters) starts collapsed.
    page.wait_for_selector('[data-testid="stApp"]')
    expect(page.get_by_role("heading", name="Company profiles")).to_be_visible(timeout=APP_WAIT_MS)
    for name in names:
        expect(page.get_by_role("heading", name=name, exact=True).first).to_be_visible(timeout=APP_WAIT_MS)
    page.wait_for_function('!document.querySelector(\'[data-testid="stStatusWidget"]\')', timeout=APP_WAIT_MS)


@pytest.mark.parametrize("viewport, label", [(LAPTOP, "1280"), (PHONE, "390")])
def test_a_shared_comparison_link_opens_three_profiles(server, chromium, viewport, label):
    context = chromium.new_context(viewport={"width": viewport["width"], "height": TALL})
    page = context.new_page()
    try:
        open_profile(page, f"{server.url}/company?id=aws,microsoft-azure,oracle-oci",
                     ["AWS", "Microsoft Azure", "Oracle Cloud (OCI)"])
        chips = page.locator('[data-testid="stMultiSelect"]', has=page.get_by_text("Companies", exact=True))
        expect(chips.locator("[data-tag]")).to_have_text(["AWS", "Microsoft Azure", "Oracle Cloud (OCI)"])
        # The address now names them as the picker's URL binding does, so a reload keeps the comparison.
        assert parse_qs(urlparse(page.url).query)["id"] == ["AWS", "Microsoft Azure", "Oracle Cloud (OCI)"]
        # The cards are drawn after the headings: wait for all of them, not the first. 38: the three profiles'
        # sections' cards on the bundled data (tests/app/test_company_page.py counts them the same way).
        values = metric_values(page, COMPARISON_CARDS)
        assert all(v.strip() for v in values)
        screenshot(page, f"company_compare_{label}")
        # Nothing wider than the window: a cut-off column would scroll the page sideways.
        overflow = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollWidth - window.innerWidth")
        assert overflow <= 1
    finally:
        context.close()


@pytest.mark.parametrize("viewport, label", [(LAPTOP, "1280"), (PHONE, "390")])
def test_a_profile_from_a_shared_link(server, chromium, viewport, label):
    context = chromium.new_context(viewport={"width": viewport["width"], "height": TALL})
    page = context.new_page()
    try:
        open_profile(page, f"{server.url}/company?id=openai", ["OpenAI"])
        page.wait_for_function('document.querySelectorAll(\'[data-testid="stPlotlyChart"] .main-svg\').length >= 2',
                               timeout=APP_WAIT_MS)
        expect(page.get_by_text("Bought for its own use").first).to_be_visible()
        screenshot(page, f"company_openai_{label}")
    finally:
        context.close()


def test_a_name_in_a_table_opens_its_profile(server, chromium):
    context = chromium.new_context(viewport={"width": LAPTOP["width"], "height": TALL})
    page = context.new_page()
    try:
        open_profile(page, f"{server.url}/company?id=openai", ["OpenAI"])
        # "Its suppliers": the first column is the supplier's name, a link to its profile (largest first).
        # The grid draws its rows on a canvas after the page settles, and a late rerun can move it: each try finds
        # the grid again and clicks its first data row, first column (rows are 35 px), until the profile opens
        # (bounded by APP_WAIT_MS in all).
        profile = None
        for _ in range(APP_WAIT_MS // CLICK_WAIT_MS):
            grid = page.locator('[data-testid="stDataFrame"]').first
            grid.scroll_into_view_if_needed()
            box = grid.bounding_box()
            cell = (box["x"] + 40, box["y"] + 35 + 17)
            page.mouse.move(*cell)
            try:
                with context.expect_page(timeout=CLICK_WAIT_MS) as opened:
                    page.mouse.click(*cell)
                profile = opened.value
                break
            except PlaywrightTimeout:
                continue
        assert profile is not None, "clicking the supplier's name opened no profile"
        open_profile(profile, profile.url, ["Oracle Cloud (OCI)"])
        # The table links by id; the page then writes the name, the form its picker's URL binding reads.
        assert parse_qs(urlparse(profile.url).query)["id"] in (["oracle-oci"], ["Oracle Cloud (OCI)"])
        screenshot(profile, "company_from_table_link")
    finally:
        context.close()
