"""The Overview page under filters, as a user sees it. Expected numbers are worked out by hand from
data/sources/deals.csv (row ids in the comments)."""
from __future__ import annotations

import json

from tests.app.conftest import metrics_of, plain


def test_default_view_shows_kpis_story_and_chart(open_app):
    at = open_app()
    assert not at.exception
    shown = metrics_of(at)
    assert shown["Deals"] == "67"  # 76 rows less the 9 marked counts_in_totals = false
    assert shown["Operating fleet (OpenAI, Dec 2025)"] == "1.9 GW"  # M017
    assert shown["OpenAI commitments ÷ 2025 revenue"] == "58×"
    assert "OpenAI relied on Microsoft Azure alone until 2024" in at.markdown[0].value
    assert "$1.4 tn" in at.markdown[0].value
    assert len(at.get("plotly_chart")) == 1
    assert at.subheader[0].value.startswith("Oracle Cloud (OCI) holds")
    assert "data as of 1 Jul 2026" in at.caption[0].value


def test_anthropic_at_aws(open_app):
    at = open_app({"buyer": "anthropic", "provider": "aws"})
    assert not at.exception and not at.warning
    assert metrics_of(at) == {
        "Committed": "$100 bn",           # D075; D003, D010, D076 are equity
        "Equity invested": "$33 bn",      # 4 + 4 + 25
        "Deals": "4",
        "Providers": "1",
        "Contracted capacity": "5 GW",    # D075
        "Operating fleet": "not disclosed",
        "Anthropic commitments ÷ run-rate, Jun 2026": "2×",  # 100 / 50
    }


def test_oracle_without_overlaps_and_with(open_app):
    at = open_app({"provider": "oracle-oci"})
    shown = metrics_of(at)
    # D006 (undisclosed), D007 (cancelled), D024 (4.5 GW), D029 (300), D031 (20, rumoured)
    assert shown["Committed"] == "$320 bn"
    assert shown["Deals"] == "5"
    assert shown["Contracted capacity"] == "4.5 GW"
    assert shown["OpenAI commitments ÷ 2025 revenue"] == "23×"  # 300 / 13.07 = 22.95
    at = open_app({"provider": "oracle-oci", "overlaps": "include"})
    assert metrics_of(at)["Deals"] == "5"  # overlapping rows all have Oracle as buyer, not provider
    at = open_app({"buyer": "oracle-oci", "overlaps": "include"})
    # D021 (15, left out), D022 (40), D033 (25), D034 (-), D044 (15), D047 (7), D069 (cancelled, -)
    assert metrics_of(at)["Committed"] == "$102 bn"
    assert metrics_of(open_app({"buyer": "oracle-oci"}))["Committed"] == "$40 bn"


def test_early_equity_by_date_range(open_app):
    at = open_app({"deal_type": "equity_investment", "from": "2019-01-01", "to": "2023-12-31"})
    shown = metrics_of(at)
    assert shown["Equity invested"] == "$17 bn"  # D001 1 + D002 10 + D003 4 + D004 2
    assert shown["Committed"] == "$0 bn"
    assert shown["Deals"] == "4"


def test_changing_a_filter_widget_updates_the_numbers(open_app):
    at = open_app()
    at.multiselect(key="buyer").set_value(["anthropic"]).run()
    at.multiselect(key="provider").set_value(["aws"]).run()
    assert metrics_of(at)["Committed"] == "$100 bn"
    at.toggle(key="overlaps").set_value(True).run()
    assert not at.exception
    at.button[0].click().run()  # Clear filters
    assert at.multiselect(key="buyer").value == []
    assert metrics_of(at)["Deals"] == "67"


def test_bad_link_is_ignored_with_warnings_that_name_it(open_app):
    at = open_app({"provider": "aws,bogus-cloud", "from": "2025-99-01", "buyer": "<script>x</script>"})
    assert not at.exception
    warnings = [plain(w.value) for w in at.warning]
    assert "The link names unknown provider 'bogus-cloud'; ignored." in warnings
    assert "The link's 'from' date '2025-99-01' is not a date like 2025-11-03; ignored." in warnings
    assert "The link names unknown buyer '<script>x</script>'; ignored." in warnings
    assert at.multiselect(key="provider").value == ["aws"]
    assert at.multiselect(key="buyer").value == []
    assert metrics_of(at)["Providers"] == "1"


def test_link_restores_every_filter_widget(open_app):
    at = open_app({"provider": "aws,coreweave", "buyer": "openai", "deal_type": "cloud_compute",
                   "status": "signed", "from": "2025-01-01", "to": "2026-06-30", "overlaps": "include"})
    assert at.multiselect(key="provider").value == ["aws", "coreweave"]
    assert at.multiselect(key="buyer").value == ["openai"]
    assert at.multiselect(key="deal_type").value == ["cloud_compute"]
    assert at.multiselect(key="status").value == ["signed"]
    assert str(at.date_input(key="from").value) == "2025-01-01"
    assert str(at.date_input(key="to").value) == "2026-06-30"
    assert at.toggle(key="overlaps").value is True
    # D014 11.9 + D016 4 + D035 6.5 + D049 38 + D066 100
    assert metrics_of(at)["Committed"] == "$160 bn"


def test_empty_filter_result_explains_itself(open_app):
    at = open_app({"provider": "aws", "status": "cancelled"})
    assert not at.exception
    assert "No deals match this filter" in at.info[0].value
    assert not at.metric


def test_sources_table_at_scale_counts_every_row_and_says_which_it_shows(tmp_path, monkeypatch):
    from benchmarks.synthetic import write_ledger
    from tests.app.conftest import new_app

    monkeypatch.setenv("LEDGER_DATA", str(write_ledger(3_000, tmp_path / "ledger")))
    at = new_app()
    at.run()
    assert not at.exception
    assert at.expander[0].label == "Data and sources"
    assert not at.expander[0].dataframe  # built only once opened: a closed table costs the page nothing

    # 40 providers: the chart keeps the 15 largest and adds up the rest in one bar, so it stays readable.
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    bars = list(dict.fromkeys(y for trace in spec["data"] for y in trace["y"]))
    assert len(bars) == 16 and bars[-1] == "Other providers (25)"

    at.session_state["ovw_sources"] = True  # what opening it in the browser does
    at.run()
    expander = at.expander[0]
    assert expander.caption[0].value == "Showing the newest 2,000 of 3,000 rows; the Data page downloads them all."
    shown = expander.dataframe[0].value
    assert len(shown) == 2_000 and shown["announced"].is_monotonic_decreasing


def test_open_sources_table_stays_open_and_follows_the_filter(open_app):
    app = open_app()
    app.session_state["ovw_sources"] = True
    app.run()
    everything = app.expander[0].dataframe[0].value
    assert app.expander[0].caption[0].value == f"{len(everything):,} rows, newest first."

    app.multiselect(key="provider").set_value(["aws"]).run()
    assert not app.exception
    only_aws = app.expander[0].dataframe[0].value
    assert 0 < len(only_aws) < len(everything)
    assert set(only_aws["provider"]) == {"AWS"}
    rows = "row" if len(only_aws) == 1 else "rows"
    assert app.expander[0].caption[0].value == f"{len(only_aws)} {rows}, newest first."
