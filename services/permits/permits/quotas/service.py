"""The quota ledger: the ministry sets limits; permits reserve, consume and release places.

A place is reserved when a permit is approved, consumed when it is issued, and released when an
approved permit is refused, withdrawn or lapses. The ledger never over-issues: see repository.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from permits.quotas import repository
from permits.quotas.events import QuotaSet
from permits.quotas.models import Quota
from permits.quotas.repository import QuotaKey
from permits.quotas.schemas import QuotaOut, QuotaRequest
from shared.errors import Problem
from shared.outbox import UnitOfWork


def view(quota: Quota) -> QuotaOut:
    return QuotaOut(
        year=quota.year,
        region=quota.region,
        category=quota.category,  # type: ignore[arg-type]
        limit=quota.places_limit,
        reserved=quota.reserved,
        used=quota.used,
        remaining=quota.remaining,
        source=quota.source,
        # SQLite hands the moment back without its zone; it was stored in UTC.
        set_at=quota.set_at if quota.set_at.tzinfo else quota.set_at.replace(tzinfo=UTC),
    )


async def set_quota(
    uow: UnitOfWork, key: QuotaKey, request: QuotaRequest, *, actor: str | None, at: datetime
) -> QuotaOut:
    """Sets a quota's limit (never below the places already taken) and publishes `quota.set`."""
    changed = await repository.set_limit(
        uow.session, key, places_limit=request.limit, source=request.source, set_by=actor, at=at
    )
    quota = await repository.get(uow.session, key)
    assert quota is not None
    if not changed:
        raise Problem(
            409,
            "quota.below_committed",
            params={"limit": request.limit, "committed": quota.reserved + quota.used},
        )
    uow.publish(
        QuotaSet(
            year=key.year,
            region=key.region,
            category=key.category,
            limit=quota.places_limit,
            reserved=quota.reserved,
            used=quota.used,
            source=quota.source,
        )
    )
    return view(quota)


async def _no_place(session: AsyncSession, key: QuotaKey) -> Problem:
    code = "quota.exhausted" if await repository.get(session, key) else "quota.not_set"
    return Problem(
        409, code, params={"year": key.year, "region": key.region, "category": key.category}
    )


async def reserve_place(session: AsyncSession, key: QuotaKey) -> None:
    """Reserves a place or raises 409 (no quota set, or none left)."""
    if not await repository.reserve(session, key):
        raise await _no_place(session, key)


async def use_place(session: AsyncSession, key: QuotaKey) -> None:
    """Takes a place for a permit issued at once, or raises 409."""
    if not await repository.use(session, key):
        raise await _no_place(session, key)


async def consume_reservation(session: AsyncSession, key: QuotaKey) -> None:
    if not await repository.consume_reserved(session, key):
        raise RuntimeError(f"quota {key} has no reserved place to consume")


async def release_reservation(session: AsyncSession, key: QuotaKey) -> None:
    if not await repository.release_reserved(session, key):
        raise RuntimeError(f"quota {key} has no reserved place to release")
