"""Every row traceable to its best source: article URLs only, a kind for every publisher, and for the large rows a
company or filing page, two agreeing reports, or a reason why not (the source rule, citations.check_citations)."""
from __future__ import annotations

import polars as pl
import pytest

from compute_ledger.data.citations import read_sources
from compute_ledger.data.load import read_tables
from tests.conftest import SOURCES, set_cell

LARGE_USD_BN, LARGE_GW = 10, 1
NOT_AN_ARTICLE = ["ftp://example.org/story", "https://example.org", "https://example.org/", "example.org/story",
                  "https:///no-host/story", "https://localhost/story", "javascript:alert(1)"]


@pytest.fixture(scope="module")
def bundled():
    tables, problems = read_sources(SOURCES)
    assert problems == []
    return tables


@pytest.mark.parametrize("url", NOT_AN_ARTICLE)
def test_validate_rejects_a_source_that_cannot_be_an_article(data_dir, url):
    csv = data_dir / "sources" / "citations.csv"
    set_cell(csv, 0, "url", url)
    _, problems = read_sources(data_dir / "sources")
    assert [(p.file, p.row, p.column) for p in problems] == [(str(csv), 2, "url")]
    assert "is not an http(s) web address" in problems[0].message


@pytest.mark.parametrize("table, amount", [("deals", "value_usd_bn"), ("deals", "capacity_gw"),
                                           ("milestones", "capacity_gw")])
def test_every_large_row_has_a_strong_source_or_says_why_not(bundled, table, amount):
    frame = bundled[table]
    threshold = LARGE_GW if amount == "capacity_gw" else LARGE_USD_BN
    weak = frame.filter((pl.col(amount) >= threshold) & (pl.col("source_strength") == "single_report")
                        & pl.col("single_source_reason").is_null())
    assert weak.is_empty(), f"{table}: large single-sourced rows without a reason: {weak[frame.columns[0]].to_list()}"


def test_no_mirror_staging_forum_or_index_page_is_cited(bundled):
    hosts = bundled["citations"].select(source_url="url")
    bad = hosts.filter(pl.col("source_url").str.contains(
        r"^https?://(dev|staging|direct|mail|forums?|fastly)\.|\.pages\.dev/|/(tag|tags|category|section)/"))
    assert bad.is_empty(), bad["source_url"].to_list()
