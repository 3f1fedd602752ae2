"""Arrival notifications as stored (personal data stays in this service)."""

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from registration.base import Base


class ArrivalNotification(Base):
    __tablename__ = "arrival_notifications"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36), index=True)
    host_kind: Mapped[str] = mapped_column(String(20))
    host_identifier: Mapped[str] = mapped_column(String(12), index=True)
    host_name: Mapped[str | None] = mapped_column(String(300))
    passport_number: Mapped[str] = mapped_column(String(20))
    citizenship: Mapped[str] = mapped_column(String(3))
    surname: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(1))
    entry_date: Mapped[date] = mapped_column(Date)
    region: Mapped[str] = mapped_column(String(9), index=True)
    locality: Mapped[str] = mapped_column(String(200))
    address_line: Mapped[str] = mapped_column(String(500))
    purpose: Mapped[str] = mapped_column(String(20))
    expected_departure: Mapped[date] = mapped_column(Date)
    notified_on: Mapped[date] = mapped_column(Date)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deadline: Mapped[date] = mapped_column(Date)
    late: Mapped[bool] = mapped_column(Boolean)
    registration_required: Mapped[bool] = mapped_column(Boolean)
    allowed_stay_until: Mapped[date] = mapped_column(Date)
    rules_applied: Mapped[list[str]] = mapped_column(JSON)
    # Added with stays; null on notifications recorded before them.
    stay_id: Mapped[str | None] = mapped_column(String(36), index=True)
    address_changed_on: Mapped[date | None] = mapped_column(Date)
