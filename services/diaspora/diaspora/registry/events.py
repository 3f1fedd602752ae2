"""Events of the diaspora registry (topic `koshqon.diaspora.registry`, key: the record's id).

No names, e-mail addresses, phone numbers or free text: ids, countries, kinds, skills, dates.
"""

from datetime import date
from typing import ClassVar

from pydantic import Field

from shared.events import DomainEvent

TOPIC = "koshqon.diaspora.registry"


class RegistryEvent(DomainEvent):
    service: ClassVar[str] = "diaspora"
    topic: ClassVar[str] = TOPIC


class OrganisationRegistered(RegistryEvent):
    """A diaspora organisation abroad was registered."""

    name: ClassVar[str] = "organisation.registered"
    organisation_id: str = Field(description="The organisation's id (the aggregate id)")
    country: str = Field(description="ISO 3166-1 alpha-3 country of the organisation")
    kind: str = Field(description="Kind of the record")
    registered_on: date = Field(description="Day of registration")

    def aggregate_id(self) -> str:
        return self.organisation_id


class OrganisationStatusChanged(RegistryEvent):
    """An organisation became active or inactive."""

    name: ClassVar[str] = "organisation.status-changed"
    organisation_id: str = Field(description="The organisation's id (the aggregate id)")
    status: str = Field(description="The new status")
    changed_on: date = Field(description="Day of the change")

    def aggregate_id(self) -> str:
        return self.organisation_id


class CompatriotRegistered(RegistryEvent):
    """A compatriot abroad registered voluntarily, with explicit consent."""

    name: ClassVar[str] = "compatriot.registered"
    compatriot_id: str = Field(description="Pseudonymous id; no personal data")
    country: str = Field(description="ISO 3166-1 alpha-3 country of residence")
    skills: list[str] = Field(description="Professional skills, normalised to lower case")
    registered_on: date = Field(description="Day of registration")

    def aggregate_id(self) -> str:
        return self.compatriot_id


class CompatriotConsentWithdrawn(RegistryEvent):
    """Consent withdrawn: the compatriot left search and their contact data was erased.
    Subscribers that keep any copy erase it too."""

    name: ClassVar[str] = "compatriot.consent-withdrawn"
    compatriot_id: str = Field(description="Pseudonymous id of the compatriot; no personal data")
    withdrawn_on: date = Field(description="Day of the withdrawal")

    def aggregate_id(self) -> str:
        return self.compatriot_id


class ExpertEnrolled(RegistryEvent):
    """A registered compatriot joined the expert roster for short-term missions."""

    name: ClassVar[str] = "expert.enrolled"
    expert_id: str = Field(description="The roster entry's id (the aggregate id)")
    compatriot_id: str = Field(description="Pseudonymous id of the compatriot; no personal data")
    field: str = Field(description="Field of expertise")
    country: str = Field(description="ISO 3166-1 alpha-3 country of residence")
    enrolled_on: date = Field(description="Day of enrolment")

    def aggregate_id(self) -> str:
        return self.expert_id


class ExpertWithdrawn(RegistryEvent):
    """An expert left the roster (or their consent was withdrawn)."""

    name: ClassVar[str] = "expert.withdrawn"
    expert_id: str = Field(description="The roster entry's id (the aggregate id)")
    withdrawn_on: date = Field(description="Day of the withdrawal")

    def aggregate_id(self) -> str:
        return self.expert_id


class ProgrammeCreated(RegistryEvent):
    """A programme or event for compatriots was announced."""

    name: ClassVar[str] = "programme.created"
    programme_id: str = Field(description="The programme's id (the aggregate id)")
    kind: str = Field(description="programme or event")
    country: str | None = Field(description="Host country, null for Kazakhstan or online")
    starts_on: date = Field(description="First day")
    ends_on: date = Field(description="Last day")

    def aggregate_id(self) -> str:
        return self.programme_id


class ProgrammeStatusChanged(RegistryEvent):
    """A programme's status changed (open, completed, cancelled)."""

    name: ClassVar[str] = "programme.status-changed"
    programme_id: str = Field(description="The programme's id (the aggregate id)")
    status: str = Field(description="The new status")
    changed_on: date = Field(description="Day of the change")

    def aggregate_id(self) -> str:
        return self.programme_id


class ParticipantJoined(RegistryEvent):
    """A compatriot joined a programme or event."""

    name: ClassVar[str] = "programme.participant-joined"
    programme_id: str = Field(description="The programme's id (the aggregate id)")
    compatriot_id: str = Field(description="Pseudonymous id of the compatriot; no personal data")
    country: str = Field(description="The compatriot's country of residence")
    joined_on: date = Field(description="Day the compatriot joined")

    def aggregate_id(self) -> str:
        return self.programme_id


class ProposalSubmitted(RegistryEvent):
    """A diaspora investor submitted an investment proposal."""

    name: ClassVar[str] = "investment-proposal.submitted"
    proposal_id: str = Field(description="The proposal's id (the aggregate id)")
    sector: str = Field(description="Economic sector of the investment")
    investor_country: str = Field(description="ISO 3166-1 alpha-3 country of the investor")
    target_region: str = Field(description="KATO code of the region of the investment")
    amount_usd: int | None = Field(description="Proposed investment in US dollars, when given")
    submitted_on: date = Field(description="Day of submission")

    def aggregate_id(self) -> str:
        return self.proposal_id


class ProposalStatusChanged(RegistryEvent):
    """An investment proposal moved on (under_review, accepted, rejected, implemented)."""

    name: ClassVar[str] = "investment-proposal.status-changed"
    proposal_id: str = Field(description="The proposal's id (the aggregate id)")
    status: str = Field(description="The new status")
    changed_on: date = Field(description="Day of the change")

    def aggregate_id(self) -> str:
        return self.proposal_id


class ConsultationRequested(RegistryEvent):
    """A compatriot asked a question or made a proposal."""

    name: ClassVar[str] = "consultation.requested"
    consultation_id: str = Field(description="The consultation's id (the aggregate id)")
    kind: str = Field(description="question or proposal")
    consultation_topic: str = Field(description="Topic code of the consultation")
    asked_on: date = Field(description="Day the question or proposal was received")

    def aggregate_id(self) -> str:
        return self.consultation_id


class ConsultationAnswered(RegistryEvent):
    """The ministry answered a consultation."""

    name: ClassVar[str] = "consultation.answered"
    consultation_id: str = Field(description="The consultation's id (the aggregate id)")
    answered_on: date = Field(description="Day of the answer")

    def aggregate_id(self) -> str:
        return self.consultation_id


class ConsultationClosed(RegistryEvent):
    """A consultation was closed."""

    name: ClassVar[str] = "consultation.closed"
    consultation_id: str = Field(description="The consultation's id (the aggregate id)")
    closed_on: date = Field(description="Day it was closed")

    def aggregate_id(self) -> str:
        return self.consultation_id
