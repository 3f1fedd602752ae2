"""All SQL of the invitations module."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registration.invitations.models import Invitation, Invitee


def add(session: AsyncSession, row: Invitation | Invitee) -> None:
    session.add(row)


async def get(session: AsyncSession, number: str) -> Invitation | None:
    return await session.get(Invitation, number)


async def number_taken(session: AsyncSession, number: str) -> bool:
    return await get(session, number) is not None


async def invitee_person_ids(session: AsyncSession, number: str) -> set[str]:
    result = await session.execute(
        select(Invitee.person_id).where(Invitee.invitation_number == number)
    )
    return set(result.scalars())
