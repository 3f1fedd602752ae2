"""Faults on the real infrastructure: the broker killed during a burst, a consumer process
killed in the middle of a batch, PostgreSQL restarted under running services, a storm of retries.
Each test passes or fails on what was lost or doubled, never on time."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from datetime import date

import asyncpg
import pytest
from sqlalchemy import func, select

from conftest import KAFKA_BOOTSTRAP, REPO
from registration.app import create_service as create_registration
from registration.arrivals.events import ArrivalNotified
from registration.arrivals.models import ArrivalNotification
from shared.bus.kafka import KafkaBus
from shared.events import Envelope
from shared.settings import ServiceSettings
from tests.support.data import arrival
from tests.support.platform import Platform, eventually, platform, running

ARRIVALS = "koshqon.registration.arrivals"


async def run_script(script: str, command: str) -> None:
    process = await asyncio.create_subprocess_exec(
        "bash", str(REPO / "deploy/local" / script), command,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode == 0, output.decode()[-3000:]


@pytest.fixture
async def stack(
    kafka_prefix: str, pg_database_factory: Callable[[], asyncio.Future[str]]
) -> AsyncIterator[Platform]:
    async with platform(
        registration_db=await pg_database_factory(),
        statistics_db=await pg_database_factory(),
        bus_kind="kafka", kafka_bootstrap=KAFKA_BOOTSTRAP, prefix=kafka_prefix,
    ) as p:
        yield p


async def test_kafka_killed_during_a_burst_loses_and_doubles_nothing(stack: Platform) -> None:
    for _ in range(5):  # counts under 5 are suppressed in the public series
        await stack.registration.post("/api/v1/arrivals", json=arrival())
    await eventually(stack.arrivals_count, lambda n: n == 5, timeout=90)

    statuses: list[int] = []

    async def burst(count: int) -> None:
        for _ in range(count):
            response = await stack.registration.post("/api/v1/arrivals", json=arrival())
            statuses.append(response.status_code)

    try:
        posting = asyncio.create_task(burst(150))
        await eventually(lambda: asyncio.sleep(0, len(statuses)), lambda n: n >= 40)
        await run_script("kafka.sh", "kill")
        await posting
    finally:
        await run_script("kafka.sh", "start")
    assert statuses == [201] * 150

    await eventually(stack.arrivals_count, lambda n: n >= 155, timeout=240, interval=1)
    await asyncio.sleep(3)
    assert await stack.arrivals_count() == 155


async def test_a_consumer_killed_mid_batch_and_restarted_counts_each_event_once(
    kafka_prefix: str, pg_database_factory: Callable[[], asyncio.Future[str]]
) -> None:
    total = 3000
    events = [
        Envelope.wrap(ArrivalNotified(
            notification_id=f"n-{n}", person_id=f"p-{n}", citizenship="UZB",
            region="710000000", host_kind="hotel", purpose="tourism",
            entry_date=date(2026, 10, 1), notified_on=date(2026, 10, 2),
            deadline=date(2026, 10, 6), late=False, registration_required=False,
            allowed_stay_until=date(2026, 10, 30),
        )).to_record(kafka_prefix + ARRIVALS)
        for n in range(total)
    ]
    bus = KafkaBus(KAFKA_BOOTSTRAP, client_id="chaos-producer")
    try:
        await bus.ensure_topics([kafka_prefix + ARRIVALS])
        await bus.publish(events)
    finally:
        await bus.stop()

    database = await pg_database_factory()
    env = {
        **os.environ,
        "KOSHQON_STATISTICS_DATABASE_URL": database,
        "KOSHQON_STATISTICS_BUS": "kafka",
        "KOSHQON_STATISTICS_KAFKA_BOOTSTRAP": KAFKA_BOOTSTRAP,
        "KOSHQON_STATISTICS_TOPIC_PREFIX": kafka_prefix,
        "KOSHQON_STATISTICS_PORT": "0",
        "KOSHQON_STATISTICS_LOG_LEVEL": "WARNING",
    }

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "shared.cli", "serve", "statistics"],
                                cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)

    plain = database.replace("postgresql+asyncpg://", "postgresql://", 1)

    async def applied() -> int:
        try:
            connection = await asyncpg.connect(plain)
        except (OSError, asyncpg.PostgresError):
            return 0
        try:
            return int(await connection.fetchval("SELECT count(*) FROM inbox"))
        except asyncpg.UndefinedTableError:
            return 0
        finally:
            await connection.close()

    first = start()
    try:
        await eventually(applied, lambda n: 0 < n < total, timeout=120, interval=0.05)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    killed_at = await applied()
    assert killed_at < total  # really killed in the middle

    second = start()
    try:
        await eventually(applied, lambda n: n >= total, timeout=240, interval=1)
        await asyncio.sleep(3)
        connection = await asyncpg.connect(plain)
        try:
            assert await connection.fetchval("SELECT count(*) FROM inbox") == total
            assert await connection.fetchval(
                "SELECT sum(value) FROM facts WHERE indicator = 'arrivals'") == total
        finally:
            await connection.close()
    finally:
        second.terminate()
        second.wait(30)


async def test_postgresql_restarted_under_running_services(pg_url: str) -> None:
    service = create_registration(ServiceSettings(database_url=pg_url, bus="memory"))
    async with running(service) as client:
        assert (await client.post("/api/v1/arrivals", json=arrival())).status_code == 201
        await run_script("postgres.sh", "stop")
        try:
            ready = await client.get("/health/ready")
            assert ready.status_code == 503
            assert ready.json()["status"] == "fail"
            for _ in range(3):
                during = await client.post("/api/v1/arrivals", json=arrival())
                assert during.status_code == 503, during.text
                assert during.headers["retry-after"].isdigit()
                assert during.headers["content-type"] == "application/problem+json"
        finally:
            await run_script("postgres.sh", "start")

        async def readiness() -> int:
            return (await client.get("/health/ready")).status_code

        await eventually(readiness, lambda status: status == 200, timeout=60)
        assert (await client.post("/api/v1/arrivals", json=arrival())).status_code == 201
        async with service.db.transaction() as session:
            stored = await session.scalar(select(func.count()).select_from(ArrivalNotification))
        assert stored == 2  # the refused requests changed nothing


async def test_a_storm_of_retries_with_one_idempotency_key_creates_one_record(
    pg_url: str,
) -> None:
    service = create_registration(ServiceSettings(database_url=pg_url, bus="memory"))
    body = arrival()
    async with running(service) as client:
        responses = await asyncio.gather(*(
            client.post("/api/v1/arrivals", json=body, headers={"Idempotency-Key": "storm"})
            for _ in range(100)
        ))
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["notification_id"] for r in responses}) == 1
    async with service.db.transaction() as session:
        stored = await session.scalar(select(func.count()).select_from(ArrivalNotification))
    await service.db.dispose()
    assert stored == 1
