"""Events of labour-immigrant permits (topic `koshqon.permits.labour-immigrant-permits`), keyed
by the permit number. The Social Health Insurance Fund subscribes to them: the foreigner is the
pseudonymous `person_id`; no names, passport numbers, addresses or the employer's IIN."""

from datetime import date
from typing import ClassVar

from pydantic import Field

from shared.events import DomainEvent

TOPIC = "koshqon.permits.labour-immigrant-permits"


class LabourImmigrantPermitEvent(DomainEvent):
    service: ClassVar[str] = "permits"
    topic: ClassVar[str] = TOPIC

    permit_number: str = Field(description="The permit's number (the aggregate id)")
    person_id: str = Field(description="Pseudonymous id of the labour immigrant (registration's)")
    citizenship: str = Field(description="ISO 3166-1 alpha-3 citizenship")
    region: str = Field(description="KATO code of the region of the household employer")
    category: str = Field(default="labour-immigrant", description="Always labour-immigrant")

    def aggregate_id(self) -> str:
        return self.permit_number


class LabourImmigrantPermitIssued(LabourImmigrantPermitEvent):
    """A permit was issued against the individual income tax prepaid for its first months."""

    name: ClassVar[str] = "labour-immigrant-permit.issued"

    issued_on: date = Field(description="Date the permit was issued")
    valid_from: date = Field(description="First day of validity")
    paid_until: date = Field(description="Last day of the prepaid period")
    months_paid: int = Field(description="Months paid so far")
    quota_year: int = Field(description="Year of the labour-immigrant quota place used")


class LabourImmigrantPermitPaid(LabourImmigrantPermitEvent):
    """A monthly prepayment extended the paid period (and revived a lapsed permit if allowed)."""

    name: ClassVar[str] = "labour-immigrant-permit.paid"

    paid_on: date = Field(description="Date of the payment")
    months: int = Field(description="Months this payment covers")
    months_paid: int = Field(description="Months paid so far, this payment included")
    paid_from: date = Field(description="First day of the months this payment covers")
    paid_until: date = Field(description="Last day of the prepaid period after this payment")
    revived: bool = Field(description="True when the payment revived a lapsed permit")


class LabourImmigrantPermitLapsed(LabourImmigrantPermitEvent):
    """The prepaid period ended without a further payment: the permit is no longer valid."""

    name: ClassVar[str] = "labour-immigrant-permit.lapsed"

    lapsed_on: date = Field(description="Date the lapse was recorded")
    paid_until: date = Field(description="Last day of the prepaid period")
    months_paid: int = Field(description="Months paid in all")


class LabourImmigrantPermitEmployerChanged(LabourImmigrantPermitEvent):
    """The labour immigrant now works for another individual (who is not named here)."""

    name: ClassVar[str] = "labour-immigrant-permit.employer-changed"

    changed_on: date = Field(description="Date the change was notified")
