"""Exponential smoothing and the back-test, on series whose future is known."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statistics_service.forecasts.service import SeriesTooShort, backtest, forecast
from statistics_service.forecasts.smoothing import best_fit, holt, holt_winters


def test_holt_continues_a_straight_line() -> None:
    line = [10.0 + 3 * t for t in range(12)]
    fit = best_fit(line, None)
    assert fit.forecast(3) == pytest.approx([46.0, 49.0, 52.0])
    assert fit.sse == pytest.approx(0.0)


def test_holt_winters_continues_trend_and_season() -> None:
    season = [5, 3, 0, -2, -4, -6, -5, -2, 0, 2, 4, 5]
    series = [100 + 0.5 * t + season[t % 12] for t in range(36)]
    fit = best_fit(series, 12)
    expected = [100 + 0.5 * t + season[t % 12] for t in range(36, 42)]
    assert fit.method == "holt-winters-additive"
    assert fit.forecast(6) == pytest.approx(expected, abs=0.5)


@settings(max_examples=50, deadline=None)
@given(st.floats(0, 1e5), st.integers(8, 30))
def test_a_constant_series_forecasts_itself(level: float, length: int) -> None:
    result = forecast([level] * length, "month", 4)
    assert result.values == pytest.approx([level] * 4, abs=1e-6 * max(1.0, level))
    assert result.backtest.mae == pytest.approx(0.0, abs=1e-6 * max(1.0, level))


def test_the_backtest_compares_held_out_points_with_a_fit_on_the_rest() -> None:
    series = [20.0, 22, 25, 24, 28, 30, 33, 31, 36, 40]
    tested = backtest(series, "month", 3)
    training = series[:-3]
    predicted = [max(0.0, v) for v in best_fit(training, None).forecast(3)]
    assert tested.actual == series[-3:]
    assert tested.predicted == pytest.approx(predicted)
    errors = [abs(a - p) for a, p in zip(series[-3:], predicted, strict=True)]
    assert tested.mae == pytest.approx(sum(errors) / 3)
    assert tested.mape == pytest.approx(
        100 * sum(e / a for e, a in zip(errors, series[-3:], strict=True)) / 3)


def test_mape_is_absent_when_the_held_out_values_are_all_zero() -> None:
    tested = backtest([5.0, 4, 3, 2, 1, 0, 0, 0], "month", 2)
    assert tested.mape is None
    assert math.isfinite(tested.mae)


def test_a_short_series_is_refused() -> None:
    with pytest.raises(SeriesTooShort) as error:
        forecast([1.0, 2, 3], "month", 3)
    assert (error.value.points, error.value.minimum) == (3, 7)


def test_the_one_step_errors_are_counted_from_the_right_start() -> None:
    assert holt([1.0, 2.0, 4.0], 0.5, 0.5).steps == 2
    assert holt_winters([1.0] * 30, 12, 0.5, 0.5, 0.5).steps == 30
