"""'Report a problem' with a row: a link to a prefilled new-issue page of the project's repository.

The address is `LEDGER_FEEDBACK_URL` (e.g. `https://github.com/<owner>/<repo>/issues/new`), read by the app; the
issue's title names the row (its id), its body lists the row's values and its source, one per line, so a reader
reports a wrong row in two clicks and the maintainer finds it without asking back. Pure Python, no Streamlit.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode, urlsplit

import polars as pl

from compute_ledger.data.problems import shorten
from compute_ledger.data.schema import TABLES
from compute_ledger.i18n import t

FEEDBACK_URL_ENV = "LEDGER_FEEDBACK_URL"
# What names a row, most specific first: a table's key (financials' is several columns).
ID_COLUMNS = ("deal_id", "milestone_id")
FINANCIALS_KEY = ("company_id", "year", "metric", "period")
SOURCE_COLUMNS = ("source_title", "source_url", "source_date", "source_kind")
MAX_VALUE_CHARS = 300  # a browser's address stays well under the ~8,000 characters GitHub accepts


def feedback_base(raw: str | None) -> str | None:
    """The configured new-issue address if it is an http(s) address, else None (no links)."""
    raw = (raw or "").strip()
    parts = urlsplit(raw)
    return raw if parts.scheme in ("http", "https") and parts.netloc else None


def _text(value: object) -> str:
    if value is None:
        return t("(empty)")
    if isinstance(value, dt.date):
        return value.isoformat()
    return shorten(value, MAX_VALUE_CHARS)


def row_label(row: Mapping[str, object]) -> str:
    """The row's id: a deal or milestone id, else a financial figure's key, else the company id."""
    for column in ID_COLUMNS:
        if row.get(column):
            return str(row[column])
    if all(c in row for c in FINANCIALS_KEY):
        return " ".join(_text(row[c]) for c in FINANCIALS_KEY)
    return str(row.get(TABLES["companies"].key[0]) or t("row"))


def issue_url(base: str, row: Mapping[str, object], shown: Sequence[str]) -> str:
    """A new-issue link for one row: the title with its id, the body with the values shown and the source."""
    label = row_label(row)
    columns = list(dict.fromkeys([*(c for c in (*ID_COLUMNS, *shown) if c in row), *(c for c in SOURCE_COLUMNS if c in row)]))
    # The issue is written in the reader's language (the reader fills it in); the columns keep the data's names.
    body = "\n".join([t("Problem with ledger row {label}.", label=label), "",
                      t("What is wrong (and a source that says so):"), "", "", t("The row as the ledger shows it:"),
                      *(f"- {c}: {_text(row[c])}" for c in columns)])
    separator = "&" if "?" in base else "?"
    return base + separator + urlencode({"title": t("Data problem: {label}", label=label), "body": body})


def report_links(rows: pl.DataFrame, shown: Sequence[str], base: str) -> pl.Series:
    """One new-issue link per row (the rows a table shows: at most a few thousand)."""
    return pl.Series("report", [issue_url(base, row, shown) for row in rows.iter_rows(named=True)], dtype=pl.String)
