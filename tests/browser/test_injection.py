"""Markdown in the data (a company name, a search, an uploaded file's name) is shown as text: no image is fetched
from elsewhere and no link is forged (issue #17, class 9). Every request outside the app is recorded and refused."""
from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from urllib.parse import quote

import polars as pl
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PHONE, Server, screenshot, wait_for_app
from tests.conftest import DATA

pytestmark = pytest.mark.browser

EVIL = "evil.example"
# Nscale is named in the Overview story (one of OpenAI's clouds) and nowhere else on the unfiltered Overview.
TARGET = "nscale"
NAME = f"![x](https://{EVIL}/name.png) [click](https://{EVIL}/name)"
TEXT = f"![d](https://{EVIL}/text.png) [click](https://{EVIL}/text) what was agreed"
SEARCH = f"[click](https://{EVIL}/search)"


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(DATA, folder)
    (folder / "manifest.json").unlink()
    companies = pl.read_parquet(folder / "companies.parquet")
    companies.with_columns(name=pl.when(pl.col("company_id") == TARGET).then(pl.lit(NAME)).otherwise(pl.col("name"))
                           ).write_parquet(folder / "companies.parquet")
    for table in ("deals", "milestones"):
        frame = pl.read_parquet(folder / f"{table}.parquet")
        frame.with_columns(description=pl.lit(TEXT), source_title=pl.lit(NAME)).write_parquet(folder / f"{table}.parquet")
    running = Server(env={"LEDGER_DATA": str(folder)})
    yield running
    running.stop()


def _guarded(page, server: Server) -> list[str]:
    """Refuse, and record, every request that leaves the app's own address."""
    outside: list[str] = []

    def route(request_route):
        if request_route.request.url.startswith(server.url):
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    return outside


def _no_live_payload(scope) -> None:
    assert scope.locator(f'img[src*="{EVIL}"]').count() == 0
    assert scope.locator(f'a[href*="{EVIL}"]').count() == 0


def _wait_for_page(page, title: str) -> None:
    """The page has run (on a phone the sidebar, which `wait_for_app` waits for, is folded away)."""
    page.wait_for_selector('[data-testid="stApp"]')
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    page.wait_for_function('!document.querySelector(\'[data-testid="stStatusWidget"]\')', timeout=30_000)


def test_the_overview_story_shows_a_markdown_name_as_text(hostile_server, chromium):
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    outside = _guarded(page, hostile_server)
    page.goto(hostile_server.url)
    wait_for_app(page, charts=1)
    story = page.locator('[data-testid="stMarkdown"]').filter(has_text="OpenAI relied on").first
    assert f"{EVIL}/name.png" in story.inner_text()  # the payload is there, as characters
    # Only the story is checked for links: other sentences of this page are not this change's (see the report).
    _no_live_payload(story)
    assert page.locator(f'img[src*="{EVIL}"]').count() == 0
    assert not [u for u in outside if EVIL in u], outside
    context.close()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "390"])
def test_the_data_page_shows_markdown_in_data_and_search_as_text(hostile_server, chromium, viewport):
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    outside = _guarded(page, hostile_server)
    page.goto(f"{hostile_server.url}/data?data_search={quote(SEARCH)}")
    _wait_for_page(page, "Data and sources")
    caption = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="search:").first
    assert SEARCH in caption.inner_text().replace("\u200b", "")
    page.get_by_role("tab", name="Sources and conflicts").click()
    page.get_by_text("of rows cite the company", exact=False).wait_for(timeout=20_000)
    _no_live_payload(page)
    screenshot(page, f"injection-data-{viewport['width']}")
    assert not [u for u in outside if EVIL in u], outside
    context.close()


def test_an_uploaded_file_name_with_markdown_is_text(hostile_server, chromium):
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    outside = _guarded(page, hostile_server)
    page.goto(f"{hostile_server.url}/data")
    _wait_for_page(page, "Data and sources")
    page.get_by_role("tab", name="Add your own deals").click()
    name = f"![u](https:{EVIL}/upload.png) [click](https:{EVIL}/upload).csv"
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": b"company,amount\nAcme,3\n"})
    error = page.locator('[data-testid="stAlertContentError"]').filter(has_text="cannot be used").first
    error.wait_for(timeout=20_000)
    assert f"https:{EVIL}/upload.png" in error.inner_text().replace("\u200b", "")
    _no_live_payload(page)
    assert not [u for u in outside if EVIL in u], outside
    context.close()


# --- issue #24: Markdown and HTML in every text field of every table, on every page --------------------------------

from tests.fixtures.hostile_ledger import hostile_ledger  # noqa: E402

EVERY_PAGE = [
    ("", "The AI compute build-out"), ("diversification", "Multi-cloud diversification"),
    ("commitments", "Commitments over time"), ("capacity", "Capacity: planned vs running"),
    ("gap", "The infrastructure gap"), ("data", "Data and sources"),
    ("company?id=openai,oracle-oci", "Company profiles"), ("company", "Company profiles"),
]
# The payload's own addresses: an image from the loopback's closed port 9 and links to evil.example.
PAYLOAD_HOSTS = ("127.0.0.1:9", "evil.example")


@pytest.fixture(scope="module")
def every_field_server(tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("hostile24") / "data"
    shutil.copytree(DATA, folder)
    hostile_ledger(folder)
    running = Server(env={"LEDGER_DATA": str(folder)})
    yield running
    running.stop()


@pytest.mark.parametrize(("path", "title"), EVERY_PAGE, ids=[p or "overview" for p, _ in EVERY_PAGE])
def test_no_element_from_the_data_and_no_request_leaving_the_page(every_field_server, chromium, path, title):
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    outside = _guarded(page, every_field_server)
    sep = "&" if "?" in path else "?"
    page.goto(f"{every_field_server.url}/{path}{sep}provider=aws,oracle-oci&buyer=openai&since=2019-01-01")
    _wait_for_page(page, title)
    # Every tab and every folded section open, so their text is in the page too.
    for tab in page.get_by_role("tab").all():
        tab.click()
    page.wait_for_function('!document.querySelector(\'[data-testid="stStatusWidget"]\')', timeout=30_000)
    # The payload is on the page, as characters (waited for: the last elements are drawn after the status clears).
    expect(page.locator('[data-testid="stApp"]')).to_contain_text("evil.example", timeout=30_000)
    # And the run that draws the rest (a link in the README's form is rewritten, then the script runs again) is over:
    # nothing left as a placeholder, so every element from the data is in the page to be checked.
    page.wait_for_function('!document.querySelector(\'[data-testid="stSkeleton"], [data-testid="stStatusWidget"]\')',
                           timeout=60_000)
    for host in PAYLOAD_HOSTS:
        for selector in (f'img[src*="{host}"]', f'a[href*="{host}"]', f'[style*="{host}"]'):
            assert page.locator(selector).count() == 0, (selector, page.locator(selector).first.evaluate("e => e.outerHTML"))
    # The payload's emphasis and colour, if read as Markdown, would be elements holding just its words.
    assert page.locator("strong, em", has_text=re.compile(r"^bold$")).count() == 0
    assert page.locator("span", has_text=re.compile(r"^red$")).count() == 0
    screenshot(page, f"injection-every-field-{path.split('?')[0] or 'overview'}")
    assert not [u for u in outside if any(h in u for h in PAYLOAD_HOSTS)], outside
    context.close()
