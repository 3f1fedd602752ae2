"""Invitations requested by hosts, with their invitees (personal data stays here)."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from registration.base import Base


class Invitation(Base):
    __tablename__ = "invitations"

    number: Mapped[str] = mapped_column(String(10), primary_key=True)
    host_kind: Mapped[str] = mapped_column(String(20))
    host_identifier: Mapped[str] = mapped_column(String(12), index=True)
    host_name: Mapped[str | None] = mapped_column(String(300))
    region: Mapped[str] = mapped_column(String(9), index=True)
    category: Mapped[str] = mapped_column(String(30))
    planned_entry: Mapped[date] = mapped_column(Date)
    planned_departure: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    issued_on: Mapped[date] = mapped_column(Date)
    mci_tenge: Mapped[int] = mapped_column(Integer)
    fee_tiyn: Mapped[int] = mapped_column(Integer)  # tenge x 100, so no float ever holds money
    rules_applied: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Invitee(Base):
    __tablename__ = "invitees"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    invitation_number: Mapped[str] = mapped_column(
        String(10), ForeignKey("invitations.number"), index=True
    )
    person_id: Mapped[str] = mapped_column(String(36), index=True)
    passport_number: Mapped[str] = mapped_column(String(20))
    citizenship: Mapped[str] = mapped_column(String(3))
    surname: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date] = mapped_column(Date)
