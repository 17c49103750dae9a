"""The app shell: every page opens, and a broken data folder gets a clear message, not a traceback."""
from __future__ import annotations

import polars as pl
import pytest

from tests.app.conftest import new_app, plain

PAGES = ["pages/overview.py", "pages/diversification.py", "pages/commitments.py", "pages/capacity.py",
         "pages/gap.py", "pages/data.py", "pages/exposure.py"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_without_error(open_app, page):
    at = open_app(page=page)
    assert not at.exception
    assert not at.error
    assert at.multiselect(key="provider") is not None  # the shared filter is on every page


def test_filter_survives_a_page_switch(open_app):
    at = open_app({"buyer": "anthropic"})
    at.switch_page("pages/diversification.py").run()
    at.switch_page("pages/overview.py").run()
    assert at.multiselect(key="buyer").value == ["anthropic"]


def test_broken_deals_file_is_named_with_row_and_column(open_app, data_dir, monkeypatch):
    path = data_dir / "deals.parquet"
    pl.read_parquet(path).with_columns(
        pl.when(pl.int_range(pl.len()) == 2).then(-40.0).otherwise(pl.col("value_usd_bn")).alias("value_usd_bn")
    ).write_parquet(path)
    monkeypatch.setenv("LEDGER_DATA", str(data_dir))
    at = new_app()
    at.run()
    assert not at.exception
    message = plain(at.main.error[0].value)
    assert "This page needs the deals data" in message
    assert f"{path}` · row 3 · column `value_usd_bn`: -40.0 is outside the allowed range 0 to 5000" in message
    assert "Filters are unavailable" in at.sidebar.error[0].value
    # A page that does not need deals keeps working.
    at.switch_page("pages/gap.py").run()
    assert not at.exception


def test_missing_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("LEDGER_DATA", str(tmp_path / "nowhere"))
    at = new_app()
    at.run()
    assert not at.exception
    assert "file not found" in at.main.error[0].value
