"""The permits service's deadlines job: unpaid fees lapse (releasing their quota places),
permits expire, labour-immigrant permits lapse when their paid period ends. Each step moves a
permit only from the status it expects, so running the job twice publishes nothing new."""

from __future__ import annotations

from datetime import date, datetime

from permits.labour_immigrants import service as labour_immigrants
from permits.work_permits import service as work_permits
from shared import clock
from shared.jobs import periodic
from shared.outbox import UnitOfWork
from shared.service import Service

INTERVAL_SECONDS = 15 * 60


async def apply_deadlines(uow: UnitOfWork, *, today: date, now: datetime) -> dict[str, int]:
    return {
        "work_permits_lapsed": await work_permits.lapse_unpaid(uow, today=today, now=now),
        "work_permits_expired": await work_permits.expire(uow, today=today, now=now),
        "labour_immigrant_permits_lapsed": await labour_immigrants.lapse_ended(uow, today=today),
    }


async def run_deadlines(service: Service, today: date | None = None) -> dict[str, int]:
    """One run of the job, on `today` (Kazakhstan's date by default)."""
    async with service.unit_of_work() as uow:
        return await apply_deadlines(uow, today=today or clock.today(), now=clock.now())


DEADLINES = periodic("permit-deadlines", INTERVAL_SECONDS, run_deadlines)
