"""Kazakhstan's working-day calendar, for deadlines counted in working days.

Public holidays, their weekend carry-overs and the government's transfers up to the package's last
covered year come from the `holidays` package; transfers it does not know yet come from
`reference/kz_transfer_days.yaml`. See docs/rules.md.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import holidays
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

TRANSFER_DAYS_PATH = Path(__file__).parent / "reference" / "kz_transfer_days.yaml"

_SATURDAY = 5
_DECLARED_DAY_OFF_NAME = "Day off (transferred)"


class TransferDayError(ValueError):
    """The transfer-days table is malformed."""


class TransferDay(BaseModel):
    """One government-declared transfer of a day off."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: dt.date
    kind: Literal["day_off", "working_day"] = Field(
        description="day_off: a weekday declared non-working; "
        "working_day: a Saturday or Sunday declared working"
    )
    source: str = Field(min_length=1, description="The decree or resolution that declared it")
    note: str | None = Field(default=None, description="Shown as the day's name for a day_off")

    @model_validator(mode="after")
    def _kind_matches_weekday(self) -> TransferDay:
        is_weekend = self.date.weekday() >= _SATURDAY
        if self.kind == "day_off" and is_weekend:
            raise ValueError(f"{self.date} is a {self.date:%A}: a day_off must be a weekday")
        if self.kind == "working_day" and not is_weekend:
            raise ValueError(
                f"{self.date} is a {self.date:%A}: a working_day must be a weekend day"
            )
        return self


class TransferDayTable(BaseModel):
    """The contents of a transfer-days YAML file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    transfers: list[TransferDay]

    @field_validator("transfers")
    @classmethod
    def _one_row_per_date(cls, transfers: list[TransferDay]) -> list[TransferDay]:
        seen: set[dt.date] = set()
        for row in transfers:
            if row.date in seen:
                raise ValueError(f"{row.date} appears more than once")
            seen.add(row.date)
        return transfers


def load_transfer_days(path: Path | str) -> list[TransferDay]:
    """Read and validate a transfer-days YAML file."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TransferDayError(f"{path}: cannot read the transfer-days table: {exc}") from exc
    try:
        return TransferDayTable.model_validate(raw).transfers
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise TransferDayError(f"{path}: invalid transfer-days table: {reasons}") from exc


@dataclass(frozen=True, slots=True)
class _Year:
    working_days: tuple[dt.date, ...]  # sorted, so counting and stepping are bisections
    working_set: frozenset[dt.date]
    names: dict[dt.date, str]


class WorkingCalendar:
    """Working days in Kazakhstan on the five-day week (Monday to Friday)."""

    def __init__(self, transfers: Iterable[TransferDay] = (), *, language: str = "en_US") -> None:
        self._transfers = tuple(sorted(transfers, key=lambda row: row.date))
        self._language = language
        self._years: dict[int, _Year] = {}

    @classmethod
    def from_yaml(cls, path: Path | str, *, language: str = "en_US") -> WorkingCalendar:
        return cls(load_transfer_days(path), language=language)

    @property
    def transfers(self) -> tuple[TransferDay, ...]:
        return self._transfers

    def is_working_day(self, day: dt.date) -> bool:
        return day in self._year(day.year).working_set

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (`start` itself never counts); `start` when n == 0."""
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        if n == 0:
            return start
        year = start.year
        days = self._year(year).working_days
        index = bisect_right(days, start)
        remaining = n
        while remaining > len(days) - index:
            remaining -= len(days) - index
            year += 1
            days = self._year(year).working_days
            index = 0
        return days[index + remaining - 1]

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """The number of working days in (start, end]; 0 when end <= start."""
        if end <= start:
            return 0
        count = 0
        for year in range(start.year, end.year + 1):
            days = self._year(year).working_days
            upper = bisect_right(days, end) if year == end.year else len(days)
            lower = bisect_right(days, start) if year == start.year else 0
            count += upper - lower
        return count

    def holiday_name(self, day: dt.date) -> str | None:
        """The public holiday or declared day off on `day`, if any."""
        return self._year(day.year).names.get(day)

    def _year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is None:
            cached = self._years[year] = self._build_year(year)
        return cached

    def _build_year(self, year: int) -> _Year:
        if year > dt.MAXYEAR:
            raise OverflowError(f"no working days are known after {dt.date.max}")
        kz = holidays.country_holidays("KZ", years=year, language=self._language)
        names = dict(kz)
        # The package lists transfers that cross a year end under every year; keep this year's.
        working_weekend_days = {day for day in kz.weekend_workdays if day.year == year}
        for row in self._transfers:
            if row.date.year != year:
                continue
            if row.kind == "working_day":
                working_weekend_days.add(row.date)
            else:
                names.setdefault(row.date, row.note or _DECLARED_DAY_OFF_NAME)

        first = dt.date(year, 1, 1)
        every_day = (
            first + dt.timedelta(days=i)
            for i in range(dt.date(year, 12, 31).toordinal() - first.toordinal() + 1)
        )
        working = tuple(
            day
            for day in every_day
            if (day in working_weekend_days if day.weekday() >= _SATURDAY else day not in names)
        )
        return _Year(working, frozenset(working), names)


@cache
def default_calendar() -> WorkingCalendar:
    """The calendar with the project's transfer-days table, built once per process."""
    return WorkingCalendar.from_yaml(TRANSFER_DAYS_PATH)
