"""The quota ledger never over-issues, whatever the concurrency, on the real PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from permits.app import create_service
from permits.deps import rules_in_force
from permits.quotas.models import Quota
from permits.quotas.repository import QuotaKey
from permits.work_permits import service as work_permits
from permits.work_permits.schemas import DecisionRequest
from shared import clock
from shared.calendar import default_calendar
from shared.db import Database
from shared.errors import Problem
from shared.service import Service
from shared.settings import ServiceSettings
from tests.support.platform import running

ALMATY = "750000000"
LIMIT = 50
APPLICATIONS = 200


@pytest.fixture
async def pg_service(pg_url: str) -> AsyncIterator[Service]:
    yield create_service(ServiceSettings(database_url=pg_url, bus="memory", run_relay=False))


async def file_applications(client: httpx.AsyncClient, application: Any) -> list[str]:
    year = clock.today().year
    response = await client.put(f"/api/v1/quotas/{year}/{ALMATY}/3", json={"limit": LIMIT})
    assert response.status_code == 200
    ids = []
    for _ in range(APPLICATIONS):
        filed = await client.post("/api/v1/work-permits/applications", json=application())
        assert filed.json()["status"] == "submitted"
        ids.append(filed.json()["application_id"])
    return ids


class LedgerWatch:
    """Samples the quota row while the approvals run: reserved + used must never pass the limit."""

    def __init__(self, db: Database, key: QuotaKey) -> None:
        self.db, self.key = db, key
        self.samples: list[tuple[int, int, int]] = []
        self.done = asyncio.Event()

    async def run(self) -> None:
        while not self.done.is_set():
            async with self.db.transaction() as session:
                row = (await session.execute(
                    select(Quota.places_limit, Quota.reserved, Quota.used).where(
                        Quota.year == self.key.year, Quota.region == self.key.region,
                        Quota.category == self.key.category))).one()
            self.samples.append(tuple(row))  # type: ignore[arg-type]
            await asyncio.sleep(0.005)

    def assert_never_over(self) -> None:
        assert len(self.samples) > 3
        assert all(reserved + used <= limit for limit, reserved, used in self.samples)


async def test_200_simultaneous_approvals_through_http_reserve_exactly_50(
    pg_service: Service, application: Any
) -> None:
    async with running(pg_service) as client:
        ids = await file_applications(client, application)
        key = QuotaKey(clock.today().year, ALMATY, "3")
        watch = LedgerWatch(Database(pg_service.settings.database_url, pool_size=1), key)
        watcher = asyncio.create_task(watch.run())
        responses = await asyncio.gather(*(
            client.post(f"/api/v1/work-permits/applications/{i}/decision",
                        json={"decision": "approve"})
            for i in ids
        ))
        watch.done.set()
        await watcher
        await watch.db.dispose()

        statuses = [r.status_code for r in responses]
        assert statuses.count(200) == LIMIT, {s: statuses.count(s) for s in set(statuses)}
        assert statuses.count(409) == APPLICATIONS - LIMIT
        assert {r.json()["type"] for r in responses if r.status_code == 409} == {
            "urn:koshqon:problem:quota.exhausted"}
        watch.assert_never_over()
        page = (await client.get(f"/api/v1/quotas/{key.year}", params={"category": "3"})).json()
        [quota] = page["quotas"]
        assert (quota["limit"], quota["reserved"], quota["used"], quota["remaining"]) == (
            LIMIT, LIMIT, 0, 0)
        numbers = {r.json()["permit_number"] for r in responses if r.status_code == 200}
        assert len(numbers) == LIMIT


async def test_200_approvals_in_separate_sessions_of_a_large_pool_reserve_exactly_50(
    pg_service: Service, application: Any
) -> None:
    async with running(pg_service) as client:
        ids = await file_applications(client, application)
    # A pool as large as the crowd: every approval runs in its own connection at once.
    db = Database(pg_service.settings.database_url, pool_size=APPLICATIONS // 2)
    service = create_service(ServiceSettings(database_url=pg_service.settings.database_url,
                                             bus="memory", run_relay=False))
    service.db = db
    rules = rules_in_force(service)
    start = asyncio.Event()

    async def approve(application_id: str) -> str:
        await start.wait()
        try:
            async with service.unit_of_work() as uow:
                await work_permits.decide(
                    uow, application_id, DecisionRequest(decision="approve"),
                    actor=f"officer-{uuid.uuid4().hex[:4]}", authorize=lambda _region: None,
                    now=clock.now(), today=clock.today(), rules=rules,
                    calendar=default_calendar(),
                )
        except Problem as problem:
            return problem.code
        return "approved"

    try:
        tasks = [asyncio.create_task(approve(i)) for i in ids]
        await asyncio.sleep(0.05)
        start.set()
        outcomes = await asyncio.gather(*tasks)
        assert outcomes.count("approved") == LIMIT
        assert outcomes.count("quota.exhausted") == APPLICATIONS - LIMIT
        async with db.transaction() as session:
            quota = (await session.execute(select(Quota))).scalar_one()
        assert (quota.places_limit, quota.reserved, quota.used) == (LIMIT, LIMIT, 0)
    finally:
        await db.dispose()
