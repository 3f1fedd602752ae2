"""The statistics rule book, loaded once from `rules.yaml`."""

from datetime import date
from functools import cache
from importlib import resources

from shared.rules import RuleBook

SMALLEST_PUBLISHED_COUNT = "disclosure.smallest_published_count"


@cache
def rulebook() -> RuleBook:
    return RuleBook.from_yaml(str(resources.files("statistics_service").joinpath("rules.yaml")))


def smallest_published_count(on: date) -> int:
    """Counts from 1 up to (not including) this number are never published."""
    return int(rulebook().at(SMALLEST_PUBLISHED_COUNT, on).value)  # type: ignore[arg-type]
