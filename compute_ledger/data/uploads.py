"""Analysts' own deals: check an uploaded file with the same rules as the CLI, and merge it into one
browser session's ledger (never into the data folder).

Extra rules for uploads: a deal id must not repeat one already in the ledger, and every company id
must already exist (the bundled companies table is the list of names).
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

import polars as pl

from compute_ledger.data.ingest import CSV_FIRST_ROW, PARQUET_FIRST_ROW, coerce, read_csv_text
from compute_ledger.data.problems import NO_COLUMN, NO_ROW, Problem, shorten
from compute_ledger.data.schema import DEALS
from compute_ledger.data.validation import check_references, check_table, sort_problems
from compute_ledger.i18n import t_later

MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
ORIGIN_BUNDLED, ORIGIN_USER = "ledger", "your upload"


@dataclass(frozen=True)
class UploadCheck:
    """What an uploaded deals file holds: every problem, and its rows split into valid and rejected."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    valid: pl.DataFrame | None = None
    rejected: pl.DataFrame | None = None  # row number, the row's deal_id, and its problems

    @property
    def readable(self) -> bool:
        return self.valid is not None

    @property
    def clean(self) -> bool:
        return self.readable and not self.problems


def template_csv() -> bytes:
    """The upload format: the deals table's header, one column per field, ready to fill in."""
    typed = [c.name for c in DEALS.columns if not (c.built and c.may_be_absent)]  # the citation summary is built
    return (",".join(typed) + "\n").encode("utf-8")


def check_uploaded_deals(name: str, content: bytes, ledger_deals: pl.DataFrame,
                         companies: pl.DataFrame) -> UploadCheck:
    if len(content) > MAX_UPLOAD_BYTES:
        return UploadCheck(name, [Problem(name, NO_ROW, NO_COLUMN, t_later(
            "the file is {size} MB; the limit is {limit} MB", size=round(len(content) / 1024 / 1024, 1),
            limit=MAX_UPLOAD_MB))])
    is_csv = not name.lower().endswith(".parquet")
    first_row = CSV_FIRST_ROW if is_csv else PARQUET_FIRST_ROW
    try:
        raw = read_csv_text(content) if is_csv else pl.read_parquet(io.BytesIO(content))
    except Exception as err:  # any parser failure means the same thing to the user: unreadable
        kind = "CSV" if is_csv else "Parquet"  # untranslated: file formats' names
        return UploadCheck(name, [Problem(name, NO_ROW, NO_COLUMN,
                                          t_later("cannot read this as {kind} ({reason})", kind=kind,
                                                  reason=shorten(str(err).splitlines()[0], 120)))])
    if raw.height == 0:
        return UploadCheck(name, [Problem(name, NO_ROW, NO_COLUMN, t_later("the file has no rows"))])
    typed, problems = coerce(DEALS, raw, name, first_row)
    if typed is None:
        return UploadCheck(name, problems)
    problems += check_table(DEALS, typed, name, first_row, frozenset((p.row, p.column) for p in problems))
    everything = pl.concat([ledger_deals.select(typed.columns), typed])
    problems += [p for p in check_references({"deals": everything, "companies": companies},
                                             {"deals": name, "companies": "companies"},
                                             {"deals": first_row - ledger_deals.height, "companies": 1})
                 if p.file == name]
    taken = ledger_deals["deal_id"].implode()
    for index in typed.with_row_index("_row").filter(pl.col("deal_id").is_in(taken))["_row"].to_list():
        problems.append(Problem(name, index + first_row, "deal_id",
                                t_later("'{deal_id}' is already a deal in the ledger; use a new id",
                                        deal_id=typed["deal_id"][index])))
    problems = sort_problems(problems)
    bad_rows = {p.row for p in problems if isinstance(p.row, int)}
    numbered = typed.with_columns(row=pl.int_range(first_row, first_row + typed.height))
    file_level = any(not isinstance(p.row, int) for p in problems)
    # The rejected rows' table is made for this reader (an upload is checked on the run that shows it): their language.
    messages = pl.DataFrame([(p.row, f"{p.column}: {p.said()}") for p in problems if isinstance(p.row, int)],
                            schema={"row": pl.Int64, "problem": pl.String}, orient="row")
    rejected = (numbered.filter(pl.col("row").is_in(list(bad_rows))).select("row", "deal_id")
                .join(messages.group_by("row").agg(pl.col("problem").str.join("; ")), on="row", how="left")
                .sort("row"))
    valid = typed.head(0) if file_level else numbered.filter(~pl.col("row").is_in(list(bad_rows))).drop("row")
    return UploadCheck(name, problems, valid, rejected)


def merge_user_deals(deals: pl.DataFrame, user_deals: pl.DataFrame | None) -> pl.DataFrame:
    """The ledger's deals plus this session's uploaded ones, each marked by `origin`."""
    merged = deals if "origin" in deals.columns else deals.with_columns(origin=pl.lit(ORIGIN_BUNDLED))
    if user_deals is None or user_deals.is_empty():
        return merged
    own = user_deals.select(c for c in merged.columns if c != "origin").with_columns(origin=pl.lit(ORIGIN_USER))
    return pl.concat([merged, own])
