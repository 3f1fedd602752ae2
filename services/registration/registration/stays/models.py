"""Stays: an entry opens one, a departure closes it; overstays are recorded once per limit."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registration.base import Base


class Stay(Base):
    __tablename__ = "stays"
    # One stay per person and entry date: a second notification with the same entry date is an
    # address change within the same stay.
    __table_args__ = (UniqueConstraint("person_id", "entry_date"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36), index=True)
    citizenship: Mapped[str] = mapped_column(String(3))
    region: Mapped[str] = mapped_column(String(9), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    entry_date: Mapped[date] = mapped_column(Date)
    expected_departure: Mapped[date] = mapped_column(Date)
    exit_date: Mapped[date | None] = mapped_column(Date)
    exit_source: Mapped[str | None] = mapped_column(String(20))  # departure | inferred
    visa_number: Mapped[str | None] = mapped_column(String(12))
    visa_until: Mapped[date | None] = mapped_column(Date)
    regime: Mapped[str] = mapped_column(String(30))
    allowed_until: Mapped[date] = mapped_column(Date, index=True)
    rules_applied: Mapped[list[str]] = mapped_column(JSON)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OverstayDetection(Base):
    __tablename__ = "overstay_detections"
    # The overstay job's memory: one detection per stay and allowed-until, so a rerun publishes
    # nothing new while a later limit (e.g. after a TRP ran out) is detected again.
    __table_args__ = (UniqueConstraint("stay_id", "allowed_until"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    stay_id: Mapped[str] = mapped_column(String(36), index=True)
    allowed_until: Mapped[date] = mapped_column(Date)
    detected_on: Mapped[date] = mapped_column(Date)
    overstay_days: Mapped[int] = mapped_column(Integer)
