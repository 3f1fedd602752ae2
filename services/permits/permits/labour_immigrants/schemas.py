"""Labour-immigrant permits as PSC operators, the tax authority and the portal see them."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.validators import Citizenship, Iin, KatoCode

PERSON_ID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
Status = Literal["active", "lapsed"]


class Foreigner(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: str = Field(
        pattern=PERSON_ID, description="The pseudonym registration returned for the foreigner"
    )
    citizenship: Citizenship = Field(description="Checked against the arrival notification")
    birth_date: date = Field(description="The second factor of verification; never published")


class TaxPayment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: int = Field(gt=0, description="Individual income tax paid, in tenge")
    paid_on: date
    payment_reference: str = Field(min_length=1, max_length=100)


class MonthlyPayment(TaxPayment):
    months: int = Field(ge=1, le=120, description="Months this payment covers")


class PermitRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "foreigner": {"person_id": "8f14e45f-ceea-467f-a0e6-8a4c5e2b1f3a",
                              "citizenship": "UZB", "birth_date": "1990-05-01"},
                "employer_iin": "900101300123",
                "region": "750000000",
                "months": 3,
                "payment": {"amount": 51900, "paid_on": "2026-11-20",
                            "payment_reference": "KGD-2026-000001"},
            }
        },
    )

    foreigner: Foreigner
    employer_iin: Iin = Field(description="IIN of the individual who employs the immigrant")
    region: KatoCode = Field(description="Where the household is (KATO code)")
    months: int = Field(ge=1, le=120, description="Months paid in advance")
    payment: TaxPayment


class EmployerChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employer_iin: Iin
    region: KatoCode | None = Field(default=None, description="A new region, when it changes")


class TaxComputation(BaseModel):
    mci: int = Field(description="The MCI of the year of payment, in tenge")
    rate_mci: int = Field(description="MCI per month")
    months: int
    amount: int = Field(description="Tax due for the months, in tenge")


class PermitOut(BaseModel):
    permit_number: str
    status: Status
    person_id: str
    citizenship: str
    region: str
    issued_on: date
    paid_until: date
    months_paid: int
    lapsed_on: date | None = None
    last_payment: TaxComputation | None = None
    rules_applied: list[str]
