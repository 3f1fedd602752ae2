"""The Kafka transport (aiokafka): an idempotent producer and manually committed consumers."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from shared.bus.base import IncomingRecord, OutgoingRecord

TOPIC_ALREADY_EXISTS = 36


class KafkaBus:
    kind = "kafka"

    def __init__(
        self,
        bootstrap_servers: str,
        client_id: str,
        *,
        partitions: int = 3,
        replication_factor: int = 1,
        request_timeout_ms: int = 15_000,
        fetch_bytes_per_partition: int = 1_048_576,
    ) -> None:
        self.bootstrap_servers = bootstrap_servers
        # How much a consumer buffers per partition: more reads faster, and holds more memory.
        self.fetch_bytes_per_partition = fetch_bytes_per_partition
        self.client_id = client_id
        self.partitions = partitions
        self.replication_factor = replication_factor
        self.request_timeout_ms = request_timeout_ms
        self._producer: AIOKafkaProducer | None = None
        self._producer_lock = asyncio.Lock()

    async def start(self) -> None:
        # The producer starts lazily: a service must come up (and keep accepting requests into
        # its outbox) while the broker is away.
        return None

    async def stop(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    async def _started_producer(self) -> AIOKafkaProducer:
        async with self._producer_lock:
            if self._producer is None:
                producer = AIOKafkaProducer(
                    bootstrap_servers=self.bootstrap_servers,
                    client_id=self.client_id,
                    acks="all",
                    enable_idempotence=True,
                    linger_ms=5,
                    request_timeout_ms=self.request_timeout_ms,
                )
                try:
                    await producer.start()
                except BaseException:
                    await producer.stop()
                    raise
                self._producer = producer
            return self._producer

    async def publish(self, records: Sequence[OutgoingRecord]) -> None:
        if not records:
            return
        producer = await self._started_producer()
        futures = [
            await producer.send(
                record.topic,
                value=record.value,
                key=record.key.encode() if record.key is not None else None,
                headers=list(record.headers.items()),
            )
            for record in records
        ]
        await asyncio.gather(*futures)

    async def check(self) -> None:
        producer = await self._started_producer()
        await asyncio.wait_for(producer.client.fetch_all_metadata(), timeout=3)

    async def ensure_topics(self, topics: Sequence[str]) -> None:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=self.bootstrap_servers,
            client_id=f"{self.client_id}-admin",
            request_timeout_ms=self.request_timeout_ms,
        )
        await admin.start()
        try:
            existing = set(await admin.list_topics())
            missing = [t for t in dict.fromkeys(topics) if t not in existing]
            if not missing:
                return
            response = await admin.create_topics(
                [
                    NewTopic(t, num_partitions=self.partitions,
                             replication_factor=self.replication_factor)
                    for t in missing
                ]
            )
            for topic, code, *rest in response.topic_errors:
                if code not in (0, TOPIC_ALREADY_EXISTS):
                    raise RuntimeError(f"cannot create topic {topic}: error {code} {rest}")
        finally:
            await admin.close()

    def subscribe(self, group: str, topics: Sequence[str]) -> KafkaSubscription:
        return KafkaSubscription(self, group, list(topics))


class KafkaSubscription:
    def __init__(self, bus: KafkaBus, group: str, topics: list[str]) -> None:
        self._bus = bus
        self._group = group
        self._topics = topics
        self._consumer: AIOKafkaConsumer | None = None

    async def start(self) -> None:
        consumer = AIOKafkaConsumer(
            *self._topics,
            bootstrap_servers=self._bus.bootstrap_servers,
            client_id=f"{self._bus.client_id}-{self._group}",
            group_id=self._group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            request_timeout_ms=self._bus.request_timeout_ms,
            max_partition_fetch_bytes=self._bus.fetch_bytes_per_partition,
        )
        try:
            await consumer.start()
        except BaseException:
            await consumer.stop()
            raise
        self._consumer = consumer

    def _require(self) -> AIOKafkaConsumer:
        if self._consumer is None:
            raise RuntimeError("subscription not started")
        return self._consumer

    async def getmany(self, timeout: float, max_records: int) -> list[IncomingRecord]:
        fetched = await self._require().getmany(
            timeout_ms=int(timeout * 1000), max_records=max_records
        )
        return [
            IncomingRecord(
                topic=r.topic,
                partition=r.partition,
                offset=r.offset,
                key=r.key.decode() if r.key is not None else None,
                value=r.value or b"",
                headers=dict(r.headers),
                timestamp_ms=r.timestamp,
            )
            for records in fetched.values()
            for r in records
        ]

    async def commit(self, records: Sequence[IncomingRecord]) -> None:
        offsets: dict[TopicPartition, int] = {}
        for r in records:
            tp = TopicPartition(r.topic, r.partition)
            offsets[tp] = max(offsets.get(tp, 0), r.offset + 1)
        if offsets:
            await self._require().commit(offsets)

    async def rewind(self) -> None:
        consumer = self._require()
        for tp in consumer.assignment():
            committed = await consumer.committed(tp)
            if committed is None or committed < 0:
                await consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, committed)

    async def lag(self) -> int | None:
        consumer = self._consumer
        if consumer is None:
            return None
        assigned = list(consumer.assignment())
        if not assigned:
            return 0
        ends = await consumer.end_offsets(assigned)
        total = 0
        for tp in assigned:
            committed = await consumer.committed(tp)
            total += max(ends[tp] - (committed or 0), 0)
        return total

    async def stop(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()
            self._consumer = None
