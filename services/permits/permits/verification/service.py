"""Public verification of a permit by its number and the holder's birth date. The answer says
valid or not, kind, category, region and valid-until, and nothing else; a wrong birth date gets
the same answer as an unknown number."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from permits.labour_immigrants import repository as labour_immigrants
from permits.numbers import LABOUR_IMMIGRANT_PREFIX, WORK_PERMIT_PREFIX
from permits.work_permits import repository as work_permits
from shared.errors import Problem, not_found


class Verification(BaseModel):
    permit_number: str
    valid: bool = Field(description="True when the permit is in force today")
    kind: Literal["work-permit", "labour-immigrant-permit"]
    category: str | None = Field(description="1-4 or seasonal for a work permit; else null")
    region: str = Field(description="KATO code of the region where the permit is valid")
    valid_until: date | None = Field(description="Last valid day (null before issue)")


def _unknown() -> Problem:
    return not_found()


async def verify(
    session: AsyncSession, permit_number: str, birth_date: date, today: date
) -> Verification:
    if permit_number.startswith(WORK_PERMIT_PREFIX):
        permit = await work_permits.by_number(session, permit_number)
        if permit is None or permit.birth_date != birth_date:
            raise _unknown()
        issued = permit.status == "issued" and permit.valid_from is not None
        valid_until = permit.valid_until if permit.valid_from is not None else None
        return Verification(
            permit_number=permit_number,
            valid=issued
            and permit.valid_from is not None
            and permit.valid_until is not None
            and permit.valid_from <= today <= permit.valid_until,
            kind="work-permit",
            category=permit.category,
            region=permit.region,
            valid_until=valid_until,
        )
    if permit_number.startswith(LABOUR_IMMIGRANT_PREFIX):
        li_permit = await labour_immigrants.get(session, permit_number)
        if li_permit is None or li_permit.birth_date != birth_date:
            raise _unknown()
        return Verification(
            permit_number=permit_number,
            valid=li_permit.status == "active"
            and li_permit.issued_on <= today <= li_permit.paid_until,
            kind="labour-immigrant-permit",
            category=None,
            region=li_permit.region,
            valid_until=li_permit.paid_until,
        )
    raise _unknown()
