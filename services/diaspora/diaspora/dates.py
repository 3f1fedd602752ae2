"""Calendar arithmetic the rules need (months counted as the civil calendar counts them)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(start: date, months: int) -> date:
    """The same day `months` later; the month's last day when that month is shorter."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def last_day_of_period(start: date, months: int) -> date:
    """The last day of a period of `months` that begins on `start` (start + months − 1 day)."""
    return add_months(start, months) - timedelta(days=1)
