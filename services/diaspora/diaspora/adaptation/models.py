"""Placements in adaptation and integration centres (ҚБЫО), services delivered, and
integration plans."""

from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from diaspora.base import Base


class AdaptationPlacement(Base):
    __tablename__ = "adaptation_placements"
    __table_args__ = (
        Index(
            "uq_adaptation_placements_active_application",
            "application_id",
            unique=True,
            sqlite_where=text("ended_on IS NULL"),
            postgresql_where=text("ended_on IS NULL"),
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
    settled_on: Mapped[date] = mapped_column(Date)
    placement_until: Mapped[date] = mapped_column(Date, index=True)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(30))
    rules_applied: Mapped[list[str]] = mapped_column(JSON, default=list)


class DeliveredService(Base):
    __tablename__ = "adaptation_services"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    placement_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("adaptation_placements.id"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    delivered_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class IntegrationPlanItem(Base):
    __tablename__ = "integration_plan_items"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    placement_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("adaptation_placements.id"), index=True
    )
    area: Mapped[str] = mapped_column(String(30))
    goal: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    progress_percent: Mapped[int] = mapped_column(Integer, default=0)
    updated_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
