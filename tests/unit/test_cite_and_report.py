"""'Cite this' and 'Report a problem': the texts and links, worked out by hand."""
from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import polars as pl

from compute_ledger.analysis.feedback import feedback_base, issue_url, report_links, row_label
from compute_ledger.data.dataset_citation import citation

LINK = "https://ledger.example.org/data?buyer=OpenAI&data_table=deals"


def test_apa_and_bibtex_carry_the_as_of_date_the_link_and_the_licence():
    cite = citation(dt.date(2026, 6, 24), LINK)
    assert cite.apa == ("AI Compute Ledger. (2026). AI Compute Ledger: who buys AI compute from whom, for how much, "
                        "and how much is built (data as of 2026-06-24) [Data set]. " + LINK)
    assert cite.bibtex.startswith("@misc{ai_compute_ledger_2026_06_24,\n  author = {{AI Compute Ledger}},")
    assert "  year = {2026}," in cite.bibtex and f"  url = {{{LINK}}}\n}}" in cite.bibtex
    assert "licence CC-BY-4.0" in cite.bibtex
    assert cite.licence == ("Licence: CC-BY-4.0 (Creative Commons Attribution 4.0, "
                            "https://creativecommons.org/licenses/by/4.0/)")


def test_a_citation_without_a_date_says_so():
    cite = citation(None, LINK)
    assert "(n.d.)" in cite.apa and "undated data" in cite.apa and "ai_compute_ledger_undated" in cite.bibtex


def test_feedback_address_must_be_http():
    assert feedback_base(" https://github.com/o/r/issues/new ") == "https://github.com/o/r/issues/new"
    assert feedback_base(None) is None and feedback_base("") is None
    assert feedback_base("javascript:alert(1)") is None and feedback_base("github.com/o/r") is None


def test_an_issue_link_names_the_row_and_lists_its_values_and_source():
    row = {"deal_id": "D063", "buyer": "Meta", "value_usd_bn": 100.0, "announced": dt.date(2026, 2, 24),
           "capacity_gw": None, "source_url": "https://example.org/a", "source_title": "A & B <report>",
           "origin": "ledger"}
    link = urlsplit(issue_url("https://github.com/o/r/issues/new", row, ["buyer", "value_usd_bn", "announced",
                                                                        "capacity_gw"]))
    fields = parse_qs(link.query)
    assert fields["title"] == ["Data problem: D063"]
    assert fields["body"][0].splitlines()[-7:] == [
        "- deal_id: D063", "- buyer: Meta", "- value_usd_bn: 100.0", "- announced: 2026-02-24",
        "- capacity_gw: (empty)", "- source_title: A & B <report>", "- source_url: https://example.org/a"]
    assert "origin" not in fields["body"][0]  # only the columns shown, the id and the source


def test_row_labels_for_each_table():
    assert row_label({"milestone_id": "M046", "company_id": "microsoft-azure"}) == "M046"
    assert row_label({"company_id": "openai", "year": 2025, "metric": "revenue", "period": "FY"}) == \
        "openai 2025 revenue FY"
    assert row_label({"company_id": "openai"}) == "openai"


def test_one_link_per_row_and_a_base_with_a_query_keeps_it():
    rows = pl.DataFrame({"deal_id": ["D1", "D2"], "source_url": ["https://a.org/x", "https://b.org/y"]})
    links = report_links(rows, ["deal_id"], "https://tracker.example.org/new?template=row.md")
    assert links.len() == 2
    first = urlsplit(links[0])
    assert parse_qs(first.query)["template"] == ["row.md"] and parse_qs(first.query)["title"] == ["Data problem: D1"]
