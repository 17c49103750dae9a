"""Every page says what date the data is current to: the newest source date in the data."""
import pytest

from tests.app.conftest import new_app
from tests.fixtures.small_ledger import write_small_ledger

PAGES = ["pages/overview.py", "pages/diversification.py", "pages/commitments.py", "pages/capacity.py",
         "pages/gap.py", "pages/data.py"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_data_as_of_the_newest_source(tmp_path, monkeypatch, page):
    # Every row of the small ledger cites a source dated 2025-11-01 (tests/fixtures/small_ledger.py SOURCE).
    monkeypatch.setenv("LEDGER_DATA", str(write_small_ledger(tmp_path / "ledger")))
    at = new_app()
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    assert any("Data as of **1 Nov 2025**" in c.value for c in at.sidebar.caption)
