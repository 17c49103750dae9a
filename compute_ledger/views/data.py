"""Everything the Data page shows, as values: `data_view(tables, deal_filter, table, search_text, source_kinds)` for
the explorer, the sources and the changelog; `upload_view(tables, name, content)` for a file an analyst uploads.

Sentences here are Markdown, ready to show: every value from the data, the link or an upload (a company's name, the
search, a file's name) is escaped in them by `markdown_text`, so it shows as typed and never as an image or a link.
No Streamlit here.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger.analysis import explore, metrics
from compute_ledger.analysis import sources as source_strength
from compute_ledger.analysis.counting import headline_totals
from compute_ledger.analysis.filters import DealFilter, describe, options_with_names
from compute_ledger.analysis.links import Choice, LinkProblem, Text, link_problems
from compute_ledger.analysis.narrative import markdown_text
from compute_ledger.data import provenance, uploads
from compute_ledger.data.publish import PUBLISHED_URL_PATH
from compute_ledger.data.problems import Problem
from compute_ledger.data.schema import (
    PROVENANCE_TABLE_NAMES, ROW_ID, RULE_DEAL_GW, RULE_DEAL_USD_BN, RULE_MILESTONE_GW, SOURCE_KINDS, TABLE_NAMES,
    column_dictionary,
)

# The explorer's tables: the four of the ledger and the citations and publishers behind their sources.
EXPLORED_TABLES = TABLE_NAMES + PROVENANCE_TABLE_NAMES[:2]
MAX_ROWS_SHOWN = 10_000  # a browser table beyond this is slow to send on every rerun; downloads are complete
DEFAULT_TABLE = "deals"
# The kinds that speak for the fact itself (the company, a regulator, a newsroom with its own reporting).
STRONG_SOURCE_KINDS = ("company", "filing", "major_outlet")
SEARCH_MAX_CHARS = 200


def source_kind_label(kind: str) -> str:
    """'major outlet': the source-kind filter's label, and its value in a link (?data_source_kind=major+outlet)."""
    return kind.replace("_", " ")


def controls_link_problems(params: Mapping[str, str | list[str]]) -> list[LinkProblem]:
    """The link's values the Data page's controls cannot take, each named."""
    return link_problems(params, {
        "data_table": Choice(EXPLORED_TABLES, DEFAULT_TABLE),
        "data_search": Text(SEARCH_MAX_CHARS),
        "data_source_kind": Choice(tuple(source_kind_label(k) for k in SOURCE_KINDS), "every source", many=True),
    })


SOURCE_COLUMNS = ("source_title", "source_publisher", "source_kind", "first_reported_by", "domain", "source_url",
                  "source_date", "rows", "primary_for", "tables")
# The explorer shows who backs a row right after its id, before the row's many other columns.
PROVENANCE_FIRST = ("source_publisher", "source_kind", "citation_count", "first_reported_by")
SINGLE_SOURCED_LISTED = 25
STRENGTH_COLUMNS = {"company_or_filing": "Company or filing", "corroborated": "2+ independent reports",
                    "single_report": "Single report", source_strength.NOT_RECORDED: "Not recorded"}


@dataclass(frozen=True)
class DataView:
    summary: str  # "Data as of … · last checked against the reports … · 40 companies · 76 deals …"
    as_of: dt.date | None  # the newest source date in the data
    checked: dt.date | None  # when the rows were last checked against the published reports (recorded in the data)
    table: str  # the table the explorer shows
    table_missing: str  # why that table cannot be shown ("" when it can)
    rows: pl.DataFrame | None  # every row the filter and search keep, for the downloads
    shown: pl.DataFrame | None  # the first MAX_ROWS_SHOWN of them, for the browser table
    explorer_caption: str  # "28 of 76 deals · filter: … · search: …"
    truncated_caption: str  # "" unless the browser table shows only part of the rows
    no_match: str  # "" unless the filter and search keep no row
    dictionary: pl.DataFrame  # every column's type, unit and meaning
    deal_columns: pl.DataFrame  # the same for the deals table alone: what an upload holds
    source_kinds: tuple[str, ...]  # the kinds the source list is narrowed to (empty: all)
    sources: pl.DataFrame  # every cited source once, with its kind
    sources_heading: str  # "118 sources cited"
    strong_share: float | None  # share of sourced rows citing the company, a filing or a major outlet
    strong_share_sentence: str  # the same, said on the page
    strength: pl.DataFrame  # per headline total: its amount and the share of it each source strength backs
    strength_caption: str  # what the panel shows, and the rule
    single_sourced: pl.DataFrame  # rows the source rule covers that rest on one report, largest first, with why
    single_sourced_heading: str  # "12 large rows rest on a single report"
    conflicts: pl.DataFrame  # where published figures disagree (data/conflicts.csv)
    changelog: str  # the dataset's changelog (Markdown written by the maintainers)
    methodology: str  # how the headline numbers are counted (docs/methodology.md, the README's words)
    published: pl.DataFrame  # per table (table, csv, parquet): its stable addresses
    notebook_example: str  # three lines of Polars that read a published table
    uploads_possible: bool  # the deals and companies tables loaded, so an upload can be checked
    uploads_unavailable: str  # why not, when not
    company_ids: tuple[str, ...]  # the ids an uploaded deal may name
    user_rows: pl.DataFrame | None  # this session's uploaded deals (None: none)
    user_heading: str


def _counts(tables: Mapping[str, pl.DataFrame]) -> str:
    return " · ".join(f"{fmt.count(tables[n].height)} {n}" for n in TABLE_NAMES + ("citations",) if n in tables)


def _summary(tables: Mapping[str, pl.DataFrame], as_of: dt.date | None, checked: dt.date | None) -> str:
    if not tables:
        return "No table could be loaded: the problems above say why. The column dictionary below lists what each file holds."
    return (f"Data as of {fmt.day(as_of)} (the newest source date) · {metrics.checked_words(checked)} · "
            f"{_counts(tables)}. Every row carries its citations: each page's title, address, date, publisher and "
            "kind, one of them its primary.")


def _strength(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None) -> tuple[pl.DataFrame, str]:
    """Each headline total (the Overview's, under the same filter) split by what backs its rows."""
    schema = {"total": pl.String, "amount": pl.String, **dict.fromkeys(STRENGTH_COLUMNS, pl.Float64)}
    if "deals" not in tables:
        return pl.DataFrame(schema=schema), "The deals could not be loaded, so no total can be split by its sources."
    rows = []
    totals = headline_totals(tables["deals"], deal_filter or DealFilter())
    for total, shares in zip(totals, source_strength.strength_shares_of_totals(totals)):
        by = dict(zip(shares["strength"], shares["share"]))
        rows.append({"total": total.label,
                     "amount": fmt.usd_bn(total.value) if total.unit == "usd_bn" else fmt.gw(total.value),
                     **{k: (by[k] * 100 if k in by else None) for k in STRENGTH_COLUMNS}})
    frame = pl.DataFrame(rows, schema=schema)
    if frame[source_strength.NOT_RECORDED].is_null().all():
        frame = frame.drop(source_strength.NOT_RECORDED)
    caption = ("The share of each headline total's dollars (or GW) whose row is backed by a company or filing page, "
               "by two or more reports from different publishers that agree on the figure (at least one a major "
               "outlet or trade press), or by a single report; each line adds up to 100 % (a total of zero shows "
               "0 % everywhere). Same filter as the Overview.")
    return frame, caption


def _single_sourced(tables: Mapping[str, pl.DataFrame]) -> tuple[pl.DataFrame, str]:
    listed = source_strength.single_sourced(tables["deals"], tables.get("milestones")) if "deals" in tables else \
        source_strength.single_sourced(pl.DataFrame(schema={"deal_id": pl.String}))
    rule = (f"deals of USD {RULE_DEAL_USD_BN:g} bn or {RULE_DEAL_GW:g} GW and more, milestones of "
            f"{RULE_MILESTONE_GW:g} GW and more")
    if listed.is_empty():
        return listed, f"Every row the source rule covers ({rule}) has a company or filing page or two agreeing reports."
    return listed.head(SINGLE_SOURCED_LISTED), (
        f"{fmt.count(listed.height)} {'row' if listed.height == 1 else 'rows'} the source rule covers ({rule}) "
        f"{'rests' if listed.height == 1 else 'rest'} on a single report"
        + (f"; the largest {SINGLE_SOURCED_LISTED} are listed" if listed.height > SINGLE_SOURCED_LISTED else "")
        + ": the maintainers' to-do list, each with the reason recorded.")


def _provenance_first(rows: pl.DataFrame, table: str) -> pl.DataFrame:
    """The row's id, then who backs it, then the rest: the citation summary is read before the long descriptions."""
    key = ROW_ID.get(table)
    if key is None or key not in rows.columns:
        return rows
    first = [key, *(c for c in PROVENANCE_FIRST if c in rows.columns)]
    return rows.select(*first, pl.exclude(first))


def _strong_share(tables: Mapping[str, pl.DataFrame]) -> tuple[float | None, str]:
    by_kind = provenance.rows_by_source_kind(tables)
    total = sum(by_kind.values())
    if not total:
        return None, "No sourced rows could be loaded."
    strong = sum(by_kind.get(k, 0) for k in STRONG_SOURCE_KINDS)
    share = strong / total
    rest = ", ".join(f"{source_kind_label(k)} {by_kind[k] / total:.0%}"
                     for k in SOURCE_KINDS if k not in STRONG_SOURCE_KINDS and by_kind.get(k))
    return share, (f"{share:.0%} of rows cite the company, a filing or a major outlet ({fmt.count(strong)} of "
                   f"{fmt.count(total)} sourced rows)" + (f"; the rest cite {rest}" if rest else "") + ". A row's "
                   "source vouches that the figure was reported on a public page, not that the companies confirmed it.")


def _scope(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None) -> str:
    if deal_filter is None or "companies" not in tables:
        return "all rows"
    return describe(deal_filter, options_with_names(tables["companies"]))


def _user_rows(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame | None:
    deals = tables.get("deals")
    if deals is None or "origin" not in deals.columns:
        return None
    mine = deals.filter(pl.col("origin") == uploads.ORIGIN_USER)
    return None if mine.is_empty() else mine


def published_url(app_url: str, file_name: str) -> str:
    """A published table's stable address under the app (the build publishes them: compute_ledger/data/publish.py)."""
    return f"{app_url.rstrip('/')}/{PUBLISHED_URL_PATH}/{file_name}"


def published_links(app_url: str) -> pl.DataFrame:
    """Each table's stable addresses, CSV and Parquet."""
    names = TABLE_NAMES + PROVENANCE_TABLE_NAMES
    return pl.DataFrame({"table": names,
                         "csv": [published_url(app_url, f"{name}.csv") for name in names],
                         "parquet": [published_url(app_url, f"{name}.parquet") for name in names]})


def notebook_example(app_url: str) -> str:
    deals = published_url(app_url, "deals.parquet")
    return (f'import polars as pl\ndeals = pl.read_parquet("{deals}")  # or deals.csv\n'
            'deals.filter(pl.col("layer") == "end_user").group_by("provider_id").agg(pl.col("value_usd_bn").sum())')


def data_view(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None, table: str | None = None,
              search_text: str = "", source_kinds: tuple[str, ...] = (), app_url: str = "https://<app>/") -> DataView:
    """The Data page for the loaded tables (any of them may be missing, all of them too); `app_url` is the app's
    address, for the stable links to the published tables."""
    table = table if table in EXPLORED_TABLES else DEFAULT_TABLE
    text = (search_text or "").strip()
    kinds = tuple(k for k in SOURCE_KINDS if k in (source_kinds or ()))
    as_of = metrics.data_as_of(*tables.values()) if tables else None
    checked = metrics.checked_against_reports(tables)

    rows = shown = None
    table_missing = explorer_caption = truncated_caption = no_match = ""
    if table not in tables:
        table_missing = (f"The {table} table could not be loaded (see the problems above)"
                         + (f"; these did: {', '.join(n for n in EXPLORED_TABLES if n in tables)}." if tables
                            else "."))
    else:
        rows = explore.explorer_rows(table, tables[table], deal_filter, text)
        shown = _provenance_first(rows.head(MAX_ROWS_SHOWN), table)
        explorer_caption = fmt.md(f"{fmt.count(rows.height)} of {fmt.count(tables[table].height)} {table} · filter: "
                                  f"{markdown_text(_scope(tables, deal_filter))}"
                                  + (f" · search: “{markdown_text(text)}”" if text else ""))
        if rows.height > MAX_ROWS_SHOWN:
            truncated_caption = (f"Showing the first {fmt.count(MAX_ROWS_SHOWN)} rows; the downloads hold all "
                                 f"{fmt.count(rows.height)}.")
        if rows.is_empty():
            no_match = "No rows match. Clear the search or the sidebar filters."

    sources = provenance.source_list(tables, kinds).select(SOURCE_COLUMNS)
    noun = "source" if sources.height == 1 else "sources"
    heading = (f"{fmt.count(sources.height)} {noun} cited" if not kinds else
               f"{fmt.count(sources.height)} {noun} of kind {', '.join(source_kind_label(k) for k in kinds)}")
    share, share_sentence = _strong_share(tables)
    strength, strength_caption = _strength(tables, deal_filter)
    single, single_heading = _single_sourced(tables)

    dictionary = column_dictionary()
    uploads_possible = "deals" in tables and "companies" in tables
    user_rows = _user_rows(tables)
    return DataView(
        summary=_summary(tables, as_of, checked),
        as_of=as_of,
        checked=checked,
        table=table,
        table_missing=table_missing,
        rows=rows,
        shown=shown,
        explorer_caption=explorer_caption,
        truncated_caption=truncated_caption,
        no_match=no_match,
        dictionary=dictionary,
        deal_columns=dictionary.filter(pl.col("table") == "deals").drop("table"),
        source_kinds=kinds,
        sources=sources,
        sources_heading=heading,
        strong_share=share,
        strong_share_sentence=share_sentence,
        strength=strength,
        strength_caption=strength_caption,
        single_sourced=single,
        single_sourced_heading=single_heading,
        conflicts=provenance.known_conflicts(),
        changelog=provenance.changelog(),
        methodology=provenance.methodology(),
        published=published_links(app_url),
        notebook_example=notebook_example(app_url),
        uploads_possible=uploads_possible,
        uploads_unavailable="" if uploads_possible else (
            "Uploads need the ledger's deals and companies tables, which could not be loaded."),
        company_ids=tuple(tables["companies"]["company_id"].sort()) if "companies" in tables else (),
        user_rows=user_rows,
        user_heading="" if user_rows is None else f"Your {fmt.count(user_rows.height)} deal(s) in this session",
    )


@dataclass(frozen=True)
class UploadView:
    """What the page says about one uploaded file."""

    heading: str  # the sentence above the problems ("" when there are none)
    problems: tuple[Problem, ...]
    success: str  # "" unless every row passed
    valid: pl.DataFrame | None  # the rows that may join this session
    rejected: pl.DataFrame | None  # row number, deal_id and problems of the others
    merge_label: str  # the button adding every row (clean file)
    merge_valid_label: str  # the button adding the valid rows only ("" when there are none)


def upload_view(tables: Mapping[str, pl.DataFrame], name: str, content: bytes) -> UploadView:
    """Check an uploaded deals file against the loaded ledger (the page checks `uploads_possible` first)."""
    deals = tables["deals"]
    bundled = deals.filter(pl.col("origin") == uploads.ORIGIN_BUNDLED).drop("origin") if "origin" in deals.columns \
        else deals
    check = uploads.check_uploaded_deals(name, content, bundled, tables["companies"])
    problems = tuple(check.problems)
    if not check.readable:
        return UploadView(fmt.md(f"{markdown_text(name)} cannot be used:"), problems, "", None, None, "", "")
    count = check.valid.height
    if check.clean:
        return UploadView("", (), fmt.md(f"{count} deal(s) in {markdown_text(name)} passed every check."), check.valid, None,
                          f"Add {count} deal(s) to my session", "")
    return UploadView(
        fmt.md(f"{len(problems)} problem(s) in {markdown_text(name)}; nothing has been added. Fix the file and upload it "
               "again, or use only the valid rows."), problems, "", check.valid, check.rejected, "",
        f"Use the {count} valid row(s) only; leave out the {check.rejected.height} listed above" if count else "")
