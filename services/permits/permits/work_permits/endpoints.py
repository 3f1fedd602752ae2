"""HTTP endpoints of employers' work permits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from permits.base import plumbing
from permits.deps import APPLY, DECIDE, FEES_WRITE, RulesDep, require_any_scope
from permits.http import run_command
from permits.numbers import PATTERN
from permits.work_permits import service as work_permits
from permits.work_permits.schemas import (
    ApplicationOut,
    ApplicationRequest,
    DecisionRequest,
    ExtensionOut,
    FeePayment,
    RevocationRequest,
)
from shared import audit, clock
from shared.auth.deps import check_region, require_scope
from shared.auth.tokens import Principal
from shared.calendar import default_calendar
from shared.http import ServiceDep
from shared.outbox import UnitOfWork

router = APIRouter(tags=["work permits"])

# permits keeps an audit log (plumbing_tables(..., audit=True) in permits/base.py).
assert plumbing.audit is not None
AUDIT_LOG = plumbing.audit

ApplicationId = Annotated[str, Path(max_length=36, description="The application's id")]
PermitNumber = Annotated[str, Path(pattern=PATTERN, description="The permit's number")]


def _subject(principal: Principal | None) -> str | None:
    return principal.subject if principal else None


def _in_region(principal: Principal | None) -> Callable[[str], None]:
    return lambda region: check_region(principal, region)


async def _audited(
    uow: UnitOfWork, principal: Principal | None, action: str,
    application: ApplicationOut,
) -> ApplicationOut:
    """Records the decision in the audit log, in the decision's own transaction."""
    await audit.record(
        uow.session, AUDIT_LOG, actor=audit.actor_of(principal),
        action=action, resource=f"work-permit-application/{application.application_id}",
        person_id=application.person_id, details={"status": application.status},
    )
    return application


@router.post(
    "/work-permits/applications",
    status_code=201,
    response_model=ApplicationOut,
    summary="Apply for a permit to employ a foreign worker (employer)",
)
async def post_application(
    body: ApplicationRequest,
    request: Request,
    service: ServiceDep,
    rules: RulesDep,
    principal: Annotated[Principal | None, require_scope(APPLY)],
) -> JSONResponse:
    """Files the application; the rules checked on filing (local content, seasonal lists) may
    refuse it at once (status `refused` with the reasons)."""
    return await run_command(
        request, service, 201,
        lambda uow: work_permits.submit(
            uow, body, actor=_subject(principal), now=clock.now(), today=clock.today(),
            rules=rules, calendar=default_calendar(),
        ),
    )


@router.get(
    "/work-permits/applications/{application_id}",
    response_model=ApplicationOut,
    summary="An application: status, deadlines, fee notice and history",
)
async def get_application(
    application_id: ApplicationId,
    service: ServiceDep,
    principal: Annotated[Principal | None, require_any_scope(APPLY, DECIDE)],
) -> ApplicationOut:
    """The application as the portal and the akimat see it (an officer only in their region)."""
    async with service.db.transaction() as session:
        application = await work_permits.read(session, application_id, _in_region(principal))
        await audit.record(
            session, AUDIT_LOG, actor=audit.actor_of(principal),
            action="work-permit.read", resource=f"work-permit-application/{application_id}",
            person_id=application.person_id,
        )
        return application


@router.post(
    "/work-permits/applications/{application_id}/decision",
    response_model=ApplicationOut,
    summary="Approve or refuse (akimat officer of the application's region)",
)
async def post_decision(
    application_id: ApplicationId,
    body: DecisionRequest,
    request: Request,
    service: ServiceDep,
    rules: RulesDep,
    principal: Annotated[Principal | None, require_scope(DECIDE)],
) -> JSONResponse:
    """Approval reserves a quota place (409 when none is left) and issues the fee notice."""

    async def command(uow: UnitOfWork) -> ApplicationOut:
        decided = await work_permits.decide(
            uow, application_id, body, actor=_subject(principal),
            authorize=_in_region(principal), now=clock.now(), today=clock.today(),
            rules=rules, calendar=default_calendar(),
        )
        return await _audited(uow, principal, "work-permit.decided", decided)

    return await run_command(request, service, 200, command)


@router.post(
    "/work-permits/applications/{application_id}/withdrawal",
    response_model=ApplicationOut,
    summary="Withdraw an application or an approved, unpaid permit (employer)",
)
async def post_withdrawal(
    application_id: ApplicationId,
    request: Request,
    service: ServiceDep,
    principal: Annotated[Principal | None, require_scope(APPLY)],
) -> JSONResponse:
    """Withdraws it; a reserved quota place is released."""
    return await run_command(
        request, service, 200,
        lambda uow: work_permits.withdraw(
            uow, application_id, actor=_subject(principal), now=clock.now(), today=clock.today()
        ),
    )


@router.post(
    "/work-permits/{permit_number}/fee-payments",
    response_model=ApplicationOut,
    summary="The fee is paid (payment gateway): the permit is issued",
)
async def post_fee_payment(
    permit_number: PermitNumber,
    body: FeePayment,
    request: Request,
    service: ServiceDep,
    _principal: Annotated[Principal | None, require_scope(FEES_WRITE)],
) -> JSONResponse:
    """A payment of the noticed amount within the deadline issues the permit."""
    return await run_command(
        request, service, 200,
        lambda uow: work_permits.pay_fee(
            uow, permit_number, body, now=clock.now(), today=clock.today()
        ),
    )


@router.post(
    "/work-permits/{permit_number}/extensions",
    status_code=201,
    response_model=ExtensionOut,
    summary="Extend a permit (employer)",
)
async def post_extension(
    permit_number: PermitNumber,
    request: Request,
    service: ServiceDep,
    rules: RulesDep,
    principal: Annotated[Principal | None, require_scope(APPLY)],
) -> JSONResponse:
    """Filed early enough and within the count of extensions, the permit is extended."""
    return await run_command(
        request, service, 201,
        lambda uow: work_permits.extend(
            uow, permit_number, actor=_subject(principal), now=clock.now(),
            today=clock.today(), rules=rules, calendar=default_calendar(),
        ),
    )


@router.post(
    "/work-permits/{permit_number}/revocation",
    response_model=ApplicationOut,
    summary="Revoke a permit (akimat officer of the permit's region)",
)
async def post_revocation(
    permit_number: PermitNumber,
    body: RevocationRequest,
    request: Request,
    service: ServiceDep,
    principal: Annotated[Principal | None, require_scope(DECIDE)],
) -> JSONResponse:
    """Revokes an approved or issued permit."""

    async def command(uow: UnitOfWork) -> ApplicationOut:
        revoked = await work_permits.revoke(
            uow, permit_number, body, actor=_subject(principal),
            authorize=_in_region(principal), now=clock.now(), today=clock.today(),
        )
        return await _audited(uow, principal, "work-permit.revoked", revoked)

    return await run_command(request, service, 200, command)
