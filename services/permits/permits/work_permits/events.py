"""Events of employers' work permits (topic `koshqon.permits.work-permits`), keyed by the
application id so that one permit's events stay in order. No names, passport numbers or
addresses: the foreigner is the pseudonymous `person_id` that registration assigns."""

from datetime import date
from typing import ClassVar

from pydantic import Field

from shared.events import DomainEvent

TOPIC = "koshqon.permits.work-permits"


class WorkPermitEvent(DomainEvent):
    service: ClassVar[str] = "permits"
    topic: ClassVar[str] = TOPIC

    application_id: str = Field(description="The application's id (the aggregate id)")
    permit_number: str | None = Field(
        default=None, description="The permit's number, once approved"
    )
    person_id: str = Field(description="Pseudonymous id of the foreign worker (registration's)")
    citizenship: str = Field(description="ISO 3166-1 alpha-3 citizenship of the worker")
    region: str = Field(description="KATO code of the region where the permit is valid")
    category: str = Field(description="Category of position: 1, 2, 3, 4 or seasonal")
    employer_bin: str = Field(description="BIN of the employer")
    intra_corporate_transfer: bool = Field(
        description="An intra-corporate transfer, outside the quota"
    )

    def aggregate_id(self) -> str:
        return self.application_id


class WorkPermitApplied(WorkPermitEvent):
    """An employer applied for a permit for one foreign worker."""

    name: ClassVar[str] = "work-permit.applied"

    occupation: str = Field(description="Occupation code of the position")
    sector: str = Field(description="OKED section letter of the employer's activity")
    submitted_on: date = Field(description="Date the application was received")
    decision_due: date = Field(description="Last day of the akimat's decision")


class WorkPermitApproved(WorkPermitEvent):
    """The akimat approved the application: a quota place is reserved and a fee notice issued."""

    name: ClassVar[str] = "work-permit.approved"

    decided_on: date = Field(description="Date of the akimat's decision")
    decision_due: date = Field(description="Last day the decision was due")
    within_deadline: bool = Field(description="True when decided on or before the due day")
    quota_year: int | None = Field(description="Year of the quota place reserved (null: ICT)")
    fee_amount: int = Field(description="Fee to pay, in tenge")
    fee_mci: int = Field(description="The MCI (tenge) the fee was computed with")
    fee_coefficient: int = Field(description="The fee in MCI")
    payment_deadline: date = Field(description="Last day to pay the fee")


class WorkPermitRefused(WorkPermitEvent):
    """The application was refused, by the rules on filing or by the akimat's officer."""

    name: ClassVar[str] = "work-permit.refused"

    decided_on: date = Field(description="Date of the refusal")
    refused_by: str = Field(description="rules (checked on filing) or officer")
    reasons: list[str] = Field(description="Codes of the grounds of refusal")


class WorkPermitWithdrawn(WorkPermitEvent):
    """The employer withdrew the application or the approved, unpaid permit."""

    name: ClassVar[str] = "work-permit.withdrawn"

    withdrawn_on: date = Field(description="Date of the withdrawal")
    place_released: bool = Field(description="True when a reserved quota place was released")


class WorkPermitIssued(WorkPermitEvent):
    """The fee was paid: the permit is issued and its quota place is used."""

    name: ClassVar[str] = "work-permit.issued"

    paid_on: date = Field(description="Date the fee was paid")
    issued_on: date = Field(description="Date the permit was issued")
    valid_from: date = Field(description="First day of validity")
    valid_until: date = Field(description="Last day of validity")
    fee_amount: int = Field(description="Fee paid, in tenge")


class WorkPermitLapsed(WorkPermitEvent):
    """The fee was not paid in time: the permit lapsed and its reserved place was released."""

    name: ClassVar[str] = "work-permit.lapsed"

    lapsed_on: date = Field(description="Date the permit lapsed")
    payment_deadline: date = Field(description="Last day the fee could be paid")
    place_released: bool = Field(description="True when the reserved quota place was released")


class WorkPermitExtended(WorkPermitEvent):
    """The permit was extended."""

    name: ClassVar[str] = "work-permit.extended"

    extended_on: date = Field(description="Date the extension was filed and decided")
    decision_due: date = Field(description="Last day the extension's decision was due")
    extension_number: int = Field(description="1 for the first extension, and so on")
    previous_valid_until: date = Field(description="Last day of validity before the extension")
    valid_until: date = Field(description="Last day of validity after the extension")


class WorkPermitRevoked(WorkPermitEvent):
    """The akimat revoked the permit."""

    name: ClassVar[str] = "work-permit.revoked"

    revoked_on: date = Field(description="Date of the revocation")
    ground: str = Field(description="Code of the ground of revocation")
    place_released: bool = Field(description="True when a reserved (unused) place was released")


class WorkPermitExpired(WorkPermitEvent):
    """The permit reached the end of its validity."""

    name: ClassVar[str] = "work-permit.expired"

    expired_on: date = Field(description="Date the expiry was recorded")
    valid_until: date = Field(description="Last day the permit was valid")
