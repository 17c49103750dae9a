"""Exposure on the hand-made ledger of tests/fixtures/exposure_ledger.py; every number worked out by hand below."""
from __future__ import annotations

import polars as pl
import pytest

from compute_ledger.analysis import exposure as ex
from compute_ledger.analysis.commitments import annual_spend_schedule
from compute_ledger.analysis.filters import DealFilter
from tests.fixtures import exposure_ledger as ledger

DEALS = ledger.deals()
DEFAULT = DealFilter()  # definitive and announced counted, reported only beside


def test_backlog_by_customer_counts_both_purchase_layers_apart_and_drops_cancelled_rows():
    rows = ex.backlog_by_customer(DEALS, DEFAULT)
    got = {(r["provider_id"], r["customer_id"]): (r["from_end_users"], r["from_providers"], r["backlog_usd_bn"])
           for r in rows.iter_rows(named=True)}
    assert got == {
        # Oracle: OpenAI 300 and Anthropic 100; xAI's 10 is cancelled and is nowhere
        ("oracle-oci", "openai"): (300.0, 0.0, 300.0), ("oracle-oci", "anthropic"): (100.0, 0.0, 100.0),
        # CoreWeave: OpenAI 80 (announced, counted), Azure 20 (a provider's purchase), Anthropic undisclosed
        ("coreweave", "openai"): (80.0, 0.0, 80.0), ("coreweave", "microsoft-azure"): (0.0, 20.0, 20.0),
        ("coreweave", "anthropic"): (0.0, 0.0, 0.0),
        ("microsoft-azure", "openai"): (250.0, 0.0, 250.0), ("nvidia", "openai"): (30.0, 0.0, 30.0),
        # Meta's 40 with CoreWeave is reported only: beside, never inside
        ("coreweave", "meta"): (0.0, 0.0, 0.0)}
    meta = rows.filter(pl.col("customer_id") == "meta").row(0, named=True)
    assert (meta["beside_usd_bn"], meta["deals"]) == (40.0, 0)


def test_shares_hhi_and_effective_customers_per_provider():
    table = ex.provider_concentration(ex.backlog_by_customer(DEALS, DEFAULT))
    got = {r["provider_id"]: r for r in table.iter_rows(named=True)}
    # Oracle: 300 / 400 = 75 %, 100 / 400 = 25 % -> HHI 75² + 25² = 6,250; effective 10,000 / 6,250 = 1.6
    assert got["oracle-oci"]["backlog_usd_bn"] == 400.0
    assert got["oracle-oci"]["largest_customer_id"] == "openai"
    assert got["oracle-oci"]["largest_share"] == pytest.approx(0.75)
    assert got["oracle-oci"]["hhi"] == pytest.approx(6_250.0)
    assert got["oracle-oci"]["effective_customers"] == pytest.approx(1.6)
    # CoreWeave: 80 / 100 and 20 / 100 -> 80² + 20² = 6,800; 10,000 / 6,800 = 1.47; Meta's 40 beside; one undisclosed
    assert got["coreweave"]["hhi"] == pytest.approx(6_800.0)
    assert got["coreweave"]["effective_customers"] == pytest.approx(10_000 / 6_800)
    assert (got["coreweave"]["beside_usd_bn"], got["coreweave"]["undisclosed"], got["coreweave"]["customers"]) == (
        40.0, 1, 3)
    # A single customer: 10,000 and one effective customer
    assert (got["microsoft-azure"]["hhi"], got["microsoft-azure"]["effective_customers"]) == (10_000.0, 1.0)
    # Largest backlog first
    assert table["provider_id"].to_list() == ["oracle-oci", "microsoft-azure", "coreweave", "nvidia"]
    # What each invested in its customers (OpenAI) is beside the backlog, never in it; Oracle's 5 was cancelled
    assert {p: got[p]["financed_usd_bn"] for p in got} == {
        "oracle-oci": 0.0, "microsoft-azure": 10.0, "coreweave": 0.35, "nvidia": 100.0}


def test_reported_figures_are_the_latest_reported_ones_of_the_provider_or_its_parent():
    figures = ex.figure_columns(ex.reported_figures(ledger.financials(), ledger.COMPANIES,
                                                    ["oracle-oci", "coreweave", "microsoft-azure", "nvidia"]))
    got = {r["provider_id"]: r for r in figures.iter_rows(named=True)}
    # Oracle's 2027 revenue of 90 is a projection: the reported 60 stands
    assert (got["oracle-oci"]["reported_by"], got["oracle-oci"]["reported_revenue"],
            got["oracle-oci"]["reported_rpo"]) == ("oracle", 60.0, 600.0)
    # CoreWeave's "backlog" stands for RPO; the March 2026 figure is newer than December 2025's
    assert got["coreweave"]["reported_rpo"] == 100.0
    assert (got["microsoft-azure"]["reported_revenue"], got["microsoft-azure"]["reported_total_debt"]) == (300.0, 40.0)
    assert "nvidia" not in got


def test_stress_unpaid_per_provider_and_year_with_a_partial_share_and_multi_year_contracts():
    stress = ex.Stress(("openai",), paid_share=0.5, start_year=2028)
    unpaid = ex.unpaid_by_provider_year(DEALS, DEFAULT, stress)
    got = {(r["provider_id"], r["year"]): r["unpaid_usd_bn"] for r in unpaid.iter_rows(named=True)}
    assert got == {
        # Oracle 300 over 2027-2031 = 60 a year; half of 2028-2031 unpaid
        **{("oracle-oci", y): 30.0 for y in range(2028, 2032)},
        # Azure 250 over 2026-2030 = 50 a year
        **{("microsoft-azure", y): 25.0 for y in range(2028, 2031)},
        # CoreWeave 80 over 2028-2031 = 20 a year
        **{("coreweave", y): 10.0 for y in range(2028, 2032)},
        # Nvidia 30 over three years from 2026 (reported length) = 10 a year; 2028 only
        ("nvidia", 2028): 5.0}
    assert unpaid["unpaid_usd_bn"].sum() == pytest.approx(240.0)  # 120 + 75 + 40 + 5


def test_stress_total_is_the_commitments_schedule_for_the_same_buyer_and_years():
    stress = ex.Stress(("openai",), paid_share=0.0, start_year=2028)
    unpaid = ex.unpaid_by_provider_year(DEALS, DEFAULT, stress)
    schedule = annual_spend_schedule(DEALS.filter(pl.col("buyer_id") == "openai"))
    assert unpaid["unpaid_usd_bn"].sum() == pytest.approx(
        schedule.filter(pl.col("year") >= 2028)["spend_usd_bn"].sum())


def test_stress_against_reported_revenue_and_backlog():
    stress = ex.Stress(("openai",), paid_share=0.5, start_year=2028)
    figures = ex.reported_figures(ledger.financials(), ledger.COMPANIES, ["oracle-oci", "coreweave"])
    table = ex.unpaid_by_provider(ex.unpaid_by_provider_year(DEALS, DEFAULT, stress), figures)
    got = {r["provider_id"]: r for r in table.iter_rows(named=True)}
    # Oracle: a year's 30 unpaid of 60 revenue = 50 %; 120 of 600 RPO = 20 %
    assert (got["oracle-oci"]["peak_of_revenue"], got["oracle-oci"]["of_reported_backlog"]) == (0.5, 0.2)
    # CoreWeave: 10 of 5 revenue = 200 %; 40 of 100 backlog = 40 %
    assert (got["coreweave"]["peak_of_revenue"], got["coreweave"]["of_reported_backlog"]) == (2.0, 0.4)
    assert got["nvidia"]["peak_of_revenue"] is None  # no reported revenue: no ratio, not zero


def test_next_in_chain_lists_the_resale_rows_behind_the_buyer_and_money_put_into_it():
    stress = ex.Stress(("openai",), paid_share=0.5, start_year=2028)
    chain = ex.next_in_chain(DEALS, DEFAULT, stress)
    resale = chain.filter(pl.col("exposure") == "resale")
    # Azure's 20 from CoreWeave for OpenAI, 2026-2029 = 5 a year: 10 falls due from 2028, half of it unfunded
    assert resale.select("holder_id", "counterparty_id", "deal_id", "due_from_start_usd_bn",
                         "unfunded_usd_bn").rows() == [("microsoft-azure", "coreweave", "E04", 10.0, 5.0)]
    # Investments in OpenAI, largest first; Oracle's is cancelled
    assert chain.filter(pl.col("exposure") == "financing").select("holder_id", "value_usd_bn").rows() == [
        ("nvidia", 100.0), ("microsoft-azure", 10.0), ("coreweave", 0.35)]


def test_loops_of_two_and_three_each_once_none_through_a_cancelled_row():
    loops, rows, links = ex.money_loops(DEALS, DEFAULT)
    assert loops.select("companies", "value_usd_bn").rows() == [
        (["nvidia", "openai"], 30.0),  # Nvidia invests 100, OpenAI buys 30: the smaller link
        (["microsoft-azure", "openai"], 10.0),  # OpenAI buys 250, Azure invested 10
        (["coreweave", "openai"], 0.35),  # OpenAI buys 80, CoreWeave invested 0.35
        # three companies: CoreWeave -> OpenAI (0.35) -> Azure (250) -> CoreWeave (20, Azure's purchase)
        (["coreweave", "openai", "microsoft-azure"], 0.35),
    ]
    # Oracle invested in OpenAI only in a cancelled row: OpenAI's 300 with Oracle closes no loop
    assert not loops.filter(pl.col("companies").list.contains("oracle-oci")).height
    # each cycle once: no two loops are rotations of each other
    assert len({frozenset(c) for c in loops["companies"].to_list()}) == loops.height
    # the rows behind every link, with their sources
    three = rows.filter(pl.col("loop_id") == 4)
    assert three.select("step", "source", "target", "deal_id").rows() == [
        (1, "coreweave", "openai", "E11"), (2, "openai", "microsoft-azure", "E02"),
        (3, "microsoft-azure", "coreweave", "E04")]
    assert three["source_url"].to_list() == [f"https://example.org/{d}" for d in ("E11", "E02", "E04")]
    # the links among the loops' companies, to draw them: OpenAI's 300 to Oracle is not among them
    assert links.select("source", "target", "flows").sort("source", "target").rows() == [
        ("coreweave", "openai", "financing"), ("microsoft-azure", "coreweave", "purchase"),
        ("microsoft-azure", "openai", "financing"), ("nvidia", "openai", "financing"),
        ("openai", "coreweave", "purchase"), ("openai", "microsoft-azure", "purchase"),
        ("openai", "nvidia", "purchase")]


def test_loop_search_finds_a_cycle_once_from_any_start_and_respects_the_length_bound():
    links = pl.DataFrame({"source": ["c", "a", "b", "d"], "target": ["a", "b", "c", "a"]})
    assert ex.find_loops(links) == [("a", "b", "c")]
    assert ex.find_loops(links, max_length=2) == []


def test_a_reported_only_row_counts_when_the_filter_counts_its_tier():
    every_tier = DealFilter(tiers=("definitive", "announced", "reported"))
    table = ex.provider_concentration(ex.backlog_by_customer(DEALS, every_tier))
    coreweave = table.filter(pl.col("provider_id") == "coreweave").row(0, named=True)
    # 80 + 20 + Meta's 40 = 140; nothing beside
    assert (coreweave["backlog_usd_bn"], coreweave["beside_usd_bn"]) == (140.0, 0.0)
