"""Replay: statistics rebuilt from a topic of a million arrival events, against a plain consumer.

    python -m bench.replay [--events 1000000]

The topic (`bench.replay<N>.koshqon.registration.arrivals`, three partitions like the platform's
own) is filled once with arrival events as registration publishes them (spread over three years,
the twenty regions and thirty citizenships, weighted like real arrivals) and kept for later runs.
Then, on the same topic:

- a plain aiokafka consumer reads every record and does nothing with it: what reading alone costs;
- `python -m statistics_service.rebuild` replays it into a fresh database, as an operator would,
  and every arrival is checked to be counted once.

Both rates are taken from the first record read to the last one applied.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from bench.common import KAFKA, ROOT, create_database, drop_database, write
from shared.events import Envelope
from shared.kz import regions as kato_regions

ARRIVALS = "koshqon.registration.arrivals"
ARRIVAL_NOTIFIED = "kz.koshqon.registration.arrival.notified.v1"
CITIZENSHIPS = ("UZB", "RUS", "CHN", "KGZ", "TJK", "TUR", "IND", "KOR", "DEU", "USA", "AZE",
                "BLR", "UKR", "GEO", "ARM", "MNG", "IRN", "PAK", "AFG", "TKM", "GBR", "FRA",
                "ITA", "JPN", "ESP", "POL", "ISR", "ARE", "VNM", "THA")
PURPOSES = ("tourism", "business", "work", "private", "study")


def _arrival_payloads(count: int, seed: int = 7) -> list[bytes]:
    """Distinct event data, weighted: a few citizenships and regions carry most arrivals."""
    rng = random.Random(seed)
    regions = sorted(kato_regions())
    first = date(2024, 1, 1)
    payloads = []
    for _ in range(count):
        notified = first + timedelta(days=rng.randrange(3 * 365))
        payloads.append(json.dumps({
            "notification_id": str(uuid.UUID(int=rng.getrandbits(128))),
            "person_id": uuid.UUID(int=rng.getrandbits(128)).hex,
            "citizenship": CITIZENSHIPS[min(int(rng.expovariate(0.25)), len(CITIZENSHIPS) - 1)],
            "region": regions[min(int(rng.expovariate(0.3)), len(regions) - 1)],
            "host_kind": "hotel",
            "purpose": rng.choice(PURPOSES),
            "entry_date": (notified - timedelta(days=1)).isoformat(),
            "notified_on": notified.isoformat(),
            "deadline": (notified + timedelta(days=2)).isoformat(),
            "late": rng.random() < 0.1,
            "registration_required": False,
            "allowed_stay_until": (notified + timedelta(days=28)).isoformat(),
        }).encode())
    return payloads


async def _stored(topic: str) -> int:
    """Records the topic holds; creates it (three partitions, like the platform's) if missing."""
    admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA)
    await admin.start()
    try:
        if topic not in await admin.list_topics():
            await admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1)])
            return 0
        [described] = await admin.describe_topics([topic])
        partitions = [p["partition"] for p in described["partitions"]]
    finally:
        await admin.close()
    consumer = AIOKafkaConsumer(bootstrap_servers=KAFKA)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in partitions]
        return sum((await consumer.end_offsets(tps)).values())
    finally:
        await consumer.stop()


async def fill(topic: str, events: int) -> dict[str, Any]:
    """Produces `events` arrival events unless the topic holds them already."""
    stored = await _stored(topic)
    if stored >= events:
        return {"produced": 0, "stored": stored}
    template = Envelope(id="x", type=ARRIVAL_NOTIFIED, source="/koshqon/registration",
                        subject="x", time=datetime.now(UTC), data={}).to_record(topic)
    payloads = _arrival_payloads(20_000)
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA, acks=1, linger_ms=20,
                                max_batch_size=512 * 1024)
    await producer.start()
    began = time.perf_counter()
    try:
        pending = []
        for n in range(events - stored):
            event_id = str(uuid.uuid4())
            headers = {**template.headers, "ce_id": event_id.encode(),
                       "ce_subject": event_id.encode()}
            pending.append(await producer.send(
                topic, value=payloads[n % len(payloads)], key=event_id.encode(),
                headers=list(headers.items()),
            ))
            if len(pending) >= 20_000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return {"produced": events - stored, "stored": events,
            "produce_seconds": round(time.perf_counter() - began, 1)}


async def plain_consumer(topic: str, events: int) -> dict[str, Any]:
    """Reads `events` records under a new group and does nothing with them."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=KAFKA,
                                group_id=f"bench-plain-{uuid.uuid4().hex[:8]}",
                                enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    read, first = 0, None
    try:
        while read < events:
            batch = await consumer.getmany(timeout_ms=1000, max_records=5000)
            for records in batch.values():
                if first is None and records:
                    first = time.perf_counter()
                read += len(records)
        elapsed = time.perf_counter() - (first or time.perf_counter())
    finally:
        await consumer.stop()
    return {"events": read, "seconds": round(elapsed, 2),
            "events_per_second": round(read / elapsed, 1)}


def rebuild(prefix: str, database: str) -> dict[str, Any]:
    """`python -m statistics_service.rebuild` into a fresh database; its report line."""
    env = {
        **os.environ,
        "KOSHQON_STATISTICS_BUS": "kafka",
        "KOSHQON_STATISTICS_KAFKA_BOOTSTRAP": KAFKA,
        "KOSHQON_STATISTICS_TOPIC_PREFIX": prefix,
        "KOSHQON_STATISTICS_LOG_LEVEL": "INFO",
    }
    database_url = database.replace("postgresql://", "postgresql+asyncpg://", 1)
    done = subprocess.run(
        [sys.executable, "-m", "statistics_service.rebuild", "--database-url", database_url,
         "--idle-seconds", "5"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )
    for line in done.stdout.splitlines() + done.stderr.splitlines():
        if '"statistics.rebuilt"' in line:
            return dict(json.loads(line))
    raise SystemExit(f"the rebuild printed no report:\n{done.stderr[-2000:]}")


async def counted_arrivals(database: str) -> int:
    connection = await asyncpg.connect(database)
    try:
        return int(await connection.fetchval(
            "SELECT coalesce(sum(value), 0) FROM facts WHERE indicator = 'arrivals'"))
    finally:
        await connection.close()


async def run(events: int) -> dict[str, Any]:
    prefix = f"bench.replay{events}."
    topic = prefix + ARRIVALS
    filled = await fill(topic, events)
    plain = await plain_consumer(topic, events)
    name = f"bench_replay_{uuid.uuid4().hex[:6]}"
    database = await create_database(name)
    try:
        report = rebuild(prefix, database)
        counted = await counted_arrivals(database)
    finally:
        await drop_database(name)
    rate = report["events_per_second"]
    return {
        "topic": topic,
        "events": events,
        "fill": filled,
        "plain_consumer": plain,
        "rebuild": report,
        "events_per_second": rate,
        "share_of_plain_consumer": round(rate / plain["events_per_second"], 3),
        "arrivals_counted": counted,
        "all_counted_once": counted == filled["stored"],
    }


def summary(result: dict[str, Any]) -> str:
    return (f"{result['events_per_second']} events/s rebuilding statistics from "
            f"{result['rebuild']['records']} events; plain aiokafka consumer "
            f"{result['plain_consumer']['events_per_second']} events/s "
            f"({result['share_of_plain_consumer']:.0%}); every arrival counted once: "
            f"{result['all_counted_once']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    arguments = parser.parse_args()
    outcome = asyncio.run(run(arguments.events))
    write("replay", outcome)
    sys.stdout.write(f"replay  {summary(outcome)}\n")
