"""A rerun with nothing changed must give every chart the same identity: Streamlit derives a chart's id from its
spec, and a new id drops the chart's click selection (click-to-filter) and redraws it. Row order that drifts
between runs (a group-by's output order, say) is the usual cause."""
from __future__ import annotations

import pytest

PAGES = ["pages/overview.py", "pages/diversification.py", "pages/commitments.py", "pages/capacity.py",
         "pages/gap.py", "pages/exposure.py"]


@pytest.mark.parametrize("page", PAGES)
def test_rerun_keeps_every_chart_id(open_app, page):
    at = open_app(page=page)
    first = [chart.proto.id for chart in at.get("plotly_chart")]
    at.run()
    assert not at.exception
    assert first and [chart.proto.id for chart in at.get("plotly_chart")] == first
