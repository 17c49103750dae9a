"""German numbers and dates, worked out by hand (issue 29): CLDR's short forms through Babel, German separators;
English unchanged (tests/unit/test_formatting.py)."""
from __future__ import annotations

import datetime as dt

import pytest

from compute_ledger import formatting as fmt
from compute_ledger import i18n
from compute_ledger.i18n import t, tn, use_language

NB = "\u00a0"  # number and unit never part at a line end


@pytest.fixture
def german():
    with use_language("de"):
        yield


@pytest.mark.parametrize("value, expected", [
    (1120, f"1,12{NB}Bio.{NB}USD"),     # 1.12 tn = 1,12 Billionen (German Billion = 10^12)
    (38, f"38{NB}Mrd.{NB}USD"),          # 38 bn = 38 Milliarden: never "Billion" for 10^9
    (1.5, f"1,5{NB}Mrd.{NB}USD"),
    (0.35, f"350{NB}Mio.{NB}USD"),       # 0.35 bn = 350 Millionen
    (-66.7, f"-66,7{NB}Mrd.{NB}USD"),
    (250, f"250{NB}Mrd.{NB}USD"),
])
def test_usd_in_german(german, value, expected):
    assert fmt.usd_bn(value) == expected


def test_gw_dates_counts_and_shares_in_german(german):
    assert fmt.gw(15.9) == f"15,9{NB}GW"
    assert fmt.gw(0.23) == f"0,23{NB}GW"
    assert fmt.day(dt.date(2026, 6, 24)) == "24. Juni 2026"
    assert fmt.day(dt.date(2026, 3, 1)) == "1. März 2026"
    assert fmt.month(dt.date(2026, 11, 3)) == "Nov. 2026"
    assert fmt.quarter(dt.date(2027, 2, 1)) == "Q1 2027"
    assert fmt.count(12345) == "12.345"
    assert fmt.multiple(2.5) == "2,5×"
    assert fmt.percent(0.42) == f"42{NB}%"
    assert fmt.usd_bn(None) == "nicht offengelegt"
    assert fmt.day(None) == "unbekannt"
    assert fmt.word("letter_of_intent") == "Absichtserklärung"
    assert fmt.word("not_a_schema_word") == "not a schema word"


def test_english_is_unchanged_outside_a_german_block():
    with use_language("de"):
        assert fmt.usd_bn(38) != "$38 bn"
    assert (fmt.usd_bn(38), fmt.usd_bn(1120), fmt.gw(15.9), fmt.day(dt.date(2026, 6, 24)), fmt.percent(0.42),
            fmt.word("letter_of_intent")) == ("$38 bn", "$1.12 tn", "15.9 GW", "24 Jun 2026", "42%",
                                              "letter of intent")


def test_sentences_placeholders_and_plurals(german):
    assert t("Open profile: {company}", company="AWS") == "Profil öffnen: AWS"
    assert tn("{n} deal", "{n} deals", 1) == "1 Deal"
    assert tn("{n} deal", "{n} deals", 3) == "3 Deals"
    assert t("A sentence nobody translated, {x}.", x=1) == "A sentence nobody translated, 1."  # English fallback


def test_a_translation_with_other_placeholders_falls_back_to_english():
    assert i18n._fill("{a} and {b}", "{a} und {c}", {"a": 1, "b": 2}) == "1 and 2"


@pytest.mark.parametrize("browser, language", [
    ("de-DE", "de"), ("de", "de"), ("de_AT", "de"), ("en-GB", "en"), ("fr-FR", None), (None, None), ("", None),
])
def test_the_browser_language_chooses_when_the_link_does_not(browser, language):
    assert i18n.language_of_locale(browser) == language


def test_a_label_of_either_language_names_the_same_choice():
    """A control bound to the link writes the label its reader saw: both languages' labels lead back to the key."""
    by_label = i18n.labels_in_every_language(lambda: {"year": t("Year"), "quarter": t("Quarter")})
    assert by_label == {"Year": "year", "Quarter": "quarter", "Jahr": "year", "Quartal": "quarter"}
