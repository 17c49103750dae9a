"""The one-page brief: the Overview as an A4 PDF to forward (README "The one-page brief"). No Streamlit here.

`render` draws the page's Plotly figures as images (kaleido with a system Chromium), `pdf` lays out the page
from the OverviewView, `link` builds the URL that reopens exactly this view.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from compute_ledger.views.overview import OverviewView


def make_brief(view: OverviewView, link: str, generated: dt.date | None, language: str) -> bytes:
    """The brief as PDF bytes (`pdf.make_brief`), in `language` ("en", "de": the language `view` was built in).

    The language is an argument, not the current one: the download button runs this on click, outside the script run
    that chose the reader's language. Its layout library, fpdf, takes ~0.3 s to import (font tools): imported here,
    on the first click, rather than by the Overview page on every server start before its first chart."""
    from compute_ledger.brief import pdf

    return pdf.make_brief(view, link, generated, language)
