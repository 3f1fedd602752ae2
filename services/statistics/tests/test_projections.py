"""The declarative projection table: counted facts, flags, running figures, poison events."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from shared.events import Envelope
from shared.inbox import PoisonEvent
from shared.service import Service
from statistics_service.facts.models import Fact, Freshness
from statistics_service.facts.projections import (
    PROJECTION,
    PROJECTIONS,
    EventProjection,
    FactRule,
    handler_for,
)

from .events import arrival_envelope

QUOTA_SET = "kz.koshqon.permits.quota.set.v1"
QUOTA = EventProjection(QUOTA_SET, "koshqon.permits.quotas", (
    FactRule("quota-limit", day=lambda d: date(d["year"], 1, 1), region="region",
             category="category", amount="limit", replace=True),
    FactRule("quota-used", day=lambda d: date(d["year"], 1, 1), region="region",
             category="category", amount="used", replace=True),
))


def quota_event(used: int, at: datetime) -> Envelope:
    return Envelope(
        id=str(uuid.uuid4()), type=QUOTA_SET, source="/koshqon/permits", subject="q-1", time=at,
        data={"year": 2026, "region": "751110000", "category": "skilled", "limit": 500,
              "used": used, "reserved": 0},
    )


async def facts(service: Service) -> dict[tuple[str, str, str, str], int]:
    async with service.db.transaction() as session:
        rows = (await session.execute(select(Fact))).scalars().all()
    return {(f.indicator, f.region, f.citizenship, f.category): f.value for f in rows}


async def test_an_arrival_counts_once_and_late_ones_twice(service: Service) -> None:
    handler = PROJECTION.handlers["kz.koshqon.registration.arrival.notified.v1"]
    async with service.running():
        async with service.db.transaction() as session:
            await handler(session, arrival_envelope(notified_on=date(2026, 1, 5),
                                                    region="751110000"))
            await handler(session, arrival_envelope(notified_on=date(2026, 1, 5),
                                                    region="751110000", late=True))
        counted = await facts(service)
    # A district's code counts in its region (the first level of KATO).
    assert counted == {("arrivals", "750000000", "UZB", "tourism"): 2,
                       ("arrivals-late", "750000000", "UZB", "tourism"): 1}


async def test_a_running_figure_replaces_the_cell_and_freshness_keeps_the_newest(
    service: Service,
) -> None:
    apply = handler_for(QUOTA)
    newer, older = datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)
    async with service.running():
        async with service.db.transaction() as session:
            await apply(session, quota_event(40, newer))
            await apply(session, quota_event(10, older))
            await apply(session, quota_event(55, newer))
        counted = await facts(service)
        async with service.db.transaction() as session:
            fresh = dict((await session.execute(
                select(Freshness.indicator, Freshness.newest_event_at))).all())
    assert counted[("quota-used", "750000000", "", "skilled")] == 55
    assert counted[("quota-limit", "750000000", "", "skilled")] == 500
    assert fresh["quota-used"].replace(tzinfo=UTC) == newer


async def test_an_unknown_region_is_a_poison_event(service: Service) -> None:
    handler = PROJECTION.handlers["kz.koshqon.registration.arrival.notified.v1"]
    async with service.running(), service.db.transaction() as session:
        with pytest.raises(PoisonEvent):
            await handler(session, arrival_envelope(notified_on=date(2026, 1, 5),
                                                    region="000000000"))


def test_the_consumer_reads_the_topics_of_its_table() -> None:
    assert PROJECTION.name == "statistics-projection"
    assert len(PROJECTION.topics) == len(set(PROJECTION.topics))
    assert set(PROJECTION.topics) == {p.topic for p in PROJECTIONS}
    assert "koshqon.registration.arrivals" in PROJECTION.topics
    assert set(PROJECTION.handlers) == {p.event_type for p in PROJECTIONS}
