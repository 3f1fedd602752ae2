"""Reading an indicator's series: the published protected table of each year touched where it is
current, the facts of the year protected on the spot where it is not; then cut."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import clock
from statistics_service.disclosure.compact import FactRows, protect_facts
from statistics_service.facts import repository
from statistics_service.indicators.catalogue import DIMENSIONS, Indicator
from statistics_service.indicators.series import (
    SeriesQuery,
    compact_points,
    label_range,
    point_of,
    sort_points,
)
from statistics_service.publication import store
from statistics_service.rulebook import smallest_published_count


@dataclass(frozen=True)
class SeriesResult:
    points: list[dict[str, Any]]
    freshness_seconds: float | None


def freshness_seconds(newest: datetime | None, now: datetime) -> float | None:
    """Seconds since the newest event counted into the indicator; None before the first."""
    if newest is None:
        return None
    if newest.tzinfo is None:
        newest = newest.replace(tzinfo=UTC)
    return round(max((now - newest).total_seconds(), 0.0), 3)


def threshold_of(indicator: Indicator, on: date) -> int:
    """The smallest count the indicator publishes (1: no disclosure control)."""
    return smallest_published_count(on) if indicator.disclosure_control else 1


async def read_series(
    session: AsyncSession, indicator: Indicator, query: SeriesQuery
) -> SeriesResult:
    # Whole years and no filters: the suppression pattern is the same whatever the query cuts.
    start, end = query.window.years()
    threshold = threshold_of(indicator, clock.today())
    first_year = start.year if start is not None else None
    last_year = end.year if end is not None else None
    before = await store.states(session, indicator.id, first_year, last_year)
    current = sorted(year for year, (version, published, at) in before.items()
                     if published == version and at == threshold)
    keyed = await _published_points(session, indicator, current, query) if current else []
    # Published cells are served only if the facts did not move while they were read.
    after = await store.states(session, indicator.id, first_year, last_year) if current else before
    still = {year for year in current if after.get(year) == before[year]}
    keyed = [item for item in keyed if int(item[0][0][:4]) in still]
    # Every other year is protected on the spot from its facts.
    for year in sorted(set(before) | set(after)):
        if year in still:
            continue
        facts = FactRows()
        async for rows in repository.stream_year(session, indicator.id, year):
            facts.extend(rows)
        if len(facts):
            keyed.extend(compact_points(protect_facts(facts, threshold), query))
    points = sort_points(keyed)
    newest = await repository.newest_event_at(session, indicator.id)
    return SeriesResult(points, freshness_seconds(newest, clock.now()))


async def _published_points(
    session: AsyncSession, indicator: Indicator, years: list[int], query: SeriesQuery
) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    shape = 0
    equal: dict[str, str] = {}
    for dimension in DIMENSIONS:
        grouped = dimension in query.group_by
        value = query.filters.get(dimension)
        if value is not None:
            equal[dimension] = value
        if grouped or (value is not None and value != store.TOTAL):
            shape |= store.DIMENSION_BITS[dimension]
    first, last = label_range(query)
    cells = await store.read_cells(
        session, indicator.id, years, level=store.level_number(query.period), shape=shape,
        first_label=first, last_label=last, equal=equal,
    )
    return [point_of(cell[:4], cell[4], cell[5], query.group_by) for cell in cells]
