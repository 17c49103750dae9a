"""The brief (PDF) and the error messages in German (issue 29): the German brief, read back with pypdf, writes
German sentences and numbers and none of the English sentences the code marks; data problems, found once and kept
for every reader, are said in each reader's language with their file, row and column; a link's bad value is named
in German. The English versions are the other tests' (test_brief_pdf.py, test_validation_rules.py, …)."""
from __future__ import annotations

import datetime as dt
import io
import re

import polars as pl
import pytest
from pypdf import PdfReader

from compute_ledger import brief
from compute_ledger.analysis.filters import DealFilter
from compute_ledger.analysis.links import Choice, InputRange, Number, link_problems
from compute_ledger.brief.link import share_link
from compute_ledger.data.load import load_ledger
from compute_ledger.i18n import Later, said, t_later, use_language
from compute_ledger.views.overview import overview_view
from tests.app.test_german import english_sentences
from tests.fixtures.news_ledger import write_news_ledger

MADE = dt.date(2026, 4, 2)


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    return load_ledger(str(write_news_ledger(tmp_path_factory.mktemp("brief_de") / "ledger"))).tables


@pytest.fixture(scope="module")
def german_brief(tables):
    with use_language("de"):  # the view in German, as the page builds it for a German reader
        view = overview_view(tables, DealFilter())
        link = share_link("https://ledger.example.org/", DealFilter(), view.since, "de")
    # Made outside any German context, as the download button's callable may be: the language is the argument.
    return view, link, brief.make_brief(view, link, MADE, "de")


def text_of(pdf: bytes, page: int | None = None) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    chosen = pages if page is None else [pages[page]]
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in chosen))


def test_the_german_brief_is_written_in_german(german_brief):
    view, link, pdf = german_brief
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    first, second = text_of(pdf, 0), text_of(pdf, 1)
    assert first.startswith("Der Ausbau der KI-Rechenleistung: Kurzbericht")
    assert "Kurzbericht erstellt am 2. April 2026" in first  # a German date
    assert "Neu seit 1. März 2026" in first and "Wie die Summen zählen:" in first
    assert "Genau diese Ansicht wieder öffnen:" in first and "lang=de" in first
    # The largest deals' table: German headers, and dates, kinds and amounts whole (their columns widen to fit).
    assert "Deal Angekündigt Käufer Anbieter Was Wert Verbindlichkeit Quelle" in first
    assert "L02 10. September 2025 OpenAI Oracle Cloud (OCI) Cloud-Rechenleistung 300 Mrd. USD verbindlich" in first
    assert re.search(r"\d+(,\d+)? (Mrd|Bio)\. USD", first)  # German money, never "$38 bn"
    assert not re.search(r"\$[\d.,]+ (bn|tn)\b", first + second)
    assert "Woher jede Zahl stammt" in second and "Quellen (jede Zeile verlinkt ihren Artikel)" in second
    assert re.search(r"Rechenleistungs-Zusagen der KI-Labore, [\d,]+ (Mrd|Bio)\. USD: Summe aus \d+ Zeilen", second)
    assert "Zitieren" in second and "Die zitierten Berichte bleiben Eigentum ihrer Herausgeber." in second
    assert "(Datenstand 2026-03-31) [Datensatz]." in second and "Lizenz: CC-BY-4.0" in second
    assert PdfReader(io.BytesIO(pdf)).metadata.title == "Der Ausbau der KI-Rechenleistung: Kurzbericht"


def test_the_german_brief_has_no_english_sentence_of_the_code(german_brief):
    """None of the English sentences the catalogue translates (whole, or a stretch of three words or more between
    placeholders): the brief's own words, the Overview's and the shared ones."""
    _, _, pdf = german_brief
    text = text_of(pdf)
    whole, stretches = english_sentences()
    assert sorted(s for s in stretches | whole if len(s) > 12 and s in text) == []


def test_the_english_brief_stays_english(tables, german_brief):
    view = overview_view(tables, DealFilter())  # English (the default), after the German one was made
    pdf = brief.make_brief(view, "https://ledger.example.org/", MADE, "en")
    first = text_of(pdf, 0)
    assert first.startswith("The AI compute build-out: brief") and "brief made 2 Apr 2026" in first
    assert "Kurzbericht" not in text_of(pdf)


def test_a_problem_found_once_is_said_in_each_readers_language(data_dir):
    """The loaded ledger (and its problems) is cached for every reader: its messages are English text that keeps
    its template, said in the language of whoever reads it."""
    path = data_dir / "deals.parquet"
    deals = pl.read_parquet(path)
    deals.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("ghost-cloud")).otherwise(pl.col("provider_id"))
                       .alias("provider_id")).write_parquet(path)
    with use_language("de"):  # loaded while a German reader's run is going on: still English inside
        ledger = load_ledger(str(data_dir))
    problem = next(p for p in ledger.problems if "ghost-cloud" in p.message)
    assert problem.message == "'ghost-cloud' is not a known company_id in companies"  # the CLI's words
    assert str(problem) == f"{path}:1:provider_id: 'ghost-cloud' is not a known company_id in companies"
    with use_language("de"):
        assert problem.said() == "„ghost-cloud“ ist keine bekannte company_id in companies"
    assert problem.said() == problem.message  # English again for the next reader


def test_a_row_rule_broken_while_loading_is_said_in_each_readers_language(data_dir):
    """A schema rule's message is a constant marked with N_() (English in the code and the Data Package): the
    problem keeps it in English and said() looks it up for a German reader."""
    path = data_dir / "deals.parquet"
    deals = pl.read_parquet(path)
    first = pl.int_range(pl.len()) == 0
    deals.with_columns(pl.when(first).then(pl.lit(2030)).otherwise(pl.col("start_year")).alias("start_year"),
                       pl.when(first).then(pl.lit(2029)).otherwise(pl.col("end_year")).alias("end_year"),
                       ).write_parquet(path)
    with use_language("de"):
        ledger = load_ledger(str(data_dir))
    problem = next(p for p in ledger.problems if p.column == "end_year")
    assert problem.message == "end_year must not be before start_year"
    with use_language("de"):
        assert problem.said() == "end_year darf nicht vor start_year liegen"
    assert problem.said() == "end_year must not be before start_year"


def test_a_nested_message_and_a_number_are_said_in_german():
    inner = t_later("no complete answer within {seconds} s", seconds="20")
    outer = t_later("cannot read the file ({reason})", reason=inner)
    size = t_later("the file is {size} MB; the limit is {limit} MB", size=25.5, limit=20)
    assert isinstance(outer, Later) and outer == "cannot read the file (no complete answer within 20 s)"
    assert size == "the file is 25.5 MB; the limit is 20 MB"
    with use_language("de"):
        assert said(outer) == "die Datei kann nicht gelesen werden (keine vollständige Antwort innerhalb von 20 s)"
        assert said(size) == "die Datei hat 25,5 MB; die Grenze liegt bei 20 MB"
        assert said("plain text") == "plain text"


def test_a_bad_link_value_is_named_in_german():
    inputs = {"x_term": Number(InputRange(0.5, 10, 0.5), "es wird die Voreinstellung verwendet"),
              "x_group": Choice(("Anbieter", "Käufer"), "Anbieter")}
    with use_language("de"):
        problems = link_problems({"x_term": "2.7", "x_group": ["Mond", "Sonne"]}, inputs)
    assert [p.message for p in problems] == [
        "Der Wert x_term des Links, '2.7', ist keine Zahl von 0,5 bis 10 in Schritten von 0,5; es wird die "
        "Voreinstellung verwendet.",
        "Die Werte x_group des Links, 'Mond', 'Sonne', sind keine von Anbieter, Käufer; es wird Anbieter gezeigt."]
    english = link_problems({"x_term": "2.7"}, {"x_term": Number(InputRange(0.5, 10, 0.5), "the default is used")})
    assert english[0].message == "The link's x_term '2.7' is not a number from 0.5 to 10 in steps of 0.5; the " \
                                 "default is used."


def test_the_last_chart_failure_is_said_in_each_readers_language(monkeypatch):
    """A failure is kept for every reader of the server (beside the button): each reads it in their language."""
    from compute_ledger.brief import render

    monkeypatch.setattr(render, "_last_failure", None)
    assert render.failed(TimeoutError("no answer in 30 s")) == \
        "the browser that draws it failed (TimeoutError: no answer in 30 s)"
    with use_language("de"):
        assert render.recent_failure() == \
            "der Browser, der es zeichnet, ist gescheitert (TimeoutError: no answer in 30 s)"
    assert render.recent_failure() == "the browser that draws it failed (TimeoutError: no answer in 30 s)"
    monkeypatch.setenv(render.BROWSER_ENV, "/nonexistent/chromium")
    with use_language("de"):
        assert render.renderer_problem().startswith("Der PDF-Kurzbericht ist hier nicht verfügbar")
