"""The change feed: Atom files of what changed in the ledger, written by the build beside the published tables.

`static/data/feed.xml` holds every change; `feed-<company_id>.xml` the changes of one company (each company that
is a buyer or provider of a deal). An entry is one of:

- a deal added, dated when it was announced, with what it did to the headline totals as it was first recorded
  (its previous status, if it has changed since);
- a deal's status change or a milestone's stage change, from the status history columns (`status_changed`,
  `previous_status`; `stage_changed`, `previous_stage`);
- a correction of a published figure, from `data/sources/corrections.csv` (one row per corrected value: the date
  of the release that corrected it, the row, the column, before and after). The changelog says the same in prose,
  which cannot be parsed reliably; the corrections file is its structured part.

Everything in an entry comes from the data, so a rebuild without changes writes the same bytes: ids are tag URIs
made of the row id, the kind of change and its date, and `updated` is the newest entry's date, never the clock.
The words are the Overview's ("New since …", views/overview.py) and the effect on the totals is the counting
model's own (analysis/news.py). The XML is written by ElementTree, which escapes data text: a company named
`<b>X</b>` arrives in a reader as those characters.
"""
from __future__ import annotations

import datetime as dt
import os
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import polars as pl

from compute_ledger import i18n

from compute_ledger import formatting as fmt
from compute_ledger.analysis import news
from compute_ledger.analysis.filters import DealFilter, options_with_names
from compute_ledger.brief.link import LOCAL_URL, PUBLIC_URL_ENV
from compute_ledger.data.corrections import FILENAME as CORRECTIONS_FILE, ID_COLUMNS, read_corrections, typed
from compute_ledger.data.publish import LICENSE, PUBLISHED_URL_PATH, published_dir, write_files
from compute_ledger.views import overview

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_FILE = "feed.xml"
# Tag URIs (RFC 4151): an authority and a date that never change, whatever address the app is published at.
TAG_PREFIX = "tag:ai-compute-ledger,2026:"
DEAL_ADDED, STATUS_CHANGED, STAGE_CHANGED, CORRECTED = "deal-added", "status-changed", "stage-changed", "corrected"
COLUMN_WORDS = {"value_usd_bn": "value", "capacity_gw": "capacity", "announced": "announcement date",
                "is_estimate": "estimate flag", "date": "date", "status": "status", "stage": "stage"}
MILESTONE_EFFECT = "capacity milestone: not in the deal totals"


def feed_name(company_id: str | None = None) -> str:
    return FEED_FILE if company_id is None else f"feed-{company_id}.xml"


def app_url() -> str:
    """Where the app is published (`LEDGER_PUBLIC_URL`, as for the brief's link), ending in "/"."""
    return (os.environ.get(PUBLIC_URL_ENV) or LOCAL_URL).rstrip("/") + "/"


def feed_url(app: str, company_id: str | None = None) -> str:
    """The address a reader subscribes to: the app's static folder (`/app/static/data/feed.xml`)."""
    return f"{app.rstrip('/')}/{PUBLISHED_URL_PATH}/{feed_name(company_id)}"


@dataclass(frozen=True)
class Entry:
    kind: str  # DEAL_ADDED, STATUS_CHANGED, STAGE_CHANGED or CORRECTED
    row_id: str  # deal_id or milestone_id
    date: dt.date
    title: str  # the Overview's sentence for it
    effect: str  # what it did to the headline totals
    source_title: str
    source_url: str
    companies: tuple[str, ...]  # the ids whose feeds carry it
    detail: str = ""  # for a correction: which column, and a column's id distinguishes two on one day

    @property
    def id(self) -> str:
        return f"{TAG_PREFIX}{self.kind}/{self.row_id}{'/' + self.detail if self.detail else ''}/{self.date.isoformat()}"

    @property
    def summary(self) -> str:
        return (f"{self.title}. Effect on the headline totals: {self.effect}. "
                f"Source: {self.source_title} ({self.source_url}).")

    def link(self, app: str) -> str:
        """The app opened on the row: the profiles of the companies it concerns (a deal's buyer and provider)."""
        return f"{app.rstrip('/')}/company?{urlencode({'id': ','.join(self.companies)}, safe=',')}"


def _deal_entries(deals: pl.DataFrame, deal_filter: DealFilter, label) -> list[Entry]:
    changed = deals.filter(pl.col("previous_status").is_not_null() & pl.col("status_changed").is_not_null())
    first = news.as_first_recorded(deals)
    added = overview.deal_lines(
        first.with_columns(event=pl.lit(news.NEW), event_date=pl.col("announced")),
        news.effect_between(first.clear(), first, deal_filter), deal_filter, label)
    before = news.as_first_recorded(changed)
    moved = overview.deal_lines(
        changed.with_columns(event=pl.lit(news.CHANGED), event_date=pl.col("status_changed")),
        news.effect_between(before, changed, deal_filter), deal_filter, label)
    parties = {row["deal_id"]: tuple(dict.fromkeys((row["buyer_id"], row["provider_id"])))
               for row in deals.select("deal_id", "buyer_id", "provider_id").iter_rows(named=True)}
    return ([_entry(DEAL_ADDED, line, parties[line.record_id]) for line in added]
            + [_entry(STATUS_CHANGED, line, parties[line.record_id]) for line in moved])


def _entry(kind: str, line: overview.NewsLine, companies: tuple[str, ...]) -> Entry:
    return Entry(kind, line.record_id, line.date, line.text, line.effect, line.source_title, line.source_url,
                 companies)


def _milestone_entries(milestones: pl.DataFrame, label) -> list[Entry]:
    changed = (milestones.filter(pl.col("previous_stage").is_not_null() & pl.col("stage_changed").is_not_null())
               .with_columns(event=pl.lit(news.CHANGED), event_date=pl.col("stage_changed")))
    company = dict(milestones.select("milestone_id", "company_id").iter_rows())
    return [_entry(STAGE_CHANGED, line, (company[line.record_id],))
            for line in overview.milestone_lines(changed, label)]


def _shown(column: str, value: str) -> str:
    if column == "value_usd_bn":
        return fmt.usd_bn(float(value))
    if column == "capacity_gw":
        return fmt.gw(float(value))
    return value


def _correction_entries(corrections: pl.DataFrame, tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter,
                        label) -> list[Entry]:
    entries = []
    for fix in corrections.sort("corrected", "row_id", "column").iter_rows(named=True):
        rows = tables[fix["table"]].filter(pl.col(ID_COLUMNS[fix["table"]]) == fix["row_id"])
        row = rows.row(0, named=True)
        what = (f"{COLUMN_WORDS.get(fix['column'], fix['column'])} corrected from {_shown(fix['column'], fix['before'])} "
                f"to {_shown(fix['column'], fix['after'])}" + (f" ({fix['note']})" if fix["note"] else ""))
        if fix["table"] == "deals":
            companies = tuple(dict.fromkeys((row["buyer_id"], row["provider_id"])))
            dtype = rows.schema[fix["column"]]
            before = rows.with_columns(pl.lit(typed(fix["before"], dtype), dtype=dtype).alias(fix["column"]))
            effects = news.effect_between(before, rows, deal_filter).to_dicts()
            reason = rows.select(news.not_counted_reason(deal_filter)).item()
            effect, _ = overview.effect_text(effects, reason)
            title = f"{label(row['buyer_id'])} and {label(row['provider_id'])}: {what}"
        else:
            companies = (row["company_id"],)
            effect, title = MILESTONE_EFFECT, f"{label(row['company_id'])}, {row['site']}: {what}"
        entries.append(Entry(CORRECTED, fix["row_id"], fix["corrected"], title, effect, row["source_title"],
                             row["source_url"], companies, detail=fix["column"]))
    return entries


def changes(tables: Mapping[str, pl.DataFrame], corrections: pl.DataFrame) -> list[Entry]:
    """Every change of the ledger, newest first (ties: by kind, row id and detail, so the order never varies).
    Effects are those of the unfiltered Overview (default firmness tiers, overlapping rows left out)."""
    label = options_with_names(tables["companies"]).label
    deal_filter = DealFilter()
    entries = (_deal_entries(tables["deals"], deal_filter, label) + _milestone_entries(tables["milestones"], label)
               + _correction_entries(corrections, tables, deal_filter, label))
    entries.sort(key=lambda e: (e.kind, e.row_id, e.detail))
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def q(tag: str) -> str:
    """An Atom element's qualified name."""
    return f"{{{ATOM_NS}}}{tag}"


def atom(entries: list[Entry], *, title: str, feed_id: str, self_url: str, page_url: str, app: str) -> bytes:
    """One Atom document (RFC 4287). Every text goes in as text: ElementTree escapes it."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(q("feed"))
    ET.SubElement(feed, q("title")).text = title
    ET.SubElement(feed, q("id")).text = feed_id
    # An empty feed (no change at all) has no newest entry; the epoch keeps the output a function of the data.
    ET.SubElement(feed, q("updated")).text = _timestamp(entries[0].date if entries else dt.date(1970, 1, 1))
    ET.SubElement(feed, q("link"), rel="self", type="application/atom+xml", href=self_url)
    ET.SubElement(feed, q("link"), rel="alternate", type="text/html", href=page_url)
    ET.SubElement(ET.SubElement(feed, q("author")), q("name")).text = "AI Compute Ledger"
    ET.SubElement(feed, q("rights")).text = f"{LICENSE['title']} ({LICENSE['path']})"
    ET.SubElement(feed, q("subtitle")).text = ("Deals added, status and stage changes, and corrections of published "
                                               "figures, with their effect on the headline totals and their source.")
    for entry in entries:
        item = ET.SubElement(feed, q("entry"))
        ET.SubElement(item, q("id")).text = entry.id
        ET.SubElement(item, q("title")).text = entry.title
        ET.SubElement(item, q("updated")).text = _timestamp(entry.date)
        ET.SubElement(item, q("published")).text = _timestamp(entry.date)
        ET.SubElement(item, q("link"), rel="alternate", type="text/html", href=entry.link(app))
        ET.SubElement(item, q("link"), rel="related", href=entry.source_url, title=entry.source_title)
        ET.SubElement(item, q("category"), term=entry.kind)
        ET.SubElement(item, q("summary"), type="text").text = entry.summary
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def feeds(tables: Mapping[str, pl.DataFrame], corrections: pl.DataFrame, app: str) -> dict[str, bytes]:
    """Every feed file by name: the whole ledger's, and one per company that is a party to a deal. In English,
    whatever language the caller runs in: the feeds are published files at fixed addresses, like the tables."""
    with i18n.use_language(i18n.DEFAULT_LANGUAGE):  # the Overview's news sentences, which the entries reuse
        entries = changes(tables, corrections)
    names = dict(tables["companies"].select("company_id", "name").iter_rows())
    files = {FEED_FILE: atom(entries, title="AI Compute Ledger: changes", feed_id=f"{TAG_PREFIX}feed",
                             self_url=feed_url(app), page_url=app, app=app)}
    parties = (pl.concat([tables["deals"]["buyer_id"], tables["deals"]["provider_id"]]).unique().sort().to_list())
    for company_id in parties:
        own = [e for e in entries if company_id in e.companies]
        files[feed_name(company_id)] = atom(
            own, title=f"AI Compute Ledger: changes for {names.get(company_id, company_id)}",
            feed_id=f"{TAG_PREFIX}feed/{company_id}", self_url=feed_url(app, company_id),
            page_url=f"{app.rstrip('/')}/company?{urlencode({'id': company_id})}", app=app)
    return files


def write_feeds(data_dir: Path, tables: Mapping[str, pl.DataFrame]) -> Path:
    """The build's last step: the feeds into the published folder, each written beside its target and moved.
    Feeds of companies no longer party to a deal are removed, so the folder says what the data says."""
    target = published_dir(data_dir)
    target.mkdir(parents=True, exist_ok=True)
    corrections, problems = read_corrections(Path(data_dir) / "sources" / CORRECTIONS_FILE, tables)
    if problems:  # the build checked the file before writing anything; a direct call gets the same answer
        raise ValueError("; ".join(str(p) for p in problems))
    files = feeds(tables, corrections, app_url())
    for stale in target.glob("feed-*.xml"):
        if stale.name not in files:
            stale.unlink()
    write_files(target, files)
    return target
