"""The shared deal filter and its URL form.

URL contract (kept exactly, so shared links keep working): `provider`, `buyer`, `deal_type`, `status`
take comma-separated ids; `from`, `to` take YYYY-MM-DD; `overlaps=include` shows rows that repeat
other rows. Unknown ids and malformed dates are dropped with a warning that names them.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from compute_ledger.problems import shorten

QP_PROVIDER, QP_BUYER, QP_DEAL_TYPE, QP_STATUS = "provider", "buyer", "deal_type", "status"
QP_FROM, QP_TO, QP_OVERLAPS = "from", "to", "overlaps"
FILTER_PARAMS = (QP_PROVIDER, QP_BUYER, QP_DEAL_TYPE, QP_STATUS, QP_FROM, QP_TO, QP_OVERLAPS)
OVERLAPS_ON = "include"
MAX_NAMED_IN_WARNING = 5


@dataclass(frozen=True)
class DealFilter:
    providers: tuple[str, ...] = ()
    buyers: tuple[str, ...] = ()
    deal_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    include_overlaps: bool = False


@dataclass(frozen=True)
class FilterOptions:
    """The ids a link may name; anything else is reported and ignored."""

    providers: tuple[str, ...] = ()
    buyers: tuple[str, ...] = ()
    deal_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)

    def label(self, company_id: str) -> str:
        return self.names.get(company_id, company_id)


def filter_options(deals: pl.DataFrame, companies: pl.DataFrame, deal_types: Sequence[str],
                   statuses: Sequence[str]) -> FilterOptions:
    names = dict(companies.select("company_id", "name").iter_rows())

    def by_name(column: str) -> tuple[str, ...]:
        ids = deals.get_column(column).unique().to_list()
        return tuple(sorted(ids, key=lambda i: names.get(i, i).lower()))

    return FilterOptions(by_name("provider_id"), by_name("buyer_id"), tuple(deal_types), tuple(statuses), names)


def merge_options(first: FilterOptions, second: FilterOptions) -> FilterOptions:
    """The ids either offers, still in display-name order."""
    names = {**first.names, **second.names}

    def union(a: Sequence[str], b: Sequence[str]) -> tuple[str, ...]:
        return tuple(sorted(set(a) | set(b), key=lambda i: names.get(i, i).lower()))

    return FilterOptions(union(first.providers, second.providers), union(first.buyers, second.buyers),
                         first.deal_types, first.statuses, names)


def _split(values: str | Iterable[str] | None) -> list[str]:
    if values is None:
        return []
    items = [values] if isinstance(values, str) else list(values)
    seen: dict[str, None] = {}
    for item in items:
        for part in item.split(","):
            if part.strip():
                seen[part.strip()] = None
    return list(seen)


def _named(values: Sequence[str]) -> str:
    shown = ", ".join(f"'{shorten(v, 40)}'" for v in values[:MAX_NAMED_IN_WARNING])
    more = len(values) - MAX_NAMED_IN_WARNING
    return shown + (f" and {more} more" if more > 0 else "")


def _parse_date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw and len(raw) == 10 else None
    except ValueError:
        return None


def parse_query_params(params: Mapping[str, str | Sequence[str]], options: FilterOptions) -> tuple[DealFilter, list[str]]:
    """Read a shared link's filter; return the filter and one plain-language warning per thing ignored."""
    warnings: list[str] = []

    def ids(param: str, known: Sequence[str], what: str) -> tuple[str, ...]:
        wanted = _split(params.get(param))
        unknown = [v for v in wanted if v not in known]
        if unknown:
            warnings.append(f"The link names unknown {what} {_named(unknown)}; ignored.")
        return tuple(v for v in wanted if v in known)

    def last(param: str) -> str | None:
        value = params.get(param)
        if value is None or isinstance(value, str):
            return value
        return value[-1] if value else None

    def date(param: str) -> dt.date | None:
        raw = last(param)
        if raw is None or raw == "":
            return None
        parsed = _parse_date(raw.strip())
        if parsed is None:
            warnings.append(f"The link's '{param}' date '{shorten(raw, 40)}' is not a date like 2025-11-03; ignored.")
        return parsed

    date_from, date_to = date(QP_FROM), date(QP_TO)
    if date_from and date_to and date_from > date_to:
        warnings.append(f"The link's 'from' date ({date_from}) is after its 'to' date ({date_to}); swapped them.")
        date_from, date_to = date_to, date_from
    overlaps_raw = last(QP_OVERLAPS)
    if overlaps_raw not in (None, "", OVERLAPS_ON):
        warnings.append(f"The link's 'overlaps' value '{shorten(overlaps_raw, 40)}' is not 'include'; ignored.")
    deal_filter = DealFilter(
        providers=ids(QP_PROVIDER, options.providers, "provider"),
        buyers=ids(QP_BUYER, options.buyers, "buyer"),
        deal_types=ids(QP_DEAL_TYPE, options.deal_types, "deal type"),
        statuses=ids(QP_STATUS, options.statuses, "status"),
        date_from=date_from,
        date_to=date_to,
        include_overlaps=overlaps_raw == OVERLAPS_ON,
    )
    return deal_filter, warnings


def to_query_params(deal_filter: DealFilter) -> dict[str, str]:
    """The filter as URL params; defaults are left out so a plain link stays plain."""
    params = {
        QP_PROVIDER: ",".join(deal_filter.providers),
        QP_BUYER: ",".join(deal_filter.buyers),
        QP_DEAL_TYPE: ",".join(deal_filter.deal_types),
        QP_STATUS: ",".join(deal_filter.statuses),
        QP_FROM: deal_filter.date_from.isoformat() if deal_filter.date_from else "",
        QP_TO: deal_filter.date_to.isoformat() if deal_filter.date_to else "",
        QP_OVERLAPS: OVERLAPS_ON if deal_filter.include_overlaps else "",
    }
    return {key: value for key, value in params.items() if value}


def deal_filter_expr(deal_filter: DealFilter) -> pl.Expr:
    """One boolean expression for the whole filter: usable on frames and lazy scans alike."""
    conditions = [pl.lit(True)]
    for column, wanted in (("provider_id", deal_filter.providers), ("buyer_id", deal_filter.buyers),
                           ("deal_type", deal_filter.deal_types), ("status", deal_filter.statuses)):
        if wanted:
            conditions.append(pl.col(column).is_in(list(wanted)))
    if deal_filter.date_from:
        conditions.append(pl.col("announced") >= deal_filter.date_from)
    if deal_filter.date_to:
        conditions.append(pl.col("announced") <= deal_filter.date_to)
    if not deal_filter.include_overlaps:
        conditions.append(pl.col("counts_in_totals"))
    return pl.all_horizontal(conditions)


def apply_deal_filter(deals: pl.DataFrame, deal_filter: DealFilter) -> pl.DataFrame:
    return deals.filter(deal_filter_expr(deal_filter))


def describe(deal_filter: DealFilter, options: FilterOptions) -> str:
    """A one-line summary of the active filter, for captions and empty states."""
    parts = []
    if deal_filter.buyers:
        parts.append("buyer " + ", ".join(options.label(b) for b in deal_filter.buyers))
    if deal_filter.providers:
        parts.append("provider " + ", ".join(options.label(p) for p in deal_filter.providers))
    if deal_filter.deal_types:
        parts.append("type " + ", ".join(t.replace("_", " ") for t in deal_filter.deal_types))
    if deal_filter.statuses:
        parts.append("status " + ", ".join(s.replace("_", " ") for s in deal_filter.statuses))
    if deal_filter.date_from or deal_filter.date_to:
        parts.append(f"announced {deal_filter.date_from or '…'} to {deal_filter.date_to or '…'}")
    if deal_filter.include_overlaps:
        parts.append("overlapping rows included")
    return "; ".join(parts) if parts else "all deals"
