"""HTTP endpoints of labour-immigrant permits."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from permits.base import plumbing
from permits.deps import LABOUR_IMMIGRANT_PAYMENTS, LABOUR_IMMIGRANTS_WRITE, RulesDep
from permits.http import run_command
from permits.labour_immigrants import service as labour_immigrants
from permits.labour_immigrants.schemas import (
    EmployerChange,
    MonthlyPayment,
    PermitOut,
    PermitRequest,
)
from permits.numbers import PATTERN
from shared import audit, clock
from shared.auth.deps import require_scope
from shared.auth.tokens import Principal
from shared.http import ServiceDep
from shared.outbox import UnitOfWork

router = APIRouter(tags=["labour-immigrant permits"])

# permits keeps an audit log (plumbing_tables(..., audit=True) in permits/base.py).
assert plumbing.audit is not None
AUDIT_LOG = plumbing.audit

PermitNumber = Annotated[str, Path(pattern=PATTERN, description="The permit's number")]


@router.post(
    "/labour-immigrant-permits",
    status_code=201,
    response_model=PermitOut,
    summary="Issue a labour-immigrant permit against prepaid tax (PSC operator)",
)
async def post_permit(
    body: PermitRequest,
    request: Request,
    service: ServiceDep,
    rules: RulesDep,
    principal: Annotated[Principal | None, require_scope(LABOUR_IMMIGRANTS_WRITE)],
) -> JSONResponse:
    """Issues the permit for the months prepaid; refuses (422, nothing recorded) a foreigner
    without a current arrival notification, of a citizenship not eligible, or an employer who
    has as many immigrants as allowed."""

    async def command(uow: UnitOfWork) -> PermitOut:
        permit = await labour_immigrants.issue(
            uow, body, now=clock.now(), today=clock.today(), rules=rules
        )
        await audit.record(
            uow.session, AUDIT_LOG, actor=audit.actor_of(principal),
            action="labour-immigrant-permit.issued",
            resource=f"labour-immigrant-permit/{permit.permit_number}",
            person_id=permit.person_id, details={"months": permit.months_paid},
        )
        return permit

    return await run_command(request, service, 201, command)


@router.post(
    "/labour-immigrant-permits/{permit_number}/payments",
    response_model=PermitOut,
    summary="A monthly prepayment of the tax (tax authority or payment gateway)",
)
async def post_payment(
    permit_number: PermitNumber,
    body: MonthlyPayment,
    request: Request,
    service: ServiceDep,
    rules: RulesDep,
    _principal: Annotated[Principal | None, require_scope(LABOUR_IMMIGRANT_PAYMENTS)],
) -> JSONResponse:
    """Extends the paid period by the months paid, up to the most months a permit may have."""
    return await run_command(
        request, service, 200,
        lambda uow: labour_immigrants.pay(
            uow, permit_number, body, now=clock.now(), today=clock.today(), rules=rules
        ),
    )


@router.post(
    "/labour-immigrant-permits/{permit_number}/employer-change",
    response_model=PermitOut,
    summary="Notify a change of individual employer (PSC operator)",
)
async def post_employer_change(
    permit_number: PermitNumber,
    body: EmployerChange,
    request: Request,
    service: ServiceDep,
    rules: RulesDep,
    _principal: Annotated[Principal | None, require_scope(LABOUR_IMMIGRANTS_WRITE)],
) -> JSONResponse:
    """The new employer must have room for one more labour immigrant."""
    return await run_command(
        request, service, 200,
        lambda uow: labour_immigrants.change_employer(
            uow, permit_number, body, now=clock.now(), today=clock.today(), rules=rules
        ),
    )
