"""Stays: an entry opens one, an address change joins it, a departure closes it. The allowed
stay of every stay of a person is replanned whenever something it depends on changes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from registration.evisa import repository as evisa_repository
from registration.evisa.service import record_entry_on_visa
from registration.residence_permits import repository as permit_repository
from registration.stays import repository
from registration.stays.events import OverstayDetected
from registration.stays.limits import (
    DEFAULT_GROUP,
    Period,
    allowed_until,
    days_used,
    overstay_days,
    regime_for,
)
from registration.stays.models import OverstayDetection, Stay
from registration.stays.repository import StayRow
from registration.stays.schemas import StayOut, StayStatus
from shared.errors import Problem
from shared.outbox import UnitOfWork
from shared.rules import RuleBook

RESIDENCE_PERMIT_REGIME = "residence_permit"


@dataclass(frozen=True)
class StayEntry:
    """What an arrival notification tells about an entry."""

    person_id: str
    citizenship: str
    region: str
    purpose: str
    entry_date: date
    expected_departure: date


async def open_or_join_stay(
    uow: UnitOfWork, entry: StayEntry, *, rules: RuleBook, opened_at: datetime
) -> tuple[StayRow, bool]:
    """The stay this entry belongs to, and whether it already existed (an address change).

    One statement reads what planning needs; the new stay is written as planned, and a stay
    already stored only when planning changed it."""
    session = uow.session
    inputs = await repository.planning_inputs(session, entry.person_id, entry.entry_date)
    existing = next((s for s in inputs.stays if s.entry_date == entry.entry_date), None)
    if existing is not None:
        existing.expected_departure = max(existing.expected_departure, entry.expected_departure)
        plan_stays(inputs.stays, inputs.permits, rules)
        await repository.save_planned(session, inputs.stays)
        return existing, True
    visa = inputs.visa
    stay = StayRow(
        id=str(uuid.uuid4()),
        citizenship=entry.citizenship,
        purpose=entry.purpose,
        entry_date=entry.entry_date,
        expected_departure=entry.expected_departure,
        exit_date=None,
        exit_source=None,
        visa_until=visa.valid_until if visa else None,
        allowed_until=entry.entry_date,
        regime=DEFAULT_GROUP,
        rules_applied=[],
    )
    stays = sorted([*inputs.stays, stay], key=lambda s: s.entry_date)
    plan_stays(stays, inputs.permits, rules)
    await repository.insert_stay(
        session,
        {
            "id": stay.id,
            "person_id": entry.person_id,
            "citizenship": stay.citizenship,
            "region": entry.region,
            "purpose": stay.purpose,
            "entry_date": stay.entry_date,
            "expected_departure": stay.expected_departure,
            "exit_date": stay.exit_date,
            "exit_source": stay.exit_source,
            "visa_number": visa.visa_number if visa else None,
            "visa_until": stay.visa_until,
            "regime": stay.regime,
            "allowed_until": stay.allowed_until,
            "rules_applied": stay.rules_applied,
            "opened_at": opened_at,
        },
    )
    await repository.save_planned(session, [s for s in stays if s is not stay])
    if visa is not None:
        application = await evisa_repository.get(session, visa.id)
        assert application is not None
        record_entry_on_visa(
            uow, application, entry_date=entry.entry_date, stay_id=stay.id, at=opened_at
        )
    return stay, False


_Planned = TypeVar("_Planned", Stay, StayRow)


class _Permit(Protocol):
    @property
    def valid_from(self) -> date | None: ...
    @property
    def valid_until(self) -> date | None: ...


async def replan(session: AsyncSession, person_id: str, rules: RuleBook) -> list[Stay]:
    """Recomputes inferred exits and the allowed stay of each of the person's stays, in order."""
    stays = await repository.for_person(session, person_id)
    permits = await permit_repository.issued_for_person(session, person_id)
    plan_stays(stays, permits, rules)
    return stays


def plan_stays(stays: Sequence[_Planned], permits: Sequence[_Permit], rules: RuleBook) -> None:
    """Sets the inferred exits and the allowed stay of a person's stays (ordered by entry)."""
    for index, stay in enumerate(stays):
        later = stays[index + 1] if index + 1 < len(stays) else None
        if later is not None and stay.exit_source != "departure":
            # A later entry without a reported exit: the person left at the declared departure
            # at the latest, and before the next entry in any case.
            stay.exit_date = max(
                stay.entry_date,
                min(stay.expected_departure, later.entry_date - timedelta(days=1)),
            )
            stay.exit_source = "inferred"
        regime = regime_for(
            citizenship=stay.citizenship,
            entry_date=stay.entry_date,
            purpose=stay.purpose,
            visa_until=stay.visa_until,
            rules=rules,
        )
        permit_until = max(
            (
                p.valid_until
                for p in permits
                if p.valid_until is not None
                and p.valid_from is not None
                and p.valid_until >= stay.entry_date
                and (stay.exit_date is None or p.valid_from <= stay.exit_date)
            ),
            default=None,
        )
        earlier = [Period(s.entry_date, s.exit_date) for s in stays[:index]]
        stay.allowed_until = allowed_until(stay.entry_date, regime, earlier, permit_until)
        extended = permit_until is not None and stay.allowed_until == permit_until
        stay.regime = RESIDENCE_PERMIT_REGIME if extended else regime.regime
        stay.rules_applied = list(regime.rules_applied)


async def stay_status(
    session: AsyncSession, person_id: str, *, on: date, rules: RuleBook
) -> tuple[StayStatus, Stay | None]:
    """Days used in the window ending on `on`, the allowed stay and any overstay."""
    stays = await repository.for_person(session, person_id)
    if not stays:
        raise Problem(404, "person_not_found")
    entered = [s for s in stays if s.entry_date <= on]
    current = entered[-1] if entered else None
    reference = current or stays[0]
    regime = regime_for(
        citizenship=reference.citizenship,
        entry_date=reference.entry_date if current else on,
        purpose=reference.purpose,
        visa_until=reference.visa_until,
        rules=rules,
    )
    if regime.window_days is None:
        limits: dict[str, dict[str, int]] = rules.value("stay.limits", on)  # type: ignore[assignment]
        window = int(limits[DEFAULT_GROUP]["window_days"])
    else:
        window = regime.window_days
    used = days_used([Period(s.entry_date, s.exit_date) for s in entered], on, window)
    if current is None:
        return (
            StayStatus(
                person_id=person_id, on=on, present=False, days_used=used, window_days=window,
                days_allowed_in_window=regime.days_in_window, allowed_until=None, overstay=False,
                overstay_days=0, stay=None, rules_applied=list(regime.rules_applied),
            ),
            None,
        )
    over = overstay_days(Period(current.entry_date, current.exit_date), current.allowed_until, on)
    return (
        StayStatus(
            person_id=person_id,
            on=on,
            present=current.exit_date is None or current.exit_date >= on,
            days_used=used,
            window_days=window,
            days_allowed_in_window=(
                None if current.regime in ("visa", "transit", RESIDENCE_PERMIT_REGIME)
                else regime.days_in_window
            ),
            allowed_until=current.allowed_until,
            overstay=over > 0,
            overstay_days=over,
            stay=StayOut(
                stay_id=current.id,
                entry_date=current.entry_date,
                exit_date=current.exit_date,
                exit_source=current.exit_source,
                region=current.region,
                regime=current.regime,
            ),
            rules_applied=list(current.rules_applied),
        ),
        current,
    )


async def detect_overstays(uow: UnitOfWork, *, today: date) -> int:
    """Publishes `stay.overstay-detected` once for each stay past its allowed stay."""
    found = await repository.undetected_overstays(uow.session, today)
    for stay in found:
        days = overstay_days(Period(stay.entry_date, stay.exit_date), stay.allowed_until, today)
        repository.add(
            uow.session,
            OverstayDetection(
                id=str(uuid.uuid4()),
                stay_id=stay.id,
                allowed_until=stay.allowed_until,
                detected_on=today,
                overstay_days=days,
            ),
        )
        uow.publish(
            OverstayDetected(
                stay_id=stay.id,
                person_id=stay.person_id,
                citizenship=stay.citizenship,
                region=stay.region,
                regime=stay.regime,
                entry_date=stay.entry_date,
                allowed_until=stay.allowed_until,
                detected_on=today,
                overstay_days=days,
                departed=stay.exit_date is not None and stay.exit_date < today,
            )
        )
    return len(found)
