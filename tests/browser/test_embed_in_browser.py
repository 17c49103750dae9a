"""A chart pasted into someone else's page: the embed snippet's <iframe> on a plain HTML page served from a local
folder, at phone and tablet widths. The chart draws inside the frame, and nothing else of the app shows."""
from __future__ import annotations

import functools
import http.server
import threading
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlencode

import feedparser
import pytest
from playwright.sync_api import Browser

from compute_ledger.app.share import IFRAME_HEIGHT
from tests.browser.conftest import APP_WAIT_MS, screenshot

HOST_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>An article about AI compute</title>
<style>body {{ font-family: serif; margin: 8px; }} p {{ max-width: 40em; }}</style></head>
<body><h1>An article about AI compute</h1><p>Text of the article before the chart.</p>
{iframe}
<p>Text of the article after the chart.</p></body></html>
"""


@pytest.fixture(scope="module")
def host(tmp_path_factory) -> Iterator[tuple]:
    """A plain static site on a loopback port: the folder the article's page is in."""
    folder = tmp_path_factory.mktemp("site")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("width", [390, 800])
@pytest.mark.parametrize("chart, params", [("commitments-timeline", {"buyer": "openai", "cmt_measure": "Gigawatts"}),
                                           ("capacity-map", {})])
def test_an_embedded_chart_draws_alone_in_an_iframe(server, chromium: Browser, host, width, chart, params):
    folder, site = host
    src = f"{server.url}/embed?" + urlencode({"chart": chart, **params, "embed": "true"})
    name = f"embed-{chart}-{width}"
    (folder / f"{name}.html").write_text(HOST_PAGE.format(
        iframe=f'<iframe src="{src.replace("&", "&amp;")}" title="chart" width="100%" height="{IFRAME_HEIGHT}" '
               'style="border:0"></iframe>'), encoding="utf-8")
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{site}/{name}.html")
        frame = page.frame_locator("iframe")
        frame.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for(timeout=APP_WAIT_MS)
        frame.get_by_text("Open the full view").wait_for(timeout=APP_WAIT_MS)
        inner = page.frames[1]
        inner.wait_for_function('!document.querySelector(\'[data-testid="stStatusWidget"]\')', timeout=APP_WAIT_MS)
        # The chart, its date and source: and nothing else of the app (no sidebar, navigation, header, filters).
        assert frame.locator('[data-testid="stPlotlyChart"]').count() == 1
        assert frame.get_by_text("Data as of").count() == 1
        # (Streamlit keeps an empty header strip in embed mode: only what would be in it must not show.)
        for absent in ('[data-testid="stSidebar"]', '[data-testid="stSidebarNav"]', '[data-testid="stHeader"] button',
                       '[data-testid="stToolbar"] button', '[data-testid="stSidebarCollapsedControl"]',
                       '[data-testid="stExpandSidebarButton"]', '[data-testid="stMainMenu"]'):
            assert not any(frame.locator(absent).nth(i).is_visible() for i in range(frame.locator(absent).count())), absent
        assert frame.get_by_text("Filter deals").count() == 0
        # Drawn within the frame's width (no sideways scrolling inside a phone's column).
        box = frame.locator('[data-testid="stPlotlyChart"]').first.bounding_box()
        frame_box = page.locator("iframe").bounding_box()
        assert box["width"] > 0.7 * frame_box["width"] and box["x"] + box["width"] <= frame_box["x"] + frame_box["width"] + 1
        assert inner.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        screenshot(page, name)
        # The snippet's frame holds the whole embed: the date, source and link back show without scrolling.
        line = frame.get_by_text("Data as of").bounding_box()
        assert line["y"] + line["height"] <= frame_box["y"] + frame_box["height"], (line, frame_box)
    finally:
        context.close()


def test_the_app_serves_the_feeds_where_the_pages_say(server):
    for name in ("feed.xml", "feed-nvidia.xml"):
        with urllib.request.urlopen(f"{server.url}/app/static/data/{name}", timeout=30) as answer:
            assert answer.status == 200
            assert answer.headers["Content-Type"].split(";")[0] in ("application/xml", "text/xml",
                                                                    "application/atom+xml")
            feed = feedparser.parse(answer.read())
        assert not feed.bozo and feed.version == "atom10" and feed.entries
