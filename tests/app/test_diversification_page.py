"""The Diversification page: numbers shown, controls bound to the link, and click-to-filter from a chart selection.
Numbers are worked out by hand on the small ledger (tests/unit/test_diversification_view.py lists its supply)."""
from __future__ import annotations

import pytest
from streamlit.elements.plotly_chart import PlotlySelectionState, PlotlyState

from tests.app.conftest import open_page, plain
from tests.unit.test_commitments_view import write_terms_ledger

PAGE = "pages/diversification.py"


@pytest.fixture(scope="module")
def terms_ledger(tmp_path_factory):
    return write_terms_ledger(tmp_path_factory.mktemp("div") / "ledger")


@pytest.fixture
def small(terms_ledger, monkeypatch):
    monkeypatch.setenv("LEDGER_DATA", str(terms_ledger))

    return lambda params=None: open_page(PAGE, params)


def test_bundled_data_renders_every_section(open_app):
    at = open_app(page=PAGE)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 5  # two share charts, history, concentration, money flows
    assert plain(at.subheader[2].value).startswith("OpenAI's supplier concentration went from 10,000 (2019)")


def test_page_renders_four_sections(small):
    at = small()
    assert len(at.get("plotly_chart")) == 5
    titles = [plain(s.value) for s in at.subheader]
    # OpenAI: Azure 10 (L14, 2023) alone, then Azure 260, Oracle 300, Nvidia 100 of 660 by Oct 2025: HHI 3,848.
    assert titles[0] == "OpenAI has the most spread supply: 2.6 effective suppliers of 3"
    assert titles[2] == "OpenAI's supplier concentration went from 10,000 (2023) to 3,848 (Oct 2025): 2.6 effective suppliers"
    # Azure sells to OpenAI (L01, 250) and invested 10 in it (L14): a loop of two, valued at its smallest link.
    assert any("Money goes round (loops of up to 4 companies, each at its smallest link): Microsoft Azure → OpenAI → Microsoft Azure ($10 bn)." in plain(c.value) for c in at.main.caption)


def test_without_supplier_equity_openai_starts_in_2025(small):
    # Purchases only: Q3 2025 Oracle 300 + Nvidia 100 (6,250), then with Azure 250 (3,846).
    at = small()
    at.toggle(key="div_equity").set_value(False).run()
    assert not at.exception
    assert plain(at.subheader[2].value) == ("OpenAI's supplier concentration went from 6,250 (2025) to 3,846 (Oct 2025): "
                                     "2.6 effective suppliers")


def test_anthropic_focus(small):
    # Anthropic: L11 at AWS alone, 100: one supplier.
    at = small({"buyer": "anthropic"})
    at.toggle(key="div_equity").set_value(False).run()
    assert plain(at.subheader[0].value) == "Anthropic has the most spread supply: 1.0 effective suppliers of 1"
    assert at.selectbox(key="div_buyer").value == "anthropic"


def test_choosing_a_buyer_and_shares(small):
    at = small()
    at.selectbox(key="div_buyer").set_value("anthropic").run()
    assert plain(at.subheader[2].value) == ("Anthropic's supplier concentration went from 10,000 (2025) to 10,000 "
                                     "(Oct 2025): 1.0 effective suppliers")
    at.toggle(key="div_percent").set_value(True).run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 5


def test_a_link_restores_every_control(small):
    at = small({"div_equity": "false", "div_period": "Year", "div_buyer": "Anthropic", "div_percent": "true"})
    assert at.toggle(key="div_equity").value is False
    assert at.segmented_control(key="div_period").value == "year"
    assert at.selectbox(key="div_buyer").value == "anthropic"
    assert at.toggle(key="div_percent").value is True
    # By year, Anthropic's only period is 2025 (Jan 2025 as the period's first month).
    assert plain(at.subheader[2].value) == ("Anthropic's supplier concentration went from 10,000 (2025) to 10,000 "
                                     "(Jan 2025): 1.0 effective suppliers")


def test_clicking_a_bar_sets_the_provider_filter(small):
    at = small()
    at.session_state["div_share_usd"] = PlotlyState(selection=PlotlySelectionState(
        points=[{"x": 45.0, "y": "OpenAI", "point_index": 0, "customdata": ["oracle-oci", "Oracle Cloud (OCI)",
                                                                            "$300 bn", 1, 0]}],
        point_indices=[0], box=[], lasso=[]))
    at.run()
    assert not at.exception
    assert at.multiselect(key="provider").value == ["oracle-oci"]
    clear = at.button(key="div_clear_provider")
    assert "Oracle Cloud (OCI)" in plain(clear.label)
    clear.click().run()
    assert at.multiselect(key="provider").value == []


def test_empty_filter(small):
    # Blue Owl only financed Meta (L12): no supply deal.
    at = small({"provider": "blue-owl"})
    assert "No supply deals match this filter" in at.info[0].value
    assert not at.get("plotly_chart")
