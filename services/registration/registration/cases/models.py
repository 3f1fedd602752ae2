"""Foreign-worker cases registration owns, the steps seen in events, and the number series."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from registration.base import Base


class Case(Base):
    """A one-window case opened by the flow's first step (the invitation)."""

    __tablename__ = "cases"

    case_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    flow: Mapped[str] = mapped_column(String(30))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Whether registration made the number (the portal may bring its own).
    generated: Mapped[bool] = mapped_column(default=False)


class CaseStep(Base):
    """One event of a case, as its owner saw it on the bus (PII-free: events carry none)."""

    __tablename__ = "case_steps"

    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(100), index=True)
    service: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    event_type: Mapped[str] = mapped_column(String(200))
    # The aggregate id: later events of an aggregate already in a case join that case.
    subject: Mapped[str] = mapped_column(String(200), index=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class CaseNumberSeries(Base):
    """The last number given in a series such as `FW-2026`; bumped by one conditional UPDATE."""

    __tablename__ = "case_number_series"

    series: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)
