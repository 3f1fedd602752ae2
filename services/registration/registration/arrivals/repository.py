"""All SQL of the arrivals module."""

from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from registration.arrivals.models import ArrivalNotification

_INSERT = insert(cast(Table, ArrivalNotification.__table__))


async def store(session: AsyncSession, values: dict[str, Any]) -> None:
    """Writes a notification with one Core statement (no ORM unit of work on the intake path)."""
    await session.execute(_INSERT, values)


async def get(session: AsyncSession, notification_id: str) -> ArrivalNotification | None:
    return await session.get(ArrivalNotification, notification_id)


async def for_person(session: AsyncSession, person_id: str) -> list[ArrivalNotification]:
    result = await session.execute(
        select(ArrivalNotification)
        .where(ArrivalNotification.person_id == person_id)
        .order_by(ArrivalNotification.entry_date, ArrivalNotification.received_at)
    )
    return list(result.scalars())
