"""The consumer: each event applied once, poison to the dead-letter topic, transient errors
retried. On SQLite and PostgreSQL with the in-process bus (the same code runs on Kafka in
tests/reliability)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import ClassVar

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.bus import IncomingRecord, OutgoingRecord
from shared.bus.memory import InMemoryBus
from shared.db import Database
from shared.events import DomainEvent, Envelope
from shared.inbox import ConsumerSpec, EventConsumer, PoisonEvent
from shared.plumbing import plumbing_tables

TOPIC = "koshqon.test.things"
metadata = MetaData()
plumbing = plumbing_tables(metadata)
counters = Table(
    "counters", metadata, Column("name", String(50), primary_key=True), Column("value", Integer)
)


class ThingCounted(DomainEvent):
    service: ClassVar[str] = "test"
    name: ClassVar[str] = "thing.counted"
    topic: ClassVar[str] = TOPIC
    thing: str

    def aggregate_id(self) -> str:
        return self.thing


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
        await connection.execute(counters.insert().values(name="things", value=0))
    yield database
    await database.dispose()


async def count(session: AsyncSession, event: Envelope) -> None:
    if event.data.get("thing") == "poison":
        raise PoisonEvent("this thing can never be counted")
    await session.execute(
        update(counters).where(counters.c.name == "things").values(value=counters.c.value + 1)
    )


def consumer(db: Database, bus: InMemoryBus, handler=count) -> EventConsumer:  # type: ignore[no-untyped-def]
    spec = ConsumerSpec("counter", [TOPIC], {ThingCounted.event_type(): handler})
    return EventConsumer(spec, db, plumbing.inbox, bus, topics=[TOPIC], group="counter")


async def counted(db: Database) -> int:
    async with db.transaction() as session:
        return int(await session.scalar(select(counters.c.value)) or 0)


def record(thing: str) -> OutgoingRecord:
    return Envelope.wrap(ThingCounted(thing=thing)).to_record(TOPIC)


async def run_until_idle(c: EventConsumer, bus: InMemoryBus) -> None:
    task = asyncio.create_task(c.run())
    try:
        for _ in range(200):
            await asyncio.sleep(0.02)
            lag = await bus.subscribe("counter", [TOPIC]).lag()
            if lag == 0:
                break
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_a_redelivered_event_is_applied_once(db: Database) -> None:
    bus = InMemoryBus()
    once = record("a")
    await bus.publish([once, once, record("b")])
    c = consumer(db, bus)
    await run_until_idle(c, bus)
    assert await counted(db) == 2
    assert c.stats.duplicates == 1


async def test_unreadable_and_poison_events_go_to_the_dead_letter_topic(db: Database) -> None:
    bus = InMemoryBus()
    garbage = OutgoingRecord(TOPIC, "k", b"\x00garbage", {})
    await bus.publish([record("a"), garbage, record("poison"), record("b")])
    c = consumer(db, bus)
    await run_until_idle(c, bus)

    assert await counted(db) == 2
    dead = bus.records(TOPIC + ".dlt")
    assert len(dead) == 2
    assert dead[0].value == b"\x00garbage"
    assert b"poison" in dead[1].value
    assert dead[1].headers["koshqon_dlt_reason"].startswith(b"PoisonEvent")
    assert dead[1].headers["koshqon_dlt_consumer"] == b"counter"


async def test_a_transient_failure_is_retried_and_counted_once(db: Database) -> None:
    bus = InMemoryBus()
    await bus.publish([record("a"), record("b")])
    failures = {"left": 2}

    async def flaky(session: AsyncSession, event: Envelope) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise OperationalError("SELECT 1", {}, ConnectionError("database went away"))
        await count(session, event)

    c = consumer(db, bus, flaky)
    await run_until_idle(c, bus)
    assert await counted(db) == 2
    assert bus.records(TOPIC + ".dlt") == []


async def test_offsets_are_committed_only_after_the_database_commit(db: Database) -> None:
    bus = InMemoryBus()
    await bus.publish([record("a")])
    c = consumer(db, bus)
    subscription = bus.subscribe("counter", [TOPIC])
    await subscription.start()
    records: list[IncomingRecord] = await subscription.getmany(0.1, 10)
    await c.apply(records)
    # Crash before the offset commit: the record comes again and changes nothing.
    await subscription.rewind()
    again = await subscription.getmany(0.1, 10)
    assert [r.offset for r in again] == [r.offset for r in records]
    await c.apply(again)
    assert await counted(db) == 1


async def test_a_deadlock_in_a_handler_is_retried_not_dead_lettered(db: Database) -> None:
    from sqlalchemy.exc import DBAPIError

    class Deadlock(Exception):
        sqlstate = "40P01"

    bus = InMemoryBus()
    await bus.publish([record("a")])
    failures = {"left": 1}

    async def deadlocking(session: AsyncSession, event: Envelope) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise DBAPIError("UPDATE facts", {}, Deadlock("deadlock detected"))
        await count(session, event)

    c = consumer(db, bus, deadlocking)
    await run_until_idle(c, bus)
    assert await counted(db) == 1
    assert bus.records(TOPIC + ".dlt") == []


async def count_together(session: AsyncSession, events: Sequence[Envelope]) -> dict[str, str]:
    refused = {e.id: "PoisonEvent: never countable" for e in events if e.data["thing"] == "poison"}
    await session.execute(
        update(counters).where(counters.c.name == "things")
        .values(value=counters.c.value + len(events) - len(refused))
    )
    return refused


def batch_consumer(db: Database, bus: InMemoryBus, batch_handler=count_together) -> EventConsumer:  # type: ignore[no-untyped-def]
    spec = ConsumerSpec("counter", [TOPIC], {ThingCounted.event_type(): count},
                        batch_handler=batch_handler)
    return EventConsumer(spec, db, plumbing.inbox, bus, topics=[TOPIC], group="counter")


async def test_a_batch_handler_applies_each_event_once_and_refuses_poison(db: Database) -> None:
    bus = InMemoryBus()
    a = record("a")
    await bus.publish([a, a, OutgoingRecord(TOPIC, "k", b"\x00garbage", {}), record("poison"),
                       record("b")])
    c = batch_consumer(db, bus)
    await run_until_idle(c, bus)
    await bus.publish([a, record("c")])  # redelivered in a later batch
    await run_until_idle(c, bus)

    assert await counted(db) == 3
    assert (c.stats.applied, c.stats.duplicates, c.stats.dead_lettered) == (3, 2, 2)
    dead = bus.records(TOPIC + ".dlt")
    assert [d.headers["koshqon_dlt_reason"][:11] for d in dead] == [b"not a reada", b"PoisonEvent"]
    async with db.transaction() as session:
        inbox_rows = await session.scalar(select(func.count()).select_from(plumbing.inbox))
    assert inbox_rows == 4  # a, poison, b, c


async def test_a_batch_that_fails_is_applied_again_event_by_event(db: Database) -> None:
    async def fails_on_poison(session: AsyncSession, events: Sequence[Envelope]) -> dict[str, str]:
        await count_together(session, events)
        if any(e.data["thing"] == "poison" for e in events):
            raise IntegrityError("INSERT", {}, ValueError("a constraint the batch breaks"))
        return {}

    bus = InMemoryBus()
    await bus.publish([record("a"), record("poison"), record("b")])
    c = batch_consumer(db, bus, fails_on_poison)
    await run_until_idle(c, bus)

    assert await counted(db) == 2
    assert len(bus.records(TOPIC + ".dlt")) == 1
    assert (c.stats.applied, c.stats.dead_lettered) == (2, 1)
