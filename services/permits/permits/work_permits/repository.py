"""All SQL of employers' work permits. Every change of status is a conditional UPDATE on the
expected status, so two actors (an officer and the lapse job, two officers, a payment and the
lapse job) can never both move one permit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from permits.work_permits.models import WorkPermit, WorkPermitStep


def add(session: AsyncSession, permit: WorkPermit) -> None:
    session.add(permit)


async def get(session: AsyncSession, application_id: str) -> WorkPermit | None:
    return await session.get(WorkPermit, application_id, populate_existing=True)


async def by_number(session: AsyncSession, permit_number: str) -> WorkPermit | None:
    result = await session.execute(
        select(WorkPermit)
        .where(WorkPermit.permit_number == permit_number)
        .execution_options(populate_existing=True)
    )
    return result.scalar_one_or_none()


async def move(
    session: AsyncSession,
    application_id: str,
    *,
    from_statuses: Sequence[str],
    to_status: str,
    also: Sequence[ColumnElement[bool]] = (),
    **values: object,
) -> bool:
    """Moves the permit to `to_status` (with `values`) only if it is in one of `from_statuses`
    and meets the conditions `also`."""
    result = await session.execute(
        update(WorkPermit)
        .where(WorkPermit.id == application_id, WorkPermit.status.in_(from_statuses), *also)
        .values(status=to_status, **values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def record_step(
    session: AsyncSession,
    application_id: str,
    *,
    action: str,
    status: str,
    at: datetime,
    actor: str | None = None,
) -> None:
    session.add(
        WorkPermitStep(
            application_id=application_id, action=action, status=status, at=at, actor=actor
        )
    )


async def history(session: AsyncSession, application_id: str) -> Sequence[WorkPermitStep]:
    result = await session.execute(
        select(WorkPermitStep)
        .where(WorkPermitStep.application_id == application_id)
        .order_by(WorkPermitStep.id)
    )
    return result.scalars().all()


async def unpaid_past_deadline(
    session: AsyncSession, today: date, limit: int
) -> Sequence[WorkPermit]:
    result = await session.execute(
        select(WorkPermit)
        .where(WorkPermit.status == "approved", WorkPermit.payment_deadline < today)
        .order_by(WorkPermit.payment_deadline, WorkPermit.id)
        .limit(limit)
    )
    return result.scalars().all()


async def past_validity(session: AsyncSession, today: date, limit: int) -> Sequence[WorkPermit]:
    result = await session.execute(
        select(WorkPermit)
        .where(WorkPermit.status == "issued", WorkPermit.valid_until < today)
        .order_by(WorkPermit.valid_until, WorkPermit.id)
        .limit(limit)
    )
    return result.scalars().all()
