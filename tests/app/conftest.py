from __future__ import annotations

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from tests.conftest import REPO

ENTRY = str(REPO / "dashboard.py")


class NavigationPagesManager(PagesManager):
    """AppTest resets Streamlit's "legacy pages/ folder" flag before every run, so with our pages/ folder
    each rerun would execute the page file alone, without dashboard.py. A real server clears the flag
    for good at the first st.navigation call; this does the same for AppTest. (The first visit after a
    server start, where the flag is still set, is covered by the browser tests.)"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


@pytest.fixture(autouse=True)
def navigation_mode(monkeypatch):
    monkeypatch.setattr(app_test_module, "PagesManager", NavigationPagesManager)


@pytest.fixture
def kept_downloads(monkeypatch) -> list:
    """The download buttons' on-click callables, as Streamlit keeps them: call one as a click would."""
    made = []
    original = MediaFileManager.add_deferred

    def keep(self, callable_, *args, **kwargs):
        made.append(callable_)
        return original(self, callable_, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return made


def new_app() -> AppTest:
    return AppTest.from_file(ENTRY, default_timeout=60)


@pytest.fixture
def open_app(monkeypatch):
    """Open the dashboard as a fresh browser session would, optionally from a shared link's params."""
    monkeypatch.delenv("LEDGER_DATA", raising=False)

    def _open(params: dict[str, str] | None = None, page: str | None = None) -> AppTest:
        at = new_app()
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.run()
        if page:
            at.switch_page(page).run()
        return at

    return _open


def open_page(page: str, params: dict[str, str] | None = None) -> AppTest:
    """A fresh session opened on `page`, from a shared link's params, that ran without an exception."""
    at = new_app()
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def metrics_of(at: AppTest) -> dict[str, str]:
    return {plain(m.label): m.value for m in at.metric}  # labels are Markdown: names escaped (app/text.py)


def plain(text: str) -> str:
    """Markdown-escaped text as the user reads it."""
    return text.replace("\\", "")
