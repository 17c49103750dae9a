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
from babel.numbers import format_decimal

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.analysis import explore, metrics
from compute_ledger.analysis import sources as source_strength
from compute_ledger.analysis.counting import headline_totals
from compute_ledger.analysis.filters import DealFilter, describe, options_with_names
from compute_ledger.analysis.links import Choice, LinkProblem, Text, link_problems
from compute_ledger.data import provenance, uploads
from compute_ledger.data.publish import PUBLISHED_URL_PATH
from compute_ledger.data.problems import Problem
from compute_ledger.data.schema import (
    PROVENANCE_TABLE_NAMES, ROW_ID, RULE_DEAL_GW, RULE_DEAL_USD_BN, RULE_MILESTONE_GW, SOURCE_KINDS, TABLE_NAMES,
    column_dictionary,
)
from compute_ledger.i18n import t, tn

# The explorer's tables: the four of the ledger and the citations and publishers behind their sources.
EXPLORED_TABLES = TABLE_NAMES + PROVENANCE_TABLE_NAMES[:2]
MAX_ROWS_SHOWN = 10_000  # a browser table beyond this is slow to send on every rerun; downloads are complete
DEFAULT_TABLE = "deals"
# The kinds that speak for the fact itself (the company, a regulator, a newsroom with its own reporting).
STRONG_SOURCE_KINDS = ("company", "filing", "major_outlet")
SEARCH_MAX_CHARS = 200


def source_kind_label(kind: str) -> str:
    """'major outlet': the source-kind filter's label, and its value in a link (?data_source_kind=major+outlet);
    in the reader's language (German 'großes Medium')."""
    return fmt.word(kind)


def table_label(table: str) -> str:
    """A table's name as the explorer's control shows it (and writes it in the link), in the reader's language; the
    table itself (its file, its downloads) keeps its name."""
    return {"companies": t("companies"), "deals": t("deals"), "milestones": t("milestones"),
            "financials": t("financials"), "citations": t("citations"), "publishers": t("publishers")}.get(table, table)


# The page's controls whose link value is a label (Streamlit's binding writes what the control shows): param ->
# (the values, the label of a value). A link written in one language opens in the other (`binding_form`).
LABELLED_CONTROLS = {"data_table": (EXPLORED_TABLES, table_label),
                     "data_source_kind": (SOURCE_KINDS, source_kind_label)}


def _by_label(param: str) -> dict[str, str]:
    """label (in every language) or value -> value, for one of LABELLED_CONTROLS."""
    values, label = LABELLED_CONTROLS[param]
    return {v: v for v in values} | i18n.labels_in_every_language(lambda: {v: label(v) for v in values})


def binding_form(params: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The link's labelled controls in the reader's language (`status=major outlet` -> `großes Medium` in German), so
    that the binding finds them; values it does not know are left as they are (`controls_link_problems` names
    them)."""
    wanted = {}
    for param, (_, label) in LABELLED_CONTROLS.items():
        by_label = _by_label(param)
        wanted[param] = [label(by_label[v]) if v in by_label else v for v in params.get(param, [])]
    return wanted


def controls_link_problems(params: Mapping[str, str | list[str]]) -> list[LinkProblem]:
    """The link's values the Data page's controls cannot take, each named (a label of any language is taken, and
    the labels of the reader's language are the ones named)."""
    as_lists = {key: [value] if isinstance(value, str) else list(value) for key, value in params.items()}
    said = {**params, **{key: values for key, values in binding_form(as_lists).items() if values}}
    return link_problems(said, {
        "data_table": Choice(tuple(map(table_label, EXPLORED_TABLES)), table_label(DEFAULT_TABLE)),
        "data_search": Text(SEARCH_MAX_CHARS),
        "data_source_kind": Choice(tuple(map(source_kind_label, SOURCE_KINDS)), t("every source"), many=True),
    })


SOURCE_COLUMNS = ("source_title", "source_publisher", "source_kind", "first_reported_by", "domain", "source_url",
                  "source_date", "rows", "primary_for", "tables")
# The explorer shows who backs a row right after its id, before the row's many other columns.
PROVENANCE_FIRST = ("source_publisher", "source_kind", "citation_count", "first_reported_by")
SINGLE_SOURCED_LISTED = 25
STRENGTH_COLUMNS = ("company_or_filing", "corroborated", "single_report", source_strength.NOT_RECORDED)


def strength_labels() -> dict[str, str]:
    """The Source strength panel's share columns: their headers, in the reader's language."""
    return {"company_or_filing": t("Company or filing"), "corroborated": t("2+ independent reports"),
            "single_report": t("Single report"), source_strength.NOT_RECORDED: t("Not recorded")}


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


def _rows_of(table: str, rows: int) -> str:
    """'76 deals': how many rows a table has (the table's name as the reader reads it)."""
    n = fmt.count(rows)
    return {"companies": t("{n} companies", n=n), "deals": t("{n} deals", n=n),
            "milestones": t("{n} milestones", n=n), "financials": t("{n} financials", n=n),
            "citations": t("{n} citations", n=n), "publishers": t("{n} publishers", n=n)}.get(table, f"{n} {table}")


def _counts(tables: Mapping[str, pl.DataFrame]) -> str:
    return " · ".join(_rows_of(n, tables[n].height) for n in TABLE_NAMES + ("citations",) if n in tables)


def _summary(tables: Mapping[str, pl.DataFrame], as_of: dt.date | None, checked: dt.date | None) -> str:
    if not tables:
        return t("No table could be loaded: the problems above say why. The column dictionary below lists what each "
                 "file holds.")
    return t("Data as of {date} (the newest source date) · {checked} · {counts}. Every row carries its citations: each "
             "page's title, address, date, publisher and kind, one of them its primary.",
             date=fmt.day(as_of), checked=metrics.checked_words(checked), counts=_counts(tables))


def _strength(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None) -> tuple[pl.DataFrame, str]:
    """Each headline total (the Overview's, under the same filter) split by what backs its rows."""
    schema = {"total": pl.String, "amount": pl.String, **dict.fromkeys(STRENGTH_COLUMNS, pl.Float64)}
    if "deals" not in tables:
        return pl.DataFrame(schema=schema), t("The deals could not be loaded, so no total can be split by its sources.")
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
    if i18n.language() == "de":  # the German table lets the browser write the number: one decimal, as English shows
        frame = frame.with_columns(pl.col(pl.Float64).round(1))
    caption = t("The share of each headline total's dollars (or GW) whose row is backed by a company or filing page, "
                "by two or more reports from different publishers that agree on the figure (at least one a major "
                "outlet or trade press), or by a single report; each line adds up to 100 % (a total of zero shows "
                "0 % everywhere). Same filter as the Overview.")
    return frame, caption


def _single_sourced(tables: Mapping[str, pl.DataFrame]) -> tuple[pl.DataFrame, str]:
    listed = source_strength.single_sourced(tables["deals"], tables.get("milestones")) if "deals" in tables else \
        source_strength.single_sourced(pl.DataFrame(schema={"deal_id": pl.String}))
    def number(value: float) -> str:  # the rule's thresholds as written in the reader's language: 10, 1,5
        return format_decimal(value, locale=i18n.locale())

    rule = t("deals of USD {usd} bn or {gw} GW and more, milestones of {milestone_gw} GW and more",
             usd=number(RULE_DEAL_USD_BN), gw=number(RULE_DEAL_GW), milestone_gw=number(RULE_MILESTONE_GW))
    if listed.is_empty():
        return listed, t("Every row the source rule covers ({rule}) has a company or filing page or two agreeing "
                         "reports.", rule=rule)
    if listed.height > SINGLE_SOURCED_LISTED:
        return listed.head(SINGLE_SOURCED_LISTED), t(
            "{n} rows the source rule covers ({rule}) rest on a single report; the largest {listed} are listed: the "
            "maintainers' to-do list, each with the reason recorded.",
            n=fmt.count(listed.height), rule=rule, listed=fmt.count(SINGLE_SOURCED_LISTED))
    return listed, tn("{n} row the source rule covers ({rule}) rests on a single report: the maintainers' to-do "
                      "list, each with the reason recorded.",
                      "{n} rows the source rule covers ({rule}) rest on a single report: the maintainers' to-do "
                      "list, each with the reason recorded.", listed.height, n=fmt.count(listed.height), rule=rule)


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
        return None, t("No sourced rows could be loaded.")
    strong = sum(by_kind.get(k, 0) for k in STRONG_SOURCE_KINDS)
    share = strong / total
    rest = ", ".join(f"{source_kind_label(k)} {fmt.percent(by_kind[k] / total)}"
                     for k in SOURCE_KINDS if k not in STRONG_SOURCE_KINDS and by_kind.get(k))
    values = {"share": fmt.percent(share), "strong": fmt.count(strong), "total": fmt.count(total)}
    if rest:
        return share, t("{share} of rows cite the company, a filing or a major outlet ({strong} of {total} sourced "
                        "rows); the rest cite {rest}. A row's source vouches that the figure was reported on a public "
                        "page, not that the companies confirmed it.", rest=rest, **values)
    return share, t("{share} of rows cite the company, a filing or a major outlet ({strong} of {total} sourced rows). "
                    "A row's source vouches that the figure was reported on a public page, not that the companies "
                    "confirmed it.", **values)


def _scope(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter | None) -> str:
    if deal_filter is None or "companies" not in tables:
        return t("all rows")
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
    # untranslated: Python code for a notebook (the published tables' English column names and values)
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
        table_missing = (t("The {table} table could not be loaded (see the problems above); these did: {tables}.",
                           table=table_label(table), tables=", ".join(table_label(n) for n in EXPLORED_TABLES
                                                                      if n in tables)) if tables else
                         t("The {table} table could not be loaded (see the problems above).", table=table_label(table)))
    else:
        rows = explore.explorer_rows(table, tables[table], deal_filter, text)
        shown = _provenance_first(rows.head(MAX_ROWS_SHOWN), table)
        counted = {"n": fmt.count(rows.height), "rows": _rows_of(table, tables[table].height),
                   "scope": _scope(tables, deal_filter)}
        explorer_caption = (fmt.markdown(t("{n} of {rows} · filter: {scope} · search: “{search}”"), search=text,
                                         **counted) if text else
                            fmt.markdown(t("{n} of {rows} · filter: {scope}"), **counted))
        if rows.height > MAX_ROWS_SHOWN:
            truncated_caption = t("Showing the first {shown} rows; the downloads hold all {n}.",
                                  shown=fmt.count(MAX_ROWS_SHOWN), n=fmt.count(rows.height))
        if rows.is_empty():
            no_match = t("No rows match. Clear the search or the sidebar filters.")

    sources = provenance.source_list(tables, kinds).select(SOURCE_COLUMNS)
    heading = (tn("{n} source cited", "{n} sources cited", sources.height, n=fmt.count(sources.height)) if not kinds
               else tn("{n} source of kind {kinds}", "{n} sources of kind {kinds}", sources.height,
                       n=fmt.count(sources.height), kinds=", ".join(source_kind_label(k) for k in kinds)))
    share, share_sentence = _strong_share(tables)
    strength, strength_caption = _strength(tables, deal_filter)
    single, single_heading = _single_sourced(tables)

    dictionary = column_dictionary(in_language=True)
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
        methodology=provenance.methodology(i18n.language()),
        published=published_links(app_url),
        notebook_example=notebook_example(app_url),
        uploads_possible=uploads_possible,
        uploads_unavailable="" if uploads_possible else (
            t("Uploads need the ledger's deals and companies tables, which could not be loaded.")),
        company_ids=tuple(tables["companies"]["company_id"].sort()) if "companies" in tables else (),
        user_rows=user_rows,
        user_heading="" if user_rows is None else tn("Your {n} deal(s) in this session", "Your {n} deal(s) in this session",
                                                     user_rows.height, n=fmt.count(user_rows.height)),
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
        return UploadView(fmt.markdown(t("{name} cannot be used:"), name=name), problems, "", None, None, "", "")
    count = check.valid.height
    n = fmt.count(count)
    if check.clean:
        return UploadView("", (), fmt.markdown(tn("{n} deal(s) in {name} passed every check.",
                                                  "{n} deal(s) in {name} passed every check.", count, n=n, name="{name}"),
                                               name=name),
                          check.valid, None, tn("Add {n} deal(s) to my session", "Add {n} deal(s) to my session",
                                                count, n=n), "")
    return UploadView(
        fmt.markdown(tn("{n} problem(s) in {name}; nothing has been added. Fix the file and upload it again, or use "
                        "only the valid rows.", "{n} problem(s) in {name}; nothing has been added. Fix the file and "
                        "upload it again, or use only the valid rows.", len(problems), n=fmt.count(len(problems)),
                        name="{name}"), name=name), problems, "", check.valid, check.rejected, "",
        tn("Use the {n} valid row(s) only; leave out the {rejected} listed above",
           "Use the {n} valid row(s) only; leave out the {rejected} listed above", count, n=n,
           rejected=fmt.count(check.rejected.height)) if count else "")
