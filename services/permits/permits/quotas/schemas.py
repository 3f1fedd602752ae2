"""The quota ledger as the ministry sets it and anyone authenticated reads it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EMPLOYER_CATEGORIES = ("1", "2", "3", "4", "seasonal")
LABOUR_IMMIGRANT = "labour-immigrant"
QuotaCategory = Literal["1", "2", "3", "4", "seasonal", "labour-immigrant"]


class QuotaRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"limit": 1200, "source": "Order of the Minister No 123"}},
    )

    limit: int = Field(ge=0, le=10_000_000, description="Most permits of this quota in the year")
    source: str | None = Field(
        default=None, max_length=300, description="The act that sets the quota"
    )


class QuotaOut(BaseModel):
    year: int
    region: str
    category: QuotaCategory
    limit: int
    reserved: int = Field(description="Places held by approved permits awaiting their fee")
    used: int = Field(description="Places of issued permits")
    remaining: int
    source: str | None = None
    set_at: datetime


class QuotaPage(BaseModel):
    year: int
    quotas: list[QuotaOut]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the next page; null on the last page"
    )
