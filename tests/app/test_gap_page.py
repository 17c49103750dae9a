"""The Gap page as a user sees it, on the small hand-made ledger of tests/unit/test_gap_view.py: the expected numbers
are worked out by hand in that module's docstring (OpenAI's schedule 90, 100, 100, 100, 90; revenue 10 doubling;
60 % for compute; 20 raised), not by the page's own functions."""
from __future__ import annotations

import pytest

from tests.app.conftest import metrics_of, open_page, plain
from tests.unit.test_gap_view import write_gap_ledger

PAGE = "pages/gap.py"


@pytest.fixture
def gap(tmp_path, monkeypatch):
    """Open the Gap page on the small ledger, optionally from a shared link's params."""
    monkeypatch.setenv("LEDGER_DATA", str(write_gap_ledger(tmp_path / "ledger")))

    return lambda params=None: open_page(PAGE, params)


def test_default_is_openai_company_plan(gap):
    at = gap()
    assert not at.warning
    assert metrics_of(at) == {"Cumulative gap by 2030": "$82 bn", "Revenue covers spend from": "2029",
                              "Largest yearly shortfall (2026)": "$88 bn", "Revenue in 2032": "$1.28 tn"}
    titles = [plain(s.value) for s in at.main.subheader]
    assert titles[0] == "OpenAI: $480 bn of disclosed commitments against $10 bn of 2025 revenue"
    assert titles[1] == "Company plan scenario: revenue covers spend from 2029"
    assert len(at.get("plotly_chart")) == 3
    table = at.dataframe[-1].value
    assert dict(zip(table["estimate"], table["amount"]))["This model, company plan"] == "$82 bn"
    assert "HSBC" in set(table["estimate"])


def test_shared_link_reproduces_a_scenario(gap):
    # Flat revenue of 10, half for compute, 100 raised: cumulative need to 2030 is 450, less 100 -> 350.
    at = gap({"gap_preset": "Analyst bear", "gap_growth": "0", "gap_growth_decay": "0", "gap_compute_share": "0.5",
              "gap_external_funding": "100"})
    assert not at.warning
    assert at.selectbox(key="gap_preset").value == "bear"
    assert at.slider(key="gap_growth").value == 0 and at.slider(key="gap_compute_share").value == pytest.approx(0.5)
    assert metrics_of(at) == {"Cumulative gap by 2030": "$350 bn", "Revenue covers spend from": "2030",
                              "Largest yearly shortfall (2026)": "$95 bn", "Revenue in 2032": "$10 bn"}


@pytest.mark.parametrize("param, raw, used", [
    ("gap_growth", "99", 1.0),             # past the slider's end: the plan's 100 % is used
    ("gap_growth", "fast", 1.0),           # not a number
    ("gap_compute_share", "0.07", 0.6),    # off the slider's 0.05 steps (Streamlit's binding would keep it)
    ("gap_default_term_years", "7.5", 5),  # the slider takes whole years (the binding would make it 7)
    ("gap_pacing", "0.1", 1.0),            # below the slider's start
])
def test_a_link_value_a_slider_cannot_take_is_named_and_ignored(gap, param, raw, used):
    at = gap({param: raw, "gap_pacing" if param != "gap_pacing" else "gap_growth_decay": "0.5"})
    warnings = [plain(w.value) for w in at.warning]
    assert len(warnings) == 1 and warnings[0].startswith(f"The link's {param} '{raw}' is not a number from ")
    assert at.slider(key=param).value == pytest.approx(used)
    assert param not in at.query_params
    # The link's other, valid value is kept.
    assert at.slider(key="gap_pacing" if param != "gap_pacing" else "gap_growth_decay").value == pytest.approx(0.5)


def test_unknown_buyer_and_preset_are_named(gap):
    at = gap({"gap_buyer": "meta", "gap_preset": "moon"})
    warnings = [plain(w.value) for w in at.warning]
    assert warnings == ["The link's gap_buyer 'meta' is not one of OpenAI, Anthropic; showing OpenAI.",
                        "The link's gap_preset 'moon' is not one of Company plan, Analyst bear, Bull; showing "
                        "Company plan."]
    assert at.selectbox(key="gap_buyer").value == "openai" and at.selectbox(key="gap_preset").value == "plan"
    assert metrics_of(at)["Cumulative gap by 2030"] == "$82 bn"


def test_warnings_go_after_the_next_change(gap):
    at = gap({"gap_growth": "99"})
    assert at.warning
    at.slider(key="gap_pacing").set_value(0.9).run()
    assert not at.exception and not at.warning


def test_preset_and_reset_move_the_sliders(gap):
    at = gap()
    # Bull: the plan's growth x 1.2 = 120 %, pacing 90 %, 75 % for compute.
    at.selectbox(key="gap_preset").set_value("bull").run()
    assert not at.exception
    assert at.slider(key="gap_growth").value == pytest.approx(1.2)
    assert at.slider(key="gap_pacing").value == pytest.approx(0.9)
    assert at.slider(key="gap_compute_share").value == pytest.approx(0.75)
    at.slider(key="gap_growth").set_value(0.2).run()
    at.button(key="gap_reset").click().run()
    assert at.slider(key="gap_growth").value == pytest.approx(1.2)


def test_anthropic_explains_thin_data(gap):
    at = gap({"gap_buyer": "Anthropic"})
    info = plain(at.info[0].value)
    assert "publishes no full-year recognised revenue" in info and "No equity raised is recorded" in info
    assert plain(at.main.subheader[0].value) == "Anthropic: $20 bn of disclosed commitments against $5 bn of run-rate, Jun 2026"


def test_the_sidebar_buyer_picks_the_modelled_buyer(gap):
    at = gap({"buyer": "anthropic"})
    assert at.selectbox(key="gap_buyer").value == "anthropic"


def test_no_commitment_under_the_filter_is_said(gap):
    at = gap({"to": "2024-12-31"})
    assert "OpenAI has no commitment with a disclosed value under the current filter." in plain(at.info[0].value)
    assert not at.get("plotly_chart") and not at.metric


def test_sequoia_cross_check_uses_the_data(gap):
    # 50 a quarter x 4 = 200; x 2 x 2 = 800; run-rates 20 + 5 = 25.
    text = plain(at_markdown(gap()))
    assert "$200 bn a year" in text and "$800 bn of AI revenue a year" in text and "add up to $25 bn" in text


def at_markdown(at) -> str:
    return at.markdown[-1].value
