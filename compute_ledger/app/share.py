"""Reuse of what a page shows: "Embed or share this chart" (a link to the chart alone and an <iframe> snippet),
"Cite this" (APA and BibTeX with the link to the exact view) and each feed's address.

Every link is the app's address (brief.link: LEDGER_PUBLIC_URL, else the browser's) with the page's path and the
current address's parameters: the shared filter and the page inputs are already there, kept by their widgets' URL
binding, so the chart alone opens on what the reader sees.
"""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from compute_ledger.app import loading, text
from compute_ledger.brief import feed
from compute_ledger.brief.link import app_root, base_url
from compute_ledger.data.dataset_citation import citation
from compute_ledger.i18n import t
from compute_ledger.views.embed import CHARTS, EMBED_PARAMS, QP_CHART

EMBED_PATH = "embed"
IFRAME_HEIGHT = 600  # the title, the date and source line and the chart; a phone's legend scrolls inside


def app_address(current_path: str) -> str:
    """The app's own address ("…/"), from the browser's address on the page at `current_path`."""
    return app_root(st.context.url, current_path) if current_path else base_url(st.context.url).rstrip("/") + "/"


def current_params() -> dict[str, list[str]]:
    """The address's parameters, as the widgets' binding keeps them, without the embed's own."""
    return {key: st.query_params.get_all(key) for key in st.query_params if key not in EMBED_PARAMS}


def view_link(root: str, url_path: str, params: dict[str, list[str]]) -> str:
    query = urlencode(params, doseq=True, safe=",")
    return root + url_path + ("?" + query if query else "")


def embed_link(name: str, override: dict[str, list[str]] | None = None) -> str:
    chart = CHARTS[name]
    params = {**current_params(), **(override or {}), QP_CHART: [name], "embed": ["true"]}
    return view_link(app_address(chart.url_path), EMBED_PATH, params)


def iframe_snippet(link: str, title: str) -> str:
    return (f'<iframe src="{link.replace("&", "&amp;").replace(chr(34), "&quot;")}" '
            f'title="{title.replace("&", "&amp;").replace(chr(34), "&quot;")}" width="100%" height="{IFRAME_HEIGHT}" '
            'style="border:0" loading="lazy"></iframe>')


def embed_share(name: str, override: dict[str, list[str]] | None = None) -> None:
    """The button under a chart: its chart-only link and the HTML to paste (`override`: parameters that differ from
    the address's, e.g. one company's id on a comparison)."""
    link = embed_link(name, override)
    with st.popover(t("Embed or share this chart"), icon=":material/share:"):
        st.caption(t("This chart alone, with the filter and the inputs shown here, its date and its source:"))
        st.code(link, language=None, wrap_lines=True)
        st.caption(t("To show it live on a web page, paste:"))
        st.code(iframe_snippet(link, f"AI Compute Ledger: {name}"), language="html", wrap_lines=True)
        st.link_button(t("Open the chart alone"), link, icon=":material/open_in_new:")


def cite_this(current_path: str) -> None:
    """How to cite the dataset, with the link to exactly this view and the licence."""
    cite = citation(loading.as_of(), view_link(app_address(current_path), current_path, current_params()))
    with st.expander(t("Cite this"), icon=":material/format_quote:"):
        st.markdown("**APA**")
        st.code(cite.apa, language=None, wrap_lines=True)
        st.markdown("**BibTeX**")
        st.code(cite.bibtex, language="latex")
        text.caption(t("{licence}. The cited reports remain their publishers'.", licence=cite.licence))


def feed_address(current_path: str, company_id: str | None = None) -> str:
    return feed.feed_url(app_address(current_path), company_id)


def follow_feed(current_path: str, company_id: str | None = None, name: str | None = None) -> None:
    """The feed's address, to paste into a feed reader (a company has one when it is a party to a deal)."""
    options = loading.filter_options()
    if company_id and (options is None or company_id not in (*options.buyers, *options.providers)):
        return
    if name:
        text.caption(t("Follow changes for {name} (Atom feed: deals added, status changes, corrections):", name=name))
    else:
        text.caption(t("Follow every change to the ledger (Atom feed: deals added, status changes, corrections):"))
    st.code(feed_address(current_path, company_id), language=None, wrap_lines=True)
