"""The Commitments page, as a user sees it."""
from __future__ import annotations

from tests.app.conftest import plain

PAGE = "pages/commitments.py"


def test_page_shows_four_charts_with_takeaways(open_app):
    at = open_app(page=PAGE)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 4
    titles = [plain(s.value) for s in at.subheader]
    assert titles[0] == "Largest: OpenAI ← Oracle Cloud (OCI), $300 bn (Sep 2025); 22 of 67 deals undisclosed"
    assert titles[1].startswith("Commitments reached $1.25 tn by Apr 2026")
    assert "assumed length" in " ".join(c.value for c in at.caption)


def test_openai_at_aws_schedule_by_year(open_app):
    # D049 USD 38B over 7 years from 2025 (5.43/yr to 2031) + D066 USD 100B over 8 years from 2026 (12.5/yr to 2033):
    # peak 2026-2031 = 5.43 + 12.5 = 17.93.
    at = open_app({"buyer": "openai", "provider": "aws"}, page=PAGE)
    at.segmented_control(key="cmt_period").set_value("year").run()
    assert not at.exception
    assert "Scheduled spend peaks at $17.9 bn per year in 2026" in [plain(m.value).strip("# ") for m in at.markdown]
    assert "0 commitments have no disclosed value" in " ".join(m.value for m in at.markdown)


def test_assumed_term_slider_changes_the_schedule(open_app):
    # D046 USD 250B Azure from 2025, no end or length: 5 years -> 50/yr; 10 years -> 25/yr.
    at = open_app({"buyer": "openai", "provider": "microsoft-azure", "deal_type": "cloud_compute"}, page=PAGE)
    at.segmented_control(key="cmt_period").set_value("year").run()
    assert "Scheduled spend peaks at $50 bn per year in 2025" in [plain(m.value).strip("# ") for m in at.markdown]
    at.slider(key="cmt_term").set_value(10).run()
    assert "Scheduled spend peaks at $25 bn per year in 2025" in [plain(m.value).strip("# ") for m in at.markdown]


def test_gigawatt_measure(open_app):
    at = open_app({"buyer": "anthropic"}, page=PAGE)
    at.segmented_control(key="cmt_measure").set_value("gw").run()
    assert not at.exception
    assert plain(at.subheader[0].value).startswith("Largest: Anthropic ← AWS, 5 GW")
    at.segmented_control(key="cmt_group").set_value("buyer").run()
    at.toggle(key="cmt_log").set_value(True).run()
    assert not at.exception


def test_empty_filter(open_app):
    at = open_app({"provider": "lambda", "status": "cancelled"}, page=PAGE)
    assert not at.exception
    assert "No deals match this filter" in at.info[0].value
    assert not at.get("plotly_chart")


def test_only_undisclosed_deals(open_app):
    at = open_app({"provider": "broadcom"}, page=PAGE)
    assert not at.exception
    assert at.subheader[0].value == "This deal does not disclose its value"
    assert any("No commitment in this selection has a disclosed value" in i.value for i in at.info)
