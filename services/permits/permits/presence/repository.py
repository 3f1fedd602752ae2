"""All SQL of the present-persons read model."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from permits.presence.models import PresentPerson
from shared.db import dialect_insert


async def record_arrival(
    session: AsyncSession,
    *,
    person_id: str,
    citizenship: str,
    region: str,
    entry_date: date,
    allowed_stay_until: date,
    notification_id: str,
    at: datetime,
) -> None:
    """The newest entry wins; an older event arriving late does not overwrite a newer stay."""
    table = PresentPerson.__table__
    insert: Any = dialect_insert(session, table)  # the dialect's INSERT, with ON CONFLICT
    values = {
        "person_id": person_id,
        "citizenship": citizenship,
        "region": region,
        "entry_date": entry_date,
        "allowed_stay_until": allowed_stay_until,
        "last_notification_id": notification_id,
        "updated_at": at,
    }
    await session.execute(
        insert.values(**values).on_conflict_do_update(
            index_elements=["person_id"],
            set_={k: insert.excluded[k] for k in values if k != "person_id"},
            where=table.c.entry_date <= insert.excluded.entry_date,
        )
    )


async def get(session: AsyncSession, person_id: str) -> PresentPerson | None:
    return await session.get(PresentPerson, person_id)


async def current(session: AsyncSession, person_id: str, on: date) -> PresentPerson | None:
    """The person when a notified stay covers `on` (entered on or before it, allowed after it)."""
    person = await session.get(PresentPerson, person_id)
    if person is None or not person.entry_date <= on <= person.allowed_stay_until:
        return None
    return person
