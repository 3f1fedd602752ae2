"""An in-process bus with Kafka's semantics that matter here: an append-only log per topic,
consumer groups with committed offsets, redelivery of what was not committed."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Sequence

from shared.bus.base import IncomingRecord, OutgoingRecord


class InMemoryBus:
    kind = "memory"

    def __init__(self) -> None:
        self._logs: dict[str, list[IncomingRecord]] = defaultdict(list)
        self._committed: dict[tuple[str, str], int] = defaultdict(int)
        self._appended = asyncio.Condition()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def check(self) -> None:
        return None

    async def ensure_topics(self, topics: Sequence[str]) -> None:
        for topic in topics:
            self._logs.setdefault(topic, [])

    async def publish(self, records: Sequence[OutgoingRecord]) -> None:
        now_ms = int(time.time() * 1000)
        async with self._appended:
            for record in records:
                log = self._logs[record.topic]
                log.append(
                    IncomingRecord(
                        topic=record.topic,
                        partition=0,
                        offset=len(log),
                        key=record.key,
                        value=record.value,
                        headers=dict(record.headers),
                        timestamp_ms=now_ms,
                    )
                )
            self._appended.notify_all()

    def subscribe(self, group: str, topics: Sequence[str]) -> InMemorySubscription:
        return InMemorySubscription(self, group, list(topics))

    def records(self, topic: str) -> list[IncomingRecord]:
        """Everything ever published to a topic (for tests and diagnostics)."""
        return list(self._logs.get(topic, []))


class InMemorySubscription:
    def __init__(self, bus: InMemoryBus, group: str, topics: list[str]) -> None:
        self._bus = bus
        self._group = group
        self._topics = topics
        self._position: dict[str, int] = {}

    async def start(self) -> None:
        await self.rewind()

    async def rewind(self) -> None:
        self._position = {t: self._bus._committed[(self._group, t)] for t in self._topics}

    def _available(self, max_records: int) -> list[IncomingRecord]:
        batch: list[IncomingRecord] = []
        for topic in self._topics:
            log = self._bus._logs.get(topic, [])
            start = self._position[topic]
            taken = log[start : start + max_records - len(batch)]
            batch.extend(taken)
            self._position[topic] = start + len(taken)
            if len(batch) >= max_records:
                break
        return batch

    async def getmany(self, timeout: float, max_records: int) -> list[IncomingRecord]:
        batch = self._available(max_records)
        if batch:
            return batch
        condition = self._bus._appended
        async with condition:
            try:
                await asyncio.wait_for(condition.wait(), timeout)
            except TimeoutError:
                return []
        return self._available(max_records)

    async def commit(self, records: Sequence[IncomingRecord]) -> None:
        for record in records:
            key = (self._group, record.topic)
            self._bus._committed[key] = max(self._bus._committed[key], record.offset + 1)

    async def lag(self) -> int | None:
        return sum(
            len(self._bus._logs.get(t, [])) - self._bus._committed[(self._group, t)]
            for t in self._topics
        )

    async def stop(self) -> None:
        return None
