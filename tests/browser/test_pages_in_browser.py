"""Page interactions that only a browser can show: clicking chart marks."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import APP_WAIT_MS, wait_for_app

pytestmark = pytest.mark.browser


def test_clicking_a_provider_bar_filters_every_page(small_server, laptop):
    laptop.goto(f"{small_server.url}/diversification?buyer=anthropic")
    wait_for_app(laptop, charts=2)
    # Anthropic's supply in the small ledger is all AWS (L11): one bar, one segment.
    bar = laptop.locator('[data-testid="stPlotlyChart"]').first.locator("g.point path").first
    box = bar.bounding_box()
    laptop.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    laptop.wait_for_url(re.compile(r"provider=AWS"), timeout=APP_WAIT_MS)  # the binding writes the label
    provider = laptop.locator('[data-testid="stMultiSelect"]', has=laptop.get_by_text("Provider", exact=True))
    expect(provider.locator("[data-tag]")).to_have_text(["AWS"], timeout=APP_WAIT_MS)
    clear = laptop.get_by_role("button", name=re.compile("Clear provider filter"))
    expect(clear).to_be_visible()
    clear.click()
    expect(provider.locator("[data-tag]")).to_have_count(0, timeout=APP_WAIT_MS)
    laptop.wait_for_url(lambda url: "provider=" not in url, timeout=APP_WAIT_MS)


def test_script_in_the_data_is_shown_as_text_and_never_runs(tmp_path, chromium):
    import shutil

    import polars as pl

    from tests.browser.conftest import LAPTOP, Server
    from tests.conftest import DATA

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "deals.parquet"
    payload = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1\"> AWS deal"
    frame = pl.read_parquet(path)
    frame.with_columns(pl.when(pl.col("deal_id") == "D049").then(pl.lit(payload)).otherwise(pl.col("description"))
                       .alias("description")).write_parquet(path)
    server = Server(env={"LEDGER_DATA": str(data)})
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    try:
        page.goto(f"{server.url}/commitments?provider=aws&buyer=openai")
        wait_for_app(page, charts=4)
        # Hover the timeline's markers until one shows the payload in its hover box, as text.
        hover = page.locator(".hoverlayer").get_by_text(re.compile("pwned"))
        for marker in page.locator('[data-testid="stPlotlyChart"]').first.locator("g.points path").all():
            box = marker.bounding_box()
            if box:
                page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                if hover.count():
                    break
        expect(hover.first).to_be_visible(timeout=APP_WAIT_MS)  # the payload reached the page, as text
        # The deals table under the first chart: built once the expander opens, so wait until it is drawn.
        sources = page.locator('[data-testid="stExpander"]', has=page.get_by_text("Data and sources", exact=True))
        sources.first.get_by_text("Data and sources", exact=True).click()
        sources.first.locator('[data-testid="stDataFrame"]').wait_for(timeout=APP_WAIT_MS)
        # OpenAI at AWS: three deals, the one carrying the payload (D049) among them.
        expect(sources.first.get_by_text("3 rows, newest first.", exact=True)).to_be_visible()
        page.wait_for_function("!document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=APP_WAIT_MS)
        assert page.evaluate("window.__pwned") is None
    finally:
        context.close()
        server.stop()


def test_a_source_table_opens_on_click_and_stays_open_while_filtering(small_server, laptop):
    laptop.goto(small_server.url)
    wait_for_app(laptop, charts=1)
    sources = laptop.locator('[data-testid="stExpander"]', has=laptop.get_by_text("Data and sources", exact=True))
    expect(sources.locator('[data-testid="stDataFrame"]')).to_have_count(0)  # not built until asked for
    sources.get_by_text("Data and sources", exact=True).click()
    # The small ledger's 13 deals less L06, L09 (reported only) and L10 (overlap).
    expect(sources.get_by_text("10 rows, newest first.", exact=True)).to_be_visible(timeout=APP_WAIT_MS)
    expect(sources.locator('[data-testid="stDataFrame"]')).to_have_count(1, timeout=APP_WAIT_MS)

    laptop.locator('[data-testid="stMultiSelect"]', has=laptop.get_by_text("Buyer", exact=True)).click()
    laptop.get_by_role("option", name="Anthropic").click()
    laptop.keyboard.press("Escape")
    laptop.wait_for_url(re.compile(r"buyer=Anthropic"), timeout=APP_WAIT_MS)
    wait_for_app(laptop, charts=1)
    # Still open, now listing the narrower filter's rows: Anthropic's one deal, L11.
    expect(sources.get_by_text("1 row, newest first.", exact=True)).to_be_visible(timeout=APP_WAIT_MS)
    expect(sources.locator('[data-testid="stDataFrame"]')).to_have_count(1)
