"""Stays in temporary accommodation centres, as centre staff record them."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CheckoutReason = Literal["left", "status_granted", "limit_reached", "refused", "transferred"]


class CheckInRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "application_id": "0192f0c1-...",
                "centre_id": "tac-akmola",
                "checked_in_on": "2026-11-20",
            }
        },
    )

    application_id: str = Field(min_length=1, max_length=36)
    centre_id: str = Field(min_length=1, max_length=40, description="See /reference/centres")
    family_size: int | None = Field(
        default=None,
        ge=1,
        le=30,
        description="Places taken; the application's family size if absent",
    )
    checked_in_on: date | None = Field(default=None, description="Today when absent")


class CheckOutRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: CheckoutReason = "left"
    checked_out_on: date | None = Field(default=None, description="Today when absent")


class StayOut(BaseModel):
    stay_id: str
    application_id: str
    centre_id: str
    region: str
    family_size: int
    checked_in_on: date
    stay_limit_until: date = Field(description="Last calendar day of the allowed stay")
    checked_out_on: date | None
    checkout_reason: str | None
    overstayed: bool = Field(
        description="Past stay_limit_until while in the centre, or left after it"
    )
    rules_applied: list[str]
