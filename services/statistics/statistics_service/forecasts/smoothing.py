"""Exponential smoothing: Holt's linear trend and additive Holt-Winters, fitted by grid search.

Small and dependency-free on purpose: the series are short (months or years), and a grid over the
smoothing constants minimising the one-step-ahead squared error is as good as an optimiser here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

GRID = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


@dataclass(frozen=True)
class Fit:
    method: str  # "holt" or "holt-winters-additive"
    alpha: float
    beta: float
    gamma: float | None
    season_length: int | None
    level: float
    trend: float
    seasonals: tuple[float, ...]
    sse: float
    steps: int  # one-step errors counted in sse

    @property
    def rmse(self) -> float:
        return math.sqrt(self.sse / self.steps) if self.steps else 0.0

    def forecast(self, horizon: int) -> list[float]:
        values = []
        for h in range(1, horizon + 1):
            value = self.level + h * self.trend
            if self.season_length:
                # seasonals[0] is the season of the next period after the data.
                value += self.seasonals[(h - 1) % self.season_length]
            values.append(value)
        return values


def holt(series: Sequence[float], alpha: float, beta: float) -> Fit:
    """Holt's linear trend: level and slope, each smoothed."""
    level, trend = series[0], series[1] - series[0]
    sse = 0.0
    for value in series[1:]:
        predicted = level + trend
        sse += (value - predicted) ** 2
        previous = level
        level = alpha * value + (1 - alpha) * (level + trend)
        trend = beta * (level - previous) + (1 - beta) * trend
    return Fit("holt", alpha, beta, None, None, level, trend, (), sse, len(series) - 1)


def holt_winters(series: Sequence[float], season: int, alpha: float, beta: float,
                 gamma: float) -> Fit:
    """Additive Holt-Winters, started from the first two seasons' means.

    The trend is the change between the two seasons' means; the seasonal effects are the first
    season's values less that trend line; the level starts one period before the first value.
    """
    first = sum(series[:season]) / season
    second = sum(series[season : 2 * season]) / season
    trend = (second - first) / season
    middle = (season - 1) / 2
    level = first - (middle + 1) * trend
    seasonals = [series[i] - (first + (i - middle) * trend) for i in range(season)]
    sse = 0.0
    for t, value in enumerate(series):
        seasonal = seasonals[t % season]
        predicted = level + trend + seasonal
        sse += (value - predicted) ** 2
        previous = level
        level = alpha * (value - seasonal) + (1 - alpha) * (level + trend)
        trend = beta * (level - previous) + (1 - beta) * trend
        seasonals[t % season] = gamma * (value - level) + (1 - gamma) * seasonal
    start = len(series) % season
    ordered = tuple(seasonals[(start + i) % season] for i in range(season))
    return Fit("holt-winters-additive", alpha, beta, gamma, season, level, trend, ordered, sse,
               len(series))


def best_fit(series: Sequence[float], season: int | None) -> Fit:
    """The fit with the least one-step squared error over the grid (seasonal when `season`)."""
    fits: list[Fit]
    if season:
        fits = [holt_winters(series, season, a, b, g) for a, b, g in product(GRID, GRID, GRID)]
    else:
        fits = [holt(series, a, b) for a, b in product(GRID, GRID)]
    return min(fits, key=lambda fit: (fit.sse, fit.alpha, fit.beta, fit.gamma or 0))
