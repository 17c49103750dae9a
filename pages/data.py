"""Data and sources: every row with its source, the known conflicts, downloads, and analysts' own deals."""
import polars as pl
import streamlit as st

from compute_ledger.analysis import explore
from compute_ledger.data import exports
from compute_ledger.analysis import metrics
from compute_ledger.data import provenance
from compute_ledger.app import loading, messages, sidebar, tables
from compute_ledger.data import uploads
from compute_ledger import formatting as fmt
from compute_ledger.analysis.filters import describe
from compute_ledger.data.schema import TABLE_NAMES, column_dictionary

data, deal_filter = loading.ledger(), loading.page_filter()
st.title("Data and sources")
if data.problems:
    messages.show_problems(list(data.problems), "Some data files could not be loaded; the tables below show the rest.")

as_of = metrics.data_as_of(*data.tables.values()) if data.tables else None
st.caption(f"Data as of {fmt.day(as_of)} · " + " · ".join(f"{data[n].height} {n}" for n in TABLE_NAMES if data.has(n))
           + ". Every row carries its source: title, address and date.")

MAX_ROWS_SHOWN = 10_000  # a browser table beyond this is slow to send on every rerun; downloads are complete

explorer, sources_tab, uploads_tab = st.tabs(["Explore and download", "Sources and conflicts", "Add your own deals"])

with explorer:
    available = [n for n in TABLE_NAMES if data.has(n)]
    if not available:
        st.info("No table could be loaded.")
    else:
        table = st.segmented_control("Table", available, default="deals" if "deals" in available else available[0],
                                     key="data_table", required=True, format_func=str.capitalize)
        text = st.text_input("Search the text (descriptions, chips, sites, source titles)", key="data_search",
                             placeholder="e.g. Stargate, TPU, nuclear",
                             max_chars=200)
        rows = explore.search(explore.filtered_table(table, data[table], deal_filter), table, text)
        scope = describe(deal_filter, loading.filter_options()) if deal_filter and data.has("deals") else "all rows"
        st.caption(f"{rows.height} of {data[table].height} {table} · filter: {fmt.escape_markdown(scope)}"
                   + (f" · search: “{fmt.escape_markdown(text.strip())}”" if text.strip() else ""))
        if rows.is_empty():
            st.info("No rows match. Clear the search or the sidebar filters.", icon=":material/search_off:")
        else:
            if rows.height > MAX_ROWS_SHOWN:
                st.caption(f"Showing the first {MAX_ROWS_SHOWN:,} rows; the downloads hold all {rows.height:,}.")
            st.dataframe(rows.head(MAX_ROWS_SHOWN), hide_index=True, placeholder=tables.MISSING,
                         column_config=tables.COLUMN_CONFIG, height=420)
            with st.container(horizontal=True):
                # Files are made when clicked (callables), not on every rerun: a million rows take seconds.
                st.download_button("Download CSV", lambda: exports.csv_bytes(rows), f"{table}.csv", "text/csv",
                                   key="data_download_csv", icon=":material/download:",
                                   help="Opens safely in a spreadsheet: text that could run as a formula is "
                                        "prefixed with a quote; numbers stay numbers.")
                st.download_button("Download Parquet", lambda: exports.parquet_bytes(rows), f"{table}.parquet",
                                   "application/octet-stream", key="data_download_parquet", icon=":material/download:")
    with st.expander("Column dictionary: every column's type, unit and meaning"):
        st.dataframe(column_dictionary(), hide_index=True, placeholder=tables.MISSING)

with sources_tab:
    sources = provenance.source_list(data.tables)
    st.subheader(f"{sources.height} sources cited")
    st.dataframe(sources.select("source_title", "domain", "source_url", "source_date", "rows", "tables"),
                 hide_index=True, placeholder=tables.MISSING,
                 column_config={**tables.COLUMN_CONFIG, "domain": "Site", "rows": "Rows citing it", "tables": "Tables"})
    st.caption("Most cited pages are news reports or summaries of Reuters, Bloomberg, the WSJ, the FT or The "
               "Information; primary sources (company posts, filings) are the minority. 'Reported on a public page' "
               "is what a row's source vouches for, not confirmation by the companies.")
    st.subheader("Where published figures disagree")
    st.dataframe(provenance.known_conflicts(), hide_index=True, placeholder=tables.MISSING,
                 column_config={"topic": "Topic", "what_differs": st.column_config.TextColumn("What differs", width="large"),
                                "how_the_ledger_records_it": st.column_config.TextColumn("What the ledger records",
                                                                                          width="large"),
                                "rows": "Rows"})
    with st.expander("Dataset changelog"):
        st.markdown(provenance.changelog())

with uploads_tab:
    st.markdown(
        "Upload deals in the ledger's format (CSV or Parquet, up to "
        f"{uploads.MAX_UPLOAD_MB} MB). They are checked with the same rules as `python -m compute_ledger validate`, "
        "and join the charts on every page **in this browser session only**: nothing is written to the server.")
    st.download_button("Download the template (CSV header)", uploads.template_csv(), "deals_template.csv", "text/csv",
                       key="data_template", icon=":material/description:")
    with st.expander("What each column takes"):
        st.dataframe(column_dictionary().filter(pl.col("table") == "deals").drop("table"), hide_index=True,
                     placeholder=tables.MISSING)
        if data.has("companies"):
            st.caption("Buyer and provider ids must be company ids from the ledger: "
                       + ", ".join(f"`{c}`" for c in data["companies"]["company_id"].sort()) + ".")
    uploaded = st.file_uploader("Your deals file", type=["csv", "parquet"], key="data_upload")
    if uploaded is not None and not data.has("deals", "companies"):
        st.error("Uploads need the ledger's deals and companies tables, which could not be loaded.")
    elif uploaded is not None:
        bundled = data["deals"].filter(pl.col("origin") == uploads.ORIGIN_BUNDLED).drop("origin")
        check = uploads.check_uploaded_deals(uploaded.name, uploaded.getvalue(), bundled, data["companies"])
        if not check.readable:
            messages.show_problems(check.problems, f"{uploaded.name} cannot be used:")
        elif check.clean:
            st.success(f"{check.valid.height} deal(s) in {uploaded.name} passed every check.", icon=":material/check:")
            st.button(f"Add {check.valid.height} deal(s) to my session", key="data_merge", type="primary",
                      on_click=loading.set_user_deals, args=(check.valid,))
        else:
            messages.show_problems(check.problems, f"{len(check.problems)} problem(s) in {uploaded.name}; nothing has been "
                                             "added. Fix the file and upload it again, or use only the valid rows.")
            st.dataframe(check.rejected, hide_index=True, placeholder=tables.MISSING,
                         column_config={"row": "Row", "deal_id": "deal_id", "problem": st.column_config.TextColumn(
                             "Problems", width="large")})
            if check.valid.height:
                st.button(f"Use the {check.valid.height} valid row(s) only; leave out the "
                          f"{check.rejected.height} listed above", key="data_merge_valid",
                          on_click=loading.set_user_deals, args=(check.valid,))
    if loading.user_deal_count():
        mine = data["deals"].filter(pl.col("origin") == uploads.ORIGIN_USER)
        st.subheader(f"Your {mine.height} deal(s) in this session")
        st.dataframe(mine, hide_index=True, placeholder=tables.MISSING, column_config=tables.COLUMN_CONFIG)
