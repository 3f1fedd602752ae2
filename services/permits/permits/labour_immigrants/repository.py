"""All SQL of labour-immigrant permits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from permits.labour_immigrants.models import (
    HouseholdEmployer,
    LabourImmigrantPayment,
    LabourImmigrantPermit,
)
from shared.db import dialect_insert


def add(session: AsyncSession, *rows: LabourImmigrantPermit | LabourImmigrantPayment) -> None:
    session.add_all(rows)


async def get(session: AsyncSession, permit_number: str) -> LabourImmigrantPermit | None:
    return await session.get(LabourImmigrantPermit, permit_number, populate_existing=True)


async def lock_employer(session: AsyncSession, iin: str, at: datetime) -> None:
    """Holds the employer's row until the transaction ends, so that two hires by one employer
    are counted one after the other (SQLite serializes writers by itself)."""
    insert: Any = dialect_insert(session, HouseholdEmployer.__table__)
    await session.execute(insert.values(iin=iin, first_hire_at=at).on_conflict_do_nothing())
    await session.execute(
        select(HouseholdEmployer.iin).where(HouseholdEmployer.iin == iin).with_for_update()
    )


async def active_for_employer(session: AsyncSession, iin: str) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(LabourImmigrantPermit)
            .where(LabourImmigrantPermit.employer_iin == iin,
                   LabourImmigrantPermit.status == "active")
        )
        or 0
    )


async def active_for_person(session: AsyncSession, person_id: str) -> LabourImmigrantPermit | None:
    result = await session.execute(
        select(LabourImmigrantPermit).where(
            LabourImmigrantPermit.person_id == person_id,
            LabourImmigrantPermit.status == "active",
        )
    )
    return result.scalars().first()


async def payment_recorded(session: AsyncSession, reference: str) -> bool:
    found = await session.scalar(
        select(LabourImmigrantPayment.id).where(
            LabourImmigrantPayment.payment_reference == reference
        )
    )
    return found is not None


async def move(
    session: AsyncSession,
    permit_number: str,
    *,
    also: Sequence[ColumnElement[bool]] = (),
    **values: object,
) -> bool:
    """Changes the permit only if it still meets the conditions `also` (what the caller read)."""
    result = await session.execute(
        update(LabourImmigrantPermit)
        .where(LabourImmigrantPermit.permit_number == permit_number, *also)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def paid_period_ended(
    session: AsyncSession, today: date, limit: int
) -> Sequence[LabourImmigrantPermit]:
    result = await session.execute(
        select(LabourImmigrantPermit)
        .where(LabourImmigrantPermit.status == "active", LabourImmigrantPermit.paid_until < today)
        .order_by(LabourImmigrantPermit.paid_until, LabourImmigrantPermit.permit_number)
        .limit(limit)
    )
    return result.scalars().all()
