"""All SQL of the cases module."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from registration.cases.models import Case, CaseNumberSeries, CaseStep
from shared.db import dialect_insert


async def get(session: AsyncSession, case_id: str) -> Case | None:
    return await session.get(Case, case_id)


def add(session: AsyncSession, case: Case) -> None:
    session.add(case)


async def next_in_series(session: AsyncSession, series: str) -> int:
    """The next number of a series; the row lock serializes concurrent openings, so no two
    transactions get the same number."""
    await session.execute(
        dialect_insert(session, CaseNumberSeries.__table__)
        .values(series=series, last_number=0)
        .on_conflict_do_nothing()
    )
    result = await session.execute(
        update(CaseNumberSeries)
        .where(CaseNumberSeries.series == series)
        .values(last_number=CaseNumberSeries.last_number + 1)
        .returning(CaseNumberSeries.last_number)
    )
    return int(result.scalar_one())


async def case_of_subject(session: AsyncSession, service: str, subject: str) -> str | None:
    result = await session.execute(
        select(CaseStep.case_id)
        .where(CaseStep.service == service, CaseStep.subject == subject)
        .order_by(CaseStep.occurred_at)
        .limit(1)
    )
    return result.scalar_one_or_none()


async def add_step(session: AsyncSession, values: dict[str, Any]) -> None:
    """Records a step once: a redelivered event (same id) changes nothing."""
    await session.execute(
        dialect_insert(session, CaseStep.__table__).values(**values).on_conflict_do_nothing()
    )


async def steps(session: AsyncSession, case_id: str) -> list[CaseStep]:
    result = await session.execute(
        select(CaseStep)
        .where(CaseStep.case_id == case_id)
        .order_by(CaseStep.occurred_at, CaseStep.recorded_at)
    )
    return list(result.scalars())


def step_values(
    *, event_id: str, case_id: str, service: str, name: str, event_type: str, subject: str,
    occurred_at: datetime, recorded_at: datetime, data: dict[str, Any],
) -> dict[str, Any]:
    return {
        "event_id": event_id, "case_id": case_id, "service": service, "name": name,
        "event_type": event_type, "subject": subject, "occurred_at": occurred_at,
        "recorded_at": recorded_at, "data": data,
    }
