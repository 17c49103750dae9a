"""The sites map draws its base map from this app, never from a CDN."""
from __future__ import annotations

import json
import urllib.request

import pytest

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser


def test_base_map_file_is_served_locally(server):
    with urllib.request.urlopen(f"{server.url}/app/static/topojson/world_110m.json", timeout=10) as response:
        assert response.status == 200
        topology = json.loads(response.read())
    assert topology["type"] == "Topology" and "land" in topology["objects"]


def test_map_draws_with_outside_requests_blocked(server, laptop):
    outside = []

    def block_outside(route):
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    laptop.route("**/*", block_outside)
    laptop.goto(f"{server.url}/capacity")
    wait_for_app(laptop, charts=4)
    land = laptop.locator('[data-testid="stPlotlyChart"] .geo .layer.land path')
    land.first.wait_for(timeout=20_000)
    assert land.count() >= 1
    # The sites are drawn after the land: wait for the count asserted, not for the first point.
    laptop.wait_for_function(
        "document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .geo .scattergeo path.point').length >= 10",
        timeout=20_000)
    assert not [u for u in outside if "topojson" in u or "cdn.plot.ly" in u]
