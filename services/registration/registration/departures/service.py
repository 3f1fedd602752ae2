"""Departures: an exit closes the stay it belongs to (the latest entered on or before it)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from registration.departures import repository
from registration.departures.events import DepartureRecorded
from registration.departures.models import Departure
from registration.departures.schemas import DepartureRecordedOut, DepartureRequest
from registration.persons import person_id_for
from registration.stays import repository as stay_repository
from registration.stays.limits import Period, overstay_days
from registration.stays.service import replan
from shared.errors import Problem, invalid
from shared.outbox import UnitOfWork
from shared.rules import RuleBook


async def record_departure(
    uow: UnitOfWork,
    request: DepartureRequest,
    *,
    today: date,
    now: datetime,
    rules: RuleBook,
    pseudonym_key: bytes,
) -> DepartureRecordedOut:
    """Records the exit, closes the stay and publishes `departure.recorded`."""
    if request.exit_date > today:
        raise invalid("exit_date", "date_future")
    if request.person_id is not None:
        person_id = request.person_id
    else:
        assert request.passport_number and request.citizenship and request.birth_date
        person_id = person_id_for(
            request.passport_number, request.citizenship, request.birth_date, pseudonym_key
        )
    stays = await stay_repository.for_person(uow.session, person_id)
    if not stays and request.person_id is not None:
        raise Problem(404, "person_not_found")
    entered = [s for s in stays if s.entry_date <= request.exit_date]
    if stays and not entered:
        raise invalid("exit_date", "before_entry", entry=stays[0].entry_date.isoformat())
    stay = entered[-1] if entered else None
    over = 0
    if stay is not None:
        stay.exit_date = request.exit_date
        stay.exit_source = "departure"
        await replan(uow.session, person_id, rules)
        over = overstay_days(Period(stay.entry_date, stay.exit_date), stay.allowed_until, today)
    departure = Departure(
        id=str(uuid.uuid4()),
        person_id=person_id,
        stay_id=stay.id if stay else None,
        citizenship=stay.citizenship if stay else request.citizenship,
        exit_date=request.exit_date,
        reported_by=request.reported_by,
        border_point=request.border_point,
        overstay_days=over,
        recorded_at=now,
    )
    repository.add(uow.session, departure)
    days = (request.exit_date - stay.entry_date).days + 1 if stay else None
    uow.publish(
        DepartureRecorded(
            departure_id=departure.id,
            person_id=person_id,
            stay_id=departure.stay_id,
            citizenship=departure.citizenship,
            region=stay.region if stay else None,
            entry_date=stay.entry_date if stay else None,
            exit_date=request.exit_date,
            days_in_stay=days,
            overstay_days=over,
            reported_by=request.reported_by,
        )
    )
    return DepartureRecordedOut(
        departure_id=departure.id,
        person_id=person_id,
        stay_id=departure.stay_id,
        entry_date=stay.entry_date if stay else None,
        exit_date=request.exit_date,
        days_in_stay=days,
        overstay_days=over,
    )
