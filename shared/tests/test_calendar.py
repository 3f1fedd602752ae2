from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.calendar import (
    TRANSFER_DAYS_PATH,
    TransferDay,
    TransferDayError,
    WorkingCalendar,
    default_calendar,
    load_transfer_days,
)

# Hypothesis draws dates from a span the holidays package models; the bound on the gap below relies
# on Kazakhstan never having a full week without a working day in it.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2040, 12, 31)
MAX_N = 300

days = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
counts = st.integers(min_value=1, max_value=MAX_N)


# The calendar is pure, so one instance (and its per-year cache) serves every test.
CALENDAR = WorkingCalendar()


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        (date(2026, 11, 20), 3, date(2026, 11, 25), "entry on a Friday: Mon, Tue, Wed"),
        (date(2026, 11, 20), 1, date(2026, 11, 23), "the weekend does not count"),
        (date(2026, 11, 21), 1, date(2026, 11, 23), "a start on Saturday counts from Monday"),
        (date(2026, 3, 20), 3, date(2026, 3, 30), "Nauryz 21-23 March, carried to 24-25 March"),
        (date(2026, 12, 15), 3, date(2026, 12, 21), "Independence Day, Wednesday 16 December"),
        (date(2026, 12, 30), 3, date(2027, 1, 6), "31 Dec works; New Year carried to 4 Jan"),
        (date(2027, 1, 6), 1, date(2027, 1, 8), "Orthodox Christmas, Thursday 7 January"),
        (date(2026, 4, 30), 1, date(2026, 5, 4), "1 May, a Friday"),
        (date(2026, 5, 6), 2, date(2026, 5, 12), "7 May off, 8 May works, 9 May carried to 11 May"),
        (date(2026, 7, 3), 1, date(2026, 7, 7), "Capital Day, Monday 6 July"),
        (date(2024, 8, 29), 1, date(2024, 9, 2), "Constitution Day, Friday 30 August 2024"),
        (date(2025, 8, 29), 1, date(2025, 9, 2), "30 August 2025, a Saturday, carried to 1 Sep"),
        (date(2026, 10, 23), 1, date(2026, 10, 27), "Republic Day 25 Oct, a Sunday, carried"),
        (date(2026, 5, 26), 1, date(2026, 5, 28), "Kurban Ait, 27 May 2026"),
        (date(2024, 5, 3), 1, date(2024, 5, 4), "declared working Saturday, 4 May 2024"),
        (date(2024, 5, 3), 3, date(2024, 5, 10), "7 May, declared 8 May, 9 May off"),
        (date(2024, 12, 31), 1, date(2025, 1, 5), "3 Jan 2025 declared off, Sunday 5 Jan works"),
        (date(2026, 11, 20), 0, date(2026, 11, 20), "n == 0 returns the start"),
    ],
)
def test_add_working_days_known_cases(start: date, n: int, expected: date, why: str) -> None:
    assert CALENDAR.add_working_days(start, n) == expected, why


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 20), True),
        (date(2026, 11, 21), False),  # Saturday
        (date(2026, 3, 9), False),  # Women's Day on a Sunday, carried to Monday
        (date(2026, 12, 31), True),  # New Year's Eve is an ordinary working day
        (date(2026, 8, 31), True),  # Constitution Day not kept in 2026: new constitution, 15 March
        (date(2027, 3, 15), False),  # Constitution Day under the 2026 constitution
        (date(2023, 1, 9), True),  # Christmas on Saturday 7 Jan 2023 is not carried over
        (date(2024, 5, 4), True),  # declared working Saturday
        (date(2024, 5, 8), False),  # declared day off
        (date(2020, 5, 11), True),  # Monday whose carried-over Victory Day was moved to 8 May
        (date(2020, 5, 8), False),
    ],
)
def test_is_working_day_known_cases(day: date, working: bool) -> None:
    assert CALENDAR.is_working_day(day) is working


def test_working_days_between() -> None:
    assert CALENDAR.working_days_between(date(2026, 11, 20), date(2026, 11, 25)) == 3
    assert CALENDAR.working_days_between(date(2026, 3, 20), date(2026, 3, 27)) == 2
    assert CALENDAR.working_days_between(date(2026, 11, 20), date(2026, 11, 20)) == 0
    assert CALENDAR.working_days_between(date(2026, 11, 25), date(2026, 11, 20)) == 0
    # Across the year end: 31 Dec 2026, then 5 and 6 Jan 2027.
    assert CALENDAR.working_days_between(date(2026, 12, 30), date(2027, 1, 6)) == 3


def test_holiday_name() -> None:
    assert CALENDAR.holiday_name(date(2026, 12, 16)) == "Independence Day"
    assert CALENDAR.holiday_name(date(2026, 3, 24)) == "Nowruz Holiday (observed)"
    assert CALENDAR.holiday_name(date(2026, 11, 20)) is None
    assert CALENDAR.holiday_name(date(2024, 5, 4)) is None  # a working Saturday is no holiday
    assert CALENDAR.holiday_name(date(2024, 5, 8)) == "Day off (substituted from 05/04/2024)"


def test_names_in_kazakh() -> None:
    assert WorkingCalendar(language="kk").holiday_name(date(2026, 12, 16)) == "Тәуелсіздік күні"


def test_negative_n_rejected() -> None:
    with pytest.raises(ValueError, match="n must be >= 0"):
        CALENDAR.add_working_days(date(2026, 1, 5), -1)


def test_default_calendar_is_cached_and_loads_the_table() -> None:
    assert default_calendar() is default_calendar()
    assert default_calendar().transfers == tuple(load_transfer_days(TRANSFER_DAYS_PATH))


def test_shipped_table_rows_cite_a_source() -> None:
    for row in load_transfer_days(TRANSFER_DAYS_PATH):
        assert row.source.strip()


def write_table(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "transfers.yaml"
    path.write_text(body, encoding="utf-8")
    return path


# Fictional transfers, used only to exercise the table: Friday 8 May 2026 off, Saturday 16 May
# 2026 working.
FICTIONAL_TABLE = """
transfers:
  - date: 2026-05-08
    kind: day_off
    source: "Test resolution No 1"
    note: "Day off (test transfer)"
  - date: 2026-05-16
    kind: working_day
    source: "Test resolution No 1"
"""


def test_table_transfers_change_the_calendar(tmp_path: Path) -> None:
    plain = WorkingCalendar()
    moved = WorkingCalendar.from_yaml(write_table(tmp_path, FICTIONAL_TABLE))

    assert plain.is_working_day(date(2026, 5, 8))
    assert not moved.is_working_day(date(2026, 5, 8))
    assert moved.holiday_name(date(2026, 5, 8)) == "Day off (test transfer)"
    assert not plain.is_working_day(date(2026, 5, 16))
    assert moved.is_working_day(date(2026, 5, 16))
    assert moved.holiday_name(date(2026, 5, 16)) is None
    # Wednesday 6 May + 2: plain Fri 8, Tue 12; with the transfer Tue 12, Wed 13.
    assert plain.add_working_days(date(2026, 5, 6), 2) == date(2026, 5, 12)
    assert moved.add_working_days(date(2026, 5, 6), 2) == date(2026, 5, 13)
    assert moved.working_days_between(date(2026, 5, 15), date(2026, 5, 18)) == 2


def test_day_off_without_note_gets_a_generic_name() -> None:
    row = TransferDay(date=date(2026, 5, 8), kind="day_off", source="Test resolution No 1")
    assert WorkingCalendar([row]).holiday_name(date(2026, 5, 8)) == "Day off (transferred)"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "transfers:\n  - {date: 2026-05-09, kind: day_off, source: X}\n",
            "a day_off must be a weekday",
        ),
        (
            "transfers:\n  - {date: 2026-05-08, kind: working_day, source: X}\n",
            "a working_day must be a weekend day",
        ),
        (
            "transfers:\n  - {date: 2026-05-08, kind: day_off, source: X}\n"
            "  - {date: 2026-05-08, kind: day_off, source: Y}\n",
            "appears more than once",
        ),
        ("transfers:\n  - {date: 2026-05-08, kind: day_off}\n", "source"),
        ("transfers:\n  - {date: 2026-05-08, kind: day_off, source: ''}\n", "source"),
        ("transfers:\n  - {date: 2026-05-08, kind: holiday, source: X}\n", "kind"),
        ("rows: []\n", "transfers"),
        ("transfers: [\n", "cannot read"),
    ],
)
def test_bad_tables_are_rejected(tmp_path: Path, body: str, message: str) -> None:
    path = write_table(tmp_path, body)
    with pytest.raises(TransferDayError, match=message) as error:
        load_transfer_days(path)
    assert str(path) in str(error.value)


@settings(max_examples=300, deadline=None)
@given(day=days)
def test_agrees_with_the_holidays_package(day: date) -> None:
    # With an empty table the calendar must be exactly the package's own view.
    kz = holidays.country_holidays("KZ", years=day.year)
    assert CALENDAR.is_working_day(day) == kz.is_working_day(day)


@settings(max_examples=300, deadline=None)
@given(start=days, n=counts)
def test_result_is_a_working_day_after_start(start: date, n: int) -> None:
    result = CALENDAR.add_working_days(start, n)
    assert result > start
    assert CALENDAR.is_working_day(result)


@settings(max_examples=300, deadline=None)
@given(start=days, n=st.integers(min_value=0, max_value=MAX_N))
def test_between_inverts_add(start: date, n: int) -> None:
    assert CALENDAR.working_days_between(start, CALENDAR.add_working_days(start, n)) == n


@settings(max_examples=300, deadline=None)
@given(start=days, n=counts)
def test_monotonic_in_n(start: date, n: int) -> None:
    assert CALENDAR.add_working_days(start, n) < CALENDAR.add_working_days(start, n + 1)


@settings(max_examples=300, deadline=None)
@given(first=days, later_by=st.integers(min_value=0, max_value=60), n=counts)
def test_monotonic_in_start(first: date, later_by: int, n: int) -> None:
    second = first + timedelta(days=later_by)
    assert CALENDAR.add_working_days(first, n) <= CALENDAR.add_working_days(second, n)


@settings(max_examples=300, deadline=None)
@given(start=days, n=counts)
def test_gap_is_bounded(start: date, n: int) -> None:
    gap = (CALENDAR.add_working_days(start, n) - start).days
    assert n <= gap <= 7 * n


@settings(max_examples=200, deadline=None)
@given(start=days, end=days)
def test_between_counts_each_working_day(start: date, end: date) -> None:
    if (end - start).days > 120:
        end = start + timedelta(days=120)
    expected = sum(
        CALENDAR.is_working_day(start + timedelta(days=offset))
        for offset in range(1, (end - start).days + 1)
    )
    assert CALENDAR.working_days_between(start, end) == expected


def test_no_week_without_a_working_day() -> None:
    # Backs the 7 * n bound above over the whole span the property tests draw from.
    longest = run = 0
    day = FIRST_DAY
    while day <= LAST_DAY + timedelta(days=7 * MAX_N):
        run = 0 if CALENDAR.is_working_day(day) else run + 1
        longest = max(longest, run)
        day += timedelta(days=1)
    assert longest < 7
