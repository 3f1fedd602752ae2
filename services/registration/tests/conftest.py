"""Fixtures of the registration tests: the service on SQLite and PostgreSQL with its outbox kept
for assertions, an HTTP client, and development tokens."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from registration.app import create_service
from registration.base import plumbing
from services.registration.tests.builders import Events
from shared.auth import issue_dev_token
from shared.service import Service
from shared.settings import ServiceSettings
from tests.support.platform import running


@pytest.fixture
async def service(database_url: str) -> AsyncIterator[Service]:
    # No relay: the outbox keeps every event. No periodic jobs: the tests run them directly,
    # so a job started with the service cannot race a test's own run.
    settings = ServiceSettings(database_url=database_url, bus="memory", run_relay=False)
    built = create_service(settings)
    built.definition.jobs = ()
    yield built


@pytest.fixture
async def client(service: Service) -> AsyncIterator[httpx.AsyncClient]:
    async with running(service) as c:
        yield c


@pytest.fixture
def events(service: Service) -> Events:
    """The outbox's events, optionally of one event name (e.g. "evisa.issued")."""

    async def read(name: str | None = None) -> list[dict[str, Any]]:
        async with service.db.transaction() as session:
            query = select(plumbing.outbox).order_by(plumbing.outbox.c.id)
            rows = (await session.execute(query)).all()
        found = [
            {"type": r.event_type, "topic": r.topic, "key": r.key, "headers": r.headers,
             "data": json.loads(r.value)}
            for r in rows
        ]
        if name is None:
            return found
        return [e for e in found if e["type"] == f"kz.koshqon.registration.{name}.v1"]

    return read


@pytest.fixture
def bearer(service: Service) -> Callable[..., dict[str, str]]:
    """Authorization headers with a development token of these scopes (and region)."""

    def headers(
        *scopes: str, region: str | None = None, subject: str = "officer-1"
    ) -> dict[str, str]:
        secret = service.settings.dev_token_secret.get_secret_value()
        token = issue_dev_token(secret, scopes=list(scopes), region=region, subject=subject)
        return {"Authorization": f"Bearer {token}"}

    return headers
