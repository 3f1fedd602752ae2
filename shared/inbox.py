"""Consuming events exactly once in effect: each event is applied in one transaction together
with an inbox row `(consumer, event_id)`, and the offset is committed after that transaction.
A redelivered event finds its inbox row and changes nothing; an event that can never be applied
goes to the topic's dead-letter topic with the reason, and the consumer goes on."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import structlog
from pydantic import ValidationError
from sqlalchemy import Table
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from shared import context
from shared.bus import Bus, IncomingRecord, OutgoingRecord, Subscription, dead_letter_topic
from shared.db import Database, dialect_insert, insert_rows
from shared.events import Envelope, MalformedEvent

log = structlog.get_logger(__name__)

Handler = Callable[[AsyncSession, Envelope], Awaitable[None]]
# Applies many events at once; returns the reasons of those that can never apply, by event id
# (it must not have applied anything of theirs).
BatchHandler = Callable[[AsyncSession, Sequence[Envelope]], Awaitable[Mapping[str, str]]]


class PoisonEvent(Exception):
    """Raised by a handler for an event that can never be applied."""


# Failures of the infrastructure, not of the event: retried until they pass.
TRANSIENT = (OperationalError, InterfaceError, OSError, ConnectionError, TimeoutError)
# PostgreSQL's SQLSTATEs of conflicts between concurrent transactions, which pass on a retry:
# serialization failure, deadlock, lock not available.
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


def is_transient_database_error(exc: DBAPIError) -> bool:
    error: BaseException | None = exc.orig
    while error is not None:
        code = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
        if code in TRANSIENT_SQLSTATES:
            return True
        error = error.__cause__
    return False


@dataclass
class ConsumerSpec:
    """A named consumer (its Kafka consumer group) and the handlers it applies, by event type."""

    name: str
    topics: Sequence[str]
    handlers: Mapping[str, Handler]
    batch_size: int = 500
    # Applied to every event type without a handler of its own (e.g. webhook fan-out).
    fallback: Handler | None = None
    # When it says no, the event is passed over without an inbox row (nothing to apply).
    wants: Callable[[Envelope], bool] | None = None
    # Applies a whole batch in a few statements instead of event by event (a projection that
    # replays millions). Events get no case or correlation context. When it fails on something
    # other than a transient error, the batch is applied again one event at a time, so that only
    # the event at fault goes to the dead-letter topic.
    batch_handler: BatchHandler | None = None


@dataclass
class ConsumerStats:
    applied: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    skipped: int = 0
    last_error: str | None = None
    running: bool = False
    subscription: Subscription | None = field(default=None, repr=False)


class EventConsumer:
    def __init__(
        self,
        spec: ConsumerSpec,
        db: Database,
        inbox: Table,
        bus: Bus,
        *,
        topics: Sequence[str],
        group: str,
        max_backoff_seconds: float = 5.0,
    ) -> None:
        self.spec = spec
        self.group = group
        self._db = db
        self._inbox = inbox
        self._bus = bus
        self._topics = list(topics)
        self._max_backoff = max_backoff_seconds
        self.stats = ConsumerStats()

    async def apply(self, records: Sequence[IncomingRecord]) -> None:
        """Applies a batch in one transaction; poison records go to their dead-letter topics."""
        if self.spec.batch_handler is not None:
            try:
                await self._apply_together(records, self.spec.batch_handler)
                return
            except TRANSIENT:
                raise
            except DBAPIError as exc:
                if is_transient_database_error(exc):
                    raise
                log.warning("consumer.batch_failed", consumer=self.spec.name,
                            error=f"{type(exc).__name__}: {exc}")
            except (PoisonEvent, ValidationError, ValueError, KeyError, TypeError) as exc:
                log.warning("consumer.batch_failed", consumer=self.spec.name,
                            error=f"{type(exc).__name__}: {exc}")
        await self._apply_one_by_one(records)

    async def _apply_together(
        self, records: Sequence[IncomingRecord], batch_handler: BatchHandler
    ) -> None:
        dead: list[OutgoingRecord] = []
        wanted: dict[str, tuple[IncomingRecord, Envelope]] = {}
        skipped = repeated = 0
        for record in records:
            try:
                envelope = Envelope.from_record(record)
            except MalformedEvent as exc:
                dead.append(_dead_letter(record, self.spec.name, str(exc)))
                continue
            if not self._wants(envelope):
                skipped += 1
            elif envelope.id in wanted:  # the same event twice in one batch
                repeated += 1
            else:
                wanted[envelope.id] = (record, envelope)
        async with self._db.transaction() as session:
            new = await self._record_received(session, [e for _, e in wanted.values()])
            fresh = [envelope for event_id, (_, envelope) in wanted.items() if event_id in new]
            refused = await batch_handler(session, fresh) if fresh else {}
            for event_id, reason in refused.items():
                record, envelope = wanted[event_id]
                self._dead(envelope, reason)
                dead.append(_dead_letter(record, self.spec.name, reason))
            if dead:
                await self._bus.publish(dead)
        self.stats.applied += len(fresh) - len(refused)
        self.stats.skipped += skipped
        self.stats.duplicates += repeated + len(wanted) - len(new)
        self.stats.dead_lettered += len(dead)

    async def _record_received(
        self, session: AsyncSession, envelopes: Sequence[Envelope]
    ) -> set[str]:
        """Inbox rows for these events; returns the ids that had none (not applied before)."""
        if not envelopes:
            return set()
        now = datetime.now(UTC)
        inbox = self._inbox
        rows = [
            {"consumer": self.spec.name, "event_id": e.id, "event_type": e.type,
             "received_at": now}
            # In one order: batches applied side by side that share an event wait for each
            # other instead of deadlocking.
            for e in sorted(envelopes, key=lambda e: e.id)
        ]
        if self._db.dialect == "postgresql":
            # Nearly always every event is new: then no ids need to come back.
            async with session.begin_nested() as attempt:
                written = await insert_rows(
                    session, inbox, rows, lambda insert: insert.on_conflict_do_nothing()
                )
                if written is not None and written.rowcount == len(rows):
                    return {e.id for e in envelopes}
                await attempt.rollback()
        inserted = await insert_rows(
            session, inbox, rows,
            lambda insert: insert.on_conflict_do_nothing().returning(inbox.c.event_id),
        )
        return set(inserted.scalars()) if inserted is not None else set()

    def _wants(self, envelope: Envelope) -> bool:
        if self.spec.handlers.get(envelope.type, self.spec.fallback) is None:
            return False
        return self.spec.wants is None or self.spec.wants(envelope)

    async def _apply_one_by_one(self, records: Sequence[IncomingRecord]) -> None:
        dead: list[OutgoingRecord] = []
        async with self._db.transaction() as session:
            for record in records:
                reason = await self._apply_one(session, record)
                if reason is not None:
                    dead.append(_dead_letter(record, self.spec.name, reason))
            if dead:
                # Before the commit: were the commit to fail, the batch comes again and its
                # poison records are dead-lettered again (at least once), never lost.
                await self._bus.publish(dead)
        self.stats.dead_lettered += len(dead)

    async def _apply_one(self, session: AsyncSession, record: IncomingRecord) -> str | None:
        try:
            envelope = Envelope.from_record(record)
        except MalformedEvent as exc:
            return str(exc)
        handler = self.spec.handlers.get(envelope.type, self.spec.fallback)
        if handler is None or not self._wants(envelope):
            self.stats.skipped += 1
            return None
        inserted = await session.execute(
            dialect_insert(session, self._inbox)
            .values(
                consumer=self.spec.name,
                event_id=envelope.id,
                event_type=envelope.type,
                received_at=datetime.now(UTC),
            )
            .on_conflict_do_nothing()
        )
        if inserted.rowcount == 0:  # type: ignore[attr-defined]
            self.stats.duplicates += 1
            return None
        case_token = context.case_id.set(envelope.caseid)
        correlation_token = context.correlation_id.set(envelope.correlationid)
        try:
            async with session.begin_nested():
                await handler(session, envelope)
        except TRANSIENT:
            raise
        except DBAPIError as exc:
            if is_transient_database_error(exc):
                raise  # a deadlock or serialization failure: the whole batch is tried again
            return self._dead(envelope, exc)
        except (PoisonEvent, ValidationError, ValueError, KeyError, TypeError) as exc:
            return self._dead(envelope, exc)
        finally:
            context.case_id.reset(case_token)
            context.correlation_id.reset(correlation_token)
        self.stats.applied += 1
        return None

    def _dead(self, envelope: Envelope, exc: Exception | str) -> str:
        reason = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
        log.warning(
            "consumer.dead_letter", consumer=self.spec.name, event_id=envelope.id,
            event_type=envelope.type, error=reason,
        )
        return reason

    async def run(self) -> None:
        backoff = 0.1
        subscription: Subscription | None = None
        while True:
            try:
                if subscription is None:
                    subscription = self._bus.subscribe(self.group, self._topics)
                    await subscription.start()
                    self.stats.subscription = subscription
                    self.stats.running = True
                records = await subscription.getmany(timeout=1.0, max_records=self.spec.batch_size)
                if records:
                    await self.apply(records)
                    await subscription.commit(records)
                self.stats.last_error = None
                backoff = 0.1
            except asyncio.CancelledError:
                if subscription is not None:
                    await subscription.stop()
                self.stats.running = False
                raise
            except Exception as exc:
                self.stats.last_error = f"{type(exc).__name__}: {exc}"
                log.warning(
                    "consumer.retry", consumer=self.spec.name, error=self.stats.last_error,
                    retry_in=backoff,
                )
                if subscription is not None:
                    try:
                        await subscription.stop()
                    except Exception:  # already broken; a new subscription replaces it
                        log.debug("consumer.stop_failed", consumer=self.spec.name)
                    subscription = None
                    self.stats.running = False
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)


def _dead_letter(record: IncomingRecord, consumer: str, reason: str) -> OutgoingRecord:
    headers = dict(record.headers)
    headers["koshqon_dlt_reason"] = reason[:2000].encode()
    headers["koshqon_dlt_consumer"] = consumer.encode()
    headers["koshqon_dlt_origin"] = json.dumps(
        {"topic": record.topic, "partition": record.partition, "offset": record.offset}
    ).encode()
    return OutgoingRecord(
        topic=dead_letter_topic(record.topic), key=record.key, value=record.value, headers=headers
    )
