"""Temporary residence permits for work: term of the work permit or contract, capped by rule;
decision within working days; the issued TRP extends the holder's allowed stay."""

from __future__ import annotations

import calendar as month_calendar
import secrets
import uuid
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from registration.persons import normalize_passport, person_id_for
from registration.residence_permits import repository
from registration.residence_permits.events import (
    ResidencePermitIssued,
    ResidencePermitRefused,
    ResidencePermitSubmitted,
)
from registration.residence_permits.models import ResidencePermit
from registration.residence_permits.schemas import (
    ResidencePermitDecisionOut,
    ResidencePermitDecisionRequest,
    ResidencePermitRequest,
    ResidencePermitSubmittedOut,
    ResidencePermitVerification,
)
from registration.stays.service import replan
from shared.auth.deps import check_region
from shared.auth.tokens import Principal
from shared.calendar import WorkingCalendar
from shared.errors import FieldError, Problem, invalid
from shared.outbox import UnitOfWork
from shared.rules import RuleBook


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def permit_term(valid_from: date, basis_ends_on: date, max_months: int) -> date:
    """The last day of a TRP: the basis's end, and at most `max_months` from the first day."""
    cap = add_months(valid_from, max_months) - timedelta(days=1)
    return min(basis_ends_on, cap)


def decision_deadline(
    submitted_on: date, rules: RuleBook, calendar: WorkingCalendar
) -> tuple[date, str]:
    """The last working day for the decision on a TRP application made on `submitted_on`."""
    rule = rules.at("residence_permit.decision_working_days", submitted_on)
    return calendar.add_working_days(submitted_on, int(rule.value)), rule.ref  # type: ignore[arg-type]


async def apply(
    uow: UnitOfWork,
    request: ResidencePermitRequest,
    *,
    today: date,
    now: datetime,
    rules: RuleBook,
    calendar: WorkingCalendar,
    pseudonym_key: bytes,
) -> ResidencePermitSubmittedOut:
    """Accepts a TRP application tied to a work permit or contract."""
    foreigner = request.foreigner
    errors: list[FieldError] = []
    if request.basis.ends_on < today:
        errors.append(FieldError("basis.ends_on", "date_past"))
    if foreigner.birth_date > today:
        errors.append(FieldError("foreigner.birth_date", "date_future"))
    if errors:
        raise Problem(422, "validation", params={"count": len(errors)}, errors=errors)
    decision_due, deadline_ref = decision_deadline(today, rules, calendar)
    permit = ResidencePermit(
        id=str(uuid.uuid4()),
        person_id=person_id_for(
            foreigner.passport_number, foreigner.citizenship, foreigner.birth_date, pseudonym_key
        ),
        passport_number=normalize_passport(foreigner.passport_number),
        citizenship=foreigner.citizenship,
        surname=foreigner.surname,
        given_names=foreigner.given_names,
        birth_date=foreigner.birth_date,
        region=request.region,
        basis_kind=request.basis.kind,
        basis_number=request.basis.number,
        employer_bin=request.basis.employer_bin,
        basis_ends_on=request.basis.ends_on,
        status="submitted",
        submitted_on=today,
        submitted_at=now,
        decision_due=decision_due,
        rules_applied=[deadline_ref],
    )
    repository.add(uow.session, permit)
    uow.publish(
        ResidencePermitSubmitted(
            application_id=permit.id,
            person_id=permit.person_id,
            citizenship=permit.citizenship,
            region=permit.region,
            basis_kind=permit.basis_kind,
            submitted_on=today,
            decision_due=decision_due,
        )
    )
    return ResidencePermitSubmittedOut(
        application_id=permit.id,
        person_id=permit.person_id,
        status="submitted",
        decision_due=decision_due,
        rules_applied=permit.rules_applied,
    )


async def _new_permit_number(session: AsyncSession) -> str:
    while True:
        number = f"TR{secrets.randbelow(10**10):010d}"
        if await repository.by_number(session, number) is None:
            return number


async def decide(
    uow: UnitOfWork,
    application_id: str,
    request: ResidencePermitDecisionRequest,
    *,
    principal: Principal | None,
    today: date,
    rules: RuleBook,
) -> ResidencePermitDecisionOut:
    """An officer of the application's region issues the TRP or refuses it."""
    permit = await repository.get_for_update(uow.session, application_id)
    if permit is None:
        raise Problem(404, "not_found")
    check_region(principal, permit.region)
    if permit.status != "submitted":
        raise Problem(409, "already_decided", params={"status": permit.status})
    within = today <= permit.decision_due
    permit.decided_on = today
    permit.decided_by = principal.subject if principal else None
    common = {
        "application_id": permit.id,
        "person_id": permit.person_id,
        "citizenship": permit.citizenship,
        "region": permit.region,
        "basis_kind": permit.basis_kind,
    }
    if request.decision == "refuse":
        permit.status = "refused"
        permit.refusal_reason = request.reason
        permit.refusal_comment = request.comment
        uow.publish(
            ResidencePermitRefused(
                **common, reason=str(request.reason), decided_on=today, within_deadline=within
            )
        )
        return _decision_out(permit, within)
    if permit.basis_ends_on < today:
        raise invalid("basis.ends_on", "date_past")
    term = rules.at("residence_permit.max_term_months", today)
    permit.status = "issued"
    permit.permit_number = await _new_permit_number(uow.session)
    permit.valid_from = today
    permit.valid_until = permit_term(today, permit.basis_ends_on, int(term.value))  # type: ignore[arg-type]
    permit.rules_applied = [*permit.rules_applied, term.ref]
    await uow.session.flush()
    # The stay calculator extends the holder's allowed stay to the TRP's end.
    await replan(uow.session, permit.person_id, rules)
    uow.publish(
        ResidencePermitIssued(
            **common,
            permit_number=permit.permit_number,
            valid_from=permit.valid_from,
            valid_until=permit.valid_until,
            decided_on=today,
            within_deadline=within,
        )
    )
    return _decision_out(permit, within)


def _decision_out(permit: ResidencePermit, within: bool) -> ResidencePermitDecisionOut:
    assert permit.decided_on is not None
    return ResidencePermitDecisionOut(
        application_id=permit.id,
        status=permit.status,  # type: ignore[arg-type]
        permit_number=permit.permit_number,
        valid_from=permit.valid_from,
        valid_until=permit.valid_until,
        refusal_reason=permit.refusal_reason,
        decided_on=permit.decided_on,
        within_deadline=within,
        rules_applied=permit.rules_applied,
    )


async def verify_permit(
    session: AsyncSession, permit_number: str, *, today: date
) -> ResidencePermitVerification:
    permit = await repository.by_number(session, permit_number)
    if permit is None or permit.valid_from is None or permit.valid_until is None:
        raise Problem(404, "not_found")
    return ResidencePermitVerification(
        permit_number=permit_number,
        valid=permit.status == "issued" and permit.valid_from <= today <= permit.valid_until,
        valid_from=permit.valid_from,
        valid_until=permit.valid_until,
    )
