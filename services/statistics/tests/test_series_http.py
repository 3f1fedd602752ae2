"""Series and their CSV export through HTTP: suppression, complementary suppression, windows."""

from __future__ import annotations

import csv
import io
from datetime import date

import httpx

from shared.service import Service

from .events import arrival_records, feed

ALMATY, ASTANA, SHYMKENT = "750000000", "710000000", "790000000"
DAY = date(2025, 3, 10)


async def test_a_lone_small_region_takes_the_next_smallest_with_it(
    client: httpx.AsyncClient, service: Service
) -> None:
    await feed(service, [
        *arrival_records(3, notified_on=DAY, region=ALMATY),
        *arrival_records(9, notified_on=DAY, region=ASTANA),
        *arrival_records(30, notified_on=DAY, region=SHYMKENT),
    ])

    total = await client.get("/api/v1/indicators/arrivals/series", params={"period": "year"})
    by_region = await client.get(
        "/api/v1/indicators/arrivals/series", params={"period": "year", "group_by": "region"}
    )

    assert total.json()["points"] == [{"period": "2025", "value": 42}]
    points = {p["region"]: p for p in by_region.json()["points"]}
    assert points[ALMATY] == {"period": "2025", "region": ALMATY, "value": None,
                              "suppressed": True}
    # With the total published, Astana's 9 would give Almaty's 3 away: it is hidden too.
    assert points[ASTANA]["suppressed"] is True
    assert points[SHYMKENT]["value"] == 30
    published = sum(p["value"] for p in points.values() if p["value"] is not None)
    assert total.json()["points"][0]["value"] - published >= 2 * 5 - 1


async def test_a_filtered_query_hides_what_the_grouped_one_hides(
    client: httpx.AsyncClient, service: Service
) -> None:
    await feed(service, [
        *arrival_records(3, notified_on=DAY, region=ALMATY, citizenship="UZB"),
        *arrival_records(8, notified_on=DAY, region=ALMATY, citizenship="RUS"),
        *arrival_records(40, notified_on=DAY, region=ALMATY, citizenship="CHN"),
        *arrival_records(20, notified_on=DAY, region=ASTANA, citizenship="UZB"),
    ])
    grouped = await client.get("/api/v1/indicators/arrivals/series", params={
        "period": "month", "group_by": "region,citizenship"})
    filtered = await client.get("/api/v1/indicators/arrivals/series", params={
        "period": "month", "group_by": "citizenship", "region": ALMATY})

    in_grouped = {p["citizenship"]: p["value"] for p in grouped.json()["points"]
                  if p["region"] == ALMATY}
    in_filtered = {p["citizenship"]: p["value"] for p in filtered.json()["points"]}
    assert in_filtered == in_grouped
    assert in_filtered["UZB"] is None


async def test_the_window_is_widened_to_whole_periods(
    client: httpx.AsyncClient, service: Service
) -> None:
    await feed(service, [
        *arrival_records(6, notified_on=date(2025, 1, 2), region=ASTANA),
        *arrival_records(7, notified_on=date(2025, 1, 30), region=ASTANA),
        *arrival_records(8, notified_on=date(2025, 2, 1), region=ASTANA),
    ])
    response = await client.get("/api/v1/indicators/arrivals/series", params={
        "period": "month", "from": "2025-01-15", "to": "2025-01-20"})

    body = response.json()
    assert (body["from"], body["to"]) == ("2025-01-01", "2025-01-31")
    assert body["points"] == [{"period": "2025-01", "value": 13}]
    assert body["freshness_seconds"] is not None


async def test_the_csv_has_the_same_points_as_the_json(
    client: httpx.AsyncClient, service: Service
) -> None:
    await feed(service, [
        *arrival_records(2, notified_on=DAY, region=ALMATY, purpose="work"),
        *arrival_records(11, notified_on=DAY, region=ASTANA, purpose="work"),
        *arrival_records(25, notified_on=DAY, region=SHYMKENT, purpose="tourism"),
    ])
    params = {"period": "quarter", "group_by": ["region", "category"]}
    answer = await client.get("/api/v1/indicators/arrivals/series", params=params)
    export = await client.get("/api/v1/indicators/arrivals/series.csv", params=params)

    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    assert "attachment" in export.headers["content-disposition"]
    assert export.text.splitlines()[0] == "period,region,category,value,suppressed"
    rows = list(csv.DictReader(io.StringIO(export.text)))
    as_json = [
        {"period": p["period"], "region": p["region"], "category": p["category"],
         "value": "" if p["value"] is None else str(p["value"]),
         "suppressed": "true" if p.get("suppressed") else "false"}
        for p in answer.json()["points"]
    ]
    assert rows == as_json
    assert any(row["suppressed"] == "true" and row["value"] == "" for row in rows)


async def test_indicators_without_events_have_empty_series(client: httpx.AsyncClient) -> None:
    for path in ("series", "series.csv"):
        response = await client.get(f"/api/v1/indicators/quota-used/{path}",
                                    params={"period": "year", "group_by": "region"})
        assert response.status_code == 200
    assert (await client.get("/api/v1/indicators/quota-used/series")).json()["points"] == []


async def test_the_catalogue_says_which_events_feed_each_indicator(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/api/v1/indicators", headers={"Accept-Language": "ru"})

    catalogue = {i["id"]: i for i in response.json()}
    assert catalogue["arrivals"]["fed_by"] == ["kz.koshqon.registration.arrival.notified.v1"]
    assert catalogue["quota-used"]["fed_by"] == [
        "kz.koshqon.permits.work-permit.issued.v1",
        "kz.koshqon.permits.labour-immigrant-permit.issued.v1",
    ]
    assert all(indicator["fed_by"] for indicator in catalogue.values())
    assert catalogue["arrivals"]["title"] == catalogue["arrivals"]["titles"]["ru"]


async def test_unknown_indicators_and_bad_parameters_are_problems(
    client: httpx.AsyncClient,
) -> None:
    missing = await client.get("/api/v1/indicators/nope/series.csv")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    bad = await client.get("/api/v1/indicators/arrivals/series.csv",
                           params={"group_by": "passport"})
    assert bad.status_code == 422
    backwards = await client.get("/api/v1/indicators/arrivals/series",
                                 params={"from": "2025-02-01", "to": "2025-01-01"})
    assert backwards.status_code == 422
