"""All SQL of resettlement: quotas change only by conditional UPDATEs, so that no two approvals
take the last place twice, on PostgreSQL as on SQLite."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from diaspora.pagination import page_of
from diaspora.resettlement.models import ResettlementApplication, ResettlementQuota, SupportPayment
from shared.db import dialect_insert


async def set_quota(
    session: AsyncSession, year: int, region: str, places: int, at: datetime
) -> ResettlementQuota | None:
    """Creates or changes the quota; None when `places` is below what is already allocated."""
    # The dialect's INSERT (PostgreSQL or SQLite) has ON CONFLICT; the base type does not.
    insert: Any = dialect_insert(session, ResettlementQuota.__table__)
    created = await session.execute(
        insert.values(
            year=year, region=region, places=places, allocated=0, updated_at=at
        ).on_conflict_do_nothing(index_elements=["year", "region"])
    )
    if created.rowcount != 1:  # type: ignore[attr-defined]
        changed = await session.execute(
            update(ResettlementQuota)
            .where(
                ResettlementQuota.year == year,
                ResettlementQuota.region == region,
                ResettlementQuota.allocated <= places,
            )
            .values(places=places, updated_at=at)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            return None
    return await get_quota(session, year, region)


async def get_quota(session: AsyncSession, year: int, region: str) -> ResettlementQuota | None:
    return (
        await session.execute(
            select(ResettlementQuota)
            .where(ResettlementQuota.year == year, ResettlementQuota.region == region)
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()


async def quotas(session: AsyncSession, year: int) -> list[ResettlementQuota]:
    result = await session.execute(
        select(ResettlementQuota)
        .where(ResettlementQuota.year == year)
        .order_by(ResettlementQuota.region)
    )
    return list(result.scalars())


async def take_place(session: AsyncSession, year: int, region: str) -> bool:
    """One place of the quota, atomically: the row is re-checked under its write lock."""
    result = await session.execute(
        update(ResettlementQuota)
        .where(
            ResettlementQuota.year == year,
            ResettlementQuota.region == region,
            ResettlementQuota.allocated < ResettlementQuota.places,
        )
        .values(allocated=ResettlementQuota.allocated + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def claim_for_decision(session: AsyncSession, resettlement_id: str, status: str) -> bool:
    """Moves a submitted application to `status`; False when another decision came first."""
    result = await session.execute(
        update(ResettlementApplication)
        .where(
            ResettlementApplication.id == resettlement_id,
            ResettlementApplication.status == "submitted",
        )
        .values(status=status)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def add(session: AsyncSession, row: ResettlementApplication | SupportPayment) -> None:
    session.add(row)


async def get(session: AsyncSession, resettlement_id: str) -> ResettlementApplication | None:
    return (
        await session.execute(
            select(ResettlementApplication)
            .where(ResettlementApplication.id == resettlement_id)
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()


async def open_for(session: AsyncSession, application_id: str) -> ResettlementApplication | None:
    return (
        (
            await session.execute(
                select(ResettlementApplication).where(
                    ResettlementApplication.application_id == application_id,
                    ResettlementApplication.status.in_(("submitted", "approved")),
                )
            )
        )
        .scalars()
        .first()
    )


async def payments(session: AsyncSession, resettlement_id: str) -> list[SupportPayment]:
    result = await session.execute(
        select(SupportPayment)
        .where(SupportPayment.resettlement_id == resettlement_id)
        .order_by(SupportPayment.sequence)
    )
    return list(result.scalars())


async def page(
    session: AsyncSession,
    *,
    region: str | None,
    status: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[ResettlementApplication], str | None]:
    statement: Select[tuple[ResettlementApplication]] = select(ResettlementApplication)
    if region:
        statement = statement.where(ResettlementApplication.region == region)
    if status:
        statement = statement.where(ResettlementApplication.status == status)
    return await page_of(session, statement, ResettlementApplication.id, limit=limit, cursor=cursor)
