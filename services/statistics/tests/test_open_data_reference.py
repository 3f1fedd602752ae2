"""Every reference series as CSV: one row per value, the same figures as the JSON."""

from __future__ import annotations

import csv
import io

import httpx

from statistics_service.reference.catalog import load_reference_catalog


async def test_every_reference_series_exports_as_csv(client: httpx.AsyncClient) -> None:
    catalog = load_reference_catalog()
    for series in catalog.series:
        response = await client.get(f"/api/v1/reference/{series.id}.csv")
        assert response.status_code == 200, series.id
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert len(rows) == len(series.values), series.id
        for row, value in zip(rows, series.values, strict=True):
            assert float(row["value"]) == value.value
            assert row["source_quote"] == value.source.quote
            assert row["quality"] == value.quality.flag.value
            for dimension in series.dimensions:
                assert row[dimension] == (value.dimensions.get(dimension) or "")


async def test_an_unknown_reference_series_has_no_csv(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/reference/no-such-series.csv")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
