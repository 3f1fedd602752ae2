"""HTTP endpoints of e-Visa applications, decisions and public visa verification."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from registration.base import plumbing
from registration.evisa import repository
from registration.evisa.schemas import (
    VISA_NUMBER,
    EvisaApplicationOut,
    EvisaApplicationRequest,
    EvisaDecisionOut,
    EvisaDecisionRequest,
    EvisaSubmittedOut,
    VisaVerification,
)
from registration.evisa.service import application_view, decide, submit_application, verify_visa
from registration.rulebook import rulebook
from shared import audit, clock
from shared.auth.deps import require_scope
from shared.auth.tokens import Principal
from shared.calendar import default_calendar
from shared.http import ServiceDep
from shared.limits import rate_limit
from shared.outbox import UnitOfWork

router = APIRouter(tags=["evisa"])

# registration keeps an audit log (plumbing_tables(..., audit=True) in registration/base.py).
assert plumbing.audit is not None
AUDIT_LOG = plumbing.audit


@router.post(
    "/evisa/applications",
    status_code=201,
    response_model=EvisaSubmittedOut,
    summary="Apply for an e-Visa with an invitation",
    dependencies=[require_scope("registration:evisa:apply")],
)
async def post_application(
    body: EvisaApplicationRequest, request: Request, service: ServiceDep
) -> JSONResponse:
    """Records the application and starts the review deadline (working days)."""
    key = service.settings.pseudonym_key.get_secret_value().encode()

    async def action(uow: UnitOfWork) -> tuple[int, object]:
        submitted = await submit_application(
            uow, body, today=clock.today(), now=clock.now(), rules=rulebook(),
            calendar=default_calendar(), pseudonym_key=key,
        )
        return 201, submitted.model_dump(mode="json")

    return await service.idempotent(request, action)


@router.post(
    "/evisa/applications/{application_id}/decision",
    status_code=201,
    response_model=EvisaDecisionOut,
    summary="Approve (issue the visa) or refuse an e-Visa application",
)
async def post_decision(
    application_id: str,
    body: EvisaDecisionRequest,
    request: Request,
    service: ServiceDep,
    principal: Annotated[Principal | None, require_scope("registration:evisa:decide")],
) -> JSONResponse:
    """An officer's decision; approval answers with the `visa_number`."""

    async def action(uow: UnitOfWork) -> tuple[int, object]:
        decision = await decide(
            uow, application_id, body, officer=principal.subject if principal else None,
            today=clock.today(), now=clock.now(), rules=rulebook(),
        )
        application = await repository.get(uow.session, application_id)
        await audit.record(
            uow.session, AUDIT_LOG, actor=audit.actor_of(principal),
            action="evisa.decided", resource=f"evisa-application/{application_id}",
            person_id=application.person_id if application else None,
            details={"status": decision.status},
        )
        return 201, decision.model_dump(mode="json")

    return await service.idempotent(request, action)


@router.get(
    "/evisa/applications/{application_id}",
    response_model=EvisaApplicationOut,
    summary="An e-Visa application's status and history",
)
async def get_application(
    application_id: str,
    service: ServiceDep,
    principal: Annotated[Principal | None, require_scope("registration:evisa:read")],
) -> EvisaApplicationOut:
    """Status, deadline, the visa when issued, and every status change."""
    async with service.db.transaction() as session:
        view = await application_view(session, application_id)
        await audit.record(
            session, AUDIT_LOG, actor=audit.actor_of(principal),
            action="evisa.read", resource=f"evisa-application/{application_id}",
            person_id=view.person_id,
        )
        return view


@router.get(
    "/verify/visas/{visa_number}",
    response_model=VisaVerification,
    summary="Public check of a visa number (nothing personal)",
    dependencies=[rate_limit("verify")],
)
async def get_visa_verification(
    visa_number: Annotated[str, Path(pattern=VISA_NUMBER)], service: ServiceDep
) -> VisaVerification:
    """Valid or not, category and validity dates; no name, passport or citizenship."""
    async with service.db.transaction() as session:
        return await verify_visa(session, visa_number, today=clock.today())
