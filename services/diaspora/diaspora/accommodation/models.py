"""Stays in temporary accommodation centres, and each centre's occupied places."""

from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from diaspora.base import Base


class AccommodationStay(Base):
    __tablename__ = "accommodation_stays"
    __table_args__ = (
        # One family is in one centre at a time.
        Index(
            "uq_accommodation_stays_active_application",
            "application_id",
            unique=True,
            sqlite_where=text("checked_out_on IS NULL"),
            postgresql_where=text("checked_out_on IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("kandas_applications.id"), index=True
    )
    applicant_id: Mapped[str] = mapped_column(String(36))
    centre_id: Mapped[str] = mapped_column(String(40), index=True)
    region: Mapped[str] = mapped_column(String(9))
    family_size: Mapped[int] = mapped_column(Integer)
    checked_in_on: Mapped[date] = mapped_column(Date)
    stay_limit_until: Mapped[date] = mapped_column(Date, index=True)
    checked_out_on: Mapped[date | None] = mapped_column(Date)
    checkout_reason: Mapped[str | None] = mapped_column(String(20))
    overstay_flagged_on: Mapped[date | None] = mapped_column(Date)
    rules_applied: Mapped[list[str]] = mapped_column(JSON, default=list)


class CentreOccupancy(Base):
    """Places taken in a centre; changed only by conditional UPDATEs so capacity holds."""

    __tablename__ = "centre_occupancy"

    centre_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    occupied: Mapped[int] = mapped_column(Integer, default=0)
