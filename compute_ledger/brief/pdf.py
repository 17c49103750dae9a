"""The Overview as a one-page A4 brief: `brief_pdf(view, link, chart_png) -> bytes`. No Streamlit here.

Page 1 holds what an executive forwards: title and "data as of", the headline cards, the headline chart, the five
largest deals, what is new since the chosen date, the counting rules in two lines and the link that reopens this
view. Page 2 says where each figure comes from: the largest rows of each total and as many sources as fit, then how
many more there are and that the dashboard's Data page lists them all, so the brief is two pages at any size. Every
number is the view's own text, formatted by
compute_ledger/formatting.py through the same functions the page uses, so the PDF says what the screen says.
"""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.analysis import sources
from compute_ledger.analysis.counting import largest_first
from compute_ledger.brief.render import CHART_WIDTH_PX, chart_png, failed
from compute_ledger.data.dataset_citation import citation
from compute_ledger.i18n import t, tn
from compute_ledger.views.overview import OverviewView, beside_note, largest_column_labels, shown_value

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core (packages.txt)
FONT, MARGIN = "DejaVu", 12.0
INK, GREY, RULE, LINK = (20, 24, 33), (95, 102, 115), (205, 209, 217), (20, 80, 170)
CHART_MAX_H = 88.0  # mm: the chart gives way to the cards, tables and news it shares the page with
CITE_H = 18.0  # mm kept at the bottom of page 2 for "Cite this"
FOOTER_H = 21.0  # mm kept at the bottom of page 1 for the counting rules and the link
NEWS_LINE_H = 3.3
ROWS_PER_TOTAL = 8  # page 2 names the largest rows of each total; the Data page (and "How this total is built") all
SOURCE_LINE_H = 2.8
# DejaVu Sans covers Latin, Greek, Cyrillic and most symbols, not Chinese, Japanese, Korean or emoji: a character it
# lacks is printed as this box (which it has), and the brief says so, rather than silently dropped by fpdf.
MISSING_GLYPH = "\u25a1"
# untranslated: the note in English (tests read it); missing_note() is the brief's language
MISSING_NOTE = ("□: a character outside the brief's font (DejaVu Sans: no Chinese, Japanese, Korean or emoji); "
                "the dashboard shows it.")  # untranslated: as above


# The brief's own sentences are functions, not constants: each is written in the language the brief is made in.
def title() -> str:
    return t("The AI compute build-out: brief")


def missing_note() -> str:
    return t("□: a character outside the brief's font (DejaVu Sans: no Chinese, Japanese, Korean or emoji); the "
             "dashboard shows it.")


@functools.cache
def _font_covers() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    covered = set()
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        with TTFont(FONT_DIR / name, lazy=True) as font:
            cmap = set(font.getBestCmap())
        covered = cmap if not covered else covered & cmap
    return frozenset(covered)


class _Brief(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.set_title(title())
        self.set_creator("AI Compute Ledger")
        if (FONT_DIR / "DejaVuSans.ttf").exists():
            self.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
            self.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
            self.family = FONT
        else:  # no Unicode font: the core font, with the few characters it lacks spelled out
            self.family = "Helvetica"
        self.replaced = False  # did any character fall outside the font (said under the sources)

    def text_of(self, text: str) -> str:
        text = "".join(c if c.isprintable() else " " for c in str(text))  # no control character reaches the page
        if self.family == FONT:
            covers = _font_covers()
            if all(ord(c) in covers for c in text):
                return text
            self.replaced = True
            return "".join(c if ord(c) in covers else MISSING_GLYPH for c in text)
        for char, plain in (("÷", "/"), ("×", "x"), ("…", "..."), ("–", "-"), ("—", "-"), ("’", "'"), ("·", "-")):
            text = text.replace(char, plain)
        if any(ord(c) > 0xFF for c in text):
            self.replaced = True
        return text.encode("latin-1", "replace").decode("latin-1")

    def style(self, size: float, bold: bool = False, colour: tuple[int, int, int] = INK) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*colour)

    def para(self, text: str, size: float, h: float, bold: bool = False, colour=INK, w: float = 0,
             link: str | None = None, max_lines: int | None = None) -> None:
        """A paragraph, wrapped; with `max_lines`, a longer one is cut with an ellipsis so it keeps its room."""
        self.style(size, bold, colour)
        text = self.text_of(text)
        if max_lines:
            text = self.within_lines(text, w or self.epw, h, max_lines)
        self.multi_cell(w or self.epw, h, text, align="L", link=link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def lines_of(self, text: str, w: float, h: float) -> int:
        return len(self.multi_cell(w, h, text, align="L", dry_run=True, output="LINES"))

    def within_lines(self, text: str, w: float, h: float, max_lines: int) -> str:
        """`text` (already through text_of, in the current style) cut with an ellipsis to wrap into `max_lines`."""
        if self.lines_of(text, w, h) <= max_lines:
            return text
        low, high = 0, len(text)
        while low < high:  # a binary search: measuring is the slow part of a layout
            mid = (low + high + 1) // 2
            if self.lines_of(text[:mid].rstrip() + "…", w, h) <= max_lines:
                low = mid
            else:
                high = mid - 1
        return text[:low].rstrip() + "…"

    def height_of(self, text: str, size: float, h: float, w: float = 0, bold: bool = False) -> float:
        self.style(size, bold)
        lines = self.multi_cell(w or self.epw, h, self.text_of(text), align="L", dry_run=True, output="LINES")
        return len(lines) * h

    def heading(self, text: str) -> None:
        self.ln(1.5)
        self.para(text, 9.5, 5, bold=True)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.l_margin + self.epw, self.get_y())
        self.ln(1)


def _cards(pdf: _Brief, view: OverviewView) -> None:
    cards = [(t.label, shown_value(t), beside_note(t) or "") for t in view.totals]
    cards += [(c.label, c.value, "") for c in view.cards]
    per_row, gap, h = 4, 2.5, 17.0
    w = (pdf.epw - gap * (per_row - 1)) / per_row
    pdf.set_draw_color(*RULE)
    top = pdf.get_y()
    for i, (label, value, note) in enumerate(cards):
        if i and i % per_row == 0:
            top += h + gap
        x = pdf.l_margin + (i % per_row) * (w + gap)
        pdf.rect(x, top, w, h)
        pdf.set_xy(x + 1.5, top + 1.2)
        pdf.para(label, 6.3, 2.7, colour=GREY, w=w - 3, max_lines=2)  # a long name never prints over the value
        pdf.set_xy(x + 1.5, top + 7.2)
        pdf.style(12.5, bold=True)
        pdf.cell(w - 3, 5.5, _fit(pdf, value, w - 3))
        if note:
            pdf.set_xy(x + 1.5, top + 12.6)
            pdf.para(note, 5.6, 2.2, colour=GREY, w=w - 3, max_lines=2)
    pdf.set_xy(pdf.l_margin, top + h + 2)


def _chart(pdf: _Brief, view: OverviewView, chart_png: bytes | None, chart_problem: str | None = None) -> None:
    pdf.para(view.takeaway, 8.5, 4, bold=True, max_lines=2)
    if chart_png is None:
        pdf.para(t("(Chart not drawn: {reason})", reason=chart_problem) if chart_problem else t("(chart not drawn)"),
                 7, 3.5, colour=GREY, max_lines=3)
        return
    height_px = view.chart.layout.height or 450
    width_px = CHART_WIDTH_PX
    h = min(CHART_MAX_H, pdf.epw * height_px / width_px)
    w = h * width_px / height_px
    pdf.image(chart_png, x=pdf.l_margin + (pdf.epw - w) / 2, y=pdf.get_y() + 0.5, w=w, h=h,
              alt_text=t("AI labs' disclosed compute commitments by provider, split by buyer"))
    pdf.set_y(pdf.get_y() + h + 1)
    if view.undisclosed_caption:
        pdf.para(view.undisclosed_caption, 6, 2.8, colour=GREY, max_lines=2)


def _largest(pdf: _Brief, view: OverviewView) -> None:
    pdf.heading(t("{heading}, by disclosed value", heading=view.largest_heading))
    # Keyed by the frame's English column names; the header row is in the reader's language.
    headers = largest_column_labels()
    widths = _largest_widths(pdf, view, headers)
    pdf.style(6.5, bold=True, colour=GREY)
    for column, w in widths.items():
        pdf.cell(w, 3.6, _fit(pdf, headers[column], w - 1))
    pdf.ln(3.6)
    for row in view.largest.iter_rows(named=True):
        for column, w in widths.items():
            text = row[column]
            if column == "Source":
                pdf.style(6.5, colour=LINK)
                pdf.cell(w, 3.6, _fit(pdf, _short_url(text), w), link=text)
                continue
            pdf.style(6.5, bold=column == "Value")
            pdf.cell(w, 3.6, _fit(pdf, text, w - 1))
        pdf.ln(3.6)


LARGEST_WIDTHS = {"Deal": 10, "Announced": 18, "Buyer": 26, "Provider": 36, "What": 21, "Value": 16, "Firmness": 17}
GROWS = ("Announced", "What", "Value", "Firmness")  # short words and numbers: cut, they would say nothing
GROWS_AT_MOST = 30.0  # mm
SOURCE_AT_LEAST = 28.0  # mm: the address column keeps room for a host name
GIVES = {"Provider": 28.0, "Buyer": 22.0}  # then the names give room, in this order, down to these widths (mm)


def _largest_widths(pdf: _Brief, view: OverviewView, headers: dict[str, str]) -> dict[str, float]:
    """The largest deals' column widths (mm): the English layout's, with a date, a kind, an amount or a firmness
    column widened to show its longest cell whole (German: "10. September 2025", "Cloud-Rechenleistung",
    "300 Mrd. USD", "Verbindlichkeit"), taken from the address, then the names, which are cut first."""
    widths = dict(LARGEST_WIDTHS)
    for column in GROWS:
        pdf.style(6.5, bold=True)  # the header row is bold, and so is the value column
        header = pdf.get_string_width(pdf.text_of(headers[column]))
        pdf.style(6.5, bold=column == "Value")
        needed = max([header] + [pdf.get_string_width(pdf.text_of(v)) for v in view.largest[column].drop_nulls()]) + 2.0
        widths[column] = max(widths[column], min(needed, GROWS_AT_MOST))
    for column, least in GIVES.items():
        short = SOURCE_AT_LEAST - (pdf.epw - sum(widths.values()))
        if short > 0:
            widths[column] -= min(short, max(0.0, widths[column] - least))
    widths["Source"] = pdf.epw - sum(widths.values())
    return widths


def _news_line(line) -> str:
    return f"{fmt.day(line.date)} · {line.text} → {line.effect}"


def _news(pdf: _Brief, view: OverviewView, bottom: float) -> list:
    """As many news lines as fit above `bottom`; returns the rest (for page 2)."""
    pdf.heading(view.news_heading)
    pdf.para(view.news_summary, 7.2, 3.5, bold=True, max_lines=2)
    lines = list(view.news)
    for i, line in enumerate(lines):
        text = _news_line(line)
        needed = min(pdf.height_of(text, 6.6, NEWS_LINE_H), 2 * NEWS_LINE_H)
        rest = len(lines) - i
        if pdf.get_y() + needed + (NEWS_LINE_H if rest > 1 else 0) > bottom:
            pdf.para(tn("… and {n} more on page 2.", "… and {n} more on page 2.", rest, n=fmt.count(rest)), 6.6,
                     NEWS_LINE_H, colour=GREY)
            return lines[i:]
        pdf.para(text, 6.6, NEWS_LINE_H, link=line.source_url, max_lines=2)
    return []


def _footer(pdf: _Brief, view: OverviewView, link: str) -> None:
    pdf.set_y(pdf.h - MARGIN - FOOTER_H)
    pdf.set_draw_color(*RULE)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
    pdf.ln(1)
    pdf.para(t("How the totals count: {rule}", rule=view.rules[0]), 6.2, 2.9, colour=GREY, max_lines=2)
    pdf.para(view.rules[1], 6.2, 2.9, colour=GREY, max_lines=2)
    pdf.ln(0.8)
    pdf.para(t("Reopen exactly this view:"), 6.5, 3, bold=True)
    pdf.para(link, 6.3, 2.9, colour=LINK, link=link, max_lines=2)


def _sources(pdf: _Brief, view: OverviewView, more_news: list) -> None:
    """Page 2, and only page 2: each total's largest rows, then as many sources as fit, each list closed by how many
    more there are and where they all are (the dashboard's Data page, and each card's "How this total is built")."""
    pdf.add_page()
    # Room kept for the closing "and N more", the font note and "Cite this" (_cite), so page 2 is the last page.
    bottom = pdf.h - MARGIN - 2 * SOURCE_LINE_H - CITE_H
    if more_news:
        pdf.heading(t("{heading} (continued)", heading=view.news_heading))
        for line in more_news:
            pdf.para(_news_line(line), 6.6, NEWS_LINE_H, link=line.source_url, max_lines=2)
    pdf.heading(t("Where each figure comes from"))
    # Each row's source, and who backs it (the primary's publisher and kind, the citations, the first reporter).
    referenced: dict[str, tuple[str, str]] = {}
    credits: dict[str, str] = {}
    for total in view.totals:
        rows = largest_first(total.rows, ROWS_PER_TOTAL)  # a top-k: never every row of a million-deal total
        for r in rows.iter_rows(named=True):
            referenced.setdefault(r["deal_id"], (r["source_title"], r["source_url"]))
            credits.setdefault(r["deal_id"], sources.credit(r))
        pdf.para(_total_rows(total, rows), 6.3, 2.9, max_lines=3)
    if view.deals:
        pdf.para(tn("Chart: the disclosed values of the rows of AI labs' compute commitments, by provider and buyer. "
                    "Deals and Providers: the {n} row the filter keeps. Operating fleet: the company's own latest "
                    "report (milestones table); commitments ÷ revenue: the financials table. Both tables, with their "
                    "sources, are on the dashboard's Data page.",
                    "Chart: the disclosed values of the rows of AI labs' compute commitments, by provider and buyer. "
                    "Deals and Providers: the {n} rows the filter keeps. Operating fleet: the company's own latest "
                    "report (milestones table); commitments ÷ revenue: the financials table. Both tables, with their "
                    "sources, are on the dashboard's Data page.", view.deals, n=fmt.count(view.deals)), 6.3, 2.9)
    for row in view.largest.iter_rows(named=True):
        referenced.setdefault(row["Deal"], ("", row["Source"]))
        if row.get("Primary source"):
            cited = int(row["Citations"]) if (row["Citations"] or "").isdigit() else 0
            credits.setdefault(row["Deal"], " · ".join(
                [row["Primary source"], tn("{n} citation", "{n} citations", cited, n=row["Citations"])]
                + ([t("first reported by {name}", name=row["First reported by"])] if row["First reported by"] else [])))
    for line in view.news:
        referenced.setdefault(line.record_id, (line.source_title, line.source_url))
        if line.source_credit:
            credits.setdefault(line.record_id, line.source_credit)
    pdf.heading(t("Sources (each line links to its article)"))
    by_url: dict[str, tuple[list[str], str, str]] = {}
    for record_id, (title, url) in sorted(referenced.items()):
        ids, known, credit = by_url.setdefault(url, ([], title, ""))
        ids.append(record_id)
        by_url[url] = (ids, known or title, credit or credits.get(record_id, ""))
    pdf.style(6, colour=INK)
    listed = 0
    for url, (ids, title, credit) in by_url.items():
        if pdf.get_y() + SOURCE_LINE_H > bottom:
            break
        # The credit before the title: a long title is what gets cut to fit the line, never who backs the row.
        text = f"{', '.join(ids)} · {credit + ' · ' if credit else ''}{title + ' · ' if title else ''}{_short_url(url)}"
        pdf.cell(pdf.epw, SOURCE_LINE_H, _fit(pdf, text, pdf.epw), link=url, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        listed += 1
    if listed < len(by_url):
        rest = len(by_url) - listed
        pdf.para(tn("… and {n} more source, see the Data page (every row with its source).",
                    "… and {n} more sources, see the Data page (every row with its source).", rest, n=fmt.count(rest)),
                 6, SOURCE_LINE_H, colour=GREY)
    if pdf.replaced:
        pdf.para(missing_note(), 6, SOURCE_LINE_H, colour=GREY)


def _total_rows(total, rows) -> str:
    """"AI labs' compute commitments, $1.2 tn: adds 40 rows (largest: d1 $300 bn, …; and 32 more, see the Data
    page)." One whole sentence for each case, so that German can order its words."""
    added = ", ".join(f"{r['deal_id']} {fmt.usd_bn(r['amount']) if total.unit == 'usd_bn' else fmt.gw(r['amount'])}"
                      for r in rows.iter_rows(named=True))
    more = total.count - rows.height
    values = {"total": total.label, "value": shown_value(total), "n": fmt.count(total.count), "rows": added,
              "more": fmt.count(more)}
    if not added:
        return tn("{total}, {value}: adds {n} row.", "{total}, {value}: adds {n} rows.", total.count, **values)
    if more <= 0:
        return tn("{total}, {value}: adds {n} row ({rows}).", "{total}, {value}: adds {n} rows ({rows}).",
                  total.count, **values)
    return tn("{total}, {value}: adds {n} row (largest: {rows}; and {more} more, see the Data page).",
              "{total}, {value}: adds {n} rows (largest: {rows}; and {more} more, see the Data page).",
              total.count, **values)


def _cite(pdf: _Brief, view: OverviewView, link: str) -> None:
    """How to cite the dataset (data/dataset_citation.py): APA text with this view's link, and the licence."""
    cite = citation(view.as_of, link)
    pdf.heading(t("Cite this"))
    pdf.para(cite.apa, 6.6, 3.0)  # the reference as the app's "Cite this" gives it, in every language
    pdf.para(t("{licence}. The cited reports remain their publishers'.", licence=cite.licence), 6.3, 2.9, colour=GREY)


def _fit(pdf: _Brief, text: str, width: float) -> str:
    """`text` (through text_of), cut with an ellipsis to fit `width` (a binary search: measuring is the slow part)."""
    text = pdf.text_of(text)
    if pdf.get_string_width(text) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if pdf.get_string_width(text[:mid].rstrip() + "…") <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


def _short_url(url: str) -> str:
    return url.split("://", 1)[-1].removeprefix("www.")


def brief_pdf(view: OverviewView, link: str, chart_png: bytes | None, generated: dt.date | None = None,
              chart_problem: str | None = None) -> bytes:
    """The brief as PDF bytes. `chart_png` is the page's chart drawn by brief.render (None: no deals to draw, or
    `chart_problem` says why it could not be drawn)."""
    pdf = _Brief()
    pdf.add_page()
    pdf.para(title(), 15, 7, bold=True)
    pdf.para(t("{scope} · brief made {date}", scope=view.scope, date=fmt.day(generated)) if generated else view.scope,
             7.5, 3.6, colour=GREY, max_lines=2)
    pdf.ln(1.5)
    bottom = pdf.h - MARGIN - FOOTER_H - 1
    if view.deals == 0:
        pdf.para(t("No deals match this filter: there are no totals, chart or largest deals to show. Widen the filter "
                   "in the dashboard (the link below reopens this one)."), 9, 4.5, bold=True)
        more = _news(pdf, view, bottom)
    else:
        _cards(pdf, view)
        _chart(pdf, view, chart_png, chart_problem)
        _largest(pdf, view)
        more = _news(pdf, view, bottom)
    _footer(pdf, view, link)
    _sources(pdf, view, more)
    _cite(pdf, view, link)
    return bytes(pdf.output())


def make_brief(view: OverviewView, link: str, generated: dt.date | None = None, language: str | None = None) -> bytes:
    """Draw the chart and lay out the brief, in `language` (default: the current one; the view should be built in
    it too). If the chart cannot be drawn, for any reason (no browser, a browser that crashed or timed out), the
    brief is still made and says why in the chart's place; the reason is also kept for the page, which says it
    beside the button (`render.recent_failure`)."""
    with i18n.use_language(language or i18n.language()):
        png, problem = None, None
        if view.deals:
            try:
                png = chart_png(view.chart)
            except Exception as error:  # noqa: BLE001 - any failure of the browser is said, never a generic error
                problem = failed(error)
        return brief_pdf(view, link, png, generated, problem)
