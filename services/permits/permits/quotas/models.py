"""The quota ledger as stored: one row per year, region and category."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from permits.base import Base


class Quota(Base):
    """Places of one quota: `reserved` by approvals awaiting their fee, `used` by issued permits.

    The check constraints are the last line of defence: whatever the concurrency, the database
    refuses a row with more places taken than the limit.
    """

    __tablename__ = "quotas"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(9), primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    places_limit: Mapped[int] = mapped_column(Integer)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    used: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str | None] = mapped_column(String(300))
    set_by: Mapped[str | None] = mapped_column(String(100))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("places_limit >= 0", name="limit_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("used >= 0", name="used_not_negative"),
        CheckConstraint("reserved + used <= places_limit", name="within_limit"),
    )

    @property
    def remaining(self) -> int:
        return self.places_limit - self.reserved - self.used
