"""Forecasts with their back-tested error: fit on all but the last points, forecast those, compare;
then fit on everything and forecast ahead."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from statistics_service.forecasts.smoothing import Fit, best_fit

# Fewer points than this and a trend is noise: monthly series need half a year to fit on (plus
# the held-out months), yearly series three years.
MIN_FIT_POINTS = {"month": 6, "year": 3}
SEASON = {"month": 12, "year": None}
# An approximate 95% band: the one-step error grown with the square root of the horizon.
BAND_Z = 1.96


class SeriesTooShort(ValueError):
    def __init__(self, points: int, minimum: int) -> None:
        super().__init__(f"{points} points; at least {minimum} needed")
        self.points = points
        self.minimum = minimum


@dataclass(frozen=True)
class Backtest:
    held_out: int
    actual: list[float]
    predicted: list[float]
    mae: float
    mape: float | None  # percent; None when every held-out value is 0


@dataclass(frozen=True)
class Forecast:
    fit: Fit
    values: list[float]
    lower: list[float]
    upper: list[float]
    backtest: Backtest


def minimum_points(frequency: str) -> int:
    """Points needed: the fitting minimum plus one held out for the back-test."""
    return MIN_FIT_POINTS[frequency] + 1


def _fit(series: Sequence[float], frequency: str) -> Fit:
    season = SEASON[frequency]
    if season and len(series) >= 2 * season + 1:
        return best_fit(series, season)
    return best_fit(series, None)


def backtest(series: Sequence[float], frequency: str, horizon: int) -> Backtest:
    held_out = max(1, min(horizon, len(series) - MIN_FIT_POINTS[frequency]))
    training, actual = list(series[:-held_out]), list(series[-held_out:])
    predicted = [max(0.0, v) for v in _fit(training, frequency).forecast(held_out)]
    errors = [abs(a - p) for a, p in zip(actual, predicted, strict=True)]
    relative = [abs(a - p) / abs(a) for a, p in zip(actual, predicted, strict=True) if a != 0]
    return Backtest(
        held_out=held_out,
        actual=actual,
        predicted=predicted,
        mae=sum(errors) / len(errors),
        mape=100 * sum(relative) / len(relative) if relative else None,
    )


def forecast(series: Sequence[float], frequency: str, horizon: int) -> Forecast:
    """Counts cannot be negative, so forecasts and bands stop at 0."""
    if len(series) < minimum_points(frequency):
        raise SeriesTooShort(len(series), minimum_points(frequency))
    tested = backtest(series, frequency, horizon)
    fit = _fit(series, frequency)
    values = fit.forecast(horizon)
    spread = [BAND_Z * fit.rmse * (h ** 0.5) for h in range(1, horizon + 1)]
    return Forecast(
        fit=fit,
        values=[max(0.0, v) for v in values],
        lower=[max(0.0, v - s) for v, s in zip(values, spread, strict=True)],
        upper=[max(0.0, v + s) for v, s in zip(values, spread, strict=True)],
        backtest=tested,
    )
