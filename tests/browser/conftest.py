"""A real Streamlit server on a free loopback port and a real headless Chromium driving it."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import REPO

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO / "test-artifacts"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        # Fail, never skip: a missing browser must not pass as a green run.
        pytest.fail("Chromium not found: run `bash scripts/test.sh` (installs it with apt-get) or set CHROMIUM_PATH")
    return path


class Server:
    def __init__(self, env: dict[str, str] | None = None):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.address", "127.0.0.1",
             "--server.port", str(self.port), "--server.fileWatcherType", "none"],
            cwd=REPO, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited: {self.process.stderr.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("streamlit did not answer its health check within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    running = Server(env={"LEDGER_DATA": ""})
    yield running
    running.stop()


@pytest.fixture(scope="session")
def small_server(tmp_path_factory) -> Iterator[Server]:
    """A server on the small hand-made ledger (tests/fixtures/small_ledger.py), for hand-worked expectations."""
    from tests.fixtures.small_ledger import write_small_ledger

    running = Server(env={"LEDGER_DATA": str(write_small_ledger(tmp_path_factory.mktemp("small") / "ledger"))})
    yield running
    running.stop()


@pytest.fixture
def fresh_server() -> Iterator[Server]:
    """A server no browser has visited yet: its first session is the one Streamlit treats specially."""
    running = Server(env={"LEDGER_DATA": ""})
    yield running
    running.stop()


@pytest.fixture
def laptop(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    yield page
    context.close()


# How long a wait for the app to reach a state may take. Generous on purpose: a busy 2-core machine runs a first
# page ten times slower than an idle one, and a wait ends as soon as the state is reached, so a long limit costs
# nothing when the app is fine and still fails when the state never comes.
APP_WAIT_MS = 120_000


def wait_for_app(page: Page, charts: int = 0) -> None:
    page.wait_for_selector('[data-testid="stApp"]', timeout=APP_WAIT_MS)
    page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=APP_WAIT_MS)
    # The entry file has run once the shared filters are drawn (a first visit may briefly show another nav).
    page.get_by_text("Filter deals", exact=True).wait_for(timeout=APP_WAIT_MS)
    if charts:
        page.wait_for_function(
            f'document.querySelectorAll(\'[data-testid="stPlotlyChart"] .main-svg\').length >= {charts}',
            timeout=APP_WAIT_MS)
    # Streamlit marks the app "running" while a script run is in progress.
    page.wait_for_function('!document.querySelector(\'[data-testid="stStatusWidget"]\')', timeout=APP_WAIT_MS)


def metric_values(page: Page, count: int) -> list[str]:
    """The cards' values once all `count` are drawn: on a busy machine the browser draws them over several frames,
    after the headings and charts a test may have waited for (the race behind issue #24's 8-of-9 cards)."""
    cards = page.locator('[data-testid="stMetricValue"]')
    expect(cards).to_have_count(count, timeout=APP_WAIT_MS)
    return cards.all_inner_texts()


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
