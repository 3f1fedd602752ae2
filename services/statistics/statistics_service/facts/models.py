"""The PII-free store of facts: counts by indicator, day and dimensions."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from statistics_service.base import Base

# A dimension that an event does not have is stored as "" so the unique key stays a key.
NONE = ""


class Fact(Base):
    __tablename__ = "facts"
    __table_args__ = (
        UniqueConstraint("indicator", "day", "region", "citizenship", "category",
                         name="uq_facts_cell"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    indicator: Mapped[str] = mapped_column(String(60))
    day: Mapped[date] = mapped_column(Date)
    region: Mapped[str] = mapped_column(String(9))
    citizenship: Mapped[str] = mapped_column(String(3))
    category: Mapped[str] = mapped_column(String(60))
    value: Mapped[int] = mapped_column(BigInteger)


class Freshness(Base):
    """The time of the newest event counted into each indicator."""

    __tablename__ = "freshness"

    indicator: Mapped[str] = mapped_column(String(60), primary_key=True)
    newest_event_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FactChange(Base):
    """How many times the facts of an indicator's year have changed: what a reader that keeps
    something computed from them compares to know whether it is still current."""

    __tablename__ = "fact_changes"

    indicator: Mapped[str] = mapped_column(String(60), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
