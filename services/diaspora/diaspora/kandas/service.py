"""Kandas status: the decision deadline in working days, the hearing before any refusal, grant with
validity, one extension, termination and expiry. Every transition is recorded and published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from diaspora.access import Authorize
from diaspora.accommodation.service import check_out_granted
from diaspora.adaptation.service import end_with_status, follow_extension
from diaspora.dates import add_months, last_day_of_period
from diaspora.identifiers import applicant_id_for, new_id, normalize_document
from diaspora.kandas import repository
from diaspora.kandas.events import (
    ApplicationSubmitted,
    DecisionOverdue,
    KandasEvent,
    PackageCompleted,
    RefusalProposed,
    Refused,
    StatusExpired,
    StatusExtended,
    StatusGranted,
    StatusTerminated,
)
from diaspora.kandas.models import KandasApplication, KandasStatusChange
from diaspora.kandas.schemas import (
    DecisionRequest,
    KandasApplicationOut,
    KandasApplicationRequest,
    StatusChangeOut,
    TerminationRequest,
)
from shared.calendar import WorkingCalendar
from shared.errors import Problem, invalid
from shared.outbox import UnitOfWork
from shared.rules import RuleBook, RuleNotInForce

DEADLINE_RULE = "kandas.decision_deadline_working_days"
HEARING_RULE = "kandas.hearing_working_days"
VALIDITY_RULE = "kandas.status_validity_months"
EXTENSION_RULE = "kandas.extension"


@dataclass(frozen=True)
class Deadline:
    due: date
    working_days: int
    ref: str


def decision_deadline(registered_on: date, rules: RuleBook, calendar: WorkingCalendar) -> Deadline:
    """The rule in force on the day the package was registered decides the number of days."""
    rule = rules.at(DEADLINE_RULE, registered_on)
    days = int(rule.value)  # type: ignore[arg-type]
    return Deadline(calendar.add_working_days(registered_on, days), days, rule.ref)


def hearing_deadline(
    proposed_on: date, rules: RuleBook, calendar: WorkingCalendar
) -> Deadline | None:
    """None before the hearing rule took effect: a hearing is still held, with no fixed period."""
    try:
        rule = rules.at(HEARING_RULE, proposed_on)
    except RuleNotInForce:
        return None
    days = int(rule.value)  # type: ignore[arg-type]
    return Deadline(calendar.add_working_days(proposed_on, days), days, rule.ref)


def is_overdue(application: KandasApplication, today: date) -> bool:
    if application.decided_late:
        return True
    return (
        application.status in repository.PENDING
        and application.decision_due is not None
        and today > application.decision_due
    )


def conflict(code: str, **params: object) -> Problem:
    return Problem(409, code, params=params)


def _record(
    uow: UnitOfWork,
    application: KandasApplication,
    status: str,
    on: date,
    at: datetime,
    *,
    note: str | None = None,
    rules_applied: list[str] | None = None,
) -> None:
    application.status = status
    repository.add_change(
        uow.session,
        KandasStatusChange(
            application_id=application.id,
            status=status,
            effective_on=on,
            recorded_at=at,
            note=note,
            rules_applied=rules_applied or [],
        ),
    )
    if rules_applied:
        application.rules_applied = [*application.rules_applied, *rules_applied]


def _common(application: KandasApplication) -> dict[str, object]:
    return {
        "application_id": application.id,
        "applicant_id": application.applicant_id,
        "person_id": application.person_id,
        "country_of_origin": application.country_of_origin,
        "region": application.region,
        "family_size": application.family_size,
    }


def _event(cls: type[KandasEvent], application: KandasApplication, **fields: object) -> KandasEvent:
    return cls.model_validate({**_common(application), **fields})


async def submit(
    uow: UnitOfWork,
    request: KandasApplicationRequest,
    *,
    today: date,
    at: datetime,
    pseudonym_key: bytes,
    case_id: str | None,
) -> KandasApplication:
    """Records an application for kandas status and publishes `kandas.application-submitted`."""
    submitted_on = request.submitted_on or today
    if submitted_on > today:
        raise invalid("submitted_on", "date_future")
    if request.applicant.birth_date > submitted_on:
        raise invalid("applicant.birth_date", "date_future")
    applicant = request.applicant
    application = KandasApplication(
        id=new_id(),
        applicant_id=applicant_id_for(
            applicant.document_number, applicant.citizenship, applicant.birth_date, pseudonym_key
        ),
        person_id=request.person_id.lower() if request.person_id else None,
        case_id=case_id,
        surname=applicant.surname,
        given_names=applicant.given_names,
        birth_date=applicant.birth_date,
        document_number=normalize_document(applicant.document_number),
        citizenship=applicant.citizenship,
        country_of_origin=request.country_of_origin,
        region=request.region,
        family_size=request.family_size,
        phone=request.phone,
        status="submitted",
        submitted_on=submitted_on,
        extensions_used=0,
        rules_applied=[],
    )
    repository.add(uow.session, application)
    await uow.session.flush()
    _record(uow, application, "submitted", submitted_on, at)
    uow.publish(_event(ApplicationSubmitted, application, submitted_on=submitted_on))
    return application


async def _load(uow: UnitOfWork, application_id: str, authorize: Authorize) -> KandasApplication:
    application = await repository.get_for_update(uow.session, application_id)
    if application is None:
        raise Problem(404, "kandas.not_found")
    authorize(application.region)
    return application


async def complete_package(
    uow: UnitOfWork,
    application_id: str,
    registered_on: date | None,
    *,
    today: date,
    at: datetime,
    rules: RuleBook,
    calendar: WorkingCalendar,
    authorize: Authorize,
) -> KandasApplication:
    """The complete package is registered: the clock starts and `decision_due` is fixed."""
    application = await _load(uow, application_id, authorize)
    if application.status != "submitted":
        raise conflict("kandas.wrong_status", status=application.status)
    registered_on = registered_on or today
    if registered_on > today:
        raise invalid("registered_on", "date_future")
    if registered_on < application.submitted_on:
        raise invalid("registered_on", "date_order", after=application.submitted_on.isoformat())
    deadline = decision_deadline(registered_on, rules, calendar)
    application.package_registered_on = registered_on
    application.decision_due = deadline.due
    _record(uow, application, "package_complete", registered_on, at, rules_applied=[deadline.ref])
    uow.publish(
        _event(
            PackageCompleted,
            application,
            package_registered_on=registered_on,
            decision_due=deadline.due,
            deadline_rule=deadline.ref,
        )
    )
    return application


async def decide(
    uow: UnitOfWork,
    application_id: str,
    request: DecisionRequest,
    *,
    today: date,
    at: datetime,
    rules: RuleBook,
    calendar: WorkingCalendar,
    authorize: Authorize,
) -> KandasApplication:
    """Grant; or propose a refusal (the hearing comes first); or refuse after the hearing."""
    application = await _load(uow, application_id, authorize)
    if request.decision == "grant":
        if application.status not in repository.PENDING:
            raise conflict("kandas.wrong_status", status=application.status)
        _grant(uow, application, today, at, rules)
        # The right to a temporary accommodation centre lasts until the status is granted.
        await check_out_granted(uow, application, today)
    elif request.decision == "propose_refusal":
        if application.status != "package_complete":
            raise conflict("kandas.wrong_status", status=application.status)
        if not request.grounds:
            raise invalid("grounds", "grounds_required")
        hearing = hearing_deadline(today, rules, calendar)
        application.refusal_proposed_on = today
        application.refusal_grounds = list(request.grounds)
        application.hearing_due = hearing.due if hearing else None
        _record(
            uow,
            application,
            "hearing",
            today,
            at,
            note=",".join(request.grounds),
            rules_applied=[hearing.ref] if hearing else [],
        )
        uow.publish(
            _event(
                RefusalProposed,
                application,
                proposed_on=today,
                grounds=request.grounds,
                hearing_due=application.hearing_due,
            )
        )
    else:
        _refuse(uow, application, request, today, at)
    return application


def _decided(application: KandasApplication, today: date) -> bool:
    assert application.decision_due is not None
    application.decided_on = today
    application.decided_late = today > application.decision_due
    return not application.decided_late


def _grant(
    uow: UnitOfWork, application: KandasApplication, today: date, at: datetime, rules: RuleBook
) -> None:
    validity = rules.at(VALIDITY_RULE, today)
    within = _decided(application, today)
    application.valid_from = today
    application.valid_until = last_day_of_period(today, int(validity.value))  # type: ignore[arg-type]
    _record(uow, application, "granted", today, at, rules_applied=[validity.ref])
    assert application.decision_due is not None
    uow.publish(
        _event(
            StatusGranted,
            application,
            decided_on=today,
            decision_due=application.decision_due,
            within_deadline=within,
            valid_from=today,
            valid_until=application.valid_until,
        )
    )


def _refuse(
    uow: UnitOfWork,
    application: KandasApplication,
    request: DecisionRequest,
    today: date,
    at: datetime,
) -> None:
    if application.status == "package_complete":
        raise conflict("kandas.hearing_required")
    if application.status != "hearing":
        raise conflict("kandas.wrong_status", status=application.status)
    assert application.refusal_proposed_on is not None
    held = request.hearing_held_on
    if held is not None:
        if held > today:
            raise invalid("hearing_held_on", "date_future")
        if held < application.refusal_proposed_on:
            raise invalid(
                "hearing_held_on", "date_order", after=application.refusal_proposed_on.isoformat()
            )
    elif application.hearing_due is None or today <= application.hearing_due:
        # Until the applicant was heard or let the hearing period pass, no refusal.
        raise conflict("kandas.hearing_pending", hearing_due=str(application.hearing_due or "-"))
    within = _decided(application, today)
    application.hearing_held_on = held
    application.ended_on = today
    _record(
        uow, application, "refused", today, at, note=",".join(application.refusal_grounds or [])
    )
    assert application.decision_due is not None
    uow.publish(
        _event(
            Refused,
            application,
            decided_on=today,
            decision_due=application.decision_due,
            within_deadline=within,
            grounds=application.refusal_grounds or [],
            hearing_held_on=held,
        )
    )


async def extend(
    uow: UnitOfWork,
    application_id: str,
    months: int,
    *,
    today: date,
    at: datetime,
    rules: RuleBook,
    authorize: Authorize,
) -> KandasApplication:
    """Extends a granted status once, by at most the rule's months (rule in force on the day)."""
    application = await _load(uow, application_id, authorize)
    if application.status not in repository.IN_FORCE:
        raise conflict("kandas.wrong_status", status=application.status)
    try:
        rule = rules.at(EXTENSION_RULE, today)
    except RuleNotInForce:
        raise conflict("kandas.extension_not_available") from None
    limits = rule.value
    assert isinstance(limits, dict)
    if application.extensions_used >= int(limits["times"]):  # type: ignore[arg-type]
        raise conflict("kandas.extension_used", times=limits["times"])
    if months > int(limits["max_months"]):  # type: ignore[arg-type]
        raise invalid("months", "months_over_limit", max=limits["max_months"])
    assert application.valid_until is not None
    application.valid_until = add_months(application.valid_until, months)
    application.extensions_used += 1
    _record(uow, application, "extended", today, at, rules_applied=[rule.ref])
    await follow_extension(uow, application, rules)
    uow.publish(
        _event(
            StatusExtended,
            application,
            extended_on=today,
            months=months,
            valid_until=application.valid_until,
        )
    )
    return application


async def terminate(
    uow: UnitOfWork,
    application_id: str,
    request: TerminationRequest,
    *,
    today: date,
    at: datetime,
    authorize: Authorize,
) -> KandasApplication:
    """Terminates a status in force; the family's adaptation placement ends with it."""
    application = await _load(uow, application_id, authorize)
    if application.status not in repository.IN_FORCE:
        raise conflict("kandas.wrong_status", status=application.status)
    application.ended_on = today
    application.termination_reason = request.reason
    _record(uow, application, "terminated", today, at, note=request.note)
    uow.publish(_event(StatusTerminated, application, terminated_on=today, reason=request.reason))
    await end_with_status(uow, application, today, reason="status_terminated")
    return application


async def expire_lapsed(uow: UnitOfWork, *, today: date, at: datetime) -> int:
    """Marks statuses whose validity ended as expired (their placements end); returns how many."""
    lapsed = await repository.lapsed(uow.session, today)
    for application in lapsed:
        assert application.valid_until is not None
        expired_on = application.valid_until + timedelta(days=1)
        application.ended_on = expired_on
        _record(uow, application, "expired", expired_on, at)
        uow.publish(_event(StatusExpired, application, expired_on=expired_on))
        await end_with_status(uow, application, expired_on, reason="status_expired")
    return len(lapsed)


async def flag_overdue(uow: UnitOfWork, *, today: date) -> list[KandasApplication]:
    """Publishes `kandas.decision-overdue` once for each pending application past its deadline."""
    flagged = await repository.newly_overdue(uow.session, today)
    for application in flagged:
        assert application.decision_due is not None
        application.overdue_flagged_on = today
        uow.publish(
            _event(
                DecisionOverdue,
                application,
                decision_due=application.decision_due,
                flagged_on=today,
                status=application.status,
            )
        )
    return flagged


def to_view(
    application: KandasApplication, history: list[KandasStatusChange], today: date
) -> KandasApplicationOut:
    return KandasApplicationOut(
        application_id=application.id,
        applicant_id=application.applicant_id,
        person_id=application.person_id,
        status=application.status,  # type: ignore[arg-type]
        country_of_origin=application.country_of_origin,
        region=application.region,
        family_size=application.family_size,
        submitted_on=application.submitted_on,
        package_registered_on=application.package_registered_on,
        decision_due=application.decision_due,
        overdue=is_overdue(application, today),
        refusal_grounds=application.refusal_grounds,
        hearing_due=application.hearing_due,
        hearing_held_on=application.hearing_held_on,
        decided_on=application.decided_on,
        valid_from=application.valid_from,
        valid_until=application.valid_until,
        extensions_used=application.extensions_used,
        ended_on=application.ended_on,
        termination_reason=application.termination_reason,
        rules_applied=list(application.rules_applied),
        case_id=application.case_id,
        history=[
            StatusChangeOut(
                status=c.status,  # type: ignore[arg-type]
                effective_on=c.effective_on,
                # SQLite returns the stored UTC moment without its zone.
                recorded_at=c.recorded_at
                if c.recorded_at.tzinfo
                else c.recorded_at.replace(tzinfo=UTC),
                note=c.note,
                rules_applied=list(c.rules_applied or []),
            )
            for c in history
        ],
    )
