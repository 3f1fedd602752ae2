"""All SQL of the cases module: the number series and the records of a case."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from diaspora.accommodation.models import AccommodationStay
from diaspora.adaptation.models import AdaptationPlacement, DeliveredService, IntegrationPlanItem
from diaspora.cases.models import CaseNumberSeries
from diaspora.kandas.models import KandasApplication, KandasStatusChange
from diaspora.resettlement.models import ResettlementApplication, SupportPayment
from shared.db import dialect_insert


async def next_in_series(session: AsyncSession, series: str) -> int:
    """The next number of a series; the row lock serializes concurrent openings."""
    await session.execute(
        dialect_insert(session, CaseNumberSeries.__table__)
        .values(series=series, last_number=0)
        .on_conflict_do_nothing()
    )
    result = await session.execute(
        update(CaseNumberSeries)
        .where(CaseNumberSeries.series == series)
        .values(last_number=CaseNumberSeries.last_number + 1)
        .returning(CaseNumberSeries.last_number)
    )
    return int(result.scalar_one())


async def case_in_use(session: AsyncSession, case_id: str) -> bool:
    result = await session.execute(
        select(KandasApplication.id).where(KandasApplication.case_id == case_id).limit(1)
    )
    return result.first() is not None


async def applications(session: AsyncSession, case_id: str) -> list[KandasApplication]:
    result = await session.execute(
        select(KandasApplication)
        .where(KandasApplication.case_id == case_id)
        .order_by(KandasApplication.submitted_on, KandasApplication.id)
    )
    return list(result.scalars())


async def status_changes(session: AsyncSession, ids: list[str]) -> list[KandasStatusChange]:
    result = await session.execute(
        select(KandasStatusChange)
        .where(KandasStatusChange.application_id.in_(ids))
        .order_by(KandasStatusChange.id)
    )
    return list(result.scalars())


async def stays(session: AsyncSession, ids: list[str]) -> list[AccommodationStay]:
    result = await session.execute(
        select(AccommodationStay).where(AccommodationStay.application_id.in_(ids))
    )
    return list(result.scalars())


async def resettlements(session: AsyncSession, ids: list[str]) -> list[ResettlementApplication]:
    result = await session.execute(
        select(ResettlementApplication).where(ResettlementApplication.application_id.in_(ids))
    )
    return list(result.scalars())


async def payments(session: AsyncSession, resettlement_ids: list[str]) -> list[SupportPayment]:
    result = await session.execute(
        select(SupportPayment)
        .where(SupportPayment.resettlement_id.in_(resettlement_ids))
        .order_by(SupportPayment.resettlement_id, SupportPayment.sequence)
    )
    return list(result.scalars())


async def placements(session: AsyncSession, ids: list[str]) -> list[AdaptationPlacement]:
    result = await session.execute(
        select(AdaptationPlacement).where(AdaptationPlacement.application_id.in_(ids))
    )
    return list(result.scalars())


async def services_delivered(
    session: AsyncSession, placement_ids: list[str]
) -> list[DeliveredService]:
    result = await session.execute(
        select(DeliveredService).where(DeliveredService.placement_id.in_(placement_ids))
    )
    return list(result.scalars())


async def plan_items(session: AsyncSession, placement_ids: list[str]) -> list[IntegrationPlanItem]:
    result = await session.execute(
        select(IntegrationPlanItem).where(IntegrationPlanItem.placement_id.in_(placement_ids))
    )
    return list(result.scalars())
