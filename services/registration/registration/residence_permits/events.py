"""Events the residence-permits module publishes (topic `koshqon.registration.residence-permits`),
keyed by the application id."""

from datetime import date
from typing import ClassVar

from pydantic import Field

from shared.events import DomainEvent

TOPIC = "koshqon.registration.residence-permits"


class _PermitEvent(DomainEvent):
    service: ClassVar[str] = "registration"
    topic: ClassVar[str] = TOPIC

    application_id: str = Field(description="The TRP application's id (the aggregate id)")
    person_id: str = Field(description="Pseudonymous id of the foreigner; no personal data")
    citizenship: str = Field(description="ISO 3166-1 alpha-3 citizenship")
    region: str = Field(description="KATO code of the region of residence")
    basis_kind: str = Field(description="work_permit or contract")

    def aggregate_id(self) -> str:
        return self.application_id


class ResidencePermitSubmitted(_PermitEvent):
    """A foreigner applied for a temporary residence permit for work."""

    name: ClassVar[str] = "residence-permit.submitted"

    submitted_on: date = Field(description="Date of the application (Astana time)")
    decision_due: date = Field(description="Last working day for the decision")


class ResidencePermitIssued(_PermitEvent):
    """The TRP was issued; the holder may stay until its end."""

    name: ClassVar[str] = "residence-permit.issued"

    permit_number: str = Field(description="The permit's number (publicly verifiable)")
    valid_from: date = Field(description="First day of validity")
    valid_until: date = Field(description="Last day of validity")
    decided_on: date = Field(description="Date of the decision")
    within_deadline: bool = Field(description="True when decided on or before the deadline")


class ResidencePermitRefused(_PermitEvent):
    """The TRP application was refused."""

    name: ClassVar[str] = "residence-permit.refused"

    reason: str = Field(description="Coded reason of the refusal")
    decided_on: date = Field(description="Date of the decision")
    within_deadline: bool = Field(description="True when decided on or before the deadline")
