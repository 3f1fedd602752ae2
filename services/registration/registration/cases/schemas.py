"""A one-window case as the portal reads it: steps done, the step pending, who is to act."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class ActorOut(BaseModel):
    role: Literal["host", "foreigner", "employer", "officer", "payment_gateway", "family",
                  "centre_staff"] = Field(description="Who is to act next")
    service: str = Field(description="The service where the action is taken")
    region: str | None = Field(
        default=None, description="KATO code of the officer's region (officers only)"
    )


class PendingOut(BaseModel):
    step: str = Field(description="The next step of the flow, e.g. work-permit.decided")
    actor: ActorOut
    due: date | None = Field(default=None, description="By when, where a rule sets a deadline")
    due_kind: str | None = Field(
        default=None, description="e.g. evisa_decision_due, work_permit_decision_due, "
        "fee_payment_due, residence_permit_decision_due, stay_allowed_until"
    )
    overdue: bool = Field(default=False, description="The deadline has passed (Astana date)")


class StepOut(BaseModel):
    step: str = Field(description="The event name, e.g. evisa.issued")
    event_type: str = Field(description="The CloudEvents type")
    service: str = Field(description="The service that published the event")
    at: datetime = Field(description="When it happened (the event's time)")
    subject: str = Field(description="The aggregate id (application, permit, notification ...)")
    event_id: str
    details: dict[str, Any] = Field(
        default_factory=dict, description="The event's references and dates (no personal data)"
    )


class CaseOut(BaseModel):
    case_id: str
    flow: Literal["foreign_worker", "kandas_family"]
    owner: str = Field(description="The service that owns the case")
    opened_at: datetime
    status: Literal["open", "completed", "closed"]
    outcome: str | None = Field(default=None, description="Why a case completed or closed")
    timeline: list[StepOut]
    pending: PendingOut | None
