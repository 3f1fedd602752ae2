"""HTTP endpoint of a person's stay: days used, allowed stay, overstay."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from registration.base import plumbing
from registration.rulebook import rulebook
from registration.stays.schemas import StayStatus
from registration.stays.service import stay_status
from shared import audit, clock
from shared.auth.deps import check_region, require_scope
from shared.auth.tokens import Principal
from shared.http import ServiceDep

router = APIRouter(tags=["stays"])

# registration keeps an audit log (plumbing_tables(..., audit=True) in registration/base.py).
assert plumbing.audit is not None
AUDIT_LOG = plumbing.audit

PERSON_ID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


@router.get(
    "/persons/{person_id}/stay",
    response_model=StayStatus,
    summary="How long this person may stay: days used in 180, allowed until, overstay",
)
async def get_stay(
    person_id: Annotated[str, Path(pattern=PERSON_ID)],
    service: ServiceDep,
    principal: Annotated[Principal | None, require_scope("registration:stay:read")],
    on: Annotated[date | None, Query(description="The day to answer for; today by default")] = None,
) -> StayStatus:
    """Counts each calendar day present in the window ending on `on` (entry and exit included)."""
    async with service.db.transaction() as session:
        status, stay = await stay_status(
            session, person_id, on=on or clock.today(), rules=rulebook()
        )
        if stay is not None:
            check_region(principal, stay.region)
        await audit.record(
            session, AUDIT_LOG, actor=audit.actor_of(principal),
            action="stay.read", resource=f"person/{person_id}/stay", person_id=person_id,
        )
    return status
