"""Fixtures of the diaspora tests: the service on SQLite and PostgreSQL with its outbox kept for
assertions, an HTTP client, development tokens, and helpers that walk a kandas family through the
flow over HTTP."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from diaspora.app import create_service
from diaspora.base import plumbing
from shared.auth import issue_dev_token
from shared.service import Service
from shared.settings import ServiceSettings
from tests.support.platform import running

Events = Callable[..., Awaitable[list[dict[str, Any]]]]
_sequence = itertools.count(1)

# Personal data the tests send; no event may carry any of it.
SURNAME, GIVEN_NAMES, BIRTH_DATE = "NURLANULY", "ASKAR", "1988-03-14"


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


async def read_events(service: Service, name: str | None = None) -> list[dict[str, Any]]:
    async with service.db.transaction() as session:
        rows = (await session.execute(select(plumbing.outbox).order_by(plumbing.outbox.c.id))).all()
    found = [
        {
            "type": r.event_type,
            "topic": r.topic,
            "key": r.key,
            "headers": r.headers,
            "data": json.loads(r.value),
            "raw": r.value.decode(),
        }
        for r in rows
    ]
    if name is None:
        return found
    return [e for e in found if e["type"] == f"kz.koshqon.diaspora.{name}.v1"]


@pytest.fixture
def events(service: Service) -> Events:
    """The outbox's events, optionally of one event name (e.g. "kandas.status-granted")."""

    async def read(name: str | None = None) -> list[dict[str, Any]]:
        return await read_events(service, name)

    return read


@pytest.fixture
def bearer(service: Service) -> Callable[..., dict[str, str]]:
    """Authorization headers with a development token of these scopes (and region)."""

    def headers(*scopes: str, region: str | None = None) -> dict[str, str]:
        secret = service.settings.dev_token_secret.get_secret_value()
        token = issue_dev_token(secret, scopes=list(scopes), region=region, subject="officer-1")
        return {"Authorization": f"Bearer {token}"}

    return headers


def kandas_body(
    *,
    region: str = "350000000",
    family_size: int = 4,
    submitted_on: date | None = None,
    person_id: str | None = None,
    country: str = "MNG",
) -> dict[str, Any]:
    n = next(_sequence)
    body: dict[str, Any] = {
        "applicant": {
            "surname": SURNAME,
            "given_names": GIVEN_NAMES,
            "birth_date": BIRTH_DATE,
            "document_number": f"MN{n:07d}",
            "citizenship": country,
        },
        "country_of_origin": country,
        "region": region,
        "family_size": family_size,
        "phone": "+976 9911 2233",
    }
    if submitted_on:
        body["submitted_on"] = submitted_on.isoformat()
    if person_id:
        body["person_id"] = person_id
    return body


class Flow:
    """Walks a kandas family through the flow over HTTP, as the portal and officers do."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def apply(self, **kwargs: Any) -> dict[str, Any]:
        response = await self.client.post("/api/v1/kandas/applications", json=kandas_body(**kwargs))
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    async def complete(self, application_id: str, on: date | None = None) -> dict[str, Any]:
        body = {"registered_on": on.isoformat()} if on else {}
        response = await self.client.post(
            f"/api/v1/kandas/applications/{application_id}/package-complete", json=body
        )
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    async def decide(self, application_id: str, **body: Any) -> httpx.Response:
        return await self.client.post(
            f"/api/v1/kandas/applications/{application_id}/decision", json=body
        )

    async def granted(self, **kwargs: Any) -> dict[str, Any]:
        application = await self.apply(**kwargs)
        await self.complete(application["application_id"])
        response = await self.decide(application["application_id"], decision="grant")
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    @staticmethod
    def assert_no_personal_data(events: list[dict[str, Any]], *extra: str) -> None:
        for event in events:
            for personal in (SURNAME, GIVEN_NAMES, BIRTH_DATE, "MN0", "+976", *extra):
                assert personal not in event["raw"], (event["type"], personal)


@pytest.fixture
def flow(client: httpx.AsyncClient) -> Flow:
    return Flow(client)


@pytest.fixture
def kandas_request() -> Callable[..., dict[str, Any]]:
    """A valid kandas application body, unique per call."""
    return kandas_body


@pytest.fixture
def flow_for() -> Callable[[httpx.AsyncClient], Flow]:
    """A Flow on another client (e.g. of a service built by the test itself)."""
    return Flow


@pytest.fixture
def outbox_of() -> Callable[..., Awaitable[list[dict[str, Any]]]]:
    """Reads the outbox of a service built by the test itself."""
    return read_events
