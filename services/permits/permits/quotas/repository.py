"""All SQL of the quota ledger. Every change of places is one conditional UPDATE whose WHERE
re-checks the free places: on PostgreSQL a concurrent update of the same row waits for the row
lock and then re-evaluates the condition on the committed row, so two transactions can never
both take the last place. The caller checks the row count."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from permits.quotas.models import Quota
from shared.db import dialect_insert


@dataclass(frozen=True)
class QuotaKey:
    year: int
    region: str
    category: str


def _is(key: QuotaKey) -> list[ColumnElement[bool]]:
    return [Quota.year == key.year, Quota.region == key.region, Quota.category == key.category]


async def _change(session: AsyncSession, key: QuotaKey, *condition: ColumnElement[bool],
                  **values: object) -> bool:
    result = await session.execute(
        update(Quota)
        .where(*_is(key), *condition)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def reserve(session: AsyncSession, key: QuotaKey) -> bool:
    """Takes one free place as reserved; False when none is free (or no quota is set)."""
    free = Quota.places_limit - Quota.reserved - Quota.used >= 1
    return await _change(session, key, free, reserved=Quota.reserved + 1)


async def consume_reserved(session: AsyncSession, key: QuotaKey) -> bool:
    """Turns one reserved place into a used one (the permit is issued)."""
    return await _change(
        session, key, Quota.reserved >= 1, reserved=Quota.reserved - 1, used=Quota.used + 1
    )


async def release_reserved(session: AsyncSession, key: QuotaKey) -> bool:
    """Gives one reserved place back (refusal, withdrawal, lapse)."""
    return await _change(session, key, Quota.reserved >= 1, reserved=Quota.reserved - 1)


async def use(session: AsyncSession, key: QuotaKey) -> bool:
    """Takes one free place as used at once (a permit issued without a reservation)."""
    free = Quota.places_limit - Quota.reserved - Quota.used >= 1
    return await _change(session, key, free, used=Quota.used + 1)


async def set_limit(
    session: AsyncSession,
    key: QuotaKey,
    *,
    places_limit: int,
    source: str | None,
    set_by: str | None,
    at: datetime,
) -> bool:
    """Creates the quota or changes its limit; False when the limit is below the places taken."""
    table = Quota.__table__
    insert: Any = dialect_insert(session, table)  # the dialect's INSERT, with ON CONFLICT
    result = await session.execute(
        insert.values(
            year=key.year,
            region=key.region,
            category=key.category,
            places_limit=places_limit,
            reserved=0,
            used=0,
            source=source,
            set_by=set_by,
            set_at=at,
        ).on_conflict_do_update(
            index_elements=["year", "region", "category"],
            set_={
                "places_limit": insert.excluded.places_limit,
                "source": insert.excluded.source,
                "set_by": insert.excluded.set_by,
                "set_at": insert.excluded.set_at,
            },
            where=table.c.reserved + table.c.used <= insert.excluded.places_limit,
        )
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def get(session: AsyncSession, key: QuotaKey) -> Quota | None:
    result = await session.execute(
        select(Quota).where(*_is(key)).execution_options(populate_existing=True)
    )
    return result.scalar_one_or_none()


async def of_year(
    session: AsyncSession,
    year: int,
    *,
    region: str | None = None,
    category: str | None = None,
    after: tuple[str, str] | None = None,
    limit: int | None = None,
) -> Sequence[Quota]:
    query = select(Quota).where(Quota.year == year)
    if region is not None:
        query = query.where(Quota.region == region)
    if category is not None:
        query = query.where(Quota.category == category)
    if after is not None:
        after_region, after_category = after
        query = query.where(
            (Quota.region > after_region)
            | ((Quota.region == after_region) & (Quota.category > after_category))
        )
    query = query.order_by(Quota.region, Quota.category)
    if limit is not None:
        query = query.limit(limit)
    return (await session.execute(query)).scalars().all()
