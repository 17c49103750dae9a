"""The Diversification page: numbers shown, filters, and click-to-filter from a chart selection."""
from __future__ import annotations

from streamlit.elements.plotly_chart import PlotlySelectionState, PlotlyState

PAGE = "pages/diversification.py"


def test_page_renders_four_sections(open_app):
    at = open_app(page=PAGE)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 5  # two share charts, history, concentration, money flows
    titles = [s.value for s in at.subheader]
    # OpenAI with suppliers' equity: Azure 1 + 10 (D001, D002) + 250 (D046); AWS 38 + 100 (+50 equity, D065) ...
    assert titles[2] == "OpenAI's supplier concentration went from 10,000 (2019) to 2,722 (Apr 2026): 3.7 effective suppliers"
    assert "OpenAI ↔ AWS" in at.caption[-2].value


def test_without_supplier_equity_openai_starts_in_2025(open_app):
    at = open_app(page=PAGE)
    at.toggle(key="div_equity").set_value(False).run()
    assert not at.exception
    assert at.subheader[2].value.startswith("OpenAI's supplier concentration went from 10,000 (2025)")


def test_anthropic_focus(open_app):
    at = open_app({"buyer": "anthropic"}, page=PAGE)
    # Anthropic, purchases only: Google Cloud 3 (D005), Fluidstack 50 (D052), Azure 30 (D053), AWS 100 (D075)
    at.toggle(key="div_equity").set_value(False).run()
    # shares 1.64%, 27.3%, 16.4%, 54.6% -> HHI = 2.7 + 746.6 + 268.7 + 2986.3 = 4004
    assert at.subheader[0].value == "Anthropic has the most spread supply: 2.5 effective suppliers of 4"
    assert at.selectbox(key="div_buyer").value == "anthropic"


def test_clicking_a_bar_sets_the_provider_filter(open_app):
    at = open_app(page=PAGE)
    at.session_state["div_share_usd"] = PlotlyState(selection=PlotlySelectionState(
        points=[{"x": 40.0, "y": "OpenAI", "point_index": 0, "customdata": ["aws", "AWS", "$138 bn", 3, 0]}],
        point_indices=[0], box=[], lasso=[]))
    at.run()
    assert not at.exception
    assert at.multiselect(key="provider").value == ["aws"]
    clear = at.button(key="div_clear_provider")
    assert "AWS" in clear.label
    clear.click().run()
    assert at.multiselect(key="provider").value == []


def test_empty_filter(open_app):
    at = open_app({"deal_type": "manufacturing", "status": "cancelled"}, page=PAGE)
    assert not at.exception
    assert "No supply deals match this filter" in at.info[0].value
