"""Events of other services turned into facts, declared as data.

Each entry of `PROJECTIONS` says which indicators an event type feeds and where each fact's day,
region, citizenship, category and amount come from in the event. Adding an event is one entry
here (and its indicators in `indicators/catalogue.py`); the handler is generated. Only what the
event carries is read, and nothing personal is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import Envelope
from shared.inbox import BatchHandler, ConsumerSpec, Handler, PoisonEvent
from shared.kz import region_of
from statistics_service.facts import repository
from statistics_service.facts.models import NONE
from statistics_service.facts.repository import Cell

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


def _type(service: str, name: str, version: int = 1) -> str:
    return f"kz.koshqon.{service}.{name}.v{version}"


def _decision(kind: str, day: str, region: str | None = "region",
              citizenship: str | None = "citizenship", timed: bool = True) -> tuple[FactRule, ...]:
    """A decision counts in `decisions`, and in `decisions-within-deadline` when it was."""
    rules = [FactRule("decisions", day=day, region=region, citizenship=citizenship,
                      category=lambda _data: kind)]
    if timed:
        rules.append(FactRule("decisions-within-deadline", day=day, region=region,
                              citizenship=citizenship, category=lambda _data: kind,
                              when=flag("within_deadline")))
    return tuple(rules)


def _not(name: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda data: not data.get(name)


def _first_of_year(data: Mapping[str, Any]) -> date:
    return date(int(data["year"]), 1, 1)


REGISTRATION, PERMITS, DIASPORA = "koshqon.registration", "koshqon.permits", "koshqon.diaspora"

PROJECTIONS: tuple[EventProjection, ...] = (
    EventProjection(
        ARRIVAL_NOTIFIED,
        f"{REGISTRATION}.arrivals",
        (
            _arrival("arrivals"),
            _arrival("arrivals-late", when=flag("late")),
        ),
    ),
    EventProjection(
        _type("registration", "invitation.issued"), f"{REGISTRATION}.invitations",
        (FactRule("invitations", day="issued_on", region="region", category="category",
                  amount="invitee_count"),),
    ),
    EventProjection(
        _type("registration", "evisa.issued"), f"{REGISTRATION}.evisa",
        (FactRule("visas-issued", day="decided_on", citizenship="citizenship",
                  category="category"),
         *_decision("evisa", "decided_on", region=None)),
    ),
    EventProjection(
        _type("registration", "evisa.refused"), f"{REGISTRATION}.evisa",
        (FactRule("visas-refused", day="decided_on", citizenship="citizenship",
                  category="category"),
         *_decision("evisa", "decided_on", region=None)),
    ),
    EventProjection(
        _type("registration", "stay.overstay-detected"), f"{REGISTRATION}.stays",
        (FactRule("overstays", day="detected_on", region="region", citizenship="citizenship",
                  category="regime"),),
    ),
    EventProjection(
        _type("registration", "departure.recorded"), f"{REGISTRATION}.departures",
        (FactRule("departures", day="exit_date", citizenship="citizenship",
                  category="reported_by"),),
    ),
    EventProjection(
        _type("registration", "residence-permit.issued"), f"{REGISTRATION}.residence-permits",
        (FactRule("residence-permits-issued", day="decided_on", region="region",
                  citizenship="citizenship", category="basis_kind"),
         *_decision("residence-permit", "decided_on")),
    ),
    EventProjection(
        _type("permits", "quota.set"), f"{PERMITS}.quotas",
        (FactRule("quota-limit", day=_first_of_year, region="region", category="category",
                  amount="limit", replace=True),),
    ),
    EventProjection(
        _type("permits", "work-permit.approved"), f"{PERMITS}.work-permits",
        _decision("work-permit", "decided_on"),
    ),
    EventProjection(
        _type("permits", "work-permit.refused"), f"{PERMITS}.work-permits",
        _decision("work-permit", "decided_on", timed=False),
    ),
    EventProjection(
        _type("permits", "work-permit.issued"), f"{PERMITS}.work-permits",
        (FactRule("work-permits-issued", day="issued_on", region="region",
                  citizenship="citizenship", category="category"),
         # Intra-corporate transfers are outside the quota.
         FactRule("quota-used", day="issued_on", region="region", category="category",
                  when=_not("intra_corporate_transfer"))),
    ),
    EventProjection(
        _type("permits", "labour-immigrant-permit.issued"),
        f"{PERMITS}.labour-immigrant-permits",
        (FactRule("labour-immigrant-permits-issued", day="issued_on", region="region",
                  citizenship="citizenship", category="category"),
         FactRule("quota-used", day="issued_on", region="region", category="category")),
    ),
    EventProjection(
        _type("permits", "labour-immigrant-permit.lapsed"),
        f"{PERMITS}.labour-immigrant-permits",
        (FactRule("labour-immigrant-permits-lapsed", day="lapsed_on", region="region",
                  citizenship="citizenship", category="category"),),
    ),
    EventProjection(
        _type("diaspora", "kandas.application-submitted"), f"{DIASPORA}.kandas",
        (FactRule("kandas-applications", day="submitted_on", region="region",
                  citizenship="country_of_origin", amount="family_size"),),
    ),
    EventProjection(
        _type("diaspora", "kandas.status-granted"), f"{DIASPORA}.kandas",
        (FactRule("kandas-granted", day="decided_on", region="region",
                  citizenship="country_of_origin", amount="family_size"),
         *_decision("kandas-status", "decided_on", citizenship="country_of_origin")),
    ),
    EventProjection(
        _type("diaspora", "kandas.refused"), f"{DIASPORA}.kandas",
        _decision("kandas-status", "decided_on", citizenship="country_of_origin"),
    ),
    EventProjection(
        _type("diaspora", "accommodation.checked-in"), f"{DIASPORA}.centres",
        (FactRule("accommodation-check-ins", day="checked_in_on", region="region",
                  amount="family_size"),),
    ),
    EventProjection(
        _type("diaspora", "adaptation.placed"), f"{DIASPORA}.centres",
        (FactRule("adaptation-placements", day="settled_on", region="region",
                  amount="family_size"),),
    ),
    EventProjection(
        _type("diaspora", "resettlement.approved"), f"{DIASPORA}.resettlement",
        (FactRule("resettled", day="decided_on", region="region",
                  citizenship="country_of_origin", amount="family_size"),),
    ),
    EventProjection(
        _type("diaspora", "compatriot.registered"), f"{DIASPORA}.registry",
        (FactRule("compatriots-registered", day="registered_on", citizenship="country"),),
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
    return _parse_day(str(value))


@lru_cache(maxsize=8192)
def _parse_day(text: str) -> date:
    return date.fromisoformat(text)


def facts_of(
    projection: EventProjection, data: Mapping[str, Any]
) -> list[tuple[FactRule, Cell, int]]:
    """The facts an event's data gives: each rule that applies, its cell and amount. Raises
    PoisonEvent, KeyError, ValueError or TypeError for data it cannot read."""
    facts = []
    for rule in projection.facts:
        if rule.when is not None and not rule.when(data):
            continue
        region = _read(rule.region, data)
        citizenship = _read(rule.citizenship, data)
        category = _read(rule.category, data)
        amount = _read(rule.amount, data)
        cell: Cell = (
            rule.indicator,
            _day(_read(rule.day, data)),
            first_level_region(region) if rule.region is not None else NONE,
            str(citizenship) if citizenship is not None else NONE,
            str(category) if category is not None else NONE,
        )
        facts.append((rule, cell, 1 if rule.amount is None else int(str(amount))))
    return facts


def batch_handler_for(projections: Sequence[EventProjection]) -> BatchHandler:
    """Applies many events in four statements: their cells summed (or replaced, newest last)
    first in memory, then written in one order."""
    by_type = {projection.event_type: projection for projection in projections}

    async def apply(session: AsyncSession, events: Sequence[Envelope]) -> dict[str, str]:
        added: dict[Cell, int] = {}
        replaced: dict[Cell, int] = {}
        newest: dict[str, datetime] = {}
        refused: dict[str, str] = {}
        for event in events:
            try:
                facts = facts_of(by_type[event.type], event.data)
            except (PoisonEvent, KeyError, ValueError, TypeError) as exc:
                refused[event.id] = f"{type(exc).__name__}: {exc}"
                continue
            for rule, cell, amount in facts:
                if rule.replace:
                    replaced[cell] = amount
                else:
                    added[cell] = added.get(cell, 0) + amount
                indicator = rule.indicator
                if indicator not in newest or newest[indicator] < event.time:
                    newest[indicator] = event.time
        # Freshness rows first, then change counts, then cells, each in one order: replicas
        # applying batches side by side wait for each other instead of deadlocking.
        await repository.mark_fresh(session, newest)
        await repository.mark_changed(
            session, {(cell[0], cell[1].year) for cell in (*added, *replaced)}
        )
        await repository.add_to_cells(session, added)
        await repository.set_cells(session, replaced)
        return refused

    return apply


def handler_for(projection: EventProjection) -> Handler:
    """The same as the batch handler, for one event (when a batch is applied event by event)."""
    apply_batch = batch_handler_for([projection])

    async def apply(session: AsyncSession, event: Envelope) -> None:
        refused = await apply_batch(session, [event])
        if refused:
            raise PoisonEvent(refused[event.id])

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
        batch_handler=batch_handler_for(projections),
    )


def feeding(indicator: str) -> list[str]:
    """The event types that feed an indicator (empty: catalogued, not fed yet)."""
    return [
        p.event_type for p in PROJECTIONS if any(rule.indicator == indicator for rule in p.facts)
    ]


PROJECTION = consumer_spec(PROJECTIONS)
