"""Regional resettlement quotas, families' resettlement applications and their support payments."""

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from diaspora.base import Base


class ResettlementQuota(Base):
    __tablename__ = "resettlement_quotas"
    __table_args__ = (
        # The database itself refuses an over-allocation, whatever the code does.
        CheckConstraint("allocated <= places", name="within_places"),
        CheckConstraint("allocated >= 0", name="allocated_not_negative"),
    )

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(9), primary_key=True)
    places: Mapped[int] = mapped_column(Integer)
    allocated: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ResettlementApplication(Base):
    __tablename__ = "resettlement_applications"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("kandas_applications.id"), index=True
    )
    applicant_id: Mapped[str] = mapped_column(String(36))
    country_of_origin: Mapped[str] = mapped_column(String(3))
    region: Mapped[str] = mapped_column(String(9), index=True)
    family_size: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)
    applied_on: Mapped[date] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    quota_year: Mapped[int | None] = mapped_column(Integer)
    rent_mci_per_month: Mapped[int | None] = mapped_column(Integer)
    mci_tenge: Mapped[int | None] = mapped_column(Integer)
    total_tenge: Mapped[int | None] = mapped_column(Integer)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    rules_applied: Mapped[list[str]] = mapped_column(JSON, default=list)


class SupportPayment(Base):
    __tablename__ = "resettlement_support_payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    resettlement_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("resettlement_applications.id"), index=True
    )
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date] = mapped_column(Date)
    amount_mci: Mapped[int] = mapped_column(Integer)
    amount_tenge: Mapped[int] = mapped_column(Integer)
