"""The app in German (issue 29): a page opened with `lang=de` shows none of the English sentences its code marks for
translation (the catalogue's msgids, not a hand list), writes numbers the German way, and keeps the choice; an
unknown `lang` is named and English used; the English page stays English.

Add your page to GERMAN_PAGES when it is translated (docs/translating.md).
"""
from __future__ import annotations

import functools
import html
import json
import re
import urllib.parse

import polars as pl

import pytest
from google.protobuf.json_format import MessageToDict

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.data import provenance
from compute_ledger.data.load import REPO_DATA_DIR, load_ledger
from compute_ledger.i18n import use_language
from tests.app.conftest import new_app, plain
from tests.conftest import DATA, REPO

# A page, or a page with the link's params it needs ("pages/company.py?id=openai", "pages/embed.py?chart=…").
GERMAN_PAGES = [
    "pages/overview.py", "pages/exposure.py", "pages/embed.py?chart=exposure-backlog", "pages/capacity.py",
    "pages/gap.py", "pages/data.py", "pages/company.py?id=openai", "pages/company.py?id=aws,microsoft-azure,oracle-oci",
    "pages/diversification.py", "pages/commitments.py",
]
# German numbers as the Overview's cards write them: 1,13 Bio. USD · 38 Mrd. USD · 16,1 GW · 1.234 · 2,5×
GERMAN_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?(\u00a0(Bio\.|Mrd\.|Mio\.)\u00a0USD|\u00a0GW|×)?$")


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def page_texts(at) -> list[str]:
    """Every string the page sends the browser: text, labels, help, captions, chart specs, column headers."""
    found, stack = [], [at._tree]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            for text in _strings(MessageToDict(proto)):
                # JSON inside a field (a chart's spec, a table's column config): its strings one by one.
                if text[:1] in "{[":
                    try:
                        found += _strings(json.loads(text))
                        continue
                    except ValueError:
                        pass
                found.append(text)
    # Text goes to the screen Markdown-escaped (app/text.py): compare what the reader reads.
    return [plain(text) for text in found]


def _squeezed(text: str) -> str:
    return " ".join(html.unescape(text.replace("<br>", " ")).split())


@functools.cache
def _data_texts() -> str:
    """Every text value of the bundled ledger (descriptions, titles, names), one per line: they stay in the
    language of their source."""
    return "\n".join(_squeezed(v) for path in sorted(DATA.glob("*.parquet"))
                     for column, values in pl.read_parquet(path).select(pl.col(pl.String)).to_dict().items()
                     for v in values.drop_nulls().unique().to_list())


def is_data_text(text: str) -> bool:
    """A text the page shows from the data (a deal's description in a chart's hover, wrapped over lines)."""
    squeezed = _squeezed(text)
    return len(squeezed) > 20 and squeezed in _data_texts()


def english_sentences() -> tuple[set[str], set[str]]:
    """The English msgids the German catalogue changes: whole ones (to compare with a whole label) and their
    literal stretches of three words or more (to look for inside longer text)."""
    whole, stretches = set(), set()
    for message in i18n.extract_messages():
        for english in (message.id if isinstance(message.id, tuple) else (message.id,)):
            with use_language("de"):
                german = i18n.t(english)
            if not english or german == english:
                continue
            whole.add(english)
            for part in re.split(r"\{[^}]*\}", english):
                # Words, not Plotly's markup: "</i><extra></extra>" is the same in every language.
                if len(re.findall(r"[A-Za-z]+", re.sub(r"<[^>]*>", "", part))) >= 3:
                    stretches.add(part.strip(" .,:;·"))
    return whole, stretches


def data_texts() -> set[str]:
    """Texts of the data files, shown as they are in every language (as descriptions and source titles are): the
    dataset's changelog, its record of every change to the data."""
    return {plain(provenance.changelog()).strip()}


# Free-text columns of the data: shown in the language of their source (a description may say "letter of intent").
DATA_TEXT_COLUMNS = ("description", "source_title", "headline", "name", "site")


@functools.cache
def _data_forms() -> tuple[str, ...]:
    tables = load_ledger(str(REPO_DATA_DIR)).tables
    data = {value for frame in tables.values() for column in DATA_TEXT_COLUMNS if column in frame.columns
            and frame.schema[column] == pl.String for value in frame[column].drop_nulls().unique() if len(value) > 12}
    forms = {html.escape(fmt.hover_text(value, width), quote=False).replace("\n", "<br>")
             for value in data for width in (60, 70)} | data
    return tuple(sorted(forms, key=len, reverse=True))


def without_data_texts(texts: list[str]) -> list[str]:
    """The page's texts with the data's own texts taken out, as a page shows them: whole, or wrapped for a chart's
    hover box (`fmt.hover_text`, HTML-escaped by the chart)."""
    cleaned = []
    for text in texts:
        for form in _data_forms():
            if form in text:
                text = text.replace(form, " ")
        cleaned.append(text)
    return cleaned


def open_page(page: str, params: dict[str, str]):
    page, _, query = page.partition("?")
    params = {**dict(urllib.parse.parse_qsl(query)), **params}
    at = new_app()
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception
    return at


def test_every_page_is_checked_in_german():
    """A new page joins GERMAN_PAGES: no page of the app goes unchecked."""
    pages = {path.relative_to(REPO).as_posix() for path in (REPO / "pages").glob("*.py")}
    assert pages == {page.partition("?")[0] for page in GERMAN_PAGES}


@pytest.fixture(scope="module")
def english():
    return english_sentences()


@pytest.mark.parametrize("page", GERMAN_PAGES)
def test_a_german_page_has_no_english_sentence_left(page, english, monkeypatch):
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    # English first, in the same process: the German view must not be the English one from the cache.
    open_page(page, {"lang": "en"})
    at = open_page(page, {"lang": "de"})
    # Code blocks are for copying (a citation record, a notebook's lines, a feed's address): as written, not read.
    copied = {plain(block.value).strip() for block in at.code}
    texts = without_data_texts([text for text in page_texts(at)
                                if text.strip() not in data_texts() | copied and not is_data_text(text)])
    whole, stretches = english
    left_whole = sorted(t for t in texts if t in whole)
    left_inside = sorted({s for s in stretches for t in texts if s in t})
    assert left_whole == [] and left_inside == []
    if not page.startswith("pages/embed.py"):  # a chart alone draws no sidebar: its language is the link's
        assert at.radio(key="lang").value == "de"
    assert at.query_params["lang"] == "de"


def test_the_overview_writes_german_numbers(monkeypatch):
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    at = open_page("pages/overview.py", {"lang": "de"})
    values = [m.value for m in at.metric]
    assert values and all(GERMAN_NUMBER.match(v) for v in values), values
    assert any("Bio.\u00a0USD" in v or "Mrd.\u00a0USD" in v for v in values)
    assert not [t for t in page_texts(at) if re.search(r"\$[\d.,]+ (bn|tn)\b", t)]  # no "$38 bn" anywhere
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["separators"] == ",."
    assert spec["layout"]["xaxis"]["ticksuffix"] == "\u00a0Mrd."
    # The date in the "New since" heading, German style (e.g. "Neu seit 2. Juni 2026").
    assert re.fullmatch(r"Neu seit \d{1,2}\. [A-ZÄÖÜ][a-zäöü]+ \d{4}", plain(at.main.subheader[-1].value))


def test_the_choice_is_kept_across_pages(monkeypatch):
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    at = open_page("pages/overview.py", {"lang": "de"})
    at.switch_page("pages/data.py").run()
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    assert at.radio(key="lang").value == "de"
    assert plain(at.title[0].value) == "Der Ausbau der KI-Rechenleistung"


def test_an_unknown_language_is_named_and_english_used(monkeypatch):
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    at = open_page("pages/overview.py", {"lang": "xx"})
    warnings = [plain(w.value) for w in at.sidebar.warning]
    assert len(warnings) == 1 and "'xx'" in warnings[0] and "English" in warnings[0]
    assert at.radio(key="lang").value == "en"
    assert plain(at.title[0].value) == "The AI compute build-out"


def test_the_english_overview_stays_english(monkeypatch):
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    open_page("pages/overview.py", {"lang": "de"})  # German first: the English view must not be the German one
    at = open_page("pages/overview.py", {})
    assert at.radio(key="lang").value == "en"
    assert plain(at.title[0].value) == "The AI compute build-out"
    assert all("$" in v or re.fullmatch(r"[\d,.]+( GW|×)?", v) or v == "n/a" for v in (m.value for m in at.metric))
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"].get("separators", ".,") == ".,"
    assert not [c for c in at.sidebar.caption if "Sprache ihrer Quelle" in c.value]  # the German note only in German


def test_a_german_link_opens_the_same_filter_in_english_and_the_filter_survives_a_switch(monkeypatch):
    """The binding writes what the sidebar shows (`status=unterzeichnet` in German): read in every language."""
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    at = open_page("pages/overview.py", {"status": "unterzeichnet", "firmness": "verbindlich"})  # no lang: English
    assert (at.multiselect(key="status").value, at.multiselect(key="firmness").value) == (["signed"], ["definitive"])
    assert not at.warning
    at.radio(key="lang").set_value("de").run()
    assert not at.exception
    assert at.multiselect(key="status").value == ["signed"]
    assert "unterzeichnet" in at.multiselect(key="status").options
    assert plain(at.title[0].value) == "Der Ausbau der KI-Rechenleistung"


def test_a_german_company_profile_writes_german_numbers_and_warnings(monkeypatch):
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    at = open_page("pages/company.py", {"lang": "de", "id": "openai,no-such-co"})
    assert [plain(w.value) for w in at.warning] == ["Der Link nennt ein unbekanntes Unternehmen 'no-such-co'; ignoriert."]
    values = [m.value for m in at.metric]
    assert values and all(GERMAN_NUMBER.match(v) or v == "nicht offengelegt" for v in values), values
    assert any("Mrd.\u00a0USD" in v for v in values) and any(v.endswith("\u00a0GW") for v in values)
    assert not [t for t in page_texts(at) if re.search(r"\$[\d.,]+ (bn|tn)\b", t)]  # no "$38 bn" anywhere
    assert plain(at.title[0].value) == "Firmenprofile"
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert specs and all(spec["layout"]["separators"] == ",." for spec in specs)
    assert at.query_params["lang"] == "de"


def test_the_english_company_profile_stays_english_after_a_german_one(monkeypatch):
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    open_page("pages/company.py", {"lang": "de", "id": "openai"})  # German first: the cache must not serve it
    at = open_page("pages/company.py", {"id": "openai"})
    assert plain(at.title[0].value) == "Company profiles"
    labels = [plain(m.label) for m in at.metric]
    assert "Bought for its own use" in labels
    assert all("$" in m.value or re.fullmatch(r"[\d,.]+( GW|%)?", m.value) or m.value == "not disclosed"
               for m in at.metric), [m.value for m in at.metric]


def test_a_company_links_warning_follows_a_switch_of_language(monkeypatch):
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    at = open_page("pages/company.py", {"id": "openai,no-such-co"})
    assert [plain(w.value) for w in at.warning] == ["The link names unknown company 'no-such-co'; ignored."]
    at.radio(key="lang").set_value("de").run()
    assert not at.exception
    assert [plain(w.value) for w in at.warning] == ["Der Link nennt ein unbekanntes Unternehmen 'no-such-co'; ignoriert."]
    assert plain(at.header[0].value) == "OpenAI" and plain(at.title[0].value) == "Firmenprofile"


def test_the_german_company_picker_offers_the_busiest_companies(monkeypatch):
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    at = open_page("pages/company.py", {"lang": "de", "id": "openai,aws,nvidia,amd"})
    assert [plain(w.value) for w in at.warning] == [
        "Höchstens 3 Unternehmen werden verglichen; die übrigen aus dem Link (AMD) bleiben außen vor."]
    at = open_page("pages/company.py", {"lang": "de"})
    assert not at.metric  # no company chosen: the picker, the intro and suggestions only
    assert "Am häufigsten im Register:" in [plain(m.value) for m in at.markdown]
    assert at.multiselect(key="id").placeholder == "Unternehmen wählen (bis zu drei zum Vergleich)"


@pytest.mark.parametrize("page", ["pages/diversification.py", "pages/commitments.py"])
def test_diversification_and_commitments_write_german_numbers(page, monkeypatch):
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    at = open_page(page, {"lang": "de"})
    texts = without_data_texts(page_texts(at))  # a key event's own headline may say "$7.5 bn"
    assert not [t for t in texts if re.search(r"\$[\d.,]+ (bn|tn)\b", t)]  # no "$38 bn" anywhere, hovers included
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert specs and all(spec["layout"]["separators"] == ",." for spec in specs)
    headings = " ".join(plain(s.value) for s in at.main.subheader)
    if page == "pages/diversification.py":
        # "… 2,6 effektive von 3 Lieferanten" and "… lag 2023 bei 10.000 und im Okt. 2025 bei 3.848 …"
        assert re.search(r"\d+,\d effektive von \d+ Lieferanten", headings), headings
        assert re.search(r"bei \d{1,2}\.\d{3}", headings), headings
    else:
        # "Die Zusagen erreichten bis Apr. 2026 1,13 Bio. USD; davon wurden 98 % …"
        assert re.search(r"\d+(,\d+)?\u00a0(Bio\.|Mrd\.)\u00a0USD", headings), headings
        assert re.search(r"\d+\u00a0%", headings), headings
        schedule = specs[-1]["layout"]["yaxis"]
        assert schedule["ticksuffix"] == "\u00a0Mrd." and "tickprefix" not in schedule


def test_a_page_link_in_the_other_language_opens_the_same_choices(monkeypatch):
    """Streamlit's binding writes a choice's label (`cmt_group=Käufer` in German): read in every language."""
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    at = open_page("pages/commitments.py", {"lang": "de", "cmt_group": "Buyer", "cmt_period": "Year"})
    assert (at.segmented_control(key="cmt_group").value, at.segmented_control(key="cmt_period").value) == (
        "buyer", "year")
    assert not at.warning
    assert (at.query_params["cmt_group"], at.query_params["cmt_period"]) == ("Käufer", "Jahr")
    at = open_page("pages/diversification.py", {"div_period": "Jahr"})  # English
    assert at.segmented_control(key="div_period").value == "year" and not at.warning
    at = open_page("pages/diversification.py", {"lang": "de", "div_period": "Monat"})  # no language has it
    assert at.segmented_control(key="div_period").value == "quarter"
    assert "'Monat'" in plain(at.main.warning[0].value)  # named, in whatever words the link check uses
