"""Streamlit glue shared by the entry file and the pages: cached loading, the sidebar filter bound to
the URL, error and source displays. Everything that computes lives in the other modules."""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import importlib
import os
import runpy
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import polars.selectors as cs
import streamlit as st

from compute_ledger import formatting as fmt
from compute_ledger.build import MANIFEST
from compute_ledger.filters import (
    FILTER_PARAMS, DealFilter, FilterOptions, filter_options, merge_options, parse_query_params, to_query_params,
)
from compute_ledger.load import Ledger, is_remote, load_ledger, table_uri
from compute_ledger.metrics import with_names
from compute_ledger.overview import STORED_VIEW, OverviewView, overview_view, read_stored_view, unfiltered_options
from compute_ledger.problems import Problem
from compute_ledger.schema import DATE_MAX, DATE_MIN, DEAL_STATUSES, DEAL_TYPES, TABLE_NAMES
from compute_ledger.uploads import ORIGIN_USER, merge_user_deals

# Widget keys, prefixed so they never collide with a page's own widgets.
KEY_PROVIDER, KEY_BUYER, KEY_TYPE, KEY_STATUS = "flt_provider", "flt_buyer", "flt_deal_type", "flt_status"
KEY_FROM, KEY_TO, KEY_OVERLAPS = "flt_from", "flt_to", "flt_overlaps"
KEY_WARNINGS, KEY_FROM_URL = "flt_link_warnings", "flt_read_from_url"
KEY_PENDING_PROVIDER = "flt_pending_provider"
KEY_USER_DEALS = "data_user_deals"
FILTER_KEYS = (KEY_PROVIDER, KEY_BUYER, KEY_TYPE, KEY_STATUS, KEY_FROM, KEY_TO, KEY_OVERLAPS)
CONTEXT_KEY = "ledger_context"
MAX_PROBLEMS_SHOWN = 25


def _files_signature(location: str, *extra: str) -> tuple:
    """Modification times of the local table files (and of `extra` files beside them), so a rebuilt dataset is
    picked up without a restart."""
    if is_remote(location):
        return ()
    paths = [table_uri(location, n) for n in TABLE_NAMES] + [str(Path(location) / name) for name in extra]
    return tuple(os.stat(p).st_mtime_ns if os.path.exists(p) else None for p in paths)


# cache_resource, not cache_data: cache_data would copy (pickle) every table on every rerun, which at a
# million deals costs more than the page itself. Sharing is safe: Polars frames are never changed in place.
@st.cache_resource(show_spinner="Loading the ledger…", max_entries=4)
def _cached_ledger(location: str, signature: tuple) -> Ledger:
    data = load_ledger(location)
    if not data.has("deals"):
        return data
    # Marked once here rather than on every rerun: at a million deals the column costs as much as a page's sums.
    return dataclasses.replace(data, tables={**data.tables, "deals": merge_user_deals(data["deals"], None)})


def ledger(location: str) -> Ledger:
    """The checked tables, with this browser session's uploaded deals merged in (marked by `origin`)."""
    data = _cached_ledger(location, _files_signature(location))
    if not data.has("deals"):
        return data
    deals = merge_user_deals(data["deals"], st.session_state.get(KEY_USER_DEALS))
    return dataclasses.replace(data, tables={**data.tables, "deals": deals})


def user_deal_count() -> int:
    user = st.session_state.get(KEY_USER_DEALS)
    return 0 if user is None else user.height


def set_user_deals(frame: pl.DataFrame | None) -> None:
    st.session_state[KEY_USER_DEALS] = frame


def user_deals_notice() -> None:
    """Say on every page that the session's uploaded deals are included, with a way to drop them."""
    count = user_deal_count()
    if count:
        st.sidebar.info(f"Includes **{count}** deal(s) from your upload, in this browser session only.",
                        icon=":material/upload_file:")
        st.sidebar.button("Remove my uploaded deals", key="flt_remove_uploads", on_click=set_user_deals, args=(None,))


def show_problems(problems: Sequence[Problem], what: str) -> None:
    """A clear error naming file, row and column for each problem (the first few; the count for the rest)."""
    lines = [f"- `{p.file}` · row {p.row} · column `{p.column}`: {fmt.escape_markdown(p.message)}"
             for p in problems[:MAX_PROBLEMS_SHOWN]]
    more = len(problems) - MAX_PROBLEMS_SHOWN
    if more > 0:
        lines.append(f"- … and {more} more (run `python -m compute_ledger validate` for the full list)")
    st.error(f"**{what}**\n\n" + "\n".join(lines), icon=":material/error:")


def require(data: Ledger, *tables: str) -> None:
    """Stop this page, with the reason, if a table it needs could not be loaded; other pages go on."""
    missing = data.missing(*tables)
    if missing:
        show_problems(data.problems_for(*missing),
                      f"This page needs the {', '.join(missing)} data, which could not be loaded from `{data.location}`.")
        st.stop()


# --- the shared filter, bound to the URL ---------------------------------------------------------

@st.cache_resource(max_entries=4)
def _bundled_options(location: str, signature: tuple) -> FilterOptions:
    return unfiltered_options(_cached_ledger(location, signature).tables)


def _options(data: Ledger) -> FilterOptions:
    """The ids the filter offers: those of the data (worked out once per version of it: a scan of every deal),
    plus those of this session's upload."""
    bundled = _bundled_options(data.location, _files_signature(data.location))
    user = st.session_state.get(KEY_USER_DEALS)
    if user is None or user.is_empty():
        return bundled
    return merge_options(bundled, filter_options(user, data["companies"], DEAL_TYPES, DEAL_STATUSES))


def _seed_widgets_from_url(options: FilterOptions) -> None:
    params = {key: st.query_params.get_all(key) for key in FILTER_PARAMS if key in st.query_params}
    deal_filter, warnings = parse_query_params(params, options)
    st.session_state[KEY_PROVIDER] = list(deal_filter.providers)
    st.session_state[KEY_BUYER] = list(deal_filter.buyers)
    st.session_state[KEY_TYPE] = list(deal_filter.deal_types)
    st.session_state[KEY_STATUS] = list(deal_filter.statuses)
    st.session_state[KEY_FROM] = deal_filter.date_from
    st.session_state[KEY_TO] = deal_filter.date_to
    st.session_state[KEY_OVERLAPS] = deal_filter.include_overlaps
    st.session_state[KEY_WARNINGS] = warnings
    st.session_state[KEY_FROM_URL] = True


def _forget_link_warnings() -> None:
    st.session_state[KEY_WARNINGS] = []


def _clear_filters() -> None:
    for key in (KEY_PROVIDER, KEY_BUYER, KEY_TYPE, KEY_STATUS):
        st.session_state[key] = []
    st.session_state[KEY_FROM] = st.session_state[KEY_TO] = None
    st.session_state[KEY_OVERLAPS] = False
    _forget_link_warnings()


def filter_by_chart_selection(chart_key: str, event) -> None:
    """Click-to-filter: make the providers selected in a chart (customdata[0]) the shared provider filter.

    The sidebar is drawn before the page, so its widget cannot change in this run: the choice is parked and
    applied at the top of a fresh run. A selection is applied once, so clearing the filter afterwards sticks.
    """
    points = event.selection.points if event and event.selection else []
    clicked = list(dict.fromkeys(str(p["customdata"][0]) for p in points
                                 if isinstance(p.get("customdata"), (list, tuple)) and p["customdata"]))
    applied_key = f"{chart_key}_applied"
    if clicked and clicked != st.session_state.get(applied_key):
        st.session_state[applied_key] = clicked
        st.session_state[KEY_PENDING_PROVIDER] = clicked
        st.rerun()


def clear_provider_filter() -> None:
    st.session_state[KEY_PROVIDER] = []


def _write_url(deal_filter: DealFilter) -> None:
    wanted = to_query_params(deal_filter)
    for key in FILTER_PARAMS:
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


def sidebar_filter(options: FilterOptions) -> DealFilter:
    """Draw the shared filters in the sidebar, restored from and written back to the URL."""
    if not st.session_state.get(KEY_FROM_URL):
        _seed_widgets_from_url(options)
    pending = st.session_state.pop(KEY_PENDING_PROVIDER, None)
    if pending is not None:
        st.session_state[KEY_PROVIDER] = [p for p in pending if p in options.providers]
        _forget_link_warnings()
    sidebar = st.sidebar
    sidebar.header("Filter deals")
    for warning in st.session_state.get(KEY_WARNINGS, []):
        sidebar.warning(fmt.escape_markdown(warning), icon=":material/link_off:")
    sidebar.multiselect("Buyer", options.buyers, format_func=options.label, key=KEY_BUYER,
                        on_change=_forget_link_warnings, placeholder="All buyers",
                        help="Who receives the compute, chips or capital (usually an AI lab).")
    sidebar.multiselect("Provider", options.providers, format_func=options.label, key=KEY_PROVIDER,
                        on_change=_forget_link_warnings, placeholder="All providers",
                        help="The counterparty: cloud, chipmaker, developer or investor.")
    sidebar.multiselect("Deal type", options.deal_types, format_func=lambda t: t.replace("_", " "), key=KEY_TYPE,
                        on_change=_forget_link_warnings, placeholder="All types")
    sidebar.multiselect("Status", options.statuses, format_func=lambda s: s.replace("_", " "), key=KEY_STATUS,
                        on_change=_forget_link_warnings, placeholder="All statuses")
    sidebar.date_input("Announced from", min_value=DATE_MIN, max_value=DATE_MAX, key=KEY_FROM,
                    format="YYYY-MM-DD", on_change=_forget_link_warnings)
    sidebar.date_input("Announced to", min_value=DATE_MIN, max_value=DATE_MAX, key=KEY_TO,
                     format="YYYY-MM-DD", on_change=_forget_link_warnings)
    sidebar.toggle("Include overlapping rows", key=KEY_OVERLAPS, on_change=_forget_link_warnings,
                   help="Some rows repeat money or capacity counted elsewhere (a site inside a larger contract, "
                        "a deal that replaced another). They are left out of totals unless you include them.")
    sidebar.button("Clear filters", on_click=_clear_filters, icon=":material/filter_alt_off:")

    date_from, date_to = st.session_state[KEY_FROM], st.session_state[KEY_TO]
    if date_from and date_to and date_from > date_to:
        sidebar.warning("'Announced from' is after 'to'; the dates are used the other way round.")
        date_from, date_to = date_to, date_from
    deal_filter = DealFilter(
        providers=tuple(st.session_state[KEY_PROVIDER]),
        buyers=tuple(st.session_state[KEY_BUYER]),
        deal_types=tuple(st.session_state[KEY_TYPE]),
        statuses=tuple(st.session_state[KEY_STATUS]),
        date_from=date_from,
        date_to=date_to,
        include_overlaps=bool(st.session_state[KEY_OVERLAPS]),
    )
    _write_url(deal_filter)
    return deal_filter


# --- the first runs after a server start -------------------------------------------------------

_first_run = threading.Lock()
_pandas_imported = threading.Event()


@contextlib.contextmanager
def first_runs_in_turn() -> Iterator[None]:
    """Until pandas has been imported once, script runs take turns; the first to finish imports it.

    Plotly and narwhals look pandas up in sys.modules without importing it (`get_module(..., should_load=False)`).
    While one session imports pandas (st.dataframe and Plotly Express do on first use), another session building
    a chart could find it half imported and fail with "partially initialized module 'pandas'". Importing pandas
    before the first chart would prevent that too, but would keep the first visitor ~0.4 s longer from seeing
    it; taking turns costs only visitors who arrive while the very first run is under way.
    """
    if not _pandas_imported.is_set():
        with _first_run:
            if not _pandas_imported.is_set():
                try:
                    yield
                finally:
                    import pandas  # noqa: F401  (after this run's charts are on their way)
                    _pandas_imported.set()
                return
    yield


# --- context handed from the entry file to the page ----------------------------------------------

def set_context(location: str, deal_filter: DealFilter | None) -> None:
    st.session_state[CONTEXT_KEY] = (location, deal_filter)


def chosen_filter() -> tuple[str, DealFilter | None]:
    """The data location and filter the entry file prepared for this page, without loading the ledger.

    On the first visit after a server start, Streamlit's legacy `pages/` mode may run a page file on
    its own (a shared deep link such as /diversification). Then the entry has not run: run it now;
    it registers the navigation and renders this page, and this direct run stops.
    """
    if CONTEXT_KEY not in st.session_state:
        runpy.run_path(str(repo_root() / "dashboard.py"), run_name="__main__")
        st.stop()
    return st.session_state[CONTEXT_KEY]


def context() -> tuple[Ledger, DealFilter | None]:
    """The ledger (loaded once per version of the data, then shared) and the filter for this page."""
    location, deal_filter = chosen_filter()
    return ledger(location), deal_filter


# --- the Overview's stored view (compute_ledger.overview) -----------------------------------------

@st.cache_resource(max_entries=4)
def _stored_view(location: str, signature: tuple) -> tuple[OverviewView, FilterOptions] | None:
    return read_stored_view(Path(location))


def stored_view(location: str) -> tuple[OverviewView, FilterOptions] | None:
    """The unfiltered Overview and the filter's options as the build stored them, if they are current for the
    data and code, and this session has no uploaded deals to add to them; else None."""
    if is_remote(location) or user_deal_count():
        return None
    return _stored_view(location, _files_signature(location, MANIFEST, STORED_VIEW))


def overview(location: str, deal_filter: DealFilter) -> tuple[OverviewView, FilterOptions]:
    """What the Overview shows for this filter, and the filter's options. Unfiltered, the view the build stored
    (if current): no deal has to be read before the chart is drawn. Otherwise worked out from the ledger."""
    stored = stored_view(location) if deal_filter == DealFilter() else None
    if stored:
        return stored
    data = ledger(location)
    require(data, "companies", "deals", "milestones", "financials")
    return overview_view(data.tables, deal_filter), _options(data)


def filter_options_of(data: Ledger) -> FilterOptions:
    return _options(data)


# --- sources ------------------------------------------------------------------------------------

# One display per column name, for every table the app shows: money and GW formatted, links clickable.
COLUMN_CONFIG = {
    "source_url": st.column_config.LinkColumn("Source", display_text=r"https?://(?:www\.)?([^/]+)"),
    "source_title": st.column_config.TextColumn("Source title", width="large"),
    "source_date": st.column_config.DateColumn("Source date", format="YYYY-MM-DD"),
    "value_usd_bn": st.column_config.NumberColumn("Value (USD bn)", format="$%.2f bn"),
    "committed_usd_bn": st.column_config.NumberColumn("Committed (USD bn)", format="$%.2f bn"),
    "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
    "as_of": st.column_config.DateColumn("As of", format="YYYY-MM-DD"),
    "lat": st.column_config.NumberColumn("Lat", format="%.2f"),
    "lon": st.column_config.NumberColumn("Lon", format="%.2f"),
    "year": st.column_config.NumberColumn("Year", format="%d"),
    "start_year": st.column_config.NumberColumn("Start", format="%d"),
    "end_year": st.column_config.NumberColumn("End", format="%d"),
    "capacity_gw": st.column_config.NumberColumn("Capacity (GW)", format="%.2f GW"),
    "announced": st.column_config.DateColumn("Announced", format="YYYY-MM-DD"),
    "description": st.column_config.TextColumn("What was agreed", width="large"),
    "origin": st.column_config.TextColumn("Origin", help="'your upload': a row you added in this session"),
    # Plain headers for the other columns the source tables show.
    "deal_id": "Deal", "buyer": "Buyer", "provider": "Provider", "deal_type": "Deal type", "status": "Status",
    "company": "Company", "site": "Site", "scope": "Scope", "stage": "Stage", "period": "Period", "metric": "Metric",
    "estimator": "Estimated by", "is_projection": "Projection", "term_basis": "Term from", "first_year": "First year",
    "last_year": "Last year", "deals": "Deals", "flow": "Flow", "deal_ids": "Deal ids",
}


MAX_ROWS_SHOWN = 2_000
MISSING = "—"  # what a table shows for an empty cell (an undisclosed value), instead of "None"


def sources_expander(rows: pl.DataFrame | Callable[[], pl.DataFrame], columns: Sequence[str], *, key: str,
                     label: str = "Data and sources", newest_by: str | None = None,
                     companies: pl.DataFrame | Callable[[], pl.DataFrame] | None = None) -> None:
    """The rows behind a chart with their links, one click away: at most 2,000, newest first when `newest_by`
    names a date column. With `companies`, buyer and provider names are added to the rows shown (not to all of
    them: at a million rows that alone would cost more than the table).

    The table is built only while the expander is open (Streamlit reruns on opening it): a closed one costs
    nothing, so a page's first chart is not kept waiting by tables nobody has asked for. The label stays the
    same whatever the filter, as a new label would make a new expander and close an open one on every change.
    `rows` and `companies` may be functions, called only when the table is shown (a page drawn from a stored
    view has not loaded the deals).
    """
    box = st.expander(label, key=key, on_change="rerun")
    if not box.open:
        return
    rows = rows() if callable(rows) else rows
    companies = companies() if callable(companies) else companies
    total = rows.height
    if newest_by:
        rows = (rows.top_k(MAX_ROWS_SHOWN, by=newest_by) if total > MAX_ROWS_SHOWN else rows).sort(
            newest_by, descending=True)
    rows = rows.head(MAX_ROWS_SHOWN)
    if companies is not None:
        rows = with_names(rows, companies, {"buyer_id": "buyer", "provider_id": "provider"})
    shown = list(columns)
    if "origin" in rows.columns and (rows["origin"] == ORIGIN_USER).any():
        shown.insert(0, "origin")  # the analyst's own rows must be told apart from sourced ones
    with box:
        if total > MAX_ROWS_SHOWN:
            st.caption(f"Showing the {'newest' if newest_by else 'first'} {MAX_ROWS_SHOWN:,} of {total:,} rows; "
                       "the Data page downloads them all.")
        else:
            st.caption(f"{fmt.count(total)} {'row' if total == 1 else 'rows'}"
                       f"{', newest first' if newest_by else ''}.")
        st.dataframe(rows.select(shown), hide_index=True, placeholder=MISSING, column_config=COLUMN_CONFIG)


# --- charts ------------------------------------------------------------------------------------

# Streamlit hashes a frame of this many rows or more by a sample of it; a chart fed such a frame is not cached,
# so that a change outside the sample can never show a stale chart. Chart inputs are aggregates or capped.
HASHED_IN_FULL_BELOW_ROWS = 50_000
# Polars adds floats in parallel, so the same sums can differ in the last bits from one run to the next (~1e-12).
# The cache key rounds them to 6 decimals: a millionth of a USD bn or GW, which no chart can show.
KEY_DECIMALS = 6


@st.cache_data(max_entries=256, show_spinner=False)
def _cached_figure(module: str, name: str, key: tuple, _args: tuple, _kwargs: dict) -> go.Figure:
    built = getattr(importlib.import_module(module), name)(*_args, **_kwargs)
    # As the cache will hand it back (a copy drops empty settings such as `title={}`), so the first run draws
    # the same spec as later ones: a chart whose spec changes gets a new id and loses its click selection.
    return go.Figure(built.to_dict())


def _key_part(value: object) -> object:
    """A frame as its names, types and row hashes, with floats rounded. (Streamlit's own hashing of a Polars
    frame imports pyarrow: ~0.15 s that the first visitor would wait for before the first chart.)"""
    if not isinstance(value, pl.DataFrame):
        return value
    rows = value.with_columns(cs.float().round(KEY_DECIMALS)).hash_rows(seed=0).rechunk()
    return value.columns, [str(dtype) for dtype in value.dtypes], rows.to_frame().write_ipc(None).getvalue()


def figure(builder: Callable[..., go.Figure], *args, **kwargs) -> go.Figure:
    """`builder(*args, **kwargs)`, remembered for the same inputs: building a Plotly figure costs more than most
    of the computing behind it, and a rerun after one widget changes would otherwise rebuild every chart."""
    inputs = (*args, *kwargs.values())
    if any(isinstance(a, pl.DataFrame) and a.height >= HASHED_IN_FULL_BELOW_ROWS for a in inputs):
        return builder(*args, **kwargs)
    key = (tuple(_key_part(a) for a in args), {k: _key_part(v) for k, v in kwargs.items()})
    return _cached_figure(builder.__module__, builder.__qualname__, key, args, kwargs)


def today() -> dt.date:
    return dt.date.today()


def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
