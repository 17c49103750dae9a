"""The app in German in a real browser (issue 29): the language in the link (written by the page, also when it
came from the browser's language), switching it, an unknown value, the German Overview at 1280 and 390 px, and every
other page in German at both widths: its German title shown, nothing wider than the screen, a screenshot to look at."""
from __future__ import annotations

from playwright.sync_api import Browser

import pytest

from compute_ledger.i18n import t, use_language
from tests.browser.conftest import APP_WAIT_MS, LAPTOP, PHONE, screenshot

pytestmark = pytest.mark.browser


def open_german(chromium: Browser, url: str, viewport: dict, locale: str = "en-US"):
    context = chromium.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]', timeout=APP_WAIT_MS)
    return context, page


def wait_for_url(page, part: str) -> None:
    page.wait_for_function(f"location.search.includes({part!r})", timeout=APP_WAIT_MS)


def test_a_german_browser_gets_german_and_the_link_says_so(server, chromium):
    context, page = open_german(chromium, server.url, LAPTOP, locale="de-DE")
    page.get_by_text("Der Ausbau der KI-Rechenleistung").wait_for(timeout=APP_WAIT_MS)
    wait_for_url(page, "lang=de")  # a link copied now opens in German for anyone
    page.locator('[data-testid="stSidebar"]').get_by_text("en", exact=True).click()
    page.get_by_text("The AI compute build-out").wait_for(timeout=APP_WAIT_MS)
    wait_for_url(page, "lang=en")
    context.close()


def test_an_unknown_language_is_named_and_the_link_corrected(server, chromium):
    context, page = open_german(chromium, f"{server.url}/?lang=xx", LAPTOP, locale="de-DE")
    page.get_by_text("which this app does not have").wait_for(timeout=APP_WAIT_MS)
    page.get_by_text("The AI compute build-out").wait_for(timeout=APP_WAIT_MS)
    wait_for_url(page, "lang=en")
    context.close()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "390"])
def test_the_german_overview_fits(server, chromium, viewport):
    context, page = open_german(chromium, f"{server.url}/?lang=de", viewport)
    page.get_by_text("Eine Ebene der Kette", exact=False).wait_for(timeout=APP_WAIT_MS)
    page.wait_for_function('document.querySelectorAll(\'[data-testid="stPlotlyChart"] .main-svg\').length >= 1',
                           timeout=APP_WAIT_MS)
    main = page.locator('[data-testid="stMain"]')
    # Nothing wider than the screen: no element of the page sticks out to the right.
    overflow = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && e.offsetParent !== null
                && !e.closest('[data-testid="stDataFrame"], .js-plotly-plot'))
        .map(e => e.dataset.testid || e.tagName).slice(0, 5)""")
    assert overflow == []
    # The chart's end-of-bar labels stay inside the chart.
    chart = page.locator('[data-testid="stPlotlyChart"]').first.bounding_box()
    labels = page.locator('[data-testid="stPlotlyChart"] .annotation-text')
    rights = [labels.nth(i).bounding_box()["x"] + labels.nth(i).bounding_box()["width"] for i in range(labels.count())]
    assert rights and max(rights) <= chart["x"] + chart["width"] + 1
    assert main.get_by_text("1,13", exact=False).count() or main.get_by_text("Bio.\u00a0USD", exact=False).count()
    screenshot(page, f"german_overview_{viewport['width']}")
    context.close()


# Every page a reader can open: (its address, its English title as the page writes it). The German title is the
# catalogue's, so the test follows the translation rather than a hand copy of it.
GERMAN_PAGES = [
    ("diversification", "Multi-cloud diversification"),
    ("exposure", "Who is exposed to whom"),
    ("commitments", "Commitments over time"),
    ("capacity", "Capacity: planned vs running"),
    ("gap", "The infrastructure gap"),
    ("data", "Data and sources"),
    ("company?id=openai", "Company profiles"),
]
OUTSIDE_THE_SCREEN = """() => [...document.querySelectorAll('[data-testid="stMain"] *, [data-testid="stSidebar"] *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && e.offsetParent !== null
            && !e.closest('[data-testid="stDataFrame"], .js-plotly-plot, [data-testid="stSidebar"][aria-expanded="false"]'))
    .map(e => e.dataset.testid || e.tagName).slice(0, 5)"""


def german(english: str) -> str:
    with use_language("de"):
        return t(english)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "390"])
@pytest.mark.parametrize("address, english_title", GERMAN_PAGES, ids=[a.split("?")[0] for a, _ in GERMAN_PAGES])
def test_every_page_in_german_fits(server, chromium, viewport, address, english_title):
    title = german(english_title)
    assert title != english_title, f"{english_title!r} has no German translation"
    separator = "&" if "?" in address else "?"
    context, page = open_german(chromium, f"{server.url}/{address}{separator}lang=de", viewport)
    heading = page.locator('[data-testid="stMain"] h1')
    heading.filter(has_text=title).first.wait_for(timeout=APP_WAIT_MS)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=APP_WAIT_MS)
    page.wait_for_function('document.querySelectorAll(\'[data-testid="stPlotlyChart"] .main-svg\').length >= 1',
                           timeout=APP_WAIT_MS)
    assert page.evaluate(OUTSIDE_THE_SCREEN) == []
    wait_for_url(page, "lang=de")
    screenshot(page, f"german_{address.split('?')[0]}_{viewport['width']}")
    context.close()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "390"])
def test_an_embedded_chart_in_german_fits(server, chromium, viewport):
    context, page = open_german(chromium, f"{server.url}/embed?chart=exposure-backlog&lang=de", viewport)
    page.get_by_text("Quelle: AI Compute Ledger", exact=False).first.wait_for(timeout=APP_WAIT_MS)  # its German caption
    page.wait_for_function('document.querySelectorAll(\'[data-testid="stPlotlyChart"] .main-svg\').length >= 1',
                           timeout=APP_WAIT_MS)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=APP_WAIT_MS)
    assert page.evaluate(OUTSIDE_THE_SCREEN) == []
    screenshot(page, f"german_embed_{viewport['width']}")
    context.close()
