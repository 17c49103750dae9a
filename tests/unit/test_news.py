""""New since": which deals and milestones are news, and what each did to the headline totals. Expected values are
worked out by hand from tests/fixtures/news_ledger.py (row ids in the comments), not by the code under test."""
from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
import pytest

from compute_ledger.analysis import news
from compute_ledger.analysis.filters import DealFilter
from compute_ledger.data.load import load_ledger
from compute_ledger.views.overview import MAX_NEWS, overview_view, since_choice
from tests.fixtures.news_ledger import write_news_ledger

LABS, SITES, CHIPS = "AI labs' compute commitments", "Contracted site capacity", "Chip volume, in GW of power"
PROVIDERS_OWN = "Providers' purchases to serve customers"
MARCH = dt.date(2026, 3, 1)


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    return load_ledger(str(write_news_ledger(tmp_path_factory.mktemp("news") / "ledger"))).tables


def effects_of(tables, deal_filter: DealFilter, since: dt.date = MARCH) -> dict[tuple[str, str], float]:
    effects = news.effect_on_totals(news.deal_news(tables["deals"], deal_filter, since), deal_filter)
    return {(r["deal_id"], r["total"]): r["change"] for r in effects.iter_rows(named=True)}


def test_news_is_what_was_announced_or_changed_after_the_date_newest_first(tables):
    found = news.newest_first(news.deal_news(tables["deals"], DealFilter(), MARCH))
    # N09 (10 Feb) and every small-ledger row (2025) are older; N04 and N05 are old deals whose status changed.
    assert found["deal_id"].to_list() == ["N07", "N04", "N01", "N02", "N08", "N03", "N05"]
    assert news.newest_first(found.reverse(), 2)["deal_id"].to_list() == ["N07", "N04"]  # the lines shown
    assert dict(zip(found["deal_id"], found["event"])) == {
        "N07": "new", "N04": "changed", "N01": "new", "N02": "new", "N08": "new", "N03": "new", "N05": "changed"}
    assert found.filter(pl.col("deal_id") == "N04")["event_date"].item() == dt.date(2026, 3, 25)  # the change


def test_the_date_itself_is_not_news(tables):
    # N01 was announced on 20 Mar: "new since 20 Mar" starts the day after.
    assert "N01" not in news.deal_news(tables["deals"], DealFilter(), dt.date(2026, 3, 20))["deal_id"].to_list()
    assert "N01" in news.deal_news(tables["deals"], DealFilter(), dt.date(2026, 3, 19))["deal_id"].to_list()


def test_milestones_are_news_when_reported_or_when_their_stage_changed(tables):
    found = news.milestone_news(tables["milestones"], MARCH)
    # M12 went operational on 30 Mar; M11 is a 2027 target reported on 22 Mar; M10 was announced on 18 Mar.
    assert found["milestone_id"].to_list() == ["M12", "M11", "M10"]
    assert found["event_date"].to_list() == [dt.date(2026, 3, 30), dt.date(2026, 3, 22), dt.date(2026, 3, 18)]
    assert news.milestone_news(tables["milestones"], MARCH, ["anthropic"])["milestone_id"].to_list() == ["M11"]


def test_effect_on_the_totals_follows_the_counting_model(tables):
    effects = effects_of(tables, DealFilter())
    assert effects[("N01", LABS)] == 50 and effects[("N01", SITES)] == 1  # new and counted
    assert effects[("N05", LABS)] == -30  # an announced deal, counted, then cancelled
    assert effects[("N04", LABS)] == 0 and effects[("N04", CHIPS)] == 0  # LOI -> contract: counted both times
    assert effects[("N07", LABS)] == 0  # counted, undisclosed: adds nothing
    assert not {k for k in effects if k[0] in ("N02", "N03", "N08")}  # reported only, provider side, overlap


def test_counting_only_definitive_deals_turns_the_contract_into_news(tables):
    effects = effects_of(tables, DealFilter(tiers=("definitive",)))
    assert effects[("N04", LABS)] == 10 and effects[("N04", CHIPS)] == 1  # was announced (an LOI), now definitive
    assert ("N05", LABS) not in effects  # announced: not counted before either


def test_the_layer_and_overlap_switches_bring_their_rows_in(tables):
    effects = effects_of(tables, DealFilter(provider_side=True, include_overlaps=True))
    assert effects[("N03", PROVIDERS_OWN)] == 20
    assert effects[("N08", LABS)] == 100


def test_the_view_says_what_each_line_did_to_the_totals(tables):
    view = overview_view(tables, DealFilter())
    assert view.since == MARCH  # 30 days before "as of" (31 Mar, M12's source)
    lines = {n.record_id: n for n in view.news}
    assert [n.record_id for n in view.news] == ["M12", "N07", "N04", "M11", "N01", "M10", "N02", "N08", "N03", "N05"]
    assert lines["N01"].effect == "+$50 bn to AI labs' compute commitments; +1 GW to contracted site capacity"
    assert lines["N01"].text == "Anthropic and Google Cloud: cloud compute, $50 bn, 1 GW, definitive (signed)"
    assert lines["N04"].text == ("OpenAI and Broadcom: A letter of intent became a signed contract "
                                 "(chips, $10 bn, 1 GW, definitive)")
    assert lines["N04"].effect == "already counted in AI labs' compute commitments: totals unchanged"
    assert lines["N05"].text.startswith("xAI and Oracle Cloud (OCI): An announced deal was cancelled")
    assert lines["N05"].effect == "-$30 bn from AI labs' compute commitments"
    assert lines["N02"].effect == "reported only: not in the totals"
    assert lines["N03"].effect == "a provider's own purchase: not in the totals"
    assert lines["N08"].effect == "overlaps a row counted elsewhere: not in the totals"
    assert lines["N07"].effect == "counted in AI labs' compute commitments, value not disclosed: adds nothing"
    assert lines["M12"].text == "Microsoft Azure, Fairwater, WI: A site under construction became operational (0.9 GW)"
    assert lines["M12"].effect == "capacity milestone: not in the deal totals"
    assert lines["N01"].source_url == "https://example.org/news/n01"
    # 50 - 30 to the labs' commitments; N01's 1 GW to the sites.
    assert view.news_summary == ("7 deals and 3 capacity milestones since 1 Mar 2026: +$20 bn to AI labs' compute "
                                 "commitments; +1 GW to contracted site capacity.")


def test_the_list_shows_the_newest_lines_and_the_summary_counts_every_one(tables):
    # N01 copied 30 times (as an analyst's upload of similar rows would look): the list stops at MAX_NEWS, while
    # the summary counts every row and adds up every effect: 31 x 50 - 30 = 1,520.
    n01 = tables["deals"].filter(pl.col("deal_id") == "N01")
    copies = pl.concat([n01.with_columns(deal_id=pl.lit(f"C{i:02d}")) for i in range(30)])
    crowded = {**tables, "deals": pl.concat([tables["deals"], copies])}
    view = overview_view(crowded, DealFilter())
    assert len(view.news) == MAX_NEWS == 20
    assert [n.record_id for n in view.news][:3] == ["M12", "N07", "N04"]  # still the newest first
    assert view.news_summary == ("37 deals and 3 capacity milestones since 1 Mar 2026: +$1.52 tn to AI labs' compute "
                                 "commitments; +31 GW to contracted site capacity. The newest 20 are listed.")


def test_the_news_follows_the_filter(tables):
    view = overview_view(tables, DealFilter(buyers=("anthropic",)), dt.date(2026, 3, 19))
    assert [n.record_id for n in view.news] == ["M11", "N01"]  # Anthropic's only; M10 (18 Mar) is before
    assert view.news_summary == ("1 deal and 1 capacity milestone since 19 Mar 2026: +$50 bn to AI labs' compute "
                                 "commitments; +1 GW to contracted site capacity.")
    assert overview_view(tables, DealFilter(), dt.date(2026, 3, 31)).news_summary == (
        "Nothing new in this selection since 31 Mar 2026.")


@pytest.mark.parametrize("raw, warning", [
    ("2026-13-01", "The link's 'since' date '2026-13-01' is not a date like 2025-11-03; ignored."),
    ("last week", "The link's 'since' date 'last week' is not a date like 2025-11-03; ignored."),
    ("2026-04-01", "The link's 'since' date 2026-04-01 is outside the data's range (2015-01-01 to 2026-03-31); ignored."),
    ("2014-12-31", "The link's 'since' date 2014-12-31 is outside the data's range (2015-01-01 to 2026-03-31); ignored."),
])
def test_a_bad_since_value_is_named_and_the_default_used(tables, raw, warning):
    choice = since_choice(tables, None, raw)
    assert choice.warning == warning
    assert choice.value == MARCH


def test_a_good_since_value_is_used(tables):
    assert since_choice(tables, None, "2026-03-19") == dataclasses.replace(
        since_choice(tables, None, None), value=dt.date(2026, 3, 19))
    assert since_choice(tables, None, None).latest == dt.date(2026, 3, 31)
