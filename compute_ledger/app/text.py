"""The one way text reaches the screen: every heading, caption, paragraph, message, card, help tooltip and
page-link label that pages and the glue draw goes through here.

The rule lives in `formatting.as_markdown`: a `formatting.Markdown` (a sentence the app wrote, with any data value
in it already escaped, made by `fmt.markdown(template, name=...)`, `fmt.md` or `fmt.escape_markdown`) is shown as
Markdown; any other string (a company name, a description, a source title, a link's value, a file's name) is
escaped and shown as the characters it holds. So forgetting to escape shows backslash-free text, never markup.
Chart text gets the same treatment where figures are built (`charts.common.base_layout`), and the brief's PDF
draws text, never markup (`brief/pdf.py`).
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from compute_ledger import formatting as fmt


def md(text: object) -> fmt.Markdown | None:
    """Text for any Streamlit argument that renders Markdown (a widget's label or help, a button's label)."""
    return None if text is None else fmt.as_markdown(text)


def title(body: object, where: Any = st) -> None:
    where.title(md(body))


def header(body: object, where: Any = st, **kwargs: Any) -> None:
    where.header(md(body), **kwargs)


def subheader(body: object, where: Any = st, **kwargs: Any) -> None:
    where.subheader(md(body), **kwargs)


def markdown(body: object, where: Any = st) -> None:
    where.markdown(md(body))


def caption(body: object, where: Any = st) -> None:
    where.caption(md(body))


def info(body: object, where: Any = st, **kwargs: Any) -> None:
    where.info(md(body), **kwargs)


def warning(body: object, where: Any = st, **kwargs: Any) -> None:
    where.warning(md(body), **kwargs)


def error(body: object, where: Any = st, **kwargs: Any) -> None:
    where.error(md(body), **kwargs)


def success(body: object, where: Any = st, **kwargs: Any) -> None:
    where.success(md(body), **kwargs)


def metric(label: object, value: str, *, help: object = None, where: Any = st, **kwargs: Any) -> None:  # noqa: A002
    """A card: its label and help are Markdown; its value and delta are drawn as plain text by Streamlit."""
    where.metric(md(label), value, help=md(help), **kwargs)


def page_link(page: str, *, label: object, help: object = None, where: Any = st, **kwargs: Any) -> None:
    where.page_link(page, label=md(label), help=md(help), **kwargs)
