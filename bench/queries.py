"""Queries: series of the statistics service over ten million facts, answered from publications.

    python -m bench.queries [--facts 10000000] [--queries 3000] [--connections 4]

A fresh database is brought to the newest schema and filled inside PostgreSQL (INSERT ... SELECT
over generate_series) with fact cells over five years, every indicator of the catalogue with its
own dimensions, the twenty regions, forty citizenships and eight categories, weighted so that a few
regions, citizenships and categories carry most of the counts and the long tail is small counts
(what disclosure control has to hide), with the matching `fact_changes` rows. The statistics
service is started as its own process and publishes every indicator-year (the time it takes and
the peak resident memory of the service and of its publication worker are reported); then series
queries with random indicators, periods, windows, groupings and filters are sent over a few
connections: p50/p95/p99 (also by response size) and errors. A few
series are also computed the way an unpublished year is (its facts read and protected on the
spot), for comparison. Figures go to bench/results/queries.json.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.common import (
    RESULTS,
    create_database,
    drop_database,
    rss_mb,
    start_service,
    wait_ready,
    write,
)
from bench.loadgen import percentile

PORT = 18204
FIRST_DAY, LAST_DAY = date(2021, 1, 1), date(2025, 12, 31)
CITIZENSHIPS = ("UZB", "RUS", "CHN", "KGZ", "TJK", "TUR", "IND", "KOR", "DEU", "USA", "AZE",
                "BLR", "UKR", "GEO", "ARM", "MNG", "IRN", "PAK", "AFG", "TKM", "GBR", "FRA",
                "ITA", "JPN", "ESP", "POL", "ISR", "ARE", "VNM", "THA", "EGY", "CAN", "NLD",
                "SWE", "LVA", "LTU", "EST", "MDA", "SRB", "HUN")
CATEGORIES = ("work", "tourism", "private", "business", "study", "family", "transit", "other")
# Events per day of each indicator (the weights of its share of the facts).
VOLUME = {
    "arrivals": 9.0, "arrivals-late": 1.2, "decisions": 3.0, "decisions-within-deadline": 2.6,
    "invitations": 1.5, "visas-issued": 3.0, "visas-refused": 0.5, "overstays": 0.6,
    "departures": 3.0, "residence-permits-issued": 1.0, "work-permits-issued": 1.5,
    "labour-immigrant-permits-issued": 2.0, "labour-immigrant-permits-lapsed": 0.8,
    "quota-used": 1.2, "quota-limit": 0.0, "kandas-applications": 0.5, "kandas-granted": 0.4,
    "resettled": 0.4, "accommodation-check-ins": 0.3, "adaptation-placements": 0.3,
    "compatriots-registered": 0.4,
}


def _weights(n: int, exponent: float) -> list[float]:
    raw = [1 / (rank + 1) ** exponent for rank in range(n)]
    total = sum(raw)
    return [w / total for w in raw]


def combinations(target_facts: int, seed: int) -> list[tuple[str, str, str, str, float, int]]:
    """(indicator, region, citizenship, category, events per day, step in days) of every
    combination with a chance of facts, scaled so that they give about `target_facts` cells.

    A combination of λ events a day gets a cell every day when λ is large; a rare one gets one
    cell every `step` days on average (a count of about λ·step, mostly 1 to 4)."""
    from shared.kz import regions as kato_regions
    from statistics_service.indicators.catalogue import CATALOGUE

    rng = random.Random(seed)
    regions = sorted(kato_regions())
    rng.shuffle(regions)
    days = (LAST_DAY - FIRST_DAY).days + 1
    shapes: list[tuple[str, str, str, str, float]] = []
    for indicator in CATALOGUE.values():
        if indicator.id == "quota-limit":
            continue
        dims = indicator.dimensions
        region_w = list(zip(regions, _weights(20, 1.0), strict=True)) \
            if "region" in dims else [("", 1.0)]
        citizenship_w = list(zip(CITIZENSHIPS, _weights(len(CITIZENSHIPS), 1.3), strict=True)) \
            if "citizenship" in dims else [("", 1.0)]
        category_w = list(zip(CATEGORIES, _weights(len(CATEGORIES), 1.1), strict=True)) \
            if "category" in dims else [("", 1.0)]
        for region, wr in region_w:
            for citizenship, wc in citizenship_w:
                for category, wk in category_w:
                    shapes.append((indicator.id, region, citizenship, category,
                                   VOLUME[indicator.id] * wr * wc * wk))

    def expected(scale: float) -> float:
        return sum(min(1.0, weight * scale) for *_, weight in shapes) * days

    low, high = 1.0, 1e7
    for _ in range(60):
        middle = math.sqrt(low * high)
        low, high = (middle, high) if expected(middle) < target_facts else (low, middle)
    found = []
    for indicator, region, citizenship, category, weight in shapes:
        rate = weight * high
        if rate * days < 2:
            continue
        step = max(1, int(0.5 / rate))
        found.append((indicator, region, citizenship, category, rate, step))
    return found


async def fill(url: str, target_facts: int, seed: int) -> dict[str, Any]:
    """Facts and their change counts, written inside PostgreSQL; quota limits per region."""
    began = time.perf_counter()
    combos = combinations(target_facts, seed)
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(f"SELECT setseed({(seed % 1000) / 1000})")
        await connection.execute(
            "CREATE TEMP TABLE combos (indicator text, region text, citizenship text, "
            "category text, rate float8, step int, first int)")
        rng = random.Random(seed)
        await connection.copy_records_to_table(
            "combos", records=[(*c, rng.randrange(c[5])) for c in combos])
        # The unique key is built once after the load instead of row by row.
        await connection.execute("ALTER TABLE facts DROP CONSTRAINT uq_facts_cell")
        days = (LAST_DAY - FIRST_DAY).days
        await connection.execute(f"""
            INSERT INTO facts (indicator, day, region, citizenship, category, value)
            SELECT c.indicator, DATE '{FIRST_DAY}' + d, c.region, c.citizenship, c.category, v.value
            FROM combos c
            CROSS JOIN LATERAL generate_series(c.first, {days}, c.step) AS d
            CROSS JOIN LATERAL (SELECT floor(c.rate * c.step
                                   * (1 + 0.25 * sin(d / 58.1 + length(c.citizenship)))
                                   * exp(random() - 0.5) + random())::bigint AS value) v
            WHERE v.value > 0
        """)
        await connection.execute(
            "INSERT INTO facts (indicator, day, region, citizenship, category, value) "
            "SELECT 'quota-limit', make_date(y, 1, 1), c.region, '', c.category, 50 + y % 7 * 10 "
            "FROM generate_series(2021, 2025) y, "
            "(SELECT DISTINCT region, category FROM combos WHERE indicator = 'quota-used') c")
        await connection.execute(
            "ALTER TABLE facts ADD CONSTRAINT uq_facts_cell "
            "UNIQUE (indicator, day, region, citizenship, category)")
        await connection.execute(
            "INSERT INTO fact_changes (indicator, year, version) "
            "SELECT DISTINCT indicator, CAST(EXTRACT(YEAR FROM day) AS INTEGER), 1 FROM facts")
        await connection.execute("VACUUM ANALYZE facts")
        facts = await connection.fetchval("SELECT count(*) FROM facts")
        years = await connection.fetchval("SELECT count(*) FROM fact_changes")
        largest = await connection.fetchrow(
            "SELECT indicator, EXTRACT(YEAR FROM day)::int AS year, count(*) AS n FROM facts "
            "GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1")
    finally:
        await connection.close()
    return {"facts": facts, "indicator_years": years,
            "largest_indicator_year": dict(largest),
            "seconds": round(time.perf_counter() - began, 1)}


def children(pid: int) -> list[int]:
    """The processes the service started (its publication worker)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def children_rss(pid: int) -> list[float]:
    sizes = []
    for child in children(pid):
        try:
            sizes.append(rss_mb(child))
        except OSError:  # it has just exited
            continue
    return sizes


async def published(url: str) -> tuple[int, int]:
    connection = await asyncpg.connect(url)
    try:
        row = await connection.fetchrow(
            "SELECT count(*) FILTER (WHERE p.version = f.version) AS done, count(*) AS total "
            "FROM fact_changes f LEFT JOIN publications p USING (indicator, year)")
        return int(row["done"]), int(row["total"])
    finally:
        await connection.close()


def random_query(rng: random.Random) -> tuple[str, dict[str, Any]]:
    from statistics_service.indicators.catalogue import CATALOGUE

    indicator = rng.choice(list(CATALOGUE.values()))
    period = rng.choice(["day", "month", "month", "quarter", "year"])
    first = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
    span = {"day": rng.randint(7, 62), "month": rng.randint(90, 730),
            "quarter": rng.randint(180, 1100), "year": rng.randint(365, 1826)}[period]
    params: dict[str, Any] = {"period": period}
    # Day series are asked for a window; coarser ones sometimes for their whole history.
    if period == "day" or rng.random() < 0.85:
        params["from"] = first.isoformat()
        params["to"] = min(first + timedelta(days=span), LAST_DAY).isoformat()
    dims = list(indicator.dimensions)
    most = {"day": 1, "month": 2, "quarter": 2, "year": 3}[period]
    grouped = rng.sample(dims, rng.randint(0, min(most, len(dims))))
    if grouped:
        params["group_by"] = ",".join(grouped)
    if dims and rng.random() < 0.4:
        dimension = rng.choice(dims)
        from shared.kz import regions as kato_regions
        choices = {"region": sorted(kato_regions()), "citizenship": CITIZENSHIPS[:12],
                   "category": CATEGORIES[:4]}[dimension]
        params[dimension] = rng.choice(choices)
    return indicator.id, params


async def send_queries(count: int, connections: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    work = [random_query(rng) for _ in range(count)]
    latencies: list[float] = []
    by_size: dict[str, list[float]] = {"up to 1,000 points": [], "more": []}
    errors: dict[str, int] = {}
    points = 0
    position = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal position, points
        while position < len(work):
            indicator, params = work[position]
            position += 1
            began = time.perf_counter()
            try:
                response = await client.get(f"/api/v1/indicators/{indicator}/series",
                                            params=params)
                elapsed = (time.perf_counter() - began) * 1000
                latencies.append(elapsed)
                if response.status_code != 200:
                    errors[str(response.status_code)] = errors.get(str(response.status_code),
                                                                   0) + 1
                else:
                    size = len(response.json()["points"])
                    points += size
                    by_size["up to 1,000 points" if size <= 1000 else "more"].append(elapsed)
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1

    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{PORT}", timeout=60,
                                 limits=limits) as client:
        for indicator, params in work[:20]:  # warm-up, not counted
            await client.get(f"/api/v1/indicators/{indicator}/series", params=params)
        began = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(connections)))
        elapsed = time.perf_counter() - began
    return {
        "queries": count, "connections": connections,
        "per_second": round(count / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "max_ms": round(max(latencies), 1) if latencies else None,
        "mean_points": round(points / max(1, count - sum(errors.values())), 1),
        "by_response_size": {
            name: {"queries": len(values), "p50_ms": round(percentile(values, 50), 2),
                   "p95_ms": round(percentile(values, 95), 2)}
            for name, values in by_size.items()
        },
        "errors": errors,
    }


async def live_queries(url: str, seed: int, count: int = 4) -> dict[str, Any]:
    """Series computed as for an unpublished year: the year's facts read and protected here."""
    from statistics_service.indicators.catalogue import CATALOGUE
    from statistics_service.indicators.series import (
        SeriesQuery,
        Window,
        protected_tables,
        select_points,
    )

    rng = random.Random(seed)
    connection = await asyncpg.connect(url)
    timings = []
    try:
        for _ in range(count):
            indicator = rng.choice(["arrivals", "decisions", "visas-issued", "departures"])
            year = rng.randint(FIRST_DAY.year, LAST_DAY.year)
            began = time.perf_counter()
            rows = await connection.fetch(
                "SELECT day, region, citizenship, category, value FROM facts "
                "WHERE indicator = $1 AND day BETWEEN $2 AND $3",
                indicator, date(year, 1, 1), date(year, 12, 31))
            query = SeriesQuery(period="month", group_by=("region",),
                                window=Window.of(date(year, 1, 1), date(year, 12, 31), "month"))
            select_points(protected_tables(rows, 5, disclosure_control=True), query)
            timings.append({"indicator": CATALOGUE[indicator].id, "year": year,
                            "facts": len(rows),
                            "ms": round((time.perf_counter() - began) * 1000)})
    finally:
        await connection.close()
    return {"queries": timings}


async def run(facts: int = 10_000_000, queries: int = 3000, connections: int = 4,
              seed: int = 11, log_level: str = "INFO", keep: bool = False) -> dict[str, Any]:
    from shared.migrations import upgrade_async

    tag = uuid.uuid4().hex[:6]
    name = f"bench_queries_{tag}"
    url = await create_database(name)
    result: dict[str, Any] = {}
    process: subprocess.Popen[bytes] | None = None
    try:
        await upgrade_async("statistics_service", url.replace("postgresql://",
                                                              "postgresql+asyncpg://", 1))
        result["fill"] = fill_result = await fill(url, facts, seed)
        sys.stderr.write(f"filled {fill_result}\n")
        began = time.perf_counter()
        process = start_service("statistics", url, f"benchq{tag}.", log_level, PORT, {
            "KOSHQON_STATISTICS_RATE_LIMIT_PUBLIC_PER_MINUTE": "100000000",
        }, log_name="statistics-queries")
        wait_ready(PORT, process)
        idle = rss_mb(process.pid)
        peak, worker_peak = idle, 0.0
        done, total = 0, 1
        while True:
            done, total = await published(url)
            peak = max(peak, rss_mb(process.pid))
            worker_peak = max([worker_peak, *children_rss(process.pid)])
            if done == total:
                break
            if process.poll() is not None:
                raise SystemExit("statistics exited; see bench/results/statistics-queries.log")
            await asyncio.sleep(0.5)
        publish_seconds = time.perf_counter() - began
        connection = await asyncpg.connect(url)
        try:
            cells = await connection.fetchval("SELECT count(*) FROM published_cells")
            # A bulk load is analysed by autovacuum a little later; the benchmark does not wait.
            await connection.execute("ANALYZE published_cells")
        finally:
            await connection.close()
        result["publication"] = {
            "indicator_years": total, "cells": cells,
            "seconds_from_start": round(publish_seconds, 1),
            "rss_idle_mb": idle, "rss_peak_mb": peak, "worker_rss_peak_mb": worker_peak,
        }
        sys.stderr.write(f"published {result['publication']}\n")
        result["queries"] = await send_queries(queries, connections, seed)
        result["queries"]["rss_after_mb"] = rss_mb(process.pid)
        result["live"] = await live_queries(url, seed)
    finally:
        if process is not None:
            process.terminate()
            process.wait(30)
        if not keep:
            await drop_database(name)
    write("queries", result)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--facts", type=int, default=10_000_000)
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    result = asyncio.run(run(args.facts, args.queries, args.connections, args.seed,
                             args.log_level, args.keep))
    sys.stdout.write(f"queries  {summary(result)}\n")


def summary(result: dict[str, Any]) -> str:
    fill, publication, queries = result["fill"], result["publication"], result["queries"]
    live = ", ".join(f"{q['facts']} facts {q['ms']} ms" for q in result["live"]["queries"])
    return (
        f"{fill['facts']:,} facts in {fill['indicator_years']} indicator-years "
        f"(filled in {fill['seconds']} s); published {publication['cells']:,} cells in "
        f"{publication['seconds_from_start']} s, statistics RSS peak with its worker "
        f"{publication['rss_peak_mb']} MB (the publication worker alone "
        f"{publication['worker_rss_peak_mb']} MB); {queries['queries']} queries over "
        f"{queries['connections']} connections: p50 {queries['p50_ms']} ms, "
        f"p95 {queries['p95_ms']} ms, p99 {queries['p99_ms']} ms, errors {queries['errors']}; "
        f"live (unpublished) year: {live}; results in {RESULTS}/queries.json")


if __name__ == "__main__":
    main()
