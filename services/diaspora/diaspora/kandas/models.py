"""Kandas status applications as stored (personal data stays in this service)."""

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from diaspora.base import Base


class KandasApplication(Base):
    __tablename__ = "kandas_applications"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    applicant_id: Mapped[str] = mapped_column(String(36), index=True)
    person_id: Mapped[str | None] = mapped_column(String(36), index=True)
    case_id: Mapped[str | None] = mapped_column(String(100), index=True)
    surname: Mapped[str | None] = mapped_column(String(200))
    given_names: Mapped[str | None] = mapped_column(String(200))
    birth_date: Mapped[date] = mapped_column(Date)
    document_number: Mapped[str | None] = mapped_column(String(20))
    citizenship: Mapped[str] = mapped_column(String(3))
    country_of_origin: Mapped[str] = mapped_column(String(3))
    region: Mapped[str] = mapped_column(String(9), index=True)
    family_size: Mapped[int] = mapped_column(Integer)
    phone: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), index=True)
    submitted_on: Mapped[date] = mapped_column(Date)
    package_registered_on: Mapped[date | None] = mapped_column(Date)
    decision_due: Mapped[date | None] = mapped_column(Date, index=True)
    refusal_proposed_on: Mapped[date | None] = mapped_column(Date)
    refusal_grounds: Mapped[list[str] | None] = mapped_column(JSON)
    hearing_due: Mapped[date | None] = mapped_column(Date)
    hearing_held_on: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_late: Mapped[bool | None] = mapped_column(Boolean)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    extensions_used: Mapped[int] = mapped_column(Integer, default=0)
    ended_on: Mapped[date | None] = mapped_column(Date)
    termination_reason: Mapped[str | None] = mapped_column(String(40))
    overdue_flagged_on: Mapped[date | None] = mapped_column(Date)
    rules_applied: Mapped[list[str]] = mapped_column(JSON, default=list)


class KandasStatusChange(Base):
    """The application's history: one row per transition, never updated."""

    __tablename__ = "kandas_status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("kandas_applications.id"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    effective_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)
    rules_applied: Mapped[list[str]] = mapped_column(JSON, default=list)
