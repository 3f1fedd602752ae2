"""Regional resettlement of kandas families: yearly quotas per labour-deficit region, approval that
takes one place atomically, and support computed from the rule table and published as a schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from diaspora.access import Authorize
from diaspora.dates import add_months
from diaspora.identifiers import new_id
from diaspora.kandas import repository as kandas_repository
from diaspora.resettlement import repository
from diaspora.resettlement.events import (
    QuotaSet,
    ResettlementApplied,
    ResettlementApproved,
    ResettlementEvent,
    ResettlementRefused,
    ScheduledPayment,
    SupportScheduled,
)
from diaspora.resettlement.models import ResettlementApplication, ResettlementQuota, SupportPayment
from diaspora.resettlement.schemas import (
    QuotaOut,
    ResettlementDecision,
    ResettlementOut,
    ResettlementRequest,
)
from shared.errors import Problem, invalid
from shared.outbox import UnitOfWork
from shared.rules import RuleBook, RuleNotInForce

REGIONS_RULE = "resettlement.regions"
ONE_TIME_RULE = "resettlement.one_time_support_mci_per_member"
RENT_RULE = "resettlement.rent_support_mci_per_month"
RENT_MONTHS_RULE = "resettlement.rent_support_months"
MCI_RULE = "mci.tenge"


def quota_regions(on: date, rules: RuleBook) -> list[str]:
    try:
        return [str(code) for code in rules.at(REGIONS_RULE, on).value]  # type: ignore[union-attr]
    except RuleNotInForce:
        return []


@dataclass(frozen=True)
class SupportSchedule:
    mci_tenge: int
    payments: list[ScheduledPayment]
    rules_applied: list[str]

    @property
    def total_tenge(self) -> int:
        return sum(p.amount_tenge for p in self.payments)


def rent_range(on: date, rules: RuleBook) -> tuple[int, int]:
    value = rules.at(RENT_RULE, on).value
    assert isinstance(value, dict)
    return int(value["min"]), int(value["max"])  # type: ignore[arg-type]


def support_schedule(
    decided_on: date, family_size: int, rent_mci_per_month: int, rules: RuleBook
) -> SupportSchedule:
    """One payment per family member's one-time support, then the monthly rent support; every
    amount at the MCI in force on the decision date."""
    mci = rules.at(MCI_RULE, decided_on)
    one_time = rules.at(ONE_TIME_RULE, decided_on)
    rent = rules.at(RENT_RULE, decided_on)
    months = rules.at(RENT_MONTHS_RULE, decided_on)
    low, high = rent_range(decided_on, rules)
    if not low <= rent_mci_per_month <= high:
        raise invalid("rent_mci_per_month", "amount_out_of_range", min=low, max=high)
    mci_tenge = int(mci.value)  # type: ignore[arg-type]
    one_time_mci = int(one_time.value) * family_size  # type: ignore[arg-type]
    payments = [
        ScheduledPayment(
            sequence=1,
            kind="one_time",
            due_on=decided_on,
            amount_mci=one_time_mci,
            amount_tenge=one_time_mci * mci_tenge,
        )
    ]
    for month in range(int(months.value)):  # type: ignore[arg-type]
        payments.append(
            ScheduledPayment(
                sequence=month + 2,
                kind="rent",
                due_on=add_months(decided_on, month),
                amount_mci=rent_mci_per_month,
                amount_tenge=rent_mci_per_month * mci_tenge,
            )
        )
    return SupportSchedule(mci_tenge, payments, [mci.ref, one_time.ref, rent.ref, months.ref])


async def set_quota(
    uow: UnitOfWork, year: int, region: str, places: int, *, at: datetime, rules: RuleBook
) -> ResettlementQuota:
    """The ministry sets a region's quota; never below the places already allocated."""
    if region not in quota_regions(date(year, 12, 31), rules):
        raise invalid("region", "region_not_in_programme")
    quota = await repository.set_quota(uow.session, year, region, places, at)
    if quota is None:
        raise Problem(409, "resettlement.quota_below_allocated")
    uow.publish(QuotaSet(year=year, region=region, places=quota.places, allocated=quota.allocated))
    return quota


def quota_view(quota: ResettlementQuota) -> QuotaOut:
    return QuotaOut(
        year=quota.year,
        region=quota.region,
        places=quota.places,
        allocated=quota.allocated,
        remaining=quota.places - quota.allocated,
    )


def _event(
    cls: type[ResettlementEvent], row: ResettlementApplication, **fields: object
) -> ResettlementEvent:
    return cls.model_validate(
        {
            "resettlement_id": row.id,
            "application_id": row.application_id,
            "applicant_id": row.applicant_id,
            "country_of_origin": row.country_of_origin,
            "region": row.region,
            "family_size": row.family_size,
            **fields,
        }
    )


async def apply(
    uow: UnitOfWork, request: ResettlementRequest, *, today: date, rules: RuleBook
) -> ResettlementApplication:
    """A family with kandas status applies to resettle in a quota region."""
    if request.region not in quota_regions(today, rules):
        raise invalid("region", "region_not_in_programme")
    kandas = await kandas_repository.get_for_update(uow.session, request.application_id)
    if kandas is None:
        raise Problem(404, "kandas.not_found")
    if kandas.status not in kandas_repository.IN_FORCE:
        raise Problem(409, "resettlement.status_not_in_force", params={"status": kandas.status})
    if await repository.open_for(uow.session, kandas.id) is not None:
        raise Problem(409, "resettlement.already_applied")
    row = ResettlementApplication(
        id=new_id(),
        application_id=kandas.id,
        applicant_id=kandas.applicant_id,
        country_of_origin=kandas.country_of_origin,
        region=request.region,
        family_size=kandas.family_size,
        status="submitted",
        applied_on=today,
        rules_applied=[],
    )
    repository.add(uow.session, row)
    uow.publish(_event(ResettlementApplied, row, applied_on=today))
    return row


async def decide(
    uow: UnitOfWork,
    resettlement_id: str,
    request: ResettlementDecision,
    *,
    today: date,
    rules: RuleBook,
    authorize: Authorize,
) -> ResettlementApplication:
    """Approve (takes one place of this year's quota, schedules support) or refuse."""
    row = await repository.get(uow.session, resettlement_id)
    if row is None:
        raise Problem(404, "resettlement.not_found")
    authorize(row.region)
    if request.decision == "refuse":
        if not await repository.claim_for_decision(uow.session, row.id, "refused"):
            raise Problem(409, "resettlement.already_decided")
        row.status, row.decided_on, row.refusal_reason = "refused", today, request.reason
        uow.publish(_event(ResettlementRefused, row, decided_on=today))
        return row
    if request.rent_mci_per_month is None:
        raise invalid("rent_mci_per_month", "missing")
    schedule = support_schedule(today, row.family_size, request.rent_mci_per_month, rules)
    if not await repository.claim_for_decision(uow.session, row.id, "approved"):
        raise Problem(409, "resettlement.already_decided")
    if not await repository.take_place(uow.session, today.year, row.region):
        # Raising rolls the claim back too: the application stays submitted.
        raise Problem(
            409, "resettlement.quota_exhausted", params={"year": today.year, "region": row.region}
        )
    row.status, row.decided_on, row.quota_year = "approved", today, today.year
    row.rent_mci_per_month = request.rent_mci_per_month
    row.mci_tenge, row.total_tenge = schedule.mci_tenge, schedule.total_tenge
    row.rules_applied = [*schedule.rules_applied]
    for payment in schedule.payments:
        repository.add(uow.session, SupportPayment(resettlement_id=row.id, **payment.model_dump()))
    uow.publish(_event(ResettlementApproved, row, decided_on=today, quota_year=today.year))
    uow.publish(
        _event(
            SupportScheduled,
            row,
            mci_tenge=schedule.mci_tenge,
            total_tenge=schedule.total_tenge,
            payments=schedule.payments,
            rules_applied=schedule.rules_applied,
        )
    )
    return row


def view(row: ResettlementApplication, payments: list[SupportPayment]) -> ResettlementOut:
    return ResettlementOut(
        resettlement_id=row.id,
        application_id=row.application_id,
        region=row.region,
        family_size=row.family_size,
        status=row.status,  # type: ignore[arg-type]
        applied_on=row.applied_on,
        decided_on=row.decided_on,
        quota_year=row.quota_year,
        rent_mci_per_month=row.rent_mci_per_month,
        mci_tenge=row.mci_tenge,
        total_tenge=row.total_tenge,
        payments=[
            ScheduledPayment(
                sequence=p.sequence,
                kind=p.kind,
                due_on=p.due_on,
                amount_mci=p.amount_mci,
                amount_tenge=p.amount_tenge,
            )
            for p in payments
        ],
        rules_applied=list(row.rules_applied),
    )
