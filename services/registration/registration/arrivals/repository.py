"""All SQL of the arrivals module."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registration.arrivals.models import ArrivalNotification


def add(session: AsyncSession, notification: ArrivalNotification) -> None:
    session.add(notification)


async def get(session: AsyncSession, notification_id: str) -> ArrivalNotification | None:
    return await session.get(ArrivalNotification, notification_id)


async def for_person(session: AsyncSession, person_id: str) -> list[ArrivalNotification]:
    result = await session.execute(
        select(ArrivalNotification)
        .where(ArrivalNotification.person_id == person_id)
        .order_by(ArrivalNotification.entry_date, ArrivalNotification.received_at)
    )
    return list(result.scalars())
