"""HTTP endpoint of a person's access log (the audit entries that name the person)."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field

from registration.base import plumbing
from registration.stays.endpoints import PERSON_ID
from shared import audit
from shared.auth.deps import current_principal
from shared.auth.tokens import Principal
from shared.errors import Problem
from shared.http import ServiceDep

router = APIRouter(tags=["access log"])

# registration keeps an audit log (plumbing_tables(..., audit=True) in registration/base.py).
assert plumbing.audit is not None
AUDIT_LOG = plumbing.audit

# The person reads their own log; an auditor (data-protection officer) reads anyone's.
OWN_SCOPE = "registration:access-log:read"
AUDITOR_SCOPE = "registration:audit:read"


class AccessOut(BaseModel):
    at: datetime = Field(description="When (UTC)")
    actor: str = Field(description="Who: the subject of the token that acted")
    action: str = Field(description="What: e.g. `evisa.read`, `residence-permit.decided`")
    resource: str = Field(description="Which record")
    purpose: str | None = Field(description="Why: the `X-Purpose` the caller gave")


class AccessLogOut(BaseModel):
    person_id: str
    entries: list[AccessOut]


def _reader(
    person_id: Annotated[str, Path(pattern=PERSON_ID)], request: Request
) -> Principal:
    """The person themself (token subject = person_id) or an auditor; never anonymous, since
    the log names who looked at the person."""
    principal = current_principal(request)
    if principal is None:
        raise Problem(401, "unauthorized", headers={"WWW-Authenticate": "Bearer"})
    if principal.has(AUDITOR_SCOPE):
        return principal
    if not principal.has(OWN_SCOPE):
        raise Problem(403, "forbidden", params={"scope": OWN_SCOPE})
    if principal.subject != person_id:
        raise Problem(403, "forbidden", params={"scope": f"{OWN_SCOPE} (own person_id)"})
    return principal


@router.get(
    "/persons/{person_id}/access-log",
    response_model=AccessLogOut,
    summary="Who read or decided on this person's data, when and why",
    responses={401: {"description": "No token"}, 403: {"description": "Another person's log"}},
)
async def get_access_log(
    person_id: Annotated[str, Path(pattern=PERSON_ID)],
    service: ServiceDep,
    principal: Annotated[Principal, Depends(_reader)],
) -> AccessLogOut:
    """Every audit entry naming the person, oldest first. An auditor's reading is itself
    recorded (after the entries are read, so it shows in the next answer)."""
    table = AUDIT_LOG
    async with service.db.transaction() as session:
        entries = await audit.reads_of_person(session, table, person_id)
        if principal.subject != person_id:
            await audit.record(
                session, table, actor=audit.actor_of(principal), action="access-log.read",
                resource=f"person/{person_id}/access-log", person_id=person_id,
            )
    return AccessLogOut(person_id=person_id, entries=[AccessOut(**e) for e in entries])
