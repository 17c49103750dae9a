"""ui.figure: a chart is rebuilt when what it shows changes, and only then."""
import plotly.graph_objects as go
import polars as pl

from compute_ledger import ui

BUILT: list[pl.DataFrame] = []


def bars(frame: pl.DataFrame, title: str) -> go.Figure:
    BUILT.append(frame)
    return go.Figure(go.Bar(x=frame["name"].to_list(), y=frame["value"].to_list()), layout={"title": title})


def test_same_numbers_reuse_the_figure_and_changed_ones_rebuild_it():
    BUILT.clear()
    frame = pl.DataFrame({"name": ["AWS", "Oracle"], "value": [38.0, 300.0]})
    first = ui.figure(bars, frame, title="t")
    # The same rows arriving in two chunks, and sums differing in the last bits (Polars adds floats in parallel).
    chunked = pl.concat([frame.head(1), frame.tail(1)], rechunk=False)
    noisy = frame.with_columns(pl.col("value") + 1e-12)
    assert ui.figure(bars, chunked, title="t").to_dict() == first.to_dict()
    assert ui.figure(bars, noisy, title="t").to_dict() == first.to_dict()
    assert len(BUILT) == 1

    ui.figure(bars, frame.with_columns(pl.col("value") + 0.5), title="t")  # a changed number
    ui.figure(bars, frame.reverse(), title="t")  # a changed order
    ui.figure(bars, frame, title="other")  # a changed keyword argument
    assert len(BUILT) == 4
