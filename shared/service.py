"""The runtime every service shares: database, bus, outbox relay, consumers, HTTP app.

A service describes itself with a `ServiceDefinition`; its composition root (`<service>.app`)
builds a `Service` from that definition and its settings, and tests swap the bus or settings there.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared import context
from shared.bus import Bus, dead_letter_topic
from shared.bus.kafka import KafkaBus
from shared.bus.memory import InMemoryBus
from shared.db import Database
from shared.errors import install_error_handlers
from shared.events import Envelope
from shared.health import router as health_router
from shared.inbox import ConsumerSpec, EventConsumer
from shared.limits import BodySizeLimit
from shared.logging import configure_logging
from shared.metrics import ServiceMetrics
from shared.migrations import upgrade_async
from shared.outbox import OutboxRelay, UnitOfWork, outbox_backlog
from shared.plumbing import PlumbingTables
from shared.rules import RuleBook
from shared.settings import ServiceSettings
from shared.webhooks.delivery import WebhookDispatcher, fan_out

log = structlog.get_logger(__name__)

Job = Callable[["Service"], Awaitable[None]]


@dataclass
class ServiceDefinition:
    name: str
    title: str
    description: str
    port: int
    package: str
    metadata: MetaData
    plumbing: PlumbingTables
    routers: Sequence[APIRouter]
    topics: Sequence[str]
    consumers: Sequence[ConsumerSpec] = ()
    jobs: Sequence[Job] = ()
    setup: Callable[[Service], None] | None = None
    # The service's rule book (its rules.yaml plus versions added by administrators).
    rules: Callable[[], RuleBook] | None = None
    state: dict[str, Any] = field(default_factory=dict)


def make_bus(settings: ServiceSettings, service: str) -> Bus:
    if settings.bus == "kafka":
        return KafkaBus(
            settings.kafka_bootstrap,
            client_id=f"koshqon-{service}",
            partitions=settings.kafka_partitions,
            replication_factor=settings.kafka_replication_factor,
        )
    return InMemoryBus()


def _package_version() -> str:
    try:
        return version("koshqon")
    except PackageNotFoundError:
        return "0"


class Service:
    def __init__(
        self,
        definition: ServiceDefinition,
        settings: ServiceSettings,
        bus: Bus | None = None,
    ) -> None:
        if not settings.database_url:
            raise ValueError(f"{definition.name}: no database_url configured")
        self.definition = definition
        self.settings = settings
        self.version = _package_version()
        self.bus: Bus = bus if bus is not None else make_bus(settings, definition.name)
        self.db = Database(settings.database_url)
        self.metrics = ServiceMetrics(definition.name)
        self.relay = OutboxRelay(self.db, definition.plumbing.outbox, self.bus)
        self.consumers = [
            EventConsumer(
                spec,
                self.db,
                definition.plumbing.inbox,
                self.bus,
                topics=[self.topic(t) for t in spec.topics],
                group=self.topic(spec.name),
            )
            for spec in definition.consumers
        ]
        self.webhooks: WebhookDispatcher | None = None
        webhook_tables = definition.plumbing.webhooks
        if webhook_tables is not None and definition.topics:
            self.webhooks = WebhookDispatcher(
                self.db,
                webhook_tables,
                max_attempts=settings.webhook_max_attempts,
                base_backoff_seconds=settings.webhook_base_backoff_seconds,
                timeout_seconds=settings.webhook_timeout_seconds,
            )

            async def fan_out_event(session: AsyncSession, envelope: Envelope) -> None:
                await fan_out(session, webhook_tables, envelope)

            spec = ConsumerSpec(f"{definition.name}-webhooks", definition.topics, {},
                                fallback=fan_out_event, wants=self.webhooks.wants)
            self.consumers.append(
                EventConsumer(spec, self.db, definition.plumbing.inbox, self.bus,
                              topics=[self.topic(t) for t in spec.topics],
                              group=self.topic(spec.name))
            )
        self.state: dict[str, Any] = dict(definition.state)
        self._tasks: list[asyncio.Task[None]] = []
        self.app = self._build_app()
        if definition.setup is not None:
            definition.setup(self)

    def asyncapi(self) -> dict[str, Any]:
        if "asyncapi" not in self.state:
            from shared.contracts import asyncapi_document, event_classes

            events = event_classes(self.definition.name, self.definition.package)
            self.state["asyncapi"] = asyncapi_document(self.definition.name, events, "1.0.0")
        return self.state["asyncapi"]  # type: ignore[no-any-return]

    def topic(self, name: str) -> str:
        """The physical topic (or consumer group) name: the configured prefix, then the name."""
        return self.settings.topic_prefix + name

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.db, self.definition.plumbing.outbox, self.topic, self.relay.wake)

    async def idempotent(
        self, request: Request, action: Callable[[UnitOfWork], Awaitable[tuple[int, Any]]]
    ) -> JSONResponse:
        """Runs `action` in a unit of work once per `Idempotency-Key` (see shared.idempotency)."""
        from shared.idempotency import run_idempotent

        return await run_idempotent(
            request=request, db=self.db, table=self.definition.plumbing.idempotency,
            new_unit_of_work=self.unit_of_work, action=action,
        )

    async def outbox_backlog(self) -> tuple[int, float | None]:
        return await outbox_backlog(self.db, self.definition.plumbing.outbox)

    async def refresh_metrics(self) -> None:
        with contextlib.suppress(Exception):
            pending, oldest = await self.outbox_backlog()
            self.metrics.outbox_pending.set(pending)
            self.metrics.outbox_oldest_age.set(oldest or 0)
        self.metrics.events_published.set(self.relay.published_total)
        for consumer in self.consumers:
            name = consumer.spec.name
            self.metrics.consumer_applied.labels(name).set(consumer.stats.applied)
            self.metrics.consumer_duplicates.labels(name).set(consumer.stats.duplicates)
            self.metrics.consumer_dead_lettered.labels(name).set(consumer.stats.dead_lettered)
            subscription = consumer.stats.subscription
            if subscription is not None:
                with contextlib.suppress(Exception):
                    lag = await asyncio.wait_for(subscription.lag(), 2)
                    if lag is not None:
                        self.metrics.consumer_lag.labels(name).set(lag)

    async def refresh_rules(self) -> int:
        """Applies rule versions that administrators added (here or in another replica)."""
        from shared.rules_admin import apply_persisted

        assert self.definition.rules is not None and self.definition.plumbing.rules is not None
        async with self.db.transaction() as session:
            return await apply_persisted(
                session, self.definition.plumbing.rules, self.definition.rules()
            )

    async def _refresh_rules_periodically(self, every_seconds: float = 30.0) -> None:
        while True:
            await asyncio.sleep(every_seconds)
            try:
                await self.refresh_rules()
            except Exception as exc:  # the database is away; the next round tries again
                log.warning("rules.refresh_failed", error=f"{type(exc).__name__}: {exc}")

    def _all_topics(self) -> list[str]:
        topics = [self.topic(t) for t in self.definition.topics]
        for spec in self.definition.consumers:
            topics.extend(self.topic(t) for t in spec.topics)
        return topics + [dead_letter_topic(t) for t in topics]

    async def _ensure_topics(self) -> None:
        backoff = 0.5
        while True:
            try:
                await self.bus.ensure_topics(self._all_topics())
                return
            except Exception as exc:
                log.warning("bus.topics_not_ready", service=self.definition.name,
                            error=f"{type(exc).__name__}: {exc}", retry_in=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)

    async def start(self) -> None:
        configure_logging(self.settings.log_level)
        if self.settings.run_migrations:
            await upgrade_async(self.definition.package, self.settings.database_url)
        await self.bus.start()
        if self.definition.rules is not None and self.definition.plumbing.rules is not None:
            await self.refresh_rules()
            self._spawn(self._refresh_rules_periodically(), "rules")
        if self.webhooks is not None:
            # Known before the fan-out consumer reads anything (it skips unwanted events).
            with contextlib.suppress(Exception):  # the database may be away; the loop retries
                await self.webhooks.refresh_subscriptions()
        self._spawn(self._ensure_topics(), "topics")
        if self.settings.run_relay:
            self._spawn(self.relay.run(), "outbox-relay")
        if self.settings.run_consumers:
            for consumer in self.consumers:
                self._spawn(consumer.run(), f"consumer-{consumer.spec.name}")
        if self.webhooks is not None:
            self._spawn(self.webhooks.run(), "webhooks")
        for job in self.definition.jobs:
            self._spawn(job(self), getattr(job, "__name__", "job"))
        log.info("service.started", service=self.definition.name, port=self.settings.port,
                 bus=self.bus.kind, database=self.db.dialect)

    def _spawn(self, coroutine: Any, name: str) -> None:
        task = asyncio.create_task(coroutine, name=f"{self.definition.name}:{name}")
        self._tasks.append(task)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            # A task may swallow one cancellation (asyncio.wait_for on Python 3.11 does when
            # what it waits for completes at that moment); it is cancelled again until it ends.
            while not task.done():
                await asyncio.wait([task], timeout=1.0)
                if not task.done():
                    task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                task.result()
        self._tasks.clear()
        await self.bus.stop()
        await self.db.dispose()
        log.info("service.stopped", service=self.definition.name)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[Service]:
        await self.start()
        try:
            yield self
        finally:
            await self.stop()

    def _build_app(self) -> FastAPI:
        @contextlib.asynccontextmanager
        async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
            async with self.running():
                yield

        app = FastAPI(
            title=f"Koshqon {self.definition.title}",
            description=self.definition.description,
            version=self.version,
            lifespan=lifespan,
        )
        app.state.service = self
        install_error_handlers(app)
        app.include_router(health_router)
        for router in self.definition.routers:
            app.include_router(router, prefix="/api/v1")
        if self.definition.rules is not None and self.definition.plumbing.rules is not None:
            from shared.rules_admin import rules_router

            app.include_router(rules_router(self.definition.name), prefix="/api/v1")
        if self.webhooks is not None:
            # Imported here: the endpoints depend on this module's Service through shared.http.
            from shared.webhooks.endpoints import subscriptions_router

            app.include_router(subscriptions_router(self.definition.name), prefix="/api/v1")
        app.add_middleware(BodySizeLimit, max_bytes=self.settings.max_body_bytes)
        app.add_middleware(RequestContextMiddleware, metrics=self.metrics)
        return app


class RequestContextMiddleware:
    """Correlation and case ids for logs and events; request metrics; one access-log line."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        correlation = headers.get("x-correlation-id") or str(uuid.uuid4())
        tokens = (
            context.correlation_id.set(correlation[:100]),
            context.case_id.set((headers.get("x-case-id") or None) and headers["x-case-id"][:100]),
            context.traceparent.set(headers.get("traceparent")),
            context.purpose.set((headers.get("x-purpose") or None) and headers["x-purpose"][:300]),
        )
        status = 500
        started = time.perf_counter()

        async def send_with_context(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (b"x-correlation-id", correlation[:100].encode("latin-1")),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_context)
        finally:
            elapsed = time.perf_counter() - started
            path = _route_template(scope)
            method = scope.get("method", "")
            self.metrics.requests.labels(method, path, str(status)).inc()
            self.metrics.latency.labels(method, path).observe(elapsed)
            if not path.startswith(("/health", "/metrics")):
                log.info("http.request", method=method, route=path, status=status,
                         duration_ms=round(elapsed * 1000, 2))
            for var, token in zip(
                (context.correlation_id, context.case_id, context.traceparent, context.purpose),
                tokens,
                strict=True,
            ):
                var.reset(token)


def _route_template(scope: Scope) -> str:
    """The matched path template (`/api/v1/arrivals/{id}`), so metrics stay low-cardinality."""
    # FastAPI keeps the full template of an included router's route in its own scope entry.
    effective = (scope.get("fastapi") or {}).get("effective_route_context")
    path = getattr(effective, "path", None) or getattr(scope.get("route"), "path", None)
    return str(path) if path else "unmatched"
