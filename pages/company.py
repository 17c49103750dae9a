"""Company: one company's profile on both sides of the market, or up to three side by side (`?id=aws,oracle-oci`)."""
import streamlit as st

from compute_ledger import formatting as fmt
from compute_ledger.app import link_form, loading, messages, share, tables, text
from compute_ledger.charts.capacity import MAP_CONFIG
from compute_ledger.i18n import t
from compute_ledger.views.company import company_choice, company_view

KEY_IDS, KEY_SEEN_LINK, KEY_WARNINGS = "id", "cmp_seen_link", "cmp_link_warnings"

data, deal_filter = loading.ledger(), loading.page_filter()
messages.require(data, "companies", "deals", "milestones", "financials")

# The link's `id` (ids or names, comma-separated or repeated) into the picker whenever a link brings a new one (a
# shared link, a table's link, the sidebar's "Open profile"), with a warning naming each unknown id, and the address
# rewritten in the form the picker's URL binding reads (names, repeated), which it then keeps current.
link = tuple(st.query_params.get_all(KEY_IDS))
choice = loading.page_view(company_choice, None, link)
if link and link != st.session_state.get(KEY_SEEN_LINK):
    st.session_state[KEY_SEEN_LINK] = link
    if choice.warnings or list(choice.ids) != st.session_state.get(KEY_IDS):
        st.session_state[KEY_IDS] = list(choice.ids)
        # The link that warned, not its warnings: they are said again in the reader's language on every run.
        st.session_state[KEY_WARNINGS] = link if choice.warnings else ()
    link_form.use_binding_form({KEY_IDS: choice.labels}, [KEY_IDS])

text.title(t("Company profiles"))
warned = st.session_state.get(KEY_WARNINGS, ())
for warning in loading.page_view(company_choice, None, warned).warnings if warned else ():
    text.warning(warning, icon=":material/link_off:")
st.multiselect(t("Companies"), choice.options, format_func=choice.label, key=KEY_IDS,
               max_selections=3, placeholder=t("Pick a company (up to three to compare)"), bind="query-params",
               on_change=lambda: st.session_state.update({KEY_WARNINGS: ()}))
view = loading.page_view(company_view, deal_filter, tuple(st.session_state[KEY_IDS]))
text.caption(view.intro)

if not view.profiles:
    if view.suggestions:
        text.markdown(t("Most present in the ledger:"))
        with st.container(horizontal=True):
            for company_id, name in view.suggestions:
                text.page_link("pages/company.py", label=name, query_params={KEY_IDS: company_id},
                             icon=":material/domain:")
    st.stop()

text.caption(view.scope)
profiles = view.profiles
compared = len(profiles) > 1


def render_section(section, profile) -> None:
    cid = profile.company_id
    if compared:
        text.markdown(fmt.markdown("**{name}**", name=profile.name))
    text.caption(section.sentence)
    if section.empty:
        return
    if section.metrics:
        with st.container(horizontal=True):
            for metric in section.metrics:
                text.metric(metric.label, metric.value, delta=metric.delta, delta_color="off", delta_arrow="off",
                          border=True, help=metric.help)
        for j, total in enumerate(section.totals):
            if total.count:
                tables.how_built(total, data["companies"], key=f"cmp_how_{cid}_{section.key}_{j}")
    if section.chart is not None:
        st.plotly_chart(section.chart, key=f"cmp_chart_{cid}_{section.key}",
                        config=MAP_CONFIG if section.is_map else None)
        share.embed_share(f"company-{section.key}", {"id": [cid]})
        text.caption(section.chart_caption)
    for j, table in enumerate(section.tables):
        if table.folded:
            with st.expander(text.md(table.folded_label), key=f"cmp_tbl_{cid}_{section.key}_{j}"):
                tables.profile_table(table.rows, table.columns, key=f"cmp_rows_{cid}_{section.key}_{j}")
        else:
            text.markdown(fmt.markdown("**{title}**", title=table.title))
            tables.profile_table(table.rows, table.columns, key=f"cmp_rows_{cid}_{section.key}_{j}")


if not compared:
    text.header(profiles[0].name)
    text.markdown(profiles[0].summary)
    share.follow_feed("company", profiles[0].company_id, profiles[0].name)
else:
    for column, profile in zip(st.columns(len(profiles)), profiles):
        with column:
            text.subheader(profile.name)
            text.markdown(profile.summary)
            share.follow_feed("company", profile.company_id, profile.name)

for i, first in enumerate(profiles[0].sections):
    sections = [p.sections[i] for p in profiles]
    if not compared and first.empty and profiles[0].thin:
        continue  # a short, honest page: what is missing is said once, below
    text.subheader(first.title, divider="gray")
    columns = st.columns(len(profiles)) if compared else [st.container()]
    for column, profile, section in zip(columns, profiles, sections):
        with column:
            render_section(section, profile)

if not compared and profiles[0].thin:
    missing = [s.sentence for s in profiles[0].sections if s.empty]
    if missing:
        text.caption(" ".join(missing))
