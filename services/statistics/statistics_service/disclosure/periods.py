"""Periods as the series publish them, and the hierarchy their totals form.

A day's count is part of its month's, a month's of its quarter's, a quarter's of its year's. Each of
these totals is published by the same endpoint at a coarser `period`, so disclosure control treats
them as one table (see `cube.py`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

Period = Literal["day", "month", "quarter", "year"]
PERIODS: tuple[Period, ...] = ("day", "month", "quarter", "year")


def period_label(day: date, period: Period) -> str:
    if period == "day":
        return day.isoformat()
    if period == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if period == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}"


def level_of(label: str) -> Period:
    if len(label) == 10:
        return "day"
    if "Q" in label:
        return "quarter"
    if len(label) == 7:
        return "month"
    return "year"


def parent_of(label: str) -> str | None:
    """The label of the period one level up, or None for a year (no total spans several years)."""
    level = level_of(label)
    if level == "day":
        return label[:7]
    if level == "month":
        return f"{label[:4]}-Q{(int(label[5:7]) - 1) // 3 + 1}"
    if level == "quarter":
        return label[:4]
    return None


def period_start(day: date, period: Period) -> date:
    if period == "day":
        return day
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, 1, 1)


def period_end(day: date, period: Period) -> date:
    if period == "day":
        return day
    if period == "year":
        return date(day.year, 12, 31)
    months = 1 if period == "month" else 3
    start = period_start(day, period)
    month_index = start.month - 1 + months
    following = date(start.year + month_index // 12, month_index % 12 + 1, 1)
    return following - timedelta(days=1)


def months_between(first: date, last: date) -> list[date]:
    """The first day of every month from `first`'s month to `last`'s, both included."""
    months: list[date] = []
    current = first.replace(day=1)
    while current <= last:
        months.append(current)
        current = period_end(current, "month") + timedelta(days=1)
    return months
