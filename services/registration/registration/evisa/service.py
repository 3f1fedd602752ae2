"""e-Visa: application with an invitation, the review deadline, the officer's decision, the visa,
its single entry and its expiry."""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from registration.evisa import repository
from registration.evisa.events import (
    EvisaExpired,
    EvisaIssued,
    EvisaRefused,
    EvisaSubmitted,
    EvisaUsed,
)
from registration.evisa.models import EvisaApplication, EvisaStatusChange
from registration.evisa.schemas import (
    EvisaApplicationOut,
    EvisaApplicationRequest,
    EvisaDecisionOut,
    EvisaDecisionRequest,
    EvisaSubmittedOut,
    StatusChangeOut,
    VisaOut,
    VisaVerification,
)
from registration.invitations import repository as invitation_repository
from registration.persons import normalize_passport, person_id_for
from shared.calendar import WorkingCalendar
from shared.errors import FieldError, Problem, invalid
from shared.outbox import UnitOfWork
from shared.rules import RuleBook

SINGLE_ENTRY = 1


def review_deadline(
    submitted_on: date, rules: RuleBook, calendar: WorkingCalendar
) -> tuple[date, str]:
    """The last working day for the decision on an application complete on `submitted_on`."""
    review = rules.at("evisa.review_working_days", submitted_on)
    return calendar.add_working_days(submitted_on, int(review.value)), review.ref  # type: ignore[arg-type]


def _record_status(
    session: AsyncSession, application_id: str, status: str, on: date, at: datetime,
    note: str | None = None,
) -> None:
    repository.add(
        session,
        EvisaStatusChange(application_id=application_id, status=status, on=on, at=at, note=note),
    )


async def submit_application(
    uow: UnitOfWork,
    request: EvisaApplicationRequest,
    *,
    today: date,
    now: datetime,
    rules: RuleBook,
    calendar: WorkingCalendar,
    pseudonym_key: bytes,
) -> EvisaSubmittedOut:
    """Accepts an application made with an invitation that names the applicant."""
    applicant = request.applicant
    errors: list[FieldError] = []
    if request.planned_entry < today:
        errors.append(FieldError("planned_entry", "date_past"))
    if applicant.birth_date > today:
        errors.append(FieldError("applicant.birth_date", "date_future"))
    if errors:
        raise Problem(422, "validation", params={"count": len(errors)}, errors=errors)
    person_id = person_id_for(
        applicant.passport_number, applicant.citizenship, applicant.birth_date, pseudonym_key
    )
    invitation = await invitation_repository.get(uow.session, request.invitation_number)
    if invitation is None or invitation.status != "issued":
        raise invalid("invitation_number", "invitation_unknown")
    invitees = await invitation_repository.invitee_person_ids(uow.session, invitation.number)
    if person_id not in invitees:
        raise invalid("applicant", "not_invited")
    decision_due, review_ref = review_deadline(today, rules, calendar)
    application = EvisaApplication(
        id=str(uuid.uuid4()),
        invitation_number=invitation.number,
        person_id=person_id,
        passport_number=normalize_passport(applicant.passport_number),
        citizenship=applicant.citizenship,
        surname=applicant.surname,
        given_names=applicant.given_names,
        birth_date=applicant.birth_date,
        category=request.category,
        purpose=request.purpose,
        planned_entry=request.planned_entry,
        status="submitted",
        submitted_on=today,
        decision_due=decision_due,
        rules_applied=[review_ref],
    )
    repository.add(uow.session, application)
    _record_status(uow.session, application.id, "submitted", today, now)
    uow.publish(
        EvisaSubmitted(
            application_id=application.id,
            person_id=person_id,
            citizenship=application.citizenship,
            category=application.category,
            invitation_number=invitation.number,
            planned_entry=application.planned_entry,
            submitted_on=today,
            decision_due=decision_due,
        )
    )
    return EvisaSubmittedOut(
        application_id=application.id,
        person_id=person_id,
        status="submitted",
        decision_due=decision_due,
        rules_applied=application.rules_applied,
    )


async def _new_visa_number(session: AsyncSession) -> str:
    while True:
        number = f"EV{secrets.randbelow(10**10):010d}"
        if not await repository.visa_number_taken(session, number):
            return number


async def decide(
    uow: UnitOfWork,
    application_id: str,
    request: EvisaDecisionRequest,
    *,
    officer: str | None,
    today: date,
    now: datetime,
    rules: RuleBook,
) -> EvisaDecisionOut:
    """The officer approves (the visa is issued) or refuses with a reason."""
    application = await repository.get_for_update(uow.session, application_id)
    if application is None:
        raise Problem(404, "not_found")
    if application.status != "submitted":
        raise Problem(409, "already_decided", params={"status": application.status})
    within = today <= application.decision_due
    application.decided_on = today
    application.decided_by = officer
    if request.decision == "refuse":
        application.status = "refused"
        application.refusal_reason = request.reason
        application.refusal_comment = request.comment
        _record_status(uow.session, application.id, "refused", today, now, request.reason)
        uow.publish(
            EvisaRefused(
                application_id=application.id,
                person_id=application.person_id,
                citizenship=application.citizenship,
                category=application.category,
                reason=str(request.reason),
                decided_on=today,
                within_deadline=within,
            )
        )
        return _decision_out(application, within)
    validity = rules.at("evisa.validity_days", today)
    days_by_category: dict[str, int] = validity.value  # type: ignore[assignment]
    days = int(days_by_category[application.category])
    application.status = "issued"
    application.visa_number = await _new_visa_number(uow.session)
    application.valid_from = max(application.planned_entry, today)
    application.valid_until = application.valid_from + timedelta(days=days - 1)
    application.rules_applied = [*application.rules_applied, validity.ref]
    _record_status(uow.session, application.id, "issued", today, now)
    uow.publish(
        EvisaIssued(
            application_id=application.id,
            person_id=application.person_id,
            citizenship=application.citizenship,
            category=application.category,
            visa_number=application.visa_number,
            valid_from=application.valid_from,
            valid_until=application.valid_until,
            entries=SINGLE_ENTRY,
            decided_on=today,
            within_deadline=within,
        )
    )
    return _decision_out(application, within)


def _visa_out(application: EvisaApplication) -> VisaOut | None:
    if application.visa_number is None or application.valid_from is None:
        return None
    assert application.valid_until is not None
    return VisaOut(
        visa_number=application.visa_number,
        valid_from=application.valid_from,
        valid_until=application.valid_until,
        entries=SINGLE_ENTRY,
    )


def _decision_out(application: EvisaApplication, within: bool) -> EvisaDecisionOut:
    assert application.decided_on is not None
    return EvisaDecisionOut(
        application_id=application.id,
        status=application.status,  # type: ignore[arg-type]
        visa_number=application.visa_number,
        visa=_visa_out(application),
        refusal_reason=application.refusal_reason,
        decided_on=application.decided_on,
        within_deadline=within,
        rules_applied=application.rules_applied,
    )


def record_entry_on_visa(
    uow: UnitOfWork, application: EvisaApplication, *, entry_date: date, stay_id: str,
    at: datetime,
) -> None:
    """The single entry of the visa is used by this entry."""
    application.status = "used"
    application.used_on = entry_date
    _record_status(uow.session, application.id, "used", entry_date, at)
    assert application.visa_number is not None
    uow.publish(
        EvisaUsed(
            application_id=application.id,
            person_id=application.person_id,
            citizenship=application.citizenship,
            category=application.category,
            visa_number=application.visa_number,
            entry_date=entry_date,
            stay_id=stay_id,
        )
    )


async def application_view(session: AsyncSession, application_id: str) -> EvisaApplicationOut:
    application = await repository.get(session, application_id)
    if application is None:
        raise Problem(404, "not_found")
    changes = await repository.history(session, application_id)
    return EvisaApplicationOut(
        application_id=application.id,
        person_id=application.person_id,
        status=application.status,  # type: ignore[arg-type]
        category=application.category,
        citizenship=application.citizenship,
        invitation_number=application.invitation_number,
        planned_entry=application.planned_entry,
        submitted_on=application.submitted_on,
        decision_due=application.decision_due,
        decided_on=application.decided_on,
        refusal_reason=application.refusal_reason,
        visa=_visa_out(application),
        history=[
            StatusChangeOut(status=c.status, on=c.on, at=c.at, note=c.note) for c in changes
        ],
        rules_applied=application.rules_applied,
    )


async def verify_visa(session: AsyncSession, visa_number: str, *, today: date) -> VisaVerification:
    application = await repository.by_visa_number(session, visa_number)
    if application is None or application.valid_from is None or application.valid_until is None:
        raise Problem(404, "not_found")
    return VisaVerification(
        visa_number=visa_number,
        valid=application.status in ("issued", "used")
        and application.valid_from <= today <= application.valid_until,
        status=application.status,  # type: ignore[arg-type]
        category=application.category,
        valid_from=application.valid_from,
        valid_until=application.valid_until,
        entries=SINGLE_ENTRY,
    )


async def expire_visas(uow: UnitOfWork, *, today: date, now: datetime) -> int:
    """Issued visas past their end without an entry become expired, each published once."""
    expired = await repository.issued_expired_by(uow.session, today)
    for application in expired:
        assert application.visa_number is not None and application.valid_until is not None
        application.status = "expired"
        _record_status(uow.session, application.id, "expired", today, now)
        uow.publish(
            EvisaExpired(
                application_id=application.id,
                person_id=application.person_id,
                citizenship=application.citizenship,
                category=application.category,
                visa_number=application.visa_number,
                valid_until=application.valid_until,
            )
        )
    return len(expired)
