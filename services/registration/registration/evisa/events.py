"""Events the e-Visa module publishes (topic `koshqon.registration.evisa`), keyed by the
application id so that one application's events stay in order."""

from datetime import date
from typing import ClassVar

from pydantic import Field

from shared.events import DomainEvent

TOPIC = "koshqon.registration.evisa"


class _EvisaEvent(DomainEvent):
    service: ClassVar[str] = "registration"
    topic: ClassVar[str] = TOPIC

    application_id: str = Field(description="The e-Visa application's id (the aggregate id)")
    person_id: str = Field(description="Pseudonymous id of the applicant; no personal data")
    citizenship: str = Field(description="ISO 3166-1 alpha-3 citizenship of the applicant")
    category: str = Field(description="business, tourism, medical_treatment or private")

    def aggregate_id(self) -> str:
        return self.application_id


class EvisaSubmitted(_EvisaEvent):
    """A foreigner applied for an e-Visa with an invitation; the review deadline started."""

    name: ClassVar[str] = "evisa.submitted"

    invitation_number: str = Field(description="The invitation the application relies on")
    planned_entry: date = Field(description="Planned date of entry")
    submitted_on: date = Field(description="Date of the complete application (Astana time)")
    decision_due: date = Field(description="Last working day for the officer's decision")


class EvisaIssued(_EvisaEvent):
    """An officer approved the application; the visa was issued."""

    name: ClassVar[str] = "evisa.issued"

    visa_number: str = Field(description="The visa's number (publicly verifiable)")
    valid_from: date = Field(description="First day the visa allows entry")
    valid_until: date = Field(description="Last day of the visa (and of a stay on it)")
    entries: int = Field(description="Entries allowed (an e-Visa allows one)")
    decided_on: date = Field(description="Date of the decision")
    within_deadline: bool = Field(description="True when decided on or before the deadline")


class EvisaRefused(_EvisaEvent):
    """An officer refused the application."""

    name: ClassVar[str] = "evisa.refused"

    reason: str = Field(description="Coded reason of the refusal")
    decided_on: date = Field(description="Date of the decision")
    within_deadline: bool = Field(description="True when decided on or before the deadline")


class EvisaUsed(_EvisaEvent):
    """The holder entered Kazakhstan on the visa (its single entry is used)."""

    name: ClassVar[str] = "evisa.used"

    visa_number: str = Field(description="The visa's number")
    entry_date: date = Field(description="Date of entry on the visa")
    stay_id: str = Field(description="The stay the entry opened")


class EvisaExpired(_EvisaEvent):
    """An issued visa ran out without being used for an entry."""

    name: ClassVar[str] = "evisa.expired"

    visa_number: str = Field(description="The visa's number")
    valid_until: date = Field(description="Last day the visa was valid")
