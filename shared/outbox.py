"""The transactional outbox: events are written in the same transaction as the state they
describe, and a relay publishes them afterwards. A broker outage delays events; it loses none."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import structlog
from sqlalchemy import Table, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared import context
from shared.bus import Bus, OutgoingRecord
from shared.db import Database
from shared.events import DomainEvent, Envelope

log = structlog.get_logger(__name__)


class UnitOfWork:
    """One business transaction: the service's writes and the events they publish commit once."""

    session: AsyncSession

    def __init__(
        self,
        db: Database,
        outbox: Table,
        topic_name: Callable[[str], str],
        on_commit: Callable[[], None] = lambda: None,
    ) -> None:
        self._db = db
        self._outbox = outbox
        self._topic_name = topic_name
        self._on_commit = on_commit
        self._pending: list[tuple[str, Envelope]] = []

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._db.sessionmaker()
        await self.session.begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                await self.commit()
            else:
                await self.session.rollback()
        finally:
            await self.session.close()

    def publish(self, event: DomainEvent) -> Envelope:
        envelope = Envelope.wrap(
            event,
            case_id=context.case_id.get(),
            correlation_id=context.correlation_id.get(),
            traceparent=context.traceparent.get(),
        )
        self._pending.append((event.topic, envelope))
        return envelope

    async def flush_events(self) -> None:
        if not self._pending:
            return
        now = datetime.now(UTC)
        rows: list[dict[str, Any]] = []
        for topic, envelope in self._pending:
            record = envelope.to_record(self._topic_name(topic))
            rows.append(
                {
                    "event_id": envelope.id,
                    "event_type": envelope.type,
                    "topic": record.topic,
                    "key": record.key,
                    "headers": {k: v.decode() for k, v in record.headers.items()},
                    "value": record.value,
                    "created_at": now,
                }
            )
        self._pending.clear()
        await self.session.execute(insert(self._outbox), rows)

    async def commit(self) -> None:
        had_events = bool(self._pending)
        await self.flush_events()
        await self.session.commit()
        if had_events:
            self._on_commit()


# On PostgreSQL the outbox is split into lanes by a hash of the key. A relay publishes a lane only
# while it holds that lane's advisory lock, so relays in several replicas share the work and the
# events of one aggregate (one key, one lane) are still published in the order they were written.
LANES = 16
LANE_LOCK_BASE = 4_150_100

# The lanes whose locks this transaction takes (those no other relay holds), in one statement.
_TAKE_LANES = text(
    "SELECT lane FROM generate_series(0, :last) AS lane"
    " WHERE pg_try_advisory_xact_lock(:base + lane)"
).bindparams(last=LANES - 1, base=LANE_LOCK_BASE)


def _lane_of(table: Table) -> Any:
    return func.abs(func.hashtext(func.coalesce(table.c.key, ""))) % LANES


class OutboxRelay:
    """Publishes pending outbox rows in order per aggregate; safe to run in every replica."""

    def __init__(
        self,
        db: Database,
        outbox: Table,
        bus: Bus,
        *,
        batch_size: int = 500,
        idle_seconds: float = 0.5,
        max_backoff_seconds: float = 5.0,
        publish_timeout_seconds: float = 30.0,
    ) -> None:
        self._db = db
        self._outbox = outbox
        self._bus = bus
        self._batch_size = batch_size
        self._idle_seconds = idle_seconds
        self._max_backoff = max_backoff_seconds
        self._publish_timeout = publish_timeout_seconds
        self._wake = asyncio.Event()
        self.published_total = 0
        self.last_error: str | None = None

    def wake(self) -> None:
        self._wake.set()

    async def publish_batch(self) -> int:
        """Publishes a batch of pending rows, marks them sent; returns the count.

        One transaction: on PostgreSQL it takes the lanes no other relay holds, then publishes
        the oldest pending rows of those lanes."""
        table = self._outbox
        async with self._db.transaction() as session:
            query = (
                select(table.c.id, table.c.topic, table.c.key, table.c.headers, table.c.value)
                .where(table.c.sent_at.is_(None))
                .order_by(table.c.id)
                .limit(self._batch_size)
                .with_for_update(skip_locked=True)
            )
            if self._db.dialect == "postgresql":
                lanes = (await session.execute(_TAKE_LANES)).scalars().all()
                if not lanes:
                    return 0  # other replicas' relays are publishing every lane
                if len(lanes) < LANES:
                    query = query.where(_lane_of(table).in_(lanes))
            rows = (await session.execute(query)).all()
            if not rows:
                return 0
            records = [
                OutgoingRecord(
                    topic=row.topic,
                    key=row.key,
                    value=row.value,
                    headers={k: v.encode() for k, v in row.headers.items()},
                )
                for row in rows
            ]
            await asyncio.wait_for(self._bus.publish(records), self._publish_timeout)
            await session.execute(
                update(table)
                .where(table.c.id.in_([row.id for row in rows]))
                .values(sent_at=datetime.now(UTC))
            )
        self.published_total += len(rows)
        return len(rows)

    async def drain(self) -> int:
        """Publishes until nothing is pending (used by commands and tests)."""
        total = 0
        while count := await self.publish_batch():
            total += count
        return total

    async def run(self) -> None:
        backoff = 0.1
        while True:
            try:
                published = await self.publish_batch()
                self.last_error = None
                backoff = 0.1
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the broker or database is away: rows wait, nothing is lost
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.warning("outbox.publish_failed", error=self.last_error, retry_in=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)
                continue
            if published < self._batch_size:
                self._wake.clear()
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for drops a cancellation
                # that arrives as the event is set, and the relay would outlive its service.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._idle_seconds):
                        await self._wake.wait()


async def outbox_backlog(db: Database, outbox: Table) -> tuple[int, float | None]:
    """How many rows wait, and the age in seconds of the oldest."""
    async with db.transaction() as session:
        count, oldest = (
            await session.execute(
                select(func.count(), func.min(outbox.c.created_at)).where(
                    outbox.c.sent_at.is_(None)
                )
            )
        ).one()
    if oldest is None:
        return int(count), None
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return int(count), max((datetime.now(UTC) - oldest).total_seconds(), 0.0)
