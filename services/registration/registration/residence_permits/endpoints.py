"""HTTP endpoints of temporary residence permits and their public verification."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from registration.base import plumbing
from registration.residence_permits import repository
from registration.residence_permits.schemas import (
    PERMIT_NUMBER,
    ResidencePermitDecisionOut,
    ResidencePermitDecisionRequest,
    ResidencePermitRequest,
    ResidencePermitSubmittedOut,
    ResidencePermitVerification,
)
from registration.residence_permits.service import apply, decide, verify_permit
from registration.rulebook import rulebook
from shared import audit, clock
from shared.auth.deps import require_scope
from shared.auth.tokens import Principal
from shared.calendar import default_calendar
from shared.http import ServiceDep
from shared.limits import rate_limit
from shared.outbox import UnitOfWork

router = APIRouter(tags=["residence-permits"])

# registration keeps an audit log (plumbing_tables(..., audit=True) in registration/base.py).
assert plumbing.audit is not None
AUDIT_LOG = plumbing.audit


@router.post(
    "/residence-permits",
    status_code=201,
    response_model=ResidencePermitSubmittedOut,
    summary="Apply for a temporary residence permit for work",
    dependencies=[require_scope("registration:residence-permits:apply")],
)
async def post_residence_permit(
    body: ResidencePermitRequest, request: Request, service: ServiceDep
) -> JSONResponse:
    """Records the application tied to a work permit or contract; the decision is due by rule."""
    key = service.settings.pseudonym_key.get_secret_value().encode()

    async def action(uow: UnitOfWork) -> tuple[int, object]:
        submitted = await apply(
            uow, body, today=clock.today(), now=clock.now(), rules=rulebook(),
            calendar=default_calendar(), pseudonym_key=key,
        )
        return 201, submitted.model_dump(mode="json")

    return await service.idempotent(request, action)


@router.post(
    "/residence-permits/{application_id}/decision",
    status_code=201,
    response_model=ResidencePermitDecisionOut,
    summary="Issue or refuse a temporary residence permit (officer of the region)",
)
async def post_residence_permit_decision(
    application_id: str,
    body: ResidencePermitDecisionRequest,
    request: Request,
    service: ServiceDep,
    principal: Annotated[
        Principal | None, require_scope("registration:residence-permits:decide")
    ],
) -> JSONResponse:
    """Issuing sets the term (basis end, capped by rule) and extends the holder's allowed stay."""

    async def action(uow: UnitOfWork) -> tuple[int, object]:
        decision = await decide(
            uow, application_id, body, principal=principal, today=clock.today(),
            rules=rulebook(),
        )
        permit = await repository.get(uow.session, application_id)
        await audit.record(
            uow.session, AUDIT_LOG, actor=audit.actor_of(principal),
            action="residence-permit.decided", resource=f"residence-permit/{application_id}",
            person_id=permit.person_id if permit else None, details={"status": decision.status},
        )
        return 201, decision.model_dump(mode="json")

    return await service.idempotent(request, action)


@router.get(
    "/verify/residence-permits/{permit_number}",
    response_model=ResidencePermitVerification,
    summary="Public check of a TRP number (nothing personal)",
    dependencies=[rate_limit("verify")],
)
async def get_permit_verification(
    permit_number: Annotated[str, Path(pattern=PERMIT_NUMBER)], service: ServiceDep
) -> ResidencePermitVerification:
    """Valid or not and the validity dates."""
    async with service.db.transaction() as session:
        return await verify_permit(session, permit_number, today=clock.today())
