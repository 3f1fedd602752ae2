"""Open-data exports: every indicator series and every reference series as CSV."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from shared.errors import Problem, problem_response
from shared.http import ServiceDep
from statistics_service.indicators.endpoints import SeriesQueryDep, find_indicator
from statistics_service.indicators.service import read_series
from statistics_service.open_data.csv_export import reference_csv, series_csv
from statistics_service.reference.catalog import load_reference_catalog
from statistics_service.reference.endpoints import SERIES_NOT_FOUND

router = APIRouter(tags=["open data"])

CSV = "text/csv; charset=utf-8"


def _csv(body: str, filename: str, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body,
        media_type=CSV,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', **(headers or {})},
    )


@router.get(
    "/indicators/{indicator_id}/series.csv",
    summary="An indicator's series as CSV (open data)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def series_as_csv(indicator_id: str, service: ServiceDep, query: SeriesQueryDep) -> Response:
    """The same points as `/series` with the same parameters; suppressed values are empty."""
    indicator = find_indicator(indicator_id)
    async with service.db.transaction() as session:
        result = await read_series(session, indicator, query)
    headers = {}
    if result.freshness_seconds is not None:
        headers["X-Freshness-Seconds"] = str(result.freshness_seconds)
    return _csv(
        series_csv(result.points, query.group_by), f"{indicator.id}-{query.period}.csv", headers
    )


@router.get(
    "/reference/{series_id}.csv",
    summary="A reference series as CSV (open data)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def reference_as_csv(series_id: str, request: Request) -> Response:
    """Every value of the series with its unit, qualifier, quality flag and source quote."""
    catalog = load_reference_catalog()
    series = catalog.get(series_id)
    if series is None:
        return problem_response(
            request, Problem(404, SERIES_NOT_FOUND, params={"series_id": series_id})
        )
    return _csv(reference_csv(catalog, series), f"{series.id}.csv")
