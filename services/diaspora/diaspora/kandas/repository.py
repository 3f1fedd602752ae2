"""All SQL of kandas applications."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from diaspora.kandas.models import KandasApplication, KandasStatusChange
from diaspora.pagination import page_of

PENDING = ("package_complete", "hearing")
IN_FORCE = ("granted", "extended")


def add(session: AsyncSession, application: KandasApplication) -> None:
    session.add(application)


def add_change(session: AsyncSession, change: KandasStatusChange) -> None:
    session.add(change)


async def get(session: AsyncSession, application_id: str) -> KandasApplication | None:
    return await session.get(KandasApplication, application_id)


async def get_for_update(session: AsyncSession, application_id: str) -> KandasApplication | None:
    """Locks the row (PostgreSQL) so that two officers' decisions apply one after the other."""
    return (
        await session.execute(
            select(KandasApplication)
            .where(KandasApplication.id == application_id)
            .with_for_update()
        )
    ).scalar_one_or_none()


async def history(session: AsyncSession, application_id: str) -> list[KandasStatusChange]:
    result = await session.execute(
        select(KandasStatusChange)
        .where(KandasStatusChange.application_id == application_id)
        .order_by(KandasStatusChange.id)
    )
    return list(result.scalars())


def _overdue(today: date) -> object:
    pending_late = and_(
        KandasApplication.status.in_(PENDING), KandasApplication.decision_due < today
    )
    return or_(pending_late, KandasApplication.decided_late.is_(True))


async def page(
    session: AsyncSession,
    *,
    today: date,
    overdue: bool | None,
    status: str | None,
    region: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[KandasApplication], str | None]:
    statement: Select[tuple[KandasApplication]] = select(KandasApplication)
    if overdue:
        statement = statement.where(_overdue(today))  # type: ignore[arg-type]
    if status:
        statement = statement.where(KandasApplication.status == status)
    if region:
        statement = statement.where(KandasApplication.region.startswith(region[:2]))
    return await page_of(session, statement, KandasApplication.id, limit=limit, cursor=cursor)


async def newly_overdue(session: AsyncSession, today: date) -> list[KandasApplication]:
    """Pending applications past their deadline that were not flagged yet."""
    result = await session.execute(
        select(KandasApplication)
        .where(
            KandasApplication.status.in_(PENDING),
            KandasApplication.decision_due < today,
            KandasApplication.overdue_flagged_on.is_(None),
        )
        .order_by(KandasApplication.id)
        .with_for_update(skip_locked=True)
    )
    return list(result.scalars())


async def lapsed(session: AsyncSession, today: date) -> list[KandasApplication]:
    """Statuses in force whose validity ended before today."""
    result = await session.execute(
        select(KandasApplication)
        .where(KandasApplication.status.in_(IN_FORCE), KandasApplication.valid_until < today)
        .order_by(KandasApplication.id)
        .with_for_update(skip_locked=True)
    )
    return list(result.scalars())
