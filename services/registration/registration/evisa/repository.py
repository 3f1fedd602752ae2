"""All SQL of the e-Visa module."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registration.evisa.models import EvisaApplication, EvisaStatusChange


def add(session: AsyncSession, row: EvisaApplication | EvisaStatusChange) -> None:
    session.add(row)


async def get(session: AsyncSession, application_id: str) -> EvisaApplication | None:
    return await session.get(EvisaApplication, application_id)


async def get_for_update(session: AsyncSession, application_id: str) -> EvisaApplication | None:
    # Two officers deciding at once: the second waits and then sees the first decision.
    result = await session.execute(
        select(EvisaApplication).where(EvisaApplication.id == application_id).with_for_update()
    )
    return result.scalar_one_or_none()


async def by_visa_number(session: AsyncSession, visa_number: str) -> EvisaApplication | None:
    result = await session.execute(
        select(EvisaApplication).where(EvisaApplication.visa_number == visa_number)
    )
    return result.scalar_one_or_none()


async def visa_number_taken(session: AsyncSession, visa_number: str) -> bool:
    return await by_visa_number(session, visa_number) is not None


async def history(session: AsyncSession, application_id: str) -> list[EvisaStatusChange]:
    result = await session.execute(
        select(EvisaStatusChange)
        .where(EvisaStatusChange.application_id == application_id)
        .order_by(EvisaStatusChange.id)
    )
    return list(result.scalars())


async def unused_visa_for_entry(
    session: AsyncSession, person_id: str, entry_date: date
) -> EvisaApplication | None:
    """An issued visa of the person that allows entry on `entry_date` (single entry: not used)."""
    result = await session.execute(
        select(EvisaApplication)
        .where(
            EvisaApplication.person_id == person_id,
            EvisaApplication.status == "issued",
            EvisaApplication.valid_from <= entry_date,
            EvisaApplication.valid_until >= entry_date,
        )
        .order_by(EvisaApplication.valid_until.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def issued_expired_by(session: AsyncSession, today: date) -> list[EvisaApplication]:
    result = await session.execute(
        select(EvisaApplication)
        .where(EvisaApplication.status == "issued", EvisaApplication.valid_until < today)
        .order_by(EvisaApplication.valid_until, EvisaApplication.id)
    )
    return list(result.scalars())
