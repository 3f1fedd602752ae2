"""All SQL of the departures module."""

from sqlalchemy.ext.asyncio import AsyncSession

from registration.departures.models import Departure


def add(session: AsyncSession, departure: Departure) -> None:
    session.add(departure)


async def get(session: AsyncSession, departure_id: str) -> Departure | None:
    return await session.get(Departure, departure_id)
