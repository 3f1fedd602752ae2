"""All SQL of stays in temporary accommodation centres and of centre occupancy."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from diaspora.accommodation.models import AccommodationStay, CentreOccupancy
from diaspora.pagination import page_of
from shared.db import dialect_insert


def add(session: AsyncSession, stay: AccommodationStay) -> None:
    session.add(stay)


async def get_for_update(session: AsyncSession, stay_id: str) -> AccommodationStay | None:
    return (
        await session.execute(
            select(AccommodationStay).where(AccommodationStay.id == stay_id).with_for_update()
        )
    ).scalar_one_or_none()


async def get(session: AsyncSession, stay_id: str) -> AccommodationStay | None:
    return await session.get(AccommodationStay, stay_id)


async def active_for(session: AsyncSession, application_id: str) -> AccommodationStay | None:
    return (
        await session.execute(
            select(AccommodationStay).where(
                AccommodationStay.application_id == application_id,
                AccommodationStay.checked_out_on.is_(None),
            )
        )
    ).scalar_one_or_none()


async def first_check_in(session: AsyncSession, application_id: str) -> date | None:
    return await session.scalar(
        select(func.min(AccommodationStay.checked_in_on)).where(
            AccommodationStay.application_id == application_id
        )
    )


async def take_places(session: AsyncSession, centre_id: str, places: int, capacity: int) -> bool:
    """Takes `places` if they are free; one conditional UPDATE, so no two check-ins overfill."""
    # The dialect's INSERT (PostgreSQL or SQLite) has ON CONFLICT; the base type does not.
    insert: Any = dialect_insert(session, CentreOccupancy.__table__)
    await session.execute(
        insert.values(centre_id=centre_id, occupied=0).on_conflict_do_nothing(
            index_elements=["centre_id"]
        )
    )
    result = await session.execute(
        update(CentreOccupancy)
        .where(
            CentreOccupancy.centre_id == centre_id,
            CentreOccupancy.occupied + places <= capacity,
        )
        .values(occupied=CentreOccupancy.occupied + places)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def release_places(session: AsyncSession, centre_id: str, places: int) -> None:
    await session.execute(
        update(CentreOccupancy)
        .where(CentreOccupancy.centre_id == centre_id)
        .values(occupied=CentreOccupancy.occupied - places)
        .execution_options(synchronize_session=False)
    )


async def occupied(session: AsyncSession, centre_id: str) -> int:
    return int(
        await session.scalar(
            select(CentreOccupancy.occupied).where(CentreOccupancy.centre_id == centre_id)
        )
        or 0
    )


async def newly_overstayed(session: AsyncSession, today: date) -> list[AccommodationStay]:
    result = await session.execute(
        select(AccommodationStay)
        .where(
            AccommodationStay.checked_out_on.is_(None),
            AccommodationStay.stay_limit_until < today,
            AccommodationStay.overstay_flagged_on.is_(None),
        )
        .order_by(AccommodationStay.id)
        .with_for_update(skip_locked=True)
    )
    return list(result.scalars())


async def page(
    session: AsyncSession,
    *,
    centre_id: str | None,
    active: bool | None,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[AccommodationStay], str | None]:
    statement: Select[tuple[AccommodationStay]] = select(AccommodationStay)
    if centre_id:
        statement = statement.where(AccommodationStay.centre_id == centre_id)
    if active is True:
        statement = statement.where(AccommodationStay.checked_out_on.is_(None))
    elif active is False:
        statement = statement.where(AccommodationStay.checked_out_on.is_not(None))
    return await page_of(session, statement, AccommodationStay.id, limit=limit, cursor=cursor)
