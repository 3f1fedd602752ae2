"""What the stay endpoint answers."""

from datetime import date

from pydantic import BaseModel, Field


class StayOut(BaseModel):
    stay_id: str
    entry_date: date
    exit_date: date | None = Field(description="Null while the person is in the country")
    exit_source: str | None = Field(
        description="departure (reported) or inferred (a later entry without a reported exit)"
    )
    region: str = Field(description="KATO code of the stay's first notified address")
    regime: str = Field(
        description="visa_free, eaeu, uzbekistan, transit, visa or residence_permit"
    )


class StayStatus(BaseModel):
    person_id: str
    on: date = Field(description="The day the answer is for")
    present: bool = Field(description="True when the person is in the country on that day")
    days_used: int = Field(
        description="Calendar days present in the window ending on `on`, entry and exit days "
        "included"
    )
    window_days: int = Field(description="Length of the sliding window (180)")
    days_allowed_in_window: int | None = Field(
        description="Days allowed in the window for this regime; null when not counted"
    )
    allowed_until: date | None = Field(description="Last day of the allowed stay")
    overstay: bool
    overstay_days: int
    stay: StayOut | None = Field(description="The latest stay entered on or before `on`")
    rules_applied: list[str]
