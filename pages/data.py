"""Data and sources: every row with its source, the known conflicts, downloads, and analysts' own deals."""
import streamlit as st

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.app import link_form, loading, messages, share, tables, text
from compute_ledger.brief.link import app_root
from compute_ledger.data import exports, uploads
from compute_ledger.data.schema import SOURCE_KINDS
from compute_ledger.i18n import t
from compute_ledger.views import data as data_views

data, deal_filter = loading.ledger(), loading.page_filter()
text.title(t("Data and sources"))
if data.problems:
    messages.show_problems(list(data.problems), t("Some data files could not be loaded; the page shows the rest.")
                           if data.tables else fmt.markdown(t("No data could be loaded from `{location}`."),
                                                            location=fmt.Markdown(fmt.code(data.location))))
    messages.retry_offer("data_retry_load")

link_form.drop_unusable("data", data_views.controls_link_problems)
# A link written in the other language names the table and the source kinds in it: said in this one for the binding.
link_form.use_binding_form(data_views.binding_form({key: st.query_params.get_all(key) for key in st.query_params}),
                           data_views.LABELLED_CONTROLS)
summary = st.empty()  # filled once the view is made, from the widgets drawn below it
explorer, sources_tab, method_tab, uploads_tab = st.tabs([t("Explore and download"), t("Sources and conflicts"),
                                                          t("How totals are counted"), t("Add your own deals")])

with explorer:
    table = st.segmented_control(t("Table"), data_views.EXPLORED_TABLES, default=data_views.DEFAULT_TABLE,
                                 format_func=data_views.table_label, key="data_table", required=True,
                                 bind="query-params")  # the link names the table as the control shows it
    search = st.text_input(t("Search the text (descriptions, chips, sites, source titles)"), key="data_search",
                           placeholder=t("e.g. Stargate, TPU, nuclear"), max_chars=data_views.SEARCH_MAX_CHARS,
                           bind="query-params")

with sources_tab:
    strength_area = st.container()  # the Source strength panel comes first; the kind filter is the source list's
    kinds = st.pills(t("Source kind"), SOURCE_KINDS, selection_mode="multi", key="data_source_kind",
                     format_func=data_views.source_kind_label, bind="query-params",
                     help=t("Show only the sources of these kinds (none chosen: every source)."))

# The view's sentences are Markdown with every data value already escaped (views/data.py).
# The column dictionary's headers: in English its own column names, as published; in German, words (its cells keep
# the tables' and columns' names as the data has them).
dictionary_columns = {} if i18n.language() == i18n.DEFAULT_LANGUAGE else {
    "table": t("Table"), "column": t("Column"), "type": t("Type"), "unit": t("Unit"), "required": t("Required"),
    "meaning": t("Meaning")}
# A share of a total: "62.5 %"; in German the header says "(%)" and the reader's browser writes the number (62,5;
# the view rounds it), as Streamlit's printf formats know only the decimal point.
share_format = "localized" if i18n.language() == "de" else "%.1f %%"
view = loading.page_view(data_views.data_view, deal_filter, table, search, tuple(kinds or ()),
                         app_root(st.context.url, "data"))
text.caption(where=summary, body=view.summary)

with explorer:
    if view.table_missing:
        text.info(view.table_missing, icon=":material/database_off:")
    else:
        text.caption(view.explorer_caption)
        if view.no_match:
            text.info(view.no_match, icon=":material/search_off:")
        else:
            if view.truncated_caption:
                text.caption(view.truncated_caption)
            tables.cited_table(view.shown, view.shown.columns, key="data_rows", height=420)
            with st.container(horizontal=True):
                # Files are made when clicked (callables), not on every rerun: a million rows take seconds.
                st.download_button(t("Download CSV"), lambda: exports.csv_bytes(view.rows), f"{view.table}.csv",
                                   "text/csv", key="data_download_csv", icon=":material/download:",
                                   help=t("Opens safely in a spreadsheet: text that could run as a formula is "
                                          "prefixed with a quote; numbers stay numbers."))
                st.download_button(t("Download Parquet"), lambda: exports.parquet_bytes(view.rows),
                                   f"{view.table}.parquet", "application/octet-stream", key="data_download_parquet",
                                   icon=":material/download:")
    with st.expander(t("Column dictionary: every column's type, unit and meaning")):
        st.dataframe(view.dictionary, hide_index=True, placeholder=tables.MISSING, column_config=dictionary_columns)
    with st.expander(t("The data at stable links, for notebooks")):
        text.markdown(fmt.md(t("The published tables, validated by the build, with a Frictionless Data Package "
                               "(`datapackage.json`: every column's type, unit and meaning) beside them:")))
        st.dataframe(view.published, hide_index=True, column_config={
            "table": t("Table"), "csv": st.column_config.LinkColumn("CSV"),
            "parquet": st.column_config.LinkColumn("Parquet")})
        st.code(view.notebook_example, language="python")
        share.follow_feed("data")
    share.cite_this("data")

with strength_area:
    text.subheader(t("Source strength"))
    text.caption(view.strength_caption)
    st.dataframe(view.strength, hide_index=True, placeholder=tables.MISSING, key="data_strength",
                 column_config={"total": t("Headline total"), "amount": t("Amount"),
                                **{k: st.column_config.NumberColumn(label, format=share_format)
                                   for k, label in data_views.strength_labels().items()}})
    text.markdown(fmt.markdown("**{heading}**", heading=view.single_sourced_heading))
    if not view.single_sourced.is_empty():
        st.dataframe(view.single_sourced, hide_index=True, placeholder=tables.MISSING, key="data_single_sourced",
                     column_config={**tables.column_config(), "table": t("Table"), "record_id": t("Row"),
                                    "what": st.column_config.TextColumn(t("What"), width="medium"),
                                    "source_url": st.column_config.LinkColumn(
                                        t("Source"), display_text=r"https?://(?:www\.)?([^/]+)")})

with sources_tab:
    text.markdown(view.strong_share_sentence)
    text.subheader(view.sources_heading)
    st.dataframe(view.sources, hide_index=True, placeholder=tables.MISSING,
                 column_config={**tables.column_config(), "domain": t("Site"), "rows": t("Rows citing it"),
                                "primary_for": st.column_config.NumberColumn(
                                    t("Primary for"), format="%d", help=t("Rows whose primary citation this page is")),
                                "tables": t("Tables")})
    text.subheader(t("Where published figures disagree"))
    st.dataframe(view.conflicts, hide_index=True, placeholder=tables.MISSING,
                 column_config={"topic": t("Topic"),
                                "what_differs": st.column_config.TextColumn(t("What differs"), width="large"),
                                "how_the_ledger_records_it": st.column_config.TextColumn(t("What the ledger records"),
                                                                                          width="large"),
                                "rows": t("Rows")})
    with st.expander(t("Dataset changelog")):
        if i18n.language() != i18n.DEFAULT_LANGUAGE:  # the sidebar's note on data texts, said here too
            text.caption(t("The changelog is the dataset's own record, written with each change to the data: it is "
                           "shown in English, as the data is."))
        text.markdown(fmt.Markdown(view.changelog))  # written by the maintainers, in the repository: trusted Markdown

with method_tab:
    text.markdown(fmt.Markdown(view.methodology))  # written by the maintainers, in the repository: trusted Markdown

with uploads_tab:
    text.markdown(fmt.markdown(t(
        "Upload deals in the ledger's format (CSV or Parquet, up to {mb} MB). They are checked with the same rules as "
        "`python -m compute_ledger validate`, and join the charts on every page **in this browser session only**: "
        "nothing is written to the server."), mb=fmt.count(uploads.MAX_UPLOAD_MB)))
    st.download_button(t("Download the template (CSV header)"), uploads.template_csv(), "deals_template.csv",
                       "text/csv", key="data_template", icon=":material/description:")
    with st.expander(t("What each column takes")):
        st.dataframe(view.deal_columns, hide_index=True, placeholder=tables.MISSING, column_config=dictionary_columns)
        if view.company_ids:
            text.caption(fmt.markdown(t("Buyer and provider ids must be company ids from the ledger: {ids}."),
                                      ids=fmt.Markdown(", ".join(f"`{fmt.code(c)}`" for c in view.company_ids))))
    uploaded = st.file_uploader(t("Your deals file"), type=["csv", "parquet"], key="data_upload")
    if uploaded is not None and not view.uploads_possible:
        text.error(view.uploads_unavailable)
    elif uploaded is not None:
        check = data_views.upload_view(data.tables, uploaded.name, uploaded.getvalue())
        if check.problems:
            messages.show_problems(check.problems, check.heading)
        if check.success:
            text.success(check.success, icon=":material/check:")
            st.button(text.md(check.merge_label), key="data_merge", type="primary", on_click=loading.set_user_deals,
                      args=(check.valid,))
        if check.rejected is not None:
            st.dataframe(check.rejected, hide_index=True, placeholder=tables.MISSING,
                         column_config={"row": t("Row"), "deal_id": "deal_id", "problem": st.column_config.TextColumn(
                             t("Problems"), width="large")})
        if check.merge_valid_label:
            st.button(text.md(check.merge_valid_label), key="data_merge_valid", on_click=loading.set_user_deals,
                      args=(check.valid,))
    if view.user_rows is not None:
        text.subheader(view.user_heading)
        st.dataframe(view.user_rows, hide_index=True, placeholder=tables.MISSING, column_config=tables.column_config())
