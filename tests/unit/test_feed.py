"""The change feeds (static/data/feed.xml, feed-<company>.xml): valid Atom read as a reader reads it (feedparser),
one entry per change of the data (counted here from the source CSVs), stable across builds, data text as text."""
from __future__ import annotations

import datetime as dt
import shutil

import feedparser
import polars as pl
import pytest

from compute_ledger.brief.feed import FEED_FILE, TAG_PREFIX, feed_name, write_feeds
from compute_ledger.brief.link import PUBLIC_URL_ENV
from compute_ledger.data.build import build
from compute_ledger.data.publish import published_dir
from tests.conftest import DATA, SOURCES

APP = "https://ledger.example.org/"


def copy_ledger(target):
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("*.tmp"))
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The bundled data, built with its feeds in a temporary folder (never the repo's static/)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(PUBLIC_URL_ENV, APP)
        folder = copy_ledger(tmp_path_factory.mktemp("feed") / "data")
        assert build(folder, also=(write_feeds,)) == []
    return published_dir(folder)


def read_sources() -> dict[str, pl.DataFrame]:
    return {name: pl.read_csv(SOURCES / f"{name}.csv", infer_schema=False)
            for name in ("deals", "milestones", "corrections")}


def expected_entries(company_id: str | None = None) -> int:
    """Deals (one "added" each), status changes, stage changes and corrections, counted from the CSVs."""
    src = read_sources()
    deals, milestones, corrections = src["deals"], src["milestones"], src["corrections"]
    if company_id:
        deals = deals.filter((pl.col("buyer_id") == company_id) | (pl.col("provider_id") == company_id))
        milestones = milestones.filter(pl.col("company_id") == company_id)
    rows = pl.concat([deals["deal_id"], milestones["milestone_id"]])
    return (deals.height
            + deals.filter(pl.col("previous_status").is_not_null() & pl.col("status_changed").is_not_null()).height
            + milestones.filter(pl.col("previous_stage").is_not_null() & pl.col("stage_changed").is_not_null()).height
            + corrections.filter(pl.col("row_id").is_in(rows.implode())).height)


def test_bundled_counts_worked_by_hand():
    # 261 deals; D030, D032, D069, D133, D151, D186, D187, D223 changed status; M027, M031, M032, M042, M094
    # changed stage; 9 corrections (data/sources/corrections.csv).
    assert expected_entries() == 261 + 8 + 5 + 9


def test_feed_is_valid_atom_with_one_entry_per_change(built):
    feed = feedparser.parse((built / FEED_FILE).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id == f"{TAG_PREFIX}feed"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["self"] == APP + "app/static/data/feed.xml"
    assert links["alternate"] == APP
    assert len(feed.entries) == expected_entries()
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids) and all(i.startswith(TAG_PREFIX) for i in ids)
    dates = [dt.date(*e.updated_parsed[:3]) for e in feed.entries]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert feed.feed.updated == f"{dates[0].isoformat()}T00:00:00Z"  # the newest entry's date, not the clock
    for entry in feed.entries:
        alternate = [link.href for link in entry.links if link.rel == "alternate"]
        related = [link.href for link in entry.links if link.rel == "related"]
        assert alternate and alternate[0].startswith(APP + "company?id="), entry.id
        assert related and related[0].startswith("http"), entry.id
        assert "Effect on the headline totals:" in entry.summary and "Source:" in entry.summary


def test_entries_carry_the_overviews_words_and_effect(built):
    feed = feedparser.parse((built / FEED_FILE).read_bytes())
    by_id = {e.id: e for e in feed.entries}
    # D063 Meta-AMD: USD 60B -> 100B, end-user layer, definitive (CHANGELOG 2026-12-02): +$40 bn to the labs' total.
    fix = by_id[f"{TAG_PREFIX}corrected/D063/value_usd_bn/2026-12-02"]
    assert fix.title.startswith("Meta and AMD: value corrected from $60 bn to $100 bn")
    assert "+$40 bn to AI labs' compute commitments" in fix.summary
    # D032 Nvidia-OpenAI letter of intent, cancelled on 2026-03-04.
    change = by_id[f"{TAG_PREFIX}status-changed/D032/2026-03-04"]
    assert "A letter of intent was cancelled" in change.title
    assert change.link == APP + "company?id=openai,nvidia"
    assert f"{TAG_PREFIX}stage-changed/M027/2026-06-23" in by_id
    assert f"{TAG_PREFIX}deal-added/D001/2019-07-22" in by_id


@pytest.mark.parametrize("company_id", ["nvidia", "crusoe", "meta"])
def test_company_feeds_hold_that_companys_changes(built, company_id):
    feed = feedparser.parse((built / feed_name(company_id)).read_bytes())
    assert not feed.bozo
    assert feed.feed.id == f"{TAG_PREFIX}feed/{company_id}"
    assert len(feed.entries) == expected_entries(company_id)
    assert {link.rel: link.href for link in feed.feed.links}["self"] == \
        f"{APP}app/static/data/feed-{company_id}.xml"


def test_a_feed_for_every_company_with_deals(built):
    deals = read_sources()["deals"]
    parties = set(deals["buyer_id"]) | set(deals["provider_id"])
    assert {p.name for p in built.glob("feed-*.xml")} == {f"feed-{c}.xml" for c in parties}


def test_a_rebuild_without_changes_changes_nothing(built, tmp_path, monkeypatch):
    monkeypatch.setenv(PUBLIC_URL_ENV, APP)
    folder = copy_ledger(tmp_path / "data")
    assert build(folder, also=(write_feeds,)) == []
    again = published_dir(folder)
    for path in built.glob("feed*.xml"):
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name
    first = [e.id for e in feedparser.parse((built / FEED_FILE).read_bytes()).entries]
    second = [e.id for e in feedparser.parse((again / FEED_FILE).read_bytes()).entries]
    assert first == second


def test_markup_in_a_company_name_arrives_as_text(tmp_path, monkeypatch):
    monkeypatch.setenv(PUBLIC_URL_ENV, APP)
    folder = copy_ledger(tmp_path / "data")
    companies = pl.read_csv(folder / "sources" / "companies.csv", infer_schema=False)
    hostile = '<b>Nvidia</b> & <script>alert("x")</script>'
    companies.with_columns(name=pl.when(pl.col("company_id") == "nvidia").then(pl.lit(hostile))
                           .otherwise(pl.col("name"))).write_csv(folder / "sources" / "companies.csv")
    assert build(folder, also=(write_feeds,)) == []
    out = published_dir(folder)
    feed = feedparser.parse((out / feed_name("nvidia")).read_bytes())
    assert not feed.bozo
    assert feed.feed.title == f"AI Compute Ledger: changes for {hostile}"
    titles = [e.title for e in feed.entries]
    assert any(t.startswith(f"OpenAI and {hostile}:") for t in titles)
    assert all(e.title_detail.type == "text/plain" for e in feed.entries)
    assert b"<script>" not in (out / feed_name("nvidia")).read_bytes()  # escaped in the XML itself


def test_a_wrong_correction_is_named_and_nothing_is_written(tmp_path):
    folder = copy_ledger(tmp_path / "data")
    path = folder / "sources" / "corrections.csv"
    path.write_text(path.read_text() + "2026-12-03,deals,D999,value_usd_bn,1,2,\n"
                    "2026-12-03,deals,D063,value_usd_bn,60,90,\n", encoding="utf-8")
    before = (folder / "deals.parquet").stat().st_mtime_ns
    problems = build(folder, also=(write_feeds,))
    lines = len(path.read_text(encoding="utf-8").splitlines())  # the two bad rows are the file's last lines
    assert [(p.row, p.column) for p in problems] == [(lines - 1, "row_id"), (lines, "after")]
    assert all(p.file == str(path) for p in problems)
    assert (folder / "deals.parquet").stat().st_mtime_ns == before
    assert not (published_dir(folder) / FEED_FILE).exists()


def test_committed_feeds_are_not_stale(tmp_path, monkeypatch):
    """static/data/feed*.xml in the repo are what the build writes from the committed sources (default address)."""
    monkeypatch.delenv(PUBLIC_URL_ENV, raising=False)
    folder = copy_ledger(tmp_path / "data")
    assert build(folder, also=(write_feeds,)) == []
    fresh = published_dir(folder)
    committed = DATA.parent / "static" / "data"
    assert sorted(p.name for p in committed.glob("feed*.xml")) == sorted(p.name for p in fresh.glob("feed*.xml"))
    for path in fresh.glob("feed*.xml"):
        assert (committed / path.name).read_bytes() == path.read_bytes(), path.name
