"""In German, as a reader meets them (AppTest): the brief the Overview's button downloads, and a broken data file's
message. The button's file is made on click, by a callable Streamlit keeps, outside the script run that chose the
language: the test calls it the same way (as test_brief.py does). The loaded ledger, problems and all, is cached for
every reader: readers of both languages, one after another, each read the message in their own."""
from __future__ import annotations

import io
import re

import polars as pl
import pytest
from pypdf import PdfReader

from tests.app.conftest import new_app, plain
from tests.fixtures.news_ledger import write_news_ledger


def opened(params: dict[str, str]):
    at = new_app()
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def test_the_german_overview_downloads_a_german_brief(tmp_path, monkeypatch, kept_downloads):
    monkeypatch.setenv("LEDGER_DATA", str(write_news_ledger(tmp_path / "ledger")))
    at = opened({"lang": "de"})
    button = at.get("download_button")[0]
    assert button.proto.label == "Kurzbericht herunterladen (PDF)"
    pdf = kept_downloads[-1]()  # what clicking the button downloads, called outside the German run
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 2
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pages))
    assert text.startswith("Der Ausbau der KI-Rechenleistung: Kurzbericht")
    assert "Neu seit 1. März 2026" in text and "Woher jede Zahl stammt" in text and "lang=de" in text
    for metric in at.metric:  # the page's German numbers, as the page shows them
        assert re.sub(r"\s+", " ", metric.value) in text, plain(metric.label)  # (the text's spaces made plain)
    assert re.search(r"\d Mrd\. USD", text)
    assert "New since" not in text and "Where each figure comes from" not in text


def damaged_deals(data_dir) -> str:
    """The bundled data with deals.parquet naming an unknown provider on its first record; returns the file."""
    path = data_dir / "deals.parquet"
    deals = pl.read_parquet(path)
    deals.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("ghost-cloud")).otherwise(pl.col("provider_id"))
                       .alias("provider_id")).write_parquet(path)
    return str(path)


def test_a_broken_data_file_is_named_in_each_readers_language(data_dir, monkeypatch):
    path = damaged_deals(data_dir)
    monkeypatch.setenv("LEDGER_DATA", str(data_dir))
    english = " ".join(plain(e.value) for e in opened({}).main.error)  # the first reader loads (and caches) it
    assert f"`{path}` · row 1 · column `provider_id`: 'ghost-cloud' is not a known company_id in companies" in english
    german = " ".join(plain(e.value) for e in opened({"lang": "de"}).main.error)
    assert f"`{path}` · Zeile 1 · Spalte `provider_id`: „ghost-cloud“ ist keine bekannte company_id in companies" in german
    assert "Diese Seite braucht die Daten deals" in german
    assert "is not a known" not in german
    again = " ".join(plain(e.value) for e in opened({"lang": "en"}).main.error)
    assert again == english
