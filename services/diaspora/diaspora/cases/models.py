"""The case-number series (the cases themselves are the kandas applications' `case_id`)."""

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from diaspora.base import Base


class CaseNumberSeries(Base):
    """The last number given in a series such as `KF-2026`; bumped by one conditional UPDATE."""

    __tablename__ = "case_number_series"

    series: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)
