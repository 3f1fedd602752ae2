"""Placements in adaptation and integration centres, as centre staff record them."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# The services of the seed (@853) and the integration programmes (@3012).
ServiceKind = Literal[
    "informational", "legal", "social", "medical", "educational", "employment", "language_course"
]
PlanArea = Literal[
    "language",
    "employment",
    "vocational_training",
    "housing",
    "documents",
    "children_inclusion",
    "health",
    "social",
]
ItemStatus = Literal["planned", "in_progress", "done", "dropped"]


class PlacementRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "application_id": "0192f0c1-...",
                "centre_id": "aic-karaganda",
                "settled_on": "2026-11-20",
            }
        },
    )

    application_id: str = Field(min_length=1, max_length=36)
    centre_id: str = Field(min_length=1, max_length=40, description="See /reference/centres")
    family_size: int | None = Field(default=None, ge=1, le=30)
    settled_on: date | None = Field(default=None, description="Today when absent")


class ServiceRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ServiceKind
    delivered_on: date | None = None
    note: str | None = Field(default=None, max_length=2000)


class PlanItemRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    area: PlanArea
    goal: str = Field(min_length=1, max_length=1000)
    due_on: date | None = None


class PlanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[PlanItemRequest] = Field(min_length=1, max_length=30)


class ProgressRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: ItemStatus
    progress_percent: int = Field(ge=0, le=100)
    note: str | None = Field(default=None, max_length=2000)


class MoveOutRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ended_on: date | None = None


class ServiceOut(BaseModel):
    service_id: str
    kind: str
    delivered_on: date
    note: str | None


class PlanItemOut(BaseModel):
    item_id: str
    area: str
    goal: str
    due_on: date | None
    status: str
    progress_percent: int
    updated_on: date


class PlacementOut(BaseModel):
    placement_id: str
    application_id: str
    centre_id: str
    region: str
    family_size: int
    settled_on: date
    placement_until: date = Field(
        description="Earlier of 6 months from settling and the status's end"
    )
    ended_on: date | None
    end_reason: str | None
    rules_applied: list[str]
    services: list[ServiceOut] = Field(default_factory=list)
    plan: list[PlanItemOut] = Field(default_factory=list)
    plan_progress_percent: int | None = Field(description="Mean progress; null without a plan")
