"""Periodic jobs: overdue kandas decisions and status expiry; centre stay limits. Each run is
idempotent (a flag or an end date is set once), so rerunning publishes nothing new."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from diaspora.accommodation import service as accommodation
from diaspora.adaptation import service as adaptation
from diaspora.kandas import service as kandas
from diaspora.metrics import metrics_of
from shared import clock
from shared.jobs import periodic
from shared.service import Service

HOURLY = 3600.0


@dataclass(frozen=True)
class KandasRun:
    overdue: int
    expired: int


@dataclass(frozen=True)
class CentresRun:
    overstays: int
    placements_ended: int


DECISION_DEADLINE = "kandas.decision_deadline_working_days"


async def kandas_deadlines(service: Service, today: date) -> KandasRun:
    """Flags pending applications past their deadline once; expires statuses past validity."""
    async with service.unit_of_work() as uow:
        overdue = await kandas.flag_overdue(uow, today=today)
        expired = await kandas.expire_lapsed(uow, today=today, at=clock.now())
    metrics = metrics_of(service)
    for application in overdue:
        metrics.kandas_decisions_overdue.labels(application.region).inc()
        metrics.deadline_breaches.labels(DECISION_DEADLINE, application.region).inc()
    return KandasRun(overdue=len(overdue), expired=expired)


async def centre_limits(service: Service, today: date) -> CentresRun:
    """Flags stays in temporary centres past the limit; ends adaptation placements past theirs."""
    async with service.unit_of_work() as uow:
        overstays = await accommodation.flag_overstays(uow, today=today)
        ended = await adaptation.end_past_limit(uow, today=today)
    counter = metrics_of(service).accommodation_overstays
    for stay in overstays:
        counter.labels(stay.centre_id).inc()
    return CentresRun(overstays=len(overstays), placements_ended=ended)


JOBS = [
    periodic("kandas-deadlines", HOURLY, lambda s: kandas_deadlines(s, clock.today())),
    periodic("centre-limits", HOURLY, lambda s: centre_limits(s, clock.today())),
]
