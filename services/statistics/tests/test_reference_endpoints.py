"""The reference endpoints through HTTP, on a bare FastAPI app that includes only their router."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from statistics_service.reference import catalog as catalog_module
from statistics_service.reference.catalog import load_reference_catalog
from statistics_service.reference.endpoints import router

SOURCES = Path(catalog_module.__file__).parent / "sources"
PROBLEM_JSON = "application/problem+json"


@pytest.fixture
async def client() -> AsyncIterator[AsyncClient]:
    app = FastAPI()
    app.include_router(router)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as http:
        yield http


async def test_the_catalogue_lists_every_series(client: AsyncClient) -> None:
    response = await client.get("/reference", params={"limit": 500})
    assert response.status_code == 200
    body = response.json()
    catalog = load_reference_catalog()
    assert body["count"] == len(catalog.series)
    assert [item["id"] for item in body["series"]] == [series.id for series in catalog.series]
    assert body["next_cursor"] is None
    kandas = next(item for item in body["series"] if item["id"] == "kandas-arrivals")
    assert kandas["titles"]["kk"] == "Елге келген қандастар"
    assert set(kandas["titles"]) == {"kk", "ru", "en"}
    assert kandas["title"] == kandas["titles"]["en"]
    assert kandas["unit"]["id"] == "persons"
    assert [d["id"] for d in kandas["dimensions"]] == ["origin_country"]
    assert kandas["value_count"] == 4
    assert [s["seed"] for s in kandas["sources"]] == ["001_185f7a4f329f674c.txt"]
    assert kandas["sources"][0]["values"] == 4
    assert kandas["quality"] == {"ok": 4, "inconsistent": 0, "unclear": 0}
    seeds = {source["seed"][:3] for item in body["series"] for source in item["sources"]}
    assert seeds == {"000", "001", "002", "003", "004"}


async def test_accept_language_picks_the_title(client: AsyncClient) -> None:
    response = await client.get(
        "/reference", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}
    )
    assert response.headers["content-language"] == "ru"
    body = response.json()
    assert body["language"] == "ru"
    permits = next(item for item in body["series"] if item["id"] == "labour-immigrant-permits")
    assert permits["title"] == permits["titles"]["ru"]
    assert permits["unit"]["title"] == "человек"
    assert permits["titles"]["kk"] and permits["titles"]["en"]


async def test_the_catalogue_pages_with_a_cursor(client: AsyncClient) -> None:
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 7}
        if cursor is not None:
            params["cursor"] = cursor
        body = (await client.get("/reference", params=params)).json()
        assert len(body["series"]) <= 7
        seen.extend(item["id"] for item in body["series"])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [series.id for series in load_reference_catalog().series]


async def test_a_series_returns_its_values_with_sources(client: AsyncClient) -> None:
    response = await client.get(
        "/reference/labour-immigrant-permits", headers={"Accept-Language": "kk"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "labour-immigrant-permits"
    assert body["title"] == body["titles"]["kk"]
    by_year = {value["period"]: value for value in body["values"]}
    assert {year: value["value"] for year, value in by_year.items()} == {
        "2015": 141_000,
        "2019": 532_000,
        "2021": 325_000,
    }
    for value in body["values"]:
        source = value["source"]
        text = (SOURCES / source["seed"]).read_bytes().decode("utf-8")
        assert text[source["offset"] : source["offset"] + len(source["quote"])] == source["quote"]
        assert source["seed"] == "001_185f7a4f329f674c.txt"
        assert source["document_title"]
        assert value["unit"]["id"] == "persons"
    assert by_year["2019"]["quality"] == {"flag": "ok", "reason": None}
    assert by_year["2021"]["quality"]["flag"] == "inconsistent"
    assert "532" in by_year["2021"]["quality"]["reason"]


async def test_values_can_be_filtered_by_dimension_year_and_quality(client: AsyncClient) -> None:
    url = "/reference/kazakhstani-labour-migrants-abroad"
    russia_2020 = (await client.get(url, params={"destination_country": "RUS", "year": 2020}))
    values = russia_2020.json()["values"]
    assert sorted(value["value"] for value in values) == [25_000, 111_500]
    assert russia_2020.json()["value_count"] == 9

    ok = (await client.get(url, params={"quality": "ok", "destination_country": "RUS"})).json()
    assert [(value["period"], value["value"]) for value in ok["values"]] == [("2012", 34_100)]

    both = await client.get(url, params={"destination_country": "GRC,TUR", "period": "2020"})
    assert {v["dimensions"]["destination_country"] for v in both.json()["values"]} == {
        "GRC",
        "TUR",
    }

    ranges = (await client.get("/reference/net-migration-per-1000", params={"year": 1975})).json()
    assert [(v["period"], v["value"]) for v in ranges["values"]] == [("1970-1979", -5)]


async def test_a_range_keeps_its_upper_end_and_qualifier(client: AsyncClient) -> None:
    body = (await client.get("/reference/irregular-labour-migrants-estimate")).json()
    (value,) = body["values"]
    assert (value["value"], value["value_max"], value["qualifier"]) == (300_000, 400_000, "range")
    assert value["period"] is None
    assert value["period_note"]


async def test_an_unknown_series_is_a_404_problem(client: AsyncClient) -> None:
    response = await client.get("/reference/no-such-series", headers={"Accept-Language": "kk"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    problem = response.json()
    assert problem["status"] == 404
    assert problem["type"].endswith("reference_series_not_found")
    assert problem["title"] == "Анықтамалық қатар табылмады"
    assert "no-such-series" in problem["detail"]

    english = (await client.get("/reference/no-such-series")).json()
    assert english["title"] == "Reference series not found"


async def test_a_filter_the_series_does_not_have_is_a_422_problem(client: AsyncClient) -> None:
    response = await client.get(
        "/reference/kandas-arrivals", params={"sector": "mining", "quality": "good"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    problem = response.json()
    assert {error["field"] for error in problem["errors"]} == {"sector", "quality"}
    assert {"type", "title", "status", "detail"} <= set(problem)


async def test_an_unknown_cursor_is_a_422_problem(client: AsyncClient) -> None:
    response = await client.get("/reference", params={"cursor": "no-such-series"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    assert response.json()["errors"][0]["field"] == "cursor"


async def test_the_openapi_document_describes_both_paths(client: AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert set(paths) == {"/reference", "/reference/{series_id}"}
    responses = paths["/reference/{series_id}"]["get"]["responses"]
    assert PROBLEM_JSON in responses["404"]["content"]
