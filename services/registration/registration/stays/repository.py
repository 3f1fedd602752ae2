"""All SQL of the stays module."""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    String,
    Table,
    and_,
    bindparam,
    cast,
    func,
    insert,
    literal_column,
    null,
    select,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from registration.evisa.models import EvisaApplication
from registration.residence_permits.models import ResidencePermit
from registration.stays.models import OverstayDetection, Stay


def add(session: AsyncSession, row: Stay | OverstayDetection) -> None:
    session.add(row)


async def get(session: AsyncSession, stay_id: str) -> Stay | None:
    return await session.get(Stay, stay_id)


async def for_person(session: AsyncSession, person_id: str) -> list[Stay]:
    result = await session.execute(
        select(Stay).where(Stay.person_id == person_id).order_by(Stay.entry_date)
    )
    return list(result.scalars())


async def at_entry(session: AsyncSession, person_id: str, entry_date: date) -> Stay | None:
    result = await session.execute(
        select(Stay).where(Stay.person_id == person_id, Stay.entry_date == entry_date)
    )
    return result.scalar_one_or_none()


async def undetected_overstays(session: AsyncSession, today: date) -> list[Stay]:
    """Stays whose last day present (exit, or today while open) is after the allowed stay, and
    whose current allowed-until has not been reported yet."""
    last_present = func.coalesce(Stay.exit_date, today)
    result = await session.execute(
        select(Stay)
        .outerjoin(
            OverstayDetection,
            and_(
                OverstayDetection.stay_id == Stay.id,
                OverstayDetection.allowed_until == Stay.allowed_until,
            ),
        )
        .where(
            Stay.entry_date <= today,
            Stay.allowed_until < last_present,
            Stay.allowed_until < today,
            OverstayDetection.id.is_(None),
        )
        .order_by(Stay.allowed_until, Stay.id)
    )
    return list(result.scalars())


STAYS = typing.cast(Table, Stay.__table__)

# What the stay planner reads of a stay and may change in it.
PLANNED_COLUMNS = (
    "expected_departure", "exit_date", "exit_source", "allowed_until", "regime", "rules_applied",
)


@dataclass
class StayRow:
    """A stay as the planner sees it, read and written with Core statements (see `plan_stays`)."""

    id: str
    citizenship: str
    purpose: str
    entry_date: date
    expected_departure: date
    exit_date: date | None
    exit_source: str | None
    visa_until: date | None
    allowed_until: date
    regime: str
    rules_applied: list[str]
    read: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def snapshot(self) -> None:
        """Remembers the planned values as stored, so that `changes` finds what to update."""
        self.read = {name: getattr(self, name) for name in PLANNED_COLUMNS}

    def changes(self) -> dict[str, Any]:
        return {
            name: getattr(self, name)
            for name in PLANNED_COLUMNS
            if getattr(self, name) != self.read.get(name)
        }


@dataclass(frozen=True)
class VisaForEntry:
    id: str
    visa_number: str | None
    valid_until: date | None


@dataclass(frozen=True)
class PermitPeriod:
    valid_from: date | None
    valid_until: date | None


@dataclass
class PlanningInputs:
    """A person's stays (by entry date), the visa usable for an entry, and issued permits."""

    stays: list[StayRow]
    visa: VisaForEntry | None
    permits: list[PermitPeriod]


def _planning_query() -> Any:
    """One statement for what an arrival's stay planning reads: the person's stays, the issued
    and unused visa that allows the entry, and the person's issued residence permits."""
    visas = typing.cast(Table, EvisaApplication.__table__)
    stays, permits = STAYS, typing.cast(Table, ResidencePermit.__table__)
    person, entry = bindparam("person_id", type_=String), bindparam("entry_date", type_=Date)
    no_date, no_text = cast(null(), Date), cast(null(), String)
    visa = (
        select(visas.c.id, visas.c.visa_number, visas.c.valid_until)
        .where(
            visas.c.person_id == person,
            visas.c.status == "issued",
            visas.c.valid_from <= entry,
            visas.c.valid_until >= entry,
        )
        .order_by(visas.c.valid_until.desc())
        .limit(1)
        .subquery()
    )
    return union_all(
        select(
            literal_column("'stay'").label("kind"), stays.c.id, stays.c.citizenship,
            stays.c.purpose, stays.c.entry_date, stays.c.expected_departure, stays.c.exit_date,
            stays.c.exit_source, stays.c.visa_until, stays.c.allowed_until, stays.c.regime,
            stays.c.rules_applied,
        ).where(stays.c.person_id == person),
        select(
            literal_column("'visa'"), visa.c.id, visa.c.visa_number, no_text, no_date,
            visa.c.valid_until, no_date, no_text, no_date, no_date, no_text, cast(null(), JSON),
        ),
        select(
            literal_column("'permit'"), permits.c.id, no_text, no_text, permits.c.valid_from,
            permits.c.valid_until, no_date, no_text, no_date, no_date, no_text,
            cast(null(), JSON),
        ).where(permits.c.person_id == person, permits.c.status == "issued"),
    )


PLANNING_QUERY = _planning_query()


async def planning_inputs(
    session: AsyncSession, person_id: str, entry_date: date
) -> PlanningInputs:
    rows = await session.execute(PLANNING_QUERY, {"person_id": person_id, "entry_date": entry_date})
    inputs = PlanningInputs(stays=[], visa=None, permits=[])
    for kind, id_, text, purpose, first, second, exit_date, exit_source, visa_until, \
            allowed, regime, rules_applied in rows:
        if kind == "stay":
            stay = StayRow(
                id=id_, citizenship=text, purpose=purpose, entry_date=first,
                expected_departure=second, exit_date=exit_date, exit_source=exit_source,
                visa_until=visa_until, allowed_until=allowed, regime=regime,
                rules_applied=list(rules_applied or []),
            )
            stay.snapshot()
            inputs.stays.append(stay)
        elif kind == "visa":
            inputs.visa = VisaForEntry(id_, text, second)
        else:
            inputs.permits.append(PermitPeriod(first, second))
    inputs.stays.sort(key=lambda s: s.entry_date)
    return inputs


# The SET clause comes from the parameters' keys (the planned columns).
_UPDATE_PLANNED = update(STAYS).where(STAYS.c.id == bindparam("stay_id"))


async def insert_stay(session: AsyncSession, values: dict[str, Any]) -> None:
    await session.execute(insert(STAYS), values)


async def save_planned(session: AsyncSession, stays: list[StayRow]) -> None:
    """Writes what the planner changed in stays already stored."""
    changed = []
    for stay in stays:
        if stay.changes():
            changed.append(
                {"stay_id": stay.id, **{name: getattr(stay, name) for name in PLANNED_COLUMNS}}
            )
            stay.snapshot()
    if changed:
        await session.execute(_UPDATE_PLANNED, changed)
