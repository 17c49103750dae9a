"""The Overview's "Download brief (PDF)" button and its "New since" section, as a user meets them (AppTest).

The button's file is made on click by a callable that Streamlit keeps for that click: the tests keep it too
(`kept_downloads` in conftest.py wraps MediaFileManager.add_deferred), call it as the click would, and read the PDF
back with pypdf, so the numbers compared are those of the very page drawn."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.app.conftest import metrics_of, new_app, plain
from tests.fixtures.news_ledger import write_news_ledger

FILTERS = [{}, {"buyer": "openai", "firmness": "definitive"},
           {"provider": "oracle-oci", "firmness": "definitive,announced,reported", "provider_side": "show"}]


@pytest.fixture
def news_app(tmp_path, monkeypatch, kept_downloads):
    """Open the dashboard on the news ledger from a link's params; keep the brief's on-click callable."""
    monkeypatch.setenv("LEDGER_DATA", str(write_news_ledger(tmp_path / "ledger")))
    made = kept_downloads

    def _open(params: dict[str, str] | None = None):
        at = new_app()
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.run()
        assert not at.exception
        return at, made

    return _open


def brief_text(made) -> str:
    pdf = made[-1]()  # what clicking the button downloads
    assert pdf.startswith(b"%PDF")
    return re.sub(r"\s+", " ", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())


def largest_table(at):
    return next(d.value for d in at.dataframe if "Deal" in d.value.columns and "Firmness" in d.value.columns)


@pytest.mark.parametrize("params", FILTERS)
def test_the_brief_says_what_the_page_says(news_app, params):
    at, made = news_app(params)
    button = at.get("download_button")[0]
    assert button.proto.label == "Download brief (PDF)" and not button.proto.disabled
    text = brief_text(made)
    for label, value in metrics_of(at).items():
        assert value in text, label
    for _, row in largest_table(at).iterrows():
        assert f"{row['Deal']} {row['Announced']}" in text and row["Value"] in text
    as_of = re.search(r"data as of (\d+ \w+ \d{4})", plain(at.caption[0].value)).group(1)
    assert as_of == "31 Mar 2026" and f"data as of {as_of}" in text
    assert "New since 1 Mar 2026" in text


def test_a_filter_with_no_deals_still_offers_a_brief_that_says_so(news_app):
    at, made = news_app({"provider": "aws", "status": "cancelled"})
    assert "No deals match this filter" in at.info[0].value
    assert "No deals match this filter" in brief_text(made)


def test_without_a_browser_the_button_says_so(news_app, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    at, made = news_app()
    button = at.get("download_button")[0]
    assert button.proto.disabled
    assert "not available here" in button.proto.help
    assert any("The PDF brief is not available here" in plain(c.value) for c in at.caption)
    assert metrics_of(at)["AI labs' compute commitments"] == "$820 bn"  # the page itself is unaffected


def news_lines(at) -> list[str]:
    return [plain(m.value) for m in at.markdown if re.match(r"\*\*\d+ \w+ \d{4}\*\* · ", m.value)]


def test_new_since_lists_the_news_with_its_effect_newest_first(news_app):
    at, _ = news_app()
    assert str(at.date_input(key="since").value) == "2026-03-01"  # 30 days before "as of"
    lines = news_lines(at)
    assert len(lines) == 10
    assert lines[0].startswith("**30 Mar 2026** · Microsoft Azure, Fairwater, WI: A site under construction")
    assert "+$50 bn to AI labs' compute commitments; +1 GW to contracted site capacity" in lines[4]
    assert "-$30 bn from AI labs' compute commitments" in lines[-1]
    assert any("7 deals and 3 capacity milestones since 1 Mar 2026: +$20 bn" in plain(m.value) for m in at.markdown)


def test_a_link_with_since_restores_it(news_app):
    at, made = news_app({"since": "2026-03-19", "buyer": "anthropic"})
    assert not at.warning
    assert str(at.date_input(key="since").value) == "2026-03-19"
    assert len(news_lines(at)) == 2  # M11 and N01
    text = brief_text(made)
    assert "New since 19 Mar 2026" in text and "since=2026-03-19" in text.replace(" ", "")


def test_changing_the_date_changes_the_list(news_app):
    at, _ = news_app()
    at.date_input(key="since").set_value("2026-03-21").run()
    assert [line.split(" · ")[0] for line in news_lines(at)] == ["**30 Mar 2026**", "**28 Mar 2026**",
                                                                 "**25 Mar 2026**", "**22 Mar 2026**"]


@pytest.mark.parametrize("value, warning, used", [
    ("2026-13-01", "The link's 'since' date '2026-13-01' is not a date like 2025-11-03; ignored.", "2026-03-01"),
    ("2027-01-01", "The link's 'since' date 2027-01-01 is outside the data's range (2015-01-01 to 2026-03-31); "
                   "ignored.", "2026-03-01"),
    # Not the canonical form: refused, and never used after a rerun either (the URL binding would read it as 5 Mar).
    ("2026-3-5", "The link's 'since' date '2026-3-5' is not a date like 2025-11-03; ignored.", "2026-03-01"),
    # Repeated with the bad value first: named, and the good one used.
    (["2026-3-5", "2026-03-21"], "The link's 'since' date '2026-3-5' is not a date like 2025-11-03; ignored; "
                                 "2026-03-21 is used.", "2026-03-21"),
])
def test_a_bad_since_in_a_link_is_warned_about_and_ignored(news_app, value, warning, used):
    at, _ = news_app({"since": value})
    assert [plain(w.value) for w in at.warning] == [warning]
    for _ in range(2):
        assert str(at.date_input(key="since").value) == used
        assert at.query_params.get("since", [used]) == [used]  # the address holds the date used, or none
        at.run()
    assert str(at.date_input(key="since").value) == used


def test_after_a_chart_failure_the_button_says_why(news_app, monkeypatch):
    import time

    from compute_ledger.brief import render

    why = "the browser that draws it failed (TimeoutError: no answer in 30 s)"
    monkeypatch.setattr(render, "_last_failure", (time.monotonic(), why))
    at, _ = news_app()
    button = at.get("download_button")[0]
    assert why in plain(button.proto.help)
    assert any(why in plain(c.value) and "without its chart" in plain(c.value) for c in at.caption)
    monkeypatch.setattr(render, "_last_failure", (time.monotonic() - render.FAILURE_SHOWN_S - 1, why))
    at.run()
    assert not any(why in plain(c.value) for c in at.caption)  # said for a while, not forever
