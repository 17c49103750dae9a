"""What the Overview page shows, as one value: worked out from the ledger for any filter, and stored by the build
for the unfiltered ledger. No Streamlit here.

Why stored: the Overview is the page a server's first visitor and most shared links open. Worked out live, its
first chart waits for every deal to be read and summed (at a million deals, most of a second on two cores); read
from `overview.json`, for a few kilobytes. The build writes the file with the same function the page calls, and
the app takes it only while it is exactly current: written from the very table files the build validated (their
hashes match the manifest's) by the very code that works it out now (a hash of that code's source). Anything else,
and the page works the view out live, as it does for any filter or uploaded deals.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from compute_ledger import capacity, metrics, narrative
from compute_ledger.build import vouched_hashes
from compute_ledger.filters import DealFilter, FilterOptions, apply_deal_filter, filter_options
from compute_ledger.schema import DEAL_STATUSES, DEAL_TYPES, TABLE_NAMES

STORED_VIEW = "overview.json"
COVER_BUYER = "openai"  # the lab whose commitments-to-revenue card the unfiltered Overview shows
# The modules whose code decides the view: a change to any of them makes a stored view out of date.
VIEW_CODE = ("overview", "metrics", "narrative", "capacity", "filters", "formatting", "schema")


@dataclass(frozen=True)
class OverviewView:
    story: str
    as_of: dt.date | None
    numbers: metrics.Headline
    cover: metrics.RevenueCover | None
    fleet: pl.DataFrame  # company_id, fleet_gw, fleet_date: the latest operating fleet reported
    by_provider: pl.DataFrame  # every provider, largest first (takeaway, undisclosed caption)
    bars: pl.DataFrame  # the chart's bars: the 15 largest providers and "Other providers (n)"
    segments: pl.DataFrame  # the chart's stacked segments: buyer within provider


def overview_view(tables: Mapping[str, pl.DataFrame], deal_filter: DealFilter) -> OverviewView:
    """The Overview of the deals the filter keeps (the story and "as of" date are of the whole ledger)."""
    all_deals, companies, financials = tables["deals"], tables["companies"], tables["financials"]
    deals = apply_deal_filter(all_deals, deal_filter)
    buyers = list(deal_filter.buyers) or [COVER_BUYER]
    fleet = capacity.latest_fleet(tables["milestones"])
    if deal_filter.buyers:
        fleet = fleet.filter(pl.col("company_id").is_in(deal_filter.buyers))
    by_provider = metrics.commitments_by_provider(deals, companies)
    by_pair = metrics.fold_small_buyers(metrics.commitments_by_provider_and_buyer(deals, companies))
    bars, segments = metrics.fold_small_providers(by_provider, by_pair)
    return OverviewView(
        story=narrative.seed_story(financials, all_deals, companies),
        as_of=metrics.data_as_of(all_deals, tables["milestones"], financials),
        numbers=metrics.headline(deals),
        cover=metrics.commitments_to_revenue(deals, financials, buyers[0]) if len(buyers) == 1 else None,
        fleet=fleet, by_provider=by_provider, bars=bars, segments=segments,
    )


def unfiltered_options(tables: Mapping[str, pl.DataFrame]) -> FilterOptions:
    return filter_options(tables["deals"], tables["companies"], DEAL_TYPES, DEAL_STATUSES)


# --- stored beside the tables --------------------------------------------------------------------

def view_code_hash() -> str:
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for module in VIEW_CODE:
        digest.update((package / f"{module}.py").read_bytes())
    return digest.hexdigest()


def write_stored_view(data_dir: Path, tables: Mapping[str, pl.DataFrame]) -> None:
    """Store the unfiltered view and the filter's options, with what they were worked out from: the table files
    the manifest vouches for (`tables` as read from them) and this code."""
    view = overview_view(tables, DealFilter())
    options = unfiltered_options(tables)
    content = {
        "tables": vouched_hashes(data_dir),
        "code": view_code_hash(),
        "view": {
            "story": view.story,
            "as_of": view.as_of.isoformat() if view.as_of else None,
            "numbers": dataclasses.asdict(view.numbers),
            "cover": dataclasses.asdict(view.cover) if view.cover else None,
            **{name: _frame_to_json(getattr(view, name)) for name in ("fleet", "by_provider", "bars", "segments")},
        },
        "options": {"providers": options.providers, "buyers": options.buyers, "names": dict(options.names)},
    }
    stored = {**content, "checksum": _checksum(content)}
    (data_dir / STORED_VIEW).write_text(json.dumps(stored, indent=1, ensure_ascii=False) + "\n")


def _checksum(content: dict) -> str:
    """Of the stored content, so that a hand-edited number makes the file unusable rather than shown."""
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def read_stored_view(data_dir: Path) -> tuple[OverviewView, FilterOptions] | None:
    """The stored view and options if they are current: for the table files there, every one vouched for by the
    manifest, and for this code; else None."""
    table_hashes = vouched_hashes(data_dir)
    try:
        stored = json.loads((data_dir / STORED_VIEW).read_text())
        checksum = stored.pop("checksum")
        if (set(table_hashes) != set(TABLE_NAMES) or stored["tables"] != table_hashes
                or stored["code"] != view_code_hash() or checksum != _checksum(stored)):
            return None
        raw = stored["view"]
        view = OverviewView(
            story=str(raw["story"]),
            as_of=dt.date.fromisoformat(raw["as_of"]) if raw["as_of"] else None,
            numbers=_typed(metrics.Headline, raw["numbers"]),
            cover=_typed(metrics.RevenueCover, raw["cover"]) if raw["cover"] else None,
            **{name: _frame_from_json(raw[name]) for name in ("fleet", "by_provider", "bars", "segments")},
        )
        options = stored["options"]
        return view, FilterOptions(tuple(map(str, options["providers"])), tuple(map(str, options["buyers"])),
                                   tuple(DEAL_TYPES), tuple(DEAL_STATUSES), dict(options["names"]))
    # Missing, unreadable, out of date or of another shape: the page works the view out live instead.
    except (OSError, ValueError, KeyError, TypeError, AttributeError, pl.exceptions.PolarsError):
        return None


def _typed(cls, values: Mapping):
    """A dataclass of str, int and float fields from stored values, each converted to its field's type."""
    convert = {"str": str, "int": int, "float": float}
    return cls(**{f.name: convert[f.type](values[f.name]) for f in dataclasses.fields(cls)})


# JSON keeps floats exactly (shortest round-trip repr); the column types are stored beside the values.
_DTYPES = {str(t): t for t in (pl.String, pl.Float64, pl.Int64, pl.UInt32, pl.Int32, pl.Boolean, pl.Date)}


def _frame_to_json(frame: pl.DataFrame) -> dict:
    unknown = [f"{n}: {t}" for n, t in frame.schema.items() if str(t) not in _DTYPES]
    if unknown:
        raise TypeError(f"cannot store columns of type {unknown}")
    columns = {n: [v.isoformat() if isinstance(v, dt.date) else v for v in frame[n].to_list()] for n in frame.columns}
    return {"schema": {n: str(t) for n, t in frame.schema.items()}, "columns": columns}


def _frame_from_json(stored: dict) -> pl.DataFrame:
    schema = {n: _DTYPES[t] for n, t in stored["schema"].items()}
    columns = {n: [dt.date.fromisoformat(v) if v is not None else None for v in values] if schema[n] == pl.Date
               else values for n, values in stored["columns"].items()}
    return pl.DataFrame(columns, schema=schema)
