"""Fixtures of the statistics tests: a service on a test database with an in-memory bus."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from shared.bus.memory import InMemoryBus
from shared.service import Service
from shared.settings import ServiceSettings
from statistics_service.app import create_service
from tests.support.platform import running


@pytest.fixture
def bus() -> InMemoryBus:
    return InMemoryBus()


@pytest.fixture
async def service(database_url: str, bus: InMemoryBus) -> AsyncIterator[Service]:
    yield create_service(ServiceSettings(database_url=database_url, bus="memory"), bus=bus)


@pytest.fixture
async def client(service: Service) -> AsyncIterator[httpx.AsyncClient]:
    async with running(service) as c:
        yield c
