"""The periodic job `statistics-publication`: every indicator-year whose facts changed since its
publication (or that has none) is protected again and its cells written, with the version of the
facts they were computed from. Series read these cells while that version is the current one."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

import structlog

from shared import clock
from statistics_service.disclosure.compact import CompactTable, FactRows, protect_facts
from statistics_service.facts import repository
from statistics_service.indicators.catalogue import CATALOGUE, Indicator
from statistics_service.indicators.service import threshold_of
from statistics_service.publication import store

if TYPE_CHECKING:
    from shared.db import Database
    from shared.service import Service

log = structlog.get_logger(__name__)


_worker: ProcessPoolExecutor | None = None


def _executor() -> ProcessPoolExecutor:
    global _worker
    if _worker is None:
        _worker = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    return _worker


# Years with fewer fact cells are protected in a thread of the service (a fraction of a second,
# a few megabytes); larger ones in the worker process.
WORKER_FROM_FACTS = 20_000


async def _protect(facts: FactRows, threshold: int) -> CompactTable:
    """Protects the facts off the event loop. A large year goes to a worker process: the
    interpreter of the service keeps serving requests meanwhile, and the table's working memory
    (a few hundred bytes a cell at its peak) is the worker's. Only the facts as integer columns
    and the protected table cross over. The worker starts with the first large year."""
    global _worker
    if len(facts) < WORKER_FROM_FACTS:
        return await asyncio.to_thread(protect_facts, facts, threshold)
    try:
        return await asyncio.get_running_loop().run_in_executor(
            _executor(), protect_facts, facts, threshold)
    except BrokenProcessPool:
        _worker = None
        raise


async def publish_changed(service: Service) -> int:
    """Publishes every indicator-year that is not published at its current version; the number."""
    return await publish_all(service.db)


async def publish_all(db: Database) -> int:
    today = clock.today()
    async with db.transaction() as session:
        versions = await repository.all_fact_versions(session)
        published = await store.all_publications(session)
    done = 0
    for indicator_id, year, version in sorted(versions):
        indicator = CATALOGUE.get(indicator_id)
        if indicator is None:
            continue
        if published.get((indicator_id, year)) == (version, threshold_of(indicator, today)):
            continue
        await publish(db, indicator, year)
        done += 1
    return done


async def publish(db: Database, indicator: Indicator, year: int) -> int | None:
    """Protects one indicator-year and writes its cells; the version published (None: no facts).

    The version is read before the facts, in the same transaction as the write: facts read later
    can only be newer than it, so a publication is never labelled newer than what it holds (a
    write in between leaves it labelled older, and the next run publishes it again).
    """
    began = time.perf_counter()
    threshold = threshold_of(indicator, clock.today())
    async with db.transaction() as session:
        version = await repository.fact_version(session, indicator.id, year)
        if version is None:
            return None
        await store.claim(session, indicator.id, year, version, threshold, clock.now())
        facts = FactRows()
        async for rows in repository.stream_year(session, indicator.id, year):
            facts.extend(rows)
        table = await _protect(facts, threshold)
        count = len(facts)
        del facts
        await store.replace_cells(session, indicator.id, year, table)
    log.info("publication.published", indicator=indicator.id, year=year, version=version,
             facts=count, cells=len(table), seconds=round(time.perf_counter() - began, 3))
    return version
