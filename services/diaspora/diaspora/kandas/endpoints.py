"""HTTP endpoints of kandas status applications."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from diaspora.access import Authorize
from diaspora.base import plumbing
from diaspora.cases.http import with_case_header
from diaspora.cases.service import open_case
from diaspora.kandas import repository, service
from diaspora.kandas.models import KandasApplication
from diaspora.kandas.schemas import (
    DecisionRequest,
    ExtensionRequest,
    KandasApplicationOut,
    KandasApplicationRequest,
    KandasStatus,
    PackageCompleteRequest,
    TerminationRequest,
)
from diaspora.metrics import metrics_of
from diaspora.pagination import CursorQuery, LimitQuery, Page
from diaspora.rulebook import rulebook
from shared import audit, clock, context
from shared.auth.deps import check_region, require_scope
from shared.auth.tokens import Principal
from shared.calendar import default_calendar
from shared.errors import Problem
from shared.http import ServiceDep
from shared.outbox import UnitOfWork

router = APIRouter(tags=["kandas"])

# diaspora keeps an audit log (plumbing_tables(..., audit=True) in diaspora/base.py).
assert plumbing.audit is not None
AUDIT_LOG = plumbing.audit

Processor = Annotated[Principal | None, require_scope("diaspora:kandas:process")]
Decider = Annotated[Principal | None, require_scope("diaspora:kandas:decide")]
Reader = Annotated[Principal | None, require_scope("diaspora:kandas:read")]


def _jurisdiction(principal: Principal | None) -> Authorize:
    return lambda region: check_region(principal, region)


async def _view(uow: UnitOfWork, application: KandasApplication) -> KandasApplicationOut:
    history = await repository.history(uow.session, application.id)
    return service.to_view(application, history, clock.today())


async def _audit(
    session: AsyncSession, principal: Principal | None, action: str,
    application: KandasApplication,
) -> None:
    """A decision on, or a read of, the applicant's data, in the same transaction."""
    await audit.record(
        session, AUDIT_LOG, actor=audit.actor_of(principal), action=action,
        resource=f"kandas-application/{application.id}", person_id=application.person_id,
        details={"status": application.status, "applicant_id": application.applicant_id},
    )


@router.post(
    "/kandas/applications",
    status_code=201,
    response_model=KandasApplicationOut,
    summary="Apply for kandas status (applicant, through the portal)",
    dependencies=[require_scope("diaspora:kandas:apply")],
)
async def post_application(
    body: KandasApplicationRequest, request: Request, svc: ServiceDep
) -> JSONResponse:
    """Records the application and publishes `kandas.application-submitted`."""
    key = svc.settings.pseudonym_key.get_secret_value().encode()

    async def action(uow: UnitOfWork) -> tuple[int, object]:
        # The application is the first step of the kandas flow: it opens the one-window case
        # (the portal's X-Case-Id, or a new number), and its event carries the case.
        case_id = await open_case(uow.session, context.case_id.get(), today=clock.today())
        token = context.case_id.set(case_id)
        try:
            application = await service.submit(
                uow,
                body,
                today=clock.today(),
                at=clock.now(),
                pseudonym_key=key,
                case_id=case_id,
            )
        finally:
            context.case_id.reset(token)
        return 201, (await _view(uow, application)).model_dump(mode="json")

    response = await svc.idempotent(request, action)
    return with_case_header(response)


@router.post(
    "/kandas/applications/{application_id}/package-complete",
    response_model=KandasApplicationOut,
    summary="Register the complete package: the decision clock starts (officer)",
)
async def post_package_complete(
    application_id: str,
    svc: ServiceDep,
    principal: Processor,
    body: PackageCompleteRequest | None = None,
) -> KandasApplicationOut:
    """Fixes `decision_due` by the deadline rule in force on the day of registration."""
    async with svc.unit_of_work() as uow:
        application = await service.complete_package(
            uow,
            application_id,
            body.registered_on if body else None,
            today=clock.today(),
            at=clock.now(),
            rules=rulebook(),
            calendar=default_calendar(),
            authorize=_jurisdiction(principal),
        )
        await _audit(uow.session, principal, "kandas.package-registered", application)
        return await _view(uow, application)


@router.post(
    "/kandas/applications/{application_id}/decision",
    response_model=KandasApplicationOut,
    summary="Grant, propose a refusal (the hearing first), or refuse after the hearing (officer)",
)
async def post_decision(
    application_id: str, body: DecisionRequest, svc: ServiceDep, principal: Decider
) -> KandasApplicationOut:
    """A refusal is possible only after the hearing; a decision after the deadline is flagged."""
    async with svc.unit_of_work() as uow:
        application = await service.decide(
            uow,
            application_id,
            body,
            today=clock.today(),
            at=clock.now(),
            rules=rulebook(),
            calendar=default_calendar(),
            authorize=_jurisdiction(principal),
        )
        await _audit(uow.session, principal, f"kandas.{body.decision}", application)
        view = await _view(uow, application)
    if body.decision != "propose_refusal" and application.decided_late:
        metrics_of(svc).kandas_decisions_late.labels(application.region).inc()
    return view


@router.post(
    "/kandas/applications/{application_id}/extension",
    response_model=KandasApplicationOut,
    summary="Extend a granted status (once, officer)",
)
async def post_extension(
    application_id: str, body: ExtensionRequest, svc: ServiceDep, principal: Decider
) -> KandasApplicationOut:
    """Publishes `kandas.status-extended`."""
    async with svc.unit_of_work() as uow:
        application = await service.extend(
            uow,
            application_id,
            body.months,
            today=clock.today(),
            at=clock.now(),
            rules=rulebook(),
            authorize=_jurisdiction(principal),
        )
        await _audit(uow.session, principal, "kandas.extended", application)
        return await _view(uow, application)


@router.post(
    "/kandas/applications/{application_id}/termination",
    response_model=KandasApplicationOut,
    summary="Terminate a status, with a reason (officer)",
)
async def post_termination(
    application_id: str, body: TerminationRequest, svc: ServiceDep, principal: Decider
) -> KandasApplicationOut:
    """Publishes `kandas.status-terminated`; the family's adaptation placement ends with it."""
    async with svc.unit_of_work() as uow:
        application = await service.terminate(
            uow,
            application_id,
            body,
            today=clock.today(),
            at=clock.now(),
            authorize=_jurisdiction(principal),
        )
        await _audit(uow.session, principal, "kandas.terminated", application)
        return await _view(uow, application)


@router.get(
    "/kandas/applications/{application_id}",
    response_model=KandasApplicationOut,
    summary="Status, deadline and history of an application",
)
async def get_application(
    application_id: str, svc: ServiceDep, principal: Reader
) -> KandasApplicationOut:
    async with svc.db.transaction() as session:
        application = await repository.get(session, application_id)
        if application is None:
            raise Problem(404, "kandas.not_found")
        check_region(principal, application.region)
        history = await repository.history(session, application_id)
        await _audit(session, principal, "kandas.read", application)
    return service.to_view(application, history, clock.today())


@router.get(
    "/kandas/applications",
    response_model=Page[KandasApplicationOut],
    summary="Applications; `overdue=true` lists decisions past their deadline",
)
async def list_applications(
    svc: ServiceDep,
    principal: Reader,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    overdue: Annotated[
        bool | None, Query(description="Only pending past due or decided late")
    ] = None,
    status: KandasStatus | None = None,
    region: Annotated[str | None, Query(pattern=r"^\d{9}$")] = None,
) -> Page[KandasApplicationOut]:
    """An officer with a region claim sees only that region's applications."""
    if principal is not None and principal.region:
        region = principal.region
    today = clock.today()
    async with svc.db.transaction() as session:
        rows, next_cursor = await repository.page(
            session,
            today=today,
            overdue=overdue,
            status=status,
            region=region,
            limit=limit,
            cursor=cursor,
        )
    return Page(items=[service.to_view(a, [], today) for a in rows], next_cursor=next_cursor)
