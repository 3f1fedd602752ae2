"""The kernel's event path: an arrival posted over HTTP to registration is counted by statistics.

The same test runs on the embedded default (SQLite, in-process bus) and on the full stack (real
PostgreSQL and Kafka)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from conftest import KAFKA_BOOTSTRAP, create_pg_database, drop_pg_database, require_infra
from shared.bus.memory import InMemoryBus
from tests.support.data import arrival
from tests.support.platform import Platform, eventually, platform


@asynccontextmanager
async def embedded(tmp_path: Path) -> AsyncIterator[Platform]:
    async with platform(
        registration_db=f"sqlite+aiosqlite:///{tmp_path / 'registration.db'}",
        statistics_db=f"sqlite+aiosqlite:///{tmp_path / 'statistics.db'}",
        bus_kind="memory",
        shared_bus=InMemoryBus(),
    ) as p:
        yield p


@asynccontextmanager
async def full_stack(prefix: str) -> AsyncIterator[Platform]:
    require_infra()
    names = []
    try:
        reg_name, reg_url = await create_pg_database()
        names.append(reg_name)
        stats_name, stats_url = await create_pg_database()
        names.append(stats_name)
        async with platform(
            registration_db=reg_url,
            statistics_db=stats_url,
            bus_kind="kafka",
            kafka_bootstrap=KAFKA_BOOTSTRAP,
            prefix=prefix,
        ) as p:
            yield p
    finally:
        for name in names:
            await drop_pg_database(name)


@pytest.fixture(params=["embedded", "full-stack"])
async def stack(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Platform]:
    if request.param == "embedded":
        async with embedded(tmp_path) as p:
            yield p
    else:
        require_infra()
        import uuid

        async with full_stack(f"t{uuid.uuid4().hex[:10]}.") as p:
            yield p


async def test_posted_arrivals_are_counted_by_region(stack: Platform) -> None:
    almaty, astana = "750000000", "710000000"
    for _ in range(6):
        response = await stack.registration.post("/api/v1/arrivals", json=arrival(region=almaty))
        assert response.status_code == 201, response.text
    for _ in range(5):
        response = await stack.registration.post(
            "/api/v1/arrivals", json=arrival(region=astana)
        )
        assert response.status_code == 201, response.text

    async def by_region() -> dict[str, int | None]:
        response = await stack.statistics.get(
            "/api/v1/indicators/arrivals/series", params={"group_by": "region", "period": "year"}
        )
        assert response.status_code == 200
        return {p["region"]: p["value"] for p in response.json()["points"]}

    counts = await eventually(by_region, lambda c: c.get(almaty) == 6 and c.get(astana) == 5)
    assert counts == {almaty: 6, astana: 5}


async def test_small_counts_are_suppressed_in_the_public_series(stack: Platform) -> None:
    for _ in range(2):
        response = await stack.registration.post(
            "/api/v1/arrivals", json=arrival(region="350000000", citizenship="TJK")
        )
        assert response.status_code == 201

    async def series() -> dict:
        response = await stack.statistics.get(
            "/api/v1/indicators/arrivals/series",
            params={"group_by": "region", "region": "350000000"},
        )
        return response.json()

    body = await eventually(series, lambda b: bool(b["points"]))
    assert body["points"] == [
        {"period": body["points"][0]["period"], "region": "350000000", "value": None,
         "suppressed": True}
    ]
    assert body["freshness_seconds"] is not None
