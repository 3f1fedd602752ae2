"""Arrival notifications: the host's deadline, lateness, and the stay the entry opens or joins."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from registration.arrivals import repository
from registration.arrivals.events import ArrivalNotified
from registration.arrivals.schemas import ArrivalAccepted, ArrivalRequest
from registration.persons import normalize_passport, person_id_for
from registration.stays.service import StayEntry, open_or_join_stay
from shared.calendar import WorkingCalendar
from shared.errors import FieldError, Problem
from shared.outbox import UnitOfWork
from shared.rules import RuleBook

__all__ = ["assess_arrival", "normalize_passport", "notify_arrival", "person_id_for"]


@dataclass(frozen=True)
class ArrivalAssessment:
    deadline: date
    late: bool
    registration_required: bool
    rules_applied: list[str]


def assess_arrival(
    *,
    entry_date: date,
    expected_departure: date,
    notified_on: date,
    rules: RuleBook,
    calendar: WorkingCalendar,
    moved_on: date | None = None,
) -> ArrivalAssessment:
    """Applies the rules in force on the entry date (the move date for an address change)."""
    counted_from = moved_on or entry_date
    deadline_rule = rules.at("arrival.notification_deadline_working_days", counted_from)
    free_rule = rules.at("stay.registration_free_days", entry_date)
    deadline = calendar.add_working_days(counted_from, int(deadline_rule.value))  # type: ignore[arg-type]
    declared_days = (expected_departure - entry_date).days + 1  # the entry day is a day of stay
    return ArrivalAssessment(
        deadline=deadline,
        late=notified_on > deadline,
        registration_required=declared_days > int(free_rule.value),  # type: ignore[arg-type]
        rules_applied=[deadline_rule.ref, free_rule.ref],
    )


def check_dates(request: ArrivalRequest, today: date) -> None:
    errors: list[FieldError] = []
    if request.entry_date > today:
        errors.append(FieldError("entry_date", "date_future"))
    if request.foreigner.birth_date > request.entry_date:
        errors.append(FieldError("foreigner.birth_date", "date_future"))
    if request.expected_departure < request.entry_date:
        after = {"after": request.entry_date.isoformat()}
        errors.append(FieldError("expected_departure", "date_order", after))
    moved = request.address_changed_on
    if moved is not None and moved < request.entry_date:
        after = {"after": request.entry_date.isoformat()}
        errors.append(FieldError("address_changed_on", "date_order", after))
    if moved is not None and moved > today:
        errors.append(FieldError("address_changed_on", "date_future"))
    if errors:
        raise Problem(422, "validation", params={"count": len(errors)}, errors=errors)


async def notify_arrival(
    uow: UnitOfWork,
    request: ArrivalRequest,
    *,
    received_at: datetime,
    today: date,
    rules: RuleBook,
    calendar: WorkingCalendar,
    pseudonym_key: bytes,
) -> ArrivalAccepted:
    """Records a host's notification of a foreigner's arrival and publishes `arrival.notified`.

    The same person with the same entry date is the same stay: a second notification is an
    address change, linked to that stay, not a new entry.
    """
    check_dates(request, today)
    foreigner = request.foreigner
    person_id = person_id_for(
        foreigner.passport_number, foreigner.citizenship, foreigner.birth_date, pseudonym_key
    )
    stay, address_change = await open_or_join_stay(
        uow,
        StayEntry(
            person_id=person_id,
            citizenship=foreigner.citizenship,
            region=request.address.region,
            purpose=request.purpose,
            entry_date=request.entry_date,
            expected_departure=request.expected_departure,
        ),
        rules=rules,
        opened_at=received_at,
    )
    assessment = assess_arrival(
        entry_date=request.entry_date,
        expected_departure=request.expected_departure,
        notified_on=today,
        rules=rules,
        calendar=calendar,
        moved_on=request.address_changed_on if address_change else None,
    )
    rules_applied = [*assessment.rules_applied, *stay.rules_applied]
    notification_id = str(uuid.uuid4())
    await repository.store(
        uow.session,
        {
            "id": notification_id,
            "person_id": person_id,
            "host_kind": request.host.kind,
            "host_identifier": request.host.identifier,
            "host_name": request.host.name,
            "passport_number": normalize_passport(foreigner.passport_number),
            "citizenship": foreigner.citizenship,
            "surname": foreigner.surname,
            "given_names": foreigner.given_names,
            "birth_date": foreigner.birth_date,
            "sex": foreigner.sex,
            "entry_date": request.entry_date,
            "region": request.address.region,
            "locality": request.address.locality,
            "address_line": request.address.line,
            "purpose": request.purpose,
            "expected_departure": request.expected_departure,
            "notified_on": today,
            "received_at": received_at,
            "deadline": assessment.deadline,
            "late": assessment.late,
            "registration_required": assessment.registration_required,
            "allowed_stay_until": stay.allowed_until,
            "rules_applied": rules_applied,
            "stay_id": stay.id,
            "address_changed_on": request.address_changed_on,
        },
    )
    uow.publish(
        ArrivalNotified(
            notification_id=notification_id,
            person_id=person_id,
            citizenship=foreigner.citizenship,
            region=request.address.region,
            host_kind=request.host.kind,
            purpose=request.purpose,
            entry_date=request.entry_date,
            notified_on=today,
            deadline=assessment.deadline,
            late=assessment.late,
            registration_required=assessment.registration_required,
            allowed_stay_until=stay.allowed_until,
            stay_id=stay.id,
            address_change=address_change,
        )
    )
    return ArrivalAccepted(
        notification_id=notification_id,
        person_id=person_id,
        stay_id=stay.id,
        address_change=address_change,
        deadline=assessment.deadline,
        late=assessment.late,
        registration_required=assessment.registration_required,
        allowed_stay_until=stay.allowed_until,
        rules_applied=rules_applied,
    )
