"""Numbers and text for people: `$38 bn`, `1.2 GW`, `107×`, never `38.0000001`; in German (the reader's language,
`i18n.language()`) the way German writes them, from Babel's CLDR data: `38 Mrd. USD`, `1,12 Bio. USD`, `15,9 GW`,
`24. Juni 2026`. Downloads and published tables never pass through here: they stay machine-readable."""
from __future__ import annotations

import datetime as dt
import functools
import html
import math
import re
import textwrap

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
        }


def md(text: str) -> str:
    """Our own sentences with amounts, safe for Streamlit markdown: two '$' in a line would start LaTeX maths."""
    return re.sub(r"(?<!\\)\$", r"\\$", text)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def escape_markdown(text: str) -> str:
    """Text from a URL or a file, safe to put inside Streamlit markdown (no links, images or HTML)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def hover_text(text: str | None, width: int = 70) -> str:
    """Free text for a Plotly hover box: HTML-escaped (Plotly renders tags) and wrapped with <br>."""
    if not text:
        return ""
    return "<br>".join(html.escape(line) for line in textwrap.wrap(str(text), width=width))


def code(text: object) -> str:
    """Text for inside a Markdown code span (`…`): a backtick in it would end the span early."""
    return str(text).replace("`", "'").replace("\n", " ")
