"""HTTP endpoints of stays in temporary accommodation centres."""

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from diaspora.accommodation import repository, service
from diaspora.accommodation.schemas import CheckInRequest, CheckOutRequest, StayOut
from diaspora.metrics import metrics_of
from diaspora.pagination import CursorQuery, LimitQuery, Page
from diaspora.rulebook import rulebook
from shared import clock
from shared.auth.deps import check_region, require_scope
from shared.auth.tokens import Principal
from shared.errors import Problem
from shared.http import ServiceDep
from shared.outbox import UnitOfWork

router = APIRouter(tags=["accommodation centres"])

Staff = Annotated[Principal | None, require_scope("diaspora:centres:write")]
Reader = Annotated[Principal | None, require_scope("diaspora:centres:read")]


@router.post(
    "/accommodation-stays",
    status_code=201,
    response_model=StayOut,
    summary="Check a family in to a temporary accommodation centre (centre staff)",
)
async def post_stay(
    body: CheckInRequest, request: Request, svc: ServiceDep, principal: Staff
) -> JSONResponse:
    """Refused on day 11 of the stay limit, for a granted status, or when the centre is full."""

    async def action(uow: UnitOfWork) -> tuple[int, object]:
        stay = await service.check_in(
            uow,
            body,
            today=clock.today(),
            rules=rulebook(),
            authorize=lambda region: check_region(principal, region),
        )
        return 201, service.to_view(stay, clock.today()).model_dump(mode="json")

    try:
        return await svc.idempotent(request, action)
    except service.CheckInRefused as refused:
        metrics_of(svc).accommodation_check_ins_refused.labels(refused.reason).inc()
        raise


@router.post(
    "/accommodation-stays/{stay_id}/check-out",
    response_model=StayOut,
    summary="Check a family out (centre staff)",
)
async def post_check_out(
    stay_id: str, body: CheckOutRequest, svc: ServiceDep, principal: Staff
) -> StayOut:
    """Publishes `accommodation.checked-out`; a departure after the limit is flagged."""
    async with svc.unit_of_work() as uow:
        stay = await service.check_out(
            uow,
            stay_id,
            reason=body.reason,
            checked_out_on=body.checked_out_on,
            today=clock.today(),
            authorize=lambda region: check_region(principal, region),
        )
    return service.to_view(stay, clock.today())


@router.get("/accommodation-stays/{stay_id}", response_model=StayOut, summary="One stay")
async def get_stay(stay_id: str, svc: ServiceDep, principal: Reader) -> StayOut:
    async with svc.db.transaction() as session:
        stay = await repository.get(session, stay_id)
    if stay is None:
        raise Problem(404, "accommodation.not_found")
    check_region(principal, stay.region)
    return service.to_view(stay, clock.today())


@router.get(
    "/accommodation-stays", response_model=Page[StayOut], summary="Stays, by centre and activity"
)
async def list_stays(
    svc: ServiceDep,
    _principal: Reader,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    centre_id: str | None = None,
    active: bool | None = None,
) -> Page[StayOut]:
    async with svc.db.transaction() as session:
        rows, next_cursor = await repository.page(
            session, centre_id=centre_id, active=active, limit=limit, cursor=cursor
        )
    today = clock.today()
    return Page(items=[service.to_view(s, today) for s in rows], next_cursor=next_cursor)
