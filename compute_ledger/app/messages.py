"""Errors and empty states, said the same way on every page."""
from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from compute_ledger import formatting as fmt
from compute_ledger.data.load import Ledger
from compute_ledger.data.problems import Problem
from compute_ledger.i18n import t

MAX_PROBLEMS_SHOWN = 25


def show_problems(problems: Sequence[Problem], what: str) -> None:
    """A clear error naming file, row and column for each problem (the first few; the count for the rest).
    `what` is the app's own sentence; data values in it must already be escaped (`fmt.escape_markdown`)."""
    # The problem itself (p.message) is the data check's own words, in English: it names values as the file has them.
    lines = ["- " + t("`{file}` · row {row} · column `{column}`: {problem}", file=fmt.code(p.file), row=p.row,
                      column=fmt.code(p.column), problem=fmt.escape_markdown(p.message))
             for p in problems[:MAX_PROBLEMS_SHOWN]]
    more = len(problems) - MAX_PROBLEMS_SHOWN
    if more > 0:
        lines.append("- " + t("… and {n} more (run `python -m compute_ledger validate` for the full list)",
                              n=fmt.count(more)))
    st.error(f"**{what}**\n\n" + "\n".join(lines), icon=":material/error:")


def require(data: Ledger, *tables: str) -> None:
    """Stop this page, with the reason, if a table it needs could not be loaded; other pages go on."""
    missing = data.missing(*tables)
    if missing:
        show_problems(data.problems_for(*missing),
                      t("This page needs the {tables} data, which could not be loaded from `{location}`.",
                        tables=", ".join(missing), location=fmt.code(data.location)))
        st.stop()


def no_rows(message: str | None = None) -> None:
    st.info(message or t("No deals match this filter. Widen the dates or clear a filter in the sidebar."),
            icon=":material/search_off:")
