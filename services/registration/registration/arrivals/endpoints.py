"""HTTP endpoints of arrival notifications."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from registration.arrivals.schemas import ArrivalAccepted, ArrivalRequest
from registration.arrivals.service import notify_arrival
from registration.rulebook import rulebook
from shared import clock
from shared.auth.deps import require_scope
from shared.calendar import default_calendar
from shared.http import ServiceDep
from shared.outbox import UnitOfWork

router = APIRouter(tags=["arrivals"])


@router.post(
    "/arrivals",
    status_code=201,
    response_model=ArrivalAccepted,
    summary="Notify the arrival of a foreigner (by the receiving party)",
    dependencies=[require_scope("registration:arrivals:write")],
)
async def post_arrival(body: ArrivalRequest, request: Request, service: ServiceDep) -> JSONResponse:
    """Records the notification, computes the deadline and allowed stay, publishes the event."""
    key = service.settings.pseudonym_key.get_secret_value().encode()

    async def action(uow: UnitOfWork) -> tuple[int, object]:
        accepted = await notify_arrival(
            uow,
            body,
            received_at=clock.now(),
            today=clock.today(),
            rules=rulebook(),
            calendar=default_calendar(),
            pseudonym_key=key,
        )
        return 201, accepted.model_dump(mode="json")

    return await service.idempotent(request, action)
