import re
import datetime as dt

import pytest

from compute_ledger import formatting as fmt


@pytest.mark.parametrize(("value", "text"), [
    (38, "$38 bn"), (38.0000001, "$38 bn"), (11.9, "$11.9 bn"), (0.35, "$0.35 bn"), (250, "$250 bn"),
    (1400, "$1.4 tn"), (1250.7, "$1.25 tn"), (None, "not disclosed"), (float("nan"), "not disclosed"),
])
def test_usd_bn(value, text):
    assert fmt.usd_bn(value) == text


@pytest.mark.parametrize(("value", "text"), [(1.2, "1.2 GW"), (0.23, "0.23 GW"), (30, "30 GW"),
                                             (52.93, "52.9 GW"), (200, "200 GW"), (None, "not disclosed")])
def test_gw(value, text):
    assert fmt.gw(value) == text


def test_multiple_and_dates():
    assert fmt.multiple(57.95) == "58×"
    assert fmt.multiple(2.0) == "2×"
    assert fmt.multiple(3.66) == "3.7×"
    assert fmt.day(dt.date(2026, 7, 1)) == "1 Jul 2026"
    assert fmt.month(dt.date(2025, 12, 31)) == "Dec 2025"


def test_escape_markdown_defuses_links_and_html():
    text = fmt.escape_markdown("[click](javascript:alert(1)) <img src=x> **bold**")
    assert "](" not in text and "**" not in text
    assert re.search(r"(?<!\\)[<>\[\]]", text) is None  # every bracket is escaped
