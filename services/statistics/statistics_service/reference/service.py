"""Queries over the reference catalogue: pages of the catalogue and filtered values of a series."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from statistics_service.reference.catalog import (
    QualityFlag,
    ReferenceCatalog,
    ReferenceSeries,
    ReferenceValue,
)


class UnknownCursor(ValueError):
    """The cursor names no series of the catalogue."""


@dataclass(frozen=True)
class ValueFilter:
    """Which values of a series to return; an empty filter admits every value.

    Dimension filters match the written value exactly: ``origin_country=UZB`` does not return a
    figure for the group ``KGZ+TJK+UZB``, so that filtered values never count a group twice.
    """

    period: str | None = None
    year: int | None = None
    quality: QualityFlag | None = None
    dimensions: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def admits(self, value: ReferenceValue) -> bool:
        if self.period is not None and value.period != self.period:
            return False
        if self.year is not None:
            years = value.years()
            if years is None or not years[0] <= self.year <= years[1]:
                return False
        if self.quality is not None and value.quality.flag is not self.quality:
            return False
        return all(
            value.dimensions.get(name) in accepted for name, accepted in self.dimensions.items()
        )


def select_values(series: ReferenceSeries, value_filter: ValueFilter) -> list[ReferenceValue]:
    return [value for value in series.values if value_filter.admits(value)]


def catalogue_page(
    catalog: ReferenceCatalog, limit: int, cursor: str | None
) -> tuple[list[ReferenceSeries], str | None]:
    """Up to ``limit`` series after the one named by ``cursor``, and the cursor of the next page."""
    start = 0
    if cursor is not None:
        ids = [series.id for series in catalog.series]
        if cursor not in ids:
            raise UnknownCursor(cursor)
        start = ids.index(cursor) + 1
    page = catalog.series[start : start + limit]
    more = start + limit < len(catalog.series)
    return page, (page[-1].id if more and page else None)


def value_counts_by_seed(series: ReferenceSeries) -> Counter[str]:
    return Counter(value.source.seed for value in series.values)


def quality_counts(series: ReferenceSeries) -> dict[QualityFlag, int]:
    counted = Counter(value.quality.flag for value in series.values)
    return {flag: counted.get(flag, 0) for flag in QualityFlag}
