"""The shared deal filter in the sidebar, bound to the URL with Streamlit's own `bind="query-params"`.

Widget keys are the link's parameter names, so a link restores the widgets and the widgets keep the link current.
Two things Streamlit's binding does not do are done once, on a session's first run: a link in the README's form
(ids, comma-separated: `provider=aws,oracle-oci`) is read into the widgets and the address rewritten in the
binding's form (`link_form`), and every value that cannot be used (an unknown id, a malformed or out-of-range
date) is named in a warning instead of being dropped silently.
"""
from __future__ import annotations

import streamlit as st

from compute_ledger import formatting as fmt
from compute_ledger.app import link_form, text
from compute_ledger.analysis.filters import (
    DEFAULT_TIERS, FILTER_PARAMS, FIRMNESS_TIERS, QP_BUYER, QP_DEAL_TYPE, QP_FIRMNESS, QP_FROM, QP_OVERLAPS,
    QP_PROVIDER, QP_PROVIDER_SIDE, QP_STATUS, QP_TO, DealFilter, FilterOptions, binding_params, parse_query_params,
)
from compute_ledger.data.schema import DATE_MAX, DATE_MIN

KEY_WARNINGS, KEY_SEEDED, KEY_PENDING_PROVIDER = "flt_link_warnings", "flt_seeded", "flt_pending_provider"
DEFAULTS = {QP_PROVIDER: [], QP_BUYER: [], QP_DEAL_TYPE: [], QP_STATUS: [], QP_FROM: None, QP_TO: None,
            QP_OVERLAPS: False, QP_FIRMNESS: list(DEFAULT_TIERS), QP_PROVIDER_SIDE: False}
TIER_WORDS = {"definitive": "definitive (signed, completed)", "announced": "announced (LOI, term sheet, 'up to')",
              "reported": "reported only (rumoured, press)"}


def _seed_from_link(options: FilterOptions) -> None:
    """On a session's first run: the link's filter into the widgets, and a warning for each value ignored."""
    params = {key: st.query_params.get_all(key) for key in FILTER_PARAMS if key in st.query_params}
    deal_filter, warnings = parse_query_params(params, options)
    st.session_state.update({
        QP_PROVIDER: list(deal_filter.providers), QP_BUYER: list(deal_filter.buyers),
        QP_DEAL_TYPE: list(deal_filter.deal_types), QP_STATUS: list(deal_filter.statuses),
        QP_FROM: deal_filter.date_from, QP_TO: deal_filter.date_to, QP_OVERLAPS: deal_filter.include_overlaps,
        QP_FIRMNESS: list(deal_filter.tiers), QP_PROVIDER_SIDE: deal_filter.provider_side,
    })
    st.session_state[KEY_WARNINGS] = warnings
    st.session_state[KEY_SEEDED] = True
    link_form.use_binding_form(binding_params(deal_filter, options), FILTER_PARAMS)


def _forget_link_warnings() -> None:
    st.session_state[KEY_WARNINGS] = []


def _clear_filters() -> None:
    st.session_state.update({key: (list(value) if isinstance(value, list) else value)
                             for key, value in DEFAULTS.items()})
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
    st.session_state[QP_PROVIDER] = []


def sidebar_filter(options: FilterOptions) -> DealFilter:
    """Draw the shared filters in the sidebar, restored from and kept in the URL."""
    if not st.session_state.get(KEY_SEEDED):
        _seed_from_link(options)
    pending = st.session_state.pop(KEY_PENDING_PROVIDER, None)
    if pending is not None:
        st.session_state[QP_PROVIDER] = [p for p in pending if p in options.providers]
        _forget_link_warnings()
    sidebar = st.sidebar
    sidebar.header("Filter deals")
    for warning in st.session_state.get(KEY_WARNINGS, []):
        text.warning(warning, where=sidebar, icon=":material/link_off:")
    bound = {"bind": "query-params", "on_change": _forget_link_warnings}
    sidebar.multiselect("Buyer", options.buyers, format_func=options.label, key=QP_BUYER, placeholder="All buyers",
                        help="Who receives the compute, chips or capital (usually an AI lab).", **bound)
    sidebar.multiselect("Provider", options.providers, format_func=options.label, key=QP_PROVIDER,
                        placeholder="All providers", help="The counterparty: cloud, chipmaker, developer or investor.",
                        **bound)
    sidebar.multiselect("Deal type", options.deal_types, format_func=lambda t: t.replace("_", " "), key=QP_DEAL_TYPE,
                        placeholder="All types", **bound)
    sidebar.multiselect("Status", options.statuses, format_func=lambda s: s.replace("_", " "), key=QP_STATUS,
                        placeholder="All statuses", **bound)
    sidebar.date_input("Announced from", min_value=DATE_MIN, max_value=DATE_MAX, key=QP_FROM, format="YYYY-MM-DD",
                       **bound)
    sidebar.date_input("Announced to", min_value=DATE_MIN, max_value=DATE_MAX, key=QP_TO, format="YYYY-MM-DD",
                       **bound)
    sidebar.subheader("What the totals count")
    sidebar.multiselect("Firmness counted", FIRMNESS_TIERS, key=QP_FIRMNESS, format_func=lambda t: t,
                        help=fmt.md("Totals add the tiers chosen here; the rest of the same money is shown beside "
                                    "them, never inside. " + "; ".join(f"**{t}**: {w}" for t, w in TIER_WORDS.items())
                                    + "."),
                        **bound)
    sidebar.toggle("Show providers' own purchases", key=QP_PROVIDER_SIDE,
                   help="What clouds buy from neoclouds and chipmakers to serve their customers: the same compute "
                        "as the labs' contracts one step up the chain, so shown as its own total, never added.",
                   **bound)
    sidebar.toggle("Include overlapping rows", key=QP_OVERLAPS,
                   help="Some rows repeat money or capacity counted elsewhere (a site inside a larger contract, "
                        "a deal that replaced another). They are left out of totals unless you include them.",
                   **bound)
    sidebar.button("Clear filters", on_click=_clear_filters, icon=":material/filter_alt_off:")

    date_from, date_to = st.session_state[QP_FROM], st.session_state[QP_TO]
    if date_from and date_to and date_from > date_to:
        sidebar.warning("'Announced from' is after 'to'; the dates are used the other way round.")
        date_from, date_to = date_to, date_from
    tiers = tuple(t for t in FIRMNESS_TIERS if t in st.session_state[QP_FIRMNESS])
    if not tiers:
        sidebar.warning("No firmness tier chosen: the totals count definitive and announced deals.")
    profile_links(options)
    return DealFilter(
        providers=tuple(st.session_state[QP_PROVIDER]),
        buyers=tuple(st.session_state[QP_BUYER]),
        deal_types=tuple(st.session_state[QP_DEAL_TYPE]),
        statuses=tuple(st.session_state[QP_STATUS]),
        date_from=date_from,
        date_to=date_to,
        include_overlaps=bool(st.session_state[QP_OVERLAPS]),
        tiers=tiers or DEFAULT_TIERS,
        provider_side=bool(st.session_state[QP_PROVIDER_SIDE]),
    )


KEY_LINK_ONLY_WARNINGS = "flt_link_only_warnings"


def link_filter(options: FilterOptions) -> DealFilter:
    """The link's filter without drawing the sidebar (a chart alone, in an iframe): the same reading of the link
    as the sidebar's first run (`parse_query_params`); what it ignores is kept for `link_filter_warnings`."""
    params = {key: st.query_params.get_all(key) for key in FILTER_PARAMS if key in st.query_params}
    deal_filter, warnings = parse_query_params(params, options)
    st.session_state[KEY_LINK_ONLY_WARNINGS] = warnings
    return deal_filter


def link_filter_warnings() -> list[str]:
    return list(st.session_state.get(KEY_LINK_ONLY_WARNINGS, []))


PROFILE_PAGE, MAX_PROFILE_LINKS = "pages/company.py", 3


def profile_links(options: FilterOptions) -> None:
    """"Open profile" for each buyer or provider chosen above (the first three), and "Compare" for two or three."""
    chosen = list(dict.fromkeys([*st.session_state.get(QP_BUYER, []), *st.session_state.get(QP_PROVIDER, [])]))
    chosen = chosen[:MAX_PROFILE_LINKS]
    for company_id in chosen:
        text.page_link(PROFILE_PAGE, label=f"Open profile: {options.label(company_id)}", where=st.sidebar,
                       icon=":material/domain:", query_params={"id": company_id})
    if len(chosen) > 1:
        text.page_link(PROFILE_PAGE, label="Compare them side by side", where=st.sidebar, icon=":material/view_column:",
                             query_params={"id": ",".join(chosen)})
