"""Events of other services turned into facts, declared as data.

Each entry of `PROJECTIONS` says which indicators an event type feeds and where each fact's day,
region, citizenship, category and amount come from in the event. Adding an event is one entry
here (and its indicators in `indicators/catalogue.py`); the handler is generated. Only what the
event carries is read, and nothing personal is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import Envelope
from shared.inbox import ConsumerSpec, Handler, PoisonEvent
from shared.kz import region_of
from statistics_service.facts import repository

# A field of the event's data by name, or a function of the data.
Source = str | Callable[[Mapping[str, Any]], object]


@dataclass(frozen=True)
class FactRule:
    """One fact an event adds to an indicator (or sets, for events that carry a running total)."""

    indicator: str
    day: Source
    region: Source | None = None
    citizenship: Source | None = None
    category: Source | None = None
    amount: Source | None = None  # None: the event counts as 1
    when: Callable[[Mapping[str, Any]], bool] | None = None
    # Events such as a quota's state carry the running figure, not an increment: the newest
    # event's figure replaces the cell's value.
    replace: bool = False


@dataclass(frozen=True)
class EventProjection:
    event_type: str
    topic: str
    facts: Sequence[FactRule]


def flag(name: str) -> Callable[[Mapping[str, Any]], bool]:
    """The fact applies when the event's boolean field `name` is true."""
    return lambda data: bool(data.get(name))


ARRIVAL_NOTIFIED = "kz.koshqon.registration.arrival.notified.v1"


def _arrival(indicator: str, when: Callable[[Mapping[str, Any]], bool] | None = None) -> FactRule:
    return FactRule(indicator, day="notified_on", region="region", citizenship="citizenship",
                    category="purpose", when=when)


PROJECTIONS: tuple[EventProjection, ...] = (
    EventProjection(
        ARRIVAL_NOTIFIED,
        "koshqon.registration.arrivals",
        (
            _arrival("arrivals"),
            _arrival("arrivals-late", when=flag("late")),
        ),
    ),
)


def first_level_region(code: object) -> str:
    region = region_of(str(code)) if code else None
    if region is None:
        raise PoisonEvent(f"unknown KATO region {code!r}")
    return region.code


def _read(source: Source | None, data: Mapping[str, Any]) -> object:
    if source is None:
        return None
    if callable(source):
        return source(data)
    return data[source]


def _day(value: object) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def handler_for(projection: EventProjection) -> Handler:
    async def apply(session: AsyncSession, event: Envelope) -> None:
        data = event.data
        rules = [r for r in projection.facts if r.when is None or r.when(data)]
        # The freshness rows first, in one order: every event takes them before any fact cell, so
        # replicas applying batches side by side wait for each other instead of deadlocking.
        for indicator in sorted({rule.indicator for rule in rules}):
            await repository.mark_fresh(session, indicator, event.time)
        for rule in rules:
            region = _read(rule.region, data)
            citizenship = _read(rule.citizenship, data)
            category = _read(rule.category, data)
            amount = _read(rule.amount, data)
            cell: dict[str, Any] = {
                "indicator": rule.indicator,
                "day": _day(_read(rule.day, data)),
                "region": first_level_region(region) if rule.region is not None else None,
                "citizenship": str(citizenship) if citizenship is not None else None,
                "category": str(category) if category is not None else None,
                "amount": 1 if rule.amount is None else int(str(amount)),
            }
            if rule.replace:
                await repository.set_cell(session, **cell)
            else:
                await repository.add_to_cell(session, **cell)

    apply.__name__ = f"project_{projection.event_type}"
    return apply


def consumer_spec(projections: Sequence[EventProjection]) -> ConsumerSpec:
    topics: list[str] = []
    for projection in projections:
        if projection.topic not in topics:
            topics.append(projection.topic)
    return ConsumerSpec(
        name="statistics-projection",
        topics=topics,
        handlers={p.event_type: handler_for(p) for p in projections},
    )


def feeding(indicator: str) -> list[str]:
    """The event types that feed an indicator (empty: catalogued, not fed yet)."""
    return [
        p.event_type for p in PROJECTIONS if any(rule.indicator == indicator for rule in p.facts)
    ]


PROJECTION = consumer_spec(PROJECTIONS)
