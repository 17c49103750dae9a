"""Synthetic ledgers of any size with the real schema, for benchmarks only (never shown as data).

Two shapes of deals (`SHAPES`):
- "lognormal": drawn at random in the shape of the bundled ones: a few buyers take most deals, values are
  heavy-tailed (log-normal), a third are undisclosed, most have no GW figure, dates crowd into 2025-26; every
  row is its own text, none overlaps another, none is a key event.
- "replicated": the bundled deals (data/deals.parquet) copied until there are n rows, as an analyst's upload
  of similar rows would look: the same dates, parties, values, layers, firmness, statuses, descriptions,
  headlines (key events) and sources, so parties, dates, texts and flags repeat as they do in real data. Each
  copy gets fresh deal_ids (R000001-D011: copy 1 of D011), and its overlaps_with points into the same copy;
  in a last, partial copy a row whose counterpart was cut off counts in totals and overlaps nothing.
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import polars as pl

from compute_ledger.data.build import write_table
from compute_ledger.data.manifest import write_manifest
from compute_ledger.data.load import REPO_DATA_DIR, load_ledger
from compute_ledger.data.schema import DEAL_STATUSES, DEAL_TYPES

TYPE_WEIGHTS = [0.45, 0.2, 0.15, 0.1, 0.05, 0.05]
STATUS_WEIGHTS = [0.2, 0.55, 0.05, 0.05, 0.08, 0.03, 0.04]


def synthetic_deals(n: int, companies: pl.DataFrame, seed: int = 1) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    ids = companies["company_id"].to_list()
    labs = [c for c in ("openai", "anthropic", "meta", "xai", "microsoft-azure") if c in ids]
    buyer_pool = labs + ids
    buyer_p = np.array([8.0] * len(labs) + [0.2] * len(ids))
    buyers = rng.choice(buyer_pool, n, p=buyer_p / buyer_p.sum())
    providers = rng.choice(ids, n)
    start = dt.date(2019, 1, 1).toordinal()
    days = (dt.date(2026, 10, 31).toordinal() - start) * rng.beta(5, 1.3, n)
    announced = [dt.date.fromordinal(int(start + d)) for d in days]
    values = np.round(rng.lognormal(1.5, 1.4, n), 2).clip(0.01, 4_000)
    disclosed = rng.random(n) > 0.33
    gw = np.round(rng.lognormal(-0.5, 1.0, n), 3).clip(0.001, 500)
    has_gw = rng.random(n) < 0.3
    start_year = np.array([d.year for d in announced]) + rng.integers(0, 2, n)
    term = rng.integers(1, 11, n)
    has_term = rng.random(n) < 0.6
    frame = pl.DataFrame({
        "deal_id": [f"S{i:07d}" for i in range(n)],
        "announced": pl.Series(announced, dtype=pl.Date),
        "buyer_id": buyers, "provider_id": providers,
        "deal_type": rng.choice(DEAL_TYPES, n, p=TYPE_WEIGHTS),
        "values": values, "disclosed": disclosed, "gw": gw, "has_gw": has_gw,
        "start_year": np.minimum(start_year, 2035), "term": term, "has_term": has_term,
        "with_end": rng.random(n) < 0.5, "estimate": rng.random(n) < 0.3,
        "status": rng.choice(DEAL_STATUSES, n, p=STATUS_WEIGHTS),
    })
    return frame.select(
        "deal_id", "announced", "buyer_id", "provider_id", "deal_type",
        value_usd_bn=pl.when("disclosed").then("values"),
        value_basis=pl.when("disclosed").then(pl.lit("contract")),
        is_estimate=pl.col("estimate") & pl.col("disclosed"),
        capacity_gw=pl.when("has_gw").then("gw"),
        term_years=pl.when("has_term").then("term").cast(pl.Int64),
        start_year=pl.col("start_year").cast(pl.Int64),
        end_year=pl.when(pl.col("has_term") & pl.col("with_end"))
        .then(pl.min_horizontal(pl.col("start_year") + pl.col("term") - 1, 2035)).cast(pl.Int64),
        status="status",
        status_changed=pl.lit(None, pl.Date),
        previous_status=pl.lit(None, pl.String),
        layer=pl.when(pl.col("deal_type") == "equity_investment").then(pl.lit("financing"))
        .when(pl.col("deal_type").is_in(["power", "manufacturing"])).then("deal_type").otherwise(pl.lit("end_user")),
        firmness=pl.col("status").replace_strict({"signed": "definitive", "completed": "definitive", "rumored": "reported"},
                                                 default="announced"),
        capacity_kind=pl.when("has_gw").then(pl.when(pl.col("deal_type") == "chips").then(pl.lit("chips"))
                                             .when(pl.col("deal_type") == "power").then(pl.lit("power"))
                                             .otherwise(pl.lit("site"))),
        power_type=pl.when(pl.col("deal_type") == "power").then(pl.lit("mixed")),
        chips=pl.lit(None, pl.String),
        description=pl.lit("Synthetic benchmark deal, not real data."),
        counts_in_totals=pl.lit(True),
        overlaps_with=pl.lit(None, pl.String),
        end_customer_id=pl.lit(None, pl.String),
        counting_note=pl.lit(None, pl.String),
        headline=pl.lit(None, pl.String),
        source_title=pl.lit("Synthetic benchmark row"),
        source_url=pl.lit("https://example.org/benchmark"),
        source_date="announced",
        source_kind=pl.lit("aggregator"),
        source_note=pl.lit(None, pl.String),
        source_publisher=pl.lit("Synthetic publisher"),
        citation_count=pl.lit(1, pl.Int64),
        independent_publishers=pl.lit(1, pl.Int64),
        first_reported_by=pl.lit("Synthetic publisher"),
        source_strength=pl.lit("single_report"),
        single_source_reason=pl.lit(None, pl.String),
    )


def replicated_deals(n: int, bundled: pl.DataFrame) -> pl.DataFrame:
    """`bundled` copied until there are `n` rows (copy 0 first, then copy 1, ...), with fresh, consistent ids."""
    copies = -(-n // bundled.height)
    frame = (pl.DataFrame({"copy": pl.arange(0, copies, eager=True).cast(pl.Int64)})
             .join(bundled, how="cross").head(n)
             .with_columns(prefix=pl.format("R{}-", pl.col("copy").cast(pl.String).str.zfill(6))))
    frame = frame.with_columns(deal_id=pl.col("prefix") + pl.col("deal_id"),
                               overlaps_with=pl.col("prefix") + pl.col("overlaps_with"))
    cut_off = pl.col("overlaps_with").is_not_null() & ~pl.col("overlaps_with").is_in(frame["deal_id"].implode())
    return frame.with_columns(
        overlaps_with=pl.when(cut_off).then(None).otherwise("overlaps_with"),
        counts_in_totals=pl.col("counts_in_totals") | cut_off,
    ).select(bundled.columns)


SHAPES = ("lognormal", "replicated")


def write_ledger(n: int, out_dir: Path, seed: int = 1, shape: str = "lognormal") -> Path:
    """A data folder with the bundled companies, milestones and financials, and `n` deals of `shape`."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}: one of {', '.join(SHAPES)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in ("companies", "milestones", "financials"):
        shutil.copy(REPO_DATA_DIR / f"{name}.parquet", out_dir / f"{name}.parquet")
    companies = pl.read_parquet(out_dir / "companies.parquet")
    deals = (synthetic_deals(n, companies, seed) if shape == "lognormal"
             else replicated_deals(n, pl.read_parquet(REPO_DATA_DIR / "deals.parquet")))
    write_table(deals, out_dir / "deals.parquet")  # as the build writes its tables
    # As a deployment would: validate once (like `build`), then record the files as validated.
    problems = load_ledger(str(out_dir)).problems
    if problems:
        raise ValueError(f"synthetic data is invalid: {problems[:3]}")
    write_manifest(out_dir)
    return out_dir
