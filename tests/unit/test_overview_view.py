"""The Overview's view: stored by the build, taken by the app only while it is exactly current."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from compute_ledger.build import MANIFEST, vouched_hashes, write_manifest, write_overview
from compute_ledger.filters import DealFilter
from compute_ledger.load import REPO_DATA_DIR, load_ledger
from compute_ledger.overview import (STORED_VIEW, _checksum, _frame_from_json, _frame_to_json, overview_view,
                                     read_stored_view, unfiltered_options)
from compute_ledger.schema import TABLE_NAMES

FRAMES = ("fleet", "by_provider", "bars", "segments")


@pytest.fixture
def built(tmp_path) -> Path:
    """A copy of the bundled tables, manifest and stored view, as `build` leaves them."""
    for name in TABLE_NAMES:
        shutil.copy(REPO_DATA_DIR / f"{name}.parquet", tmp_path / f"{name}.parquet")
    write_manifest(tmp_path)
    write_overview(tmp_path)
    return tmp_path


def test_stored_view_is_what_the_page_would_work_out(built):
    stored = read_stored_view(built)
    assert stored is not None
    view, options = stored
    tables = load_ledger(str(built)).tables
    live = overview_view(tables, DealFilter())
    assert view.story == live.story and view.as_of == live.as_of == dt.date(2026, 7, 1)
    assert view.cover.buyer_id == live.cover.buyer_id == "openai"
    assert view.cover.ratio == pytest.approx(live.cover.ratio, rel=1e-12)
    for field in dataclasses.fields(view.numbers):
        assert getattr(view.numbers, field.name) == pytest.approx(getattr(live.numbers, field.name), rel=1e-12)
    for name in FRAMES:
        assert_frame_equal(getattr(view, name), getattr(live, name), rel_tol=1e-12)
    assert options == unfiltered_options(tables)


def test_a_changed_table_makes_the_stored_view_unusable(built):
    deals = pl.read_parquet(built / "deals.parquet")
    deals.head(deals.height - 1).write_parquet(built / "deals.parquet")
    # The manifest no longer vouches for deals, so the hashes the app passes lack it: the view is not used.
    assert "deals" not in vouched_hashes(built)
    assert read_stored_view(built) is None


def test_a_rebuilt_manifest_does_not_revive_a_view_of_other_tables(built):
    deals = pl.read_parquet(built / "deals.parquet")
    deals.head(deals.height - 1).write_parquet(built / "deals.parquet")
    write_manifest(built)  # the tables are vouched for again, but the stored view was worked out from the old ones
    assert set(vouched_hashes(built)) == set(TABLE_NAMES)
    assert read_stored_view(built) is None


def test_a_view_stored_by_other_code_is_not_used(built):
    stored = json.loads((built / STORED_VIEW).read_text())
    stored["code"] = "0" * 64
    (built / STORED_VIEW).write_text(json.dumps(stored))
    assert read_stored_view(built) is None


def test_a_hand_edited_number_makes_the_stored_view_unusable(built):
    stored = json.loads((built / STORED_VIEW).read_text())
    stored["view"]["numbers"]["committed_usd_bn"] = 2000.0
    (built / STORED_VIEW).write_text(json.dumps(stored))
    assert read_stored_view(built) is None


@pytest.mark.parametrize("path, value", [(("numbers", "deals"), "many"), (("by_provider", "columns", "deals"), ["x"]),
                                         (("as_of",), 20260701), (("cover", "revenue_usd_bn"), None)])
def test_a_stored_view_of_the_wrong_shape_is_not_used(built, path, value):
    """Even with a checksum to match (as if written by other code), values of the wrong type are refused."""
    stored = json.loads((built / STORED_VIEW).read_text())
    del stored["checksum"]
    place = stored["view"]
    for key in path[:-1]:
        place = place[key]
    place[path[-1]] = value
    stored["checksum"] = _checksum(stored)
    (built / STORED_VIEW).write_text(json.dumps(stored))
    assert read_stored_view(built) is None


@pytest.mark.parametrize("damage", ["", "{not json", '{"tables": 3}', "[]"])
def test_a_missing_or_broken_stored_view_is_ignored(built, damage):
    (built / STORED_VIEW).write_text(damage)
    assert read_stored_view(built) is None
    (built / STORED_VIEW).unlink()
    assert read_stored_view(built) is None


def test_no_stored_view_without_a_manifest(built):
    (built / MANIFEST).unlink()
    assert read_stored_view(built) is None


def test_the_bundled_stored_view_is_current():
    """Fails when the data or the code that works the view out changed without `python -m compute_ledger build`:
    the app would still be right (it works the view out live), but its first page slower."""
    assert read_stored_view(REPO_DATA_DIR) is not None


def test_frames_round_trip_exactly_through_json():
    frame = pl.DataFrame({
        "name": ["a", None, "c"], "value": [0.1 + 0.2, None, 1e-300], "count": pl.Series([1, 2, 3], dtype=pl.UInt32),
        "year": [2024, None, 2026], "flag": [True, False, None], "day": [dt.date(1900, 1, 1), None, dt.date(2999, 12, 31)],
    })
    back = _frame_from_json(json.loads(json.dumps(_frame_to_json(frame))))
    assert_frame_equal(back, frame)  # exact: no tolerance
    assert back["value"][0] == 0.1 + 0.2


def test_a_frame_of_an_unstorable_type_is_refused():
    with pytest.raises(TypeError, match="Datetime"):
        _frame_to_json(pl.DataFrame({"t": [dt.datetime(2026, 1, 1)]}))
