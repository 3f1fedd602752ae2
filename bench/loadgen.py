"""The load generator: a separate process that posts unique arrival notifications.

    python -m bench.loadgen URL --seconds 20 --connections 64

Prints one JSON object: accepted, errors, elapsed, latencies (p50/p95/p99 in ms).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from datetime import date, timedelta

import httpx

from shared.kz import with_control_digit


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


async def run(url: str, seconds: float, connections: int) -> dict[str, object]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:

        async def worker(w: int) -> None:
            nonlocal errors
            n = 0
            while time.perf_counter() < deadline:
                n += 1
                started = time.perf_counter()
                try:
                    response = await client.post(
                        "/api/v1/arrivals", content=body(n, w),
                        headers={"content-type": "application/json"},
                    )
                    ok = response.status_code == 201
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies.append((time.perf_counter() - started) * 1000)
                else:
                    errors += 1

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
    result = asyncio.run(run(args.url, args.seconds, args.connections))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
