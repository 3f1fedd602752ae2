"""The load generator: a separate process that posts unique arrival notifications.

    python -m bench.loadgen URL --seconds 20 --connections 64

Prints one JSON object: accepted, errors, elapsed, latencies (p50/p95/p99 in ms).

It speaks plain HTTP/1.1 over keep-alive connections, one request at a time on each: it shares
the machine with the services it measures, so it spends as little CPU per request as it can.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
from datetime import date, timedelta
from urllib.parse import urlsplit

from shared.kz import with_control_digit

PATH = "/api/v1/arrivals"


def _bin(n: int) -> str:
    for offset in range(100):
        candidate = with_control_digit(f"{(n * 100 + offset) % 10**11:011d}")
        if candidate:
            return candidate
    raise ValueError(n)


def body(n: int, worker: int) -> bytes:
    entry = date.today() - timedelta(days=1)
    regions = ("750000000", "710000000", "790000000", "350000000", "550000000")
    return json.dumps(
        {
            "host": {"kind": "hotel", "bin": _bin(worker + 1), "name": f"Bench hotel {worker}"},
            "foreigner": {
                "passport_number": f"B{worker:03d}{n:08d}", "citizenship": "UZB",
                "surname": "BENCH", "given_names": "LOAD", "birth_date": "1990-01-01",
            },
            "entry_date": entry.isoformat(),
            "address": {"region": regions[n % len(regions)], "locality": "City",
                        "line": "Street 1"},
            "purpose": "tourism",
            "expected_departure": (entry + timedelta(days=10)).isoformat(),
        }
    ).encode()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


class ConnectionLost(Exception):
    pass


async def post(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, head: bytes, payload: bytes
) -> tuple[int, bool]:
    """One request on an open connection: the status, and whether the connection stays open."""
    writer.write(head + str(len(payload)).encode() + b"\r\n\r\n" + payload)
    line = await reader.readline()
    if not line:
        raise ConnectionLost
    status = int(line.split(b" ", 2)[1])
    length, keep = 0, True
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection" and value.strip().lower() == b"close":
            keep = False
    if not line:
        raise ConnectionLost
    await reader.readexactly(length)
    return status, keep


async def run(url: str, seconds: float, connections: int) -> dict[str, object]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    target = urlsplit(url)
    host, port = target.hostname or "127.0.0.1", target.port or 80
    head = (
        f"POST {PATH} HTTP/1.1\r\nhost: {target.netloc}\r\n"
        "content-type: application/json\r\ncontent-length: "
    ).encode()

    async def worker(w: int) -> None:
        nonlocal errors
        n = 0
        stream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        while time.perf_counter() < deadline:
            n += 1
            payload = body(n, w)
            started = time.perf_counter()
            try:
                async with asyncio.timeout(30):
                    if stream is None:
                        stream = await asyncio.open_connection(host, port)
                    status, keep = await post(*stream, head, payload)
            except (OSError, ValueError, IndexError, TimeoutError, ConnectionLost,
                    asyncio.IncompleteReadError):
                status, keep = 0, False
            if status == 201:
                latencies.append((time.perf_counter() - started) * 1000)
            else:
                errors += 1
            if not keep and stream is not None:
                stream[1].close()
                stream = None
        if stream is not None:
            stream[1].close()

    began = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(connections)))
    elapsed = time.perf_counter() - began
    return {
        "accepted": len(latencies),
        "errors": errors,
        "elapsed_seconds": round(elapsed, 3),
        "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "connections": connections,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    loop_factory = None
    with contextlib.suppress(ImportError):
        import uvloop

        loop_factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        result = runner.run(run(args.url, args.seconds, args.connections))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
