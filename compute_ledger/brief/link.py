"""The link printed on the brief: the dashboard's address with the filter's URL params and `since`."""
from __future__ import annotations

import datetime as dt
import os
from urllib.parse import urlencode, urlsplit, urlunsplit

from compute_ledger.analysis.filters import DealFilter, to_query_params
from compute_ledger.i18n import QP_LANG
from compute_ledger.views.overview import QP_SINCE

# Where the dashboard is published, e.g. https://ai-compute-ledger.streamlit.app/ ; without it the brief uses the
# address the reader's browser shows (st.context.url), and without that a local address.
PUBLIC_URL_ENV = "LEDGER_PUBLIC_URL"
LOCAL_URL = "http://localhost:8501/"


def base_url(browser_url: str | None) -> str:
    """The configured public address, else the browser's, else a local one; without query or fragment."""
    raw = os.environ.get(PUBLIC_URL_ENV) or browser_url or LOCAL_URL
    parts = urlsplit(raw)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))


def app_root(browser_url: str | None, page_path: str) -> str:
    """The app's own address, from a page's (`page_path`, e.g. "data": its URL path), ending in "/"."""
    base = base_url(browser_url).rstrip("/")
    if base.endswith("/" + page_path):
        base = base[: -len(page_path) - 1]
    return base + "/"


def share_link(base: str, deal_filter: DealFilter | None, since: dt.date | None, language: str | None = None) -> str:
    """The view's link; with `language`, it opens in that language (`lang=de`) whatever the reader's browser says."""
    params = to_query_params(deal_filter) if deal_filter else {}
    if since:
        params[QP_SINCE] = since.isoformat()
    if language:
        params[QP_LANG] = language
    return base + ("?" + urlencode(params, safe=",") if params else "")
