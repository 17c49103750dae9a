"""Page interactions that only a browser can show: clicking chart marks."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser


def test_clicking_a_provider_bar_filters_every_page(server, laptop):
    laptop.goto(f"{server.url}/diversification?buyer=xai")
    wait_for_app(laptop, charts=2)
    # xAI's dollar supply is all Nvidia (D039): one bar, one segment.
    bar = laptop.locator('[data-testid="stPlotlyChart"]').first.locator("g.point path").first
    box = bar.bounding_box()
    laptop.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    laptop.wait_for_url(re.compile(r"provider=nvidia"), timeout=15_000)
    provider = laptop.locator('[data-testid="stMultiSelect"]', has=laptop.get_by_text("Provider", exact=True))
    expect(provider.locator("[data-tag]")).to_have_text(["Nvidia"], timeout=15_000)
    clear = laptop.get_by_role("button", name=re.compile("Clear provider filter"))
    expect(clear).to_be_visible()
    clear.click()
    expect(provider.locator("[data-tag]")).to_have_count(0, timeout=15_000)
    laptop.wait_for_url(lambda url: "provider=" not in url, timeout=15_000)
