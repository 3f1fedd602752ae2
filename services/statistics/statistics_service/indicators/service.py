"""Reading an indicator's series: facts of the whole years touched, protected, then cut."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import clock
from statistics_service.facts import repository
from statistics_service.indicators.catalogue import Indicator
from statistics_service.indicators.series import SeriesQuery, protected_tables, select_points
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


async def read_series(
    session: AsyncSession, indicator: Indicator, query: SeriesQuery
) -> SeriesResult:
    # Whole years and no filters: the suppression pattern is the same whatever the query cuts.
    start, end = query.window.years()
    rows = await repository.cells(session, indicator.id, start=start, end=end, filters={})
    newest = await repository.newest_event_at(session, indicator.id)
    tables = protected_tables(
        rows, smallest_published_count(clock.today()),
        disclosure_control=indicator.disclosure_control,
    )
    return SeriesResult(select_points(tables, query), freshness_seconds(newest, clock.now()))
