"""Public verification of permits (no token needed; limited per client like every public check)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from permits.verification.service import Verification, verify
from shared import clock
from shared.http import ServiceDep
from shared.limits import rate_limit

router = APIRouter(tags=["verification"])


@router.get(
    "/verify/permits/{permit_number}",
    response_model=Verification,
    summary="Is this permit valid? (public, with the holder's birth date)",
    dependencies=[rate_limit("verify")],
)
async def get_verification(
    permit_number: Annotated[str, Path(max_length=40)],
    birth_date: Annotated[date, Query(description="The holder's birth date (second factor)")],
    service: ServiceDep,
) -> Verification:
    """Valid or not, kind, category, region, valid until; 404 for an unknown number or a birth
    date that does not match, alike."""
    async with service.db.transaction() as session:
        return await verify(session, permit_number, birth_date, clock.today())
