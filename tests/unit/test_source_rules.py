"""Every row traceable to its best source: article URLs only, a kind for every source, and for the large rows a
source stronger than an aggregator or a note saying none was found."""
from __future__ import annotations

import polars as pl
import pytest

from compute_ledger.data.build import source_uris
from compute_ledger.data.load import read_tables
from tests.conftest import SOURCES, set_cell

LARGE_USD_BN, LARGE_GW = 10, 1
NOT_AN_ARTICLE = ["ftp://example.org/story", "https://example.org", "https://example.org/", "example.org/story",
                  "https:///no-host/story", "https://localhost/story", "javascript:alert(1)"]


@pytest.fixture(scope="module")
def bundled():
    tables, problems = read_tables(source_uris(SOURCES))
    assert problems == []
    return tables


@pytest.mark.parametrize("url", NOT_AN_ARTICLE)
def test_validate_rejects_a_source_that_cannot_be_an_article(data_dir, url):
    set_cell(data_dir / "sources" / "deals.csv", 0, "source_url", url)
    _, problems = read_tables(source_uris(data_dir / "sources"))
    assert [(p.row, p.column) for p in problems] == [(2, "source_url")]
    assert "is not an http(s) web address" in problems[0].message


def test_validate_rejects_an_unknown_source_kind(data_dir):
    set_cell(data_dir / "sources" / "milestones.csv", 0, "source_kind", "blog")
    _, problems = read_tables(source_uris(data_dir / "sources"))
    assert [(p.row, p.column) for p in problems] == [(2, "source_kind")]


@pytest.mark.parametrize("table, amount", [("deals", "value_usd_bn"), ("deals", "capacity_gw"),
                                           ("milestones", "capacity_gw"), ("financials", "value_usd_bn")])
def test_every_large_row_has_a_strong_source_or_says_why_not(bundled, table, amount):
    frame = bundled[table]
    threshold = LARGE_GW if amount == "capacity_gw" else LARGE_USD_BN
    weak = frame.filter((pl.col(amount) >= threshold) & (pl.col("source_kind") == "secondary")
                        & pl.col("source_note").is_null())
    key = frame.columns[0] if table != "financials" else "metric"
    assert weak.is_empty(), f"{table}: large rows citing only a secondary source, with no note: {weak[key].to_list()}"


def test_no_mirror_staging_forum_or_index_page_is_cited(bundled):
    hosts = pl.concat([t.select("source_url") for name, t in bundled.items() if name != "companies"])
    bad = hosts.filter(pl.col("source_url").str.contains(
        r"^https?://(dev|staging|direct|mail|forums?|fastly)\.|\.pages\.dev/|/(tag|tags|category|section)/"))
    assert bad.is_empty(), bad["source_url"].to_list()
