"""A one-window case of the kandas flow as the portal reads it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class ActorOut(BaseModel):
    role: Literal["family", "officer", "centre_staff"] = Field(description="Who is to act next")
    service: str = Field(description="The service where the action is taken")
    region: str | None = Field(default=None, description="KATO code of the officer's region")


class PendingOut(BaseModel):
    step: str = Field(description="The next step of the flow, e.g. kandas.granted")
    actor: ActorOut
    due: date | None = Field(default=None, description="By when, where a rule sets a deadline")
    due_kind: str | None = Field(default=None, description="kandas_decision_due, hearing_due")
    overdue: bool = Field(default=False, description="The deadline has passed (Astana date)")


class TimelineEntry(BaseModel):
    on: date = Field(description="The day the step took effect")
    step: str = Field(description="e.g. kandas.granted, accommodation.checked-in")
    record_id: str = Field(description="The application, stay, placement or resettlement id")
    event: str = Field(description="The event published for the step, e.g. kandas.status-granted")
    event_type: str = Field(description="Its CloudEvents type")
    service: str = Field(description="The service that recorded the step")
    at: datetime | None = Field(
        default=None, description="When it was recorded (status changes; other records keep "
        "the day only)"
    )
    details: dict[str, Any] = Field(
        default_factory=dict, description="References and dates of the step (no personal data)"
    )


class CaseOut(BaseModel):
    case_id: str
    flow: Literal["kandas_family"] = "kandas_family"
    owner: str = "diaspora"
    applications: list[str] = Field(description="The kandas applications filed under the case")
    status: Literal["open", "completed", "closed"]
    outcome: str | None = None
    timeline: list[TimelineEntry]
    pending: PendingOut | None
