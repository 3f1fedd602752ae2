"""A rule version that takes effect on a date changes decisions on and after that date only."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources

from registration.arrivals.service import assess_arrival
from registration.invitations.service import invitation_fee
from registration.stays.limits import allowed_until, regime_for
from shared.calendar import default_calendar
from shared.rules import RuleBook, RuleSource

SOURCE = RuleSource(document="Test decree No 1")


def fresh_rulebook() -> RuleBook:
    # A rule book of its own: adding a version must not touch the service's cached one.
    return RuleBook.from_yaml(str(resources.files("registration").joinpath("rules.yaml")))


def test_a_new_stay_limit_applies_to_entries_from_its_date() -> None:
    rules = fresh_rulebook()
    takes_effect = date(2027, 3, 1)
    current = rules.at("stay.limits", takes_effect).value
    assert isinstance(current, dict)
    longer = {**current, "visa_free": {**current["visa_free"], "days_per_entry": 45}}  # type: ignore[dict-item]
    new = rules.add_version("stay.limits", takes_effect, longer, SOURCE)

    def until(entry: date) -> tuple[date, tuple[str, ...]]:
        regime = regime_for(citizenship="DEU", entry_date=entry, purpose="tourism",
                            visa_until=None, rules=rules)
        return allowed_until(entry, regime, [], None), regime.rules_applied

    day_before = takes_effect - timedelta(days=1)
    before, before_refs = until(day_before)
    after, after_refs = until(takes_effect)
    assert before == day_before + timedelta(days=29)
    assert after == takes_effect + timedelta(days=44)
    assert new.ref in after_refs and new.ref not in before_refs


def test_a_new_notification_deadline_applies_from_its_date_only() -> None:
    rules = fresh_rulebook()
    takes_effect = date(2027, 3, 1)
    new = rules.add_version(
        "arrival.notification_deadline_working_days", takes_effect, 5, SOURCE
    )
    calendar = default_calendar()

    def deadline(entry: date) -> tuple[date, list[str]]:
        assessed = assess_arrival(
            entry_date=entry, expected_departure=entry + timedelta(days=5), notified_on=entry,
            rules=rules, calendar=calendar,
        )
        return assessed.deadline, assessed.rules_applied

    old_deadline, old_refs = deadline(date(2027, 2, 26))
    new_deadline, new_refs = deadline(takes_effect)
    assert old_deadline == calendar.add_working_days(date(2027, 2, 26), 3)
    assert new_deadline == calendar.add_working_days(takes_effect, 5)
    assert new.ref in new_refs and new.ref not in old_refs


def test_the_mci_of_the_year_sets_the_invitation_fee() -> None:
    rules = fresh_rulebook()
    for day, mci in ((date(2024, 6, 1), 3692), (date(2025, 6, 1), 3932), (date(2026, 6, 1), 4325)):
        amount, rate, share, refs = invitation_fee(3, day, rules)
        assert rate == mci
        assert amount == share * mci * 3
        assert f"mci.tenge@v{day.year - 2023}" in refs
