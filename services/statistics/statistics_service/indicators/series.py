"""Series of an indicator: cells grouped by period and dimensions, small counts suppressed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Literal

Period = Literal["day", "month", "quarter", "year"]

# Statistical disclosure control: counts of 1 to 4 could identify people.
SUPPRESS_BELOW = 5


def period_label(day: date, period: Period) -> str:
    if period == "day":
        return day.isoformat()
    if period == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if period == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}"


def is_suppressed(value: int) -> bool:
    return 0 < value < SUPPRESS_BELOW


def build_points(
    cells: Iterable[Sequence[Any]],
    *,
    period: Period,
    group_by: Sequence[str],
) -> list[dict[str, Any]]:
    """Sums `(day, region, citizenship, category, value)` cells into one point per group."""
    dimension_index = {"region": 1, "citizenship": 2, "category": 3}
    totals: dict[tuple[str, ...], int] = defaultdict(int)
    for cell in cells:
        key = (period_label(cell[0], period), *(cell[dimension_index[d]] for d in group_by))
        totals[key] += int(cell[4])
    points: list[dict[str, Any]] = []
    for key in sorted(totals):
        point: dict[str, Any] = {"period": key[0]}
        point.update(zip(group_by, key[1:], strict=True))
        value = totals[key]
        if is_suppressed(value):
            point["value"] = None
            point["suppressed"] = True
        else:
            point["value"] = value
        points.append(point)
    return points
