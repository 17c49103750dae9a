"""The source rule and the citation checks (issue 25) on small hand-made files: each problem at FILE:ROW:COLUMN.

The ledger: three deals of the small fixture (L01 USD 250 bn, L04 USD 10 bn, L13 0.835 GW of power with no value),
its two milestones (1.9 GW and 1.2 GW) and two financial figures; the citations and publishers are written here.
"""
from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from compute_ledger.data.citations import attach_publishers, read_sources
from compute_ledger.data.schema import SOURCE_TABLES
from tests.fixtures.small_ledger import DEALS, FINANCIALS, MILESTONES, _deal, _write

PUBLISHERS = [
    ("openai.com", "OpenAI", "company"),
    ("reuters.com", "Reuters", "major_outlet"),
    ("digitimes.com", "DigiTimes", "trade_press"),
    ("aggregator.example", "Aggregator", "aggregator"),
    ("blog.example", "Some Blog", "blog_or_summary"),
    ("example.org", "Fixture", "company"),
]
# record_table, record_id, url, supports, is_primary. Line numbers in citations.csv: header 1, then 2, 3, ...
GOOD = [
    ("deals", "L01", "https://www.reuters.com/a", "value;date", "true"),             # line 2
    ("deals", "L01", "https://openai.com/index/l01", "value;parties", "false"),      # line 3
    ("deals", "L04", "https://apps.digitimes.com/x", "value", "true"),               # line 4: digitimes.com
    ("deals", "L04", "https://aggregator.example/y", "value;date", "false"),         # line 5
    ("deals", "L13", "https://openai.com/index/l13", "capacity", "true"),            # line 6
    ("milestones", "F01", "https://example.org/f01", "capacity", "true"),            # line 7
    ("milestones", "F02", "https://example.org/f02", "capacity", "true"),            # line 8
    ("financials", "F001", "https://example.org/fin1", "value", "true"),             # line 9
    ("financials", "F002", "https://example.org/fin2", "value", "true"),             # line 10
]
DEAL_LINE = {"L01": 2, "L04": 3, "L13": 4}  # deals.csv lines


def write_sources(folder: Path, citations: list[tuple], publishers: list[tuple] = PUBLISHERS) -> Path:
    sources = folder / "sources"
    sources.mkdir(parents=True)
    (sources / "companies.csv").write_bytes((Path(__file__).parents[2] / "data" / "sources" / "companies.csv")
                                            .read_bytes())
    _write(sources / "deals.csv", "deals", [_deal(row) for row in DEALS if row[0] in DEAL_LINE])
    _write(sources / "milestones.csv", "milestones", MILESTONES)
    _write(sources / "financials.csv", "financials", FINANCIALS)
    with open(sources / "citations.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SOURCE_TABLES["citations"].column_names)
        for table, record, url, supports, primary in citations:
            writer.writerow([table, record, url, f"Page about {record}", "2025-11-01", supports, "", primary, ""])
    with open(sources / "publishers.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SOURCE_TABLES["publishers"].column_names)
        writer.writerows([(*p, "") for p in publishers])
    return sources


def problems_of(tmp_path: Path, citations: list[tuple], publishers: list[tuple] = PUBLISHERS) -> list[str]:
    sources = write_sources(tmp_path, citations, publishers)
    _, problems = read_sources(sources)
    return [str(p).replace(f"{sources}/", "") for p in problems]


def test_the_hand_made_sources_pass_and_say_how_each_row_is_backed(tmp_path):
    sources = write_sources(tmp_path, GOOD)
    tables, problems = read_sources(sources)
    assert problems == []
    deals = tables["deals"].sort("deal_id").select("deal_id", "citation_count", "independent_publishers",
                                                   "source_strength", "source_publisher", "source_kind")
    assert deals.rows() == [
        ("L01", 2, 2, "company_or_filing", "Reuters", "major_outlet"),    # OpenAI's own page backs the value
        ("L04", 2, 2, "corroborated", "DigiTimes", "trade_press"),         # trade press + a second publisher agree
        ("L13", 1, 1, "company_or_filing", "OpenAI", "company"),
    ]
    assert tables["deals"].filter(pl.col("deal_id") == "L01")["source_title"].item() == "Page about L01 (Reuters)"


def test_an_unknown_host_is_named(tmp_path):
    bad = [*GOOD[:8], ("financials", "F002", "https://unknown.example/fin2", "value", "true")]
    assert problems_of(tmp_path, bad) == [
        "citations.csv:10:url: the host 'unknown.example' is not in publishers.csv (add it there with its publisher "
        "and kind)"]


def test_a_host_matches_only_whole_labels_from_the_right():
    citations = pl.DataFrame({"url": ["https://apps.digitimes.com/a", "https://digitimes.com.evil.org/b",
                                      "https://WWW.Reuters.com./c", "https://notreuters.com/d"],
                              "record_table": ["deals"] * 4, "record_id": ["L01"] * 4})
    publishers = pl.DataFrame(PUBLISHERS, schema=["host", "publisher", "kind"], orient="row")
    matched = attach_publishers(citations.with_columns(pl.lit(None, pl.String).alias(c) for c in (
        "title", "supports", "first_reported_by", "note")).with_columns(published=pl.lit(None, pl.Date),
                                                                          is_primary=pl.lit(True)), publishers)
    assert matched.select("host", "publisher").rows() == [("digitimes.com", "DigiTimes"), (None, None),
                                                          ("reuters.com", "Reuters"), (None, None)]


def test_a_kind_outside_the_list_is_named(tmp_path):
    publishers = [*PUBLISHERS[:4], ("blog.example", "Some Blog", "blog"), PUBLISHERS[5]]
    problems = problems_of(tmp_path, GOOD, publishers)
    assert problems == ["publishers.csv:6:kind: 'blog' is not one of: company, filing, major_outlet, trade_press, "
                        "aggregator, blog_or_summary"]


def test_a_large_row_with_one_weak_citation_needs_a_reason(tmp_path):
    weak = [("deals", "L01", "https://aggregator.example/l01", "value;date", "true"), *GOOD[2:]]
    (problem,) = problems_of(tmp_path, weak)
    assert problem.startswith(f"deals.csv:{DEAL_LINE['L01']}:single_source_reason: L01 is large enough for the "
                              "source rule")
    assert "1 citation(s) from 1 publisher(s)" in problem


def test_a_reason_lets_a_single_sourced_row_stay(tmp_path):
    weak = [("deals", "L01", "https://aggregator.example/l01", "value;date", "true"), *GOOD[2:]]
    sources = write_sources(tmp_path, weak)
    deals = pl.read_csv(sources / "deals.csv", infer_schema=False)
    deals.with_columns(single_source_reason=pl.when(pl.col("deal_id") == "L01").then(
        pl.lit("Only the aggregator's page is in the stored reports"))).write_csv(sources / "deals.csv")
    tables, problems = read_sources(sources)
    assert problems == []
    assert tables["deals"].filter(pl.col("deal_id") == "L01")["source_strength"].item() == "single_report"


def test_two_citations_from_one_publisher_count_as_one(tmp_path):
    same = [("deals", "L01", "https://www.reuters.com/a", "value", "true"),
            ("deals", "L01", "https://www.reuters.com/b", "value", "false"), *GOOD[2:]]
    problems = problems_of(tmp_path, same)
    assert len(problems) == 1
    assert problems[0].startswith(f"deals.csv:{DEAL_LINE['L01']}:single_source_reason:")
    assert "2 citation(s) from 1 publisher(s)" in problems[0]


def test_two_reports_must_agree_on_the_figure(tmp_path):
    """DigiTimes confirms the value; the second page only the date: not two reports of the figure."""
    disagree = [*GOOD[:2], ("deals", "L04", "https://apps.digitimes.com/x", "value", "true"),
                ("deals", "L04", "https://aggregator.example/y", "date", "false"), *GOOD[4:]]
    assert [p.split(": ")[0] for p in problems_of(tmp_path, disagree)] == [
        f"deals.csv:{DEAL_LINE['L04']}:single_source_reason"]


def test_a_citation_that_points_to_no_row(tmp_path):
    orphan = [*GOOD, ("deals", "L99", "https://openai.com/index/l99", "value", "true")]
    assert problems_of(tmp_path, orphan) == ["citations.csv:11:record_id: 'L99' is not a known deal_id in deals"]


def test_a_row_without_primary_and_a_row_with_two(tmp_path):
    none = [(*GOOD[0][:4], "false"), *GOOD[1:]]
    assert problems_of(tmp_path, none) == [
        f"deals.csv:{DEAL_LINE['L01']}:deal_id: L01 has no primary citation (is_primary) in citations.csv"]
    two = [*GOOD[:2], *GOOD[2:4], ("deals", "L04", "https://www.reuters.com/l04", "value", "true"), *GOOD[4:]]
    assert problems_of(tmp_path / "two", two) == [
        "citations.csv:6:is_primary: a second primary citation of deals L04 (the first is on line 4); a row has "
        "exactly one"]


def test_a_row_without_any_citation(tmp_path):
    assert problems_of(tmp_path, [c for c in GOOD if c[1] != "L13"]) == [
        f"deals.csv:{DEAL_LINE['L13']}:deal_id: L13 has no citation in citations.csv"]


def test_an_aggregator_is_not_primary_when_a_stronger_page_is_cited(tmp_path):
    weak_primary = [*GOOD[:2], ("deals", "L04", "https://apps.digitimes.com/x", "value", "false"),
                    ("deals", "L04", "https://aggregator.example/y", "value;date", "true"), *GOOD[4:]]
    assert problems_of(tmp_path, weak_primary) == [
        "citations.csv:5:is_primary: the primary citation of deals L04 is an aggregator page while a trade press "
        "page is cited (line 4); make the stronger page primary"]


def test_a_primary_citation_needs_its_title_but_may_lack_a_date(tmp_path):
    """A page that shows no date leaves source_date empty rather than borrowing one it does not show."""
    sources = write_sources(tmp_path, GOOD)
    frame = pl.read_csv(sources / "citations.csv", infer_schema=False)
    frame.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(None, pl.String)).otherwise(pl.col("published"))
                       .alias("published")).write_csv(sources / "citations.csv")
    tables, problems = read_sources(sources)
    assert problems == [] and tables["deals"].filter(pl.col("deal_id") == "L01")["source_date"].item() is None
    frame.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(None, pl.String)).otherwise(pl.col("title"))
                       .alias("title")).write_csv(sources / "citations.csv")
    _, problems = read_sources(sources)
    assert [str(p).replace(f"{sources}/", "") for p in problems] == [
        "citations.csv:2:title: a primary citation needs the page's title (its source_title)"]
