"""All SQL of the stays module."""

from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from registration.stays.models import OverstayDetection, Stay


def add(session: AsyncSession, row: Stay | OverstayDetection) -> None:
    session.add(row)


async def get(session: AsyncSession, stay_id: str) -> Stay | None:
    return await session.get(Stay, stay_id)


async def for_person(session: AsyncSession, person_id: str) -> list[Stay]:
    result = await session.execute(
        select(Stay).where(Stay.person_id == person_id).order_by(Stay.entry_date)
    )
    return list(result.scalars())


async def at_entry(session: AsyncSession, person_id: str, entry_date: date) -> Stay | None:
    result = await session.execute(
        select(Stay).where(Stay.person_id == person_id, Stay.entry_date == entry_date)
    )
    return result.scalar_one_or_none()


async def undetected_overstays(session: AsyncSession, today: date) -> list[Stay]:
    """Stays whose last day present (exit, or today while open) is after the allowed stay, and
    whose current allowed-until has not been reported yet."""
    last_present = func.coalesce(Stay.exit_date, today)
    result = await session.execute(
        select(Stay)
        .outerjoin(
            OverstayDetection,
            and_(
                OverstayDetection.stay_id == Stay.id,
                OverstayDetection.allowed_until == Stay.allowed_until,
            ),
        )
        .where(
            Stay.entry_date <= today,
            Stay.allowed_until < last_present,
            Stay.allowed_until < today,
            OverstayDetection.id.is_(None),
        )
        .order_by(Stay.allowed_until, Stay.id)
    )
    return list(result.scalars())
