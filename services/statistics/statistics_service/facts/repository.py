"""All SQL of the facts store."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from datetime import date, datetime

from sqlalchemy import Row, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import insert_rows
from statistics_service.facts.models import (
    Fact,
    FactChange,
    Freshness,
    Publication,
    published_cells,
)

# A fact cell's key: indicator, day, region, citizenship, category (NONE where the event has none).
Cell = tuple[str, date, str, str, str]
_KEY = ["indicator", "day", "region", "citizenship", "category"]


async def add_to_cells(session: AsyncSession, amounts: Mapping[Cell, int]) -> None:
    """Adds each amount to its cell, creating the cell at that amount."""
    await _upsert_cells(session, amounts, replace=False)


async def set_cells(session: AsyncSession, amounts: Mapping[Cell, int]) -> None:
    """Each cell's value becomes its amount (for events that carry a running figure)."""
    await _upsert_cells(session, amounts, replace=True)


async def _upsert_cells(
    session: AsyncSession, amounts: Mapping[Cell, int], *, replace: bool
) -> None:
    table = Fact.__table__
    # In one order, so that transactions writing the same cells wait for each other instead of
    # deadlocking.
    rows = [dict(zip(_KEY, cell, strict=True), value=amounts[cell]) for cell in sorted(amounts)]
    await insert_rows(session, table, rows, lambda insert: insert.on_conflict_do_update(
        index_elements=_KEY,
        set_={"value": insert.excluded.value if replace else table.c.value + insert.excluded.value},
    ))


async def mark_fresh(session: AsyncSession, newest: Mapping[str, datetime]) -> None:
    """Moves each indicator's newest counted event time forward (never back)."""
    table = Freshness.__table__
    rows = [{"indicator": i, "newest_event_at": newest[i]} for i in sorted(newest)]
    await insert_rows(session, table, rows, lambda insert: insert.on_conflict_do_update(
        index_elements=["indicator"],
        set_={"newest_event_at": insert.excluded.newest_event_at},
        where=table.c.newest_event_at < insert.excluded.newest_event_at,
    ))


async def mark_changed(session: AsyncSession, years: Iterable[tuple[str, int]]) -> None:
    """Counts one more change of the facts of each (indicator, year)."""
    table = FactChange.__table__
    rows = [{"indicator": i, "year": y, "version": 1} for i, y in sorted(set(years))]
    await insert_rows(session, table, rows, lambda insert: insert.on_conflict_do_update(
        index_elements=["indicator", "year"], set_={"version": table.c.version + 1}
    ))


async def all_freshness(session: AsyncSession) -> dict[str, datetime]:
    rows = (await session.execute(select(Freshness.indicator, Freshness.newest_event_at))).all()
    return {indicator: newest for indicator, newest in rows}


async def clear_projection(session: AsyncSession) -> None:
    """Empties the facts, their freshness and change counts, and the publications computed from
    them, for a rebuild from the event log."""
    await session.execute(delete(Fact))
    await session.execute(delete(Freshness))
    await session.execute(delete(FactChange))
    await session.execute(delete(published_cells))
    await session.execute(delete(Publication))


async def newest_event_at(session: AsyncSession, indicator: str) -> datetime | None:
    return await session.scalar(
        select(Freshness.newest_event_at).where(Freshness.indicator == indicator)
    )


async def fact_versions(
    session: AsyncSession, indicator: str, first_year: int | None, last_year: int | None
) -> dict[int, int]:
    """The change count of each year of the indicator within the years given (None: open)."""
    query = select(FactChange.year, FactChange.version).where(FactChange.indicator == indicator)
    if first_year is not None:
        query = query.where(FactChange.year >= first_year)
    if last_year is not None:
        query = query.where(FactChange.year <= last_year)
    return {year: version for year, version in (await session.execute(query)).all()}


async def fact_version(session: AsyncSession, indicator: str, year: int) -> int | None:
    return await session.scalar(
        select(FactChange.version).where(FactChange.indicator == indicator,
                                         FactChange.year == year)
    )


async def all_fact_versions(session: AsyncSession) -> list[tuple[str, int, int]]:
    """(indicator, year, version) of every indicator-year that has facts."""
    rows = await session.execute(select(FactChange.indicator, FactChange.year, FactChange.version))
    return [(indicator, year, version) for indicator, year, version in rows.all()]


async def stream_year(
    session: AsyncSession, indicator: str, year: int, batch: int = 20_000
) -> AsyncIterator[Sequence[Row[date, str, str, str, int]]]:
    """The fact cells of an indicator's year, `batch` rows at a time (a server-side cursor)."""
    query = select(Fact.day, Fact.region, Fact.citizenship, Fact.category, Fact.value).where(
        Fact.indicator == indicator, Fact.day >= date(year, 1, 1), Fact.day <= date(year, 12, 31)
    )
    result = await session.stream(query.execution_options(yield_per=batch))
    async for rows in result.partitions():
        yield rows  # type: ignore[misc]
