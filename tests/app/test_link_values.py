"""A page's own inputs opened from a link whose values they cannot take: each value is named in a warning and
the input shows its default; Streamlit's URL binding alone would drop or truncate it without a word."""
from __future__ import annotations

import pytest

from tests.app.conftest import new_app, plain
from tests.fixtures.small_ledger import write_small_ledger


@pytest.fixture
def open_on(tmp_path, monkeypatch):
    monkeypatch.setenv("LEDGER_DATA", str(write_small_ledger(tmp_path / "ledger")))

    def _open(page: str, params: dict[str, str | list[str]]):
        at = new_app()
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(page).run()
        assert not at.exception
        return at

    return _open


CASES = [
    # page, link, the warning, the input and the value it shows instead
    ("pages/commitments.py", {"cmt_term": "99"},
     "The link's cmt_term '99' is not a number from 1 to 15 in steps of 1; the default of 5 years is used.",
     "cmt_term", 5),
    ("pages/commitments.py", {"cmt_term": "2.5"},  # the binding alone would show 2
     "The link's cmt_term '2.5' is not a number from 1 to 15 in steps of 1; the default of 5 years is used.",
     "cmt_term", 5),
    ("pages/commitments.py", {"cmt_measure": "euros"},
     "The link's cmt_measure 'euros' is not one of US dollars, Gigawatts; showing US dollars.", "cmt_measure", "usd"),
    ("pages/commitments.py", {"cmt_log": "maybe"},
     "The link's cmt_log 'maybe' is not true or false; showing a linear scale.", "cmt_log", False),
    ("pages/diversification.py", {"div_period": "decade"},
     "The link's div_period 'decade' is not one of Quarter, Year; showing Quarter.", "div_period", "quarter"),
    ("pages/diversification.py", {"div_buyer": "Nobody Inc"},
     "The link's div_buyer 'Nobody Inc' is not one of OpenAI, Anthropic; showing OpenAI.", "div_buyer", "openai"),
    ("pages/data.py", {"data_table": "passwords"},
     "The link's data_table 'passwords' is not one of companies, deals, milestones, financials, citations, publishers; showing deals.",
     "data_table", "deals"),
    ("pages/data.py", {"data_search": "x" * 201},
     "The link's data_search is longer than 200 characters; ignored.", "data_search", ""),
    ("pages/data.py", {"data_source_kind": ["company", "blog"]},
     "The link's data_source_kind 'blog' is not one of company, filing, major outlet, trade press, aggregator, blog or summary; "
     "showing every source.", "data_source_kind", []),
]


@pytest.mark.parametrize(("page", "link", "warning", "key", "shown"), CASES)
def test_a_link_value_an_input_cannot_take_is_named_and_the_default_shown(open_on, page, link, warning, key, shown):
    at = open_on(page, link)
    assert warning in [plain(w.value) for w in at.warning]
    assert at.session_state[key] == shown
    assert not set(link) & set(at.query_params)  # dropped from the address, so a copied link is clean


def test_values_the_inputs_take_pass_without_a_word(open_on):
    at = open_on("pages/commitments.py", {"cmt_term": "7", "cmt_measure": "Gigawatts", "cmt_log": "true"})
    assert not at.warning
    assert (at.session_state["cmt_term"], at.session_state["cmt_measure"], at.session_state["cmt_log"]) == (7, "gw", True)
