"""How long a foreigner may stay: the citizenship group's limits, the 90-in-180 counter, visas,
TRPs and visa-free transit. Pure functions of dates and rules; no database, no web."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shared.rules import RuleBook

DEFAULT_GROUP = "visa_free"
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """Days present in the country: from entry to exit, both included; `exit` None = still here."""

    entry: date
    exit: date | None = None

    def last_day(self, on: date) -> date:
        return on if self.exit is None else min(self.exit, on)


def present_days(periods: Iterable[Period], first: date, last: date) -> set[date]:
    """The calendar days in [first, last] on which the person was present (each counted once)."""
    days: set[date] = set()
    for period in periods:
        start = max(period.entry, first)
        end = period.last_day(last)
        day = start
        while day <= end:
            days.add(day)
            day += ONE_DAY
    return days


def days_used(periods: Iterable[Period], on: date, window_days: int) -> int:
    """Days present in the window of `window_days` days ending on `on` (entry and exit included)."""
    return len(present_days(periods, on - timedelta(days=window_days - 1), on))


@dataclass(frozen=True)
class StayRegime:
    """The limits that govern one stay, and the rule versions they come from."""

    regime: str  # a citizenship group of stay.limits, "transit", "visa"
    days_per_entry: int | None
    days_in_window: int | None
    window_days: int | None
    fixed_until: date | None  # the visa's end or the transit's last day
    rules_applied: tuple[str, ...]


def regime_for(
    *,
    citizenship: str,
    entry_date: date,
    purpose: str,
    visa_until: date | None,
    rules: RuleBook,
) -> StayRegime:
    """The regime in force on the entry date for this citizenship, visa and purpose."""
    limits = rules.at("stay.limits", entry_date)
    table: dict[str, Any] = limits.value  # type: ignore[assignment]
    group = next(
        (name for name, row in table.items() if citizenship in (row.get("citizenships") or [])),
        DEFAULT_GROUP,
    )
    row = table[group]
    window = row.get("window_days")
    if visa_until is not None:
        return StayRegime("visa", None, None, window, visa_until, (limits.ref,))
    transit = rules.at("stay.transit_visa_free", entry_date)
    transit_value: dict[str, Any] = transit.value  # type: ignore[assignment]
    if purpose == "transit" and citizenship in transit_value["citizenships"]:
        # Hours from the moment of entry; only the entry date is known, so the stay ends on the
        # day on which the hours run out.
        last = entry_date + timedelta(days=math.ceil(int(transit_value["hours"]) / 24))
        return StayRegime("transit", None, None, window, last, (limits.ref, transit.ref))
    return StayRegime(
        group,
        row.get("days_per_entry"),
        row.get("days_in_window"),
        window,
        None,
        (limits.ref,),
    )


def allowed_until(
    entry: date, regime: StayRegime, earlier: Sequence[Period], residence_permit_until: date | None
) -> date:
    """The last day this stay may last, given the person's earlier stays.

    Presence from `entry` is assumed continuous; the answer is the last day on which neither the
    per-entry limit nor the count in the sliding window is exceeded. A TRP extends it to its end.
    The answer is `entry - 1` when the window is already used up on the day of entry.
    """
    if regime.fixed_until is not None:
        limit = regime.fixed_until
    else:
        limit = _limit_from_counts(entry, regime, earlier)
    if residence_permit_until is not None and residence_permit_until > limit:
        return residence_permit_until
    return limit


def _limit_from_counts(entry: date, regime: StayRegime, earlier: Sequence[Period]) -> date:
    per_entry_end = (
        entry + timedelta(days=regime.days_per_entry - 1) if regime.days_per_entry else None
    )
    if regime.days_in_window is None or regime.window_days is None:
        if per_entry_end is None:
            raise ValueError(f"regime {regime.regime!r} limits neither entry nor window")
        return per_entry_end
    window = regime.window_days
    before = sorted(present_days(earlier, entry - timedelta(days=window), entry - ONE_DAY))
    # Each day present from the entry adds one, so the count can exceed the limit no later than
    # `days_in_window` days after the entry.
    last_candidate = entry + timedelta(days=regime.days_in_window)
    if per_entry_end is not None:
        last_candidate = min(last_candidate, per_entry_end)
    last_ok = entry - ONE_DAY
    day = entry
    while day <= last_candidate:
        first_in_window = day - timedelta(days=window - 1)
        count = len(before) - bisect_left(before, first_in_window) + (day - entry).days + 1
        if count > regime.days_in_window:
            break
        last_ok = day
        day += ONE_DAY
    return last_ok


def overstay_days(period: Period, allowed: date, on: date) -> int:
    """Days present after the allowed stay, up to `on` (or the exit if earlier)."""
    return max(0, (period.last_day(on) - allowed).days)

