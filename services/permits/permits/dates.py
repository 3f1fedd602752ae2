"""Calendar arithmetic of permit terms (whole months and years, the last day inclusive)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(start: date, months: int) -> date:
    """The same day `months` later; the month's last day when that day does not exist."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def term_end(start: date, *, months: int = 0, years: int = 0) -> date:
    """The last day of a term that starts on `start` (inclusive) and lasts the months and years."""
    return add_months(start, months + 12 * years) - timedelta(days=1)
