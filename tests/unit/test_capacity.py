"""Planned vs operational aggregation on hand-made milestones."""
from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from compute_ledger.analysis import capacity as c

D = dt.date
COLUMNS = ("milestone_id", "date", "company_id", "program", "site", "scope", "capacity_gw", "stage", "source_date")


def milestones(*rows: tuple) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema=dict(zip(COLUMNS, (pl.String, pl.Date, pl.String, pl.String, pl.String,
                                                        pl.String, pl.Float64, pl.String, pl.Date))), orient="row")
    return frame.with_columns(milestone_type=pl.lit("capacity_target"), country=pl.lit("US"), lat=pl.lit(None, pl.Float64),
                              lon=pl.lit(None, pl.Float64), source_url=pl.lit("https://example.org"),
                              headline=pl.lit(None, pl.String), description=pl.lit("x" * 10))


SAMPLE = milestones(
    # one site reported three times: energised 0.2, running, then full size 1.2 -> counts once: 1.2 planned, 0.2 running
    ("a1", D(2025, 6, 30), "lab", "Stargate", "Abilene", "site", 0.2, "operational", D(2025, 6, 30)),
    ("a2", D(2025, 9, 30), "lab", "Stargate", "Abilene", "site", None, "operational", D(2025, 9, 30)),
    ("a3", D(2026, 6, 30), "lab", "Stargate", "Abilene", "site", 1.2, "under_construction", D(2025, 5, 23)),
    # a site later paused -> halted, not counted
    ("u1", D(2026, 1, 1), "lab", "Stargate", "UK", "site", 0.5, "target", D(2025, 9, 16)),
    ("u2", D(2026, 4, 9), "lab", "Stargate", "UK", "site", None, "paused", D(2026, 4, 9)),
    # a cancelled site -> halted
    ("x1", D(2026, 3, 1), "lab", "Stargate", "Expansion", "site", 0.6, "cancelled", D(2026, 3, 1)),
    # a chip tranche: shown apart, never added to sites
    ("t1", D(2026, 7, 1), "lab", None, "First chip GW", "tranche", 1.0, "target", D(2025, 10, 6)),
    # fleet: the company's own total beats the sum of its sites
    ("f1", D(2024, 12, 31), "lab", None, "Fleet", "fleet", 0.6, "operational", D(2026, 1, 1)),
    ("f2", D(2025, 12, 31), "lab", None, "Fleet", "fleet", 1.9, "operational", D(2026, 1, 1)),
    # programme totals are never summed with sites
    ("p1", D(2025, 1, 21), "lab", "Stargate", "Programme", "programme", 10.0, "target", D(2025, 7, 22)),
    ("p2", D(2025, 10, 30), "lab", "Stargate", "Programme", "programme", 8.0, "planned", D(2025, 10, 30)),
    ("s1", D(2026, 1, 1), "other", None, "Campus", "site", 1.0, "target", D(2025, 7, 14)),
    # a cloud's capacity *added* over a year: a flow, not the size of its fleet
    ("g1", D(2025, 12, 31), "cloud", None, "Capacity added in 2025", "fleet", 3.99, "operational", D(2026, 2, 5)),
).with_columns(milestone_type=pl.col("milestone_id").replace_strict(
    {"p1": "program_target", "p2": "planned_capacity", "f1": "compute_capacity", "f2": "compute_capacity",
     "g1": "capacity_added"}, default="capacity_target"))


def test_each_site_counts_once_with_its_latest_report():
    sites = c.sites(SAMPLE).filter(pl.col("company_id") == "lab").sort("site")
    assert sites.select("site", "stage", "planned_gw", "operational_gw", "halted").rows() == [
        ("Abilene", "operational", 1.2, 0.2, False),
        ("Expansion", "cancelled", 0.6, None, True),
        ("UK", "paused", 0.5, None, True),
    ]


def test_company_totals_exclude_halted_sites_and_keep_tranches_apart():
    lab = c.capacity_by_company(SAMPLE).filter(pl.col("company_id") == "lab").row(0, named=True)
    assert lab["planned_gw"] == pytest.approx(1.2)       # Abilene only
    assert lab["tranche_gw"] == pytest.approx(1.0)
    assert lab["halted_gw"] == pytest.approx(1.1)        # UK 0.5 + expansion 0.6
    assert lab["operational_gw"] == pytest.approx(1.9)   # its own fleet figure, not the 0.2 of Abilene
    assert lab["operational_basis"] == "reported fleet"
    other = c.capacity_by_company(SAMPLE).filter(pl.col("company_id") == "other").row(0, named=True)
    assert (other["planned_gw"], other["operational_gw"]) == (1.0, 0.0)


def test_stargate_progress():
    progress = c.stargate_progress(SAMPLE)
    assert progress["goal_gw"] == 10.0
    assert progress["announced_planned_gw"] == 8.0
    assert progress["site_planned_gw"] == pytest.approx(1.2)
    assert progress["site_operational_gw"] == pytest.approx(0.2)
    assert progress["halted_gw"] == pytest.approx(1.1)


def test_timeline_series():
    lab = c.capacity_timeline(SAMPLE).filter(pl.col("company_id") == "lab")
    assert lab.filter(pl.col("series") == "operational").select("date", "gw").rows() == [
        (D(2024, 12, 31), 0.6), (D(2025, 12, 31), 1.9)]
    assert lab.filter(pl.col("series") == "planned").select("date", "gw").rows() == [(D(2026, 6, 30), 1.2)]
    assert lab.filter(pl.col("series") == "tranches").select("date", "gw").rows() == [(D(2026, 7, 1), 1.0)]


def test_latest_fleet():
    assert c.latest_fleet(SAMPLE).rows() == [("lab", 1.9, D(2025, 12, 31))]


def test_the_overview_fleet_card_counts_ai_labs_only(tmp_path):
    # A cloud's reported fleet houses the labs' compute: adding it to OpenAI's 1.9 GW would count that twice.
    from compute_ledger.analysis.filters import DealFilter
    from compute_ledger.data.load import load_ledger
    from compute_ledger.views.overview import overview_view
    from tests.fixtures.small_ledger import write_small_ledger

    tables = dict(load_ledger(str(write_small_ledger(tmp_path / "ledger"))).tables)
    aws_fleet = tables["milestones"].filter(pl.col("milestone_id") == "F01").with_columns(
        milestone_id=pl.lit("F09"), company_id=pl.lit("aws"), capacity_gw=pl.lit(4.0))
    tables["milestones"] = pl.concat([tables["milestones"], aws_fleet])
    cards = {card.label: card.value for card in overview_view(tables, DealFilter()).cards}
    assert cards["Operating fleet (OpenAI, Dec 2025)"] == "1.9 GW"  # F01 only, not 1.9 + 4
