"""Following and reusing the ledger in the app: the chart-only embed page for every chart, "Embed or share this
chart", "Cite this", the feeds' addresses, and the per-row "Report a problem" links (LEDGER_FEEDBACK_URL)."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from compute_ledger.analysis.feedback import FEEDBACK_URL_ENV
from compute_ledger.analysis.gap_model import PRESET_BEAR, preset_names
from compute_ledger.data.load import load_ledger
from compute_ledger.data.publish import as_of
from compute_ledger.i18n import use_language
from compute_ledger.views.embed import CHARTS
from tests.app.conftest import new_app, open_page, plain
from tests.conftest import DATA

EMBED = "pages/embed.py"
FEEDBACK = "https://github.com/example-owner/example-repo/issues/new"
# A filter for every chart, and one page input for the pages that have them (in the form their widgets write).
PAGE_INPUTS = {"pages/commitments.py": {"cmt_measure": "Gigawatts"}, "pages/diversification.py": {"div_period": "Year"},
               "pages/gap.py": {"gap_growth": "1.5"}, "pages/company.py": {"id": "openai"}}
AS_OF = as_of(load_ledger(str(DATA)).tables)


def open_embed(params: dict[str, str]):
    at = new_app()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(EMBED)
    at.run()
    return at


def caption_texts(at) -> list[str]:
    return [c.value for c in at.caption]


def full_view_link(at) -> str:
    line = next(c for c in caption_texts(at) if "Open the full view" in c)
    return line.split("[Open the full view](", 1)[1].rstrip(")")


# A buyer whose rows the chart draws (OpenAI signed no power deal of its own: Meta did).
CHART_BUYERS = {"capacity-power": "meta"}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_every_chart_alone_with_a_filter(name):
    page = CHARTS[name].page
    buyer = CHART_BUYERS.get(name, "openai")
    params = {"chart": name, "buyer": buyer, **PAGE_INPUTS.get(page, {})}
    at = open_embed(params)
    assert not at.exception
    assert not at.warning, [w.value for w in at.warning]
    assert len(at.get("plotly_chart")) == 1
    assert len(at.sidebar) == 0  # nothing of the app around the chart
    assert at.markdown[0].value.startswith("**")  # its title
    assert at.session_state["ledger_filter"].buyers == (buyer,)
    assert any(c.startswith(f"Data as of {AS_OF.day} ") and "Source: AI Compute Ledger" in c
               for c in caption_texts(at))
    back = urlsplit(full_view_link(at))
    query = parse_qs(back.query)
    assert back.path == "/" + CHARTS[name].url_path
    assert query["buyer"] == [buyer] and "chart" not in query and "embed" not in query
    for key, value in PAGE_INPUTS.get(page, {}).items():
        assert query[key] == [value]


def chart_spec(at) -> dict:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    spec["layout"].pop("template", None)
    return spec


@pytest.mark.parametrize("name, page, key, params", [
    ("overview-by-provider", "pages/overview.py", "ovw_by_provider", {"provider": "oracle-oci,microsoft-azure"}),
    ("commitments-timeline", "pages/commitments.py", "cmt_timeline", {"buyer": "openai", "cmt_measure": "Gigawatts"}),
])
def test_the_embed_draws_the_pages_own_chart(name, page, key, params):
    on_page = open_page(page, params)
    drawn = next(c for c in on_page.get("plotly_chart") if c.proto.id and key in c.proto.id)
    alone = open_embed({"chart": name, **params})
    assert not alone.exception
    page_spec = json.loads(drawn.proto.spec)
    page_spec["layout"].pop("template", None)
    assert chart_spec(alone) == page_spec


def test_an_unknown_chart_gets_a_warning_not_a_traceback():
    at = open_embed({"chart": "<b>no-such-chart</b>", "buyer": "openai"})
    assert not at.exception
    assert len(at.get("plotly_chart")) == 0
    said = at.warning[0].value
    assert "'<b>no-such-chart</b>' is not one of the ledger's charts" in plain(said)
    assert "overview-by-provider" in plain(said)
    assert "\\<b\\>" in said  # the link's text is escaped: shown as text, never markup


def test_no_chart_named():
    at = open_embed({})
    assert not at.exception and "names no chart" in at.warning[0].value


def test_bad_values_in_the_link_are_named_and_the_chart_still_drawn():
    at = open_embed({"chart": "commitments-timeline", "cmt_measure": "Furlongs", "provider": "bogus-cloud"})
    assert not at.exception
    said = " ".join(w.value for w in at.warning)
    assert "Furlongs" in said and "bogus" in said
    assert len(at.get("plotly_chart")) == 1


def codes(at) -> list[str]:
    return [c.value for c in at.code]


@pytest.mark.parametrize("page, name", [("pages/overview.py", "overview-by-provider"),
                                        ("pages/capacity.py", "capacity-map"),
                                        ("pages/gap.py", "gap-fan")])
def test_every_chart_offers_its_embed_link_and_snippet(page, name):
    at = open_page(page, {"buyer": "openai"})
    links = [c for c in codes(at) if c.startswith("http") and f"chart={name}" in c]
    assert len(links) == 1
    query = parse_qs(urlsplit(links[0]).query)
    assert urlsplit(links[0]).path == "/embed" and query["embed"] == ["true"]
    assert query["buyer"] == ["OpenAI"]  # the binding's form of the filter (labels), as the address keeps it
    snippets = [c for c in codes(at) if c.startswith("<iframe") and f"chart={name}" in c]
    assert len(snippets) == 1 and "&amp;" in snippets[0]
    # One per chart the page draws.
    assert sum(c.startswith("<iframe") for c in codes(at)) == len(at.get("plotly_chart"))


def test_citation_on_the_data_page():
    at = open_page("pages/data.py", {"buyer": "openai"})
    apa = next(c for c in codes(at) if "[Data set]" in c)
    assert apa.startswith(f"AI Compute Ledger. ({AS_OF.year}). AI Compute Ledger: ")
    assert f"(data as of {AS_OF.isoformat()}) [Data set]. http" in apa
    link = urlsplit(apa.rsplit(" ", 1)[1])
    assert link.path == "/data" and parse_qs(link.query)["buyer"] == ["OpenAI"]
    bibtex = next(c for c in codes(at) if c.startswith("@misc{"))
    assert f"year = {{{AS_OF.year}}}" in bibtex and "licence CC-BY-4.0" in bibtex and apa.rsplit(" ", 1)[1] in bibtex
    assert any("Licence: CC-BY-4.0 (Creative Commons Attribution 4.0" in plain(c) for c in caption_texts(at))


def test_feed_addresses_on_the_data_page_and_a_profile():
    at = open_page("pages/data.py")
    assert any(c.endswith("/app/static/data/feed.xml") for c in codes(at))
    profile = open_page("pages/company.py", {"id": "nvidia"})
    assert any(c.endswith("/app/static/data/feed-nvidia.xml") for c in codes(profile))


def report_column(at):
    frame = at.dataframe[0].value
    return frame["report"] if "report" in frame.columns else None


def test_report_links_on_every_row_with_the_address_set(monkeypatch):
    monkeypatch.setenv(FEEDBACK_URL_ENV, FEEDBACK)
    at = open_page("pages/data.py", {"buyer": "openai"})
    frame = at.dataframe[0].value
    assert frame["report"].notna().all() and len(frame) > 0
    first = frame.iloc[0]
    link = urlsplit(first["report"])
    assert f"{link.scheme}://{link.netloc}{link.path}" == FEEDBACK
    fields = parse_qs(link.query)
    assert fields["title"] == [f"Data problem: {first['deal_id']}"]
    assert f"- source_url: {first['source_url']}" in fields["body"][0]
    assert f"- deal_id: {first['deal_id']}" in fields["body"][0]


def test_report_links_in_a_sources_table(monkeypatch):
    monkeypatch.setenv(FEEDBACK_URL_ENV, FEEDBACK)
    at = open_page("pages/overview.py")
    at.session_state["ovw_sources"] = True  # what opening the expander in the browser does
    at.run()
    table = at.dataframe[-1].value
    assert "report" in table.columns and table["report"].str.startswith(FEEDBACK + "?title=Data+problem").all()


@pytest.mark.parametrize("value", [None, "", "not a url"])
def test_no_report_links_without_an_address(monkeypatch, value):
    if value is None:
        monkeypatch.delenv(FEEDBACK_URL_ENV, raising=False)
    else:
        monkeypatch.setenv(FEEDBACK_URL_ENV, value)
    at = open_page("pages/data.py", {"buyer": "openai"})
    assert report_column(at) is None


def test_a_preset_named_in_german_draws_the_same_embedded_chart():
    """A German reader's link names the Gap page's preset in German; opened in English, the chart is the same."""
    with use_language("de"):
        german = preset_names()[PRESET_BEAR]
    assert german != "Analyst bear"
    english = open_embed({"chart": "gap-scenario", "gap_preset": "Analyst bear"})
    from_german = open_embed({"chart": "gap-scenario", "gap_preset": german})
    default = open_embed({"chart": "gap-scenario"})
    assert not from_german.exception and chart_spec(from_german) == chart_spec(english) != chart_spec(default)


@pytest.mark.parametrize("page, name, key, params", [
    ("pages/commitments.py", "commitments-timeline", "cmt_timeline", {"buyer": "openai", "cmt_measure": "Gigawatts"}),
    ("pages/diversification.py", "diversification-buyer-history", "div_history", {"div_buyer": "Anthropic"}),
    # A German reader's link carries the German labels (cmt_measure=Gigawatt, cmt_period=Jahr): the same chart.
    ("pages/commitments.py", "commitments-timeline", "cmt_timeline",
     {"lang": "de", "buyer": "openai", "cmt_measure": "Gigawatt", "cmt_period": "Jahr"}),
])
def test_the_link_a_page_offers_opens_the_same_chart(page, name, key, params):
    """The page's own embed link (the filter and inputs in the binding's form, as the address keeps them) drawn
    alone: the same figure."""
    on_page = open_page(page, params)
    link = next(c for c in codes(on_page) if c.startswith("http") and f"chart={name}&" in c)
    alone = open_embed({k: v if len(v) > 1 else v[0] for k, v in parse_qs(urlsplit(link).query).items()})
    assert not alone.exception and not alone.warning
    drawn = next(c for c in on_page.get("plotly_chart") if c.proto.id and key in c.proto.id)
    page_spec = json.loads(drawn.proto.spec)
    page_spec["layout"].pop("template", None)
    assert chart_spec(alone) == page_spec
