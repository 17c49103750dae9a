"""The README's first command, run as a new user would: it makes a fresh virtual environment, installs
requirements.txt into it and starts the dashboard, whose Overview then renders in a real Chromium.

A broken first command (a missing runtime requirement, a script error, an Overview that raises on a
clean install) fails here instead of on a new user's machine. It takes about a minute, most of it pip.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import CHROMIUM_ARGS, chromium_path
from tests.conftest import REPO

pytestmark = [pytest.mark.setup, pytest.mark.browser]

FIRST_COMMAND = ["bash", "scripts/run.sh"]  # the README's first command, without the options below
INSTALL_AND_START_TIMEOUT = 420  # seconds: a cold pip install of requirements.txt, then Streamlit's start
OVERVIEW_TITLE = "The AI compute build-out"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(errors="replace")[-chars:] if path.exists() else ""


def pinned(requirements: Path) -> dict[str, str]:
    """The `name==version` pins of a requirements file, by normalised name (extras dropped)."""
    pins = {}
    for line in requirements.read_text().splitlines():
        match = re.match(r"^\s*([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*==\s*([^\s;#]+)", line)
        if match:
            pins[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return pins


class FirstCommand:
    """`bash scripts/run.sh` started with a throw-away LEDGER_VENV, in its own process group."""

    def __init__(self, venv: Path, log: Path):
        self.venv, self.log, self.port = venv, log, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "LEDGER_VENV": str(venv), "LEDGER_NO_BROWSER": "1", "LEDGER_DATA": ""}
        for inherited in ("VIRTUAL_ENV", "PYTHONHOME", "PYTHONPATH"):  # what the test run itself set up
            env.pop(inherited, None)
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            [*FIRST_COMMAND, "--server.port", str(self.port), "--server.address", "127.0.0.1"],
            cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=self._log_file, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_healthy(self, timeout: float) -> float:
        """Poll /_stcore/health until it answers; fail at once if the command exits. Returns seconds taken."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                pytest.fail(f"the first command exited with code {self.process.returncode} before serving:\n{tail(self.log)}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200 and response.read().strip() == b"ok":
                        return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.5)
        pytest.fail(f"the first command did not answer /_stcore/health within {timeout:.0f} s:\n{tail(self.log)}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the script and whatever it started (pip, Streamlit)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log_file.close()


def check_overview_renders(url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(url)
            expect(page.get_by_text(OVERVIEW_TITLE).first).to_be_visible(timeout=60_000)
            page.wait_for_function('!document.querySelector(\'[data-testid="stStatusWidget"]\')', timeout=60_000)
            exceptions = page.locator('[data-testid="stException"]')
            assert exceptions.count() == 0, f"the Overview raised: {exceptions.first.inner_text()}"
        finally:
            browser.close()


@pytest.fixture
def first_command(tmp_path: Path) -> Iterator[FirstCommand]:
    venv = tmp_path / "fresh-venv"
    assert not venv.exists()
    running = FirstCommand(venv, tmp_path / "first-command.log")
    yield running
    running.stop()
    shutil.rmtree(venv, ignore_errors=True)  # ~800 MB; pytest would keep the last three runs' tmp folders


def test_first_command_installs_into_a_fresh_venv_and_serves_the_overview(first_command: FirstCommand) -> None:
    first_command.wait_until_healthy(INSTALL_AND_START_TIMEOUT)

    # It really made the environment it was pointed at, and installed every runtime pin into it.
    venv = first_command.venv
    assert (venv / "pyvenv.cfg").is_file(), "no virtual environment was created at LEDGER_VENV"
    frozen = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "list", "--format=freeze"],
                            capture_output=True, text=True, check=True).stdout
    installed = {re.sub(r"[-_.]+", "-", name).lower(): version
                 for name, _, version in (line.partition("==") for line in frozen.splitlines())}
    missing = {name: version for name, version in pinned(REPO / "requirements.txt").items()
               if installed.get(name) != version}
    assert not missing, f"requirements.txt pins not installed in the fresh venv: {missing}"

    # The app's script runs without error on a clean install: the Overview renders its title and no exception.
    # In a thread of its own: the browser tests' session-wide Playwright may be running in this one, and
    # Playwright's sync API allows one per thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(check_overview_renders, first_command.url).result()

    assert first_command.process.poll() is None, f"the server stopped while serving:\n{tail(first_command.log)}"
