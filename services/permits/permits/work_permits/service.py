"""Employers' work permits: filing and its rule checks, the akimat's decision with the quota
place and the fee notice, the fee that issues the permit, extension, revocation, withdrawal, and
the deadlines (an unpaid fee lapses, a permit expires)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from permits.dates import term_end
from permits.numbers import WORK_PERMIT_PREFIX, new_number
from permits.quotas import service as ledger
from permits.quotas.repository import QuotaKey
from permits.regions import quota_region
from permits.rulebook import Applied, merged
from permits.work_permits import repository
from permits.work_permits.events import (
    WorkPermitApplied,
    WorkPermitApproved,
    WorkPermitExpired,
    WorkPermitExtended,
    WorkPermitIssued,
    WorkPermitLapsed,
    WorkPermitRefused,
    WorkPermitRevoked,
    WorkPermitWithdrawn,
)
from permits.work_permits.models import WorkPermit
from permits.work_permits.schemas import (
    ApplicationOut,
    ApplicationRequest,
    DecisionRequest,
    ExtensionOut,
    FeeNotice,
    FeePayment,
    RefusalReason,
    RevocationRequest,
    StaffCounts,
    Step,
)
from shared.calendar import WorkingCalendar
from shared.errors import FieldError, Problem, invalid, not_found
from shared.outbox import UnitOfWork
from shared.rules import RuleBook

# Checks the endpoint passes in: an officer acts only in their own region.
Authorize = Callable[[str], None]

# Statuses in which the permit holds a reserved quota place (unless it is outside the quota).
HOLDS_RESERVATION = "approved"


def refused(field: str, code: str, **params: Any) -> Problem:
    """A 422 for a request the rules refuse; nothing is recorded."""
    return Problem(
        422, "permit.refused", params={"count": 1}, errors=[FieldError(field, code, params)]
    )


def conflict(permit: WorkPermit, action: str) -> Problem:
    return Problem(409, "permit.state", params={"status": permit.status, "action": action})


# ------------------------------------------------------------------------------------------
# Rules checked on filing


def local_content(category: str, staff: StaffCounts, on: date, applied: Applied) -> list[
    RefusalReason
]:
    """Citizens' share of the staff of the category's group, counting the new foreign worker."""
    exempt_up_to = applied.integer("work_permit.local_content_exempt_max_staff", on)
    if staff.total() + 1 <= exempt_up_to:
        return []
    reasons = []
    for group in applied.value("work_permit.local_content_min_citizen_percent", on):
        categories = [str(c) for c in group["categories"]]
        if category not in categories:
            continue
        citizens = sum(staff.citizens.get(c, 0) for c in categories)  # type: ignore[call-overload]
        foreigners = 1 + sum(staff.foreigners.get(c, 0) for c in categories)  # type: ignore[call-overload]
        minimum = int(group["min_citizen_percent"])
        if citizens * 100 < minimum * (citizens + foreigners):
            reasons.append(
                RefusalReason(
                    code="local_content",
                    params={
                        "categories": categories,
                        "min_citizen_percent": minimum,
                        "citizen_percent": round(100 * citizens / (citizens + foreigners), 1),
                    },
                )
            )
    return reasons


def seasonal_work(request: ApplicationRequest, on: date, applied: Applied) -> list[RefusalReason]:
    """Seasonal work is open to listed occupations and listed citizenships only."""
    reasons = []
    if request.occupation not in applied.strings("work_permit.seasonal_occupations", on):
        reasons.append(
            RefusalReason(code="seasonal_occupation", params={"occupation": request.occupation})
        )
    if request.worker.citizenship not in applied.strings("work_permit.seasonal_citizenships", on):
        reasons.append(
            RefusalReason(
                code="seasonal_citizenship", params={"citizenship": request.worker.citizenship}
            )
        )
    return reasons


def fee_coefficient(sector: str, category: str, on: date, applied: Applied) -> int | None:
    table = applied.mapping("work_permit.fee_mci_coefficients", on)
    row = table.get(sector) or table.get("*")
    if not isinstance(row, dict) or category not in row:
        return None
    return int(row[category])


# ------------------------------------------------------------------------------------------
# Views and events


def _common(permit: WorkPermit) -> dict[str, Any]:
    return {
        "application_id": permit.id,
        "permit_number": permit.permit_number,
        "person_id": permit.person_id,
        "citizenship": permit.citizenship,
        "region": permit.region,
        "category": permit.category,
        "employer_bin": permit.employer_bin,
        "intra_corporate_transfer": permit.intra_corporate_transfer,
    }


def _quota_key(permit: WorkPermit) -> QuotaKey:
    assert permit.quota_year is not None
    return QuotaKey(permit.quota_year, permit.quota_region, permit.category)


def view(permit: WorkPermit, steps: list[Step] | None = None) -> ApplicationOut:
    fee = None
    if permit.fee_amount is not None:
        assert permit.fee_mci is not None and permit.fee_coefficient is not None
        assert permit.payment_deadline is not None
        fee = FeeNotice(
            amount=permit.fee_amount,
            mci=permit.fee_mci,
            coefficient=permit.fee_coefficient,
            payment_deadline=permit.payment_deadline,
        )
    return ApplicationOut(
        application_id=permit.id,
        status=permit.status,  # type: ignore[arg-type]
        permit_number=permit.permit_number,
        employer_bin=permit.employer_bin,
        region=permit.region,
        category=permit.category,  # type: ignore[arg-type]
        occupation=permit.occupation,
        sector=permit.sector,
        intra_corporate_transfer=permit.intra_corporate_transfer,
        person_id=permit.person_id,
        citizenship=permit.citizenship,
        validity_years=permit.validity_years,
        submitted_on=permit.submitted_on,
        decision_due=permit.decision_due,
        decided_on=permit.decided_on,
        refusal_reasons=[RefusalReason.model_validate(r) for r in permit.refusal_reasons],
        quota_year=permit.quota_year,
        fee=fee,
        paid_on=permit.paid_on,
        valid_from=permit.valid_from,
        valid_until=permit.valid_until,
        extensions=permit.extensions,
        ended_on=permit.ended_on,
        rules_applied=list(permit.rules_applied),
        history=steps or [],
    )


async def _reloaded(session: AsyncSession, application_id: str) -> WorkPermit:
    permit = await repository.get(session, application_id)
    assert permit is not None
    return permit


async def read(
    session: AsyncSession, application_id: str, authorize: Authorize
) -> ApplicationOut:
    """The application with its status, deadlines, fee notice and history."""
    permit = await repository.get(session, application_id)
    if permit is None:
        raise not_found()
    authorize(permit.region)
    steps = [
        Step(at=s.at, action=s.action, status=s.status, actor=s.actor)  # type: ignore[arg-type]
        for s in await repository.history(session, application_id)
    ]
    return view(permit, steps)


# ------------------------------------------------------------------------------------------
# Commands


async def submit(
    uow: UnitOfWork,
    request: ApplicationRequest,
    *,
    actor: str | None,
    now: datetime,
    today: date,
    rules: RuleBook,
    calendar: WorkingCalendar,
) -> ApplicationOut:
    """Files an employer's application; the rules checked on filing may refuse it at once."""
    applied = Applied(rules)
    if request.worker.birth_date >= today:
        raise invalid("worker.birth_date", "date_future")
    max_years = applied.mapping("work_permit.validity_max_years", today)
    if request.validity_years > int(max_years[request.category]):
        raise invalid("validity_years", "validity_years", max=max_years[request.category])
    if fee_coefficient(request.sector, request.category, today, applied) is None:
        raise invalid("sector", "sector_unknown")
    if request.category == "seasonal":
        reasons = seasonal_work(request, today, applied)
    else:
        reasons = local_content(request.category, request.staff, today, applied)
    decision_due = calendar.add_working_days(
        today, applied.integer("work_permit.decision_deadline_working_days", today)
    )
    permit = WorkPermit(
        id=str(uuid.uuid4()),
        permit_number=None,
        status="refused" if reasons else "submitted",
        employer_bin=request.employer_bin,
        region=request.region,
        quota_region=quota_region(request.region),
        category=request.category,
        occupation=request.occupation,
        sector=request.sector,
        intra_corporate_transfer=request.intra_corporate_transfer,
        person_id=request.worker.person_id,
        citizenship=request.worker.citizenship,
        birth_date=request.worker.birth_date,
        validity_years=request.validity_years,
        staff=request.staff.model_dump(mode="json"),
        submitted_at=now,
        submitted_on=today,
        decision_due=decision_due,
        decided_on=today if reasons else None,
        decided_by="rules" if reasons else None,
        refusal_reasons=[r.model_dump(mode="json") for r in reasons],
        extensions=0,
        rules_applied=applied.refs,
    )
    repository.add(uow.session, permit)
    repository.record_step(uow.session, permit.id, action="applied", status="submitted", at=now,
                           actor=actor)
    uow.publish(
        WorkPermitApplied(
            **_common(permit),
            occupation=permit.occupation,
            sector=permit.sector,
            submitted_on=today,
            decision_due=decision_due,
        )
    )
    if reasons:
        repository.record_step(uow.session, permit.id, action="refused", status="refused", at=now,
                               actor="rules")
        uow.publish(
            WorkPermitRefused(
                **_common(permit),
                decided_on=today,
                refused_by="rules",
                reasons=[r.code for r in reasons],
            )
        )
    return view(permit)


async def decide(
    uow: UnitOfWork,
    application_id: str,
    request: DecisionRequest,
    *,
    actor: str | None,
    authorize: Authorize,
    now: datetime,
    today: date,
    rules: RuleBook,
    calendar: WorkingCalendar,
) -> ApplicationOut:
    """The akimat's decision. Approval reserves a quota place (409 when none is left) and issues
    the fee notice; refusal takes no place."""
    session = uow.session
    permit = await repository.get(session, application_id)
    if permit is None:
        raise not_found()
    authorize(permit.region)
    if permit.status != "submitted":
        raise conflict(permit, request.decision)

    if request.decision == "refuse":
        reasons = [{"code": "officer", "params": {"grounds": request.grounds}}]
        if not await repository.move(session, application_id, from_statuses=["submitted"],
                                     to_status="refused", refusal_reasons=reasons,
                                     decided_on=today, decided_by=actor):
            raise conflict(await _reloaded(session, application_id), request.decision)
        permit = await _reloaded(session, application_id)
        repository.record_step(session, permit.id, action="refused", status="refused", at=now,
                               actor=actor)
        uow.publish(
            WorkPermitRefused(
                **_common(permit), decided_on=today, refused_by="officer",
                reasons=request.grounds or ["officer"],
            )
        )
        return view(permit)

    applied = Applied(rules)
    mci = applied.integer("mci.tenge", today)
    coefficient = fee_coefficient(permit.sector, permit.category, today, applied)
    if coefficient is None:
        raise invalid("sector", "sector_unknown")
    payment_deadline = calendar.add_working_days(
        today, applied.integer("work_permit.fee_payment_deadline_working_days", today)
    )
    quota_year = None if permit.intra_corporate_transfer else today.year
    # The application row first, then the quota row: every transaction locks in this order.
    moved = await repository.move(
        session,
        application_id,
        from_statuses=["submitted"],
        to_status="approved",
        permit_number=new_number(WORK_PERMIT_PREFIX, today.year, permit.quota_region),
        quota_year=quota_year,
        fee_mci=mci,
        fee_coefficient=coefficient,
        fee_amount=mci * coefficient,
        payment_deadline=payment_deadline,
        rules_applied=merged(permit.rules_applied, applied.refs),
        decided_on=today,
        decided_by=actor,
    )
    if not moved:
        raise conflict(await _reloaded(session, application_id), request.decision)
    permit = await _reloaded(session, application_id)
    if quota_year is not None:
        await ledger.reserve_place(session, _quota_key(permit))  # 409 rolls everything back
    repository.record_step(session, permit.id, action="approved", status="approved", at=now,
                           actor=actor)
    assert permit.fee_amount is not None
    uow.publish(
        WorkPermitApproved(
            **_common(permit),
            decided_on=today,
            decision_due=permit.decision_due,
            within_deadline=today <= permit.decision_due,
            quota_year=quota_year,
            fee_amount=permit.fee_amount,
            fee_mci=mci,
            fee_coefficient=coefficient,
            payment_deadline=payment_deadline,
        )
    )
    return view(permit)


async def withdraw(
    uow: UnitOfWork, application_id: str, *, actor: str | None, now: datetime, today: date
) -> ApplicationOut:
    """The employer withdraws an application or an approved, unpaid permit; a reserved place is
    released."""
    session = uow.session
    permit = await repository.get(session, application_id)
    if permit is None:
        raise not_found()
    if permit.status not in ("submitted", "approved"):
        raise conflict(permit, "withdraw")
    held = permit.status == HOLDS_RESERVATION and not permit.intra_corporate_transfer
    if not await repository.move(session, application_id, from_statuses=[permit.status],
                                 to_status="withdrawn", ended_on=today, end_ground="withdrawn"):
        raise conflict(await _reloaded(session, application_id), "withdraw")
    if held:
        await ledger.release_reservation(session, _quota_key(permit))
    permit = await _reloaded(session, application_id)
    repository.record_step(session, permit.id, action="withdrawn", status="withdrawn", at=now,
                           actor=actor)
    uow.publish(WorkPermitWithdrawn(**_common(permit), withdrawn_on=today, place_released=held))
    return view(permit)


async def _by_number(session: AsyncSession, permit_number: str) -> WorkPermit:
    permit = await repository.by_number(session, permit_number)
    if permit is None:
        raise not_found()
    return permit


async def pay_fee(
    uow: UnitOfWork, permit_number: str, payment: FeePayment, *, now: datetime, today: date
) -> ApplicationOut:
    """The fee paid within the deadline issues the permit and uses its reserved place."""
    session = uow.session
    permit = await _by_number(session, permit_number)
    if permit.status == "lapsed":
        raise Problem(409, "fee.deadline_passed", params={"deadline": permit.payment_deadline})
    if permit.status != "approved":
        raise conflict(permit, "pay")
    assert permit.payment_deadline is not None and permit.fee_amount is not None
    if payment.paid_on > today:
        raise invalid("paid_on", "date_future")
    if payment.paid_on > permit.payment_deadline:
        raise Problem(409, "fee.deadline_passed", params={"deadline": permit.payment_deadline})
    if payment.amount != permit.fee_amount:
        raise invalid("amount", "fee_amount", expected=permit.fee_amount)
    valid_until = term_end(today, years=permit.validity_years)
    if not await repository.move(
        session, permit.id, from_statuses=["approved"], to_status="issued",
        paid_on=payment.paid_on, payment_reference=payment.payment_reference,
        valid_from=today, valid_until=valid_until,
    ):
        raise conflict(await _reloaded(session, permit.id), "pay")
    if not permit.intra_corporate_transfer:
        await ledger.consume_reservation(session, _quota_key(permit))
    permit = await _reloaded(session, permit.id)
    repository.record_step(session, permit.id, action="fee_paid", status="issued", at=now,
                           actor="payment-gateway")
    uow.publish(
        WorkPermitIssued(
            **_common(permit),
            paid_on=payment.paid_on,
            issued_on=today,
            valid_from=today,
            valid_until=valid_until,
            fee_amount=permit.fee_amount or 0,
        )
    )
    return view(permit)


async def extend(
    uow: UnitOfWork,
    permit_number: str,
    *,
    actor: str | None,
    now: datetime,
    today: date,
    rules: RuleBook,
    calendar: WorkingCalendar,
) -> ExtensionOut:
    """Extends an issued permit filed early enough and not extended too often; the checks are
    the rules', so the decision is taken on filing, well within its deadline."""
    session = uow.session
    permit = await _by_number(session, permit_number)
    if permit.status != "issued" or permit.valid_until is None or permit.valid_until < today:
        raise conflict(permit, "extend")
    applied = Applied(rules)
    min_days = applied.integer("work_permit.extension_min_days_before_expiry", today)
    if (permit.valid_until - today).days < min_days:
        raise refused("permit_number", "extension_too_late", days=min_days)
    max_count = applied.integer("work_permit.extension_max_count", today)
    if permit.extensions >= max_count:
        raise refused("permit_number", "extension_limit", max=max_count)
    decision_due = calendar.add_working_days(
        today, applied.integer("work_permit.extension_decision_working_days", today)
    )
    years = applied.integer("work_permit.extension_years", today)
    previous = permit.valid_until
    valid_until = term_end(previous + timedelta(days=1), years=years)
    number = permit.extensions + 1
    if not await repository.move(
        session, permit.id, from_statuses=["issued"], to_status="issued",
        also=[WorkPermit.extensions == permit.extensions],
        valid_until=valid_until, extensions=number,
        rules_applied=merged(permit.rules_applied, applied.refs),
    ):
        raise conflict(await _reloaded(session, permit.id), "extend")
    permit = await _reloaded(session, permit.id)
    repository.record_step(session, permit.id, action="extended", status="issued", at=now,
                           actor=actor)
    uow.publish(
        WorkPermitExtended(
            **_common(permit),
            extended_on=today,
            decision_due=decision_due,
            extension_number=number,
            previous_valid_until=previous,
            valid_until=valid_until,
        )
    )
    return ExtensionOut(
        permit_number=permit_number,
        status="issued",
        extension_number=number,
        decision_due=decision_due,
        decided_on=today,
        previous_valid_until=previous,
        valid_until=valid_until,
        rules_applied=applied.refs,
    )


async def revoke(
    uow: UnitOfWork,
    permit_number: str,
    request: RevocationRequest,
    *,
    actor: str | None,
    authorize: Authorize,
    now: datetime,
    today: date,
) -> ApplicationOut:
    """The akimat revokes an approved or issued permit; an unused reserved place is released."""
    session = uow.session
    permit = await _by_number(session, permit_number)
    authorize(permit.region)
    if permit.status not in ("approved", "issued"):
        raise conflict(permit, "revoke")
    held = permit.status == HOLDS_RESERVATION and not permit.intra_corporate_transfer
    if not await repository.move(session, permit.id, from_statuses=[permit.status],
                                 to_status="revoked", ended_on=today, end_ground=request.ground):
        raise conflict(await _reloaded(session, permit.id), "revoke")
    if held:
        await ledger.release_reservation(session, _quota_key(permit))
    permit = await _reloaded(session, permit.id)
    repository.record_step(session, permit.id, action="revoked", status="revoked", at=now,
                           actor=actor)
    uow.publish(
        WorkPermitRevoked(
            **_common(permit), revoked_on=today, ground=request.ground, place_released=held
        )
    )
    return view(permit)


# ------------------------------------------------------------------------------------------
# Deadlines (run by the periodic job; running them twice changes and publishes nothing new)


async def lapse_unpaid(uow: UnitOfWork, *, today: date, now: datetime, batch: int = 500) -> int:
    """Approved permits whose fee was not paid by the deadline lapse; their places are released."""
    session = uow.session
    lapsed = 0
    for permit in await repository.unpaid_past_deadline(session, today, batch):
        if not await repository.move(session, permit.id, from_statuses=["approved"],
                                     to_status="lapsed", ended_on=today, end_ground="fee_unpaid"):
            continue  # paid or withdrawn meanwhile
        released = not permit.intra_corporate_transfer
        if released:
            await ledger.release_reservation(session, _quota_key(permit))
        repository.record_step(session, permit.id, action="lapsed", status="lapsed", at=now,
                               actor="deadline")
        assert permit.payment_deadline is not None
        uow.publish(
            WorkPermitLapsed(
                **_common(permit),
                lapsed_on=today,
                payment_deadline=permit.payment_deadline,
                place_released=released,
            )
        )
        lapsed += 1
    return lapsed


async def expire(uow: UnitOfWork, *, today: date, now: datetime, batch: int = 500) -> int:
    """Issued permits past their last valid day expire."""
    session = uow.session
    expired = 0
    for permit in await repository.past_validity(session, today, batch):
        if not await repository.move(session, permit.id, from_statuses=["issued"],
                                     to_status="expired", ended_on=today, end_ground="expired"):
            continue
        assert permit.valid_until is not None
        repository.record_step(session, permit.id, action="expired", status="expired", at=now,
                               actor="deadline")
        uow.publish(
            WorkPermitExpired(**_common(permit), expired_on=today, valid_until=permit.valid_until)
        )
        expired += 1
    return expired
