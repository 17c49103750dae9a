"""Sentences built from the data, so the story on screen moves when the data does.

The story is Markdown: every value taken from the data (a company's name) is escaped here, so a name like
`![x](https://…)` shows as text and never loads an image or forges a link."""
from __future__ import annotations

import polars as pl

from compute_ledger import formatting as fmt
from compute_ledger.analysis.metrics import latest_revenue
from compute_ledger.i18n import t


# The one escaping path (formatting.escape_markdown), under the name this module's callers know.
markdown_text = fmt.escape_markdown


def _latest(financials: pl.DataFrame, company_id: str, metric: str) -> float | None:
    rows = financials.filter((pl.col("company_id") == company_id) & (pl.col("metric") == metric)
                             & pl.col("estimator").is_null()).sort("source_date")
    return rows["value_usd_bn"][-1] if rows.height else None


def seed_story(financials: pl.DataFrame, deals: pl.DataFrame, companies: pl.DataFrame) -> str:
    """Two sentences: OpenAI's move from one cloud to many, and its commitments against its revenue."""
    names = {cid: markdown_text(name) for cid, name in companies.select("company_id", "name").iter_rows()}
    providers = (
        deals.lazy()  # lazy: an eager filter would copy every column of every matching deal
        .filter((pl.col("buyer_id") == "openai") & (pl.col("deal_type") == "cloud_compute")
                & (pl.col("status") != "cancelled"))
        .group_by("provider_id").agg(pl.col("announced").min()).sort("announced", "provider_id")
        .collect()
    )
    others = providers.filter(pl.col("provider_id") != "microsoft-azure")
    clouds = [names.get(p, markdown_text(p)) for p in others["provider_id"]]
    commitments = _latest(financials, "openai", "compute_commitments_total")
    revenue = latest_revenue(financials, "openai")
    first = fmt.markdown(t("OpenAI relied on Microsoft Azure alone until {year}; since then it has signed compute deals "
                           "with {clouds} and {last_cloud}, plus chipmakers."), year=str(others["announced"][0].year),
                         clouds=fmt.Markdown(", ").join(clouds[:-1]), last_cloud=clouds[-1]) if len(clouds) > 1 else ""
    second = ""
    if commitments and revenue:
        # Our own amounts and the revenue's label (made by metrics.latest_revenue) are our Markdown (fmt.md).
        second = fmt.markdown(t("Its chief executive puts its infrastructure commitments at about {commitments} over "
                                "roughly eight years, against {revenue} of {revenue_label}: about {multiple} what it "
                                "earns in a year. That is the chief executive's own total; the card below divides "
                                "only the deals the ledger lists, each with its source."),
                              commitments=fmt.md(fmt.usd_bn(commitments)), revenue=fmt.md(fmt.usd_bn(revenue[0])),
                              revenue_label=fmt.md(revenue[1]), multiple=fmt.md(fmt.multiple(commitments / revenue[0])))
    # Markdown: every name in it went through markdown_text (fmt.markdown escapes any value that is not ours)
    return fmt.Markdown(" ").join(s for s in (first, second) if s)
