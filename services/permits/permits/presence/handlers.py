"""Keeps the present-persons read model from registration's arrival events, so that a permit
decision never calls registration over HTTP."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from permits.presence import repository
from shared.events import Envelope
from shared.inbox import ConsumerSpec

ARRIVAL_NOTIFIED = "kz.koshqon.registration.arrival.notified.v1"


async def on_arrival_notified(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    await repository.record_arrival(
        session,
        person_id=str(data["person_id"]),
        citizenship=str(data["citizenship"]),
        region=str(data["region"]),
        entry_date=date.fromisoformat(str(data["entry_date"])),
        allowed_stay_until=date.fromisoformat(str(data["allowed_stay_until"])),
        notification_id=str(data["notification_id"]),
        at=event.time,
    )


PRESENCE = ConsumerSpec(
    name="permits-presence",
    topics=["koshqon.registration.arrivals"],
    handlers={ARRIVAL_NOTIFIED: on_arrival_notified},
)
