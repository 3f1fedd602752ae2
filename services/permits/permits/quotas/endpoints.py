"""HTTP endpoints of the quota ledger."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from permits.deps import QUOTAS_WRITE, PrincipalDep
from permits.quotas import repository
from permits.quotas import service as ledger
from permits.quotas.repository import QuotaKey
from permits.quotas.schemas import QuotaCategory, QuotaOut, QuotaPage, QuotaRequest
from permits.regions import first_level
from shared import clock
from shared.auth.deps import require_scope
from shared.auth.tokens import Principal
from shared.errors import invalid
from shared.http import ServiceDep

router = APIRouter(tags=["quotas"])

Year = Annotated[int, Path(ge=2000, le=2100, description="Calendar year of the quota")]


@router.put(
    "/quotas/{year}/{region}/{category}",
    response_model=QuotaOut,
    summary="Set a quota (ministry)",
)
async def put_quota(
    year: Year,
    region: Annotated[str, Path(description="KATO code of a region or city of rep. significance")],
    category: QuotaCategory,
    body: QuotaRequest,
    service: ServiceDep,
    principal: Annotated[Principal | None, require_scope(QUOTAS_WRITE)],
) -> QuotaOut:
    """Sets the limit of places for a year, region and category; publishes `quota.set`."""
    key = QuotaKey(year, first_level(region, "region"), category)
    async with service.unit_of_work() as uow:
        return await ledger.set_quota(
            uow, key, body, actor=principal.subject if principal else None, at=clock.now()
        )


@router.get("/quotas/{year}", response_model=QuotaPage, summary="The quota ledger of a year")
async def get_quotas(
    year: Year,
    service: ServiceDep,
    _principal: PrincipalDep,
    region: Annotated[str | None, Query(description="Only this region (KATO code)")] = None,
    category: Annotated[QuotaCategory | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Page size")] = 100,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page")] = None,
) -> QuotaPage:
    """Limits, reserved, used and remaining places; filter by region and category."""
    after: tuple[str, str] | None = None
    if cursor is not None:
        after_region, separator, after_category = cursor.partition(":")
        if not separator:
            raise invalid("cursor", "invalid")
        after = (after_region, after_category)
    if region is not None:
        region = first_level(region, "region")
    async with service.db.transaction() as session:
        rows = await repository.of_year(
            session, year, region=region, category=category, after=after, limit=limit + 1
        )
    quotas = [ledger.view(row) for row in rows[:limit]]
    next_cursor = f"{quotas[-1].region}:{quotas[-1].category}" if len(rows) > limit else None
    return QuotaPage(year=year, quotas=quotas, next_cursor=next_cursor)
