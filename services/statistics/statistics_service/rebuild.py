"""Rebuild the statistics projection by replaying its topics from the beginning.

    python -m statistics_service.rebuild [--database-url URL] [--idle-seconds 10]

Stop the statistics service first. The command brings the database to the newest schema, empties
the facts, their freshness and the projection's inbox rows, then reads every topic the projection
consumes from the first offset under a consumer group of its own, applying each event as the
live consumer does, until it has caught up. Started again, the service's own group resumes where
it stopped; the events it reads again are already in the inbox and change nothing.

Settings come from `KOSHQON_STATISTICS_*` like the service's own (bus, Kafka, topic prefix,
database); `--database-url` builds into another (fresh) database instead.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import structlog
from sqlalchemy import delete

from shared.bus import Bus, IncomingRecord, OutgoingRecord
from shared.bus.kafka import KafkaBus
from shared.db import Database
from shared.inbox import EventConsumer
from shared.logging import configure_logging
from shared.migrations import upgrade_async
from shared.service import make_bus
from shared.settings import ServiceSettings
from statistics_service.app import NAME, PORT
from statistics_service.base import plumbing
from statistics_service.facts import repository
from statistics_service.facts.projections import PROJECTION

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class RebuildReport:
    group: str
    records: int
    applied: int
    duplicates: int
    dead_letters: int
    seconds: float
    # From the first record read to the last one applied.
    replay_seconds: float
    events_per_second: float


class _DeadLettersCounted:
    """Stands in for the bus when the replay meets an event that cannot apply: it was
    dead-lettered when it first came, so it is counted, not published again."""

    def __init__(self) -> None:
        self.count = 0

    async def publish(self, records: Sequence[OutgoingRecord]) -> None:
        self.count += len(records)


async def clear(db: Database) -> None:
    async with db.transaction() as session:
        await repository.clear_projection(session)
        inbox = plumbing.inbox
        await session.execute(delete(inbox).where(inbox.c.consumer == PROJECTION.name))


async def rebuild(
    settings: ServiceSettings,
    *,
    bus: Bus | None = None,
    idle_seconds: float = 10.0,
    batch_size: int = 5000,
) -> RebuildReport:
    """Replays the projection's topics into `settings.database_url` from the first offset."""
    started = time.monotonic()
    await upgrade_async("statistics_service", settings.database_url)
    db = Database(settings.database_url)
    own_bus = bus is None
    bus = bus if bus is not None else make_bus(settings, NAME)
    if own_bus and isinstance(bus, KafkaBus):
        bus.fetch_bytes_per_partition = 8 * 1_048_576  # a replay reads far more than it waits
    group = f"{settings.topic_prefix}{PROJECTION.name}.rebuild-{uuid.uuid4().hex[:12]}"
    topics = [settings.topic_prefix + topic for topic in PROJECTION.topics]
    dead_letters = _DeadLettersCounted()
    consumer = EventConsumer(
        PROJECTION, db, plumbing.inbox, dead_letters,  # type: ignore[arg-type]
        topics=topics, group=group,
    )
    records = 0
    first_at = last_at = 0.0
    try:
        await clear(db)
        if own_bus:
            await bus.start()
        subscription = bus.subscribe(group, topics)
        await subscription.start()
        try:
            quiet_since = time.monotonic()

            def fetch() -> asyncio.Future[list[IncomingRecord]]:
                return asyncio.ensure_future(
                    subscription.getmany(timeout=1.0, max_records=batch_size)
                )

            # The next batch is fetched while the database writes this one.
            fetching = fetch()
            try:
                while True:
                    batch = await fetching
                    fetching = fetch()
                    if batch:
                        first_at = first_at or time.monotonic()
                        await consumer.apply(batch)
                        await subscription.commit(batch)
                        records += len(batch)
                        quiet_since = last_at = time.monotonic()
                        continue
                    lag = await subscription.lag()
                    # Kafka reports no lag before partitions are assigned: wait a quiet spell.
                    if lag == 0 and (
                        records or time.monotonic() - quiet_since >= min(idle_seconds, 2)
                    ):
                        break
                    if time.monotonic() - quiet_since >= idle_seconds:
                        break
            finally:
                fetching.cancel()
        finally:
            await subscription.stop()
    finally:
        if own_bus:
            await bus.stop()
        await db.dispose()
    replay_seconds = last_at - first_at
    report = RebuildReport(
        group=group, records=records, applied=consumer.stats.applied,
        duplicates=consumer.stats.duplicates, dead_letters=dead_letters.count,
        seconds=round(time.monotonic() - started, 3), replay_seconds=round(replay_seconds, 3),
        events_per_second=round(records / replay_seconds, 1) if replay_seconds else 0.0,
    )
    log.info("statistics.rebuilt", **report.__dict__)
    return report


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m statistics_service.rebuild", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--database-url", help="build into this database instead")
    parser.add_argument("--idle-seconds", type=float, default=10.0,
                        help="stop after this long without records (default 10)")
    arguments = parser.parse_args(argv)
    settings = ServiceSettings.for_service(NAME).with_defaults(NAME, PORT)
    if arguments.database_url:
        settings = settings.model_copy(update={"database_url": arguments.database_url})
    configure_logging(settings.log_level)
    asyncio.run(rebuild(settings, idle_seconds=arguments.idle_seconds))


if __name__ == "__main__":
    main()
