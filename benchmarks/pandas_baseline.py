"""The page pipelines written in pandas, for the benchmark's side-by-side only (the product uses Polars).

Each function takes every deal (as `load_ledger` gives them, `announced` as datetime64) and applies the default
filter and the counting model itself, as the Polars side does (compute_ledger.analysis): a row counts unless it
repeats another (`counts_in_totals`), in the definitive and announced tiers; a commitment is an end user's
purchase (layer `end_user`), not cancelled. Display names are left out on both sides' tables where the product
adds them by a dictionary lookup (a few ms at 1M).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

TIERS = ("definitive", "announced")
NOT_BUILDING = ("cancelled", "paused")
POWER = "power"
SEARCHED = ("description", "chips", "source_title")
MAX_ROWS_SHOWN = 10_000


def counted(deals: pd.DataFrame, tiers: tuple[str, ...] = TIERS) -> pd.DataFrame:
    """The default filter: rows that do not repeat another, in the counted firmness tiers."""
    return deals[deals["counts_in_totals"] & deals["firmness"].isin(tiers)]


def in_layer(deals: pd.DataFrame, layer: str) -> pd.Series:
    return (deals["layer"] == layer) & (deals["status"] != "cancelled")


def commitments(deals: pd.DataFrame) -> pd.DataFrame:
    return deals[in_layer(deals, "end_user")]


def _total(deals: pd.DataFrame, all_tiers: pd.DataFrame, keep, amount: str) -> tuple:
    """As the product works a total out: its sum, rows and undisclosed rows, and the same layer's sum in the tier
    left out (the product lists the rows themselves only when a table shows them)."""
    kept = deals.loc[keep(deals), amount]
    beside = all_tiers.loc[keep(all_tiers) & (all_tiers["firmness"] == "reported"), amount].sum()
    return kept.sum(), len(kept), kept.isna().sum(), beside


def headline_totals(deals: pd.DataFrame) -> list[tuple]:
    d, all_tiers = counted(deals), deals[deals["counts_in_totals"]]

    def building(f: pd.DataFrame, kind: str) -> pd.Series:
        return (in_layer(f, "end_user") & ~f["status"].isin(NOT_BUILDING) & f["capacity_gw"].notna()
                & (f["capacity_kind"] == kind))

    return [_total(d, all_tiers, lambda f: in_layer(f, "end_user"), "value_usd_bn"),
            _total(d, all_tiers, lambda f: building(f, "site"), "capacity_gw"),
            _total(d, all_tiers, lambda f: building(f, "chips"), "capacity_gw"),
            _total(d, all_tiers, lambda f: in_layer(f, "financing"), "value_usd_bn")]


def overview(deals: pd.DataFrame) -> tuple:
    """The Overview's sums: the headline totals with their rows, and commitments per provider and per pair."""
    c = commitments(counted(deals))
    by_provider = (c.assign(missing=c["value_usd_bn"].isna())
                   .groupby("provider_id")
                   .agg(committed_usd_bn=("value_usd_bn", "sum"), deals=("deal_id", "size"),
                        undisclosed=("missing", "sum"), capacity_gw=("capacity_gw", "sum"))
                   .sort_values(["committed_usd_bn", "deals"], ascending=False))
    by_pair = c[c["value_usd_bn"] > 0].groupby(["provider_id", "buyer_id"])["value_usd_bn"].agg(["sum", "size"])
    return headline_totals(deals), by_provider, by_pair


def cumulative(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Running totals per quarter of `rows` (already chosen), every group filled for every quarter."""
    c = rows.dropna(subset=["value_usd_bn"])
    c = c.assign(period=c["announced"].dt.to_period("Q").dt.start_time)
    added = c.groupby(["period", *keys])["value_usd_bn"].sum()
    periods = pd.date_range(added.index.get_level_values(0).min(), added.index.get_level_values(0).max(), freq="QS")
    groups = added.reset_index()[keys].drop_duplicates()
    grid = groups.merge(pd.DataFrame({"period": periods}), how="cross")
    full = grid.merge(added.rename("added").reset_index(), on=["period", *keys], how="left").fillna({"added": 0.0})
    full = full.sort_values([*keys, "period"])
    full["cumulative"] = full.groupby(keys)["added"].cumsum()
    return full.sort_values(["period", *keys])


def diversification(deals: pd.DataFrame) -> tuple:
    c = commitments(counted(deals))
    supply = c[c["deal_type"] != POWER]
    shares = supply.groupby(["buyer_id", "provider_id"])["value_usd_bn"].sum().reset_index()
    shares["share"] = shares["value_usd_bn"] / shares.groupby("buyer_id")["value_usd_bn"].transform("sum")
    history = cumulative(supply, ["buyer_id", "provider_id"])
    history = history[history["cumulative"] > 0].copy()
    history["share"] = history["cumulative"] / history.groupby(["buyer_id", "period"])["cumulative"].transform("sum")
    history["sq"] = (history["share"] * 100) ** 2
    hhi = history.groupby(["buyer_id", "period"])["sq"].sum()
    return shares, hhi


def spend_schedule(deals: pd.DataFrame, default_term: int = 5) -> pd.DataFrame:
    """Same algorithm as the product: add up deals sharing a provider and a term, then spread over the years."""
    c = commitments(counted(deals))
    c = c[c["value_usd_bn"] > 0].copy()
    c["first"] = c["start_year"].fillna(c["announced"].dt.year).astype(int)
    c["last"] = np.where(c["end_year"].notna(), np.maximum(c["end_year"].fillna(0), c["first"]),
                         np.where(c["term_years"].notna(), c["first"] + c["term_years"].fillna(0) - 1,
                                  c["first"] + default_term - 1)).astype(int)
    grouped = c.groupby(["provider_id", "first", "last"], as_index=False)["value_usd_bn"].sum()
    grouped["year"] = [list(range(a, b + 1)) for a, b in zip(grouped["first"], grouped["last"])]
    grouped["spend"] = grouped["value_usd_bn"] / grouped["year"].map(len)
    exploded = grouped.explode("year")
    return exploded.groupby(["year", "provider_id"])["spend"].sum().reset_index()


def commitments_page(deals: pd.DataFrame) -> tuple:
    return cumulative(commitments(counted(deals)), ["provider_id"]), spend_schedule(deals)


def data_page(deals: pd.DataFrame, text: str = "stargate") -> tuple:
    """The explorer's rows (filter, then a literal, case-insensitive text search; the first rows shown) and the
    list of sources cited."""
    d = counted(deals)
    hit = np.zeros(len(d), dtype=bool)
    for column in SEARCHED:
        hit |= d[column].str.lower().str.contains(text, regex=False).fillna(False).to_numpy(dtype=bool)
    shown = d[hit].head(MAX_ROWS_SHOWN)
    sources = (deals.groupby("source_url")
               .agg(source_title=("source_title", "first"), source_date=("source_date", "max"), rows=("deal_id", "size"))
               .sort_values(["rows", "source_date"], ascending=False))
    sources["domain"] = sources.index.str.extract(r"https?://(?:www\.)?([^/]+)", expand=False)
    return shown, sources


def _loops(edges: list[tuple[str, str]], max_length: int = 4, max_found: int = 5_000) -> list[tuple[str, ...]]:
    """The same bounded cycle search as the product (each cycle once, from its smallest id)."""
    out: dict[str, list[str]] = {}
    for source, target in edges:
        out.setdefault(source, []).append(target)
    loops: list[tuple[str, ...]] = []
    for start in sorted(out):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(out.get(node, []), reverse=True):
                if nxt == start and len(path) >= 2:
                    loops.append(tuple(path))
                    if len(loops) >= max_found:
                        return loops
                elif nxt > start and nxt not in path and len(path) < max_length:
                    stack.append((nxt, [*path, nxt]))
    return loops


def exposure(deals: pd.DataFrame, buyer: str = "openai", paid: float = 0.5, start: int = 2028) -> tuple:
    """The Exposure page: backlog by provider and customer with concentration, the stress test on the
    schedule, and money loops over the 400 largest links."""
    d = counted(deals)
    live = d[d["status"] != "cancelled"]
    backlog = live[live["layer"].isin(["end_user", "resale"])]
    by_customer = backlog.groupby(["provider_id", "buyer_id"], as_index=False)["value_usd_bn"].sum()
    by_customer["share"] = by_customer["value_usd_bn"] / by_customer.groupby("provider_id")["value_usd_bn"].transform("sum")
    by_customer["sq"] = (by_customer["share"] * 100) ** 2
    concentration = by_customer.groupby("provider_id").agg(hhi=("sq", "sum"), largest=("share", "max"),
                                                           backlog=("value_usd_bn", "sum"))
    schedule = spend_schedule(deals[deals["buyer_id"] == buyer])
    unpaid = schedule[schedule["year"] >= start].assign(unpaid=lambda f: f["spend"] * (1 - paid))
    money = live[live["layer"].isin(["end_user", "resale", "financing"]) & (live["value_usd_bn"] > 0)]
    purchase = money["layer"] != "financing"
    links = pd.DataFrame({"source": np.where(purchase, money["buyer_id"], money["provider_id"]),
                          "target": np.where(purchase, money["provider_id"], money["buyer_id"]),
                          "value": money["value_usd_bn"]})
    links = links[links["source"] != links["target"]]
    largest = (links.groupby(["source", "target"], as_index=False)["value"].sum()
               .sort_values(["value", "source", "target"], ascending=[False, True, True]).head(400))
    return concentration, unpaid, _loops(list(zip(largest["source"], largest["target"])))


# Keys are the pages' names in run.py; the capacity page reads milestones only, which do not grow with the deals.
ALL_PAGES = {"overview": overview, "diversification": diversification, "commitments": commitments_page,
             "gap": spend_schedule, "data": data_page, "exposure": exposure}
