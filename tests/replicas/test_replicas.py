"""Three replicas of registration and of statistics as separate processes on the real Kafka and
PostgreSQL: the relays publish every row once and per aggregate in order, the consumer group
shares the partitions, and a replica killed mid-stream loses and doubles nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from datetime import date, timedelta

import asyncpg
import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from conftest import KAFKA_BOOTSTRAP, REPO
from registration.app import create_service as create_registration
from registration.arrivals.events import ArrivalNotified
from shared.settings import ServiceSettings
from tests.support.data import arrival
from tests.support.kafka import read_topic
from tests.support.platform import eventually

ARRIVALS = "koshqon.registration.arrivals"
KEYS, PER_KEY = 12, 25


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Replica:
    def __init__(self, service: str, database: str, prefix: str) -> None:
        self.service = service
        self.port = free_port()
        upper = service.upper()
        env = {
            **os.environ,
            f"KOSHQON_{upper}_DATABASE_URL": database,
            f"KOSHQON_{upper}_BUS": "kafka",
            f"KOSHQON_{upper}_KAFKA_BOOTSTRAP": KAFKA_BOOTSTRAP,
            f"KOSHQON_{upper}_TOPIC_PREFIX": prefix,
            f"KOSHQON_{upper}_PORT": str(self.port),
            f"KOSHQON_{upper}_LOG_LEVEL": "WARNING",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "shared.cli", "serve", service], cwd=REPO, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def ready(self) -> bool:
        try:
            async with httpx.AsyncClient() as client:
                return (await client.get(f"{self.url}/health/ready", timeout=2)).status_code == 200
        except httpx.HTTPError:
            return False

    async def applied(self) -> float:
        async with httpx.AsyncClient() as client:
            text = (await client.get(f"{self.url}/metrics", timeout=5)).text
        for line in text.splitlines():
            if line.startswith('consumer_events_applied_total{consumer="statistics-projection"}'):
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
async def replicas(
    kafka_prefix: str, pg_database_factory: Callable[[], asyncio.Future[str]]
) -> AsyncIterator[tuple[list[Replica], list[Replica], str, str]]:
    registration_db = await pg_database_factory()
    statistics_db = await pg_database_factory()
    # Migrate once before the replicas race to (they would serialize on a lock anyway).
    writer = create_registration(ServiceSettings(database_url=registration_db, bus="memory",
                                                 run_relay=False))
    async with writer.running():
        pass
    registrations = [Replica("registration", registration_db, kafka_prefix) for _ in range(3)]
    statistics = [Replica("statistics", statistics_db, kafka_prefix) for _ in range(3)]
    try:
        for replica in registrations + statistics:
            await eventually(replica.ready, bool, timeout=90, interval=0.5)
        yield registrations, statistics, registration_db, statistics_db
    finally:
        for replica in registrations + statistics:
            replica.stop()


async def group_state(group: str) -> tuple[str, int]:
    """The consumer group's state and its number of members."""
    admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA_BOOTSTRAP)
    await admin.start()
    try:
        [response] = await admin.describe_consumer_groups([group])
        [described] = response.to_object()["groups"]
        return described["state"], len(described["members"])
    finally:
        await admin.close()


def plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def write_sequenced_events(registration_db: str, prefix: str) -> dict[str, list[str]]:
    """KEYS aggregates with PER_KEY events each, written in order, through the real outbox."""
    service = create_registration(ServiceSettings(database_url=registration_db, bus="memory",
                                                  run_relay=False, run_migrations=False,
                                                  topic_prefix=prefix))
    order: dict[str, list[str]] = defaultdict(list)
    base = date.today() - timedelta(days=60)
    try:
        for step in range(PER_KEY):
            for k in range(KEYS):
                key = f"aggregate-{k}"
                async with service.unit_of_work() as uow:
                    envelope = uow.publish(ArrivalNotified(
                        notification_id=key, person_id=f"p-{k}", citizenship="KGZ",
                        region="590000000", host_kind="company", purpose="work",
                        entry_date=base, notified_on=base + timedelta(days=step),
                        deadline=base + timedelta(days=3), late=False,
                        registration_required=False, allowed_stay_until=base + timedelta(days=89),
                    ))
                order[key].append(envelope.id)
                await asyncio.sleep(0)
    finally:
        await service.db.dispose()
    return order


async def test_replicas_share_work_and_lose_or_double_nothing(
    replicas: tuple[list[Replica], list[Replica], str, str], kafka_prefix: str
) -> None:
    registrations, statistics, registration_db, statistics_db = replicas
    # Every statistics replica holds partitions before the events come: the first to join would
    # otherwise apply them all while the group rebalances.
    await eventually(lambda: group_state(f"{kafka_prefix}statistics-projection"),
                     lambda state: state == ("Stable", 3), timeout=60, interval=0.5)

    posted = 0
    async with httpx.AsyncClient() as client:
        for n in range(30):
            target = registrations[n % 3]
            response = await client.post(f"{target.url}/api/v1/arrivals", json=arrival())
            assert response.status_code == 201
            posted += 1

    writing = asyncio.create_task(write_sequenced_events(registration_db, kafka_prefix))
    stats = await asyncpg.connect(plain(statistics_db))
    try:
        async def applied_count() -> int:
            return int(await stats.fetchval(
                "SELECT count(*) FROM inbox WHERE consumer = 'statistics-projection'"))

        await eventually(applied_count, lambda n: n >= 60, timeout=90)
        statistics[0].kill()  # mid-stream, with the writer still going
        order = await writing
        total = posted + KEYS * PER_KEY
        await eventually(applied_count, lambda n: n >= total, timeout=180, interval=1)
        await asyncio.sleep(3)
        assert await applied_count() == total

        counted = await stats.fetchval(
            "SELECT coalesce(sum(value), 0) FROM facts WHERE indicator = 'arrivals'")
        assert counted == total  # nothing lost, nothing counted twice

        # Applied in order per aggregate: the inbox times follow the writing order.
        rows = await stats.fetch(
            "SELECT event_id, received_at FROM inbox WHERE consumer = 'statistics-projection'")
        applied_at = {r["event_id"]: r["received_at"] for r in rows}
        for key, ids in order.items():
            times = [applied_at[i] for i in ids]
            assert times == sorted(times), f"{key} applied out of order"
    finally:
        await stats.close()

    # The surviving replicas shared the partitions.
    shares = [await replica.applied() for replica in statistics[1:]]
    assert all(share > 0 for share in shares), shares

    # Three relays published every row exactly once, each aggregate in order.
    records = await read_topic(KAFKA_BOOTSTRAP, kafka_prefix + ARRIVALS, expect=total)
    ids = [r.headers["ce_id"].decode() for r in records]
    assert len(ids) == len(set(ids)) == total
    position = {r.headers["ce_id"].decode(): (r.partition, r.offset) for r in records}
    for key, key_ids in order.items():
        places = [position[i] for i in key_ids]
        assert len({p for p, _ in places}) == 1, f"{key} spread over partitions"
        assert places == sorted(places), f"{key} published out of order"
    reg = await asyncpg.connect(plain(registration_db))
    try:
        assert await reg.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0
    finally:
        await reg.close()
