"""`make bench`: every figure of the platform's speed and memory, on the full stack.

- intake, ceiling, freshness, memory (this module): registration and statistics run as separate
  processes against the local PostgreSQL and Kafka (deploy/local), a load generator posts arrival
  notifications from another process, and the same rows and events are then written straight
  through asyncpg and aiokafka to measure what the machine itself allows;
- replay (`bench/replay.py`): statistics rebuilt from a topic of a million events, against a plain
  aiokafka consumer;
- queries (`bench/queries.py`): series queries over ten million facts.

Figures are printed as a table and written to bench/results/*.json; no figure passes or fails
anything.

    python -m bench.run [--only intake,replay,queries] [--seconds 20] [--connections 64]
                        [--replay-events 1000000] [--facts 10000000] [--log-level INFO]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer

from bench import queries, replay
from bench.common import (
    KAFKA,
    RESULTS,
    ROOT,
    create_database,
    drop_database,
    rss_mb,
    start_service,
    wait_ready,
    write,
)
from bench.loadgen import body, percentile

PORTS = {"registration": 18001, "statistics": 18004}


async def counted(database: str) -> int:
    connection = await asyncpg.connect(database)
    try:
        return int(await connection.fetchval(
            "SELECT count(*) FROM inbox WHERE event_type LIKE '%arrival.notified%'"))
    finally:
        await connection.close()


async def freshness(registration_db: str, statistics_db: str) -> dict[str, Any]:
    """Per event: counted in statistics (inbox row) minus committed in registration (outbox)."""
    reg = await asyncpg.connect(registration_db)
    stats = await asyncpg.connect(statistics_db)
    try:
        created = dict(await reg.fetch("SELECT event_id, created_at FROM outbox"))
        received = await stats.fetch("SELECT event_id, received_at FROM inbox")
    finally:
        await reg.close()
        await stats.close()
    delays = [
        (row["received_at"] - created[row["event_id"]]).total_seconds() * 1000
        for row in received if row["event_id"] in created
    ]
    return {
        "events": len(delays),
        "p50_ms": round(percentile(delays, 50), 1),
        "p99_ms": round(percentile(delays, 99), 1),
        "max_ms": round(max(delays), 1) if delays else None,
    }


async def ceiling_database(seconds: float, connections: int) -> dict[str, Any]:
    """The same state and outbox rows inserted straight through asyncpg, in transactions."""
    name = f"bench_ceiling_{uuid.uuid4().hex[:6]}"
    url = await create_database(name)
    pool = await asyncpg.create_pool(url, min_size=connections, max_size=connections)
    try:
        async with pool.acquire() as c:
            await c.execute(
                "CREATE TABLE arrival_notifications (id uuid PRIMARY KEY, person_id text, "
                "body jsonb, received_at timestamptz);"
                "CREATE TABLE outbox (id bigserial PRIMARY KEY, event_id uuid UNIQUE, topic text,"
                " key text, headers jsonb, value bytea, created_at timestamptz,"
                " sent_at timestamptz)"
            )
        done = 0
        deadline = time.perf_counter() + seconds

        async def worker(w: int) -> None:
            nonlocal done
            n = 0
            async with pool.acquire() as c:
                while time.perf_counter() < deadline:
                    n += 1
                    payload = body(n, w)
                    async with c.transaction():
                        await c.execute(
                            "INSERT INTO arrival_notifications VALUES ($1, $2, $3, now())",
                            uuid.uuid4(), f"p{w}-{n}", payload.decode())
                        await c.execute(
                            "INSERT INTO outbox (event_id, topic, key, headers, value, created_at)"
                            " VALUES ($1, 'bench', $2, '{}', $3, now())",
                            uuid.uuid4(), f"n{w}-{n}", payload)
                    done += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker(w) for w in range(connections)))
        elapsed = time.perf_counter() - began
    finally:
        await pool.close()
        await drop_database(name)
    return {"rows_per_second": round(done / elapsed, 1), "transactions": done}


async def ceiling_kafka(count: int, prefix: str) -> dict[str, Any]:
    """The same number of events produced straight through aiokafka (acks=all, idempotent)."""
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA, acks="all", enable_idempotence=True,
                                linger_ms=5)
    await producer.start()
    try:
        value = body(1, 1)
        headers = [("ce_type", b"kz.koshqon.bench.v1"), ("ce_id", b"x" * 36)]
        began = time.perf_counter()
        futures = [
            await producer.send(f"{prefix}ceiling", value=value, key=str(n).encode(),
                                headers=headers)
            for n in range(count)
        ]
        await asyncio.gather(*futures)
        elapsed = time.perf_counter() - began
    finally:
        await producer.stop()
    return {"events_per_second": round(count / elapsed, 1), "events": count}


def embedded_memory() -> dict[str, float]:
    env = {**os.environ, "KOSHQON_DATA_DIR": str(RESULTS / "embedded-data")}
    for offset, name in enumerate(("registration", "permits", "diaspora", "statistics")):
        env[f"KOSHQON_{name.upper()}_PORT"] = str(18101 + offset)
    process = subprocess.Popen([str(ROOT / ".venv/bin/koshqon"), "run"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(18104, process)
        time.sleep(1)
        return {"embedded_idle_mb": rss_mb(process.pid)}
    finally:
        process.terminate()
        process.wait(20)


async def intake_suite(seconds: float, connections: int, log_level: str) -> list[tuple[str, str]]:
    """Intake, ceiling, freshness and memory; their rows of the table."""
    tag = uuid.uuid4().hex[:6]
    prefix = f"bench{tag}."
    reg_name, stats_name = f"bench_registration_{tag}", f"bench_statistics_{tag}"
    reg_db, stats_db = await create_database(reg_name), await create_database(stats_name)
    processes = {
        name: start_service(name, database, prefix, log_level, PORTS[name])
        for name, database in (("registration", reg_db), ("statistics", stats_db))
    }
    try:
        for name, process in processes.items():
            wait_ready(PORTS[name], process)
        await asyncio.sleep(2)  # consumers join their groups
        idle = {name: rss_mb(p.pid) for name, p in processes.items()}

        loadgen = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.loadgen", f"http://127.0.0.1:{PORTS['registration']}",
            "--seconds", str(seconds), "--connections", str(connections),
            cwd=ROOT, stdout=asyncio.subprocess.PIPE,
        )
        peak = dict(idle)
        finished = asyncio.ensure_future(loadgen.wait())
        while not finished.done():
            await asyncio.wait([finished], timeout=1)
            for name, p in processes.items():
                peak[name] = max(peak[name], rss_mb(p.pid))
        intake = json.loads((await loadgen.stdout.read()).decode())  # type: ignore[union-attr]

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # statistics catches up with what was accepted
            if await counted(stats_db) >= intake["accepted"]:
                break
            await asyncio.sleep(0.5)
        fresh = await freshness(reg_db, stats_db)
        fresh["all_counted"] = await counted(stats_db) == intake["accepted"]
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            process.wait(30)

    ceiling_db = await ceiling_database(seconds, connections)
    ceiling_bus = await ceiling_kafka(max(intake["accepted"], 10_000), prefix)
    ceiling = min(ceiling_db["rows_per_second"], ceiling_bus["events_per_second"])
    intake["ceiling_per_second"] = ceiling
    intake["share_of_ceiling"] = round(intake["per_second"] / ceiling, 3)
    memory = {"idle_mb": idle, "under_load_mb": peak, **embedded_memory()}
    await drop_database(reg_name)
    await drop_database(stats_name)

    write("intake", intake)
    write("ceiling", {"database": ceiling_db, "kafka": ceiling_bus})
    write("freshness", fresh)
    write("memory", memory)
    return [
        ("intake", f"{intake['per_second']}/s accepted, p50 {intake['p50_ms']} ms, "
                   f"p95 {intake['p95_ms']} ms, p99 {intake['p99_ms']} ms, "
                   f"{intake['errors']} errors ({connections} connections, {seconds:.0f} s)"),
        ("ceiling", f"asyncpg {ceiling_db['rows_per_second']} tx/s, aiokafka "
                    f"{ceiling_bus['events_per_second']} events/s; intake is "
                    f"{intake['share_of_ceiling']:.0%} of the lower"),
        ("freshness", f"p50 {fresh['p50_ms']} ms, p99 {fresh['p99_ms']} ms over "
                      f"{fresh['events']} events; all counted: {fresh['all_counted']}"),
        ("memory", f"idle {idle}, under load {peak}, embedded default idle "
                   f"{memory['embedded_idle_mb']} MB"),
    ]


async def main(arguments: argparse.Namespace) -> None:
    parts = set(arguments.only.split(","))
    rows: list[tuple[str, str]] = []
    if "intake" in parts:
        rows += await intake_suite(arguments.seconds, arguments.connections, arguments.log_level)
    if "replay" in parts:
        result = await replay.run(arguments.replay_events)
        write("replay", result)
        rows.append(("replay", replay.summary(result)))
    if "queries" in parts:
        result = await queries.run(arguments.facts, log_level=arguments.log_level)
        rows.append(("queries", queries.summary(result)))
    width = max(len(name) for name, _ in rows)
    for name, text in rows:
        sys.stdout.write(f"{name:<{width}}  {text}\n")
    sys.stdout.write(f"results in {RESULTS}/\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="intake,replay,queries",
                        help="which parts, comma-separated (default: all)")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--replay-events", type=int, default=1_000_000)
    parser.add_argument("--facts", type=int, default=10_000_000)
    parser.add_argument("--log-level", default="INFO")
    asyncio.run(main(parser.parse_args()))
