"""Regional resettlement: quotas set by the ministry, families' applications and decisions."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from diaspora.resettlement.events import ScheduledPayment


class QuotaRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"places": 500}})

    places: int = Field(ge=0, le=1_000_000, description="Families the region receives in the year")


class QuotaOut(BaseModel):
    year: int
    region: str
    places: int
    allocated: int
    remaining: int


class ResettlementRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"application_id": "0192f0c1-...", "region": "390000000"}},
    )

    application_id: str = Field(min_length=1, max_length=36, description="Kandas application")
    region: str = Field(pattern=r"^\d{9}$", description="KATO code of a quota region")


class ResettlementDecision(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"decision": "approve", "rent_mci_per_month": 20}},
    )

    decision: Literal["approve", "refuse"]
    rent_mci_per_month: int | None = Field(
        default=None, description="Monthly rent support in MCI, within the rule's range (approve)"
    )
    reason: str | None = Field(default=None, max_length=1000, description="Why refused")


class ResettlementOut(BaseModel):
    resettlement_id: str
    application_id: str
    region: str
    family_size: int
    status: Literal["submitted", "approved", "refused"]
    applied_on: date
    decided_on: date | None
    quota_year: int | None
    rent_mci_per_month: int | None
    mci_tenge: int | None = Field(description="The MCI that applied, in tenge")
    total_tenge: int | None
    payments: list[ScheduledPayment] = Field(default_factory=list)
    rules_applied: list[str]
