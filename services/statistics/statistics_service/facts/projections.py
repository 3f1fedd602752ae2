"""Events of other services turned into facts. Each handler reads only what the event carries;
nothing personal is stored."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import Envelope
from shared.inbox import ConsumerSpec, Handler, PoisonEvent
from shared.kz import region_of
from statistics_service.facts import repository

ARRIVAL_NOTIFIED = "kz.koshqon.registration.arrival.notified.v1"


def first_level_region(code: object) -> str:
    region = region_of(str(code)) if code else None
    if region is None:
        raise PoisonEvent(f"unknown KATO region {code!r}")
    return region.code


def _day(value: object) -> date:
    return date.fromisoformat(str(value))


async def on_arrival_notified(session: AsyncSession, event: Envelope) -> None:
    data = event.data
    cell = {
        "day": _day(data["notified_on"]),
        "region": first_level_region(data["region"]),
        "citizenship": str(data["citizenship"]),
        "category": str(data["purpose"]),
    }
    await repository.add_to_cell(session, indicator="arrivals", **cell)
    indicators = ["arrivals"]
    if data.get("late"):
        await repository.add_to_cell(session, indicator="arrivals-late", **cell)
        indicators.append("arrivals-late")
    for indicator in indicators:
        await repository.mark_fresh(session, indicator, event.time)


HANDLERS: dict[str, Handler] = {ARRIVAL_NOTIFIED: on_arrival_notified}

PROJECTION = ConsumerSpec(
    name="statistics-projection",
    topics=["koshqon.registration.arrivals"],
    handlers=HANDLERS,
)
