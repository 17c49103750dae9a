"""Tables of rows with their sources, one display per column name: money and GW formatted, links clickable."""
from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence

import polars as pl
import streamlit as st

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.analysis.company import with_profile_links
from compute_ledger.analysis.feedback import FEEDBACK_URL_ENV, feedback_base, report_links
from compute_ledger.analysis.counting import Total, largest_first
from compute_ledger.analysis.metrics import with_names
from compute_ledger.analysis.sources import citations_of
from compute_ledger.data.schema import ROW_ID
from compute_ledger.app import text
from compute_ledger.data.uploads import ORIGIN_USER
from compute_ledger.i18n import t, tn


def _money(label: str, decimals: int = 2) -> dict:
    """A USD bn column: "$38.00 bn" in English; in German the header says "Mrd. USD" and the reader's browser writes
    the number (Streamlit's printf formats know only the decimal point)."""
    if i18n.language() == "de":
        return st.column_config.NumberColumn(label, format="localized")
    return st.column_config.NumberColumn(label, format=f"$%.{decimals}f bn")


def _number(label: str, english_format: str, help: str | None = None) -> dict:
    if i18n.language() == "de":
        return st.column_config.NumberColumn(label, format="localized", help=help)
    return st.column_config.NumberColumn(label, format=english_format, help=help)


def _plain_number(label: str) -> dict:
    """A number column whose unit the table's label or page says: the default display in English, the reader's
    browser's digits in German."""
    if i18n.language() == "de":
        return st.column_config.NumberColumn(label, format="localized")
    return st.column_config.NumberColumn(label)


# One display per column name, for every table the app shows: money and GW formatted, links clickable; in the
# reader's language (made once per language: `column_config()`). The data in the cells stays as it is.
@functools.cache
def _column_config(language: str) -> dict:
    with i18n.use_language(language):
        config = {
            "source_url": st.column_config.LinkColumn(t("Source"), display_text=r"https?://(?:www\.)?([^/]+)"),
            "source_title": st.column_config.TextColumn(t("Source title"), width="large"),
            "source_date": st.column_config.DateColumn(t("Source date"), format="YYYY-MM-DD"),
            "value_usd_bn": _money(t("Value (USD bn)")),
            "committed_usd_bn": _money(t("Committed (USD bn)")),
            "date": st.column_config.DateColumn(t("Date"), format="YYYY-MM-DD"),
            "as_of": st.column_config.DateColumn(t("As of"), format="YYYY-MM-DD"),
            "lat": _number(t("Lat"), "%.2f"),
            "lon": _number(t("Lon"), "%.2f"),
            "year": st.column_config.NumberColumn(t("Year"), format="%d"),
            "start_year": st.column_config.NumberColumn(t("Start"), format="%d"),
            "end_year": st.column_config.NumberColumn(t("End"), format="%d"),
            "capacity_gw": _number(t("Capacity (GW)"), "%.2f GW"),
            "announced": st.column_config.DateColumn(t("Announced"), format="YYYY-MM-DD"),
            "description": st.column_config.TextColumn(t("What was agreed"), width="large"),
            "origin": st.column_config.TextColumn(t("Origin"),
                                                  help=t("'your upload': a row you added in this session")),
            # Who backs the row (issue 25): the primary citation's publisher and kind, how many pages, who first.
            "source_publisher": st.column_config.TextColumn(t("Primary source"),
                                                            help=t("Publisher of the row's primary citation")),
            "citation_count": st.column_config.NumberColumn(
                t("Citations"), format="%d", help=t("How many published pages back the row; select the row to "
                                                    "list them")),
            "independent_publishers": st.column_config.NumberColumn(
                t("Publishers"), format="%d", help=t("How many different publishers those pages come from")),
            "first_reported_by": st.column_config.TextColumn(
                t("First reported by"), help=t("Who reported the figure first, as the primary page says")),
            "source_strength": st.column_config.TextColumn(
                t("Backing"), help=t("company_or_filing: a company or filing page; corroborated: two or more "
                                     "publishers agree; single_report: one report only")),
            "single_source_reason": st.column_config.TextColumn(t("Why single-sourced"), width="large"),
            # Plain headers for the other columns the source tables show.
            "deal_id": t("Deal"), "power_type": t("Power source"), "value_basis": t("Value is"), "buyer": t("Buyer"),
            "layer": t("Layer"), "firmness": t("Firmness"), "source_kind": t("Source kind"),
            "source_note": t("Source note"), "counting_note": t("Counting note"), "provider": t("Provider"),
            "deal_type": t("Deal type"), "status": t("Status"), "company": t("Company"), "site": t("Site"),
            "scope": t("Scope"), "stage": t("Stage"), "period": t("Period"), "metric": t("Metric"),
            "estimator": t("Estimated by"), "is_projection": t("Projection"), "term_basis": t("Term from"),
            "first_year": t("First year"), "last_year": t("Last year"), "deals": t("Deals"), "flow": t("Flow"),
            "deal_ids": t("Deal ids"),
            # The Company page's Exposure section (providers that depend on a buyer).
            "backlog_usd_bn": _money(t("Backlog (USD bn)")),
            "share_of_its_backlog_pct": _number(t("Share of its backlog"), "%.1f%%"),
            "reported_rpo_usd_bn": _money(t("Its reported RPO (USD bn)"), decimals=0),
            "of_reported_rpo_pct": _number(t("Share of its reported RPO"), "%.1f%%"),
            "reported_by": t("Figures reported by"),
            # Columns of the Company page's tables.
            "planned_gw": _number(t("Planned (GW)"), "%.2f GW"),
            "operational_gw": _number(t("Operating (GW)"), "%.2f GW"),
            "target_date": st.column_config.DateColumn(t("Target"), format="YYYY-MM-DD"),
            "first": st.column_config.DateColumn(t("First deal"), format="YYYY-MM-DD"),
            "last": st.column_config.DateColumn(t("Latest deal"), format="YYYY-MM-DD"),
            "counted": st.column_config.CheckboxColumn(t("Counted"),
                                                       help=t("In the totals: a tier you count, not cancelled")),
            "milestone_type": t("Milestone"), "undisclosed": t("Undisclosed"), "layers": t("Layers"),
            "side": t("Side"), "record": t("Record"), "table": t("Table"), "program": t("Programme"),
            "country": t("Country"),
            # The Diversification and Commitments pages' own numbers (concentration, running totals).
            "hhi": _plain_number(t("HHI")), "effective_suppliers": _plain_number(t("Effective suppliers")),
            "suppliers": t("Suppliers"), "total": _money(t("Total (USD bn)")),
            "added": _plain_number(t("Added in the period")), "cumulative": _plain_number(t("Running total")),
            "about": st.column_config.TextColumn(t("What"), width="large"),
            "report": st.column_config.LinkColumn(
                t("Wrong?"), display_text=t("Report"), width="small",
                help=t("Report a problem with this row: opens a new issue with its id, values and source filled in")),
        }
        # Company names as links to their profiles (Company page). The cell holds `company?id=<id>#<name>` (see
        # analysis/company.py with_profile_links) and shows the name. Plain `buyer`/`provider`/`company` name
        # columns stay text, so a table of names alone keeps working; tables that know the ids show the `*_link`
        # column in their place.
        for side, label in (("buyer", t("Buyer")), ("provider", t("Provider")), ("company", t("Company")),
                            ("counterparty", t("Counterparty"))):
            config[f"{side}_link"] = st.column_config.LinkColumn(label, display_text=PROFILE_LINK_TEXT,
                                                                 help=t("Opens this company's profile"))
    return config


def column_config() -> dict:
    """Every table's column display, in the reader's language (a fresh dict: callers may add to it)."""
    return dict(_column_config(i18n.language()))


_current_config = column_config  # under another name, for functions whose `column_config` argument hides it


PROFILE_LINK_TEXT = r"#(.+)$"
LINKED = {"buyer_id": "buyer", "provider_id": "provider"}


def with_report(rows: pl.DataFrame, shown: Sequence[str]) -> pl.DataFrame:
    """`rows.select(shown)`, and when LEDGER_FEEDBACK_URL is set a first column linking to a prefilled new-issue
    page for each row (title with its id, body with its values and source: analysis/feedback.py). First, so it
    is in view however wide the table."""
    base = feedback_base(os.environ.get(FEEDBACK_URL_ENV))
    shown = [c for c in shown if c in rows.columns]
    if base is None:
        return rows.select(shown)
    return rows.select(report_links(rows, shown, base), *shown)


def linked_columns(rows: pl.DataFrame, shown: Sequence[str], companies: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """The rows with a profile link beside each buyer/provider name they show, and the columns to show: the link
    in the name's place."""
    wanted = {id_column: f"{name}_link" for id_column, name in LINKED.items()
              if name in shown and id_column in rows.columns}
    if not wanted:
        return rows, list(shown)
    rows = with_profile_links(rows, wanted, companies)
    names = {f"{name}": f"{name}_link" for id_column, name in LINKED.items() if id_column in wanted}
    return rows, [names.get(c, c) for c in shown]


MAX_ROWS_SHOWN = 2_000
MISSING = "—"  # what a table shows for an empty cell (an undisclosed value), instead of "None"
# Beside a row's source, wherever a table shows one: the primary's publisher and kind, the count, the first reporter.
PROVENANCE_COLUMNS = ("source_publisher", "source_kind", "citation_count", "first_reported_by")


def citation_config() -> dict:
    return {
        "is_primary": st.column_config.CheckboxColumn(t("Primary")), "publisher": t("Publisher"), "kind": t("Kind"),
        "title": st.column_config.TextColumn(t("Title"), width="large"),
        "url": st.column_config.LinkColumn(t("Page"), display_text=r"https?://(?:www\.)?([^/]+)"),
        "published": st.column_config.DateColumn(t("Published"), format="YYYY-MM-DD"), "supports": t("Confirms"),
        "first_reported_by": t("First reported by"), "note": st.column_config.TextColumn(t("Note"), width="medium"),
    }


def with_provenance(shown: Sequence[str], available: Sequence[str]) -> list[str]:
    """The columns to show, with the citation summary added where the rows have it: beside the source's link
    (or at the end), each once."""
    extra = [c for c in PROVENANCE_COLUMNS if c in available and c not in shown]
    if not extra:
        return list(shown)
    shown = list(shown)
    anchor = next((i for i, c in enumerate(shown) if c in ("source_url", "source_title")), len(shown))
    return shown[:anchor] + extra + shown[anchor:]


def record_of(rows: pl.DataFrame, index: int) -> tuple[str, str] | None:
    """The table and id of one of the rows (a deal, milestone or financial figure), if the rows say."""
    if {"record_table", "record_id"} <= set(rows.columns):  # the citations themselves
        return rows["record_table"][index], rows["record_id"][index]
    if {"table", "record_id"} <= set(rows.columns):  # a list mixing the three tables (a company's sources)
        return rows["table"][index], rows["record_id"][index]
    return next(((table, rows[key][index]) for table, key in ROW_ID.items() if key in rows.columns), None)


def _citable(rows: pl.DataFrame) -> bool:
    return ({"table", "record_id"} <= set(rows.columns) or {"record_table", "record_id"} <= set(rows.columns)
            or any(key in rows.columns for key in ROW_ID.values()))


def cited_table(rows: pl.DataFrame, shown: Sequence[str], *, key: str, column_config: dict | None = None,
                height: int | str = "auto") -> None:
    """A table of rows whose citations are one click away: select a row to list every page that backs it."""
    config = column_config or _current_config()
    if not _citable(rows):
        st.dataframe(with_report(rows, shown), hide_index=True, placeholder=MISSING, column_config=config,
                     height=height)
        return
    event = st.dataframe(with_report(rows, shown), hide_index=True, placeholder=MISSING, column_config=config,
                         height=height, key=key, on_select="rerun", selection_mode="single-row")
    picked = event.selection.rows if event and event.selection else []
    if not picked or picked[0] >= rows.height:
        text.caption(t("Select a row to list every page that backs it."))
        return
    table, record_id = record_of(rows, picked[0])
    from compute_ledger.app import loading  # loading draws on these tables' columns; imported when used

    citations = citations_of(loading.ledger().tables.get("citations"), table, record_id)
    record = str(record_id)  # data text: text.caption shows the sentence as text
    lines = {
        "deals": tn("{n} page backs deal {record}, primary first:", "{n} pages back deal {record}, primary first:",
                    citations.height, n=fmt.count(citations.height), record=record),
        "milestones": tn("{n} page backs milestone {record}, primary first:",
                         "{n} pages back milestone {record}, primary first:", citations.height,
                         n=fmt.count(citations.height), record=record),
        "financials": tn("{n} page backs financial {record}, primary first:",
                         "{n} pages back financial {record}, primary first:", citations.height,
                         n=fmt.count(citations.height), record=record),
    }
    text.caption(lines.get(table) or tn("{n} page backs {table} {record}, primary first:",
                                        "{n} pages back {table} {record}, primary first:", citations.height,
                                        n=fmt.count(citations.height), table=table[:-1], record=record))
    st.dataframe(citations, hide_index=True, placeholder=MISSING, column_config=citation_config(),
                 key=f"{key}_citations")


def sources_expander(rows: pl.DataFrame | Callable[[], pl.DataFrame], columns: Sequence[str], *, key: str,
                     label: str | None = None, newest_by: str | None = None,
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
    box = st.expander(text.md(label or t("Data and sources")), key=key, on_change="rerun")
    if not box.open:
        return
    rows = rows() if callable(rows) else rows
    companies = companies() if callable(companies) else companies
    total = rows.height
    if newest_by:
        rows = (rows.top_k(MAX_ROWS_SHOWN, by=newest_by) if total > MAX_ROWS_SHOWN else rows).sort(
            newest_by, descending=True)
    rows = rows.head(MAX_ROWS_SHOWN)
    shown = with_provenance(columns, rows.columns)
    if companies is not None:
        rows = with_names(rows, companies, {"buyer_id": "buyer", "provider_id": "provider"})
        rows, shown = linked_columns(rows, shown, companies)
    if "origin" in rows.columns and (rows["origin"] == ORIGIN_USER).any():
        shown.insert(0, "origin")  # the analyst's own rows must be told apart from sourced ones
    with box:
        if total > MAX_ROWS_SHOWN and newest_by:
            st.caption(t("Showing the newest {shown} of {total} rows; the Data page downloads them all.",
                         shown=fmt.count(MAX_ROWS_SHOWN), total=fmt.count(total)))
        elif total > MAX_ROWS_SHOWN:
            st.caption(t("Showing the first {shown} of {total} rows; the Data page downloads them all.",
                         shown=fmt.count(MAX_ROWS_SHOWN), total=fmt.count(total)))
        elif newest_by:
            st.caption(tn("{n} row, newest first.", "{n} rows, newest first.", total, n=fmt.count(total)))
        else:
            st.caption(tn("{n} row.", "{n} rows.", total, n=fmt.count(total)))
        cited_table(rows, shown, key=f"{key}_table")




HOW_BUILT_COLUMNS = ["deal_id", "announced", "buyer", "provider", "deal_type", "layer", "firmness", "status",
                     "amount", "source_publisher", "source_kind", "citation_count", "first_reported_by",
                     "source_title", "source_url", "source_date"]


def how_built(total: Total, companies: pl.DataFrame, *, key: str) -> None:
    """'How this total is built': exactly the rows the card adds up, with their sources, built when opened."""
    amount = t("Value (USD bn)") if total.unit == "usd_bn" else t("Capacity (GW)")
    box = st.expander(text.md(t("How this total is built: {total}", total=total.label)), key=key, on_change="rerun")
    if not box.open:
        return
    with box:
        shown = fmt.usd_bn(total.value) if total.unit == "usd_bn" else fmt.gw(total.value)
        # English says "rows" whatever the count, as it always has; German chooses "Zeile" or "Zeilen".
        if total.undisclosed:
            said = tn("{n} rows add up to {amount}; {undisclosed} of them have no disclosed figure and add nothing. "
                      "{counts}", "{n} rows add up to {amount}; {undisclosed} of them have no disclosed figure and "
                      "add nothing. {counts}", total.count, n=fmt.count(total.count), amount=shown,
                      undisclosed=total.undisclosed, counts=total.counts)
        else:
            said = tn("{n} rows add up to {amount}. {counts}", "{n} rows add up to {amount}. {counts}", total.count,
                      n=fmt.count(total.count), amount=shown, counts=total.counts)
        text.caption(said)  # shown as text: the counts sentence may name data values
        rows = with_names(largest_first(total.rows, MAX_ROWS_SHOWN), companies,
                          {"buyer_id": "buyer", "provider_id": "provider"})
        # What the power comes from, in a total of power deals (empty, so not shown, in the others).
        power = ["power_type"] if "power_type" in rows.columns and rows["power_type"].is_not_null().any() else []
        rows, shown_columns = linked_columns(rows, HOW_BUILT_COLUMNS + power, companies)
        cited_table(rows, shown_columns, key=f"{key}_table",
                    column_config={**column_config(), "amount": _money(amount) if total.unit == "usd_bn"
                                   else _number(amount, "%.2f GW")})
        if total.count > MAX_ROWS_SHOWN:
            st.caption(t("Showing the largest {shown} of {total} rows; the Data page downloads them all.",
                         shown=fmt.count(MAX_ROWS_SHOWN), total=fmt.count(total.count)))


# A counterparty's sums on the Company page: what the AI-lab totals count, beside the money of every layer (a
# cloud's $40 bn of chips bought to resell is in the second, not the first, so the first may well read $0).
def profile_columns() -> dict:
    own, every = t("For own use (USD bn)"), t("All layers (USD bn)")
    return {
        "committed_usd_bn": {**_money(own), "help": t("End-user layer: what the AI labs' totals count.")},
        "value_usd_bn": {**_money(every),
                         "help": t("Every layer: own use, resale, financing, power (not cancelled).")},
    }


def profile_table(rows: pl.DataFrame, columns: Sequence[str], *, key: str | None = None) -> None:
    """A Company page table: the columns it has, empty cells shown as MISSING, names linked to profiles; with a
    `key`, a row's citations one click away."""
    shown = with_provenance([c for c in columns if c in rows.columns], rows.columns)
    config = {**column_config(), **profile_columns()} if "committed_usd_bn" in shown else column_config()
    if key is None:
        st.dataframe(with_report(rows.head(MAX_ROWS_SHOWN), shown), hide_index=True, placeholder=MISSING,
                     column_config=config)
        return
    cited_table(rows.head(MAX_ROWS_SHOWN), shown, key=key, column_config=config)
