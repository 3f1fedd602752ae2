"""HTTP endpoint of invitations."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from registration.invitations.schemas import InvitationIssuedOut, InvitationRequest
from registration.invitations.service import issue_invitation
from registration.rulebook import rulebook
from shared import clock
from shared.auth.deps import require_scope
from shared.http import ServiceDep
from shared.idempotency import run_idempotent
from shared.outbox import UnitOfWork

router = APIRouter(tags=["invitations"])


@router.post(
    "/invitations",
    status_code=201,
    response_model=InvitationIssuedOut,
    summary="Request an invitation for foreigners (by a company or a person)",
    dependencies=[require_scope("registration:invitations:write")],
)
async def post_invitation(
    body: InvitationRequest, request: Request, service: ServiceDep
) -> JSONResponse:
    """Issues the 10-digit invitation number and the state fee (MCI per invitee)."""
    key = service.settings.pseudonym_key.get_secret_value().encode()

    async def action(uow: UnitOfWork) -> tuple[int, object]:
        issued = await issue_invitation(
            uow, body, today=clock.today(), now=clock.now(), rules=rulebook(), pseudonym_key=key
        )
        return 201, issued.model_dump(mode="json")

    return await run_idempotent(
        request=request, db=service.db, table=service.definition.plumbing.idempotency,
        new_unit_of_work=service.unit_of_work, action=action,
    )
