"""The Exposure page as a user sees it, on the small hand-made ledger (tests/fixtures/small_ledger.py) plus two
investments in OpenAI, so that money goes round. Every number is worked out by hand here:

OpenAI's commitments, spread over the default five years from their announcement (2025-2029): Azure 250 (50 a
year), Oracle 300 (60 a year), Nvidia 100 (20 a year, announced); AMD's is undisclosed. Anthropic: AWS 100 (20 a
year). From 2028 (two years) OpenAI owes Azure 100, Oracle 120, Nvidia 40: 260 in all.

Money loops (purchases buyer -> provider, financing investor -> investee): Nvidia -> OpenAI 100 (X02) and OpenAI ->
Nvidia 100 (L07): 100; Nvidia -> OpenAI 100, OpenAI -> Oracle 300 (L02), Oracle -> Nvidia 40 (L05): 40;
Azure -> OpenAI 10 (X01), OpenAI -> Azure 250 (L01): 10.
"""
from __future__ import annotations

import base64
import json

import numpy
import pytest

from tests.app.conftest import metrics_of, open_page, plain
from tests.fixtures.small_ledger import DEALS, write_small_ledger

PAGE = "pages/exposure.py"
INVESTMENTS = [
    ("X01", "2023-01-23", "openai", "microsoft-azure", "equity_investment", "10", "", "", "completed", "financing",
     "definitive", "true", ""),
    ("X02", "2025-09-22", "openai", "nvidia", "equity_investment", "100", "", "", "letter_of_intent", "financing",
     "announced", "true", ""),
]
AZURE_LOOP = "Microsoft Azure → OpenAI → Microsoft Azure"


def shown(at) -> dict[str, str]:
    """The cards as the user reads them (labels holding company names are Markdown-escaped)."""
    return {plain(label): value for label, value in metrics_of(at).items()}


@pytest.fixture(scope="module")
def exposure_ledger(tmp_path_factory):
    return write_small_ledger(tmp_path_factory.mktemp("exposure") / "ledger", [*DEALS, *INVESTMENTS])


@pytest.fixture
def page(exposure_ledger, monkeypatch):
    monkeypatch.setenv("LEDGER_DATA", str(exposure_ledger))
    return lambda params=None, path=PAGE: open_page(path, params)


def test_default_preset_openai_pays_half_from_2028(page):
    at = page()
    assert not at.warning
    titles = [plain(s.value) for s in at.subheader]
    # Oracle: OpenAI 300 of 300 counted (Meta's 20 is reported only, xAI's cancelled); Azure 250 of 250; AWS 100 of
    # 100; CoreWeave 10 of 10: all 100 %, the largest backlog named.
    assert titles[0] == ("Oracle Cloud (OCI) depends most on one customer: OpenAI holds 100% of its $300 bn backlog "
                         "in the ledger")
    assert titles[2] == "Money goes round: 3 loops; the largest, Nvidia → OpenAI → Nvidia, carries $100 bn all the way round"
    # Half of 260 is not paid; Oracle loses half of its 120.
    assert shown(at) == {
        "Providers with a disclosed backlog": "5", "Money loops": "3", "Largest loop": "$100 bn",
        "Not paid": "$130 bn", "Providers hit": "3", "Largest hit: Oracle Cloud (OCI)": "$60 bn"}
    bold = [plain(m.value) for m in at.markdown]
    # Resale rows for OpenAI: Azure's 10 from CoreWeave (2 of 5 years from 2028: 4, half unfunded: 2) and Oracle's 40
    # from Nvidia (16, half: 8); investments in OpenAI: SoftBank 40, Azure 10, Nvidia 100.
    assert ("**Next along the chain: 2 providers' purchases serve OpenAI ($10 bn of what they owe from 2028 left "
            "unfunded), and 3 investments or loans were put into it ($150 bn)**") in bold
    assert at.selectbox(key="exp_loop").value == 1  # the largest loop is drawn
    assert len(at.get("plotly_chart")) == 3


def test_a_preset_from_the_link_sets_every_input(page):
    at = page({"exp_preset": "Anthropic stops paying from 2027"})
    assert not at.warning
    assert at.multiselect(key="exp_buyers").value == ["anthropic"]
    assert (at.slider(key="exp_paid").value, at.slider(key="exp_start").value) == (0, 2027)
    # AWS 20 a year, 2027-2029, none paid.
    assert shown(at)["Not paid"] == "$60 bn"
    assert shown(at)["Largest hit: AWS"] == "$60 bn"


def test_every_input_is_restored_from_the_link(page):
    at = page({"exp_preset": "Your own inputs", "exp_buyers": ["OpenAI", "Anthropic"], "exp_paid": "20",
               "exp_start": "2029", "exp_loop": AZURE_LOOP})
    assert not at.warning
    assert at.selectbox(key="exp_preset").value == "custom"
    assert at.multiselect(key="exp_buyers").value == ["openai", "anthropic"]
    assert (at.slider(key="exp_paid").value, at.slider(key="exp_start").value) == (20, 2029)
    assert at.selectbox(key="exp_loop").value == 3
    # 2029 only: OpenAI 130 and Anthropic 20, 80 % of it unpaid = 120.
    assert shown(at)["Not paid"] == "$120 bn"


def test_bad_link_values_are_named_and_ignored(page):
    at = page({"exp_preset": "Everyone pays", "exp_buyers": ["OpenAI", "Nobody"], "exp_paid": "33",
               "exp_start": "1999", "exp_loop": "Round and round"})
    warnings = sorted(plain(w.value) for w in at.warning)
    assert len(warnings) == 5
    assert warnings[0].startswith("The link's exp_buyers 'Nobody' is not one of ")
    assert warnings[1].startswith("The link's exp_loop 'Round and round' is not one of ")
    assert warnings[2] == ("The link's exp_paid '33' is not a number from 0 to 100 in steps of 5; the preset's 50 % "
                           "is used.")
    assert warnings[3].startswith("The link's exp_preset 'Everyone pays' is not one of ")
    assert warnings[4] == ("The link's exp_start '1999' is not a number from 2025 to 2035 in steps of 1; the preset's "
                           "2028 is used.")
    # Every input shows the default preset, and the page still works.
    assert at.multiselect(key="exp_buyers").value == ["openai"]
    assert shown(at)["Not paid"] == "$130 bn"
    for param in ("exp_preset", "exp_buyers", "exp_paid", "exp_start", "exp_loop"):
        assert param not in at.query_params


def _values(data) -> list:
    """A trace's x or y as the figure's JSON holds it: a list, or a typed array (base64 of a numpy dtype)."""
    if isinstance(data, dict) and "bdata" in data:
        return numpy.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def _schedule_by_year(at) -> dict[int, float]:
    """The Commitments page's spend-schedule chart, read back from the figure it draws: year -> USD bn."""
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        bars = [t for t in spec["data"] if t.get("type") == "bar" and "bn in %{x|%Y}" in str(t.get("hovertemplate"))]
        if bars:
            totals: dict[int, float] = {}
            for trace in bars:
                for x, y in zip(_values(trace["x"]), _values(trace["y"])):
                    year = int(str(x)[:4])
                    totals[year] = totals.get(year, 0.0) + float(y)
            return totals
    raise AssertionError("no schedule chart on the Commitments page")


def test_stress_total_equals_the_commitments_schedule_for_the_same_buyer_and_years(page):
    at = page({"exp_preset": "Your own inputs", "exp_buyers": ["OpenAI"], "exp_paid": "0", "exp_start": "2028"})
    assert shown(at)["Not paid"] == "$260 bn"
    commitments = page({"buyer": "openai", "cmt_period": "Year", "cmt_group": "Buyer"}, "pages/commitments.py")
    schedule = _schedule_by_year(commitments)
    assert schedule == {2025: 130.0, 2026: 130.0, 2027: 130.0, 2028: 130.0, 2029: 130.0}
    assert sum(v for year, v in schedule.items() if year >= 2028) == pytest.approx(260.0)


def test_company_profiles_have_an_exposure_section(page):
    # Oracle: OpenAI's 300 is all of its counted backlog; OpenAI's 60 a year from 2027 to 2029 is 180.
    at = page({"id": "oracle-oci"}, "pages/company.py")
    metrics = shown(at)
    assert (metrics["Largest customer's share"], metrics["Effective customers"]) == ("100%", "1.0")
    assert metrics["If OpenAI stops paying in 2027"] == "$180 bn"
    # OpenAI as a customer: Oracle 300 of 300 and Azure 250 of 250 (100 %, the larger first), Nvidia 100 of 140 (71.4 %).
    at = page({"id": "openai"}, "pages/company.py")
    captions = [plain(c.value) for c in at.main.caption]
    assert any(c.startswith("3 providers depend on OpenAI; most, Oracle Cloud (OCI), for 100% of its backlog in "
                            "the ledger.") for c in captions)
    table = next(d.value for d in at.dataframe if "share_of_its_backlog_pct" in d.value.columns)
    assert table["share_of_its_backlog_pct"].tolist() == [100.0, 100.0, 71.4]


# ---- In German (issue 29) ------------------------------------------------------------------------------------

def test_the_page_in_german_writes_german_sentences_and_numbers(page):
    """The same hand-worked numbers as the default test above, the German way: half of 260 is 130 (Mrd. USD)."""
    at = page({"lang": "de"})
    assert not at.warning
    assert plain(at.title[0].value) == "Wer von wem abhängt"
    assert plain(at.subheader[0].value) == ("Oracle Cloud (OCI) hängt am stärksten von einem Kunden ab: OpenAI hält "
                                            "100\u00a0% seines Auftragsbestands von 300\u00a0Mrd.\u00a0USD im Ledger")
    assert shown(at) == {
        "Anbieter mit offengelegtem Auftragsbestand": "5", "Geldkreisläufe": "3",
        "Größter Kreislauf": "100\u00a0Mrd.\u00a0USD",
        "Nicht gezahlt": "130\u00a0Mrd.\u00a0USD", "Getroffene Anbieter": "3",
        "Am stärksten getroffen: Oracle Cloud (OCI)": "60\u00a0Mrd.\u00a0USD"}
    bold = [plain(m.value) for m in at.markdown]
    assert ("**Zahlt OpenAI 50\u00a0% dessen, was ab 2028 fällig wird, bleiben 130\u00a0Mrd.\u00a0USD unbezahlt; "
            "Oracle Cloud (OCI) verliert am meisten: 60\u00a0Mrd.\u00a0USD, meldet aber keinen Umsatz im "
            "Ledger**") in bold
    assert at.selectbox(key="exp_preset").format_func("custom") == "Eigene Eingaben"
    backlog = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    assert backlog["separators"] == ",." and backlog["xaxis"]["ticksuffix"] == "\u00a0Mrd."
    assert "tickprefix" not in backlog["xaxis"]


def test_a_german_preset_in_the_link_opens_the_same_preset_in_english_and_back(page):
    """The binding writes the label the sender saw: a German link's preset is the English page's preset too."""
    at = page({"exp_preset": "Anthropic zahlt ab 2027 nicht mehr"})  # no lang: English
    assert not at.warning
    assert at.selectbox(key="exp_preset").value == "anthropic_stops_2027"
    assert at.query_params["exp_preset"] == "Anthropic stops paying from 2027"
    assert shown(at)["Not paid"] == "$60 bn"
    at = page({"lang": "de", "exp_preset": "Anthropic stops paying from 2027"})
    assert not at.warning
    assert at.selectbox(key="exp_preset").value == "anthropic_stops_2027"
    assert shown(at)["Nicht gezahlt"] == "60\u00a0Mrd.\u00a0USD"


def test_an_embedded_chart_follows_the_links_language(page):
    at = page({"chart": "exposure-unpaid", "lang": "de", "exp_preset": "Anthropic stops paying from 2027"},
              "pages/embed.py")
    assert not at.warning
    assert plain(at.markdown[0].value) == (
        "**Zahlt Anthropic 0\u00a0% dessen, was ab 2027 fällig wird, bleiben 60\u00a0Mrd.\u00a0USD unbezahlt; AWS "
        "verliert am meisten: 60\u00a0Mrd.\u00a0USD, meldet aber keinen Umsatz im Ledger**")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["yaxis"]["title"]["text"] == "Unbezahlt (Mrd. USD/Jahr)"
    at = page({"chart": "exposure-unpaid", "exp_preset": "Anthropic stops paying from 2027"}, "pages/embed.py")
    assert plain(at.markdown[0].value).startswith("**If Anthropic pays 0 % of what falls due from 2027, $60 bn goes")
