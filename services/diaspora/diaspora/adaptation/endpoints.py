"""HTTP endpoints of placements in adaptation and integration centres."""

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from diaspora.access import Authorize
from diaspora.adaptation import repository, service
from diaspora.adaptation.schemas import (
    MoveOutRequest,
    PlacementOut,
    PlacementRequest,
    PlanRequest,
    ProgressRequest,
    ServiceRequest,
)
from diaspora.pagination import CursorQuery, LimitQuery, Page
from diaspora.rulebook import rulebook
from shared import clock
from shared.auth.deps import check_region, require_scope
from shared.auth.tokens import Principal
from shared.errors import Problem
from shared.http import ServiceDep
from shared.outbox import UnitOfWork

router = APIRouter(tags=["adaptation centres"])

Staff = Annotated[Principal | None, require_scope("diaspora:centres:write")]
Reader = Annotated[Principal | None, require_scope("diaspora:centres:read")]


def _jurisdiction(principal: Principal | None) -> Authorize:
    return lambda region: check_region(principal, region)


@router.post(
    "/adaptation-placements",
    status_code=201,
    response_model=PlacementOut,
    summary="Settle a family with kandas status in an adaptation centre (centre staff)",
)
async def post_placement(
    body: PlacementRequest, request: Request, svc: ServiceDep, principal: Staff
) -> JSONResponse:
    """The placement lasts while the status lasts and at most 6 months from settling."""

    async def action(uow: UnitOfWork) -> tuple[int, object]:
        placement = await service.place(
            uow, body, today=clock.today(), rules=rulebook(), authorize=_jurisdiction(principal)
        )
        return 201, (await service.view(uow.session, placement)).model_dump(mode="json")

    return await svc.idempotent(request, action)


@router.post(
    "/adaptation-placements/{placement_id}/services",
    status_code=201,
    response_model=PlacementOut,
    summary="Record a service delivered to the family",
)
async def post_service(
    placement_id: str, body: ServiceRequest, svc: ServiceDep, principal: Staff
) -> PlacementOut:
    async with svc.unit_of_work() as uow:
        placement = await service.record_service(
            uow, placement_id, body, today=clock.today(), authorize=_jurisdiction(principal)
        )
        return await service.view(uow.session, placement)


@router.put(
    "/adaptation-placements/{placement_id}/plan",
    response_model=PlacementOut,
    summary="Set the family's individual integration plan",
)
async def put_plan(
    placement_id: str, body: PlanRequest, svc: ServiceDep, principal: Staff
) -> PlacementOut:
    async with svc.unit_of_work() as uow:
        placement = await service.set_plan(
            uow, placement_id, body, today=clock.today(), authorize=_jurisdiction(principal)
        )
        return await service.view(uow.session, placement)


@router.post(
    "/adaptation-placements/{placement_id}/plan/items/{item_id}/progress",
    response_model=PlacementOut,
    summary="Record progress on an item of the integration plan",
)
async def post_progress(
    placement_id: str, item_id: str, body: ProgressRequest, svc: ServiceDep, principal: Staff
) -> PlacementOut:
    async with svc.unit_of_work() as uow:
        placement = await service.record_progress(
            uow,
            placement_id,
            item_id,
            body,
            today=clock.today(),
            authorize=_jurisdiction(principal),
        )
        return await service.view(uow.session, placement)


@router.post(
    "/adaptation-placements/{placement_id}/move-out",
    response_model=PlacementOut,
    summary="The family moves out of the centre",
)
async def post_move_out(
    placement_id: str, body: MoveOutRequest, svc: ServiceDep, principal: Staff
) -> PlacementOut:
    async with svc.unit_of_work() as uow:
        placement = await service.move_out(
            uow,
            placement_id,
            body.ended_on,
            today=clock.today(),
            authorize=_jurisdiction(principal),
        )
        return await service.view(uow.session, placement)


@router.get(
    "/adaptation-placements/{placement_id}",
    response_model=PlacementOut,
    summary="A placement with its services and integration plan",
)
async def get_placement(placement_id: str, svc: ServiceDep, principal: Reader) -> PlacementOut:
    async with svc.db.transaction() as session:
        placement = await repository.get(session, placement_id)
        if placement is None:
            raise Problem(404, "adaptation.not_found")
        check_region(principal, placement.region)
        return await service.view(session, placement)


@router.get("/adaptation-placements", response_model=Page[PlacementOut], summary="Placements")
async def list_placements(
    svc: ServiceDep,
    _principal: Reader,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    centre_id: str | None = None,
    active: bool | None = None,
) -> Page[PlacementOut]:
    async with svc.db.transaction() as session:
        rows, next_cursor = await repository.page(
            session, centre_id=centre_id, active=active, limit=limit, cursor=cursor
        )
        items = [await service.view(session, p) for p in rows]
    return Page(items=items, next_cursor=next_cursor)
