"""The counting model on the small hand-made ledger (tests/fixtures/small_ledger.py): every total worked out by
hand from its thirteen deals, and every total equal to the sum of the rows it lists."""
from __future__ import annotations

import subprocess
import sys

import polars as pl
import pytest

from compute_ledger.analysis.counting import headline_totals, largest_first
from compute_ledger.analysis.filters import DealFilter
from compute_ledger.data.load import load_ledger
from tests.conftest import REPO
from tests.fixtures import small_ledger
from tests.fixtures.small_ledger import write_small_ledger

LABS, SITES, CHIPS, FINANCING, PROVIDERS = (
    "AI labs' compute commitments", "Contracted site capacity", "Chip volume, in GW of power",
    "Equity and financing", "Providers' purchases to serve customers")


@pytest.fixture(scope="module")
def deals(tmp_path_factory):
    return load_ledger(str(write_small_ledger(tmp_path_factory.mktemp("small") / "ledger")))["deals"]


def totals(deals, **choice):
    return {t.label: t for t in headline_totals(deals, DealFilter(**choice))}


def test_one_layer_per_total_and_the_firm_tiers_by_default(deals):
    shown = totals(deals)
    assert set(shown) == {LABS, SITES, CHIPS, FINANCING}  # providers' purchases only when asked for
    labs = shown[LABS]
    # End users, definitive and announced, not cancelled, no overlapping row: L01 250, L02 300, L07 100, L11 100,
    # and L03 with no disclosed value (listed, adds nothing).
    assert labs.value == 750 and labs.undisclosed == 1
    assert sorted(labs.rows.collect()["deal_id"]) == ["L01", "L02", "L03", "L07", "L11"]
    # Beside it, not inside: L06, reported only (L09 is reported too, but cancelled).
    assert labs.beside == 20 and labs.beside_tiers == ("reported",)


def test_site_and_chip_gigawatts_are_two_series(deals):
    shown = totals(deals)
    assert shown[SITES].value == pytest.approx(9.5)  # L02 4.5 + L11 5; L12 is financing, L13 power, L10 overlaps
    assert sorted(shown[SITES].rows.collect()["deal_id"]) == ["L02", "L11"]
    assert shown[CHIPS].value == 16  # L03 6 + L07 10; L05's 1.2 GW of chips is a provider's purchase
    assert sorted(shown[CHIPS].rows.collect()["deal_id"]) == ["L03", "L07"]


def test_financing_and_the_provider_layer_are_totals_of_their_own(deals):
    shown = totals(deals, provider_side=True)
    assert shown[FINANCING].value == 67  # L08 equity 40 + L12 Blue Owl-style JV funding 27
    assert shown[PROVIDERS].value == 50  # L04 10 (Microsoft from CoreWeave) + L05 40 (Oracle's Nvidia chips)
    assert shown[LABS].value == 750  # unchanged: the layer above is never added to it


def test_a_totals_table_lists_the_largest_first_ties_by_id_and_undisclosed_last(deals):
    labs = totals(deals)[LABS]
    # L02 300, L01 250, then L07 and L11 at 100 each (by id), L03 undisclosed last.
    assert largest_first(labs.rows)["deal_id"].to_list() == ["L02", "L01", "L07", "L11", "L03"]
    assert largest_first(labs.rows, 3)["deal_id"].to_list() == ["L02", "L01", "L07"]  # a table's first rows
    assert largest_first(labs.rows.collect().reverse())["deal_id"].to_list() == ["L02", "L01", "L07", "L11", "L03"]


@pytest.mark.parametrize("tiers, labs, beside", [
    (("definitive",), 650, 120),  # L01 + L02 + L11; beside: L07 100 (announced) + L06 20 (reported)
    (("definitive", "announced", "reported"), 770, 0),  # + L06
    (("announced",), 100, 670),  # L07; beside: L01 + L02 + L11 + L06
])
def test_the_tiers_counted_and_the_rest_beside(deals, tiers, labs, beside):
    shown = totals(deals, tiers=tiers)[LABS]
    assert (shown.value, shown.beside) == (labs, beside)


def test_an_overlapping_row_is_counted_only_when_included(deals):
    assert totals(deals, include_overlaps=True)[LABS].value == 1250  # + L10, the umbrella that contains L02
    assert totals(deals, include_overlaps=True)[SITES].value == pytest.approx(19.5)  # + L10's 10 GW


@pytest.mark.parametrize("choice", [{}, {"provider_side": True, "include_overlaps": True},
                                    {"tiers": ("definitive", "announced", "reported"), "buyers": ("openai",)},
                                    {"providers": ("oracle-oci",)}])
def test_every_total_is_the_sum_of_the_rows_it_lists(deals, choice):
    for total in headline_totals(deals, DealFilter(**choice)):
        rows = largest_first(total.rows)
        assert total.value == pytest.approx(rows["amount"].sum())
        assert (total.count, total.undisclosed) == (rows.height, rows["amount"].null_count())
        assert rows["source_url"].null_count() == 0


def test_a_providers_purchase_serving_a_counted_lab_contract_must_say_why(tmp_path, monkeypatch):
    # L04: Microsoft rents from CoreWeave to serve OpenAI, whose own Azure contract (L01) is counted.
    monkeypatch.setitem(small_ledger.END_CUSTOMER, "L04", ("openai", ""))
    with pytest.raises(AssertionError, match=r"row=5, column='counting_note'"):
        write_small_ledger(tmp_path / "ledger")


def test_validate_names_file_row_and_column_of_a_deal_without_the_counting_fields(tmp_path):
    folder = write_small_ledger(tmp_path / "ledger")
    deals_csv = folder / "sources" / "deals.csv"
    frame = pl.read_csv(deals_csv, infer_schema=False)
    frame.with_columns(  # L01 (CSV line 2) without layer or firmness; L02 (line 3) without capacity_kind
        layer=pl.when(pl.col("deal_id") == "L01").then(None).otherwise("layer"),
        firmness=pl.when(pl.col("deal_id") == "L01").then(None).otherwise("firmness"),
        capacity_kind=pl.when(pl.col("deal_id") == "L02").then(None).otherwise("capacity_kind"),
    ).write_csv(deals_csv)
    result = subprocess.run([sys.executable, "-m", "compute_ledger", "validate", str(deals_csv)], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert f"{deals_csv}:2:layer: is required but empty" in result.stdout
    assert f"{deals_csv}:2:firmness: is required but empty" in result.stdout
    assert f"{deals_csv}:3:capacity_kind: capacity_kind is required when capacity_gw is given" in result.stdout
