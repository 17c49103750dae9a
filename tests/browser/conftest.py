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
from playwright.sync_api import Browser, Page, sync_playwright

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


def wait_for_app(page: Page, charts: int = 0) -> None:
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=30_000)
    # The entry file has run once the shared filters are drawn (a first visit may briefly show another nav).
    page.get_by_text("Filter deals", exact=True).wait_for(timeout=30_000)
    if charts:
        page.wait_for_function(
            f'document.querySelectorAll(\'[data-testid="stPlotlyChart"] .main-svg\').length >= {charts}',
            timeout=30_000)
    # Streamlit marks the app "running" while a script run is in progress.
    page.wait_for_function('!document.querySelector(\'[data-testid="stStatusWidget"]\')', timeout=30_000)


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
