"""Arrival notifications: the host's deadline, lateness, and how long the foreigner may stay."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from shared.calendar import WorkingCalendar
from shared.errors import FieldError, Problem
from shared.outbox import UnitOfWork
from shared.rules import RuleBook

from registration.arrivals import repository
from registration.arrivals.events import ArrivalNotified
from registration.arrivals.models import ArrivalNotification
from registration.arrivals.schemas import ArrivalAccepted, ArrivalRequest


@dataclass(frozen=True)
class ArrivalAssessment:
    deadline: date
    late: bool
    registration_required: bool
    allowed_stay_until: date
    rules_applied: list[str]


def assess_arrival(
    *,
    entry_date: date,
    expected_departure: date,
    citizenship: str,
    notified_on: date,
    rules: RuleBook,
    calendar: WorkingCalendar,
) -> ArrivalAssessment:
    """Applies the rules in force on the entry date."""
    deadline_rule = rules.at("arrival.notification_deadline_working_days", entry_date)
    free_rule = rules.at("stay.registration_free_days", entry_date)
    eaeu = rules.at("citizenship.eaeu", entry_date)
    if citizenship in (eaeu.value or []):  # type: ignore[operator]
        stay_rule = rules.at("stay.eaeu_days_per_entry", entry_date)
    else:
        stay_rule = rules.at("stay.visa_free_days_per_entry", entry_date)
    deadline = calendar.add_working_days(entry_date, int(deadline_rule.value))  # type: ignore[arg-type]
    declared_days = (expected_departure - entry_date).days + 1  # the entry day is a day of stay
    return ArrivalAssessment(
        deadline=deadline,
        late=notified_on > deadline,
        registration_required=declared_days > int(free_rule.value),  # type: ignore[arg-type]
        allowed_stay_until=entry_date + timedelta(days=int(stay_rule.value) - 1),  # type: ignore[arg-type]
        rules_applied=[deadline_rule.ref, free_rule.ref, eaeu.ref, stay_rule.ref],
    )


def normalize_passport(number: str) -> str:
    return "".join(number.split()).replace("-", "").upper()


def person_id_for(passport_number: str, citizenship: str, birth_date: date, key: bytes) -> str:
    """A pseudonym that is the same on every visit of one person and reveals nothing of them."""
    material = f"{normalize_passport(passport_number)}|{citizenship}|{birth_date.isoformat()}"
    digest = hmac.new(key, material.encode(), hashlib.sha256).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def check_dates(request: ArrivalRequest, today: date) -> None:
    errors: list[FieldError] = []
    if request.entry_date > today:
        errors.append(FieldError("entry_date", "date_future"))
    if request.foreigner.birth_date > request.entry_date:
        errors.append(FieldError("foreigner.birth_date", "date_future"))
    if request.expected_departure < request.entry_date:
        errors.append(
            FieldError("expected_departure", "date_order", {"after": request.entry_date.isoformat()})
        )
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
    """Records a host's notification of a foreigner's arrival and publishes `arrival.notified`."""
    check_dates(request, today)
    foreigner = request.foreigner
    assessment = assess_arrival(
        entry_date=request.entry_date,
        expected_departure=request.expected_departure,
        citizenship=foreigner.citizenship,
        notified_on=today,
        rules=rules,
        calendar=calendar,
    )
    notification = ArrivalNotification(
        id=str(uuid.uuid4()),
        person_id=person_id_for(
            foreigner.passport_number, foreigner.citizenship, foreigner.birth_date, pseudonym_key
        ),
        host_kind=request.host.kind,
        host_identifier=request.host.identifier,
        host_name=request.host.name,
        passport_number=normalize_passport(foreigner.passport_number),
        citizenship=foreigner.citizenship,
        surname=foreigner.surname,
        given_names=foreigner.given_names,
        birth_date=foreigner.birth_date,
        sex=foreigner.sex,
        entry_date=request.entry_date,
        region=request.address.region,
        locality=request.address.locality,
        address_line=request.address.line,
        purpose=request.purpose,
        expected_departure=request.expected_departure,
        notified_on=today,
        received_at=received_at,
        deadline=assessment.deadline,
        late=assessment.late,
        registration_required=assessment.registration_required,
        allowed_stay_until=assessment.allowed_stay_until,
        rules_applied=assessment.rules_applied,
    )
    repository.add(uow.session, notification)
    uow.publish(
        ArrivalNotified(
            notification_id=notification.id,
            person_id=notification.person_id,
            citizenship=notification.citizenship,
            region=notification.region,
            host_kind=request.host.kind,
            purpose=notification.purpose,
            entry_date=notification.entry_date,
            notified_on=today,
            deadline=assessment.deadline,
            late=assessment.late,
            registration_required=assessment.registration_required,
            allowed_stay_until=assessment.allowed_stay_until,
        )
    )
    return ArrivalAccepted(
        notification_id=notification.id,
        person_id=notification.person_id,
        deadline=assessment.deadline,
        late=assessment.late,
        registration_required=assessment.registration_required,
        allowed_stay_until=assessment.allowed_stay_until,
        rules_applied=assessment.rules_applied,
    )
