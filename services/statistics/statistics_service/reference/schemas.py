"""What the reference endpoints answer: the catalogue and a series with its sourced values."""

from __future__ import annotations

from pydantic import BaseModel, Field

from statistics_service.reference.catalog import LocalizedText, Qualifier, Quality, QualityFlag


class UnitOut(BaseModel):
    id: str = Field(description="Unit id, e.g. 'persons', 'percent', 'kzt_billion'")
    title: str = Field(description="The unit in the language chosen by Accept-Language")
    titles: LocalizedText


class DimensionOut(BaseModel):
    id: str = Field(description="Dimension id; also the name of its query filter")
    title: str
    titles: LocalizedText
    codes: str = Field(description="How the values of this dimension are written")


class SourceDocumentOut(BaseModel):
    seed: str = Field(description="File name of the source document")
    title: str
    titles: LocalizedText
    values: int = Field(description="How many of the series' values come from this document")


class SeriesSummaryOut(BaseModel):
    id: str
    title: str = Field(description="The title in the language chosen by Accept-Language")
    titles: LocalizedText
    unit: UnitOut
    dimensions: list[DimensionOut]
    description: str
    value_count: int = Field(description="Number of values in the series")
    sources: list[SourceDocumentOut]
    quality: dict[QualityFlag, int] = Field(description="Number of values with each quality flag")


class CatalogueOut(BaseModel):
    language: str = Field(description="The language of every `title`: kk, ru or en")
    count: int = Field(description="Number of series in the whole catalogue")
    series: list[SeriesSummaryOut]
    next_cursor: str | None = Field(description="`cursor` for the next page; null on the last")


class ValueSourceOut(BaseModel):
    seed: str
    offset: int = Field(description="Character offset of the quote in the document (from 0)")
    quote: str = Field(description="The exact text of the document at the offset")
    document_title: str


class ValueOut(BaseModel):
    period: str | None = Field(description="Year, month, date, span of years or interval")
    period_note: str | None = Field(description="The period in the document's words, if relative")
    dimensions: dict[str, str]
    value: int | float
    value_max: int | float | None = Field(description="Upper end when the qualifier is 'range'")
    qualifier: Qualifier
    unit: UnitOut
    source: ValueSourceOut
    quality: Quality
    note: str | None


class SeriesOut(SeriesSummaryOut):
    language: str
    values: list[ValueOut] = Field(description="The values that pass the query's filters")


class FieldErrorOut(BaseModel):
    field: str
    code: str
    message: str


class ProblemOut(BaseModel):
    """RFC 9457 problem details (served as application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldErrorOut] | None = None
