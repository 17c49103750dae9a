"""The shared deal filter and its URL form.

URL contract (kept, so shared links keep working): `provider`, `buyer`, `deal_type`, `status`, `firmness`
take ids, comma-separated or repeated; `from`, `to` take YYYY-MM-DD; `overlaps=include` shows rows that repeat
other rows; `provider_side=show` adds providers' own purchases as a total of their own. Unknown ids, malformed
or out-of-range dates are dropped with a warning that names them.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.analysis.links import MAX_NAMED, named
from compute_ledger.data.problems import shorten
from compute_ledger.data.schema import DATE_MAX, DATE_MIN, DEAL_FIRMNESS
from compute_ledger.i18n import t

QP_PROVIDER, QP_BUYER, QP_DEAL_TYPE, QP_STATUS = "provider", "buyer", "deal_type", "status"
QP_FROM, QP_TO, QP_OVERLAPS = "from", "to", "overlaps"
QP_FIRMNESS, QP_PROVIDER_SIDE = "firmness", "provider_side"
FILTER_PARAMS = (QP_PROVIDER, QP_BUYER, QP_DEAL_TYPE, QP_STATUS, QP_FROM, QP_TO, QP_OVERLAPS, QP_FIRMNESS,
                 QP_PROVIDER_SIDE)
OVERLAPS_ON = "include"
PROVIDER_SIDE_ON = "show"
FIRMNESS_TIERS = DEAL_FIRMNESS
# What the totals count unless the user adds the reported-only tier: signed deals and announced ones.
DEFAULT_TIERS = ("definitive", "announced")


@dataclass(frozen=True)
class DealFilter:
    providers: tuple[str, ...] = ()
    buyers: tuple[str, ...] = ()
    deal_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    include_overlaps: bool = False
    tiers: tuple[str, ...] = DEFAULT_TIERS  # firmness tiers the totals count; the rest is shown beside them
    provider_side: bool = False  # also show providers' own purchases, as a total of their own


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


def options_with_names(companies: pl.DataFrame) -> FilterOptions:
    """Only the display names: enough to describe a filter, without a scan of every deal."""
    return FilterOptions(names=dict(companies.select("company_id", "name").iter_rows()))


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


def named_values(values: Sequence[str]) -> str:
    """The one rule for naming a link's values in a warning (analysis/links.py `named`), in the reader's
    language: the first few, and how many more."""
    shown = named(values[:MAX_NAMED])
    more = len(values) - MAX_NAMED
    return t("{values} and {n} more", values=shown, n=more) if more > 0 else shown


def label_of(param: str, options: FilterOptions, value: str) -> str:
    """What the sidebar shows for a value of a link parameter (and what the URL binding writes), in the reader's
    language: deal types, statuses and firmness tiers are the data's words in it (`fmt.word`)."""
    if param in (QP_PROVIDER, QP_BUYER):
        return options.label(value)
    return fmt.word(value)


def _parse_date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw and len(raw) == 10 else None
    except ValueError:
        return None


def parse_query_params(params: Mapping[str, str | Sequence[str]], options: FilterOptions) -> tuple[DealFilter, list[str]]:
    """Read a shared link's filter; return the filter and one plain-language warning per thing ignored."""
    warnings: list[str] = []

    def ids(param: str, known: Sequence[str], what: str) -> tuple[str, ...]:
        # A link may name an id (`oracle-oci`, `letter_of_intent`) or the label the sidebar shows for it
        # (`Oracle Cloud (OCI)`, `letter of intent`): the URL binding writes labels.
        by_label = i18n.labels_in_every_language(lambda: {v: label_of(param, options, v) for v in known})
        raw = params.get(param)
        items = [raw] if isinstance(raw, str) else list(raw or [])
        # A label may hold a comma ("Vistra, TerraPower and Oklo"): split a value on commas only if it is not one.
        wanted = list(dict.fromkeys(
            by_label[part] if part in by_label else part
            for item in items
            for part in ([item.strip()] if item.strip() in by_label or item.strip() in known else _split(item))))
        unknown = [v for v in wanted if v not in known]
        if unknown:
            sentences = {
                "provider": t("The link names unknown provider {values}; ignored.", values=named_values(unknown)),
                "buyer": t("The link names unknown buyer {values}; ignored.", values=named_values(unknown)),
                "deal type": t("The link names unknown deal type {values}; ignored.", values=named_values(unknown)),
                "status": t("The link names unknown status {values}; ignored.", values=named_values(unknown)),
                "firmness": t("The link names unknown firmness {values}; ignored.", values=named_values(unknown)),
            }
            warnings.append(sentences[what])
        return tuple(v for v in wanted if v in known)

    def all_of(param: str) -> list[str]:
        value = params.get(param)
        return [value] if isinstance(value, str) else list(value or [])

    def one(param: str, read) -> object | None:
        """A parameter that takes one value: every value the link gives is read (`read` returns the value, or None
        and why not); each unusable one is named wherever it stands (the first few, then a count), and the last
        usable one is used, which the warning says. The address is then rewritten to it (`binding_params`)."""
        values = [v.strip() for v in all_of(param) if v.strip()]
        read_values = [(v, *read(v)) for v in values]
        bad = [why for _, _, why in read_values if why]
        good = [(v, parsed) for v, parsed, why in read_values if not why]
        said = bad[:MAX_NAMED] + ([t("The link gives '{param}' {n} more values that cannot be used; ignored.",
                                     param=param, n=len(bad) - MAX_NAMED)] if len(bad) > MAX_NAMED else [])
        if good and (said or len({p for _, p in good}) > 1):
            used = shorten(good[-1][0], 40)
            said = ([*said[:-1], t("{sentence}; '{value}' is used.", sentence=said[-1].removesuffix("."), value=used)]
                    if said else [t("The link gives '{param}' {n} values ({values}); '{value}' is used.", param=param,
                                    n=len(good), values=named_values([v for v, _ in good]), value=used)])
        warnings.extend(said)
        return good[-1][1] if good else None

    def date_of(param: str):
        def read(raw: str):
            parsed = _parse_date(raw)
            if parsed is None:
                return None, t("The link's '{param}' date '{value}' is not a date like 2025-11-03; ignored.",
                               param=param, value=shorten(raw, 40))
            if not DATE_MIN <= parsed <= DATE_MAX:
                return None, t("The link's '{param}' date {value} is outside the ledger's range ({earliest} to "
                               "{latest}); ignored.", param=param, value=parsed, earliest=DATE_MIN, latest=DATE_MAX)
            return parsed, None
        return read

    def date(param: str) -> dt.date | None:
        return one(param, date_of(param))

    def toggle(param: str, on_word: str) -> bool:
        # A toggle bound to the URL writes "true"/"false"; the README's links say "include" and "show".
        words = {"true": "on", on_word: "on", "false": "off"}

        def read(raw: str):
            word = words.get(raw.lower())
            return (word, None) if word else (None, t("The link's '{param}' value '{value}' is not '{word}'; "
                                                      "ignored.", param=param, value=shorten(raw, 40), word=on_word))
        return one(param, read) == "on"

    date_from, date_to = date(QP_FROM), date(QP_TO)
    if date_from and date_to and date_from > date_to:
        warnings.append(t("The link's 'from' date ({date_from}) is after its 'to' date ({date_to}); swapped them.",
                          date_from=date_from, date_to=date_to))
        date_from, date_to = date_to, date_from
    include_overlaps, provider_side = toggle(QP_OVERLAPS, OVERLAPS_ON), toggle(QP_PROVIDER_SIDE, PROVIDER_SIDE_ON)
    tiers = ids(QP_FIRMNESS, FIRMNESS_TIERS, "firmness") if params.get(QP_FIRMNESS) else DEFAULT_TIERS
    deal_filter = DealFilter(
        providers=ids(QP_PROVIDER, options.providers, "provider"),
        buyers=ids(QP_BUYER, options.buyers, "buyer"),
        deal_types=ids(QP_DEAL_TYPE, options.deal_types, "deal type"),
        statuses=ids(QP_STATUS, options.statuses, "status"),
        date_from=date_from,
        date_to=date_to,
        include_overlaps=include_overlaps,
        tiers=tiers or DEFAULT_TIERS,
        provider_side=provider_side,
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
        QP_FIRMNESS: ",".join(deal_filter.tiers) if set(deal_filter.tiers) != set(DEFAULT_TIERS) else "",
        QP_PROVIDER_SIDE: PROVIDER_SIDE_ON if deal_filter.provider_side else "",
    }
    return {key: value for key, value in params.items() if value}


def binding_params(deal_filter: DealFilter, options: FilterOptions) -> dict[str, list[str]]:
    """The filter as Streamlit's URL binding writes it (what the sidebar shows, one value per repeated param;
    `true` for a toggle; YYYY-MM-DD), so that the binding can read it back. Defaults are left out."""
    def labels(param: str, values: Sequence[str]) -> list[str]:
        return [label_of(param, options, v) for v in values]

    params = {
        QP_PROVIDER: labels(QP_PROVIDER, deal_filter.providers),
        QP_BUYER: labels(QP_BUYER, deal_filter.buyers),
        QP_DEAL_TYPE: labels(QP_DEAL_TYPE, deal_filter.deal_types),
        QP_STATUS: labels(QP_STATUS, deal_filter.statuses),
        QP_FROM: [deal_filter.date_from.isoformat()] if deal_filter.date_from else [],
        QP_TO: [deal_filter.date_to.isoformat()] if deal_filter.date_to else [],
        QP_OVERLAPS: ["true"] if deal_filter.include_overlaps else [],
        QP_FIRMNESS: labels(QP_FIRMNESS, deal_filter.tiers) if set(deal_filter.tiers) != set(DEFAULT_TIERS) else [],
        QP_PROVIDER_SIDE: ["true"] if deal_filter.provider_side else [],
    }
    return {key: values for key, values in params.items() if values}


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
    if set(deal_filter.tiers) != set(FIRMNESS_TIERS):
        conditions.append(pl.col("firmness").is_in(list(deal_filter.tiers)))
    return pl.all_horizontal(conditions)


def apply_deal_filter(deals: pl.DataFrame, deal_filter: DealFilter) -> pl.DataFrame:
    return deals.filter(deal_filter_expr(deal_filter))


def deal_filter_query(deals: pl.DataFrame, deal_filter: DealFilter) -> pl.LazyFrame:
    """The filter as a lazy query, for a computation that reads a few columns: at a million deals, copying all
    thirty columns of the kept rows costs as much as the computation itself."""
    return deals.lazy().filter(deal_filter_expr(deal_filter))


def describe(deal_filter: DealFilter, options: FilterOptions) -> str:
    """A one-line summary of the active filter, for captions and empty states."""
    parts = []
    if deal_filter.buyers:
        parts.append(t("buyer {names}", names=", ".join(options.label(b) for b in deal_filter.buyers)))
    if deal_filter.providers:
        parts.append(t("provider {names}", names=", ".join(options.label(p) for p in deal_filter.providers)))
    if deal_filter.deal_types:
        parts.append(t("type {types}", types=", ".join(fmt.word(v) for v in deal_filter.deal_types)))
    if deal_filter.statuses:
        parts.append(t("status {statuses}", statuses=", ".join(fmt.word(v) for v in deal_filter.statuses)))
    if deal_filter.date_from or deal_filter.date_to:
        parts.append(t("announced {date_from} to {date_to}", date_from=deal_filter.date_from or "…",
                       date_to=deal_filter.date_to or "…"))
    if deal_filter.include_overlaps:
        parts.append(t("overlapping rows included"))
    if set(deal_filter.tiers) != set(DEFAULT_TIERS):
        parts.append(t("counting {tiers}", tiers=", ".join(fmt.word(v) for v in deal_filter.tiers)))
    return "; ".join(parts) if parts else t("all deals")
