"""HTTP endpoints of regional resettlement."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from diaspora.base import plumbing
from diaspora.kandas import repository as kandas_repository
from diaspora.pagination import CursorQuery, LimitQuery, Page
from diaspora.resettlement import repository, service
from diaspora.resettlement.models import ResettlementApplication
from diaspora.resettlement.schemas import (
    QuotaOut,
    QuotaRequest,
    ResettlementDecision,
    ResettlementOut,
    ResettlementRequest,
)
from diaspora.rulebook import rulebook
from shared import audit, clock
from shared.auth.deps import check_region, require_scope
from shared.auth.tokens import Principal
from shared.errors import Problem
from shared.http import ServiceDep
from shared.outbox import UnitOfWork

router = APIRouter(tags=["resettlement"])

# diaspora keeps an audit log (plumbing_tables(..., audit=True) in diaspora/base.py).
assert plumbing.audit is not None
AUDIT_LOG = plumbing.audit

Year = Annotated[int, Path(ge=2000, le=2100)]
Region = Annotated[str, Path(pattern=r"^\d{9}$")]
Decider = Annotated[Principal | None, require_scope("diaspora:resettlement:decide")]
Reader = Annotated[Principal | None, require_scope("diaspora:resettlement:read")]


async def _audit(
    session: AsyncSession, principal: Principal | None, action: str,
    row: ResettlementApplication,
) -> None:
    """A decision on, or a read of, a family's resettlement, in the same transaction."""
    application = await kandas_repository.get(session, row.application_id)
    await audit.record(
        session, AUDIT_LOG, actor=audit.actor_of(principal), action=action,
        resource=f"resettlement/{row.id}",
        person_id=application.person_id if application else None,
        details={"status": row.status, "kandas_application_id": row.application_id},
    )


@router.put(
    "/resettlement/quotas/{year}/{region}",
    response_model=QuotaOut,
    summary="Set a region's resettlement quota for a year (ministry)",
    dependencies=[require_scope("diaspora:resettlement:quota")],
)
async def put_quota(year: Year, region: Region, body: QuotaRequest, svc: ServiceDep) -> QuotaOut:
    """Never below the places already allocated; publishes `resettlement.quota-set`."""
    async with svc.unit_of_work() as uow:
        quota = await service.set_quota(
            uow, year, region, body.places, at=clock.now(), rules=rulebook()
        )
        return service.quota_view(quota)


@router.get(
    "/resettlement/quotas/{year}",
    response_model=list[QuotaOut],
    summary="The year's quotas: places, allocated, remaining",
    dependencies=[require_scope("diaspora:resettlement:read")],
)
async def get_quotas(year: Year, svc: ServiceDep) -> list[QuotaOut]:
    async with svc.db.transaction() as session:
        return [service.quota_view(q) for q in await repository.quotas(session, year)]


@router.post(
    "/resettlement/applications",
    status_code=201,
    response_model=ResettlementOut,
    summary="A kandas family applies to resettle in a quota region",
    dependencies=[require_scope("diaspora:resettlement:apply")],
)
async def post_application(
    body: ResettlementRequest, request: Request, svc: ServiceDep
) -> JSONResponse:
    async def action(uow: UnitOfWork) -> tuple[int, object]:
        row = await service.apply(uow, body, today=clock.today(), rules=rulebook())
        return 201, service.view(row, []).model_dump(mode="json")

    return await svc.idempotent(request, action)


@router.post(
    "/resettlement/applications/{resettlement_id}/decision",
    response_model=ResettlementOut,
    summary="Approve (takes a quota place, schedules support) or refuse (akimat officer)",
)
async def post_decision(
    resettlement_id: str, body: ResettlementDecision, svc: ServiceDep, principal: Decider
) -> ResettlementOut:
    """Publishes `resettlement.approved` and `resettlement.support-scheduled`, or `.refused`."""
    async with svc.unit_of_work() as uow:
        row = await service.decide(
            uow,
            resettlement_id,
            body,
            today=clock.today(),
            rules=rulebook(),
            authorize=lambda region: check_region(principal, region),
        )
        await _audit(uow.session, principal, "resettlement.decided", row)
        return service.view(row, await repository.payments(uow.session, row.id))


@router.get(
    "/resettlement/applications/{resettlement_id}",
    response_model=ResettlementOut,
    summary="A resettlement application with its payment schedule",
)
async def get_application(
    resettlement_id: str, svc: ServiceDep, principal: Reader
) -> ResettlementOut:
    async with svc.db.transaction() as session:
        row = await repository.get(session, resettlement_id)
        if row is None:
            raise Problem(404, "resettlement.not_found")
        await _audit(session, principal, "resettlement.read", row)
        return service.view(row, await repository.payments(session, row.id))


@router.get(
    "/resettlement/applications",
    response_model=Page[ResettlementOut],
    summary="Resettlement applications",
    dependencies=[require_scope("diaspora:resettlement:read")],
)
async def list_applications(
    svc: ServiceDep,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    region: str | None = None,
    status: str | None = None,
) -> Page[ResettlementOut]:
    async with svc.db.transaction() as session:
        rows, next_cursor = await repository.page(
            session, region=region, status=status, limit=limit, cursor=cursor
        )
    return Page(items=[service.view(r, []) for r in rows], next_cursor=next_cursor)
