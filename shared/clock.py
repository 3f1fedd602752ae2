"""Dates as Kazakhstan counts them: deadlines are days in the country's own time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

KAZAKHSTAN = ZoneInfo("Asia/Almaty")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return datetime.now(KAZAKHSTAN).date()


def local_date(moment: datetime) -> date:
    return moment.astimezone(KAZAKHSTAN).date()
