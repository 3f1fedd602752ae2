"""The PII-free store of facts: counts by indicator, day and dimensions."""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
)
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


class Publication(Base):
    """An indicator-year's protected table as published (`published_cells`), with the
    `fact_changes.version` it was computed from and the smallest published count it applied."""

    __tablename__ = "publications"

    indicator: Mapped[str] = mapped_column(String(60), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
    threshold: Mapped[int] = mapped_column(Integer)
    cells: Mapped[int] = mapped_column(BigInteger)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# Every cell of a publication: `level` is the period's (0 day, 1 month, 2 quarter, 3 year), `shape`
# which dimensions are not totals (1 region, 2 citizenship, 4 category). A series query reads one
# level and one shape over a range of labels.
published_cells = Table(
    "published_cells",
    Base.metadata,
    Column("indicator", String(60), nullable=False),
    Column("year", Integer, nullable=False),
    Column("level", SmallInteger, nullable=False),
    Column("shape", SmallInteger, nullable=False),
    Column("label", String(10), nullable=False),
    Column("region", String(9), nullable=False),
    Column("citizenship", String(3), nullable=False),
    Column("category", String(60), nullable=False),
    Column("value", BigInteger, nullable=False),
    Column("suppressed", Boolean, nullable=False),
    Index("ix_published_cells_lookup", "indicator", "year", "level", "shape", "label"),
)
