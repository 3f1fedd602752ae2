"""The domain rules as fast unit tests: deadlines, stay limits, placements and support amounts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diaspora.accommodation.service import stay_limit
from diaspora.adaptation.service import placement_until
from diaspora.dates import add_months, last_day_of_period
from diaspora.kandas.service import decision_deadline, hearing_deadline
from diaspora.reference.centres import centres
from diaspora.resettlement.service import quota_regions, support_schedule
from diaspora.rulebook import rulebook
from shared.calendar import default_calendar
from shared.errors import Problem
from shared.kz import region_of

RULES = rulebook()
CALENDAR = default_calendar()
SWITCH = date(2025, 10, 26)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2028, 12, 31))


def test_five_working_days_until_the_switch_and_three_from_it() -> None:
    assert decision_deadline(SWITCH - timedelta(days=1), RULES, CALENDAR).working_days == 5
    assert decision_deadline(SWITCH, RULES, CALENDAR).working_days == 3
    assert decision_deadline(SWITCH + timedelta(days=1), RULES, CALENDAR).working_days == 3


def test_a_weekend_and_a_holiday_do_not_count() -> None:
    friday = date(2025, 12, 12)  # 16 Dec is Independence Day
    assert decision_deadline(friday, RULES, CALENDAR).due == date(2025, 12, 18)
    assert CALENDAR.holiday_name(date(2025, 12, 16)) is not None


@given(days)
def test_the_decision_is_due_on_a_working_day_n_working_days_later(registered: date) -> None:
    deadline = decision_deadline(registered, RULES, CALENDAR)
    assert CALENDAR.is_working_day(deadline.due)
    assert CALENDAR.working_days_between(registered, deadline.due) == deadline.working_days
    assert deadline.ref.endswith("@v1" if registered < SWITCH else "@v2")


def test_the_hearing_period_exists_only_from_the_switch() -> None:
    assert hearing_deadline(SWITCH - timedelta(days=1), RULES, CALENDAR) is None
    hearing = hearing_deadline(date(2025, 12, 12), RULES, CALENDAR)
    assert hearing is not None
    assert hearing.due == date(2025, 12, 17)


@given(days)
def test_a_centre_stay_lasts_ten_calendar_days_with_the_first(first: date) -> None:
    limit = stay_limit(first, RULES)
    assert (limit.until - first).days + 1 == 10


@given(days, st.integers(min_value=0, max_value=400))
def test_a_placement_ends_with_the_status_or_after_six_months(settled: date, left: int) -> None:
    status_until = settled + timedelta(days=left)
    until, _ref = placement_until(settled, status_until, RULES)
    assert until <= status_until
    assert until <= last_day_of_period(settled, 6)
    assert until in (status_until, last_day_of_period(settled, 6))


@given(days, st.integers(min_value=0, max_value=60))
def test_months_are_added_as_the_calendar_counts(start: date, months: int) -> None:
    later = add_months(start, months)
    assert (later.year - start.year) * 12 + later.month - start.month == months
    assert later.day <= start.day


@given(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    st.integers(min_value=1, max_value=15),
    st.integers(min_value=15, max_value=30),
)
def test_support_is_70_mci_per_member_and_12_months_of_rent(
    decided: date, family: int, rent: int
) -> None:
    schedule = support_schedule(decided, family, rent, RULES)
    mci = RULES.value("mci.tenge", decided)
    assert schedule.mci_tenge == mci
    one_time = [p for p in schedule.payments if p.kind == "one_time"]
    monthly = [p for p in schedule.payments if p.kind == "rent"]
    assert [p.amount_tenge for p in one_time] == [70 * family * mci]  # type: ignore[operator]
    assert len(monthly) == 12
    assert {p.amount_tenge for p in monthly} == {rent * mci}  # type: ignore[operator]
    assert schedule.total_tenge == (70 * family + 12 * rent) * mci  # type: ignore[operator]
    dues = [p.due_on for p in monthly]
    assert dues == sorted(dues) and len(set(dues)) == 12


@pytest.mark.parametrize(("year", "mci"), [(2024, 3692), (2025, 3932), (2026, 4325)])
def test_the_mci_of_each_year(year: int, mci: int) -> None:
    assert support_schedule(date(year, 6, 1), 1, 15, RULES).mci_tenge == mci


@pytest.mark.parametrize("rent", [14, 31])
def test_rent_support_outside_15_to_30_mci_is_refused(rent: int) -> None:
    with pytest.raises(Problem) as refused:
        support_schedule(date(2026, 6, 1), 3, rent, RULES)
    assert refused.value.errors[0].code == "amount_out_of_range"


def test_the_seven_resettlement_regions() -> None:
    regions = quota_regions(date(2026, 1, 1), RULES)
    names = sorted(region_of(code).en for code in regions)  # type: ignore[union-attr]
    assert names == sorted(
        [
            "Akmola Region",
            "East Kazakhstan Region",
            "West Kazakhstan Region",
            "Kostanay Region",
            "Pavlodar Region",
            "North Kazakhstan Region",
            "Abai Region",
        ]
    )


def test_the_centres_reference_data() -> None:
    accommodation = centres("accommodation")
    adaptation = centres("adaptation")
    assert len({c.region for c in accommodation}) == 11
    assert {c.locality for c in adaptation} == {"Karaganda", "Shymkent", "Aksukent village"}
    assert all(region_of(c.region) is not None and c.capacity > 0 for c in accommodation)


def test_every_rule_version_cites_a_source() -> None:
    for definition in RULES:
        for version in definition.versions:
            assert version.source.document or version.source.seed
