"""e-Visa applications, their decisions and issued visas, and the status history."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from registration.base import Base


class EvisaApplication(Base):
    __tablename__ = "evisa_applications"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    invitation_number: Mapped[str] = mapped_column(String(10), index=True)
    person_id: Mapped[str] = mapped_column(String(36), index=True)
    passport_number: Mapped[str] = mapped_column(String(20))
    citizenship: Mapped[str] = mapped_column(String(3))
    surname: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(30))
    purpose: Mapped[str] = mapped_column(String(500))
    planned_entry: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    submitted_on: Mapped[date] = mapped_column(Date)
    decision_due: Mapped[date] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    refusal_reason: Mapped[str | None] = mapped_column(String(40))
    refusal_comment: Mapped[str | None] = mapped_column(String(1000))
    visa_number: Mapped[str | None] = mapped_column(String(12), unique=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    used_on: Mapped[date | None] = mapped_column(Date)
    rules_applied: Mapped[list[str]] = mapped_column(JSON)


class EvisaStatusChange(Base):
    __tablename__ = "evisa_status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(20))
    on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(String(100))
