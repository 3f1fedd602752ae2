"""Employers' applications and the permits they become (one row from application to expiry)."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from permits.base import Base

BigId = BigInteger().with_variant(Integer(), "sqlite")


class WorkPermit(Base):
    """An employer's application for one foreign worker and, once approved, the permit.

    Statuses: submitted -> approved | refused | withdrawn; approved -> issued | lapsed |
    withdrawn | revoked; issued -> revoked | expired. An approved permit holds a reserved quota
    place, an issued one a used place (unless it is an intra-corporate transfer).
    """

    __tablename__ = "work_permits"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    permit_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    employer_bin: Mapped[str] = mapped_column(String(12), index=True)
    region: Mapped[str] = mapped_column(String(9))
    quota_region: Mapped[str] = mapped_column(String(9), index=True)
    category: Mapped[str] = mapped_column(String(10))
    occupation: Mapped[str] = mapped_column(String(10))
    sector: Mapped[str] = mapped_column(String(1))
    intra_corporate_transfer: Mapped[bool] = mapped_column(Boolean)
    person_id: Mapped[str] = mapped_column(String(36), index=True)
    citizenship: Mapped[str] = mapped_column(String(3))
    birth_date: Mapped[date] = mapped_column(Date)
    validity_years: Mapped[int] = mapped_column(Integer)
    staff: Mapped[dict[str, Any]] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted_on: Mapped[date] = mapped_column(Date)
    decision_due: Mapped[date] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    refusal_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    quota_year: Mapped[int | None] = mapped_column(Integer)
    fee_amount: Mapped[int | None] = mapped_column(Integer)
    fee_mci: Mapped[int | None] = mapped_column(Integer)
    fee_coefficient: Mapped[int | None] = mapped_column(Integer)
    payment_deadline: Mapped[date | None] = mapped_column(Date, index=True)
    paid_on: Mapped[date | None] = mapped_column(Date)
    payment_reference: Mapped[str | None] = mapped_column(String(100))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    extensions: Mapped[int] = mapped_column(Integer, default=0)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_ground: Mapped[str | None] = mapped_column(String(40))
    rules_applied: Mapped[list[str]] = mapped_column(JSON, default=list)


class WorkPermitStep(Base):
    """One step of an application's history, as the portal shows it."""

    __tablename__ = "work_permit_history"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(String(36), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    action: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str | None] = mapped_column(String(100))
