"""HTTP endpoint of invitations."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from registration.cases.http import with_case_header
from registration.cases.service import open_case
from registration.invitations.schemas import InvitationIssuedOut, InvitationRequest
from registration.invitations.service import issue_invitation
from registration.rulebook import rulebook
from shared import clock, context
from shared.auth.deps import require_scope
from shared.http import ServiceDep
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
        # The invitation is the first step of the foreign-worker flow: it opens the one-window
        # case (the portal's X-Case-Id, or a new number), and its event carries the case.
        case_id = await open_case(
            uow.session, context.case_id.get(), today=clock.today(), now=clock.now()
        )
        token = context.case_id.set(case_id)
        try:
            issued = await issue_invitation(
                uow, body, today=clock.today(), now=clock.now(), rules=rulebook(),
                pseudonym_key=key,
            )
        finally:
            context.case_id.reset(token)
        return 201, issued.model_copy(update={"case_id": case_id}).model_dump(mode="json")

    response = await service.idempotent(request, action)
    return with_case_header(response)
