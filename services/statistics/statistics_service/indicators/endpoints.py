"""Public indicator endpoints: the catalogue and each indicator's series."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from shared.errors import FieldError, Problem
from shared.http import ServiceDep
from shared.i18n import negotiate_language
from statistics_service.facts import repository
from statistics_service.indicators.catalogue import CATALOGUE, DIMENSIONS, Indicator
from statistics_service.indicators.series import Period, build_points

router = APIRouter(tags=["indicators"])


@router.get("/indicators", summary="The catalogue of indicators")
async def list_indicators(request: Request) -> list[dict[str, Any]]:
    """Every indicator with its titles (kk, ru, en), unit, dimensions and source."""
    language = negotiate_language(request.headers.get("accept-language"))
    return [
        {**indicator.model_dump(), "title": indicator.titles[language]}
        for indicator in CATALOGUE.values()
    ]


def _indicator(indicator_id: str) -> Indicator:
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


@router.get("/indicators/{indicator_id}/series", summary="Values of an indicator")
async def series(
    indicator_id: str,
    service: ServiceDep,
    group_by: Annotated[list[str], Query(description="region, citizenship, category")] = [],  # noqa: B006
    period: Period = "day",
    from_: Annotated[date | None, Query(alias="from")] = None,
    to: date | None = None,
    region: str | None = None,
    citizenship: str | None = None,
    category: str | None = None,
) -> dict[str, Any]:
    """One point per period and combination of grouped dimensions; counts of 1–4 suppressed."""
    indicator = _indicator(indicator_id)
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
    async with service.db.transaction() as session:
        cells = await repository.cells(
            session, indicator.id, start=from_, end=to, filters=filters
        )
        newest = await repository.newest_event_at(session, indicator.id)
    freshness = None
    if newest is not None:
        if newest.tzinfo is None:
            newest = newest.replace(tzinfo=UTC)
        freshness = round(max((datetime.now(UTC) - newest).total_seconds(), 0.0), 3)
    return {
        "indicator": indicator.id,
        "period": period,
        "group_by": dimensions,
        "points": build_points(cells, period=period, group_by=dimensions),
        "freshness_seconds": freshness,
    }
