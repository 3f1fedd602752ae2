"""Open data as CSV (RFC 4180, UTF-8): the same rows the JSON endpoints give."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from statistics_service.reference.catalog import ReferenceCatalog, ReferenceSeries

REFERENCE_COLUMNS = (
    "period", "period_note", "value", "value_max", "qualifier", "unit", "quality",
    "quality_reason", "source_seed", "source_offset", "source_quote", "note",
)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue()


def series_csv(points: Sequence[dict[str, Any]], group_by: Sequence[str]) -> str:
    """`period`, the grouped dimensions, `value` (empty where suppressed), `suppressed`."""
    header = ["period", *group_by, "value", "suppressed"]
    rows = (
        [point["period"], *(point[d] for d in group_by), point["value"],
         "true" if point.get("suppressed") else "false"]
        for point in points
    )
    return to_csv(header, rows)


def reference_csv(catalog: ReferenceCatalog, series: ReferenceSeries) -> str:
    """One row per value, with its dimensions, unit, quality flag and the quote it comes from."""
    header = [*series.dimensions, *REFERENCE_COLUMNS]
    rows = (
        [
            *(value.dimensions.get(d) for d in series.dimensions),
            value.period, value.period_note, value.value, value.value_max,
            value.qualifier.value, catalog.unit_of(series, value), value.quality.flag.value,
            value.quality.reason, value.source.seed, value.source.offset, value.source.quote,
            value.note,
        ]
        for value in series.values
    )
    return to_csv(header, rows)
