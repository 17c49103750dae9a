"""The shared deal filter in the sidebar, bound to the URL with Streamlit's own `bind="query-params"`.

Widget keys are the link's parameter names, so a link restores the widgets and the widgets keep the link current.
Two things Streamlit's binding does not do are done once, on a session's first run: a link in the README's form
(ids, comma-separated: `provider=aws,oracle-oci`) is read into the widgets and the address rewritten in the
binding's form (`link_form`), and every value that cannot be used (an unknown id, a malformed or out-of-range
date) is named in a warning instead of being dropped silently.
"""
from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.app import link_form, text
from compute_ledger.i18n import t
from compute_ledger.analysis.filters import (
    DEFAULT_TIERS, FILTER_PARAMS, FIRMNESS_TIERS, QP_BUYER, QP_DEAL_TYPE, QP_FIRMNESS, QP_FROM, QP_OVERLAPS,
    QP_PROVIDER, QP_PROVIDER_SIDE, QP_STATUS, QP_TO, DealFilter, FilterOptions, binding_params, parse_query_params,
)
from compute_ledger.data.schema import DATE_MAX, DATE_MIN

QP_LANG = i18n.QP_LANG
KEY_LANG_WARNING, KEY_LANG_SEEDED = "lang_link_warning", "lang_seeded"
KEY_WARNINGS, KEY_SEEDED, KEY_PENDING_PROVIDER = "flt_link_warnings", "flt_seeded", "flt_pending_provider"
DEFAULTS = {QP_PROVIDER: [], QP_BUYER: [], QP_DEAL_TYPE: [], QP_STATUS: [], QP_FROM: None, QP_TO: None,
            QP_OVERLAPS: False, QP_FIRMNESS: list(DEFAULT_TIERS), QP_PROVIDER_SIDE: False}


def tier_words() -> dict[str, str]:
    """What each firmness tier takes in, in the reader's language (the tier names are the data's own words)."""
    return {"definitive": t("definitive (signed, completed)"), "announced": t("announced (LOI, term sheet, 'up to')"),
            "reported": t("reported only (rumoured, press)")}


def link_language() -> tuple[str, str | None]:
    """The language a link asks for, else the browser's (`st.context.locale`), else English; with a warning when
    the link names a language we do not have (it is then English, whatever the browser says)."""
    asked = st.query_params.get(QP_LANG)
    if asked in i18n.LANGUAGES:
        return asked, None
    if asked is not None:
        # untranslated: said in English, the language the app is then shown in
        return i18n.DEFAULT_LANGUAGE, (f"The link asks for the language '{asked}', which this app does not have "
                                       "(it has 'de' and 'en'): it is shown in English.")
    return i18n.language_of_locale(st.context.locale) or i18n.DEFAULT_LANGUAGE, None


def language_choice() -> str:
    """The language chosen in the sidebar, kept in the link as `lang=de` or `lang=en`; set for this script run.

    Drawn before the navigation, so that page titles are in it too. The radio has no default (`index=None`) and is
    seeded on a session's first run: Streamlit's binding leaves a widget's default out of the address, and a
    shared link must always say its language, so that it opens in the sender's language, not the recipient's."""
    if not st.session_state.get(KEY_LANG_SEEDED):
        st.session_state[QP_LANG], st.session_state[KEY_LANG_WARNING] = link_language()
        st.session_state[KEY_LANG_SEEDED] = True
        # The binding writes a value the reader picks, not one seeded here: a language taken from the browser (or
        # English for an unknown one) is put in the address by hand, before the widget binds the parameter.
        # An unknown value is replaced and the script run again, so the binding never sees (and drops) it.
        if st.query_params.get(QP_LANG) != st.session_state[QP_LANG]:
            try:
                asked = st.query_params.get(QP_LANG)
                st.query_params[QP_LANG] = st.session_state[QP_LANG]
            except StreamlitAPIException:
                asked = None  # already bound (not a session's first run): the binding keeps the address
            if asked is not None:
                st.rerun()
    if st.session_state.get(QP_LANG) not in i18n.LANGUAGES:
        st.session_state[QP_LANG] = i18n.DEFAULT_LANGUAGE
    # The options are the link's own values (the binding writes what is shown); the captions name the languages.
    st.sidebar.radio("Sprache · Language", list(i18n.LANGUAGES), key=QP_LANG, index=None, horizontal=True,
                     captions=list(i18n.LANGUAGES.values()), bind="query-params",
                     on_change=lambda: st.session_state.update({KEY_LANG_WARNING: None}))
    code = st.session_state[QP_LANG] or i18n.DEFAULT_LANGUAGE
    i18n.set_language(code)
    if st.session_state.get(KEY_LANG_WARNING):
        text.warning(st.session_state[KEY_LANG_WARNING], where=st.sidebar, icon=":material/translate:")
    if code != i18n.DEFAULT_LANGUAGE:
        st.sidebar.caption(t("Data texts (deal descriptions, source titles, company names) are shown in the "
                             "language of their source."))
    return code


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
    sidebar.header(t("Filter deals"))
    for warning in st.session_state.get(KEY_WARNINGS, []):
        text.warning(warning, where=sidebar, icon=":material/link_off:")
    bound = {"bind": "query-params", "on_change": _forget_link_warnings}
    # The binding writes what a widget shows, so a German reader's link says `status=unterzeichnet`: the link is
    # read in every language (analysis.filters.parse_query_params), so it opens the same filter in English too.
    sidebar.multiselect(t("Buyer"), options.buyers, format_func=options.label, key=QP_BUYER,
                        placeholder=t("All buyers"), help=t("Who receives the compute, chips or capital (usually an "
                                                            "AI lab)."), **bound)
    sidebar.multiselect(t("Provider"), options.providers, format_func=options.label, key=QP_PROVIDER,
                        placeholder=t("All providers"),
                        help=t("The counterparty: cloud, chipmaker, developer or investor."), **bound)
    sidebar.multiselect(t("Deal type"), options.deal_types, format_func=fmt.word, key=QP_DEAL_TYPE,
                        placeholder=t("All types"), **bound)
    sidebar.multiselect(t("Status"), options.statuses, format_func=fmt.word, key=QP_STATUS,
                        placeholder=t("All statuses"), **bound)
    sidebar.date_input(t("Announced from"), min_value=DATE_MIN, max_value=DATE_MAX, key=QP_FROM,
                       format="YYYY-MM-DD", **bound)
    sidebar.date_input(t("Announced to"), min_value=DATE_MIN, max_value=DATE_MAX, key=QP_TO, format="YYYY-MM-DD",
                       **bound)
    sidebar.subheader(t("What the totals count"))
    tiers_said = "; ".join(f"**{fmt.word(tier)}**: {words}" for tier, words in tier_words().items())
    sidebar.multiselect(t("Firmness counted"), FIRMNESS_TIERS, key=QP_FIRMNESS, format_func=fmt.word,
                        help=fmt.md(t("Totals add the tiers chosen here; the rest of the same money is shown beside "
                                      "them, never inside. {tiers}.", tiers=tiers_said)), **bound)
    sidebar.toggle(t("Show providers' own purchases"), key=QP_PROVIDER_SIDE,
                   help=t("What clouds buy from neoclouds and chipmakers to serve their customers: the same compute "
                          "as the labs' contracts one step up the chain, so shown as its own total, never added."),
                   **bound)
    sidebar.toggle(t("Include overlapping rows"), key=QP_OVERLAPS,
                   help=t("Some rows repeat money or capacity counted elsewhere (a site inside a larger contract, "
                          "a deal that replaced another). They are left out of totals unless you include them."),
                   **bound)
    sidebar.button(t("Clear filters"), on_click=_clear_filters, icon=":material/filter_alt_off:")

    date_from, date_to = st.session_state[QP_FROM], st.session_state[QP_TO]
    if date_from and date_to and date_from > date_to:
        sidebar.warning(t("'Announced from' is after 'to'; the dates are used the other way round."))
        date_from, date_to = date_to, date_from
    tiers = tuple(tier for tier in FIRMNESS_TIERS if tier in st.session_state[QP_FIRMNESS])
    if not tiers:
        sidebar.warning(t("No firmness tier chosen: the totals count definitive and announced deals."))
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
        text.page_link(PROFILE_PAGE, label=t("Open profile: {company}", company=options.label(company_id)),
                       where=st.sidebar, icon=":material/domain:", query_params={"id": company_id})
    if len(chosen) > 1:
        text.page_link(PROFILE_PAGE, label=t("Compare them side by side"), where=st.sidebar,
                       icon=":material/view_column:",
                             query_params={"id": ",".join(chosen)})
