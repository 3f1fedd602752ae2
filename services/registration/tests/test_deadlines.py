"""Working-day deadlines (e-Visa review, TRP decision, arrival notification) skip weekends and
Kazakhstan's public holidays: hypothesis against a day-by-day count with the holidays package."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
from hypothesis import given
from hypothesis import strategies as st

from registration.evisa.service import review_deadline
from registration.residence_permits.service import decision_deadline
from registration.rulebook import rulebook
from shared.calendar import default_calendar

days = st.integers(0, 365 * 3).map(lambda n: date(2024, 1, 1) + timedelta(days=n))


def is_working(day: date) -> bool:
    kz = holidays.country_holidays("KZ", years=day.year)
    if day.weekday() >= 5:
        return day in kz.weekend_workdays
    return day not in kz


def brute_force_deadline(start: date, n: int) -> date:
    day, left = start, n
    while left:
        day += timedelta(days=1)
        if is_working(day):
            left -= 1
    return day


@given(days)
def test_the_evisa_review_deadline_counts_working_days_only(submitted: date) -> None:
    due, ref = review_deadline(submitted, rulebook(), default_calendar())
    n = int(rulebook().resolve(ref).value)  # type: ignore[arg-type]
    assert due == brute_force_deadline(submitted, n)
    assert is_working(due)
    assert default_calendar().working_days_between(submitted, due) == n


@given(days)
def test_the_trp_decision_deadline_counts_working_days_only(submitted: date) -> None:
    due, ref = decision_deadline(submitted, rulebook(), default_calendar())
    n = int(rulebook().resolve(ref).value)  # type: ignore[arg-type]
    assert due == brute_force_deadline(submitted, n)
    assert due.weekday() < 5 or is_working(due)
    assert (due - submitted).days >= n


def test_a_friday_application_is_due_on_monday_and_holidays_are_skipped() -> None:
    friday = date(2026, 11, 20)
    assert review_deadline(friday, rulebook(), default_calendar())[0] == date(2026, 11, 23)
    # Wednesday 16 Dec 2026 is Independence Day: a Tuesday application is due on Thursday.
    assert review_deadline(date(2026, 12, 15), rulebook(), default_calendar())[0] == date(
        2026, 12, 17
    )
