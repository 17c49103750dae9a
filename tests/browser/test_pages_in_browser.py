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
        # Hover the timeline's markers: the description is in their hover text.
        for marker in page.locator('[data-testid="stPlotlyChart"]').first.locator("g.points path").all()[:3]:
            box = marker.bounding_box()
            if box:
                page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                page.wait_for_timeout(300)
        # The deals table under the first chart: built once the expander opens, so wait until it is drawn.
        sources = page.locator('[data-testid="stExpander"]', has=page.get_by_text("Data and sources", exact=True))
        sources.first.get_by_text("Data and sources", exact=True).click()
        sources.first.locator('[data-testid="stDataFrame"]').wait_for(timeout=30_000)
        # OpenAI at AWS: three deals, the one carrying the payload (D049) among them.
        expect(sources.first.get_by_text("3 rows, newest first.", exact=True)).to_be_visible()
        page.wait_for_function("!document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=30_000)
        page.wait_for_timeout(500)
        assert page.evaluate("window.__pwned") is None
    finally:
        context.close()
        server.stop()


def test_a_source_table_opens_on_click_and_stays_open_while_filtering(server, laptop):
    laptop.goto(server.url)
    wait_for_app(laptop, charts=1)
    sources = laptop.locator('[data-testid="stExpander"]', has=laptop.get_by_text("Data and sources", exact=True))
    expect(sources.locator('[data-testid="stDataFrame"]')).to_have_count(0)  # not built until asked for
    sources.get_by_text("Data and sources", exact=True).click()
    expect(sources.get_by_text("67 rows, newest first.", exact=True)).to_be_visible(timeout=15_000)
    expect(sources.locator('[data-testid="stDataFrame"]')).to_have_count(1, timeout=15_000)

    laptop.locator('[data-testid="stMultiSelect"]', has=laptop.get_by_text("Buyer", exact=True)).click()
    laptop.get_by_role("option", name="Anthropic").click()
    laptop.keyboard.press("Escape")
    laptop.wait_for_url(re.compile(r"buyer=anthropic"), timeout=15_000)
    wait_for_app(laptop, charts=1)
    # Still open, now listing the narrower filter's rows.
    expect(sources.get_by_text(re.compile(r"^\d+ rows?, newest first\.$"))).not_to_have_text(
        "67 rows, newest first.", timeout=15_000)
    expect(sources.locator('[data-testid="stDataFrame"]')).to_have_count(1)
