"""The Overview page under filters, as a user sees it. Expected numbers are worked out by hand from the small
hand-made ledger in tests/fixtures/small_ledger.py (deal ids in the comments), so data releases do not move them."""
from __future__ import annotations

import json

import pytest

from tests.app.conftest import metrics_of, new_app, plain
from tests.fixtures.small_ledger import write_small_ledger

LABS = "AI labs' compute commitments"
SITES, CHIPS, FINANCING = "Contracted site capacity", "Chip volume, in GW of power", "Equity and financing"
PROVIDERS_OWN = "Providers' purchases to serve customers"


@pytest.fixture
def small(tmp_path, monkeypatch):
    """Open the dashboard on the small ledger, optionally from a shared link's params."""
    monkeypatch.setenv("LEDGER_DATA", str(write_small_ledger(tmp_path / "ledger")))

    def _open(params: dict[str, str] | None = None):
        at = new_app()
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.run()
        assert not at.exception
        return at

    return _open


def sources_box(at):
    return next(e for e in at.expander if e.label == "Data and sources")


def deltas_of(at) -> dict[str, str]:
    return {m.label: m.proto.delta for m in at.metric if m.proto.delta}


def test_default_cards_count_one_layer_and_the_firm_tiers(small):
    at = small()
    shown = metrics_of(at)
    # End users, definitive + announced, not cancelled, overlaps out: L01 250 + L02 300 + L07 100 + L11 100
    # (L03 undisclosed adds nothing; L06 is reported only; L09 cancelled; L10 overlaps L02; L04/L05 are resale).
    assert shown[LABS] == "$750 bn"
    assert deltas_of(at)[LABS] == "+ $20 bn reported, not counted"  # L06, beside, never inside
    assert shown[SITES] == "9.5 GW"  # L02 4.5 + L11 5 (L12 is financing, L13 power, L10 overlaps)
    assert shown[CHIPS] == "16 GW"  # L03 6 + L07 10, never added to the sites
    assert shown[FINANCING] == "$67 bn"  # L08 40 + L12 27
    assert PROVIDERS_OWN not in shown  # only when asked for
    assert shown["Deals"] == "10"  # 13 rows less L06 and L09 (reported only) and L10 (overlap)
    assert shown["OpenAI commitments in the ledger ÷ 2025 revenue"] == "50×"  # (250 + 300 + 100) / 13
    assert shown["Operating fleet (OpenAI, Dec 2025)"] == "1.9 GW"  # F01
    assert len(at.get("plotly_chart")) == 1
    assert plain(at.subheader[0].value).startswith("Oracle Cloud (OCI) holds 40% of $750 bn")  # 300 / 750


def test_tier_and_layer_controls_change_the_cards(small):
    at = small()
    at.multiselect(key="firmness").set_value(["definitive", "announced", "reported"]).run()
    assert metrics_of(at)[LABS] == "$770 bn"  # + L06 20
    assert LABS not in deltas_of(at)  # nothing left beside it
    at.multiselect(key="firmness").set_value(["definitive"]).run()
    assert metrics_of(at)[LABS] == "$650 bn"  # L01 + L02 + L11
    assert deltas_of(at)[LABS] == "+ $120 bn announced or reported, not counted"  # L07 100 + L06 20
    assert metrics_of(at)[CHIPS] == "6 GW"  # L03 only; L07 is a letter of intent
    at.toggle(key="provider_side").set_value(True).run()
    assert metrics_of(at)[PROVIDERS_OWN] == "$50 bn"  # L04 10 + L05 40, a total of its own
    assert metrics_of(at)[LABS] == "$650 bn"  # unchanged: the two layers are never added
    at.toggle(key="overlaps").set_value(True).run()
    assert metrics_of(at)[LABS] == "$650 bn"  # L10 is announced, not definitive
    at.multiselect(key="firmness").set_value(["definitive", "announced"]).run()
    assert metrics_of(at)[LABS] == "$1.25 tn"  # 750 + L10 500: what stacking the umbrella row would show


def test_a_link_restores_the_tiers_and_the_layer(small):
    at = small({"firmness": "definitive", "provider_side": "show"})
    assert not at.warning
    assert at.multiselect(key="firmness").value == ["definitive"]
    assert at.toggle(key="provider_side").value is True
    assert metrics_of(at)[LABS] == "$650 bn" and metrics_of(at)[PROVIDERS_OWN] == "$50 bn"
    at = small({"firmness": "certain,definitive", "provider_side": "maybe"})
    warnings = [plain(w.value) for w in at.warning]
    assert "The link names unknown firmness 'certain'; ignored." in warnings
    assert "The link's 'provider_side' value 'maybe' is not 'show'; ignored." in warnings
    assert metrics_of(at)[LABS] == "$650 bn" and PROVIDERS_OWN not in metrics_of(at)


@pytest.mark.parametrize("params", [{}, {"firmness": "definitive,announced,reported", "provider_side": "show"},
                                    {"buyer": "openai", "overlaps": "include"}, {"provider": "oracle-oci"}])
def test_each_how_built_table_adds_up_to_its_card(small, params):
    at = small(params)
    cards = metrics_of(at)
    boxes = [e for e in at.expander if plain(e.label).startswith("How this total is built: ")]
    assert len(boxes) == 5 if params.get("provider_side") else 4
    for i, box in enumerate(boxes):
        at.session_state[f"ovw_how_built_{i}"] = True  # what opening it in the browser does
    at.run()
    for box in [e for e in at.expander if plain(e.label).startswith("How this total is built: ")]:
        label = plain(box.label).removeprefix("How this total is built: ")
        rows = box.dataframe[0].value
        total = rows["amount"].sum()
        shown = cards[label]
        if shown.endswith("GW"):
            assert f"{total:g} GW".replace(".0 ", " ") == shown or round(total, 1) == float(shown.split()[0])
        else:
            assert shown == ("$" + (f"{total / 1000:.2f}".rstrip("0").rstrip(".") + " tn" if total >= 1000
                                    else f"{total:.0f} bn"))
        assert rows["source_url"].notna().all()  # every row it adds carries its source


def test_anthropic_at_aws(small):
    at = small({"buyer": "anthropic", "provider": "aws"})
    assert not at.warning
    shown = metrics_of(at)
    assert shown[LABS] == "$100 bn" and shown[SITES] == "5 GW"  # L11
    assert shown["Deals"] == "1" and shown["Providers"] == "1"
    assert shown["Anthropic commitments in the ledger ÷ run-rate, Jun 2026"] == "2×"  # 100 / 50
    assert shown["Operating fleet"] == "not disclosed"


def test_changing_a_filter_widget_updates_the_numbers(small):
    at = small()
    at.multiselect(key="buyer").set_value(["anthropic"]).run()
    assert metrics_of(at)[LABS] == "$100 bn"
    at.toggle(key="overlaps").set_value(True).run()
    assert not at.exception
    at.button[0].click().run()  # Clear filters
    assert at.multiselect(key="buyer").value == []
    assert at.toggle(key="overlaps").value is False
    assert metrics_of(at)["Deals"] == "10"


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


def test_link_restores_every_filter_widget(small):
    at = small({"provider": "microsoft-azure,oracle-oci", "buyer": "openai", "deal_type": "cloud_compute",
                "status": "signed", "from": "2025-01-01", "to": "2026-06-30", "overlaps": "include"})
    assert not at.warning
    assert at.multiselect(key="provider").value == ["microsoft-azure", "oracle-oci"]
    assert at.multiselect(key="buyer").value == ["openai"]
    assert at.multiselect(key="deal_type").value == ["cloud_compute"]
    assert at.multiselect(key="status").value == ["signed"]
    assert str(at.date_input(key="from").value) == "2025-01-01"
    assert str(at.date_input(key="to").value) == "2026-06-30"
    assert at.toggle(key="overlaps").value is True
    assert metrics_of(at)[LABS] == "$550 bn"  # L01 250 + L02 300


def test_a_link_in_the_form_the_url_binding_writes_restores_the_same_filter(small):
    # Streamlit's binding writes the labels the widgets show, as repeated parameters.
    at = small({"provider": ["Microsoft Azure", "Oracle Cloud (OCI)"], "overlaps": "true"})
    assert not at.warning
    assert at.multiselect(key="provider").value == ["microsoft-azure", "oracle-oci"]
    assert at.toggle(key="overlaps").value is True


@pytest.mark.parametrize("param, value", [("to", "9999-12-31"), ("from", "0001-01-01"), ("from", "2014-12-31"),
                                          ("to", "2036-01-01")])
def test_a_link_date_outside_the_filter_range_is_warned_about_and_ignored(small, param, value):
    at = small({param: value})
    assert [plain(w.value) for w in at.warning] == [
        f"The link's '{param}' date {value} is outside the ledger's range (2015-01-01 to 2035-12-31); ignored."]
    assert at.date_input(key=param).value is None
    assert metrics_of(at)[LABS] == "$750 bn"


def test_empty_filter_result_explains_itself(open_app):
    at = open_app({"provider": "aws", "status": "cancelled"})
    assert not at.exception
    assert "No deals match this filter" in at.info[0].value
    assert not at.metric


def test_sources_table_at_scale_counts_every_row_and_says_which_it_shows(tmp_path, monkeypatch):
    from benchmarks.synthetic import write_ledger
    from tests.app.conftest import new_app

    import polars as pl

    ledger = write_ledger(3_000, tmp_path / "ledger")
    monkeypatch.setenv("LEDGER_DATA", str(ledger))
    providers = pl.read_parquet(ledger / "deals.parquet")["provider_id"].n_unique()  # the generator's choice
    at = new_app()
    at.query_params["firmness"] = "definitive,announced,reported"  # every row the generator wrote
    at.run()
    assert not at.exception
    assert not sources_box(at).dataframe  # built only once opened: a closed table costs the page nothing

    # Dozens of providers: the chart keeps the 15 largest and adds up the rest in one bar, so it stays readable.
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    bars = list(dict.fromkeys(y for trace in spec["data"] for y in trace["y"]))
    assert providers > 16
    # The bars' order on the axis is the chart's; the traces (one per buyer) list them in another order.
    assert len(bars) == 16 and f"Other providers ({providers - 15})" in bars

    at.session_state["ovw_sources"] = True  # what opening it in the browser does
    at.run()
    expander = sources_box(at)
    assert expander.caption[0].value == "Showing the newest 2,000 of 3,000 rows; the Data page downloads them all."
    shown = expander.dataframe[0].value
    assert len(shown) == 2_000 and shown["announced"].is_monotonic_decreasing


def test_open_sources_table_stays_open_and_follows_the_filter(open_app):
    app = open_app()
    app.session_state["ovw_sources"] = True
    app.run()
    everything = sources_box(app).dataframe[0].value
    assert sources_box(app).caption[0].value == f"{len(everything):,} rows, newest first."

    app.multiselect(key="provider").set_value(["aws"]).run()
    assert not app.exception
    only_aws = sources_box(app).dataframe[0].value
    assert 0 < len(only_aws) < len(everything)
    assert {link.rsplit("#", 1)[-1] for link in only_aws["provider_link"]} == {"AWS"}  # names link to profiles
    rows = "row" if len(only_aws) == 1 else "rows"
    assert sources_box(app).caption[0].value == f"{len(only_aws)} {rows}, newest first."


def test_the_financing_card_names_the_largest_rounds_and_their_investors(small):
    at = small({})
    notes = [plain(c.value) for c in at.caption if plain(c.value).startswith("Largest financing")]
    # Financing rows of the small ledger: L08 SoftBank's $40 bn into OpenAI, L12 Blue Owl's $27 bn for Meta.
    assert notes == ["Largest financing in this selection (who received it, from which investors): OpenAI from "
                     "SoftBank Group, $40 bn (equity investment, Mar 2025); Meta from Blue Owl Capital, $27 bn (data "
                     "center, Oct 2025)."]
