"""The one-window case timeline of the kandas flow: diaspora owns every step of that flow
(application, accommodation centre, status, resettlement, adaptation centre), so it assembles the
timeline from its own records of the case."""

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select

from diaspora.accommodation.models import AccommodationStay
from diaspora.adaptation.models import AdaptationPlacement
from diaspora.kandas.models import KandasApplication, KandasStatusChange
from diaspora.resettlement.models import ResettlementApplication
from shared.auth.deps import require_scope
from shared.errors import Problem
from shared.http import ServiceDep

router = APIRouter(tags=["cases"])


class TimelineEntry(BaseModel):
    on: date
    step: str = Field(description="e.g. kandas.granted, accommodation.checked-in")
    record_id: str = Field(description="The application, stay, placement or resettlement id")


class CaseOut(BaseModel):
    case_id: str
    applications: list[str]
    timeline: list[TimelineEntry]


@router.get(
    "/cases/{case_id}",
    response_model=CaseOut,
    summary="One-window case timeline (kandas flow)",
    dependencies=[require_scope("diaspora:cases:read")],
)
async def get_case(case_id: str, svc: ServiceDep) -> CaseOut:
    """Every step of the kandas applications filed under this case number, in date order."""
    async with svc.db.transaction() as session:
        ids = list(
            (
                await session.execute(
                    select(KandasApplication.id).where(KandasApplication.case_id == case_id)
                )
            ).scalars()
        )
        if not ids:
            raise Problem(404, "case.not_found")
        entries: list[TimelineEntry] = []
        changes = await session.execute(
            select(KandasStatusChange).where(KandasStatusChange.application_id.in_(ids))
        )
        for change in changes.scalars():
            entries.append(
                TimelineEntry(
                    on=change.effective_on,
                    step=f"kandas.{change.status}",
                    record_id=change.application_id,
                )
            )
        stays = await session.execute(
            select(AccommodationStay).where(AccommodationStay.application_id.in_(ids))
        )
        for stay in stays.scalars():
            entries.append(
                TimelineEntry(
                    on=stay.checked_in_on, step="accommodation.checked-in", record_id=stay.id
                )
            )
            if stay.checked_out_on:
                entries.append(
                    TimelineEntry(
                        on=stay.checked_out_on, step="accommodation.checked-out", record_id=stay.id
                    )
                )
        resettlements = await session.execute(
            select(ResettlementApplication).where(ResettlementApplication.application_id.in_(ids))
        )
        for row in resettlements.scalars():
            entries.append(
                TimelineEntry(on=row.applied_on, step="resettlement.applied", record_id=row.id)
            )
            if row.decided_on:
                entries.append(
                    TimelineEntry(
                        on=row.decided_on, step=f"resettlement.{row.status}", record_id=row.id
                    )
                )
        placements = await session.execute(
            select(AdaptationPlacement).where(AdaptationPlacement.application_id.in_(ids))
        )
        for placement in placements.scalars():
            entries.append(
                TimelineEntry(
                    on=placement.settled_on, step="adaptation.placed", record_id=placement.id
                )
            )
            if placement.ended_on:
                entries.append(
                    TimelineEntry(
                        on=placement.ended_on, step="adaptation.ended", record_id=placement.id
                    )
                )
    # A stable order for one day: the order the flow takes.
    order = {
        name: i
        for i, name in enumerate(
            [
                "kandas.submitted",
                "accommodation.checked-in",
                "kandas.package_complete",
                "kandas.hearing",
                "kandas.granted",
                "kandas.refused",
                "accommodation.checked-out",
                "kandas.extended",
                "resettlement.applied",
                "resettlement.approved",
                "resettlement.refused",
                "adaptation.placed",
                "adaptation.ended",
                "kandas.terminated",
                "kandas.expired",
            ]
        )
    }
    entries.sort(key=lambda e: (e.on, order.get(e.step, len(order))))
    return CaseOut(case_id=case_id, applications=ids, timeline=entries)
