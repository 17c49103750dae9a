"""Power contracted for data centres and pledges, beside the site GW and outside every contracted total.

The small ledger plus five rows; every expectation is worked out by hand below."""
from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from compute_ledger.analysis import counting
from compute_ledger.analysis.filters import DealFilter
from compute_ledger.data.load import load_ledger
from tests.fixtures.small_ledger import DEALS, write_small_ledger

EXTRA = [
    # id, announced, buyer, provider, type, value, GW, kind, status, layer, firmness, counts, overlaps, power type
    ("L14", "2026-01-09", "meta", "vistra-terrapower-oklo", "power", "", "6.6", "power", "signed", "power", "definitive", "true", "", "nuclear"),
    ("L15", "2026-06-22", "microsoft-azure", "chevron", "power", "", "2.67", "power", "announced", "power", "announced", "true", "", "gas"),
    ("L16", "2026-05-01", "xai", "chevron", "power", "", "1", "power", "rumored", "power", "reported", "true", "", "gas"),
    ("L17", "2025-09-16", "microsoft-azure", "microsoft-azure", "data_center", "30", "", "", "announced", "pledge", "announced", "true", ""),
    ("L18", "2025-05-01", "aws", "aws", "data_center", "10", "", "", "cancelled", "pledge", "announced", "true", ""),
]


@pytest.fixture(scope="module")
def deals(tmp_path_factory) -> pl.DataFrame:
    folder = write_small_ledger(tmp_path_factory.mktemp("power"), DEALS + EXTRA)
    return load_ledger(str(folder))["deals"]


def test_power_is_its_own_series_beside_the_site_gw(deals):
    site, power, _ = counting.power_and_pledge_totals(deals, DealFilter())
    # Sites: L02 4.5 + L11 5 (L10 overlaps L02; the power rows' GW are not sites).
    assert site.value == pytest.approx(9.5)
    # Power, definitive and announced: L13 0.835 + L14 6.6 + L15 2.67; L16 is reported only, beside.
    assert power.value == pytest.approx(10.105)
    assert power.count == 3
    assert power.beside == pytest.approx(1.0)
    assert counting.largest_first(power.rows)["amount"].sum() == pytest.approx(power.value)


def test_power_by_type_adds_up_to_the_power_total(deals):
    _, power, _ = counting.power_and_pledge_totals(deals, DealFilter())
    by_type = counting.power_by_type(power.rows)
    assert by_type.to_dicts() == [
        {"power_type": "nuclear", "gw": pytest.approx(7.435), "deals": 2, "undisclosed": 0},
        {"power_type": "gas", "gw": pytest.approx(2.67), "deals": 1, "undisclosed": 0},
    ]


def test_counting_the_reported_tier_brings_the_rumoured_plant_inside(deals):
    _, power, _ = counting.power_and_pledge_totals(
        deals, dataclasses.replace(DealFilter(), tiers=("definitive", "announced", "reported")))
    assert power.value == pytest.approx(11.105)
    assert power.beside == 0


def test_pledges_are_summed_apart_and_a_cancelled_pledge_adds_nothing(deals):
    _, _, pledges = counting.power_and_pledge_totals(deals, DealFilter())
    assert pledges.value == pytest.approx(30)  # L17; L18 was cancelled
    assert counting.largest_first(pledges.rows)["deal_id"].to_list() == ["L17"]


def test_power_and_pledges_never_move_the_headline_totals(tmp_path):
    plain = load_ledger(str(write_small_ledger(tmp_path / "plain")))["deals"]
    extra = load_ledger(str(write_small_ledger(tmp_path / "extra", DEALS + EXTRA)))["deals"]
    every_tier = dataclasses.replace(DealFilter(), tiers=("definitive", "announced", "reported"), provider_side=True)
    for deal_filter in (DealFilter(), every_tier):
        before = {t.label: (t.value, t.beside) for t in counting.headline_totals(plain, deal_filter)}
        after = {t.label: (t.value, t.beside) for t in counting.headline_totals(extra, deal_filter)}
        assert after == before
