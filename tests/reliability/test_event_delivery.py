"""Nothing lost, nothing counted twice: on the real PostgreSQL and Kafka."""

from __future__ import annotations

import asyncio
import json
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import func, select

from conftest import KAFKA_BOOTSTRAP, REPO
from registration.app import create_service as create_registration
from registration.arrivals.events import ArrivalNotified
from registration.base import plumbing as registration_plumbing
from shared.bus import OutgoingRecord
from shared.bus.kafka import KafkaBus
from shared.events import Envelope
from shared.settings import ServiceSettings
from tests.support.data import arrival
from tests.support.kafka import read_topic
from tests.support.platform import Platform, eventually, platform, running

ARRIVALS = "koshqon.registration.arrivals"


@pytest.fixture
async def stack(
    kafka_prefix: str, pg_database_factory: Callable[[], asyncio.Future[str]]
) -> AsyncIterator[Platform]:
    async with platform(
        registration_db=await pg_database_factory(),
        statistics_db=await pg_database_factory(),
        bus_kind="kafka",
        kafka_bootstrap=KAFKA_BOOTSTRAP,
        prefix=kafka_prefix,
    ) as p:
        yield p


async def kafka(command: str) -> None:
    process = await asyncio.create_subprocess_exec(
        "bash", str(REPO / "deploy/local/kafka.sh"), command,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode == 0, output.decode()


async def post_arrivals(stack: Platform, count: int, region: str = "750000000") -> None:
    for _ in range(count):
        response = await stack.registration.post("/api/v1/arrivals", json=arrival(region=region))
        assert response.status_code == 201, response.text


async def test_posts_succeed_while_kafka_is_down_and_every_event_arrives_once_after(
    stack: Platform,
) -> None:
    await post_arrivals(stack, 5)
    await eventually(stack.arrivals_count, lambda n: n == 5, timeout=90)

    await kafka("stop")
    try:
        await post_arrivals(stack, 12)
        pending, _ = await stack.registration_service.outbox_backlog()
        assert pending == 12  # waiting in the outbox, not lost
        ready = (await stack.registration.get("/health/ready")).json()
        assert ready["status"] == "warn"
        assert ready["checks"]["kafka:connection"][0]["status"] == "warn"
    finally:
        await kafka("start")

    await eventually(stack.arrivals_count, lambda n: n >= 17, timeout=180)
    await asyncio.sleep(2)  # anything counted twice would show now
    assert await stack.arrivals_count() == 17
    assert (await stack.registration_service.outbox_backlog())[0] == 0


async def test_the_same_event_delivered_twice_is_counted_once(
    stack: Platform, kafka_prefix: str
) -> None:
    events = [
        Envelope.wrap(
            ArrivalNotified.model_validate(
                {"notification_id": f"n-{i}", "person_id": f"p-{i}", "citizenship": "UZB",
                 "region": "550000000", "host_kind": "hotel", "purpose": "work",
                 "entry_date": "2026-11-02", "notified_on": "2026-11-03",
                 "deadline": "2026-11-05", "late": False, "registration_required": False,
                 "allowed_stay_until": "2026-12-01"}
            )
        ).to_record(kafka_prefix + ARRIVALS)
        for i in range(6)
    ]
    bus = KafkaBus(KAFKA_BOOTSTRAP, client_id="duplicate-test")
    try:
        await bus.publish([*events, events[0], events[3], events[0]])
    finally:
        await bus.stop()

    count = await eventually(
        lambda: stack.arrivals_count(region="550000000"), lambda n: n >= 6, timeout=90
    )
    await asyncio.sleep(2)
    assert await stack.arrivals_count(region="550000000") == count == 6
    [consumer] = stack.statistics_service.consumers
    assert consumer.stats.duplicates == 3


async def test_an_unreadable_event_goes_to_the_dead_letter_topic_and_the_consumer_goes_on(
    stack: Platform, kafka_prefix: str
) -> None:
    topic = kafka_prefix + ARRIVALS
    bus = KafkaBus(KAFKA_BOOTSTRAP, client_id="poison-test")
    try:
        await bus.publish([OutgoingRecord(topic, "p-1", b"{not a cloud event", {})])
    finally:
        await bus.stop()
    await post_arrivals(stack, 5, region="390000000")

    await eventually(lambda: stack.arrivals_count(region="390000000"), lambda n: n == 5,
                     timeout=90)
    # Every consumer group of the topic (statistics, and registration's own consumers of it)
    # reports it once.
    groups = [c for s in (stack.statistics_service, stack.registration_service)
              for c in s.consumers if any(t.endswith(ARRIVALS) for t in c.spec.topics)]
    dead = await read_topic(KAFKA_BOOTSTRAP, topic + ".dlt", expect=len(groups))
    by_consumer = {r.headers["koshqon_dlt_consumer"]: r for r in dead}
    assert len(dead) == len(by_consumer) == len(groups)
    statistics = by_consumer[b"statistics-projection"]
    assert statistics.value == b"{not a cloud event"
    assert b"CloudEvent" in statistics.headers["koshqon_dlt_reason"]


async def test_two_relay_processes_publish_each_outbox_row_once(
    kafka_prefix: str, pg_url: str
) -> None:
    service = create_registration(
        ServiceSettings(database_url=pg_url, bus="memory", run_relay=False)
    )
    async with running(service) as client:
        for _ in range(120):
            assert (await client.post("/api/v1/arrivals", json=arrival())).status_code == 201
        async with service.db.transaction() as session:
            await session.execute(
                registration_plumbing.outbox.update().values(
                    topic=kafka_prefix + registration_plumbing.outbox.c.topic
                )
            )
            expected = {
                row.event_id
                for row in (await session.execute(select(registration_plumbing.outbox))).all()
            }
    assert len(expected) == 120

    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.support.relay_process", pg_url, KAFKA_BOOTSTRAP,
            cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [await p.communicate() for p in processes]
    for process, (_out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err.decode()[-2000:]
    published = [int(out.decode().strip().splitlines()[-1]) for out, _ in outputs]
    assert sum(published) == 120

    records = await read_topic(KAFKA_BOOTSTRAP, kafka_prefix + ARRIVALS, expect=120)
    ids = Counter(r.headers["ce_id"].decode() for r in records)
    assert set(ids) == expected
    assert max(ids.values()) == 1
    async with service.db.transaction() as session:
        unsent = await session.scalar(
            select(func.count()).select_from(registration_plumbing.outbox)
            .where(registration_plumbing.outbox.c.sent_at.is_(None))
        )
    assert unsent == 0
    assert json.loads(records[0].value)["person_id"]
