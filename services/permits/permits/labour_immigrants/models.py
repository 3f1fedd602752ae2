"""Labour-immigrant permits (household work for individuals) and their tax prepayments."""

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, DateTime, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from permits.base import Base

BigId = BigInteger().with_variant(Integer(), "sqlite")


class LabourImmigrantPermit(Base):
    """Valid while its prepaid period lasts: `active` until `paid_until`, then `lapsed`."""

    __tablename__ = "labour_immigrant_permits"

    permit_number: Mapped[str] = mapped_column(String(20), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    person_id: Mapped[str] = mapped_column(String(36), index=True)
    citizenship: Mapped[str] = mapped_column(String(3))
    birth_date: Mapped[date] = mapped_column(Date)
    employer_iin: Mapped[str] = mapped_column(String(12), index=True)
    region: Mapped[str] = mapped_column(String(9))
    quota_region: Mapped[str] = mapped_column(String(9))
    quota_year: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    issued_on: Mapped[date] = mapped_column(Date)
    paid_until: Mapped[date] = mapped_column(Date, index=True)
    months_paid: Mapped[int] = mapped_column(Integer)
    lapsed_on: Mapped[date | None] = mapped_column(Date)
    rules_applied: Mapped[list[str]] = mapped_column(JSON, default=list)

    __table_args__ = (
        # One current permit per person, whatever the concurrency.
        Index(
            "uq_labour_immigrant_permits_active_person",
            "person_id",
            unique=True,
            postgresql_where=text("status = 'active'"),
            sqlite_where=text("status = 'active'"),
        ),
    )


class LabourImmigrantPayment(Base):
    """One prepayment of the individual income tax for some months of a permit."""

    __tablename__ = "labour_immigrant_payments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    permit_number: Mapped[str] = mapped_column(String(20), index=True)
    payment_reference: Mapped[str] = mapped_column(String(100), unique=True)
    months: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)
    mci: Mapped[int] = mapped_column(Integer)
    rate_mci: Mapped[int] = mapped_column(Integer)
    paid_on: Mapped[date] = mapped_column(Date)
    period_from: Mapped[date] = mapped_column(Date)
    period_until: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HouseholdEmployer(Base):
    """An individual who employs labour immigrants; its row is locked while a hire is counted."""

    __tablename__ = "household_employers"

    iin: Mapped[str] = mapped_column(String(12), primary_key=True)
    first_hire_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
