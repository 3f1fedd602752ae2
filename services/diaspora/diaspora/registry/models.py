"""The diaspora registry: organisations abroad, compatriots who registered voluntarily, the expert
roster, programmes and events, investment proposals and consultations."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from diaspora.base import Base


class Organisation(Base):
    __tablename__ = "diaspora_organisations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(3), index=True)
    city: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    website: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))
    registered_on: Mapped[date] = mapped_column(Date)


class Compatriot(Base):
    """Personal fields are nullable: a withdrawal of consent erases them, the record stays."""

    __tablename__ = "compatriots"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    full_name: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    country: Mapped[str] = mapped_column(String(3), index=True)
    city: Mapped[str | None] = mapped_column(String(200))
    profession: Mapped[str | None] = mapped_column(String(200))
    registered_on: Mapped[date] = mapped_column(Date)
    consent_given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    consent_withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CompatriotSkill(Base):
    __tablename__ = "compatriot_skills"

    compatriot_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("compatriots.id"), primary_key=True
    )
    skill: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class Expert(Base):
    __tablename__ = "diaspora_experts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    compatriot_id: Mapped[str] = mapped_column(String(36), ForeignKey("compatriots.id"), index=True)
    field: Mapped[str] = mapped_column(String(100), index=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    country: Mapped[str] = mapped_column(String(3))
    available_from: Mapped[date | None] = mapped_column(Date)
    available_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    enrolled_on: Mapped[date] = mapped_column(Date)


class Programme(Base):
    __tablename__ = "diaspora_programmes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    organiser: Mapped[str] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(3))
    city: Mapped[str | None] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)


class Participation(Base):
    __tablename__ = "diaspora_participations"

    programme_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("diaspora_programmes.id"), primary_key=True
    )
    compatriot_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("compatriots.id"), primary_key=True
    )
    joined_on: Mapped[date] = mapped_column(Date)


class InvestmentProposal(Base):
    __tablename__ = "investment_proposals"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    sector: Mapped[str] = mapped_column(String(100), index=True)
    investor_country: Mapped[str] = mapped_column(String(3))
    target_region: Mapped[str] = mapped_column(String(9))
    amount_usd: Mapped[int | None] = mapped_column(Integer)
    compatriot_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("compatriots.id"))
    organisation_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("diaspora_organisations.id")
    )
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    status_note: Mapped[str | None] = mapped_column(Text)
    submitted_on: Mapped[date] = mapped_column(Date)
    updated_on: Mapped[date] = mapped_column(Date)


class Consultation(Base):
    __tablename__ = "consultations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    compatriot_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("compatriots.id"))
    kind: Mapped[str] = mapped_column(String(20))
    topic: Mapped[str] = mapped_column(String(40), index=True)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(20), index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    asked_on: Mapped[date] = mapped_column(Date)
    answered_on: Mapped[date | None] = mapped_column(Date)
