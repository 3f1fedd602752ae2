"""Webhook subscriptions against a real local HTTP receiver: signed deliveries, retries then dead
letters, replay, and a slow subscriber that holds up nobody else."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, ClassVar

import httpx
import pytest
import uvicorn
from fastapi import APIRouter
from sqlalchemy import MetaData
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shared.events import DomainEvent
from shared.http import ServiceDep
from shared.plumbing import plumbing_tables
from shared.service import Service, ServiceDefinition
from shared.settings import ServiceSettings
from shared.webhooks.delivery import SIGNATURE_HEADER, verify_signature
from tests.support.platform import eventually

SECRET = "a-ministry-shared-secret"
metadata = MetaData()
plumbing = plumbing_tables(metadata, webhooks=True)


class ThingHappened(DomainEvent):
    """A thing happened (test event)."""

    service: ClassVar[str] = "things"
    name: ClassVar[str] = "thing.happened"
    topic: ClassVar[str] = "koshqon.things.things"
    thing_id: str

    def aggregate_id(self) -> str:
        return self.thing_id


router = APIRouter()


@router.post("/things/{thing_id}")
async def make_thing(thing_id: str, service: ServiceDep) -> dict[str, str]:
    async with service.unit_of_work() as uow:
        uow.publish(ThingHappened(thing_id=thing_id))
    return {"thing_id": thing_id}


class Receiver:
    """A subscriber's HTTP endpoint on a free local port."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        self.release_slow = asyncio.Event()
        self.slow_calls = 0
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()

    async def fast(self, request: Request) -> Response:
        self.received.append((dict(request.headers), await request.body()))
        return Response(status_code=self.status)

    async def slow(self, request: Request) -> Response:
        self.slow_calls += 1
        await self.release_slow.wait()
        return Response(status_code=200)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def ids(self) -> list[str]:
        return [headers["ce-subject"] for headers, _ in self.received]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    r = Receiver()
    app = Starlette(routes=[Route("/hook", r.fast, methods=["POST"]),
                            Route("/slow", r.slow, methods=["POST"])])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=r.port, log_config=None,
                                           lifespan="off"))
    task = asyncio.create_task(server.serve())
    await eventually(lambda: asyncio.sleep(0, server.started), bool, timeout=10, interval=0.02)
    yield r
    r.release_slow.set()
    server.should_exit = True
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)


@pytest.fixture
async def things(database_url: str) -> AsyncIterator[tuple[Service, httpx.AsyncClient]]:
    definition = ServiceDefinition(
        name="things", title="things", description="test", port=0, package="shared",
        metadata=metadata, plumbing=plumbing, routers=[router], topics=[ThingHappened.topic],
    )
    settings = ServiceSettings(
        database_url=database_url, bus="memory", run_migrations=False,
        webhook_allow_http_loopback=True, webhook_max_attempts=3,
        webhook_base_backoff_seconds=0.05, webhook_timeout_seconds=1.0,
    )
    service = Service(definition, settings)
    async with service.db.engine.begin() as connection:
        await connection.run_sync(metadata.drop_all)
        await connection.run_sync(metadata.create_all)
    async with service.running():
        transport = httpx.ASGITransport(app=service.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://things") as client:
            yield service, client


async def subscribe(client: httpx.AsyncClient, url: str, types: list[str]) -> str:
    response = await client.post(
        "/api/v1/subscriptions", json={"event_types": types, "url": url, "secret": SECRET}
    )
    assert response.status_code == 201, response.text
    assert "secret" not in response.json()
    return str(response.json()["id"])


async def test_deliveries_are_signed_retried_dead_lettered_and_replayable(
    things: tuple[Service, httpx.AsyncClient], receiver: Receiver
) -> None:
    _service, client = things
    started = datetime.now(UTC)
    subscription = await subscribe(client, receiver.url("/hook"), ["thing.happened"])

    await client.post("/api/v1/things/t1")
    await client.post("/api/v1/things/t2")
    await eventually(lambda: asyncio.sleep(0, receiver.ids()), lambda ids: len(ids) >= 2,
                     timeout=20)
    assert sorted(receiver.ids()) == ["t1", "t2"]
    for headers, body in receiver.received:
        assert verify_signature(SECRET, headers[SIGNATURE_HEADER.lower()], body)
        assert not verify_signature("another-secret-entirely", headers[SIGNATURE_HEADER.lower()],
                                    body)
        assert headers["ce-type"] == "kz.koshqon.things.thing.happened.v1"
        assert headers["content-type"] == "application/json"

    receiver.status = 500
    await client.post("/api/v1/things/t3")

    async def dead() -> list[dict[str, Any]]:
        response = await client.get(f"/api/v1/subscriptions/{subscription}/deliveries",
                                    params={"status": "dead"})
        return list(response.json())

    [dead_letter] = await eventually(dead, lambda rows: len(rows) == 1, timeout=20)
    assert dead_letter["attempts"] == 3
    assert dead_letter["last_error"] == "HTTP 500"
    assert receiver.ids().count("t3") == 3

    receiver.status = 200
    receiver.received.clear()
    replayed = await client.post(f"/api/v1/subscriptions/{subscription}/replay",
                                 json={"from": started.isoformat()})
    assert replayed.json() == {"queued": 3}
    await eventually(lambda: asyncio.sleep(0, receiver.ids()), lambda ids: len(ids) >= 3,
                     timeout=20)
    assert sorted(receiver.ids()) == ["t1", "t2", "t3"]


async def test_a_slow_subscriber_does_not_hold_up_another(
    things: tuple[Service, httpx.AsyncClient], receiver: Receiver
) -> None:
    _service, client = things
    await subscribe(client, receiver.url("/slow"), ["*"])
    await subscribe(client, receiver.url("/hook"), ["kz.koshqon.things.thing.happened.v1"])
    for n in range(3):
        await client.post(f"/api/v1/things/s{n}")
    await eventually(lambda: asyncio.sleep(0, receiver.ids()), lambda ids: len(ids) == 3,
                     timeout=20)
    assert receiver.slow_calls >= 1
    assert not receiver.release_slow.is_set()  # the slow endpoint has not answered even once


async def test_only_https_addresses_are_accepted_outside_this_machine(
    things: tuple[Service, httpx.AsyncClient],
) -> None:
    _service, client = things
    response = await client.post(
        "/api/v1/subscriptions",
        json={"event_types": ["*"], "url": "http://ministry.example/hook", "secret": SECRET},
        headers={"Accept-Language": "kk"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "Мекенжай HTTPS болуы керек"


async def test_events_no_subscription_wants_leave_no_trace(
    things: tuple[Service, httpx.AsyncClient], receiver: Receiver
) -> None:
    service, client = things
    from sqlalchemy import func, select

    await client.post("/api/v1/things/before")  # no subscription yet: passed over
    [fan_out] = [c for c in service.consumers if c.spec.name == "things-webhooks"]
    await eventually(lambda: asyncio.sleep(0, fan_out.stats.skipped), lambda n: n >= 1)
    async with service.db.transaction() as session:
        inbox_rows = await session.scalar(select(func.count()).select_from(plumbing.inbox))
    assert inbox_rows == 0

    await subscribe(client, receiver.url("/hook"), ["thing.happened"])
    await client.post("/api/v1/things/after")
    await eventually(lambda: asyncio.sleep(0, receiver.ids()), lambda ids: ids == ["after"],
                     timeout=20)
