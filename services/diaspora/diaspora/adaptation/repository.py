"""All SQL of adaptation placements, delivered services and integration plans."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from diaspora.adaptation.models import AdaptationPlacement, DeliveredService, IntegrationPlanItem
from diaspora.pagination import page_of


def add(
    session: AsyncSession, row: AdaptationPlacement | DeliveredService | IntegrationPlanItem
) -> None:
    session.add(row)


async def get(session: AsyncSession, placement_id: str) -> AdaptationPlacement | None:
    return await session.get(AdaptationPlacement, placement_id)


async def get_for_update(session: AsyncSession, placement_id: str) -> AdaptationPlacement | None:
    return (
        await session.execute(
            select(AdaptationPlacement)
            .where(AdaptationPlacement.id == placement_id)
            .with_for_update()
        )
    ).scalar_one_or_none()


async def active_for(session: AsyncSession, application_id: str) -> AdaptationPlacement | None:
    return (
        await session.execute(
            select(AdaptationPlacement).where(
                AdaptationPlacement.application_id == application_id,
                AdaptationPlacement.ended_on.is_(None),
            )
        )
    ).scalar_one_or_none()


async def services(session: AsyncSession, placement_id: str) -> list[DeliveredService]:
    result = await session.execute(
        select(DeliveredService)
        .where(DeliveredService.placement_id == placement_id)
        .order_by(DeliveredService.id)
    )
    return list(result.scalars())


async def plan(session: AsyncSession, placement_id: str) -> list[IntegrationPlanItem]:
    result = await session.execute(
        select(IntegrationPlanItem)
        .where(IntegrationPlanItem.placement_id == placement_id)
        .order_by(IntegrationPlanItem.id)
    )
    return list(result.scalars())


async def clear_plan(session: AsyncSession, placement_id: str) -> None:
    await session.execute(
        delete(IntegrationPlanItem).where(IntegrationPlanItem.placement_id == placement_id)
    )


async def plan_item(
    session: AsyncSession, placement_id: str, item_id: str
) -> IntegrationPlanItem | None:
    item = await session.get(IntegrationPlanItem, item_id)
    return item if item is not None and item.placement_id == placement_id else None


async def past_limit(session: AsyncSession, today: date) -> list[AdaptationPlacement]:
    result = await session.execute(
        select(AdaptationPlacement)
        .where(AdaptationPlacement.ended_on.is_(None), AdaptationPlacement.placement_until < today)
        .order_by(AdaptationPlacement.id)
        .with_for_update(skip_locked=True)
    )
    return list(result.scalars())


async def page(
    session: AsyncSession,
    *,
    centre_id: str | None,
    active: bool | None,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[AdaptationPlacement], str | None]:
    statement: Select[tuple[AdaptationPlacement]] = select(AdaptationPlacement)
    if centre_id:
        statement = statement.where(AdaptationPlacement.centre_id == centre_id)
    if active is True:
        statement = statement.where(AdaptationPlacement.ended_on.is_(None))
    elif active is False:
        statement = statement.where(AdaptationPlacement.ended_on.is_not(None))
    return await page_of(session, statement, AdaptationPlacement.id, limit=limit, cursor=cursor)
