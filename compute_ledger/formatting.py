"""Numbers and text for people: `$38 bn`, `1.2 GW`, `107×`, never `38.0000001`."""
from __future__ import annotations

import datetime as dt
import math
import re
import textwrap
import urllib.parse

from babel.numbers import format_decimal

LOCALE = "en_US"
UNDISCLOSED = "not disclosed"


def _number(value: float, decimals: int) -> str:
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def usd_bn(value: float | None) -> str:
    """$38 bn, $1.5 bn, $0.35 bn; from a trillion on, $1.4 tn; a negative amount is -$66.7 bn."""
    if _missing(value):
        return UNDISCLOSED
    if value < 0:
        return "-" + usd_bn(-value)
    if abs(value) >= 1000:
        return f"${_number(value / 1000, 2)} tn"
    decimals = 0 if abs(value) >= 100 else 1 if abs(value) >= 1 else 2
    return f"${_number(value, decimals)} bn"


def gw(value: float | None) -> str:
    """1.2 GW, 0.23 GW, 30 GW."""
    if _missing(value):
        return UNDISCLOSED
    decimals = 0 if abs(value) >= 100 else 1 if abs(value) >= 1 else 2
    return f"{_number(value, decimals)} GW"


def multiple(value: float | None) -> str:
    """How many times one amount covers another: 107×, 2.5×."""
    if _missing(value):
        return "n/a"
    return f"{_number(value, 0 if abs(value) >= 10 else 1)}×"


def count(value: int) -> str:
    return _number(value, 0)


def day(value: dt.date | None) -> str:
    """23 Nov 2026."""
    return value.strftime("%-d %b %Y") if value else "unknown"


def month(value: dt.date | None) -> str:
    """Nov 2026."""
    return value.strftime("%b %Y") if value else "unknown"


def quarter(value: dt.date) -> str:
    """Q1 2027."""
    return f"Q{(value.month - 1) // 3 + 1} {value.year}"


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
