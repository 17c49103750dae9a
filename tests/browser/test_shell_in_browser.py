"""What only a browser shows: the first load after a server start, URL write-back, drawn charts."""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import APP_WAIT_MS, LAPTOP, PHONE, metric_values, screenshot, wait_for_app

pytestmark = pytest.mark.browser

NAV_TITLES = ["Overview", "Diversification", "Exposure", "Commitments", "Capacity", "Infrastructure gap", "Data and sources",
              "Company profiles"]


def nav_labels(page) -> list[str]:
    labels = page.locator('[data-testid="stSidebarNavLink"] span[label]')
    return [labels.nth(i).get_attribute("label") for i in range(labels.count())]


def chips(page, label: str, expected_count: int | None = None) -> list[str]:
    widget = page.locator('[data-testid="stMultiSelect"]', has=page.get_by_text(label, exact=True))
    tags = widget.locator('[data-testid="stMultiSelectTagsContainer"] [data-tag]')
    if expected_count is not None:
        expect(tags).to_have_count(expected_count, timeout=APP_WAIT_MS)
    return [t.strip() for t in tags.all_inner_texts()]


def test_first_visit_after_start_shows_our_navigation(fresh_server, laptop):
    laptop.goto(fresh_server.url)
    wait_for_app(laptop, charts=1)
    assert nav_labels(laptop) == NAV_TITLES
    assert laptop.locator('[data-testid="stException"]').count() == 0


def test_first_visit_after_start_by_a_deep_shared_link(fresh_server, laptop):
    laptop.goto(f"{fresh_server.url}/diversification?buyer=openai")
    wait_for_app(laptop)
    assert nav_labels(laptop) == NAV_TITLES
    assert laptop.locator('[data-testid="stException"]').count() == 0
    assert chips(laptop, "Buyer", expected_count=1) == ["OpenAI"]
    assert urlparse(laptop.url).path == "/diversification"


@pytest.mark.parametrize("start", [1, 2])
def test_visitors_arriving_together_after_a_start_all_get_their_pages(fresh_server, chromium, start):
    # Several first sessions at once run the app's imports side by side; a library imported lazily by one
    # session must never be seen half-imported by another (it once showed a pandas traceback to one of them).
    paths = ["", "diversification", "commitments", "capacity", "gap", "", "commitments", "diversification"]
    contexts = [chromium.new_context(viewport=LAPTOP) for _ in paths]
    pages = [context.new_page() for context in contexts]
    try:
        for page, path in zip(pages, paths):
            page.goto(f"{fresh_server.url}/{path}", wait_until="commit")
        errors_or_chart = ('[data-testid="stException"], [data-testid="stAlertContentError"], '
                           '[data-testid="stPlotlyChart"] .main-svg')
        for page, path in zip(pages, paths):
            page.wait_for_selector(errors_or_chart, timeout=APP_WAIT_MS)
            errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
            assert errors.count() == 0, f"/{path}: {errors.first.inner_text()[:300]}"
            wait_for_app(page, charts=1)
    finally:
        for context in contexts:
            context.close()


def test_overview_draws_its_chart_and_numbers(small_server, laptop):
    laptop.goto(small_server.url)
    wait_for_app(laptop, charts=1)
    values = metric_values(laptop, 8)  # four totals and four cards
    # Worked by hand on tests/fixtures/small_ledger.py (see tests/app/test_overview.py): L01 250 + L02 300 + L07 100
    # + L11 100; sites L02 4.5 + L11 5; chips L03 6 + L07 10; OpenAI's fleet F01.
    assert {"$750 bn", "9.5 GW", "16 GW", "1.9 GW"} <= set(values)
    # One bar per provider with counted money: Oracle, Azure, Nvidia, AWS (AMD's value is undisclosed).
    assert laptop.locator('[data-testid="stPlotlyChart"] g.point').count() >= 4
    assert laptop.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').count() == 0


def test_shared_link_restores_filters(server, laptop):
    laptop.goto(f"{server.url}/?provider=aws,coreweave&buyer=openai&from=2025-01-01&overlaps=include")
    wait_for_app(laptop, charts=1)
    assert chips(laptop, "Provider", expected_count=2) == ["AWS", "CoreWeave"]
    assert chips(laptop, "Buyer", expected_count=1) == ["OpenAI"]
    assert laptop.locator('[data-testid="stDateInput"] input').first.input_value() == "2025-01-01"
    assert laptop.get_by_role("switch", name="Include overlapping rows").is_checked()


def test_changing_a_filter_writes_the_url(server, laptop):
    laptop.goto(server.url)
    wait_for_app(laptop, charts=1)
    before = metric_values(laptop, 8)
    laptop.locator('[data-testid="stMultiSelect"]', has=laptop.get_by_text("Buyer", exact=True)).click()
    laptop.get_by_role("option", name="Anthropic").click()
    laptop.keyboard.press("Escape")
    # Streamlit's URL binding writes the label the widget shows.
    laptop.wait_for_url(re.compile(r"buyer=Anthropic"), timeout=APP_WAIT_MS)
    wait_for_app(laptop, charts=1)
    # Every link says its language too (issue 29), so that it opens in the sender's.
    assert parse_qs(urlparse(laptop.url).query) == {"buyer": ["Anthropic"], "lang": ["en"]}
    laptop.wait_for_function(  # the new run's numbers, not the old ones still on screen
        f"JSON.stringify([...document.querySelectorAll('[data-testid=\"stMetricValue\"]')].map(e => e.innerText)) "
        f"!== {json.dumps(json.dumps(before, separators=(',', ':'), ensure_ascii=False))}", timeout=APP_WAIT_MS)
    after = metric_values(laptop, 8)
    assert after != before
    # The link the app wrote reopens the same view in a new session.
    shared = laptop.context.new_page()
    shared.goto(laptop.url)
    wait_for_app(shared, charts=1)
    assert chips(shared, "Buyer", expected_count=1) == ["Anthropic"]
    assert metric_values(shared, 8) == after


def test_a_link_in_the_readme_form_is_kept_in_the_url(server, laptop):
    laptop.goto(f"{server.url}/?provider=aws,coreweave&firmness=definitive")
    wait_for_app(laptop, charts=1)
    assert chips(laptop, "Provider", expected_count=2) == ["AWS", "CoreWeave"]
    assert chips(laptop, "Firmness counted", expected_count=1) == ["definitive"]
    # Reloading what the address bar now says restores the same filter.
    laptop.reload()
    wait_for_app(laptop, charts=1)
    assert chips(laptop, "Provider", expected_count=2) == ["AWS", "CoreWeave"]
    assert chips(laptop, "Firmness counted", expected_count=1) == ["definitive"]


def test_bad_link_warns_in_the_page(server, laptop):
    laptop.goto(f"{server.url}/?provider=nope&from=2025-02-31")
    wait_for_app(laptop, charts=1)
    text = laptop.locator('[data-testid="stSidebar"]').inner_text()
    assert "unknown provider 'nope'" in text
    assert "'2025-02-31' is not a date" in text


CHARTS = {"": 1, "diversification": 5, "commitments": 4, "capacity": 4, "gap": 3, "data": 0}


@pytest.mark.parametrize("path", list(CHARTS))
@pytest.mark.parametrize(("size", "viewport"), [("laptop", LAPTOP), ("phone", PHONE)])
def test_every_page_renders_and_is_screenshotted(server, chromium, path, size, viewport):
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(f"{server.url}/{path}")
        page.wait_for_selector('[data-testid="stApp"]')
        page.wait_for_selector('[data-testid="stMainBlockContainer"] h1, [data-testid="stAlert"]', timeout=APP_WAIT_MS)
        page.wait_for_function('!document.querySelector(\'[data-testid="stStatusWidget"]\')', timeout=APP_WAIT_MS)
        if CHARTS[path]:  # every chart drawn (Plotly has painted its SVG)
            page.wait_for_function(
                f'document.querySelectorAll(\'[data-testid="stPlotlyChart"] .main-svg\').length >= {CHARTS[path]}',
                timeout=APP_WAIT_MS)
        assert page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').count() == 0
        assert page.locator('[data-testid="stMainBlockContainer"]').inner_text().strip()
        # Tables and other lazily loaded elements show a skeleton until drawn: screenshot what a reader sees.
        page.wait_for_function("!document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=APP_WAIT_MS)
        assert screenshot(page, f"{path or 'overview'}-{size}").exists()
    finally:
        context.close()
