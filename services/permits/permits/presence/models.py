"""Who is present in the country, as registration's events tell it (permits' own read model)."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from permits.base import Base


class PresentPerson(Base):
    __tablename__ = "present_persons"

    person_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    citizenship: Mapped[str] = mapped_column(String(3))
    region: Mapped[str] = mapped_column(String(9))
    entry_date: Mapped[date] = mapped_column(Date)
    allowed_stay_until: Mapped[date] = mapped_column(Date)
    last_notification_id: Mapped[str] = mapped_column(String(36))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
