"""Fan-out of events to subscriptions, and the dispatcher that pushes them over HTTP.

Each delivery is signed (HMAC-SHA256 over the timestamp and the body), retried with exponential
backoff and dead-lettered after a number of attempts. Deliveries run concurrently with a timeout
and a cap per subscriber, so a slow or failing endpoint never holds up another subscriber's.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import structlog
from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import Database
from shared.events import Envelope
from shared.webhooks.tables import WebhookTables

log = structlog.get_logger(__name__)

SIGNATURE_HEADER = "X-Koshqon-Signature"
SIGNATURE_TOLERANCE_SECONDS = 300


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>` (the receiver checks both)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify_signature(
    secret: str, header: str, body: bytes, *, now: int | None = None,
    tolerance: int = SIGNATURE_TOLERANCE_SECONDS,
) -> bool:
    """What a subscriber runs: the signature matches and is recent (no replay of old requests)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    now = int(time.time()) if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, body, timestamp)
    return hmac.compare_digest(expected, header)


def http_headers(envelope: Envelope) -> dict[str, str]:
    """CloudEvents HTTP binary-mode headers for an event."""
    headers = {
        "ce-specversion": "1.0",
        "ce-id": envelope.id,
        "ce-type": envelope.type,
        "ce-source": envelope.source,
        "ce-subject": envelope.subject,
        "ce-time": envelope.time.isoformat().replace("+00:00", "Z"),
        "content-type": "application/json",
    }
    for name in ("caseid", "correlationid", "traceparent"):
        value = getattr(envelope, name)
        if value:
            headers[f"ce-{name}"] = value
    return headers


def matches(event_types: list[str], event_type: str) -> bool:
    """A subscription names full types, short names (`arrival.notified`) or `*`."""
    for wanted in event_types:
        if wanted in ("*", event_type):
            return True
        if event_type.split(".", 3)[-1].rsplit(".v", 1)[0] == wanted:
            return True
    return False


async def fan_out(session: AsyncSession, tables: WebhookTables, envelope: Envelope) -> int:
    """Queues a delivery of `envelope` for every active subscription that wants it."""
    subscriptions = (
        await session.execute(
            select(tables.subscriptions.c.id, tables.subscriptions.c.event_types).where(
                tables.subscriptions.c.active.is_(True)
            )
        )
    ).all()
    wanted = [s.id for s in subscriptions if matches(s.event_types, envelope.type)]
    if not wanted:
        return 0
    now = datetime.now(UTC)
    body = json.dumps(envelope.data, ensure_ascii=False).encode()
    await session.execute(
        insert(tables.deliveries),
        [
            {
                "subscription_id": subscription_id,
                "event_id": envelope.id,
                "event_type": envelope.type,
                "event_time": envelope.time,
                "headers": http_headers(envelope),
                "body": body,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for subscription_id in wanted
        ],
    )
    return len(wanted)


class WebhookDispatcher:
    def __init__(
        self,
        db: Database,
        tables: WebhookTables,
        *,
        client: httpx.AsyncClient | None = None,
        max_attempts: int = 8,
        base_backoff_seconds: float = 2.0,
        max_backoff_seconds: float = 3600.0,
        timeout_seconds: float = 5.0,
        per_subscriber: int = 4,
        max_in_flight: int = 64,
        poll_seconds: float = 0.5,
    ) -> None:
        self._db = db
        self._tables = tables
        self._client = client
        self.max_attempts = max_attempts
        self._base_backoff = base_backoff_seconds
        self._max_backoff = max_backoff_seconds
        self._timeout = timeout_seconds
        self._per_subscriber = per_subscriber
        self._max_in_flight = max_in_flight
        self._poll = poll_seconds
        self._in_flight: dict[asyncio.Task[None], str] = {}
        # The event types of the active subscriptions; None until first read (then: want all).
        self._subscribed: list[list[str]] | None = None
        self._secrets: dict[str, tuple[str, str]] = {}

    def _backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self._base_backoff * 2 ** (attempts - 1), self._max_backoff))

    async def claim(self, now: datetime) -> list[Any]:
        """Leases due deliveries, respecting the per-subscriber and total caps."""
        d = self._tables.deliveries
        busy = Counter(self._in_flight.values())
        room = self._max_in_flight - len(self._in_flight)
        if room <= 0:
            return []
        async with self._db.transaction() as session:
            candidates = (
                await session.execute(
                    select(d.c.id, d.c.subscription_id, d.c.headers, d.c.body, d.c.attempts)
                    .where(
                        d.c.status == "pending",
                        d.c.next_attempt_at <= now,
                        or_(d.c.lease_until.is_(None), d.c.lease_until < now),
                    )
                    .order_by(d.c.next_attempt_at, d.c.id)
                    .limit(room * 4)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            chosen: list[Any] = []
            for row in candidates:
                if len(chosen) >= room or busy[row.subscription_id] >= self._per_subscriber:
                    continue
                busy[row.subscription_id] += 1
                chosen.append(row)
            if chosen:
                lease = now + timedelta(seconds=self._timeout * 3)
                await session.execute(
                    update(d).where(d.c.id.in_([r.id for r in chosen])).values(lease_until=lease)
                )
        return chosen

    async def _target(self, subscription_id: str) -> tuple[str, str] | None:
        s = self._tables.subscriptions
        async with self._db.transaction() as session:
            row = (
                await session.execute(
                    select(s.c.url, s.c.secret, s.c.active).where(s.c.id == subscription_id)
                )
            ).first()
        if row is None or not row.active:
            return None
        return row.url, row.secret

    async def deliver(self, row: Any) -> None:
        d = self._tables.deliveries
        target = await self._target(row.subscription_id)
        attempts = row.attempts + 1
        now = datetime.now(UTC)
        error: str | None = None
        if target is None:
            error = "subscription removed"
        else:
            url, secret = target
            headers = {
                **row.headers,
                SIGNATURE_HEADER: sign(secret, row.body),
                "X-Koshqon-Delivery": str(row.id),
                "X-Koshqon-Subscription": row.subscription_id,
            }
            try:
                client = self._client or httpx.AsyncClient()
                try:
                    response = await client.post(
                        url, content=row.body, headers=headers, timeout=self._timeout
                    )
                finally:
                    if self._client is None:
                        await client.aclose()
                if not 200 <= response.status_code < 300:
                    error = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:500]
        values: dict[str, Any] = {"attempts": attempts, "lease_until": None, "last_error": error}
        if error is None:
            values.update(status="delivered", delivered_at=now)
        elif target is None or attempts >= self.max_attempts:
            values["status"] = "dead"
            log.warning("webhook.dead_letter", delivery=row.id, error=error, attempts=attempts)
        else:
            values["next_attempt_at"] = now + self._backoff(attempts)
        async with self._db.transaction() as session:
            await session.execute(update(d).where(d.c.id == row.id).values(**values))

    async def refresh_subscriptions(self) -> None:
        s = self._tables.subscriptions
        async with self._db.transaction() as session:
            rows = (await session.execute(select(s.c.event_types).where(s.c.active.is_(True))))
            self._subscribed = [list(r.event_types) for r in rows]

    def wants(self, envelope: Envelope) -> bool:
        """Whether any active subscription wants this event (the fan-out skips the rest)."""
        if self._subscribed is None:
            return True
        return any(matches(types, envelope.type) for types in self._subscribed)

    async def dispatch_due(self) -> int:
        """Starts every due delivery it may; returns how many it started."""
        rows = await self.claim(datetime.now(UTC))
        for row in rows:
            task = asyncio.create_task(self.deliver(row))
            self._in_flight[task] = row.subscription_id
            task.add_done_callback(self._in_flight.pop)
        return len(rows)

    async def drain(self, timeout: float = 30.0) -> None:
        """Waits until nothing is due or in flight (commands and tests)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            started = await self.dispatch_due()
            if self._in_flight:
                await asyncio.wait(list(self._in_flight), timeout=self._timeout + 1)
            elif not started:
                return

    async def run(self) -> None:
        while True:
            try:
                await self.refresh_subscriptions()
                await self.dispatch_due()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database is away; deliveries wait
                log.warning("webhook.dispatch_failed", error=f"{type(exc).__name__}: {exc}")
            await asyncio.sleep(self._poll)

    async def stop(self) -> None:
        for task in list(self._in_flight):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


def new_subscription_id() -> str:
    return str(uuid.uuid4())


async def replay(
    session: AsyncSession,
    tables: WebhookTables,
    outbox: Any,
    subscription_id: str,
    event_types: list[str],
    since: datetime,
) -> int:
    """Queues again every event published since `since` that the subscription wants, read from
    the service's outbox (its own log of published events)."""
    rows = (
        await session.execute(
            select(outbox.c.event_id, outbox.c.event_type, outbox.c.headers, outbox.c.value,
                   outbox.c.created_at)
            .where(outbox.c.created_at >= since)
            .order_by(outbox.c.id)
        )
    ).all()
    now = datetime.now(UTC)
    queued = [
        {
            "subscription_id": subscription_id,
            "event_id": row.event_id,
            "event_type": row.event_type,
            "event_time": row.created_at,
            "headers": _http_from_kafka_headers(row.headers),
            "body": row.value,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for row in rows
        if matches(event_types, row.event_type)
    ]
    if queued:
        await session.execute(insert(tables.deliveries), queued)
    return len(queued)


def _http_from_kafka_headers(headers: dict[str, str]) -> dict[str, str]:
    converted = {}
    for name, value in headers.items():
        if name.startswith("ce_"):
            converted["ce-" + name[3:]] = value
        elif name == "content-type":
            converted[name] = value
    return converted
