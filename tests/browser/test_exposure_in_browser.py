"""The Exposure page in a real browser, on the small hand-made ledger: a stress test opened from a shared link at
laptop and phone widths (screenshots in test-artifacts/, looked at by a person), and a changed input written back
to the address (AppTest does not see the binding's write-back). Numbers are worked out in
tests/app/test_exposure_page.py: Anthropic's AWS 100 is 20 a year from 2025 to 2029."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import APP_WAIT_MS, LAPTOP, PHONE, screenshot

pytestmark = pytest.mark.browser
TALL = 4000  # Streamlit scrolls inside the app, not the document: a tall window shows the whole page at once


@pytest.mark.parametrize("viewport, label", [(LAPTOP, "1280"), (PHONE, "390")])
def test_a_shared_stress_test_link_opens_as_sent(small_server, chromium, viewport, label):
    context = chromium.new_context(viewport={"width": viewport["width"], "height": TALL})
    page = context.new_page()
    try:
        page.goto(f"{small_server.url}/exposure?exp_preset=Your+own+inputs&exp_buyers=Anthropic&exp_paid=0"
                  "&exp_start=2027")
        page.wait_for_selector('[data-testid="stApp"]')
        expect(page.get_by_role("heading", name="Who is exposed to whom")).to_be_visible(timeout=APP_WAIT_MS)
        page.wait_for_function('document.querySelectorAll(\'[data-testid="stPlotlyChart"] .main-svg\').length >= 2',
                               timeout=APP_WAIT_MS)
        page.wait_for_function('!document.querySelector(\'[data-testid="stStatusWidget"]\')', timeout=APP_WAIT_MS)
        # 2027-2029 of AWS's 20 a year, none paid.
        expect(page.get_by_text("$60 bn").first).to_be_visible(timeout=APP_WAIT_MS)
        assert page.locator('[data-testid="stException"]').count() == 0
        screenshot(page, f"exposure-{label}")
    finally:
        context.close()


def test_a_changed_input_is_written_to_the_address(small_server, laptop):
    laptop.goto(f"{small_server.url}/exposure?exp_preset=Your+own+inputs&exp_buyers=Anthropic&exp_paid=0"
                "&exp_start=2027")
    expect(laptop.get_by_role("heading", name="Who is exposed to whom")).to_be_visible(timeout=APP_WAIT_MS)
    slider = laptop.get_by_role("slider").first  # the share paid
    expect(slider).to_be_visible(timeout=APP_WAIT_MS)
    slider.focus()
    laptop.keyboard.press("ArrowRight")  # one step: 5 %
    laptop.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("exp_paid") == ["5"], timeout=APP_WAIT_MS)
    assert parse_qs(urlparse(laptop.url).query)["exp_buyers"] == ["Anthropic"]
