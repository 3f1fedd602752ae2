"""Periodic jobs of a service (overstay detection, lapses): a job is an idempotent
`run_once(service)` that a loop calls every interval. Running it twice publishes nothing new."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import structlog

if TYPE_CHECKING:
    from shared.service import Service

log = structlog.get_logger(__name__)


def periodic(
    name: str, interval_seconds: float, run_once: Callable[[Service], Awaitable[object]]
) -> Callable[[Service], Awaitable[None]]:
    """A job for `ServiceDefinition.jobs`: calls `run_once(service)` now and every interval."""

    async def job(service: Service) -> None:
        while True:
            try:
                result = await run_once(service)
                # A run that did nothing is logged at debug level: jobs run every few seconds.
                (log.info if result else log.debug)(
                    "job.ran", job=name, service=service.definition.name, result=str(result)
                )
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the next run tries again; the job is idempotent
                log.warning("job.failed", job=name, error=f"{type(exc).__name__}: {exc}")
            await asyncio.sleep(interval_seconds)

    job.__name__ = name
    return job
