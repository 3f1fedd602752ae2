"""A replay of the event log into a fresh projection gives exactly the live projection, on the
in-memory bus with SQLite and on the real Kafka with PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from conftest import KAFKA_BOOTSTRAP
from shared.bus import OutgoingRecord
from shared.bus.memory import InMemoryBus
from shared.db import Database
from shared.service import Service
from shared.settings import ServiceSettings
from statistics_service.app import create_service
from statistics_service.facts.models import Fact, Freshness
from statistics_service.rebuild import rebuild
from tests.support.platform import eventually

from .events import ARRIVALS_TOPIC, arrival_envelope, inbox_count

REGIONS = ["750000000", "710000000", "790000000", "751110000"]


def event_log(prefix: str = "") -> list[OutgoingRecord]:
    """Arrivals over two months and four places, some late, one duplicate, one poison event."""
    records = []
    start = datetime(2025, 5, 1, 9, tzinfo=UTC)
    for i in range(40):
        envelope = arrival_envelope(
            notified_on=date(2025, 5, 1) + timedelta(days=i % 45),
            region=REGIONS[i % len(REGIONS)],
            citizenship=["UZB", "RUS", "CHN"][i % 3],
            purpose=["tourism", "work"][i % 2],
            late=i % 7 == 0,
            at=start + timedelta(hours=i),
        )
        records.append(envelope.to_record(prefix + ARRIVALS_TOPIC))
    records.append(records[5])  # redelivered by the broker
    poison = arrival_envelope(notified_on=date(2025, 5, 2), region="000000000")
    records.append(poison.to_record(prefix + ARRIVALS_TOPIC))
    return records


async def snapshot(url: str) -> dict[str, Any]:
    db = Database(url)
    try:
        async with db.transaction() as session:
            facts = (await session.execute(
                select(Fact.indicator, Fact.day, Fact.region, Fact.citizenship, Fact.category,
                       Fact.value).order_by(Fact.indicator, Fact.day, Fact.region,
                                            Fact.citizenship, Fact.category))).all()
            freshness = (await session.execute(
                select(Freshness.indicator, Freshness.newest_event_at)
                .order_by(Freshness.indicator))).all()
    finally:
        await db.dispose()
    return {
        "facts": [tuple(row) for row in facts],
        "freshness": [(i, t.replace(tzinfo=t.tzinfo or UTC)) for i, t in freshness],
    }


async def live_projection(service: Service, records: list[OutgoingRecord]) -> None:
    async with service.running():
        await service.bus.publish(records)
        applied: Callable[[], Awaitable[int]] = lambda: inbox_count(service)  # noqa: E731
        # 41 distinct events; the poison one is dead-lettered without an inbox row.
        await eventually(applied, lambda n: n >= 40, timeout=60)


async def test_a_replay_reproduces_the_projection_on_the_in_memory_bus(tmp_path: Path) -> None:
    bus = InMemoryBus()
    live_url = f"sqlite+aiosqlite:///{tmp_path / 'live.db'}"
    live = create_service(ServiceSettings(database_url=live_url, bus="memory"), bus=bus)
    await live_projection(live, event_log())
    expected = await snapshot(live_url)
    assert sum(v for *_, v in expected["facts"] if _[0] == "arrivals") == 40

    fresh_url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    report = await rebuild(ServiceSettings(database_url=fresh_url, bus="memory"), bus=bus,
                           idle_seconds=2)
    assert await snapshot(fresh_url) == expected
    assert (report.applied, report.duplicates, report.dead_letters) == (40, 1, 1)

    # In place: the same database emptied and filled again from the log.
    again = await rebuild(ServiceSettings(database_url=live_url, bus="memory"), bus=bus,
                          idle_seconds=2)
    assert await snapshot(live_url) == expected
    assert again.group != report.group
    # The replay published nothing: the poison event was dead-lettered once, by the live consumer.
    assert len(bus.records(ARRIVALS_TOPIC + ".dlt")) == 1


async def test_a_replay_reproduces_the_projection_on_kafka_and_postgresql(
    kafka_prefix: str, pg_database_factory: Callable[[], Awaitable[str]]
) -> None:
    live_url, fresh_url = await pg_database_factory(), await pg_database_factory()
    common = {"bus": "kafka", "kafka_bootstrap": KAFKA_BOOTSTRAP, "topic_prefix": kafka_prefix}
    live = create_service(ServiceSettings(database_url=live_url, **common))
    await live_projection(live, event_log(kafka_prefix))
    expected = await snapshot(live_url)
    assert expected["facts"]

    report = await rebuild(ServiceSettings(database_url=fresh_url, **common), idle_seconds=15)

    assert await snapshot(fresh_url) == expected
    assert report.applied == 40
    assert report.group.startswith(kafka_prefix)
