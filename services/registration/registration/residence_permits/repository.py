"""All SQL of the residence-permits module."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registration.residence_permits.models import ResidencePermit


def add(session: AsyncSession, permit: ResidencePermit) -> None:
    session.add(permit)


async def get(session: AsyncSession, application_id: str) -> ResidencePermit | None:
    return await session.get(ResidencePermit, application_id)


async def get_for_update(session: AsyncSession, application_id: str) -> ResidencePermit | None:
    result = await session.execute(
        select(ResidencePermit).where(ResidencePermit.id == application_id).with_for_update()
    )
    return result.scalar_one_or_none()


async def by_number(session: AsyncSession, permit_number: str) -> ResidencePermit | None:
    result = await session.execute(
        select(ResidencePermit).where(ResidencePermit.permit_number == permit_number)
    )
    return result.scalar_one_or_none()


async def issued_for_person(session: AsyncSession, person_id: str) -> list[ResidencePermit]:
    result = await session.execute(
        select(ResidencePermit)
        .where(ResidencePermit.person_id == person_id, ResidencePermit.status == "issued")
        .order_by(ResidencePermit.valid_from)
    )
    return list(result.scalars())
