"""Numbers and text for people: `$38 bn`, `1.2 GW`, `107×`, never `38.0000001`; in German (the reader's language,
`i18n.language()`) the way German writes them, from Babel's CLDR data: `38 Mrd. USD`, `1,12 Bio. USD`, `15,9 GW`,
`24. Juni 2026`. Downloads and published tables never pass through here: they stay machine-readable."""
from __future__ import annotations

import datetime as dt
import functools
import math
import re
import textwrap
import urllib.parse

from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal, format_percent

from compute_ledger import i18n
from compute_ledger.i18n import t

LOCALE = "en_US"
UNDISCLOSED = "not disclosed"  # English; `undisclosed()` is the reader's language
NBSP = "\u00a0"  # between a German number and its unit, as CLDR writes "38 Mrd.": the two never part at a line end


def _german() -> bool:
    return i18n.language() == "de"


def undisclosed() -> str:
    return t("not disclosed")


def _number(value: float, decimals: int) -> str:
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=i18n.locale())


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def usd_bn(value: float | None) -> str:
    """$38 bn, $1.5 bn, $0.35 bn; from a trillion on, $1.4 tn; a negative amount is -$66.7 bn."""
    if _missing(value):
        return undisclosed()
    if value < 0:
        return "-" + usd_bn(-value)
    if _german():
        # CLDR's short forms: Mio. (10^6), Mrd. (10^9), Bio. (10^12); German "Billion" is 10^12, so bn is Mrd.
        decimals = 2 if value >= 1000 or value < 1 else 0 if value >= 100 else 1
        return format_compact_decimal(value * 1e9, locale=i18n.locale(), fraction_digits=decimals) + NBSP + "USD"
    if abs(value) >= 1000:
        return f"${_number(value / 1000, 2)} tn"
    decimals = 0 if abs(value) >= 100 else 1 if abs(value) >= 1 else 2
    return f"${_number(value, decimals)} bn"


def gw(value: float | None) -> str:
    """1.2 GW, 0.23 GW, 30 GW (German 1,2 GW)."""
    if _missing(value):
        return undisclosed()
    decimals = 0 if abs(value) >= 100 else 1 if abs(value) >= 1 else 2
    return _number(value, decimals) + (NBSP if _german() else " ") + "GW"


def multiple(value: float | None) -> str:
    """How many times one amount covers another: 107×, 2.5×."""
    if _missing(value):
        return t("n/a")
    return f"{_number(value, 0 if abs(value) >= 10 else 1)}×"


def percent(share: float) -> str:
    """A share as a whole percentage: 42% (German 42 %)."""
    return format_percent(share, format="#,##0%" if not _german() else None, locale=i18n.locale())


def count(value: int) -> str:
    return _number(value, 0)


def number(value: float, decimals: int = 0) -> str:
    """A plain number with a fixed count of decimals: 2.6, 1.0, 10,000 (German 2,6 · 1,0 · 10.000)."""
    if _german():
        return format_decimal(value, format="#,##0" + ("." + "0" * decimals if decimals else ""),
                              locale=i18n.locale())
    return f"{value:,.{decimals}f}"


def decimal(value: float, decimals: int = 1) -> str:
    """A plain number with a fixed count of decimals and no grouping, like f"{value:.1f}": 2.5, 10.0 (German 2,5)."""
    if _missing(value):
        return t("n/a")
    text = f"{value:.{decimals}f}"  # Python's rounding, the same in both languages
    return text.replace(".", ",") if _german() else text


def day(value: dt.date | None) -> str:
    """23 Nov 2026 (German 23. November 2026)."""
    if not value:
        return t("unknown")
    return format_date(value, "long", locale=i18n.locale()) if _german() else value.strftime("%-d %b %Y")


def month(value: dt.date | None) -> str:
    """Nov 2026 (German Nov. 2026)."""
    if not value:
        return t("unknown")
    return format_date(value, "MMM y", locale=i18n.locale()) if _german() else value.strftime("%b %Y")


def quarter(value: dt.date) -> str:
    """Q1 2027 (the same in German)."""
    return f"Q{(value.month - 1) // 3 + 1} {value.year}"


def word(value: str | None) -> str:
    """A category word of the data (deal type, status, layer, stage, milestone type, source kind) as a reader reads
    it: "letter_of_intent" -> "letter of intent" (German "Absichtserklärung"). The data, links and downloads keep
    the value itself; an unknown value is shown as it is, underscores as spaces."""
    if value is None:
        return ""
    if not _german():
        return value.replace("_", " ")
    return _words(i18n.language()).get(value) or value.replace("_", " ")


@functools.cache  # one dict per language, not one per word shown
def _words(language: str) -> dict[str, str]:
    with i18n.use_language(language):
        return {
            # deal types
            "cloud_compute": t("cloud compute"), "chips": t("chips"), "data_center": t("data center"),
            "equity_investment": t("equity investment"), "power": t("power"), "manufacturing": t("manufacturing"),
            # deal statuses and milestone stages
            "announced": t("announced"), "signed": t("signed"), "letter_of_intent": t("letter of intent"),
            "rumored": t("rumored"), "completed": t("completed"), "paused": t("paused"), "cancelled": t("cancelled"),
            "target": t("target"), "planned": t("planned"), "under_construction": t("under construction"),
            "operational": t("operational"),
            # firmness tiers
            "definitive": t("definitive"), "reported": t("reported"),
            # layers
            "end_user": t("end user"), "resale": t("resale"), "financing": t("financing"), "pledge": t("pledge"),
            # milestone types
            "compute_capacity": t("compute capacity"), "capacity_added": t("capacity added"),
            "program_target": t("program target"), "planned_capacity": t("planned capacity"),
            "site_reported": t("site reported"), "site_announced": t("site announced"), "energized": t("energized"),
            "capacity_target": t("capacity target"), "power_online": t("power online"),
            "commitment_total": t("commitment total"), "procurement": t("procurement"),
            "model_distribution": t("model distribution"), "pause": t("pause"), "cancellation": t("cancellation"),
            "industry_projection": t("industry projection"),
            # source kinds
            "company": t("company"), "filing": t("filing"), "major_outlet": t("major outlet"),
            "trade_press": t("trade press"), "aggregator": t("aggregator"), "blog_or_summary": t("blog or summary"),
            # power sources (deals of the power layer)
            "nuclear": t("nuclear"), "gas": t("gas"), "hydro": t("hydro"), "renewables": t("renewables"),
            "fuel_cells": t("fuel cells"), "mixed": t("mixed"),
        }


class Markdown(str):
    """Markdown the app wrote, with every data value inside it already escaped: the only text the screen shows as
    markup (the Streamlit glue, `compute_ledger/app/text.py`, escapes every other string it is given).

    Made by `markdown(template, name=value)`, `md(our_sentence)` or `escape_markdown(data_text)`. Like MarkupSafe's
    `Markup`, joining it with a plain string escapes the plain string, so data text cannot become markup by
    concatenation."""

    __slots__ = ()

    def __add__(self, other: object) -> Markdown:
        return Markdown(str.__add__(self, as_markdown(other)))

    def __radd__(self, other: object) -> Markdown:
        return Markdown(str.__add__(as_markdown(other), self))

    def join(self, parts) -> Markdown:  # type: ignore[override]
        return Markdown(str.join(self, (as_markdown(p) for p in parts)))


def md(text: str) -> Markdown:
    """Our own sentence (no data text in it, or only escaped data text): trusted as Markdown, with '$' escaped, since
    two in a line would start LaTeX maths."""
    if isinstance(text, Markdown):
        return text
    return Markdown(re.sub(r"(?<!\\)\$", r"\\$", text))


def markdown(template: str, /, **values: object) -> Markdown:
    """Our own Markdown `template` with named `{placeholders}` filled by data values shown as text: the one way a
    sentence that mixes our formatting with names, titles or descriptions is made."""
    return Markdown(md(template).format(**{name: as_markdown(value) for name, value in values.items()}))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")
# GitHub-flavoured Markdown turns bare addresses into links (https://…, www.…, a@b.c) even with their punctuation
# escaped; a zero-width space after the scheme, before "www"'s dot and before "@" keeps the text as it reads.
_AUTOLINK_STARTS = re.compile(r"(?i)(?<=https)(?=\\:)|(?<=http)(?=\\:)|(?<=ftp)(?=\\:)|(?<=www)(?=\\\.)|(?=@)")
ZERO_WIDTH_SPACE = "\u200b"


def escape_markdown(text: object) -> Markdown:
    """Text from data, a URL or a file, as Markdown that shows it as text (no links, images, HTML, emphasis,
    maths or Streamlit's :colour[...] directives)."""
    if isinstance(text, Markdown):
        return text
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", "" if text is None else str(text))
    return Markdown(_AUTOLINK_STARTS.sub(ZERO_WIDTH_SPACE, escaped))


def as_markdown(text: object) -> Markdown:
    """The boundary rule: Markdown we made passes as it is; anything else (data text) is escaped."""
    return text if isinstance(text, Markdown) else escape_markdown(text)


def hover_text(text: str | None, width: int = 70) -> str:
    """Free text for a Plotly hover box, wrapped into lines ("\n"); the chart's `base_layout` escapes every data
    string of a figure and turns these line breaks into <br>."""
    if not text:
        return ""
    return "\n".join(textwrap.wrap(str(text), width=width))


def link_target(url: str) -> Markdown:
    """A source's address as the target of a Markdown link we write (`[title](…)`): only http(s) addresses, and
    with brackets, spaces and angle brackets percent-encoded so the address cannot end the link early."""
    url = str(url or "")
    if not re.match(r"(?i)https?://", url):
        return Markdown("")
    return Markdown(urllib.parse.quote(url, safe=":/?#@!$&'*+,;=%~"))


def code(text: object) -> str:
    """Text for inside a Markdown code span (`…`): a backtick in it would end the span early."""
    return str(text).replace("`", "'").replace("\n", " ")
