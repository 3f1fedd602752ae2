"""The freshness metric on /metrics, and the dashboard's page and files over HTTP."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import httpx

from shared.service import Service
from statistics_service.freshness.metrics import refresh

from .events import arrival_envelope, feed


async def test_freshness_is_a_prometheus_metric_per_indicator(
    client: httpx.AsyncClient, service: Service
) -> None:
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    envelope = arrival_envelope(notified_on=date(2025, 6, 1), late=True, at=an_hour_ago)
    await feed(service, [envelope.to_record("koshqon.registration.arrivals")])
    await refresh(service)

    metrics = (await client.get("/metrics")).text

    seconds = {
        match.group(1): float(match.group(2))
        for match in re.finditer(
            r'^statistics_freshness_seconds\{indicator="([^"]+)"\} (\S+)$', metrics, re.M)
    }
    assert set(seconds) == {"arrivals", "arrivals-late"}
    assert 3600 <= seconds["arrivals"] < 3600 + 120
    series = (await client.get("/api/v1/indicators/arrivals/series")).json()
    assert abs(series["freshness_seconds"] - seconds["arrivals"]) < 120


async def test_the_dashboard_is_served_with_everything_it_needs(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    # Nothing from the internet: every script and stylesheet is the service's own.
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not re.match(r"(?:https?:)?//", url), url
    assert '"750000000"' in html  # region names for the charts, in the page
    for asset, kind in (("dashboard.js", "javascript"), ("dashboard.css", "css")):
        response = await client.get(f"/dashboard/{asset}")
        assert response.status_code == 200
        assert kind in response.headers["content-type"]
        assert "http://" not in response.text.replace("http://www.w3.org/2000/svg", "")
    assert (await client.get("/dashboard/secrets.txt")).status_code == 404
