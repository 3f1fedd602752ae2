"""Public endpoints for the official reference series taken from the source documents."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from shared.errors import PROBLEM_JSON, FieldError, Problem, problem_response
from shared.i18n import negotiate_language, register_messages
from shared.limits import rate_limit
from statistics_service.reference.catalog import (
    PERIOD_PATTERN,
    Language,
    QualityFlag,
    ReferenceCatalog,
    ReferenceSeries,
    ReferenceValue,
    load_reference_catalog,
)
from statistics_service.reference.schemas import (
    CatalogueOut,
    DimensionOut,
    ProblemOut,
    SeriesOut,
    SeriesSummaryOut,
    SourceDocumentOut,
    UnitOut,
    ValueOut,
    ValueSourceOut,
)
from statistics_service.reference.service import (
    UnknownCursor,
    ValueFilter,
    catalogue_page,
    quality_counts,
    select_values,
    value_counts_by_seed,
)

router = APIRouter(tags=["reference"])

SERIES_NOT_FOUND = "reference_series_not_found"
_VALUE_PARAMETERS = ("period", "year", "quality")
_PROBLEM_RESPONSE: dict[str, Any] = {"model": ProblemOut, "content": {PROBLEM_JSON: {}}}

register_messages(
    {
        f"{SERIES_NOT_FOUND}.title": {
            "kk": "Анықтамалық қатар табылмады",
            "ru": "Справочный ряд не найден",
            "en": "Reference series not found",
        },
        f"{SERIES_NOT_FOUND}.detail": {
            "kk": "«{series_id}» анықтамалық қатары жоқ; тізімі: GET /api/v1/reference",
            "ru": "Справочного ряда «{series_id}» нет; список: GET /api/v1/reference",
            "en": "There is no reference series '{series_id}'; see GET /api/v1/reference",
        },
    }
)


def _language(request: Request, response: Response) -> Language:
    language = Language(negotiate_language(request.headers.get("accept-language")))
    response.headers["Content-Language"] = language.value
    response.headers["Vary"] = "Accept-Language"
    return language


def _unit(catalog: ReferenceCatalog, unit_id: str, language: Language) -> UnitOut:
    titles = catalog.units[unit_id].titles
    return UnitOut(id=unit_id, title=titles.pick(language), titles=titles)


def _summary(
    catalog: ReferenceCatalog, series: ReferenceSeries, language: Language
) -> dict[str, Any]:
    seeds = value_counts_by_seed(series)
    return {
        "id": series.id,
        "title": series.titles.pick(language),
        "titles": series.titles,
        "unit": _unit(catalog, series.unit, language),
        "dimensions": [
            DimensionOut(
                id=name,
                title=catalog.dimensions[name].titles.pick(language),
                titles=catalog.dimensions[name].titles,
                codes=catalog.dimensions[name].codes,
            )
            for name in series.dimensions
        ],
        "description": series.description,
        "value_count": len(series.values),
        "sources": [
            SourceDocumentOut(
                seed=seed,
                title=catalog.documents[seed].titles.pick(language),
                titles=catalog.documents[seed].titles,
                values=seeds[seed],
            )
            for seed in series.seeds()
        ],
        "quality": quality_counts(series),
    }


def _value(
    catalog: ReferenceCatalog, series: ReferenceSeries, value: ReferenceValue, language: Language
) -> ValueOut:
    source = value.source
    return ValueOut(
        period=value.period,
        period_note=value.period_note,
        dimensions=dict(value.dimensions),
        value=value.value,
        value_max=value.value_max,
        qualifier=value.qualifier,
        unit=_unit(catalog, catalog.unit_of(series, value), language),
        source=ValueSourceOut(
            seed=source.seed,
            offset=source.offset,
            quote=source.quote,
            document_title=catalog.documents[source.seed].titles.pick(language),
        ),
        quality=value.quality,
        note=value.note,
    )


def _invalid(errors: list[FieldError]) -> Problem:
    return Problem(422, "validation", params={"count": len(errors)}, errors=errors)


def _value_filter(
    series: ReferenceSeries,
    request: Request,
    period: str | None,
    raw_year: str | None,
    raw_quality: str | None,
) -> ValueFilter | Problem:
    """The query's filters, checked here so that a bad one is a problem document on any app."""
    errors: list[FieldError] = []
    if period is not None and not PERIOD_PATTERN.match(period):
        errors.append(FieldError("period", "pattern", {"pattern": PERIOD_PATTERN.pattern}))
    year: int | None = None
    if raw_year is not None:
        if re.fullmatch(r"\d{4}", raw_year):
            year = int(raw_year)
        else:
            errors.append(FieldError("year", "number"))
    quality: QualityFlag | None = None
    if raw_quality is not None:
        if raw_quality in {flag.value for flag in QualityFlag}:
            quality = QualityFlag(raw_quality)
        else:
            expected = ", ".join(flag.value for flag in QualityFlag)
            errors.append(FieldError("quality", "choice", {"expected": expected}))
    params = request.query_params
    dimensions: dict[str, frozenset[str]] = {}
    for name in params:
        if name in _VALUE_PARAMETERS:
            continue
        if name not in series.dimensions:
            expected = ", ".join((*_VALUE_PARAMETERS, *series.dimensions))
            errors.append(FieldError(name, "choice", {"expected": expected}))
            continue
        parts = (part.strip() for item in params.getlist(name) for part in item.split(","))
        dimensions[name] = frozenset(part for part in parts if part)
    if errors:
        return _invalid(errors)
    return ValueFilter(period=period, year=year, quality=quality, dimensions=dimensions)


@router.get(
    "/reference",
    summary="The catalogue of official reference series",
    response_model=CatalogueOut,
    responses={422: _PROBLEM_RESPONSE},
    dependencies=[rate_limit("public")],
)
async def list_reference_series(
    request: Request,
    response: Response,
    limit: Annotated[int, Query(ge=1, le=500, description="Series per page")] = 100,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page")] = None,
) -> CatalogueOut | Response:
    """Every reference series: titles (kk, ru, en), unit, dimensions, value count and sources."""
    language = _language(request, response)
    catalog = load_reference_catalog()
    try:
        page, next_cursor = catalogue_page(catalog, limit, cursor)
    except UnknownCursor:
        return problem_response(request, _invalid([FieldError("cursor", "invalid")]))
    return CatalogueOut(
        language=language.value,
        count=len(catalog.series),
        series=[SeriesSummaryOut(**_summary(catalog, series, language)) for series in page],
        next_cursor=next_cursor,
    )


@router.get(
    "/reference/{series_id}",
    summary="One reference series with every value, its source and quality flag",
    response_model=SeriesOut,
    responses={404: _PROBLEM_RESPONSE, 422: _PROBLEM_RESPONSE},
    dependencies=[rate_limit("public")],
)
async def get_reference_series(
    series_id: str,
    request: Request,
    response: Response,
    period: Annotated[
        str | None, Query(description="Exact period as written, e.g. 2019, 1950-1959, 2021-11-01")
    ] = None,
    year: Annotated[
        str | None, Query(description="Values whose period touches this year, e.g. 2020")
    ] = None,
    quality: Annotated[
        str | None, Query(description="Only values with this flag: ok, inconsistent or unclear")
    ] = None,
) -> SeriesOut | Response:
    """The values of a series; filter by `period`, `year`, `quality` or any of its dimensions.

    A dimension filter is the dimension's id with one or more comma-separated values, e.g.
    `?origin_country=RUS,UZB`; it matches the value as written (a group such as `KGZ+TJK+UZB`
    only by its full code).
    """
    language = _language(request, response)
    catalog = load_reference_catalog()
    series = catalog.get(series_id)
    if series is None:
        problem = Problem(404, SERIES_NOT_FOUND, params={"series_id": series_id})
        return problem_response(request, problem)
    value_filter = _value_filter(series, request, period, year, quality)
    if isinstance(value_filter, Problem):
        return problem_response(request, value_filter)
    return SeriesOut(
        **_summary(catalog, series, language),
        language=language.value,
        values=[
            _value(catalog, series, value, language)
            for value in select_values(series, value_filter)
        ],
    )
