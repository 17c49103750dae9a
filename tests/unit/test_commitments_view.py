"""The Commitments page's view, on the small hand-made ledger (tests/fixtures/small_ledger.py) with contract terms
and key events of our own (TERMS, HEADLINES below): every expected number is worked out by hand in the comments, so
data releases do not move them. Also: at 1,000 deals every chart still draws a bounded number of things."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from compute_ledger.analysis.filters import DealFilter
from compute_ledger.data.build import build
from compute_ledger.data.load import REPO_DATA_DIR, load_ledger
from compute_ledger.views import commitments as cv
from tests.fixtures.small_ledger import DEALS

TODAY = dt.date(2026, 3, 1)
# A supplier's investment, so that the Diversification page has one too (Azure is a hyperscaler: it counts as
# supply when suppliers' investments are counted). Financing: never a commitment.
EQUITY = ("L14", "2023-01-23", "openai", "microsoft-azure", "equity_investment", "10", "", "", "signed", "financing",
          "definitive", "true", "")
# deal id: (start_year, end_year, term_years)
TERMS = {"L01": ("2025", "", ""),        # no end, no length: spread over the assumed term from 2025
         "L02": ("2026", "2030", ""),    # reported 2026-2030
         "L11": ("", "", "4")}           # 4 years from its announcement year: 2025-2028
HEADLINES = {"L01": "Azure $250 bn", "L02": "Oracle $300 bn",
             "L06": "Meta rumour"}       # a reported-only deal: out of the default filter, still a key event
MILESTONE_HEADLINES = {"F01": "OpenAI fleet at 1.9 GW"}  # operational on 2025-12-31: an event


def write_terms_ledger(folder: Path) -> Path:
    """The small ledger plus EQUITY, TERMS and HEADLINES, built (validated) into `folder`."""
    from tests.fixtures.small_ledger import write_small_ledger

    write_small_ledger(folder, DEALS + [EQUITY])
    deals_csv, milestones_csv = folder / "sources" / "deals.csv", folder / "sources" / "milestones.csv"
    deals = pl.read_csv(deals_csv, infer_schema=False)
    ids = pl.col("deal_id")
    deals = deals.with_columns(
        *(ids.replace_strict({d: t[i] or None for d, t in TERMS.items()}, default=pl.col(c), return_dtype=pl.String)
          .alias(c) for i, c in enumerate(("start_year", "end_year", "term_years"))),
        ids.replace_strict(HEADLINES, default=pl.col("headline"), return_dtype=pl.String).alias("headline"),
        pl.when(ids == "L14").then(pl.lit("investment")).otherwise(pl.col("value_basis")).alias("value_basis"),
    )
    deals.write_csv(deals_csv)
    milestones = pl.read_csv(milestones_csv, infer_schema=False)
    milestones.with_columns(pl.col("milestone_id").replace_strict(
        MILESTONE_HEADLINES, default=pl.col("headline"), return_dtype=pl.String).alias("headline")
    ).write_csv(milestones_csv)
    assert build(folder) == []
    return folder


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> dict[str, pl.DataFrame]:
    return load_ledger(str(write_terms_ledger(tmp_path_factory.mktemp("terms") / "ledger"))).tables


def view(tables, deal_filter=DealFilter(), measure="usd", period="quarter", group="provider", log_y=False,
         default_term=5) -> cv.CommitmentsView:
    return cv.commitments_view(tables, deal_filter, measure, period, group, log_y, default_term, TODAY)


def test_timeline_takeaway_counts_every_kept_deal(ledger):
    # Default filter: definitive and announced tiers, overlaps out: L06 (reported), L09 (reported, cancelled) and
    # L10 (overlaps L02) go; 11 deals stay (L01-L05, L07, L08, L11-L14). No value: L03 (AMD chips), L13 (power).
    # Largest: L02, OpenAI <- Oracle, USD 300B, 10 Sep 2025.
    shown = view(ledger)
    assert shown.deals == 11
    assert shown.timeline.title == "Largest: OpenAI ← Oracle Cloud (OCI), $300 bn (Sep 2025); 2 of 11 deals undisclosed"
    assert shown.timeline.table.rows.height == 11


def test_cumulative_counts_commitments_only(ledger):
    # Commitments (end users, not cancelled) with a value: L02 300 + L07 100 (Q3 2025), L01 250 + L11 100 (Q4
    # 2025) = 750 by Oct 2025, all announced within 12 months. L04/L05 (resale), L08/L12/L14 (financing) and L13
    # (power) are other layers.
    shown = view(ledger)
    assert shown.cumulative.title == "Commitments reached $750 bn by Oct 2025; 100% of that was announced in the last 12 months"
    running = shown.cumulative.table.rows
    assert running.filter(pl.col("period") == dt.date(2025, 10, 1))["cumulative"].sum() == pytest.approx(750)


def test_gigawatts_leave_out_power(ledger):
    # GW of kept deals: L02 4.5, L03 6, L05 1.2, L07 10, L11 5, L12 2, L13 0.835; none for L01, L04, L08, L14.
    # Largest: L07 OpenAI <- Nvidia 10 GW. Running total: commitments, not power: 4.5 + 6 + 10 + 5 = 25.5 GW.
    shown = view(ledger, measure="gw")
    assert shown.timeline.title == "Largest: OpenAI ← Nvidia, 10 GW (Sep 2025); 4 of 11 deals undisclosed"
    assert shown.cumulative.title.startswith("Commitments reached 25.5 GW by Oct 2025")
    assert "The schedule is in dollars: capacity has no payment profile." in shown.schedule.captions


def test_key_events_are_the_whole_ledgers_distinct_headlines(ledger):
    # Headlines: L02 (10 Sep), L01 (28 Oct), L06 (1 Jun, outside the filter but still an event), F01 (31 Dec).
    shown = view(ledger)
    layout = shown.cumulative.figure.layout
    assert [s.x0 for s in layout.shapes] == ["2025-06-01", "2025-09-10", "2025-10-28", "2025-12-31"]
    assert [a.text for a in layout.annotations] == ["1", "2", "3", "4"]
    caption = shown.cumulative.captions[0]
    assert caption.startswith("Key events (dotted lines): **1** Meta rumour (Jun 2025) · **2** Oracle \\$300 bn")


def test_contract_terms(ledger):
    # Reported terms: L02 2026-2030, L11 2025-2028 (4 years from 2025). One of the two runs to 2030.
    shown = view(ledger)
    assert shown.terms.title == "1 of 2 contracts with a known term run to 2030 or later"
    assert sorted(shown.terms.table.rows["deal_id"]) == ["L02", "L11"]
    today_line = shown.terms.figure.layout.shapes[0]
    assert today_line.x0 == dt.datetime(2026, 3, 1).timestamp() * 1000  # the date handed in, not the clock's


def test_schedule_by_year_with_the_assumed_term(ledger):
    # Spread straight-line: L01 250 over 2025-2029 (assumed 5 years) = 50/yr; L02 300 over 2026-2030 = 60/yr;
    # L07 100 over 2025-2029 (assumed, from its announcement year) = 20/yr; L11 100 over 2025-2028 = 25/yr.
    # 2025: 50 + 20 + 25 = 95; 2026-2028: 50 + 60 + 20 + 25 = 155 (the first of the tied years is named).
    shown = view(ledger, period="year")
    assert shown.schedule.title == "Scheduled spend peaks at $155 bn per year in 2026"
    assert "2 of 4 scheduled deals use the assumed length." in shown.schedule.captions  # L01, L07
    assert "1 commitments have no disclosed value" in shown.assumption  # L03
    assert "**5 years**" in shown.assumption


def test_schedule_by_quarter_and_a_longer_assumed_term(ledger):
    # Quarters: 155 / 4 = 38.75 in Q1 2026. Ten assumed years: L01 25/yr, L07 10/yr (2025-2034), with L02 60 and
    # L11 25: 2026-2028 = 25 + 10 + 60 + 25 = 120.
    assert view(ledger).schedule.title == "Scheduled spend peaks at $38.8 bn per quarter in Q1 2026"
    assert view(ledger, period="year", default_term=10).schedule.title == (
        "Scheduled spend peaks at $120 bn per year in 2026")


def test_grouping_by_buyer(ledger):
    # Buyers of the commitments: OpenAI (L01, L02, L07, L03) and Anthropic (L11); resale and financing buyers too.
    shown = view(ledger, group="buyer", log_y=True)
    assert set(shown.cumulative.table.rows["buyer"]) == {"OpenAI", "Anthropic"}
    assert shown.timeline.figure.layout.yaxis.type == "log"
    assert shown.timeline.figure.layout.legend.title.text == "Buyer"


def test_empty_filter_says_so_and_draws_nothing(ledger):
    shown = view(ledger, DealFilter(providers=("lambda",)))
    assert shown.deals == 0
    assert shown.timeline.figure is None and shown.schedule.figure is None


def test_only_undisclosed_deals(ledger):
    # AMD: L03 only, whose value is undisclosed: nothing to sum or schedule.
    shown = view(ledger, DealFilter(providers=("amd",)))
    assert shown.timeline.title == "This deal does not disclose its value"
    assert shown.cumulative.figure is None
    assert shown.cumulative.empty == "No commitment in this selection has a disclosed value."
    assert shown.schedule.empty == "No commitment in this selection has a disclosed value to schedule."


# --- scale: the bundled deals replicated to 1,000 rows (fresh ids, same dates, parties and headlines) -----------

def replicated(tables: dict[str, pl.DataFrame], rows: int, distinct_headlines: bool = False) -> dict:
    deals = tables["deals"]
    copies = pl.concat([deals] * (rows // deals.height + 1)).head(rows).with_columns(
        deal_id=pl.format("R{}", pl.int_range(pl.len()).cast(pl.String).str.zfill(5)))
    if distinct_headlines:  # every copy a key event of its own: the cap, not the dedup, must hold the lines down
        copies = copies.with_columns(headline=pl.format("{} #{}", pl.col("headline"), pl.col("deal_id")))
    return {**tables, "deals": copies}


@pytest.fixture(scope="module")
def bundled() -> dict[str, pl.DataFrame]:
    return load_ledger(str(REPO_DATA_DIR)).tables


def drawn_counts(shown: cv.CommitmentsView) -> dict[str, int]:
    cumulative = shown.cumulative.figure.layout
    return {"event_lines": len(cumulative.shapes), "event_labels": len(cumulative.annotations),
            "timeline_markers": sum(len(t.x) for t in shown.timeline.figure.data),
            "timeline_colours": len({t.name for t in shown.timeline.figure.data}),
            "cumulative_layers": len(shown.cumulative.figure.data),
            "term_bars": sum(len(t.y) for t in shown.terms.figure.data),
            "schedule_colours": len(shown.schedule.figure.data)}


def test_replicated_deals_draw_each_event_once(bundled):
    events = cv.commitments.key_events(bundled["deals"], bundled["milestones"]).height
    counts = drawn_counts(view(replicated(bundled, 1_000)))
    # Copies of a headline row are one event: the lines are those of the bundled ledger (at most the cap).
    assert counts["event_lines"] == counts["event_labels"] == min(events, cv.MAX_EVENTS)


def test_a_thousand_distinct_events_draw_only_the_cap(bundled):
    shown = view(replicated(bundled, 1_000, distinct_headlines=True))
    counts = drawn_counts(shown)
    assert counts["event_lines"] == counts["event_labels"] == cv.MAX_EVENTS
    assert f"the {cv.MAX_EVENTS} most recent of" in shown.cumulative.captions[0]
    assert counts["timeline_markers"] <= cv.MAX_DEALS_DRAWN
    assert counts["timeline_colours"] <= cv.MAX_GROUPS + 1
    assert counts["cumulative_layers"] <= cv.MAX_GROUPS + 1
    assert counts["schedule_colours"] <= cv.MAX_GROUPS + 1
    assert counts["term_bars"] <= cv.MAX_TERMS_DRAWN


def test_what_is_drawn_does_not_grow_with_the_rows(bundled):
    # 2,000 deals draw at most what 1,000 do, bar the markers (capped at MAX_DEALS_DRAWN).
    small, large = (drawn_counts(view(replicated(bundled, n, distinct_headlines=True))) for n in (1_000, 2_000))
    assert {k: v for k, v in large.items() if k != "timeline_markers"} == {
        k: v for k, v in small.items() if k != "timeline_markers"}
    assert large["timeline_markers"] == cv.MAX_DEALS_DRAWN
