"""Forecasts through HTTP: monthly indicators and yearly reference series, with their back-test."""

from __future__ import annotations

from datetime import date

import httpx

from shared.service import Service
from statistics_service.reference.catalog import load_reference_catalog

from .events import arrival_records, feed


def months(first: date, count: int) -> list[date]:
    return [date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 15)
            for i in range(count)]


async def test_a_monthly_indicator_is_forecast_with_its_backtest(
    client: httpx.AsyncClient, service: Service
) -> None:
    counts = [20 + 2 * i + (6 if i % 12 in (5, 6, 7) else 0) for i in range(14)]
    records = []
    for day, count in zip(months(date(2024, 1, 1), 14), counts, strict=True):
        records += arrival_records(count, notified_on=day)
    await feed(service, records)

    response = await client.get("/api/v1/indicators/arrivals/forecast",
                                params={"horizon": 4, "to": "2025-02-28"})

    assert response.status_code == 200, response.text
    body = response.json()
    assert [p["value"] for p in body["history"]] == counts
    assert [p["period"] for p in body["forecast"]] == ["2025-03", "2025-04", "2025-05", "2025-06"]
    assert body["method"] == "holt"  # under two years: no seasonal model
    backtest = body["backtest"]
    assert backtest["actual"] == counts[-backtest["held_out"]:]
    errors = [abs(a - p) for a, p in zip(backtest["actual"], backtest["predicted"], strict=True)]
    # The predictions are shown rounded to 0.1, the error to 0.01.
    assert abs(backtest["mae"] - sum(errors) / len(errors)) < 0.06
    for point in body["forecast"]:
        assert point["lower"] <= point["value"] <= point["upper"]
    assert body["forecast"][0]["value"] > counts[0]


async def test_a_short_series_answers_a_problem(
    client: httpx.AsyncClient, service: Service
) -> None:
    await feed(service, arrival_records(9, notified_on=date(2025, 1, 10)))

    response = await client.get("/api/v1/indicators/arrivals/forecast",
                                params={"to": "2025-03-31"}, headers={"Accept-Language": "en"})

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"].endswith("forecast_series_too_short")
    assert "3 points" in problem["detail"] and "7" in problem["detail"]


async def test_reference_series_are_forecast_from_their_yearly_values(
    client: httpx.AsyncClient,
) -> None:
    catalog = load_reference_catalog()
    for series_id in ("kandas-arrivals", "labour-immigrant-permits"):
        response = await client.get(f"/api/v1/reference/{series_id}/forecast",
                                    params={"horizon": 2})
        assert response.status_code == 200, response.text
        body = response.json()
        series = catalog.get(series_id)
        assert series is not None
        stated = {v.period: v.value for v in series.values
                  if v.dimensions.get("origin_country", "total") == "total"
                  and v.period and len(v.period) == 4}
        for point in body["history"]:
            if not point.get("interpolated"):
                assert point["value"] == stated[point["period"]]
        last_year = int(body["history"][-1]["period"])
        assert [p["period"] for p in body["forecast"]] == [str(last_year + 1),
                                                           str(last_year + 2)]
        assert body["backtest"]["held_out"] >= 1
        assert body["backtest"]["mae"] >= 0


async def test_reference_forecasts_refuse_what_they_cannot_do(client: httpx.AsyncClient) -> None:
    missing = await client.get("/api/v1/reference/no-such-series/forecast")
    assert missing.status_code == 404
    not_yearly = await client.get("/api/v1/reference/refugees/forecast",
                                  params={"citizenship": "AFG"})
    assert not_yearly.status_code == 422
    assert not_yearly.json()["type"].endswith("forecast_reference_not_yearly")
