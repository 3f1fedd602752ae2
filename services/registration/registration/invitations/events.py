"""Events the invitations module publishes (topic `koshqon.registration.invitations`)."""

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field

from shared.events import DomainEvent

TOPIC = "koshqon.registration.invitations"


class InvitationIssued(DomainEvent):
    """A host was issued an invitation for one or more foreigners, and its state fee assessed."""

    service: ClassVar[str] = "registration"
    name: ClassVar[str] = "invitation.issued"
    topic: ClassVar[str] = TOPIC

    invitation_number: str = Field(description="The 10-digit invitation number (aggregate id)")
    host_kind: Literal["company", "person"] = Field(description="Kind of inviting host")
    region: str = Field(description="KATO code of the host's region")
    category: str = Field(description="Category of the visit (business, tourism, ...)")
    invitee_count: int = Field(description="Number of invited foreigners")
    invitee_citizenships: list[str] = Field(
        description="ISO 3166-1 alpha-3 citizenship of each invitee, in the invitation's order"
    )
    person_ids: list[str] = Field(description="Pseudonymous ids of the invitees")
    planned_entry: date = Field(description="Planned date of entry")
    issued_on: date = Field(description="Date the invitation was issued (Astana time)")
    fee_tenge: float = Field(description="State fee in tenge for all invitees")
    mci_tenge: int = Field(description="The MCI rate in tenge the fee was computed with")

    def aggregate_id(self) -> str:
        return self.invitation_number
