"""The methodology in German (docs/methodology.de.md) says all the English does (docs/methodology.md): the same
headings, points and bold terms, every number and every code name of the English, and nothing else; the Data page
picks the file by the reader's language."""
from __future__ import annotations

import re
from collections import Counter

from compute_ledger.data import provenance
from tests.conftest import REPO

ENGLISH = REPO / "docs" / "methodology.md"
GERMAN = REPO / "docs" / "methodology.de.md"


def numbers(text: str) -> Counter:
    """Every number, separators dropped: English 10,000 and 4.5 are German 10.000 and 4,5; D029 counts as 029."""
    return Counter(re.findall(r"\d+", re.sub(r"(?<=\d)[.,](?=\d)", "", text)))


def shape(text: str) -> dict:
    lines = text.splitlines()
    return {"headings": [line.split(" ", 1)[0] for line in lines if line.startswith("#")],
            "points": sum(1 for line in lines if line.startswith("- ")),
            "numbered": re.findall(r"^\*\*(\d+)\. ", text, flags=re.M),
            "bold": len(re.findall(r"\*\*[^*]+\*\*", text)),
            "italic": len(re.findall(r"(?<!\*)\*[^*\s][^*]*\*(?!\*)", text))}


def test_the_german_methodology_has_the_english_ones_shape():
    english, german = ENGLISH.read_text(encoding="utf-8"), GERMAN.read_text(encoding="utf-8")
    assert shape(german) == shape(english)
    assert shape(english)["points"] == 11 and shape(english)["numbered"] == ["1", "2", "3", "4", "5"]  # it was read


def test_the_german_methodology_has_every_number_and_code_name_of_the_english():
    english, german = ENGLISH.read_text(encoding="utf-8"), GERMAN.read_text(encoding="utf-8")
    assert numbers(german) == numbers(english)
    assert Counter(re.findall(r"`[^`]+`", german)) == Counter(re.findall(r"`[^`]+`", english))
    assert numbers(english)["10000"] == 2 and numbers(english)["300"] == 3  # 10,000 (HHI) and USD 300B, as written


def test_the_numbers_check_can_fail():
    assert numbers("USD 4.5B and 10,000") == numbers("4,5 Mrd. USD und 10.000")
    assert numbers("USD 4.5B") != numbers("4 Mrd. USD")


def test_the_methodology_is_chosen_by_language():
    assert provenance.methodology("en") == ENGLISH.read_text(encoding="utf-8").split("\n", 1)[1].strip()
    assert provenance.methodology("de") == GERMAN.read_text(encoding="utf-8").split("\n", 1)[1].strip()
    assert provenance.methodology("xx") == provenance.methodology("en")  # no translation: the English
