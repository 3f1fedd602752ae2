"""Exits reported by the border service or the host."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from registration.base import Base


class Departure(Base):
    __tablename__ = "departures"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36), index=True)
    stay_id: Mapped[str | None] = mapped_column(String(36), index=True)
    citizenship: Mapped[str | None] = mapped_column(String(3))
    exit_date: Mapped[date] = mapped_column(Date)
    reported_by: Mapped[str] = mapped_column(String(20))
    border_point: Mapped[str | None] = mapped_column(String(100))
    overstay_days: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
