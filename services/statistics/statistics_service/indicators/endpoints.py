"""Public indicator endpoints: the catalogue and each indicator's series."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request, Response

from shared.errors import FieldError, Problem
from shared.http import ServiceDep
from shared.i18n import negotiate_language
from shared.limits import rate_limit
from statistics_service.facts.projections import feeding
from statistics_service.indicators.catalogue import CATALOGUE, DIMENSIONS, Indicator
from statistics_service.indicators.series import Period, SeriesQuery, Window
from statistics_service.indicators.service import read_series

router = APIRouter(tags=["indicators"])


@router.get("/indicators", summary="The catalogue of indicators",
            dependencies=[rate_limit("public")])
async def list_indicators(request: Request) -> list[dict[str, Any]]:
    """Every indicator with its titles (kk, ru, en), unit, dimensions, source and feeding events."""
    language = negotiate_language(request.headers.get("accept-language"))
    return [
        {**indicator.model_dump(), "title": indicator.titles[language],
         "fed_by": feeding(indicator.id)}
        for indicator in CATALOGUE.values()
    ]


def find_indicator(indicator_id: str) -> Indicator:
    indicator = CATALOGUE.get(indicator_id)
    if indicator is None:
        raise Problem(404, "not_found")
    return indicator


def _group_by(raw: list[str]) -> list[str]:
    dimensions: list[str] = []
    for item in raw:
        for part in item.split(","):
            name = part.strip()
            if not name or name == "period" or name in dimensions:
                continue
            if name not in DIMENSIONS:
                raise Problem(
                    422, "validation", params={"count": 1},
                    errors=[FieldError("group_by", "choice",
                                       {"expected": ", ".join(("period", *DIMENSIONS))})],
                )
            dimensions.append(name)
    return dimensions


async def series_query(
    group_by: Annotated[list[str], Query(description="region, citizenship, category")] = [],  # noqa: B006
    period: Period = "day",
    from_: Annotated[
        date | None, Query(alias="from", description="Widened to the start of its period")
    ] = None,
    to: Annotated[date | None, Query(description="Widened to the end of its period")] = None,
    region: str | None = None,
    citizenship: str | None = None,
    category: str | None = None,
) -> SeriesQuery:
    """The parameters every series output (JSON, CSV) shares."""
    dimensions = _group_by(group_by)
    if from_ is not None and to is not None and to < from_:
        raise Problem(422, "validation", params={"count": 1},
                      errors=[FieldError("to", "date_order", {"after": from_.isoformat()})])
    filters = {
        name: value
        for name, value in (("region", region), ("citizenship", citizenship),
                            ("category", category))
        if value
    }
    return SeriesQuery(period=period, group_by=tuple(dimensions), filters=filters,
                       window=Window.of(from_, to, period))


SeriesQueryDep = Annotated[SeriesQuery, Depends(series_query)]


@router.get("/indicators/{indicator_id}/series", summary="Values of an indicator",
            dependencies=[rate_limit("public")], response_model=dict[str, Any])
async def series(indicator_id: str, service: ServiceDep, query: SeriesQueryDep) -> Response:
    """One point per period and combination of grouped dimensions; small counts suppressed."""
    indicator = find_indicator(indicator_id)
    async with service.db.transaction() as session:
        result = await read_series(session, indicator, query)
    window = query.window
    # Serialised here: a long series is thousands of points, which FastAPI's encoder would walk
    # through one by one.
    return Response(orjson.dumps({
        "indicator": indicator.id,
        "period": query.period,
        "group_by": list(query.group_by),
        "from": window.start.isoformat() if window.start else None,
        "to": window.end.isoformat() if window.end else None,
        "points": result.points,
        "freshness_seconds": result.freshness_seconds,
    }), media_type="application/json")
