"""Forecasts of monthly indicators and of yearly reference series, with back-tested error."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from shared import clock
from shared.errors import Problem
from shared.http import ServiceDep
from statistics_service.disclosure.periods import months_between, period_end
from statistics_service.forecasts.service import (
    MIN_FIT_POINTS,
    Forecast,
    SeriesTooShort,
    forecast,
)
from statistics_service.indicators.endpoints import find_indicator
from statistics_service.indicators.series import SeriesQuery, Window
from statistics_service.indicators.service import read_series
from statistics_service.messages import FORECAST_NOT_YEARLY, FORECAST_TOO_SHORT
from statistics_service.reference.catalog import QualityFlag, load_reference_catalog
from statistics_service.reference.endpoints import SERIES_NOT_FOUND

router = APIRouter(tags=["forecasts"])

Horizon = Annotated[int, Query(ge=1, le=24, description="Periods to forecast")]


def _too_short(error: SeriesTooShort, frequency: str) -> Problem:
    return Problem(422, FORECAST_TOO_SHORT, params={
        "points": error.points, "minimum": error.minimum, "frequency": frequency})


def _answer(result: Forecast, future: list[str]) -> dict[str, Any]:
    fit, tested = result.fit, result.backtest
    return {
        "method": fit.method,
        "parameters": {"alpha": fit.alpha, "beta": fit.beta, "gamma": fit.gamma,
                       "season_length": fit.season_length},
        "forecast": [
            {"period": period, "value": round(value, 1), "lower": round(low, 1),
             "upper": round(high, 1)}
            for period, value, low, high in zip(
                future, result.values, result.lower, result.upper, strict=True)
        ],
        "backtest": {
            "held_out": tested.held_out,
            "actual": tested.actual,
            "predicted": [round(v, 1) for v in tested.predicted],
            "mae": round(tested.mae, 2),
            "mape": None if tested.mape is None else round(tested.mape, 2),
        },
    }


def _month_label(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months_after(end: date, count: int) -> list[str]:
    labels: list[str] = []
    month = end
    for _ in range(count):
        month = period_end(month, "month") + timedelta(days=1)
        labels.append(_month_label(month))
    return labels


def _fill_suppressed(values: list[float | None]) -> list[float]:
    """Suppressed months (None) take the straight line between the nearest published ones."""
    known = [i for i, v in enumerate(values) if v is not None]
    filled: list[float] = []
    for i, value in enumerate(values):
        if value is not None:
            filled.append(value)
            continue
        before = max((k for k in known if k < i), default=None)
        after = min((k for k in known if k > i), default=None)
        if before is None and after is None:
            filled.append(0.0)
        elif before is None or after is None:
            filled.append(float(values[after if before is None else before]))  # type: ignore[index, arg-type]
        else:
            low, high = float(values[before]), float(values[after])  # type: ignore[arg-type]
            filled.append(low + (high - low) * (i - before) / (after - before))
    return filled


@router.get("/indicators/{indicator_id}/forecast", summary="Monthly forecast of an indicator")
async def indicator_forecast(
    indicator_id: str,
    service: ServiceDep,
    horizon: Horizon = 6,
    from_: Annotated[date | None, Query(alias="from")] = None,
    to: Annotated[date | None, Query(description="Last month used; default: last full month")]
    = None,
    region: str | None = None,
    citizenship: str | None = None,
    category: str | None = None,
) -> dict[str, Any]:
    """Holt-Winters (or Holt's trend when under two years) on the published monthly totals."""
    indicator = find_indicator(indicator_id)
    end = to or (clock.today().replace(day=1) - timedelta(days=1))
    filters = {k: v for k, v in (("region", region), ("citizenship", citizenship),
                                  ("category", category)) if v}
    query = SeriesQuery(period="month", filters=filters, window=Window.of(from_, end, "month"))
    async with service.db.transaction() as session:
        result = await read_series(session, indicator, query)
    published = {p["period"]: p["value"] for p in result.points}
    history: list[dict[str, Any]] = []
    values: list[float | None] = []
    if result.points:
        first = from_ or date.fromisoformat(result.points[0]["period"] + "-01")
        for month in months_between(first, end):
            label = _month_label(month)
            value = published.get(label, 0)  # a month with no point had no event
            history.append({"period": label, "value": value,
                            **({"suppressed": True} if value is None else {})})
            values.append(None if value is None else float(value))
    try:
        outcome = forecast(_fill_suppressed(values), "month", horizon)
    except SeriesTooShort as error:
        raise _too_short(error, "month") from error
    future = _months_after(end, horizon)
    return {
        "indicator": indicator.id,
        "period": "month",
        "filters": filters,
        "history": history,
        **_answer(outcome, future),
        "freshness_seconds": result.freshness_seconds,
    }


@router.get("/reference/{series_id}/forecast", summary="Yearly forecast of a reference series")
async def reference_forecast(
    series_id: str, request: Request, horizon: Annotated[int, Query(ge=1, le=10)] = 3
) -> dict[str, Any]:
    """Holt's trend on the series' yearly values; years the documents skip are interpolated.

    Choose a dimension's value with a query parameter named after it (default: `total`).
    """
    catalog = load_reference_catalog()
    series = catalog.get(series_id)
    if series is None:
        raise Problem(404, SERIES_NOT_FOUND, params={"series_id": series_id})
    chosen = {d: request.query_params.get(d, "total") for d in series.dimensions}
    yearly: dict[int, float] = {}
    candidates = [
        value for value in series.values
        if value.period is not None and re.fullmatch(r"\d{4}", value.period)
        and all(value.dimensions.get(d) == v for d, v in chosen.items())
    ]
    # Where two passages give the same year, a consistent one wins over a flagged one, then the
    # first in the catalogue.
    candidates.sort(key=lambda value: value.quality.flag is not QualityFlag.OK)
    for value in candidates:
        yearly.setdefault(int(str(value.period)), float(value.value))
    if not yearly:
        raise Problem(422, FORECAST_NOT_YEARLY, params={"series_id": series_id})
    years = list(range(min(yearly), max(yearly) + 1))
    observed: list[float | None] = [yearly.get(y) for y in years]
    filled = _fill_suppressed(observed)
    try:
        # Interpolated years help the fit but do not count towards the minimum.
        if len(yearly) < MIN_FIT_POINTS["year"]:
            raise SeriesTooShort(len(yearly), MIN_FIT_POINTS["year"])
        outcome = forecast(filled, "year", horizon)
    except SeriesTooShort as error:
        raise _too_short(error, "year") from error
    return {
        "series": series.id,
        "period": "year",
        "dimensions": chosen,
        "unit": series.unit,
        "history": [
            {"period": str(y), "value": round(v, 1),
             **({"interpolated": True} if y not in yearly else {})}
            for y, v in zip(years, filled, strict=True)
        ],
        **_answer(outcome, [str(max(years) + h) for h in range(1, horizon + 1)]),
    }
