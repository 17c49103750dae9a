"""The Company page as a user sees it, on the company ledger (tests/fixtures/company_ledger.py: the small ledger's
thirteen deals L01-L13 plus C01-C03). Every expected number is worked out by hand below, deal ids in the comments;
the default count is definitive and announced deals, not cancelled, overlapping rows left out."""
from __future__ import annotations

import pytest

from tests.app.conftest import metrics_of, new_app, plain
from tests.fixtures.company_ledger import write_company_ledger

PAGE = "pages/company.py"
OWN, RESOLD, BACKLOG = "Bought for its own use", "Bought to serve its customers", "Contracted by its customers"
SOLD_ON, INTO, BY = "Sold to other providers", "Invested in it", "Invested by it"
SITES, CHIPS, CUSTOMER_SITES = "Site capacity it contracted", "Chips it bought, in GW", "Site capacity its customers contracted"


@pytest.fixture(scope="module")
def ledger_dir(tmp_path_factory):
    return write_company_ledger(tmp_path_factory.mktemp("company") / "ledger")


@pytest.fixture
def profile(ledger_dir, monkeypatch):
    """Open the Company page from a link's params, as a fresh browser session would."""
    monkeypatch.setenv("LEDGER_DATA", str(ledger_dir))

    def _open(params: dict[str, str]):
        at = new_app()
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(PAGE).run()
        assert not at.exception, at.exception
        return at

    return _open


def deltas_of(at) -> dict[str, str]:
    return {m.label: m.proto.delta for m in at.metric if m.proto.delta}


def test_a_lab_profile_counts_what_it_buys_one_layer_at_a_time(profile):
    at = profile({"id": "openai"})
    shown = metrics_of(at)
    assert plain(at.header[0].value) == "OpenAI"
    # Its own use: L01 250 + L02 300 + L07 100 (announced) + L03 (undisclosed, adds nothing) = 650;
    # L10 overlaps L02 and is left out; L08 is financing, another layer.
    assert shown[OWN] == "$650 bn"
    assert shown[SITES] == "4.5 GW"  # L02 only (L10 overlaps it)
    assert shown[CHIPS] == "16 GW"  # L03 6 + L07 10, never added to the sites
    assert shown[INTO] == "$40 bn"  # L08 SoftBank equity
    assert shown["Whole fleet (Dec 2025)"] == "1.9 GW"  # F01
    assert shown["Planned at its sites"] == "1.2 GW"  # F02 Abilene, under construction
    assert shown["Revenue (2025)"] == "$13 bn"
    assert BACKLOG not in shown and RESOLD not in shown  # nothing to show on that side: no empty cards


def test_a_hyperscaler_profile_shows_both_sides_never_added(profile):
    at = profile({"id": "oracle-oci"})
    shown = metrics_of(at)
    assert shown[RESOLD] == "$40 bn"  # L05: Nvidia chips for the capacity it rents to OpenAI
    assert shown[BACKLOG] == "$300 bn"  # L02 OpenAI; L09 xAI is cancelled
    assert deltas_of(at)[BACKLOG] == "+ $20 bn reported, not counted"  # L06 Meta, beside, never inside
    assert shown[CUSTOMER_SITES] == "4.5 GW"  # L02


def test_a_neocloud_profile_sells_to_clouds_and_end_users_apart(profile):
    at = profile({"id": "coreweave"})
    shown = metrics_of(at)
    assert shown[BACKLOG] == "$14 bn"  # C03 Meta, an end user
    assert shown[SOLD_ON] == "$10 bn"  # L04 Microsoft Azure renting to serve OpenAI: another layer
    assert shown[RESOLD] == "$5 bn"  # C01 Nvidia chips it buys to rent out
    assert shown[INTO] == "$2 bn"  # C02 Nvidia equity
    assert shown["Reported backlog (Sep 2025)"] == "$55.6 bn"  # its own RPO figure, shown apart
    assert shown["Operating at its sites"] == "0.26 GW"  # F03


def test_a_chipmaker_profile_and_the_tiers_it_counts(profile):
    at = profile({"id": "nvidia"})
    shown = metrics_of(at)
    assert shown[BACKLOG] == "$100 bn"  # L07 OpenAI letter of intent (announced)
    assert shown[SOLD_ON] == "$45 bn"  # L05 Oracle 40 + C01 CoreWeave 5
    assert shown[BY] == "$2 bn"  # C02
    assert shown["Revenue (2025)"] == "$130 bn"  # the reported figure; the 2026 projection is kept apart
    projections = next(e for e in at.expander if plain(e.label).startswith("Projections and outside estimates"))
    assert plain(projections.label).endswith("(1)")
    at = profile({"id": "nvidia", "firmness": "definitive"})
    assert metrics_of(at)[BACKLOG] == "$0 bn"  # L07 is only announced ...
    assert deltas_of(at)[BACKLOG] == "+ $100 bn announced or reported, not counted"  # ... beside, not inside


def test_each_total_has_a_table_that_adds_up_to_it(profile):
    at = profile({"id": "nvidia"})
    key = "cmp_how_nvidia_provider_1"  # "Sold to other providers"
    at.session_state[key] = True  # what opening the expander in the browser does
    at.run()
    box = next(e for e in at.expander if plain(e.label) == f"How this total is built: {SOLD_ON}")
    rows = box.dataframe[0].value
    assert sorted(rows["deal_id"]) == ["C01", "L05"]
    assert rows["amount"].sum() == 45
    # Names link to their profiles.
    assert set(rows["buyer_link"]) == {"company?id=coreweave#CoreWeave", "company?id=oracle-oci#Oracle Cloud (OCI)"}


def test_three_side_by_side_read_across(profile):
    at = profile({"id": "aws,microsoft-azure,oracle-oci"})
    assert [plain(s.value) for s in at.subheader[:3]] == ["AWS", "Microsoft Azure", "Oracle Cloud (OCI)"]
    backlog = [m.value for m in at.metric if m.label == BACKLOG]
    assert backlog == ["$100 bn", "$250 bn", "$300 bn"]  # L11, L01, L02: in the order of the link
    # The same cards in every column of a section: Azure has no customers' sites of its own, so it shows 0 GW
    # where AWS (L11 5 GW) and Oracle (L02 4.5 GW) have theirs.
    assert [m.value for m in at.metric if m.label == CUSTOMER_SITES] == ["5 GW", "0 GW", "4.5 GW"]
    assert at.multiselect(key="id").value == ["aws", "microsoft-azure", "oracle-oci"]


def test_an_unknown_id_warns_by_name_and_nothing_raises(profile):
    at = profile({"id": "aws,no-such-co"})
    assert [plain(w.value) for w in at.warning] == ["The link names unknown company 'no-such-co'; ignored."]
    assert metrics_of(at)[BACKLOG] == "$100 bn"  # AWS still shown
    at = profile({"id": "<b>nope</b>"})
    assert "unknown company" in plain(at.warning[0].value)
    assert not at.metric  # no profile, only the picker and suggestions
    assert any(link.proto.label == "OpenAI" for link in at.get("page_link"))


def test_a_company_with_little_data_gets_a_short_page(profile):
    at = profile({"id": "amd"})
    # AMD: one deal, L03, with no disclosed value: a card that says so, not "$0 bn", and no charts.
    assert metrics_of(at)[BACKLOG] == "not disclosed"
    assert not at.get("plotly_chart")
    assert "knows little about it" in plain(at.markdown[0].value) or any(
        "knows little about it" in plain(m.value) for m in at.markdown)


def test_the_sidebar_offers_the_chosen_companies_profiles(profile):
    at = profile({"buyer": "openai", "provider": "oracle-oci"})
    links = {plain(link.proto.label): link.proto.query_string for link in at.get("page_link")}
    assert links["Open profile: OpenAI"] == "id=openai"
    assert links["Open profile: Oracle Cloud (OCI)"] == "id=oracle-oci"
    assert links["Compare them side by side"] == "id=openai%2Coracle-oci"


def test_source_tables_on_other_pages_link_names_to_profiles(ledger_dir, monkeypatch):
    monkeypatch.setenv("LEDGER_DATA", str(ledger_dir))
    at = new_app()
    at.query_params["provider"] = "aws"
    at.run()
    at.session_state["ovw_sources"] = True
    at.run()
    box = next(e for e in at.expander if e.label == "Data and sources")
    rows = box.dataframe[0].value
    assert list(rows["buyer_link"]) == ["company?id=anthropic#Anthropic"]  # L11
    assert list(rows["provider_link"]) == ["company?id=aws#AWS"]


@pytest.fixture
def power_profile(tmp_path, monkeypatch):
    """The small ledger with the power and pledge rows of tests/unit/test_power_and_pledges.py."""
    from tests.fixtures.small_ledger import DEALS, write_small_ledger
    from tests.unit.test_power_and_pledges import EXTRA
    monkeypatch.setenv("LEDGER_DATA", str(write_small_ledger(tmp_path / "ledger", DEALS + EXTRA)))

    def _open(company_id: str):
        at = new_app()
        at.query_params["id"] = company_id
        at.run()
        at.switch_page(PAGE).run()
        assert not at.exception, at.exception
        return at

    return _open


def test_a_profile_shows_power_and_pledges_beside_its_purchases(power_profile):
    shown = metrics_of(power_profile("microsoft-azure"))
    # Power: L13 0.835 (nuclear) + L15 2.67 (gas, announced) = 3.505 GW; L16 is xAI's. Pledge: L17 $30 bn.
    assert shown["Power it contracted, in GW"] == "3.5 GW"
    assert shown["Pledged (not contracts)"] == "$30 bn"
    assert shown[RESOLD] == "$10 bn"  # L04, unchanged by the power and the pledge


def test_the_money_section_names_the_investors(profile):
    at = profile({"id": "coreweave"})
    tables = [d.value for d in at.dataframe if "side" in d.value.columns and "value_basis" in d.value.columns]
    (rounds,) = tables
    # C02: Nvidia's USD 2 bn into CoreWeave; the only financing row of CoreWeave.
    assert rounds["side"].tolist() == ["received from"]
    assert rounds["counterparty_link"].str.endswith("#Nvidia").tolist() == [True]
    assert rounds["value_usd_bn"].tolist() == [2]


def test_the_bundled_comparison_has_the_cards_the_browser_test_waits_for(monkeypatch):
    """The browser test waits for every card of this comparison; its count is checked here, where it is cheap."""
    from tests.browser.test_company_in_browser import COMPARISON_CARDS
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    at = new_app()
    at.query_params["id"] = "aws,microsoft-azure,oracle-oci"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert len(at.metric) == COMPARISON_CARDS
