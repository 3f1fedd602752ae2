"""Events of adaptation and integration centres (topic `koshqon.diaspora.centres`, key: the
placement id).

No names or contacts: pseudonymous applicant id, centre, region (KATO), family size, dates, and the
kinds of services and plan areas, never their free-text notes.
"""

from datetime import date
from typing import ClassVar

from pydantic import Field

from diaspora.accommodation.events import TOPIC
from shared.events import DomainEvent


class PlacementEvent(DomainEvent):
    service: ClassVar[str] = "diaspora"
    topic: ClassVar[str] = TOPIC

    placement_id: str = Field(description="The placement's id (the aggregate id)")
    application_id: str = Field(description="The family's kandas application")
    applicant_id: str = Field(description="Pseudonymous id of the applicant")
    centre_id: str = Field(description="Adaptation and integration centre (reference data id)")
    region: str = Field(description="KATO code of the centre's region")
    family_size: int = Field(description="Members of the family, the applicant included")

    def aggregate_id(self) -> str:
        return self.placement_id


class Placed(PlacementEvent):
    """A family with kandas status settled in an adaptation and integration centre."""

    name: ClassVar[str] = "adaptation.placed"
    settled_on: date = Field(description="Day the family settled in the centre")
    placement_until: date = Field(
        description="Last day: the earlier of the 6-month limit and the status's validity"
    )


class ServiceDelivered(PlacementEvent):
    """A service was delivered to the family."""

    name: ClassVar[str] = "adaptation.service-delivered"
    kind: str = Field(
        description="informational, legal, social, medical, educational, "
        "employment or language_course"
    )
    delivered_on: date = Field(description="Day the service was delivered")


class PlanSet(PlacementEvent):
    """The family's individual integration plan was set (or replaced)."""

    name: ClassVar[str] = "adaptation.plan-set"
    areas: list[str] = Field(description="The plan's areas, one per item")
    set_on: date = Field(description="Day the plan was set")


class PlanProgressRecorded(PlacementEvent):
    """Progress on one item of the integration plan."""

    name: ClassVar[str] = "adaptation.plan-progress-recorded"
    item_id: str = Field(description="The plan item's id")
    area: str = Field(description="Area of the plan item (language, employment, ...)")
    status: str = Field(description="planned, in_progress, done or dropped")
    plan_progress_percent: int = Field(description="Mean progress over the plan's items")
    recorded_on: date = Field(description="Day the progress was recorded")


class PlacementUpdated(PlacementEvent):
    """The placement's last day moved with the kandas status (an extension)."""

    name: ClassVar[str] = "adaptation.placement-updated"
    placement_until: date = Field(description="Last day of the placement")


class PlacementEnded(PlacementEvent):
    """The family's placement ended."""

    name: ClassVar[str] = "adaptation.placement-ended"
    ended_on: date = Field(description="Day the placement ended")
    reason: str = Field(description="moved_out, limit_reached, status_terminated or status_expired")
