"""Reading topics directly, as another ministry's plain Kafka consumer would."""

from __future__ import annotations

import asyncio
import uuid

from aiokafka import AIOKafkaConsumer

from shared.bus import IncomingRecord


async def read_topic(bootstrap: str, topic: str, *, expect: int, timeout: float = 60) -> list[
    IncomingRecord
]:
    """Reads a topic from the beginning until `expect` records came or `timeout` passed."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"reader-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    records: list[IncomingRecord] = []
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(records) < expect and loop.time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for rows in batch.values():
                records.extend(
                    IncomingRecord(
                        r.topic, r.partition, r.offset,
                        r.key.decode() if r.key else None, r.value or b"", dict(r.headers),
                        r.timestamp,
                    )
                    for r in rows
                )
        # A little longer, so that records beyond the expected number would be seen too.
        extra = await consumer.getmany(timeout_ms=1000)
        for rows in extra.values():
            records.extend(
                IncomingRecord(r.topic, r.partition, r.offset, None, r.value or b"",
                               dict(r.headers), r.timestamp)
                for r in rows
            )
    finally:
        await consumer.stop()
    return records
