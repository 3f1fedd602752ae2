"""Series of an indicator: points cut from the protected table, small counts and whatever could
give them away suppressed (see `statistics_service.disclosure`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from statistics_service.disclosure.compact import CompactTable
from statistics_service.disclosure.cube import DIMENSIONS, TOTAL
from statistics_service.disclosure.periods import (
    Period,
    level_of,
    period_end,
    period_label,
    period_start,
)

__all__ = [
    "Period", "SeriesQuery", "Window", "compact_points", "cut_points", "label_range", "point_of",
    "sort_points",
]


@dataclass(frozen=True)
class Window:
    """`from` and `to` widened to whole periods, so that no query cuts a period in two (a cut
    period's total minus a whole one's would give away the rest)."""

    start: date | None
    end: date | None

    @classmethod
    def of(cls, start: date | None, end: date | None, period: Period) -> Window:
        return cls(
            period_start(start, period) if start is not None else None,
            period_end(end, period) if end is not None else None,
        )

    def years(self) -> tuple[date | None, date | None]:
        """The whole years the protected tables are built on."""
        return (
            date(self.start.year, 1, 1) if self.start is not None else None,
            date(self.end.year, 12, 31) if self.end is not None else None,
        )


@dataclass(frozen=True)
class SeriesQuery:
    period: Period = "day"
    group_by: Sequence[str] = ()
    filters: Mapping[str, str] = field(default_factory=dict)
    window: Window = Window(None, None)


def sort_points(points: Iterable[tuple[tuple[str, ...], dict[str, Any]]]) -> list[dict[str, Any]]:
    return [point for _, point in sorted(points, key=lambda item: item[0])]


def cut_points(
    cells: Iterable[tuple[Sequence[str], int, bool]], query: SeriesQuery
) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """The points the query asks for among a protected table's cells, each given as
    ((label, region, citizenship, category), value, suppressed); unsorted, with sort keys."""
    wanted: list[str | None] = [  # None: grouped by
        None if dimension in query.group_by else query.filters.get(dimension, TOTAL)
        for dimension in DIMENSIONS
    ]
    first, last = label_range(query)
    points: list[tuple[tuple[str, ...], dict[str, Any]]] = []
    for cell, value, suppressed in cells:
        label = cell[0]
        if level_of(label) != query.period:
            continue
        if (first is not None and label < first) or (last is not None and label > last):
            continue
        if not _matches(cell, wanted, query.filters):
            continue
        points.append(point_of(cell, value, suppressed, query.group_by))
    return points


def compact_points(
    table: CompactTable, query: SeriesQuery
) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """`cut_points` of one compact table (`disclosure.compact`)."""
    return cut_points((((label, region, citizenship, category), value, hidden)
                       for label, region, citizenship, category, value, hidden in table.rows()),
                      query)


def label_range(query: SeriesQuery) -> tuple[str | None, str | None]:
    """The first and last period labels of the query's window (None: open)."""
    first = period_label(query.window.start, query.period) if query.window.start else None
    last = period_label(query.window.end, query.period) if query.window.end else None
    return first, last


def point_of(
    cell: Sequence[str], value: int, suppressed: bool, group_by: Sequence[str]
) -> tuple[tuple[str, ...], dict[str, Any]]:
    """A cell (label, region, citizenship, category) as a point, with its sort key."""
    label = cell[0]
    point: dict[str, Any] = {"period": label}
    for index, dimension in enumerate(DIMENSIONS, start=1):
        if dimension in group_by:
            point[dimension] = cell[index]
    if suppressed:
        point["value"] = None
        point["suppressed"] = True
    else:
        point["value"] = value
    return (label, *(str(point.get(d, "")) for d in group_by)), point


def _matches(
    cell: Sequence[str], wanted: list[str | None], filters: Mapping[str, str]
) -> bool:
    for index, dimension in enumerate(DIMENSIONS, start=1):
        expected = wanted[index - 1]
        if expected is None:
            if cell[index] == TOTAL:
                return False
            if dimension in filters and cell[index] != filters[dimension]:
                return False
        elif cell[index] != expected:
            return False
    return True
