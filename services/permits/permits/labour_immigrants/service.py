"""Labour-immigrant permits: issued at a PSC against the individual income tax prepaid for 1 to
12 months, to a present foreigner of an eligible citizenship, at most N per individual employer;
each payment extends the paid period; the permit lapses when the paid period ends."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from permits.dates import term_end
from permits.labour_immigrants import repository
from permits.labour_immigrants.events import (
    LabourImmigrantPermitEmployerChanged,
    LabourImmigrantPermitIssued,
    LabourImmigrantPermitLapsed,
    LabourImmigrantPermitPaid,
)
from permits.labour_immigrants.models import LabourImmigrantPayment, LabourImmigrantPermit
from permits.labour_immigrants.schemas import (
    EmployerChange,
    MonthlyPayment,
    PermitOut,
    PermitRequest,
    TaxComputation,
    TaxPayment,
)
from permits.numbers import LABOUR_IMMIGRANT_PREFIX, new_number
from permits.presence import repository as presence
from permits.quotas import service as ledger
from permits.quotas.repository import QuotaKey
from permits.quotas.schemas import LABOUR_IMMIGRANT
from permits.regions import quota_region
from permits.rulebook import Applied, merged
from shared.errors import FieldError, Problem, invalid, not_found
from shared.outbox import UnitOfWork
from shared.rules import RuleBook


def refusal(errors: list[FieldError]) -> Problem:
    return Problem(422, "permit.refused", params={"count": len(errors)}, errors=errors)


def tax_due(months: int, paid_on: date, applied: Applied) -> TaxComputation:
    """The tax for `months`: MCI per month (of the payment's date) times the MCI of its year."""
    mci = applied.integer("mci.tenge", paid_on)
    rate = applied.integer("labour_immigrant.tax_mci_per_month", paid_on)
    return TaxComputation(mci=mci, rate_mci=rate, months=months, amount=months * rate * mci)


def _common(permit: LabourImmigrantPermit) -> dict[str, Any]:
    return {
        "permit_number": permit.permit_number,
        "person_id": permit.person_id,
        "citizenship": permit.citizenship,
        "region": permit.region,
    }


def view(permit: LabourImmigrantPermit, tax: TaxComputation | None = None) -> PermitOut:
    return PermitOut(
        permit_number=permit.permit_number,
        status=permit.status,
        person_id=permit.person_id,
        citizenship=permit.citizenship,
        region=permit.region,
        issued_on=permit.issued_on,
        paid_until=permit.paid_until,
        months_paid=permit.months_paid,
        lapsed_on=permit.lapsed_on,
        last_payment=tax,
        rules_applied=list(permit.rules_applied),
    )


def _payment_row(
    permit_number: str, payment: TaxPayment, tax: TaxComputation, *, start: date, end: date,
    at: datetime,
) -> LabourImmigrantPayment:
    return LabourImmigrantPayment(
        permit_number=permit_number,
        payment_reference=payment.payment_reference,
        months=tax.months,
        amount=payment.amount,
        mci=tax.mci,
        rate_mci=tax.rate_mci,
        paid_on=payment.paid_on,
        period_from=start,
        period_until=end,
        recorded_at=at,
    )


async def _check_payment(
    session: AsyncSession, payment: TaxPayment, months: int, today: date, applied: Applied,
    field: str,
) -> TaxComputation:
    if payment.paid_on > today:
        raise invalid(f"{field}paid_on", "date_future")
    if await repository.payment_recorded(session, payment.payment_reference):
        raise invalid(f"{field}payment_reference", "duplicate")
    tax = tax_due(months, payment.paid_on, applied)
    if payment.amount != tax.amount:
        raise invalid(f"{field}amount", "fee_amount", expected=tax.amount)
    return tax


async def _check_employer(
    session: AsyncSession, iin: str, today: date, applied: Applied, at: datetime
) -> None:
    await repository.lock_employer(session, iin, at)
    most = applied.integer("labour_immigrant.max_per_employer", today)
    if await repository.active_for_employer(session, iin) >= most:
        raise refusal([FieldError("employer_iin", "employer_limit", {"max": most})])


async def issue(
    uow: UnitOfWork, request: PermitRequest, *, now: datetime, today: date, rules: RuleBook
) -> PermitOut:
    """Issues a permit for the months prepaid, or refuses it (422) and records nothing."""
    session = uow.session
    applied = Applied(rules)
    foreigner = request.foreigner
    if foreigner.birth_date >= today:
        raise invalid("foreigner.birth_date", "date_future")

    errors: list[FieldError] = []
    if foreigner.citizenship not in applied.strings(
        "labour_immigrant.eligible_citizenships", today
    ):
        errors.append(FieldError("foreigner.citizenship", "citizenship_not_eligible"))
    term = applied.mapping("labour_immigrant.permit_months", today)
    shortest, longest = int(term["min"]), int(term["max"])
    if not shortest <= request.months <= longest:
        errors.append(FieldError("months", "months_range", {"min": shortest, "max": longest}))
    present = await presence.current(session, foreigner.person_id, today)
    if present is None:
        errors.append(FieldError("foreigner.person_id", "not_present"))
    elif present.citizenship != foreigner.citizenship:
        errors.append(FieldError("foreigner.citizenship", "citizenship_mismatch"))
    if await repository.active_for_person(session, foreigner.person_id) is not None:
        errors.append(FieldError("foreigner.person_id", "already_permitted"))
    if errors:
        raise refusal(errors)
    tax = await _check_payment(session, request.payment, request.months, today, applied,
                               "payment.")
    await _check_employer(session, request.employer_iin, today, applied, now)

    region = quota_region(request.region)
    await ledger.use_place(session, QuotaKey(today.year, region, LABOUR_IMMIGRANT))
    paid_until = term_end(today, months=request.months)
    permit = LabourImmigrantPermit(
        permit_number=new_number(LABOUR_IMMIGRANT_PREFIX, today.year, region),
        status="active",
        person_id=foreigner.person_id,
        citizenship=foreigner.citizenship,
        birth_date=foreigner.birth_date,
        employer_iin=request.employer_iin,
        region=request.region,
        quota_region=region,
        quota_year=today.year,
        issued_at=now,
        issued_on=today,
        paid_until=paid_until,
        months_paid=request.months,
        lapsed_on=None,
        rules_applied=applied.refs,
    )
    repository.add(
        session,
        permit,
        _payment_row(permit.permit_number, request.payment, tax, start=today, end=paid_until,
                     at=now),
    )
    uow.publish(
        LabourImmigrantPermitIssued(
            **_common(permit),
            issued_on=today,
            valid_from=today,
            paid_until=paid_until,
            months_paid=request.months,
            quota_year=today.year,
        )
    )
    return view(permit, tax)


async def _get(session: AsyncSession, permit_number: str) -> LabourImmigrantPermit:
    permit = await repository.get(session, permit_number)
    if permit is None:
        raise not_found()
    return permit


async def pay(
    uow: UnitOfWork,
    permit_number: str,
    payment: MonthlyPayment,
    *,
    now: datetime,
    today: date,
    rules: RuleBook,
) -> PermitOut:
    """A prepayment extends the paid period without a gap, up to the most months a permit may
    have; it revives a lapsed permit only within the rules' grace period."""
    session = uow.session
    permit = await _get(session, permit_number)
    applied = Applied(rules)
    tax = await _check_payment(session, payment, payment.months, today, applied, "")
    most = int(applied.mapping("labour_immigrant.permit_months", today)["max"])
    if permit.months_paid + payment.months > most:
        raise refusal([FieldError("months", "months_total", {"max": most})])
    revived = permit.status == "lapsed"
    if revived:
        grace = applied.integer("labour_immigrant.revival_grace_days", payment.paid_on)
        if payment.paid_on > permit.paid_until + timedelta(days=grace):
            raise refusal([FieldError("paid_on", "revival_not_allowed")])
        if await repository.active_for_person(session, permit.person_id) is not None:
            raise refusal([FieldError("permit_number", "already_permitted")])
        await _check_employer(session, permit.employer_iin, today, applied, now)
    paid_from = permit.paid_until + timedelta(days=1)
    paid_until = term_end(paid_from, months=payment.months)
    months_paid = permit.months_paid + payment.months
    refs = merged(permit.rules_applied, applied.refs)
    if not await repository.move(
        session,
        permit_number,
        also=[
            LabourImmigrantPermit.status == permit.status,
            LabourImmigrantPermit.paid_until == permit.paid_until,
        ],
        status="active",
        paid_until=paid_until,
        months_paid=months_paid,
        lapsed_on=None,
        rules_applied=refs,
    ):
        raise Problem(409, "permit.state", params={"status": permit.status, "action": "pay"})
    repository.add(
        session,
        _payment_row(permit_number, payment, tax, start=paid_from, end=paid_until, at=now),
    )
    permit = await _get(session, permit_number)
    uow.publish(
        LabourImmigrantPermitPaid(
            **_common(permit),
            paid_on=payment.paid_on,
            months=payment.months,
            months_paid=months_paid,
            paid_from=paid_from,
            paid_until=paid_until,
            revived=revived,
        )
    )
    return view(permit, tax)


async def change_employer(
    uow: UnitOfWork,
    permit_number: str,
    change: EmployerChange,
    *,
    now: datetime,
    today: date,
    rules: RuleBook,
) -> PermitOut:
    """The immigrant moves to another individual employer, who must have room for one more."""
    session = uow.session
    permit = await _get(session, permit_number)
    if permit.status != "active":
        raise Problem(409, "permit.state", params={"status": permit.status, "action": "change"})
    applied = Applied(rules)
    if change.employer_iin != permit.employer_iin:
        await _check_employer(session, change.employer_iin, today, applied, now)
    values: dict[str, object] = {"employer_iin": change.employer_iin}
    if change.region is not None:
        values["region"] = change.region
    if not await repository.move(
        session, permit_number, also=[LabourImmigrantPermit.status == "active"], **values
    ):
        raise Problem(409, "permit.state", params={"status": "lapsed", "action": "change"})
    permit = await _get(session, permit_number)
    uow.publish(LabourImmigrantPermitEmployerChanged(**_common(permit), changed_on=today))
    return view(permit)


async def lapse_ended(uow: UnitOfWork, *, today: date, batch: int = 500) -> int:
    """Permits whose paid period ended before `today` lapse; each publishes `lapsed` once."""
    session = uow.session
    lapsed = 0
    for permit in await repository.paid_period_ended(session, today, batch):
        if not await repository.move(
            session,
            permit.permit_number,
            also=[
                LabourImmigrantPermit.status == "active",
                LabourImmigrantPermit.paid_until < today,
            ],
            status="lapsed",
            lapsed_on=today,
        ):
            continue  # paid meanwhile
        uow.publish(
            LabourImmigrantPermitLapsed(
                **_common(permit),
                lapsed_on=today,
                paid_until=permit.paid_until,
                months_paid=permit.months_paid,
            )
        )
        lapsed += 1
    return lapsed
