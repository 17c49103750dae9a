"""The Commitments page, as a user sees it. Numbers are worked out by hand on the small ledger with terms and key
events (tests/unit/test_commitments_view.py: write_terms_ledger, whose comments give the deals), so data releases do
not move them; the bundled data is only checked to render."""
from __future__ import annotations

import datetime as dt

import pytest

from compute_ledger.app import loading
from tests.app.conftest import open_page, plain
from tests.unit.test_commitments_view import write_terms_ledger

PAGE = "pages/commitments.py"


@pytest.fixture(scope="module")
def terms_ledger(tmp_path_factory):
    return write_terms_ledger(tmp_path_factory.mktemp("cmt") / "ledger")


@pytest.fixture
def small(terms_ledger, monkeypatch):
    """Open the Commitments page on the small ledger, on a frozen day, optionally from a link's params."""
    monkeypatch.setenv("LEDGER_DATA", str(terms_ledger))
    monkeypatch.setattr(loading, "today", lambda: dt.date(2026, 3, 1))

    return lambda params=None: open_page(PAGE, params)


def headings(at) -> list[str]:
    return [plain(s.value) for s in at.subheader]


def schedule_titles(at) -> list[str]:
    return [plain(m.value).strip("# ") for m in at.markdown]


def test_bundled_data_shows_four_charts_with_takeaways(open_app):
    at = open_app(page=PAGE)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 4
    titles = headings(at)
    assert titles[0].startswith("Largest: ") and titles[1].startswith("Commitments reached ")
    assert "assumed length" in " ".join(c.value for c in at.caption)


def test_page_shows_four_charts_with_takeaways(small):
    # 11 deals in the default filter, L03 and L13 without a value; L02 OpenAI <- Oracle USD 300B is the largest.
    # Commitments: 300 + 100 (Q3 2025) + 250 + 100 (Q4 2025) = 750 by Oct 2025.
    at = small()
    assert len(at.get("plotly_chart")) == 4
    titles = headings(at)
    assert titles[0] == "Largest: OpenAI ← Oracle Cloud (OCI), $300 bn (Sep 2025); 2 of 11 deals undisclosed"
    assert titles[1] == "Commitments reached $750 bn by Oct 2025; 100% of that was announced in the last 12 months"
    assert titles[2] == "1 of 2 contracts with a known term run to 2030 or later"  # L02 to 2030, L11 to 2028
    assert titles[3] == "When the money falls due"
    assert "2 of 4 scheduled deals use the assumed length." in [c.value for c in at.caption]


def test_openai_at_oracle_schedule_by_year(small):
    # L02 alone: USD 300B over 2026-2030 = 60 a year.
    at = small({"buyer": "openai", "provider": "oracle-oci"})
    at.segmented_control(key="cmt_period").set_value("year").run()
    assert not at.exception
    assert "Scheduled spend peaks at $60 bn per year in 2026" in schedule_titles(at)
    assert "0 commitments have no disclosed value" in " ".join(m.value for m in at.markdown)


def test_assumed_term_slider_changes_the_schedule(small):
    # L01 USD 250B Azure from 2025, no end or length: 5 years -> 50/yr; 10 years -> 25/yr.
    at = small({"buyer": "openai", "provider": "microsoft-azure", "deal_type": "cloud_compute"})
    at.segmented_control(key="cmt_period").set_value("year").run()
    assert "Scheduled spend peaks at $50 bn per year in 2025" in schedule_titles(at)
    at.slider(key="cmt_term").set_value(10).run()
    assert "Scheduled spend peaks at $25 bn per year in 2025" in schedule_titles(at)
    assert "**10 years**" in " ".join(m.value for m in at.markdown)


def test_a_link_restores_every_control(small):
    # The bound controls read the link (the labels they show): GW, by year, by buyer, log scale, 10 years.
    at = small({"cmt_measure": "Gigawatts", "cmt_period": "Year", "cmt_group": "Buyer", "cmt_log": "true",
                "cmt_term": "10"})
    assert at.segmented_control(key="cmt_measure").value == "gw"
    assert at.segmented_control(key="cmt_period").value == "year"
    assert at.segmented_control(key="cmt_group").value == "buyer"
    assert at.toggle(key="cmt_log").value is True
    assert at.slider(key="cmt_term").value == 10
    # L07 OpenAI <- Nvidia 10 GW is the largest capacity; the schedule (dollars) peaks at 120 in 2026 with 10 years.
    assert headings(at)[0].startswith("Largest: OpenAI ← Nvidia, 10 GW")
    assert "Scheduled spend peaks at $120 bn per year in 2026" in schedule_titles(at)


def test_gigawatt_measure(small):
    # Anthropic: L11 alone, 5 GW at AWS.
    at = small({"buyer": "anthropic"})
    at.segmented_control(key="cmt_measure").set_value("gw").run()
    assert not at.exception
    assert headings(at)[0] == "Largest: Anthropic ← AWS, 5 GW (Nov 2025); 0 of 1 deals undisclosed"
    at.segmented_control(key="cmt_group").set_value("buyer").run()
    at.toggle(key="cmt_log").set_value(True).run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 4


def test_empty_filter(small):
    at = small({"provider": "amd", "status": "cancelled"})  # L03 is signed
    assert "No deals match this filter" in at.info[0].value
    assert not at.get("plotly_chart")
    assert not at.segmented_control and not at.slider  # nothing to measure: the controls go too


def test_only_undisclosed_deals(small):
    # AMD: L03 only, value undisclosed.
    at = small({"provider": "amd"})
    assert at.subheader[0].value == "This deal does not disclose its value"
    assert any("No commitment in this selection has a disclosed value" in i.value for i in at.info)
