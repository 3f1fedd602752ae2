"""All SQL of the facts store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Row, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import dialect_insert
from statistics_service.facts.models import NONE, Fact, Freshness


async def add_to_cell(
    session: AsyncSession,
    *,
    indicator: str,
    day: date,
    region: str | None = None,
    citizenship: str | None = None,
    category: str | None = None,
    amount: int = 1,
) -> None:
    insert = dialect_insert(session, Fact.__table__)
    statement = insert.values(
        indicator=indicator,
        day=day,
        region=region or NONE,
        citizenship=citizenship or NONE,
        category=category or NONE,
        value=amount,
    ).on_conflict_do_update(
        index_elements=["indicator", "day", "region", "citizenship", "category"],
        set_={"value": Fact.__table__.c.value + insert.excluded.value},
    )
    await session.execute(statement)


async def set_cell(
    session: AsyncSession,
    *,
    indicator: str,
    day: date,
    region: str | None = None,
    citizenship: str | None = None,
    category: str | None = None,
    amount: int,
) -> None:
    """The cell's value becomes `amount` (for events that carry a running figure)."""
    insert = dialect_insert(session, Fact.__table__)
    statement = insert.values(
        indicator=indicator,
        day=day,
        region=region or NONE,
        citizenship=citizenship or NONE,
        category=category or NONE,
        value=amount,
    ).on_conflict_do_update(
        index_elements=["indicator", "day", "region", "citizenship", "category"],
        set_={"value": insert.excluded.value},
    )
    await session.execute(statement)


async def mark_fresh(session: AsyncSession, indicator: str, event_at: datetime) -> None:
    insert = dialect_insert(session, Freshness.__table__)
    await session.execute(
        insert.values(indicator=indicator, newest_event_at=event_at).on_conflict_do_update(
            index_elements=["indicator"],
            set_={"newest_event_at": insert.excluded.newest_event_at},
            where=Freshness.__table__.c.newest_event_at < insert.excluded.newest_event_at,
        )
    )


async def cells(
    session: AsyncSession,
    indicator: str,
    *,
    start: date | None,
    end: date | None,
    filters: dict[str, str],
) -> Sequence[Row[tuple[date, str, str, str, int]]]:
    query = select(Fact.day, Fact.region, Fact.citizenship, Fact.category, Fact.value).where(
        Fact.indicator == indicator
    )
    if start is not None:
        query = query.where(Fact.day >= start)
    if end is not None:
        query = query.where(Fact.day <= end)
    for dimension, value in filters.items():
        query = query.where(getattr(Fact, dimension) == value)
    return (await session.execute(query)).all()


async def all_freshness(session: AsyncSession) -> dict[str, datetime]:
    rows = (await session.execute(select(Freshness.indicator, Freshness.newest_event_at))).all()
    return {indicator: newest for indicator, newest in rows}


async def clear_projection(session: AsyncSession) -> None:
    """Empties the facts and their freshness, for a rebuild from the event log."""
    await session.execute(delete(Fact))
    await session.execute(delete(Freshness))


async def newest_event_at(session: AsyncSession, indicator: str) -> datetime | None:
    return await session.scalar(
        select(Freshness.newest_event_at).where(Freshness.indicator == indicator)
    )
