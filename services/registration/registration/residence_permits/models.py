"""Temporary residence permit (TRP) applications and issued permits."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from registration.base import Base


class ResidencePermit(Base):
    __tablename__ = "residence_permits"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36), index=True)
    passport_number: Mapped[str] = mapped_column(String(20))
    citizenship: Mapped[str] = mapped_column(String(3))
    surname: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date] = mapped_column(Date)
    region: Mapped[str] = mapped_column(String(9), index=True)
    basis_kind: Mapped[str] = mapped_column(String(20))
    basis_number: Mapped[str] = mapped_column(String(50))
    employer_bin: Mapped[str] = mapped_column(String(12))
    basis_ends_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    submitted_on: Mapped[date] = mapped_column(Date)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decision_due: Mapped[date] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    refusal_reason: Mapped[str | None] = mapped_column(String(40))
    refusal_comment: Mapped[str | None] = mapped_column(String(1000))
    permit_number: Mapped[str | None] = mapped_column(String(12), unique=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    rules_applied: Mapped[list[str]] = mapped_column(JSON)
