"""Errors and empty states, said the same way on every page."""
from __future__ import annotations

import math
from collections.abc import Sequence

import streamlit as st

from compute_ledger import formatting as fmt
from compute_ledger.app import loading, text
from compute_ledger.data.load import Ledger
from compute_ledger.data.problems import Problem
from compute_ledger.i18n import t

MAX_PROBLEMS_SHOWN = 25


def show_problems(problems: Sequence[Problem], what: str) -> None:
    """A clear error naming file, row and column for each problem (the first few; the count for the rest).
    `what` is shown as text unless it is `fmt.Markdown` (the app's own sentence, data values escaped in it)."""
    # The problem in the reader's language (p.said(): the loaded ledger's problems are cached for every reader, so
    # each keeps its template); the values it names stay as the file has them.
    lines = ["- " + t("`{file}` · row {row} · column `{column}`: {problem}", file=fmt.code(p.file), row=p.row,
                      column=fmt.code(p.column), problem=fmt.escape_markdown(p.said()))
             for p in problems[:MAX_PROBLEMS_SHOWN]]
    more = len(problems) - MAX_PROBLEMS_SHOWN
    if more > 0:
        lines.append("- " + t("… and {n} more (run `python -m compute_ledger validate` for the full list)", n=more))
    text.error(fmt.markdown("**{what}**\n\n", what=what) + fmt.md("\n".join(lines)), icon=":material/error:")


def retry_offer(key: str) -> None:
    """After a failed load: when the data is read again, and a button to read it now (a host may be back already)."""
    left = loading.retry_in()
    if left is None:
        return
    with st.container(horizontal=True, vertical_alignment="center"):
        text.caption(t("The data is read again on the next page view; until then every visitor sees this message.")
                     if left < 1 else
                     t("The data is read again in {seconds} s, on the first page view after that; until then every "
                       "visitor sees this message.", seconds=math.ceil(left)))
        st.button(t("Try again now"), key=key, icon=":material/refresh:", on_click=loading.try_again_now)


def require(data: Ledger, *tables: str) -> None:
    """Stop this page, with the reason, if a table it needs could not be loaded; other pages go on."""
    missing = data.missing(*tables)
    if missing:
        show_problems(data.problems_for(*missing),
                      fmt.md(t("This page needs the {tables} data, which could not be loaded from `{location}`.",
                               tables=", ".join(missing), location=fmt.code(data.location))))
        retry_offer("retry_load_page")
        st.stop()


def no_rows(message: str | None = None) -> None:
    text.info(message or t("No deals match this filter. Widen the dates or clear a filter in the sidebar."),
              icon=":material/search_off:")
