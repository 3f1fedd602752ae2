"""Events of the quota ledger (topic `koshqon.permits.quotas`)."""

from typing import ClassVar

from pydantic import Field

from shared.events import DomainEvent

TOPIC = "koshqon.permits.quotas"


class QuotaSet(DomainEvent):
    """The ministry set (or changed) the limit of a quota of foreign labour."""

    service: ClassVar[str] = "permits"
    name: ClassVar[str] = "quota.set"
    topic: ClassVar[str] = TOPIC

    year: int = Field(description="The calendar year the quota is for")
    region: str = Field(description="KATO code of the region or city of republican significance")
    category: str = Field(
        description="1, 2, 3, 4 or seasonal (employers' permits), or labour-immigrant"
    )
    limit: int = Field(description="Most places (permits) of this quota in the year")
    reserved: int = Field(description="Places reserved by approved permits awaiting their fee")
    used: int = Field(description="Places used by issued permits")
    source: str | None = Field(default=None, description="The ministry's act setting the quota")

    def aggregate_id(self) -> str:
        return f"{self.year}/{self.region}/{self.category}"
