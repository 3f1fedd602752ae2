"""Running services in-process for tests, and talking to them over HTTP as the portal does."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from shared.bus import Bus
from shared.service import Service
from shared.settings import ServiceSettings

T = TypeVar("T")


def settings(**values: Any) -> ServiceSettings:
    return ServiceSettings(**values)


@contextlib.asynccontextmanager
async def running(service: Service) -> AsyncIterator[httpx.AsyncClient]:
    """Starts the service (migrations, relay, consumers) and yields an HTTP client for it."""
    async with service.running():
        transport = httpx.ASGITransport(app=service.app)
        async with httpx.AsyncClient(
            transport=transport, base_url=f"http://{service.definition.name}"
        ) as client:
            yield client


async def eventually(
    probe: Callable[[], Awaitable[T]],
    until: Callable[[T], bool],
    *,
    timeout: float = 60.0,
    interval: float = 0.2,
) -> T:
    """Polls `probe` until `until` holds; fails with the last value seen after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    value = await probe()
    while not until(value):
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not reached in {timeout}s; last value: {value!r}")
        await asyncio.sleep(interval)
        value = await probe()
    return value


@dataclass
class Platform:
    """Registration and statistics wired to one bus, as in the embedded default or full stack."""

    registration: httpx.AsyncClient
    statistics: httpx.AsyncClient
    registration_service: Service
    statistics_service: Service
    bus: Bus | None = None

    async def arrivals_count(self, **params: Any) -> int:
        response = await self.statistics.get(
            "/api/v1/indicators/arrivals/series", params={"period": "year", **params}
        )
        response.raise_for_status()
        points = response.json()["points"]
        return sum(p["value"] or 0 for p in points)


@contextlib.asynccontextmanager
async def platform(
    *,
    registration_db: str,
    statistics_db: str,
    bus_kind: str,
    kafka_bootstrap: str = "",
    prefix: str = "",
    shared_bus: Bus | None = None,
) -> AsyncIterator[Platform]:
    from registration.app import create_service as create_registration
    from statistics_service.app import create_service as create_statistics

    common: dict[str, Any] = {"bus": bus_kind, "topic_prefix": prefix}
    if kafka_bootstrap:
        common["kafka_bootstrap"] = kafka_bootstrap
    registration = create_registration(
        settings(database_url=registration_db, port=8001, **common), bus=shared_bus
    )
    statistics = create_statistics(
        settings(database_url=statistics_db, port=8004, **common), bus=shared_bus
    )
    async with running(registration) as reg_client, running(statistics) as stats_client:
        yield Platform(reg_client, stats_client, registration, statistics, shared_bus)
