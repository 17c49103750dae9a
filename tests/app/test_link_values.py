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
    ("pages/data.py", {"data_source_kind": ["blog", "rumour"]},
     "The link's data_source_kind values 'blog', 'rumour' are not one of company, filing, major outlet, trade press, "
     "aggregator, blog or summary; showing every source.", "data_source_kind", []),
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


# --- issue #24: a value the page says it ignored is never used; every bad value is named, wherever it stands ------

REPEATED = [
    # page, link, the warning, the input, the value used: on the first run and after every rerun
    ("pages/commitments.py", {"cmt_measure": ["euros", "Gigawatts"]},
     "The link's cmt_measure 'euros' is not one of US dollars, Gigawatts; using the link's other value 'Gigawatts'.",
     "cmt_measure", "gw"),
    ("pages/commitments.py", {"cmt_term": ["99", "7"]},
     "The link's cmt_term '99' is not a number from 1 to 15 in steps of 1; using the link's other value '7'.",
     "cmt_term", 7),
    ("pages/data.py", {"data_source_kind": ["company", "blog"]},
     "The link's data_source_kind 'blog' is not one of company, filing, major outlet, trade press, aggregator, "
     "blog or summary; using the link's other value 'company'.", "data_source_kind", ["company"]),
    ("pages/commitments.py", {"cmt_log": ["true", "false"]},
     "The link gives cmt_log 2 values ('true', 'false'); using the last, 'false'.", "cmt_log", False),
]


@pytest.mark.parametrize(("page", "link", "warning", "key", "used"), REPEATED)
def test_a_repeated_value_with_a_bad_one_first_is_named_and_the_good_one_used(open_on, page, link, warning, key, used):
    at = open_on(page, link)
    assert [plain(w.value) for w in at.warning] == [warning]
    assert at.session_state[key] == used
    at.run()
    assert at.session_state[key] == used and not at.warning


FILTER_LINKS = [
    # link, the sidebar's warning, the widget, the value used
    ({"overlaps": ["yes", "include"]}, "The link's 'overlaps' value 'yes' is not 'include'; ignored; 'include' is used.",
     "overlaps", True),
    ({"provider_side": ["x", "show"]}, "The link's 'provider_side' value 'x' is not 'show'; ignored; 'show' is used.",
     "provider_side", True),
    ({"overlaps": ["maybe"]}, "The link's 'overlaps' value 'maybe' is not 'include'; ignored.", "overlaps", False),
    ({"from": ["2025-1-1"]}, "The link's 'from' date '2025-1-1' is not a date like 2025-11-03; ignored.", "from", None),
    ({"from": ["2025-1-1", "2025-02-01"]}, "The link's 'from' date '2025-1-1' is not a date like 2025-11-03; ignored; "
                                           "'2025-02-01' is used.", "from", __import__("datetime").date(2025, 2, 1)),
]


@pytest.mark.parametrize(("link", "warning", "key", "used"), FILTER_LINKS)
def test_a_filter_value_the_warning_refuses_is_never_used(open_on, link, warning, key, used):
    at = open_on("pages/overview.py", link)
    assert [plain(w.value) for w in at.sidebar.warning] == [warning]
    for _ in range(2):  # the first run, and reruns after it (the URL binding reads the address on each)
        assert at.session_state[key] == used
        at.run()
    assert at.session_state[key] == used


def test_many_bad_values_are_named_a_few_and_counted(open_on):
    at = open_on("pages/overview.py", {"provider": [f"ghost-{i}" for i in range(52)]})
    (warning,) = [plain(w.value) for w in at.sidebar.warning]
    assert warning == ("The link names unknown provider 'ghost-0', 'ghost-1', 'ghost-2', 'ghost-3', 'ghost-4' and 47 "
                       "more; ignored.")
    at = open_on("pages/company.py", {"id": ",".join(f"nobody-{i}" for i in range(10_000))})
    assert [plain(w.value) for w in at.main.warning] == [
        "The link names unknown companies 'nobody-0', 'nobody-1', 'nobody-2', 'nobody-3', 'nobody-4' and 9995 more; "
        "ignored."]
