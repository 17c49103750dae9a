"""Who is exposed to whom: providers' contracted backlog by customer, a payment stress test, and money loops.
No Streamlit here.

The rules (docs/methodology.md "Exposure"):
- a provider's *backlog in the ledger* is what its customers contracted to buy from it and not cancelled: end
  users' purchases for themselves (layer `end_user`) and other providers' purchases to serve their customers
  (`resale`), shown as two columns. Both are contracts with this provider and neither is inside the other, so a
  provider's own total adds them; two providers' backlogs are never added (when one is the other's customer,
  that would count the same compute twice). Power and manufacturing are not backlog; financing (what an investor
  or lender put into a company) is shown beside it, never added;
- the deal filter decides the firmness tiers counted and drops overlapping rows; the same rows in the tiers left
  out are summed beside (`beside_usd_bn`), never inside; an undisclosed value adds nothing and is counted;
- concentration is the Herfindahl-Hirschman index of a provider's customers' shares of its disclosed backlog
  (0-10,000) and effective customers = 10,000 / HHI, as the Diversification page does for buyers' suppliers;
- the stress test spreads each commitment over its term exactly as the Commitments page's annual schedule
  (`commitments.annual_spend_schedule`: end users' commitments, straight-line, the same default length), so the
  two pages agree to the dollar; the money not paid is (1 - share paid) x what falls due from the start year;
- a money loop is a cycle of two or more companies in which money flows round: purchase commitments (buyer ->
  provider) and financing (investor or lender -> investee), counted tiers only, never a cancelled row, disclosed
  values only. Each loop is found once (the rotation that starts at its smallest id) and valued at its smallest
  link, as no more than that can go all the way round.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from compute_ledger.analysis.commitments import DEFAULT_TERM_YEARS, annual_spend_schedule, deal_terms
from compute_ledger.analysis.diversification import HHI_MAX
from compute_ledger.analysis.filters import FIRMNESS_TIERS, DealFilter, deal_filter_expr
from compute_ledger.analysis.metrics import END_USER, FINANCING, NOT_COMMITTED, RESALE

BACKLOG_LAYERS = (END_USER, RESALE)
# What a provider reported, by metric, in the order the page shows it. `backlog` is a company's own word for what
# others call remaining performance obligations (both: contracted revenue not yet recognised).
REPORTED_METRICS = ("remaining_performance_obligations", "revenue", "capex", "total_debt")
BACKLOG_METRICS = ("remaining_performance_obligations", "backlog")
# The money graph: loops of up to this many companies, through the largest links only, and at most this many
# found. A million deals still make at most a few thousand company pairs; the cap keeps the search a few
# milliseconds however dense the graph becomes.
MAX_LOOP_LENGTH = 4
MAX_LINKS = 400
MAX_LOOPS_FOUND = 5_000
ROWS_PER_LINK = 10  # rows listed behind each link of a listed loop (the largest; the count says how many in all)
SCHEDULE_COLUMNS = ("buyer_id", "provider_id", "layer", "status", "value_usd_bn", "announced", "start_year",
                    "end_year", "term_years")
ROW_COLUMNS = ("deal_id", "announced", "buyer_id", "provider_id", "deal_type", "layer", "firmness", "status",
               "value_usd_bn", "source_title", "source_url", "source_date")


def _not_cancelled() -> pl.Expr:
    return ~pl.col("status").is_in(NOT_COMMITTED)


def backlog_by_customer(deals: pl.DataFrame | pl.LazyFrame, deal_filter: DealFilter) -> pl.DataFrame:
    """Per provider and customer: disclosed backlog from end users and from providers (counted tiers), its sum,
    the same rows' value in the tiers left out (`beside_usd_bn`), rows and undisclosed rows counted (a customer
    with only uncounted rows has deals = 0 and its value beside), and apart, what the provider invested in or lent
    to the customer (`financed_usd_bn`: lenders and investors appear this way). Sorted by provider, largest first."""
    left_out = tuple(t for t in FIRMNESS_TIERS if t not in deal_filter.tiers)
    in_scope = pl.col("layer").is_in([*BACKLOG_LAYERS, FINANCING]) & _not_cancelled()
    counted = deal_filter_expr(deal_filter)
    beside = deal_filter_expr(dataclasses.replace(deal_filter, tiers=left_out)) if left_out else pl.lit(False)
    value = pl.col("value_usd_bn")
    backlog = pl.col("counted") & (pl.col("layer") != FINANCING)
    return (
        deals.lazy().filter(in_scope & (counted | beside))
        .with_columns(counted=counted)
        .group_by("provider_id", "buyer_id")
        .agg(from_end_users=value.filter(pl.col("counted") & (pl.col("layer") == END_USER)).sum(),
             from_providers=value.filter(pl.col("counted") & (pl.col("layer") == RESALE)).sum(),
             beside_usd_bn=value.filter(~pl.col("counted") & (pl.col("layer") != FINANCING)).sum(),
             deals=backlog.sum(),
             undisclosed=(backlog & value.is_null()).sum(),
             # Money the provider invested in or lent to this customer: another layer, beside, never in the backlog.
             financed_usd_bn=value.filter(pl.col("counted") & (pl.col("layer") == FINANCING)).sum())
        .with_columns(backlog_usd_bn=pl.col("from_end_users") + pl.col("from_providers"))
        .with_columns(share=(pl.col("backlog_usd_bn") / pl.col("backlog_usd_bn").sum().over("provider_id"))
                      .fill_nan(None))
        .rename({"buyer_id": "customer_id"})
        .sort(["provider_id", "backlog_usd_bn", "customer_id"], descending=[False, True, False])
        .collect()
    )


def provider_concentration(by_customer: pl.DataFrame) -> pl.DataFrame:
    """Per provider: backlog (both columns and their sum), beside, customers, the largest customer and its share,
    HHI and effective customers (empty when nothing is disclosed). Largest backlog first."""
    disclosed = by_customer.filter(pl.col("backlog_usd_bn") > 0)
    largest = (disclosed.sort(["provider_id", "backlog_usd_bn", "customer_id"], descending=[False, True, False])
               .group_by("provider_id", maintain_order=True)
               .agg(largest_customer_id=pl.col("customer_id").first(), largest_share=pl.col("share").first(),
                    hhi=((pl.col("share") * 100) ** 2).sum(), disclosed_customers=pl.len()))
    return (
        by_customer.group_by("provider_id")
        .agg(pl.col("backlog_usd_bn", "from_end_users", "from_providers", "beside_usd_bn", "deals",
                    "undisclosed", "financed_usd_bn").sum(), customers=(pl.col("deals") > 0).sum())
        .join(largest, on="provider_id", how="left")
        .with_columns(effective_customers=HHI_MAX / pl.col("hhi"))
        .sort(["backlog_usd_bn", "provider_id"], descending=[True, False])
    )


def reported_figures(financials: pl.DataFrame, companies: pl.DataFrame, provider_ids: Iterable[str]) -> pl.DataFrame:
    """Per provider: the latest reported (not projected, not an outside estimate) figure of each REPORTED_METRICS
    metric, from the provider's own rows or, failing those, its parent's (the ledger's providers are often a
    business unit, Azure or OCI, whose parent reports). One row per provider and metric, with the period and
    source; `backlog` stands in for remaining performance obligations where a company reports that word."""
    parents = dict(companies.select("company_id", "parent").iter_rows())
    wanted = pl.DataFrame({"provider_id": list(dict.fromkeys(provider_ids))}, schema={"provider_id": pl.String})
    wanted = wanted.with_columns(
        reporter_id=pl.col("provider_id").replace_strict(parents, default=None, return_dtype=pl.String))
    reported = (financials.filter(~pl.col("is_projection") & pl.col("estimator").is_null()
                                  & pl.col("metric").is_in([*REPORTED_METRICS, "backlog"])
                                  & pl.col("period").is_in(["full_year", "point_in_time"]))
                .with_columns(metric=pl.col("metric").replace({"backlog": BACKLOG_METRICS[0]}))
                # The latest: a point-in-time figure by its date, a year's by its year; ties by the newest source.
                .with_columns(when=pl.coalesce(pl.col("as_of"), pl.date(pl.col("year"), 12, 31)))
                .sort(["company_id", "metric", "when", "source_date"])
                .group_by("company_id", "metric", maintain_order=True).last())
    columns = ["metric", "year", "period", "as_of", "value_usd_bn", "description", "source_title", "source_url",
               "source_date"]
    own = wanted.join(reported, left_on="provider_id", right_on="company_id", how="inner").with_columns(
        reported_by=pl.col("provider_id"))
    from_parent = (wanted.filter(pl.col("reporter_id").is_not_null())
                   .join(reported, left_on="reporter_id", right_on="company_id", how="inner")
                   .with_columns(reported_by=pl.col("reporter_id"))
                   .join(own.select("provider_id", "metric"), on=["provider_id", "metric"], how="anti"))
    return (pl.concat([own.select("provider_id", "reported_by", *columns),
                       from_parent.select("provider_id", "reported_by", *columns)])
            .sort("provider_id", "metric"))


def figure_columns(figures: pl.DataFrame) -> pl.DataFrame:
    """`reported_figures` as one row per provider: reported_rpo, reported_revenue, reported_capex,
    reported_total_debt (USD bn) and who reported them."""
    short = {"remaining_performance_obligations": "reported_rpo", "revenue": "reported_revenue",
             "capex": "reported_capex", "total_debt": "reported_total_debt"}
    schema = {"provider_id": pl.String, "reported_by": pl.String, **{c: pl.Float64 for c in short.values()}}
    if figures.is_empty():
        return pl.DataFrame(schema=schema)
    wide = (figures.with_columns(pl.col("metric").replace_strict(short, return_dtype=pl.String))
            .group_by("provider_id").agg(pl.col("reported_by").first(),
                                         *[pl.col("value_usd_bn").filter(pl.col("metric") == c).first().alias(c)
                                           for c in short.values()]))
    return wide.select(*schema).cast(schema).sort("provider_id")


# ---- The stress test ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Stress:
    """A scenario: these buyers pay `paid_share` (0-1) of what falls due from `start_year` on."""

    buyers: tuple[str, ...]
    paid_share: float
    start_year: int
    default_term_years: int = DEFAULT_TERM_YEARS


def buyer_schedule(deals: pl.DataFrame | pl.LazyFrame, deal_filter: DealFilter, buyers: Sequence[str],
                   default_term_years: int = DEFAULT_TERM_YEARS) -> pl.DataFrame:
    """The Commitments page's annual schedule (the same function, the same filter) for `buyers`, per provider,
    buyer and year: what falls due (USD bn)."""
    # Only the columns the schedule reads: at a million deals, copying all thirty would cost more than the schedule.
    rows = (deals.lazy().filter(deal_filter_expr(deal_filter) & pl.col("buyer_id").is_in(list(buyers)))
            .select(SCHEDULE_COLUMNS))
    return annual_spend_schedule(rows.collect(), default_term_years, "year",
                                 by=("provider_id", "buyer_id"))


def unpaid_by_provider_year(deals: pl.DataFrame | pl.LazyFrame, deal_filter: DealFilter,
                            stress: Stress) -> pl.DataFrame:
    """Per provider and year from the start year: what falls due from the stressed buyers and what is not paid,
    (1 - paid share) x due. Sorted by provider and year."""
    schedule = buyer_schedule(deals, deal_filter, stress.buyers, stress.default_term_years)
    return (
        schedule.filter(pl.col("year") >= stress.start_year)
        .group_by("provider_id", "year")
        .agg(due_usd_bn=pl.col("spend_usd_bn").sum())
        .with_columns(unpaid_usd_bn=pl.col("due_usd_bn") * (1 - stress.paid_share))
        .sort("provider_id", "year")
    )


def unpaid_by_provider(unpaid: pl.DataFrame, figures: pl.DataFrame) -> pl.DataFrame:
    """Per provider: the money not paid over every year, the largest year's, and each against the provider's
    reported revenue (a year's unpaid against a year's revenue) and backlog (all years against it). Largest first."""
    per_provider = (unpaid.group_by("provider_id")
                    .agg(pl.col("due_usd_bn", "unpaid_usd_bn").sum(), peak_year_usd_bn=pl.col("unpaid_usd_bn").max(),
                         first_year=pl.col("year").min(), last_year=pl.col("year").max()))
    return (per_provider.join(figure_columns(figures), on="provider_id", how="left")
            .with_columns(peak_of_revenue=pl.col("peak_year_usd_bn") / pl.col("reported_revenue"),
                          of_reported_backlog=pl.col("unpaid_usd_bn") / pl.col("reported_rpo"))
            .sort(["unpaid_usd_bn", "provider_id"], descending=[True, False]))


def _due_from(start_year: int, default_term_years: int) -> pl.Expr:
    """The part of a row's value that falls due from `start_year` on, straight-line over its term (the schedule's
    rule, applied to rows the schedule does not spread: providers' purchases)."""
    years = pl.col("last_year") - pl.col("first_year") + 1
    remaining = (pl.col("last_year") - pl.max_horizontal(pl.col("first_year"), pl.lit(start_year)) + 1).clip(0)
    return pl.col("value_usd_bn") * remaining / years


def next_in_chain(deals: pl.DataFrame | pl.LazyFrame, deal_filter: DealFilter, stress: Stress) -> pl.DataFrame:
    """Who is hit next: providers' own purchases that serve a stressed buyer (resale rows whose end customer is
    the buyer: the reseller still owes its supplier), with what falls due from the start year and the part the
    buyer's shortfall leaves unfunded; and financing (equity, loans) put into the buyer by anyone, at its stated
    value. Kept apart from the unpaid money: the chain's next link, never added to it."""
    base = deals.lazy().filter(deal_filter_expr(deal_filter) & _not_cancelled())
    resale = (base.filter((pl.col("layer") == RESALE) & pl.col("end_customer_id").is_in(list(stress.buyers)))
              .select(*SCHEDULE_COLUMNS, "end_customer_id", "deal_id", "deal_type", "source_title", "source_url")
              .collect())
    resale = (deal_terms(resale, stress.default_term_years)
              .with_columns(due_from_start_usd_bn=_due_from(stress.start_year, stress.default_term_years))
              .with_columns(unfunded_usd_bn=pl.col("due_from_start_usd_bn") * (1 - stress.paid_share))
              .select(exposure=pl.lit("resale"), holder_id="buyer_id", counterparty_id="provider_id",
                      stressed_buyer_id="end_customer_id", deal_id="deal_id", deal_type="deal_type",
                      value_usd_bn="value_usd_bn", due_from_start_usd_bn="due_from_start_usd_bn",
                      unfunded_usd_bn="unfunded_usd_bn", source_title="source_title", source_url="source_url"))
    invested = (base.filter((pl.col("layer") == FINANCING) & pl.col("buyer_id").is_in(list(stress.buyers)))
                .select(exposure=pl.lit("financing"), holder_id="provider_id", counterparty_id="buyer_id",
                        stressed_buyer_id="buyer_id", deal_id="deal_id", deal_type="deal_type",
                        value_usd_bn="value_usd_bn", due_from_start_usd_bn=pl.lit(None, pl.Float64),
                        unfunded_usd_bn=pl.lit(None, pl.Float64), source_title="source_title",
                        source_url="source_url")
                .collect())
    return (pl.concat([resale, invested], how="vertical_relaxed")
            .sort(["exposure", "value_usd_bn", "deal_id"], descending=[True, True, False], nulls_last=True))


# ---- Money loops -------------------------------------------------------------------------------------------

def _money_rows(deals: pl.DataFrame | pl.LazyFrame, deal_filter: DealFilter) -> pl.LazyFrame:
    """The rows of the money graph: purchases (the two purchase layers) and financing, counted tiers only (the
    filter), never a cancelled row, disclosed values only; power and manufacturing are not in it."""
    return deals.lazy().filter(deal_filter_expr(deal_filter) & _not_cancelled()
                               & pl.col("layer").is_in([*BACKLOG_LAYERS, FINANCING])
                               & (pl.col("value_usd_bn") > 0) & (pl.col("buyer_id") != pl.col("provider_id")))


# Money goes from payer to payee: a purchase from its buyer to its provider, financing from the investor or lender
# (the row's provider) to the investee (its buyer).
PAYER = {"purchase": "buyer_id", "financing": "provider_id"}
PAYEE = {"purchase": "provider_id", "financing": "buyer_id"}


def _flow_rows(rows: pl.LazyFrame, flow: str) -> pl.LazyFrame:
    keep = pl.col("layer").is_in(BACKLOG_LAYERS) if flow == "purchase" else pl.col("layer") == FINANCING
    return rows.filter(keep)


def link_totals(deals: pl.DataFrame | pl.LazyFrame, deal_filter: DealFilter, limit: int = MAX_LINKS) -> pl.DataFrame:
    """Per directed pair (source pays target): the money it carries, its rows and its kinds of flow; the `limit`
    largest only. Grouped on the id columns as they are, per kind of flow, and only then named source and target:
    a text column made for each of a million rows would cost more than the sums."""
    rows = _money_rows(deals, deal_filter)
    per_flow = [
        _flow_rows(rows, flow).group_by(pl.col(PAYER[flow]).alias("source"), pl.col(PAYEE[flow]).alias("target"))
        .agg(value_usd_bn=pl.col("value_usd_bn").sum(), deals=pl.len()).with_columns(flows=pl.lit(flow))
        for flow in PAYER]
    return (pl.concat(per_flow)
            .group_by("source", "target")
            .agg(pl.col("value_usd_bn", "deals").sum(), flows=pl.col("flows").sort().str.join(" and "))
            .sort(["value_usd_bn", "source", "target"], descending=[True, False, False])
            .head(limit)
            .collect())


def rows_behind(deals: pl.DataFrame | pl.LazyFrame, deal_filter: DealFilter, pairs: pl.DataFrame,
                per_link: int = ROWS_PER_LINK) -> pl.DataFrame:
    """For each (source, target) of `pairs`: its `per_link` largest rows (then by deal id) with their sources.
    The largest are picked on ids and values alone, then their other columns fetched: sorting the text columns of
    every row behind a link (thousands, at a million deals) would cost more than the rest of the page."""
    rows = _money_rows(deals, deal_filter)
    largest = (pl.concat([
        _flow_rows(rows, flow)
        .join(pairs.lazy().rename({"source": PAYER[flow], "target": PAYEE[flow]}), on=[PAYER[flow], PAYEE[flow]],
              how="semi")
        .select(source=pl.col(PAYER[flow]), target=pl.col(PAYEE[flow]), flow=pl.lit(flow), deal_id="deal_id",
                value_usd_bn="value_usd_bn")
        for flow in PAYER])
        .sort(["value_usd_bn", "deal_id"], descending=[True, False])
        .group_by("source", "target", maintain_order=True).head(per_link)
        .collect())
    details = (deals.lazy().filter(pl.col("deal_id").is_in(largest["deal_id"].implode()))
               .select(ROW_COLUMNS).unique("deal_id", keep="first").collect())
    return (largest.drop("value_usd_bn").join(details, on="deal_id", how="left")
            .select("source", "target", "flow", *ROW_COLUMNS))


def find_loops(links: pl.DataFrame, max_length: int = MAX_LOOP_LENGTH, max_found: int = MAX_LOOPS_FOUND
               ) -> list[tuple[str, ...]]:
    """Every simple directed cycle of 2..max_length companies among `links` (source, target), each once: as the
    rotation that starts at its smallest id, found by a depth-first search from that id through larger ids only.
    At most `max_found` (the search stops there)."""
    out: dict[str, list[str]] = {}
    for source, target in links.select("source", "target").iter_rows():
        out.setdefault(source, []).append(target)
    for targets in out.values():
        targets.sort()
    loops: list[tuple[str, ...]] = []
    for start in sorted(out):
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in reversed(out.get(node, [])):
                if nxt == start and len(path) >= 2:
                    loops.append(tuple(path))
                    if len(loops) >= max_found:
                        return loops
                elif nxt > start and nxt not in path and len(path) < max_length:
                    stack.append((nxt, [*path, nxt]))
    return loops


def money_loops(deals: pl.DataFrame | pl.LazyFrame, deal_filter: DealFilter, listed: int = 20,
                max_length: int = MAX_LOOP_LENGTH) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The `listed` largest loops (valued at their smallest link), the rows behind every link of them, and the
    links among the listed loops' companies (for drawing them).

    loops: loop_id (1 = largest), companies (the cycle from its smallest id), length, value_usd_bn, weakest link.
    rows: loop_id, step (1..length), source, target, the link's value and rows, then up to ROWS_PER_LINK of its
    rows (largest first) with their sources. links: source, target, value_usd_bn, deals, flows."""
    totals = link_totals(deals, deal_filter)
    value = {(s, t): v for s, t, v in totals.select("source", "target", "value_usd_bn").iter_rows()}
    scored = []
    for cycle in find_loops(totals, max_length):
        steps = list(zip(cycle, (*cycle[1:], cycle[0])))
        weakest = min(steps, key=lambda st: (value[st], st))
        scored.append((value[weakest], cycle, weakest))
    scored.sort(key=lambda item: (-item[0], len(item[1]), item[1]))
    chosen = scored[:listed]
    loops = pl.DataFrame(
        {"loop_id": list(range(1, len(chosen) + 1)), "companies": [list(c) for _, c, _ in chosen],
         "length": [len(c) for _, c, _ in chosen], "value_usd_bn": [v for v, _, _ in chosen],
         "weakest_source": [w[0] for _, _, w in chosen], "weakest_target": [w[1] for _, _, w in chosen]},
        schema={"loop_id": pl.Int64, "companies": pl.List(pl.String), "length": pl.Int64,
                "value_usd_bn": pl.Float64, "weakest_source": pl.String, "weakest_target": pl.String})
    steps = pl.DataFrame(
        [(i, step, s, t) for i, (_, cycle, _) in enumerate(chosen, start=1)
         for step, (s, t) in enumerate(zip(cycle, (*cycle[1:], cycle[0])), start=1)],
        schema={"loop_id": pl.Int64, "step": pl.Int64, "source": pl.String, "target": pl.String}, orient="row")
    behind = rows_behind(deals, deal_filter, steps.select("source", "target").unique())
    rows = (steps.join(totals.rename({"value_usd_bn": "link_usd_bn", "deals": "link_deals"}),
                       on=["source", "target"], how="left")
            .join(behind, on=["source", "target"], how="left")
            .sort(["loop_id", "step", "value_usd_bn", "deal_id"], descending=[False, False, True, False]))
    members = sorted({c for _, cycle, _ in chosen for c in cycle})
    links = totals.filter(pl.col("source").is_in(members) & pl.col("target").is_in(members))
    return loops, rows, links
