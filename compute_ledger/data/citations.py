"""Several citations per row, publishers judged once (issue 25): match each cited page to its publisher, check the
source rule, and derive the columns the published rows carry (source_*, citation_count, first_reported_by...).

`data/sources/` holds the rows without source columns, `citations.csv` (one page per line, one primary per row) and
`publishers.csv` (host -> publisher, kind). `read_sources` reads and checks them all and returns the tables as the
app reads them: each row with the source_* columns of its primary citation, so links, downloads and notebooks
written against the one-source layout keep working.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import polars as pl

from compute_ledger.data.load import read_tables
from compute_ledger.data.problems import Problem, shorten
from compute_ledger.data.validation import sort_problems
from compute_ledger.data.schema import (
    CITED_TABLE_NAMES, FIRST_HAND_KINDS, REPORTING_KINDS, ROW_ID, RULE_DEAL_GW, RULE_DEAL_USD_BN, RULE_MILESTONE_GW,
    SOURCE_TABLE_NAMES, SOURCE_TABLES, TABLES, WEAK_KINDS,
)

HOST_PATTERN = r"^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#@]+)"
BUILT_CITATION_COLUMNS = tuple(c.name for c in TABLES["citations"].columns if c.built)


def host_of(url: pl.Expr) -> pl.Expr:
    """The address's host, lowercase, without a leading www. (the registry's key)."""
    return url.str.extract(HOST_PATTERN).str.to_lowercase().str.strip_suffix(".").str.replace(r"^www\.", "")


def attach_publishers(citations: pl.DataFrame, publishers: pl.DataFrame) -> pl.DataFrame:
    """Each citation with its host and, by the longest registered suffix of that host, its publisher and kind
    (empty when no suffix is registered). `apps.digitimes.com` matches `digitimes.com`; `digitimes.com.evil.org`
    does not, as only whole labels from the right are tried. Order kept."""
    base = citations.select(pl.exclude(*BUILT_CITATION_COLUMNS)).with_row_index("_row")
    labels = (base.select("_row", _host=host_of(pl.col("url")))
              .with_columns(_parts=pl.col("_host").str.split("."))
              .with_columns(_start=pl.int_ranges(0, pl.col("_parts").list.len()))
              .explode("_start")
              .with_columns(_suffix=pl.col("_parts").list.slice(pl.col("_start")).list.join("."))
              .join(publishers.select(_suffix="host", publisher="publisher", kind="kind"), on="_suffix", how="inner")
              .sort("_row", "_start")
              .group_by("_row").agg(host=pl.col("_suffix").first(), publisher=pl.col("publisher").first(),
                                    kind=pl.col("kind").first()))
    return (base.join(labels, on="_row", how="left").sort("_row").drop("_row")
            .with_columns([pl.when(pl.col("record_table") == table).then(pl.col("record_id")).alias(ROW_ID[table])
                           for table in CITED_TABLE_NAMES])
            .select(TABLES["citations"].column_names))


def _figure(table: str) -> pl.Expr:
    """The support a citation must list to agree on the row's figure: its value, or its capacity when it has no
    value (a row with neither: any citation agrees)."""
    if table == "milestones":
        return pl.when(pl.col("capacity_gw").is_not_null()).then(pl.lit("capacity"))
    if table == "financials":
        return pl.lit("value")
    return (pl.when(pl.col("value_usd_bn").is_not_null()).then(pl.lit("value"))
            .when(pl.col("capacity_gw").is_not_null()).then(pl.lit("capacity")))


def covered_by_rule(table: str) -> pl.Expr:
    """Rows the source rule covers: deals of USD 10 bn or 1 GW and more, milestones of 1 GW and more."""
    if table == "deals":
        return (pl.col("value_usd_bn") >= RULE_DEAL_USD_BN).fill_null(False) | (
            pl.col("capacity_gw") >= RULE_DEAL_GW).fill_null(False)
    if table == "milestones":
        return (pl.col("capacity_gw") >= RULE_MILESTONE_GW).fill_null(False)
    return pl.lit(False)


def row_summary(table: str, rows: pl.DataFrame, citations: pl.DataFrame) -> pl.DataFrame:
    """Per row id: citation count, independent publishers, the primary's source_* fields, first reporter and the
    source strength. `citations` carry publisher and kind (attach_publishers)."""
    key = ROW_ID[table]
    figures = rows.select(record_id=pl.col(key), _figure=_figure(table))
    mine = (citations.filter(pl.col("record_table") == table)
            .join(figures, on="record_id", how="inner")
            .with_columns(_agrees=pl.col("_figure").is_null()
                          | pl.col("supports").str.split(";").list.contains(pl.col("_figure"))))
    agreeing = pl.col("_agrees")
    return mine.group_by("record_id").agg(
        citation_count=pl.len().cast(pl.Int64),
        independent_publishers=pl.col("publisher").drop_nulls().n_unique().cast(pl.Int64),
        _first_hand=(agreeing & pl.col("kind").is_in(FIRST_HAND_KINDS)).any(),
        _agreeing_publishers=pl.col("publisher").filter(agreeing).drop_nulls().n_unique(),
        _reporting=(agreeing & pl.col("kind").is_in(REPORTING_KINDS)).any(),
        source_title=(pl.col("title") + " (" + pl.col("publisher") + ")").filter(pl.col("is_primary")).first(),
        source_url=pl.col("url").filter(pl.col("is_primary")).first(),
        source_date=pl.col("published").filter(pl.col("is_primary")).first(),
        source_kind=pl.col("kind").filter(pl.col("is_primary")).first(),
        source_publisher=pl.col("publisher").filter(pl.col("is_primary")).first(),
        first_reported_by=pl.coalesce("first_reported_by", "publisher").filter(pl.col("is_primary")).first(),
    ).with_columns(
        source_strength=pl.when(pl.col("_first_hand")).then(pl.lit("company_or_filing"))
        .when((pl.col("_agreeing_publishers") >= 2) & pl.col("_reporting")).then(pl.lit("corroborated"))
        .otherwise(pl.lit("single_report"))
    ).drop("_first_hand", "_agreeing_publishers", "_reporting")


def published_rows(table: str, rows: pl.DataFrame, citations: pl.DataFrame) -> pl.DataFrame:
    """The rows as published: their own columns plus those built from their citations, in the schema's order."""
    summary = row_summary(table, rows, citations).rename({"record_id": ROW_ID[table]})
    return (rows.with_row_index("_order").join(summary, on=ROW_ID[table], how="left").sort("_order")
            .select(TABLES[table].column_names))


def check_citations(rows: Mapping[str, pl.DataFrame], citations: pl.DataFrame, files: Mapping[str, str],
                    first_rows: Mapping[str, int]) -> list[Problem]:
    """The rules across rows, citations and publishers, each a Problem at FILE:ROW:COLUMN:
    unknown host; a citation to no row; a row without citation, without primary or with two; a covered row that
    meets neither half of the source rule and gives no single_source_reason; a weak primary beside a stronger page.
    `citations` carry publisher and kind (attach_publishers); `rows` are the cited tables that read cleanly."""
    problems: list[Problem] = []
    cite_file, cite_first = files["citations"], first_rows["citations"]
    numbered = citations.with_row_index("_row").with_columns(_line=pl.col("_row") + cite_first)
    unknown = numbered.filter(pl.col("publisher").is_null()).select("_line", host_of(pl.col("url")))
    for line, host in unknown.iter_rows():
        problems.append(Problem(cite_file, line, "url", f"the host '{shorten(host)}' is not in publishers.csv "
                                                         "(add it there with its publisher and kind)"))
    for table in CITED_TABLE_NAMES:
        if table not in rows:
            continue
        key, frame = ROW_ID[table], rows[table]
        mine = numbered.filter(pl.col("record_table") == table)
        known = frame[key].implode()
        for line, record in mine.filter(~pl.col("record_id").is_in(known)).select("_line", "record_id").iter_rows():
            problems.append(Problem(cite_file, line, "record_id",
                                    f"'{shorten(record)}' is not a known {key} in {table}"))
        # Two primaries: each one after the first is reported where it stands.
        primaries = mine.filter(pl.col("is_primary")).sort("_row")
        firsts = primaries.group_by("record_id").agg(pl.col("_line").min().alias("_first"))
        for line, record, first in (primaries.join(firsts, on="record_id").filter(pl.col("_line") != pl.col("_first"))
                                    .select("_line", "record_id", "_first").sort("_line").iter_rows()):
            problems.append(Problem(cite_file, line, "is_primary",
                                    f"a second primary citation of {table} {shorten(record)} (the first is on line "
                                    f"{first}); a row has exactly one"))
        # A weak primary while a stronger page of the same row is cited.
        # Only a page that can be primary counts (it has its title).
        stronger = (mine.filter(~pl.col("kind").is_in(WEAK_KINDS) & pl.col("kind").is_not_null()
                                & pl.col("title").is_not_null())
                    .group_by("record_id").agg(pl.col("_line").min().alias("_better"), pl.col("kind").first()))
        for line, record, kind, better, better_kind in (
                primaries.filter(pl.col("kind").is_in(WEAK_KINDS)).join(stronger, on="record_id", suffix="_b")
                .select("_line", "record_id", "kind", "_better", "kind_b").sort("_line").iter_rows()):
            problems.append(Problem(cite_file, line, "is_primary",
                                    f"the primary citation of {table} {shorten(record)} is an {kind.replace('_', ' ')} "
                                    f"page while a {better_kind.replace('_', ' ')} page is cited (line {better}); "
                                    "make the stronger page primary"))
        counts = mine.group_by("record_id").agg(_n=pl.len(), _primaries=pl.col("is_primary").sum())
        summary = row_summary(table, frame, citations)
        checked = (frame.with_row_index("_row").with_columns(_line=pl.col("_row") + first_rows[table],
                                                             _covered=covered_by_rule(table))
                   .join(counts.rename({"record_id": key}), on=key, how="left")
                   .join(summary.select(pl.col("record_id").alias(key), "source_strength", "citation_count",
                                        "independent_publishers"), on=key, how="left")
                   .sort("_row"))
        for line, record in checked.filter(pl.col("_n").is_null()).select("_line", key).iter_rows():
            problems.append(Problem(files[table], line, key, f"{shorten(record)} has no citation in citations.csv"))
        for line, record in checked.filter(pl.col("_primaries") == 0).select("_line", key).iter_rows():
            problems.append(Problem(files[table], line, key,
                                    f"{shorten(record)} has no primary citation (is_primary) in citations.csv"))
        weak = checked.filter(pl.col("_covered") & (pl.col("source_strength") == "single_report")
                              & pl.col("single_source_reason").is_null())
        for line, record, n, publishers in weak.select("_line", key, "citation_count",
                                                       "independent_publishers").iter_rows():
            problems.append(Problem(
                files[table], line, "single_source_reason",
                f"{shorten(record)} is large enough for the source rule but has no company or filing citation and no "
                f"two agreeing reports from different publishers (one a major outlet or trade press): {n} "
                f"citation(s) from {publishers} publisher(s). Cite more, or say why in single_source_reason"))
    return problems


def source_uris(sources_dir: Path) -> dict[str, str]:
    return {name: str(Path(sources_dir) / f"{name}.csv") for name in SOURCE_TABLE_NAMES}


def read_sources(sources_dir: Path) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    """Read and check data/sources/ (rows, citations, publishers, dataset); return the tables as published (the rows
    with their source_* columns built from their primary citation) and every problem. Tables with problems, and rows
    tables whose citations could not be read, are left out."""
    uris = source_uris(sources_dir)
    typed, problems = read_tables(uris, specs=SOURCE_TABLES)
    first_rows = dict.fromkeys(uris, 2)
    if "citations" not in typed or "publishers" not in typed:
        return {n: f for n, f in typed.items() if n not in CITED_TABLE_NAMES}, problems
    citations = attach_publishers(typed["citations"], typed["publishers"])
    cited = {n: typed[n] for n in CITED_TABLE_NAMES if n in typed}
    found = check_citations(cited, citations, uris, first_rows)
    problems = sort_problems(problems + found)
    broken = {name for name, uri in uris.items() if any(p.file == uri for p in found)}
    tables = {n: typed[n] for n in ("companies", "publishers", "dataset") if n in typed}
    if "citations" not in broken:
        tables["citations"] = citations
    for name, frame in cited.items():
        if name not in broken:
            tables[name] = published_rows(name, frame, citations)
    return tables, problems
