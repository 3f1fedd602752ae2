"""Events of regional resettlement (topic `koshqon.diaspora.resettlement`, key: resettlement id, or
`<year>/<region>` for quotas). No names: pseudonymous applicant id, region, family size, amounts."""

from datetime import date
from typing import ClassVar

from pydantic import BaseModel, Field

from shared.events import DomainEvent

TOPIC = "koshqon.diaspora.resettlement"


class QuotaSet(DomainEvent):
    """The ministry set a region's resettlement quota for a year."""

    service: ClassVar[str] = "diaspora"
    name: ClassVar[str] = "resettlement.quota-set"
    topic: ClassVar[str] = TOPIC

    year: int = Field(description="Year of the quota")
    region: str = Field(description="KATO code of the receiving region")
    places: int = Field(description="Families the region receives in the year")
    allocated: int = Field(description="Places already taken by approvals")

    def aggregate_id(self) -> str:
        return f"{self.year}/{self.region}"


class ResettlementEvent(DomainEvent):
    service: ClassVar[str] = "diaspora"
    topic: ClassVar[str] = TOPIC

    resettlement_id: str = Field(description="The resettlement application's id (aggregate id)")
    application_id: str = Field(description="The family's kandas application")
    applicant_id: str = Field(description="Pseudonymous id of the applicant")
    country_of_origin: str = Field(description="ISO 3166-1 alpha-3")
    region: str = Field(description="KATO code of the receiving region")
    family_size: int = Field(description="Members of the family, the applicant included")

    def aggregate_id(self) -> str:
        return self.resettlement_id


class ResettlementApplied(ResettlementEvent):
    """A kandas family applied to resettle in a quota region."""

    name: ClassVar[str] = "resettlement.applied"
    applied_on: date = Field(description="Day of the application")


class ResettlementApproved(ResettlementEvent):
    """Approved: the family took one place of the region's quota for the year."""

    name: ClassVar[str] = "resettlement.approved"
    decided_on: date = Field(description="Day of the decision")
    quota_year: int = Field(description="Year of the quota the place was taken from")


class ResettlementRefused(ResettlementEvent):
    """Refused (the quota is not touched)."""

    name: ClassVar[str] = "resettlement.refused"
    decided_on: date = Field(description="Day of the decision")


class ScheduledPayment(BaseModel):
    sequence: int
    kind: str = Field(description="one_time (per family member) or rent (monthly)")
    due_on: date
    amount_mci: int
    amount_tenge: int


class SupportScheduled(ResettlementEvent):
    """The family's support payments, computed from the rule table at the decision date's MCI."""

    name: ClassVar[str] = "resettlement.support-scheduled"
    mci_tenge: int = Field(description="The MCI in tenge that applied")
    total_tenge: int = Field(description="Sum of all payments in tenge")
    payments: list[ScheduledPayment] = Field(
        description="The payments, one-time first, then monthly rent"
    )
    rules_applied: list[str] = Field(description="Rule versions of the amounts")
