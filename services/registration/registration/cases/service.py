"""Cases of the foreign-worker flow: opening one (with a readable number) and keeping its
timeline from the events that carry its `caseid`."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from registration.cases import repository
from registration.cases.flow import Progress, Step, progress
from registration.cases.models import Case, CaseStep
from shared.errors import Problem
from shared.events import Envelope

FLOW = "foreign_worker"
PREFIX = "FW"
_TYPE = re.compile(r"^kz\.koshqon\.(?P<service>[a-z0-9_-]+)\.(?P<name>.+)\.v(?P<version>\d+)$")


def case_number(prefix: str, year: int, number: int) -> str:
    """`FW-2026-000123`: readable, and unique within its series."""
    return f"{prefix}-{year}-{number:06d}"


async def open_case(
    session: AsyncSession, requested: str | None, *, today: date, now: datetime
) -> str:
    """The case of a flow's first step: the portal's number if it sent one (opened here if new),
    else a new number of this year's series."""
    if requested:
        if await repository.get(session, requested) is None:
            repository.add(session, Case(case_id=requested, flow=FLOW, opened_at=now,
                                         generated=False))
            await session.flush()
        return requested
    while True:
        number = await repository.next_in_series(session, f"{PREFIX}-{today.year}")
        case_id = case_number(PREFIX, today.year, number)
        # A portal may have brought a number of the same shape before; take the next one then.
        if await repository.get(session, case_id) is None:
            break
    repository.add(session, Case(case_id=case_id, flow=FLOW, opened_at=now, generated=True))
    await session.flush()
    return case_id


def parse_type(event_type: str) -> tuple[str, str] | None:
    """(service, name) of `kz.koshqon.<service>.<name>.v<N>`."""
    match = _TYPE.match(event_type)
    return (match["service"], match["name"]) if match else None


async def record_step(session: AsyncSession, envelope: Envelope, *, now: datetime) -> str | None:
    """Adds the event to its case's timeline; returns the case, or None for an event of no case
    of ours. The case is the event's `caseid`; without one (a job's lapse or expiry comes from
    no request), an aggregate already in a case keeps its later events in that case."""
    parsed = parse_type(envelope.type)
    if parsed is None:
        return None
    service, name = parsed
    case_id: str | None = None
    if envelope.caseid and await repository.get(session, envelope.caseid) is not None:
        case_id = envelope.caseid
    if case_id is None and envelope.subject:
        case_id = await repository.case_of_subject(session, service, envelope.subject)
    if case_id is None:
        return None
    await repository.add_step(
        session,
        repository.step_values(
            event_id=envelope.id, case_id=case_id, service=service, name=name,
            event_type=envelope.type, subject=envelope.subject, occurred_at=envelope.time,
            recorded_at=now, data=envelope.data,
        ),
    )
    return case_id


def fold(steps: list[CaseStep]) -> Progress:
    return progress(Step(s.service, s.name, s.data) for s in steps)


async def load(session: AsyncSession, case_id: str) -> tuple[Case, list[CaseStep]]:
    case = await repository.get(session, case_id)
    if case is None:
        raise Problem(404, "case.not_found")
    return case, await repository.steps(session, case_id)

