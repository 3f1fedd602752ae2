"""HTTP endpoint of departures."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from registration.departures.schemas import DepartureRecordedOut, DepartureRequest
from registration.departures.service import record_departure
from registration.rulebook import rulebook
from shared import clock
from shared.auth.deps import require_scope
from shared.http import ServiceDep
from shared.outbox import UnitOfWork

router = APIRouter(tags=["departures"])


@router.post(
    "/departures",
    status_code=201,
    response_model=DepartureRecordedOut,
    summary="Record a foreigner's exit (border service or host)",
    dependencies=[require_scope("registration:departures:write")],
)
async def post_departure(
    body: DepartureRequest, request: Request, service: ServiceDep
) -> JSONResponse:
    """Closes the stay the exit belongs to and publishes `departure.recorded`."""
    key = service.settings.pseudonym_key.get_secret_value().encode()

    async def action(uow: UnitOfWork) -> tuple[int, object]:
        recorded = await record_departure(
            uow, body, today=clock.today(), now=clock.now(), rules=rulebook(), pseudonym_key=key
        )
        return 201, recorded.model_dump(mode="json")

    return await service.idempotent(request, action)
