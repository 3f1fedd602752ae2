"""Events of kandas status applications (topic `koshqon.diaspora.kandas`, key: application id).

No names, document numbers or contacts: a pseudonymous applicant id, the optional `person_id`
registration gave the foreigner on arrival, country of origin, region, family size and dates.
"""

from datetime import date
from typing import ClassVar

from pydantic import Field

from shared.events import DomainEvent

TOPIC = "koshqon.diaspora.kandas"


class KandasEvent(DomainEvent):
    service: ClassVar[str] = "diaspora"
    topic: ClassVar[str] = TOPIC

    application_id: str = Field(description="The kandas application's id (the aggregate id)")
    applicant_id: str = Field(
        description="Pseudonymous id of the applicant, stable across applications; no personal data"
    )
    person_id: str | None = Field(
        default=None,
        description="Registration's pseudonymous person_id from the arrival answer, when known",
    )
    country_of_origin: str = Field(description="ISO 3166-1 alpha-3 country the family comes from")
    region: str = Field(description="KATO code of the region where the application is handled")
    family_size: int = Field(description="Members of the family, the applicant included")

    def aggregate_id(self) -> str:
        return self.application_id


class ApplicationSubmitted(KandasEvent):
    """An ethnic Kazakh applied for kandas status."""

    name: ClassVar[str] = "kandas.application-submitted"
    submitted_on: date = Field(description="Date of the application")


class PackageCompleted(KandasEvent):
    """The service provider registered the complete package; the decision clock started."""

    name: ClassVar[str] = "kandas.package-completed"
    package_registered_on: date = Field(description="Day the complete package was registered")
    decision_due: date = Field(description="Last working day for the decision")
    deadline_rule: str = Field(description="The deadline rule version applied, e.g. ...@v2")


class StatusGranted(KandasEvent):
    """Kandas status was granted."""

    name: ClassVar[str] = "kandas.status-granted"
    decided_on: date = Field(description="Day of the decision")
    decision_due: date = Field(description="Last working day for the decision")
    within_deadline: bool = Field(description="False when decided after decision_due")
    valid_from: date = Field(description="First day of the status's validity")
    valid_until: date = Field(description="Last day of the status's validity")


class RefusalProposed(KandasEvent):
    """An officer proposes to refuse: the applicant is told the grounds and offered a hearing."""

    name: ClassVar[str] = "kandas.refusal-proposed"
    proposed_on: date = Field(description="Day the refusal was proposed and the grounds told")
    grounds: list[str] = Field(description="Codes of the grounds for refusal")
    hearing_due: date | None = Field(
        description="Last working day for the hearing; null where no rule fixed one"
    )


class Refused(KandasEvent):
    """Kandas status was refused after the hearing."""

    name: ClassVar[str] = "kandas.refused"
    decided_on: date = Field(description="Day of the decision")
    decision_due: date = Field(description="Last working day for the decision")
    within_deadline: bool = Field(description="False when decided after decision_due")
    grounds: list[str] = Field(description="Codes of the grounds for refusal")
    hearing_held_on: date | None = Field(description="Null when the hearing period ran out unused")


class StatusExtended(KandasEvent):
    """A granted status was extended (once, within the rule's limit)."""

    name: ClassVar[str] = "kandas.status-extended"
    extended_on: date = Field(description="Day of the extension")
    months: int = Field(description="Months the status was extended by")
    valid_until: date = Field(description="The new last day of validity")


class StatusTerminated(KandasEvent):
    """A granted status was terminated before its end."""

    name: ClassVar[str] = "kandas.status-terminated"
    terminated_on: date = Field(description="Day the status ended")
    reason: str = Field(description="Code of the reason for termination")


class StatusExpired(KandasEvent):
    """A granted status reached the end of its validity."""

    name: ClassVar[str] = "kandas.status-expired"
    expired_on: date = Field(description="First day the status is no longer valid")


class DecisionOverdue(KandasEvent):
    """No decision was taken by the deadline (published once per application)."""

    name: ClassVar[str] = "kandas.decision-overdue"
    decision_due: date = Field(description="Last working day for the decision")
    flagged_on: date = Field(description="Day the job found it")
    status: str = Field(description="package_complete or hearing")
