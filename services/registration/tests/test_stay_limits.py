"""The stay calculator: the 90-in-180 counter, per-entry limits, transit, visas and TRPs.
Fast unit tests and hypothesis properties against a brute-force count."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from registration.rulebook import rulebook
from registration.stays.limits import (
    Period,
    allowed_until,
    days_used,
    overstay_days,
    regime_for,
)

BASE = date(2025, 1, 1)
WINDOW = 180


def brute_force_days(periods: list[Period], on: date, window: int) -> int:
    count = 0
    for offset in range(window):
        day = on - timedelta(days=offset)
        if any(p.entry <= day <= (p.exit or on) for p in periods):
            count += 1
    return count


@st.composite
def trips(draw: st.DrawFn, max_trips: int = 6) -> list[Period]:
    """Non-overlapping stays in order, each with an exit, over about two years."""
    periods: list[Period] = []
    day = BASE + timedelta(days=draw(st.integers(0, 60)))
    for _ in range(draw(st.integers(0, max_trips))):
        length = draw(st.integers(1, 120))
        periods.append(Period(day, day + timedelta(days=length - 1)))
        day += timedelta(days=length + draw(st.integers(1, 90)))
    return periods


on_dates = st.integers(0, 900).map(lambda n: BASE + timedelta(days=n))


@given(trips(), on_dates)
def test_days_used_equals_a_brute_force_count(periods: list[Period], on: date) -> None:
    assert days_used(periods, on, WINDOW) == brute_force_days(periods, on, WINDOW)


@given(trips(), on_dates)
def test_never_more_than_the_window_in_any_window(periods: list[Period], on: date) -> None:
    assert 0 <= days_used(periods, on, WINDOW) <= WINDOW


@given(trips(), on_dates, st.integers(0, 900))
def test_adding_a_day_of_presence_never_lowers_the_count(
    periods: list[Period], on: date, extra: int
) -> None:
    day = BASE + timedelta(days=extra)
    with_day = [*periods, Period(day, day)]
    assert days_used(with_day, on, WINDOW) >= days_used(periods, on, WINDOW)


@given(trips(), on_dates)
def test_overlapping_reports_of_one_day_count_once(periods: list[Period], on: date) -> None:
    assert days_used(periods + periods, on, WINDOW) == days_used(periods, on, WINDOW)


@settings(max_examples=150)
@given(trips(max_trips=4), st.integers(1, 120), st.sampled_from(["RUS", "KGZ", "DEU", "UZB"]))
def test_the_allowed_stay_is_the_last_day_within_every_limit(
    periods: list[Period], gap: int, citizenship: str
) -> None:
    """Staying to the allowed day keeps every window within the limit; one more day breaks one."""
    last_exit = periods[-1].exit if periods else BASE
    assert last_exit is not None
    entry = last_exit + timedelta(days=gap)
    regime = regime_for(
        citizenship=citizenship, entry_date=entry, purpose="tourism", visa_until=None,
        rules=rulebook(),
    )
    assert regime.days_in_window is not None
    until = allowed_until(entry, regime, periods, None)
    if until >= entry:
        stayed = [*periods, Period(entry, until)]
        assert brute_force_days(stayed, until, WINDOW) <= regime.days_in_window
        if regime.days_per_entry is not None:
            assert (until - entry).days + 1 <= regime.days_per_entry
    one_more = until + timedelta(days=1)
    over = [*periods, Period(entry, one_more)]
    breaks_window = brute_force_days(over, one_more, WINDOW) > regime.days_in_window
    breaks_entry = (
        regime.days_per_entry is not None
        and (one_more - entry).days + 1 > regime.days_per_entry
    )
    assert breaks_window or breaks_entry


def test_a_visa_free_foreigner_may_stay_30_days_per_entry() -> None:
    entry = date(2026, 3, 1)
    regime = regime_for(citizenship="DEU", entry_date=entry, purpose="tourism", visa_until=None,
                        rules=rulebook())
    assert regime.regime == "visa_free"
    assert allowed_until(entry, regime, [], None) == entry + timedelta(days=29)
    assert overstay_days(Period(entry), entry + timedelta(days=29), entry + timedelta(days=30)) == 1


def test_an_eaeu_citizen_reaches_90_in_180_across_entries() -> None:
    first = date(2026, 1, 10)
    earlier = [
        Period(first, first + timedelta(days=29)),
        Period(first + timedelta(days=50), first + timedelta(days=79)),
    ]
    entry = first + timedelta(days=110)
    regime = regime_for(citizenship="RUS", entry_date=entry, purpose="private", visa_until=None,
                        rules=rulebook())
    assert regime.regime == "eaeu" and regime.days_per_entry is None
    until = allowed_until(entry, regime, earlier, None)
    assert until == entry + timedelta(days=29)  # 30 + 30 + 30 = 90
    day_91 = until + timedelta(days=1)
    assert days_used([*earlier, Period(entry)], day_91, WINDOW) == 91


def test_uzbekistan_has_its_own_group_only_from_2024() -> None:
    kwargs = {"citizenship": "UZB", "purpose": "work", "visa_until": None, "rules": rulebook()}
    assert regime_for(entry_date=date(2023, 12, 31), **kwargs).regime == "visa_free"  # type: ignore[arg-type]
    assert regime_for(entry_date=date(2024, 1, 1), **kwargs).regime == "uzbekistan"  # type: ignore[arg-type]


def test_eaeu_rules_start_on_27_january_2023() -> None:
    kwargs = {"citizenship": "KGZ", "purpose": "work", "visa_until": None, "rules": rulebook()}
    before = regime_for(entry_date=date(2023, 1, 26), **kwargs)  # type: ignore[arg-type]
    after = regime_for(entry_date=date(2023, 1, 27), **kwargs)  # type: ignore[arg-type]
    assert (before.regime, before.days_per_entry) == ("visa_free", 30)
    assert (after.regime, after.days_per_entry) == ("eaeu", None)
    assert before.rules_applied != after.rules_applied


def test_72_hour_transit_for_china_and_india_only() -> None:
    entry = date(2026, 5, 4)
    for citizenship in ("CHN", "IND"):
        regime = regime_for(citizenship=citizenship, entry_date=entry, purpose="transit",
                            visa_until=None, rules=rulebook())
        assert regime.regime == "transit"
        assert allowed_until(entry, regime, [], None) == entry + timedelta(days=3)
        assert "stay.transit_visa_free@v1" in regime.rules_applied
    other = regime_for(citizenship="USA", entry_date=entry, purpose="transit", visa_until=None,
                       rules=rulebook())
    assert other.regime == "visa_free"
    tourist = regime_for(citizenship="CHN", entry_date=entry, purpose="tourism", visa_until=None,
                         rules=rulebook())
    assert tourist.regime != "transit"


def test_a_visa_holder_stays_to_the_visa_end_and_a_trp_extends_any_stay() -> None:
    entry = date(2026, 6, 1)
    visa_end = date(2026, 6, 20)
    visa = regime_for(citizenship="IND", entry_date=entry, purpose="business",
                      visa_until=visa_end, rules=rulebook())
    assert visa.regime == "visa"
    assert allowed_until(entry, visa, [], None) == visa_end
    free = regime_for(citizenship="DEU", entry_date=entry, purpose="work", visa_until=None,
                      rules=rulebook())
    trp_end = date(2027, 5, 31)
    assert allowed_until(entry, free, [], trp_end) == trp_end
    # A TRP that ended before the normal limit does not shorten it.
    assert allowed_until(entry, free, [], entry) == entry + timedelta(days=29)


def test_a_used_up_window_allows_no_day_of_a_new_entry() -> None:
    first = date(2026, 1, 1)
    earlier = [Period(first, first + timedelta(days=89))]
    entry = first + timedelta(days=100)
    regime = regime_for(citizenship="RUS", entry_date=entry, purpose="private", visa_until=None,
                        rules=rulebook())
    assert allowed_until(entry, regime, earlier, None) == entry - timedelta(days=1)
