"""The Diversification page's views on the small hand-made ledger with a supplier's investment (L14, see
tests/unit/test_commitments_view.py): expected numbers worked out by hand in the comments. Also: however many deals
and buyers, every chart draws a bounded number of things.

Supply in the default filter (definitive and announced, overlaps out), suppliers' investments counted:
L01 OpenAI <- Azure 250, L02 OpenAI <- Oracle 300, L03 OpenAI <- AMD (undisclosed), L07 OpenAI <- Nvidia 100,
L11 Anthropic <- AWS 100, L14 OpenAI <- Azure equity 10 (2023). Not supply: resale (L04, L05), SoftBank's and Blue
Owl's financing (L08, L12: investors, not suppliers), power (L13).
"""
from __future__ import annotations

import pytest
import polars as pl

from compute_ledger.analysis.filters import DealFilter
from compute_ledger.data.load import REPO_DATA_DIR, load_ledger
from compute_ledger.views import diversification as dvv
from tests.app.conftest import plain
from tests.unit.test_commitments_view import replicated, write_terms_ledger


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> dict[str, pl.DataFrame]:
    return load_ledger(str(write_terms_ledger(tmp_path_factory.mktemp("div") / "ledger"))).tables


def test_supply_and_shares_with_suppliers_investments(ledger):
    # OpenAI: Azure 260, Oracle 300, Nvidia 100 of 660 (AMD has no figure): shares 39.39%, 45.45%, 15.15%;
    # HHI = 1,551.9 + 2,066.1 + 229.6 = 3,847.6 -> 10,000 / 3,847.6 = 2.6 effective suppliers. Anthropic: AWS alone, 1.
    view = dvv.diversification_view(ledger, DealFilter(), True, "quarter")
    assert view.supply_deals == 6
    assert view.shares_title == "OpenAI has the most spread supply: 2.6 effective suppliers of 3"
    assert view.buyers == ("openai", "anthropic")  # largest supply first
    assert view.default_buyer == "openai"
    assert plain(view.shares_caption).endswith("(not in the dollar bars): OpenAI ← AMD 1.")
    assert not view.clear_provider


def test_concentration_over_time(ledger):
    # With the 2023 investment, OpenAI starts on Azure alone (10,000) and ends in Oct 2025 at 3,848 (above).
    # Without it, it starts in Q3 2025 with Oracle 300 and Nvidia 100 (75% / 25%: 5,625 + 625 = 6,250) and ends
    # with Azure 250, Oracle 300, Nvidia 100 of 650: 1,479.3 + 2,130.2 + 236.7 = 3,846.
    with_equity = dvv.diversification_view(ledger, DealFilter(), True, "quarter")
    assert dvv.concentration_title(with_equity, "openai") == (
        "OpenAI's supplier concentration went from 10,000 (2023) to 3,848 (Oct 2025): 2.6 effective suppliers")
    purchases = dvv.diversification_view(ledger, DealFilter(), False, "quarter")
    assert purchases.supply_deals == 5
    assert dvv.concentration_title(purchases, "openai") == (
        "OpenAI's supplier concentration went from 6,250 (2025) to 3,846 (Oct 2025): 2.6 effective suppliers")
    assert dvv.concentration_title(purchases, "anthropic") == (
        "Anthropic's supplier concentration went from 10,000 (2025) to 10,000 (Oct 2025): 1.0 effective suppliers")
    assert {t.name for t in purchases.concentration.figure.data} == {"OpenAI", "Anthropic"}


def test_money_flows_and_the_circle(ledger):
    # Links with a disclosed value, not cancelled, in the filter: L01, L02, L04, L05, L07, L08, L11, L12, L14.
    # Azure sells to OpenAI (L01, 250) and invested 10 in it (L14): a loop of two, valued at its smallest link.
    view = dvv.diversification_view(ledger, DealFilter(), True, "quarter")
    assert view.flows.table.rows.height == 9
    assert "The 9 largest links" in plain(view.flows.caption)
    assert "Money goes round (loops of up to 4 companies, each at its smallest link): Microsoft Azure → OpenAI → Microsoft Azure ($10 bn)." in plain(view.flows.caption)


def test_one_buyers_history(ledger):
    # OpenAI by provider, cumulative: Azure (10 in 2023, 260 from Q4 2025), Oracle 300, Nvidia 100; AMD undisclosed.
    shown = dvv.buyer_view(ledger, DealFilter(), True, "quarter", "openai", False).history
    assert {t.name for t in shown.figure.data} == {"Microsoft Azure", "Oracle Cloud (OCI)", "Nvidia"}
    azure = next(t for t in shown.figure.data if t.name == "Microsoft Azure")
    assert (azure.y[0], azure.y[-1]) == (10, 260)
    assert shown.table.rows["deal_id"].to_list() == ["L14", "L02", "L07", "L03", "L01"]  # by date
    as_shares = dvv.buyer_view(ledger, DealFilter(), True, "quarter", "openai", True).history.figure
    assert as_shares.data[0].groupnorm == "percent"
    meta = dvv.buyer_view(ledger, DealFilter(), True, "quarter", "meta", False).history
    assert meta.figure is None and meta.empty == "Meta has no supply with a disclosed value in this selection."


def test_a_provider_filter_offers_to_clear_it(ledger):
    view = dvv.diversification_view(ledger, DealFilter(providers=("aws",)), True, "year")
    assert view.clear_provider == "Clear provider filter (AWS)"
    assert view.buyers == ("anthropic",) and view.default_buyer == "anthropic"


def test_empty_filter(ledger):
    # Blue Owl only financed Meta (L12): no supply.
    view = dvv.diversification_view(ledger, DealFilter(providers=("blue-owl",)), True, "quarter")
    assert view.supply_deals == 0
    assert view.shares[0].figure is None and view.concentration.figure is None


def many_buyers(tables: dict, rows: int, buyers: int) -> dict:
    """The bundled deals replicated to `rows`, each copy bought by one of `buyers` made-up buyers."""
    wide = replicated(tables, rows)
    deals = wide["deals"].with_columns(
        buyer_id=pl.format("{}-{}", pl.col("buyer_id"), (pl.int_range(pl.len()) % buyers).cast(pl.String)))
    return {**wide, "deals": deals}


@pytest.mark.parametrize("buyers", [1, 60])
def test_charts_stay_bounded_at_a_thousand_deals(buyers):
    tables = many_buyers(load_ledger(str(REPO_DATA_DIR)).tables, 1_000, buyers)
    view = dvv.diversification_view(tables, DealFilter(), True, "quarter")
    for chart in view.shares:
        shown_buyers = {y for trace in chart.figure.data for y in trace.y}
        providers = {trace.name for trace in chart.figure.data}
        assert len(shown_buyers) <= dvv.MAX_BUYERS and len(providers) <= dvv.MAX_PROVIDERS + 1
    assert len(view.concentration.figure.data) <= dvv.MAX_BUYERS
    assert len(view.flows.figure.data[0].link.value) <= 80
    assert plain(view.shares_caption).count("←") <= dvv.MAX_UNDISCLOSED_NAMED
    history = dvv.buyer_view(tables, DealFilter(), True, "quarter", view.default_buyer, False).history
    assert len(history.figure.data) <= dvv.MAX_PROVIDERS + 1
