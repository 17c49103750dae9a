"""Loading the ledger once per version of the data, this session's uploaded deals, and the page views cached by
Streamlit: `page_view(overview_view, deal_filter)` is worked out once per data version, filter and page inputs."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import polars as pl
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.analysis.metrics import checked_against_reports, data_as_of
from compute_ledger.analysis.filters import DealFilter, FilterOptions, merge_options
from compute_ledger.analysis.filters import filter_options as filter_options_of
from compute_ledger.data.load import Ledger, data_location, is_remote, load_ledger, table_uri
from compute_ledger.data.manifest import MANIFEST
from compute_ledger.data.schema import DEAL_STATUSES, DEAL_TYPES, PUBLISHED_TABLE_NAMES
from compute_ledger.data.uploads import merge_user_deals
from compute_ledger.i18n import t, tn

KEY_USER_DEALS, KEY_USER_VERSION = "data_user_deals", "data_user_deals_version"
View = TypeVar("View")


def files_signature(location: str) -> tuple:
    """Modification times of the local table files and manifest, so a rebuilt dataset is picked up without a
    restart."""
    if is_remote(location):
        return ()
    paths = [table_uri(location, n) for n in PUBLISHED_TABLE_NAMES] + [str(Path(location) / MANIFEST)]
    return tuple(os.stat(p).st_mtime_ns if os.path.exists(p) else None for p in paths)


# A load that could not read a table (host down, timeout, file absent) is kept this long, then tried again: long
# enough that every page of a session is not kept waiting for the same dead host, short enough to recover by itself.
RETRY_AFTER_S = 30.0


class _Incomplete(Exception):
    """Raised out of the cached loader so that Streamlit does not keep an incomplete ledger for good."""

    def __init__(self, data: Ledger):
        super().__init__(data.location)
        self.data = data


def _marked(data: Ledger) -> Ledger:
    if not data.has("deals"):
        return data
    # Marked once here rather than on every rerun: at a million deals the column costs as much as a page's sums.
    return dataclasses.replace(data, tables={**data.tables, "deals": merge_user_deals(data["deals"], None)})


# cache_resource, not cache_data: cache_data would copy (pickle) every table on every rerun, which at a
# million deals costs more than the page itself. Sharing is safe: Polars frames are never changed in place.
# The spinner is drawn by `_cached_ledger`, in the reader's language (a decorator's text could not follow it).
@st.cache_resource(show_spinner=False, max_entries=4)
def _complete_ledger(location: str, signature: tuple) -> Ledger:
    data = load_ledger(location)
    if data.incomplete:
        raise _Incomplete(_marked(data))  # Streamlit caches no result for a call that raises
    return _marked(data)


_recent_failures: dict[tuple, tuple[float, Ledger]] = {}
_loaded: set[tuple] = set()  # (location, signature) loaded complete by this process
_failures_lock = threading.Lock()


def _cached_ledger(location: str, signature: tuple) -> Ledger:
    """The cached ledger; an incomplete one is reused for RETRY_AFTER_S only, then loaded again."""
    key = (location, signature)
    with _failures_lock:
        failed = _recent_failures.get(key)
    if failed and time.monotonic() - failed[0] < RETRY_AFTER_S:
        return failed[1]
    try:
        if key in _loaded:
            data = _complete_ledger(location, signature)
        else:  # most likely a load, not a cache hit: say so (st.spinner starts a timer thread, so not on every call)
            with st.spinner(t("Loading the ledger…")):
                data = _complete_ledger(location, signature)
            _loaded.add(key)
    except _Incomplete as incomplete:
        with _failures_lock:
            _recent_failures.clear()  # only the latest failure matters; the dict never grows
            _recent_failures[key] = (time.monotonic(), incomplete.data)
        return incomplete.data
    with _failures_lock:
        _recent_failures.pop(key, None)
    return data


def retry_in() -> float | None:
    """Seconds until the failed load now being shown is tried again (0: on the next run); None if no load failed."""
    with _failures_lock:
        failures = list(_recent_failures.values())
    if not failures:
        return None
    return max(0.0, RETRY_AFTER_S - (time.monotonic() - failures[0][0]))


def try_again_now() -> None:
    """Forget the failed load, so the next run (this one's rerun) reads the data location again."""
    with _failures_lock:
        _recent_failures.clear()


def ledger() -> Ledger:
    """The checked tables, with this browser session's uploaded deals merged in (marked by `origin`)."""
    location = data_location()
    data = _cached_ledger(location, files_signature(location))
    user = st.session_state.get(KEY_USER_DEALS)
    if not data.has("deals") or user is None:
        return data
    return dataclasses.replace(data, tables={**data.tables, "deals": merge_user_deals(data["deals"], user)})


def data_version() -> tuple:
    """What a cached view depends on besides its filter and inputs: the data's files and this session's upload."""
    location = data_location()
    signature = files_signature(location)
    # Which tables loaded, too: a remote location's signature stays the same when a failed load later succeeds.
    loaded = _cached_ledger(location, signature)
    return (location, signature, tuple(sorted(loaded.tables)), len(loaded.problems),
            st.session_state.get(KEY_USER_VERSION))


def user_deal_count() -> int:
    user = st.session_state.get(KEY_USER_DEALS)
    return 0 if user is None else user.height


def set_user_deals(frame: pl.DataFrame | None) -> None:
    st.session_state[KEY_USER_DEALS] = frame
    st.session_state[KEY_USER_VERSION] = (
        None if frame is None else hashlib.sha256(frame.hash_rows(seed=0).to_numpy().tobytes()).hexdigest())


def user_deals_notice() -> None:
    """Say on every page that the session's uploaded deals are included, with a way to drop them."""
    count = user_deal_count()
    if count:
        # English says "deal(s)" in both forms, as it always has; German chooses "Deal" or "Deals".
        st.sidebar.info(fmt.md(tn("Includes **{n}** deal(s) from your upload, in this browser session only.",
                                  "Includes **{n}** deal(s) from your upload, in this browser session only.", count)),
                        icon=":material/upload_file:")
        st.sidebar.button(t("Remove my uploaded deals"), key="flt_remove_uploads", on_click=set_user_deals,
                          args=(None,))


# Views are frozen values that nobody changes, so they are shared rather than copied on every rerun.
# A view's sentences and numbers are written in the reader's language: the language is part of the key (and is the
# one set for this run while the view is built), so a German reader never gets a view cached for an English one.
@st.cache_resource(max_entries=256, show_spinner=False)
def _view(name: str, version: tuple, language: str, deal_filter: DealFilter | None, inputs: tuple, _build: Callable,
          _tables: dict):
    with i18n.use_language(language):
        return _build(_tables, deal_filter, *inputs)


def page_view(build: Callable[..., View], deal_filter: DealFilter | None, *inputs) -> View:
    """`build(tables, deal_filter, *inputs)`, worked out once per data version, language, filter and inputs."""
    return _view(f"{build.__module__}.{build.__qualname__}", data_version(), i18n.language(), deal_filter,
                 tuple(inputs), build, ledger().tables)


@st.cache_resource(max_entries=4)
def _bundled_options(location: str, signature: tuple) -> FilterOptions:
    tables = _cached_ledger(location, signature).tables
    return filter_options_of(tables["deals"], tables["companies"], DEAL_TYPES, DEAL_STATUSES)


def filter_options() -> FilterOptions | None:
    """The ids the filter offers: those of the data (a scan of every deal, once per version of it), plus those of
    this session's upload; None when the deals or companies could not be loaded."""
    data = ledger()
    if not data.has("deals", "companies"):
        return None
    bundled = _bundled_options(data.location, files_signature(data.location))
    user = st.session_state.get(KEY_USER_DEALS)
    if user is None or user.is_empty():
        return bundled
    return merge_options(bundled, filter_options_of(user, data["companies"], DEAL_TYPES, DEAL_STATUSES))


@st.cache_resource(max_entries=4)
def _as_of(location: str, signature: tuple) -> dt.date | None:
    return data_as_of(*_cached_ledger(location, signature).tables.values())


@st.cache_resource(max_entries=4)
def _checked(location: str, signature: tuple) -> dt.date | None:
    return checked_against_reports(_cached_ledger(location, signature).tables)


def checked() -> dt.date | None:
    """When the data was last checked against the published reports, as the data records it (never today)."""
    location = data_location()
    return _checked(location, files_signature(location))


def as_of() -> dt.date | None:
    """The newest source date in the data: what the ledger is current to (shown on every page)."""
    location = data_location()
    return _as_of(location, files_signature(location))


# --- handed from the entry file to the page ---------------------------------------------------------

CONTEXT_KEY = "ledger_filter"


def set_page_filter(deal_filter: DealFilter | None) -> None:
    st.session_state[CONTEXT_KEY] = deal_filter


def page_filter() -> DealFilter | None:
    """The filter the entry file drew in the sidebar for this run (None when the deals could not be loaded)."""
    if CONTEXT_KEY not in st.session_state:
        # The entry has not run: the first visit after a server start, by a deep link, ran this page alone in
        # Streamlit's legacy `pages/`-folder mode (which st.navigation ends, but only once it has run). End that
        # mode the way st.navigation does and run again, through the entry.
        PagesManager.uses_pages_directory = False
        st.rerun()
    return st.session_state[CONTEXT_KEY]


def today() -> dt.date:
    """Today's date, as pages pass it to their views (a test freezes it here)."""
    return dt.date.today()
