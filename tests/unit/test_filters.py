"""The URL contract: comma-separated ids, YYYY-MM-DD dates, warnings that name what was ignored."""
from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from compute_ledger.analysis.filters import (
    DealFilter, FilterOptions, apply_deal_filter, binding_params, merge_options, parse_query_params, to_query_params,
)

OPTIONS = FilterOptions(
    providers=("aws", "oracle-oci", "coreweave"), buyers=("openai", "anthropic"),
    deal_types=("cloud_compute", "chips"), statuses=("signed", "cancelled"),
    names={"aws": "AWS", "oracle-oci": "Oracle Cloud (OCI)"},
)


def test_plain_link_is_the_default_filter():
    assert parse_query_params({}, OPTIONS) == (DealFilter(), [])


def test_comma_separated_and_repeated_params_are_both_read():
    deal_filter, warnings = parse_query_params(
        {"provider": "aws,oracle-oci", "buyer": ["openai", "anthropic,openai"], "deal_type": "chips",
         "status": " signed ", "from": "2025-01-01", "to": "2025-12-31", "overlaps": "include"}, OPTIONS)
    assert warnings == []
    assert deal_filter == DealFilter(("aws", "oracle-oci"), ("openai", "anthropic"), ("chips",), ("signed",),
                                     dt.date(2025, 1, 1), dt.date(2025, 12, 31), True)


def test_unknown_ids_are_dropped_and_named():
    deal_filter, warnings = parse_query_params({"provider": "aws,azure,ibm", "status": "done"}, OPTIONS)
    assert deal_filter.providers == ("aws",)
    assert deal_filter.statuses == ()
    assert warnings == ["The link names unknown provider 'azure', 'ibm'; ignored.",
                        "The link names unknown status 'done'; ignored."]


@pytest.mark.parametrize("raw", ["2025-13-01", "yesterday", "2025-1-1", "20250101", "<b>2025</b>"])
def test_malformed_dates_are_ignored_with_a_warning(raw):
    deal_filter, warnings = parse_query_params({"from": raw}, OPTIONS)
    assert deal_filter.date_from is None
    assert warnings == [f"The link's 'from' date '{raw}' is not a date like 2025-11-03; ignored."]


def test_dates_in_the_wrong_order_are_swapped():
    deal_filter, warnings = parse_query_params({"from": "2026-01-01", "to": "2025-01-01"}, OPTIONS)
    assert (deal_filter.date_from, deal_filter.date_to) == (dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    assert "swapped" in warnings[0]


def test_a_10kb_param_gives_a_short_warning():
    _, warnings = parse_query_params({"provider": "x" * 10_000}, OPTIONS)
    assert len(warnings) == 1 and len(warnings[0]) < 120


def test_many_unknown_ids_are_counted_not_listed():
    _, warnings = parse_query_params({"buyer": ",".join(f"lab{i}" for i in range(30))}, OPTIONS)
    assert warnings == ["The link names unknown buyer 'lab0', 'lab1', 'lab2', 'lab3', 'lab4' and 25 more; ignored."]


def test_a_readme_link_is_rewritten_in_the_form_the_url_binding_reads():
    deal_filter, _ = parse_query_params({"provider": "aws,oracle-oci", "deal_type": "cloud_compute",
                                         "from": "2025-01-01", "overlaps": "include", "firmness": "definitive"}, OPTIONS)
    written = binding_params(deal_filter, OPTIONS)
    # Labels the sidebar shows, one per repeated param; "true" for a toggle; defaults (no buyer, both tiers) left out.
    assert written == {"provider": ["AWS", "Oracle Cloud (OCI)"], "deal_type": ["cloud compute"],
                       "from": ["2025-01-01"], "overlaps": ["true"], "firmness": ["definitive"]}
    # ... which reads back as the same filter.
    assert parse_query_params(written, OPTIONS) == (deal_filter, [])
    assert binding_params(DealFilter(), OPTIONS) == {}


def test_round_trip_through_the_url():
    deal_filter = DealFilter(("aws",), ("openai", "anthropic"), (), ("signed",), dt.date(2025, 3, 1), None, True)
    params = to_query_params(deal_filter)
    assert params == {"provider": "aws", "buyer": "openai,anthropic", "status": "signed", "from": "2025-03-01",
                      "overlaps": "include"}
    assert parse_query_params(params, OPTIONS) == (deal_filter, [])


DEALS = pl.DataFrame({
    "deal_id": ["a", "b", "c", "d"],
    "announced": [dt.date(2024, 6, 1), dt.date(2025, 1, 1), dt.date(2025, 6, 1), dt.date(2026, 1, 1)],
    "buyer_id": ["openai", "openai", "anthropic", "openai"],
    "provider_id": ["aws", "oracle-oci", "aws", "oracle-oci"],
    "deal_type": ["cloud_compute", "cloud_compute", "chips", "cloud_compute"],
    "status": ["signed", "signed", "signed", "cancelled"],
    "counts_in_totals": [True, True, True, False],
    "firmness": ["definitive", "announced", "definitive", "definitive"],
})


@pytest.mark.parametrize(("deal_filter", "expected"), [
    (DealFilter(), ["a", "b", "c"]),
    (DealFilter(include_overlaps=True), ["a", "b", "c", "d"]),
    (DealFilter(providers=("aws",)), ["a", "c"]),
    (DealFilter(buyers=("openai",), include_overlaps=True), ["a", "b", "d"]),
    (DealFilter(deal_types=("chips",)), ["c"]),
    (DealFilter(statuses=("cancelled",)), []),
    (DealFilter(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 6, 1)), ["b", "c"]),
    (DealFilter(tiers=("definitive",)), ["a", "c"]),
])
def test_apply_deal_filter(deal_filter, expected):
    assert apply_deal_filter(DEALS, deal_filter)["deal_id"].to_list() == expected


def test_merged_options_offer_the_ids_of_both_in_name_order():
    upload = FilterOptions(providers=("nscale", "aws"), buyers=("openai",), names={"nscale": "Nscale"})
    merged = merge_options(OPTIONS, upload)
    # by display name: AWS, coreweave (no name: its id), Nscale, Oracle Cloud (OCI)
    assert merged.providers == ("aws", "coreweave", "nscale", "oracle-oci")
    assert merged.buyers == ("anthropic", "openai")
    assert merged.label("nscale") == "Nscale" and merged.statuses == OPTIONS.statuses


def test_the_explorer_search_is_literal_case_insensitive_and_applies_with_the_filter():
    from compute_ledger.analysis.explore import explorer_rows

    deals = pl.DataFrame({
        "deal_id": ["A", "B", "C", "D"], "provider_id": ["aws", "aws", "oracle-oci", "aws"],
        "counts_in_totals": [True, True, True, False], "firmness": ["definitive"] * 4,
        "description": ["Stargate site", "ÉNERGIE contract", "stargate too", "Stargate (copy)"],
        "chips": [None, "GB200", None, None], "source_title": ["x", "y", "z", "w"],
    })
    aws = DealFilter(providers=("aws",))
    assert explorer_rows("deals", deals, aws, "STARGATE")["deal_id"].to_list() == ["A"]  # C: Oracle; D: overlaps
    assert explorer_rows("deals", deals, aws, "énergie")["deal_id"].to_list() == ["B"]  # case folded beyond ASCII
    assert explorer_rows("deals", deals, aws, "gb200")["deal_id"].to_list() == ["B"]  # every searched column
    assert explorer_rows("deals", deals, None, "(copy)")["deal_id"].to_list() == ["D"]  # taken literally
    assert explorer_rows("deals", deals, None, "s.te")["deal_id"].to_list() == []  # "." is not a wildcard
    assert explorer_rows("deals", deals, aws, "  ")["deal_id"].to_list() == ["A", "B"]  # no search: the filter only
