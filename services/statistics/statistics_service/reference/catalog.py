"""Official reference series taken from the source documents, with provenance.

Every value in ``series.yaml`` names the seed document it comes from, the character offset of a
short quote in that document, and a quality flag. Loading validates all of it and refuses to start
on the first catalogue that does not match its documents: a reference figure that cannot be traced
back to the text is worse than no figure.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from enum import StrEnum
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Annotated, Any, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

SERIES_FILE = "series.yaml"
SOURCES_DIR = "sources"

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")]
# A dimension value: an ISO 3166-1 alpha-3 code, a KATO code, a lowercase slug ("total",
# "central-asia", "yes"), or several codes joined by "+" for a figure that covers a group.
DimensionValue = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]+(?:\+[A-Za-z0-9-]+)*$")]

_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
# A year ("2019"), a month ("2021-06"), a date ("2021-11-01"), a span of years ("1950-1959")
# or an ISO 8601 interval of any of those ("2020-10/2021-10").
PERIOD_PATTERN = re.compile(rf"^(?:\d{{4}}-\d{{4}}|{_DATE}(?:/{_DATE})?)$")


class ReferenceCatalogError(ValueError):
    """The reference catalogue does not match its schema or its source documents."""


class Language(StrEnum):
    KK = "kk"
    RU = "ru"
    EN = "en"


class Qualifier(StrEnum):
    """How the document qualifies the figure ("more than 13 thousand", "about 4 million")."""

    EXACT = "exact"
    MORE_THAN = "more_than"
    LESS_THAN = "less_than"
    ABOUT = "about"
    AT_LEAST = "at_least"
    RANGE = "range"
    UP_TO = "up_to"


class QualityFlag(StrEnum):
    OK = "ok"
    INCONSISTENT = "inconsistent"
    UNCLEAR = "unclear"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalizedText(_Strict):
    kk: Annotated[str, StringConstraints(min_length=1)]
    ru: Annotated[str, StringConstraints(min_length=1)]
    en: Annotated[str, StringConstraints(min_length=1)]

    def pick(self, language: Language) -> str:
        return str(getattr(self, language.value))


class Quality(_Strict):
    """Whether the figure can be used as stated; the reason says what is wrong with it."""

    flag: QualityFlag = QualityFlag.OK
    reason: str | None = None

    @model_validator(mode="after")
    def _reason_when_flagged(self) -> Self:
        if self.flag is not QualityFlag.OK and not self.reason:
            raise ValueError(f"quality flag {self.flag.value!r} needs a reason")
        return self


class ValueSource(_Strict):
    """Where the value is written: ``text[offset:offset + len(quote)] == quote`` in ``seed``."""

    seed: Annotated[str, StringConstraints(pattern=r"^\d{3}_[0-9a-f]+\.txt$")]
    offset: Annotated[int, Field(ge=0)]
    quote: Annotated[str, StringConstraints(min_length=5, max_length=200)]


class ReferenceValue(_Strict):
    period: str | None = Field(
        default=None, description="Year, month, date, span of years or interval; null if unstated"
    )
    period_note: str | None = Field(
        default=None, description="The period as the document words it when it is relative"
    )
    dimensions: dict[Slug, DimensionValue] = Field(default_factory=dict)
    value: int | float
    value_max: int | float | None = None
    qualifier: Qualifier = Qualifier.EXACT
    unit: Slug | None = Field(default=None, description="Set only where it differs from the series")
    source: ValueSource
    quality: Quality = Field(default_factory=Quality)
    note: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if self.period is not None and not PERIOD_PATTERN.match(self.period):
            raise ValueError(f"period {self.period!r} is not a year, date, span or interval")
        if (self.qualifier is Qualifier.RANGE) != (self.value_max is not None):
            raise ValueError("value_max is given exactly when the qualifier is 'range'")
        if self.value_max is not None and self.value_max <= self.value:
            raise ValueError("value_max must be above value")
        return self

    def years(self) -> tuple[int, int] | None:
        """First and last calendar year the period touches, or None when it is not stated."""
        if self.period is None:
            return None
        if re.fullmatch(r"\d{4}-\d{4}", self.period):
            first, last = self.period.split("-")
            return int(first), int(last)
        parts = self.period.split("/")
        return int(parts[0][:4]), int(parts[-1][:4])


class Unit(_Strict):
    titles: LocalizedText
    scale: float = Field(
        default=1.0, gt=0, description="Multiplier to count units: 1e9 for 'KZT billion'"
    )


class Dimension(_Strict):
    titles: LocalizedText
    codes: str = Field(description="How the values of this dimension are written")


class SourceDocument(_Strict):
    titles: LocalizedText
    description: str


class ReferenceSeries(_Strict):
    id: Slug
    titles: LocalizedText
    unit: Slug
    dimensions: list[Slug] = Field(default_factory=list)
    description: str
    values: Annotated[list[ReferenceValue], Field(min_length=1)]

    def seeds(self) -> list[str]:
        return sorted({value.source.seed for value in self.values})


class ReferenceCatalog(_Strict):
    documents: dict[str, SourceDocument]
    units: dict[Slug, Unit]
    dimensions: dict[Slug, Dimension]
    series: list[ReferenceSeries]

    def get(self, series_id: str) -> ReferenceSeries | None:
        return next((series for series in self.series if series.id == series_id), None)

    def unit_of(self, series: ReferenceSeries, value: ReferenceValue) -> str:
        return value.unit or series.unit


# --- numbers as the documents write them -------------------------------------------------------

_SCALE_WORDS: tuple[tuple[str, float], ...] = (
    ("миллиард", 1e9),
    ("млрд", 1e9),
    ("миллион", 1e6),
    ("млн", 1e6),
    ("мың", 1e3),
)
# Whole tokens only: "он" is ten, but "онда" is "there".
_NUMBER_WORDS: Mapping[str, float] = {
    "бір": 1,
    "екі": 2,
    "үш": 3,
    "төрт": 4,
    "бес": 5,
    "алты": 6,
    "жеті": 7,
    "сегіз": 8,
    "тоғыз": 9,
    "он": 10,
    "екінші": 2,
    "үшінші": 3,
    "үшеуі": 3,
}
_SPACE = "[ \u00a0\u202f]"
_DECIMAL = re.compile(r"(?<![\d,.])\d+(?:[,.]\d+)?(?![\d])")
_COMMA_THOUSANDS = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d,])")
_SPACE_THOUSANDS = re.compile(rf"(?<![\d])\d{{1,3}}(?:{_SPACE}\d{{3}})+(?![\d])")
_RANGE_TAIL = re.compile(r"\s*[-–]\s*\d+(?:[,.]\d+)?")
_WORD = re.compile(r"[^\W\d_]+")


def _scale_after(text: str, position: int) -> float | None:
    rest = text[position:].lstrip(" \u00a0\u202f\n").lower()
    for word, factor in _SCALE_WORDS:
        if rest.startswith(word):
            return factor
    return None


def _with_scale(text: str, number: float, end: int) -> Iterable[float]:
    yield number
    factor = _scale_after(text, end)
    if factor is None:
        # "25,5-27,5 мың": the scale written after a range applies to both ends.
        tail = _RANGE_TAIL.match(text, end)
        if tail is not None:
            factor = _scale_after(text, tail.end())
    if factor is not None:
        yield number * factor
        # "25 млрд 880 млн", "14 млн. 916 мың": a larger unit followed by a smaller one.
        compound = re.match(
            r"\s*(?:миллиард|млрд|миллион|млн)[^\s\d]*\s+(\d+)\s*(миллион|млн|мың)",
            text[end:],
            re.IGNORECASE,
        )
        if compound is not None:
            smaller = dict(_SCALE_WORDS)[compound.group(2).lower()]
            if smaller < factor:
                yield number * factor + int(compound.group(1)) * smaller


def numbers_in_text(text: str) -> set[float]:
    """Every number the text states, in each reading it allows.

    Digits with a decimal comma ("33,7"), thousands separated by a space ("89 292") or a comma
    ("150,000"), scale words ("13 мыңнан", "4,9 миллиард", "25 млрд 880 млн"), Kazakh number words
    ("Төрт миллионға", "он ел", "екінші"), and the fractions "үштен бір" (1/3) and "жарты" (1/2),
    the latter also as percentages.
    """
    found: set[float] = set()
    for match in _DECIMAL.finditer(text):
        found.update(_with_scale(text, float(match.group().replace(",", ".")), match.end()))
    for pattern in (_COMMA_THOUSANDS, _SPACE_THOUSANDS):
        for match in pattern.finditer(text):
            digits = re.sub(r"\D", "", match.group())
            found.update(_with_scale(text, float(digits), match.end()))
    lowered = text.lower()
    words = list(_WORD.finditer(lowered))
    for index, word in enumerate(words):
        token = word.group()
        if token in _NUMBER_WORDS:
            found.update(_with_scale(lowered, _NUMBER_WORDS[token], word.end()))
        following = words[index + 1].group() if index + 1 < len(words) else ""
        if token == "үштен" and following.startswith("бір"):
            found.update({1 / 3, round(100 / 3, 2)})
        if token.startswith("жарты"):
            found.update({0.5, 50.0})
    return found


def states_number(text: str, value: float, scale: float = 1.0) -> bool:
    """Whether ``text`` writes ``value`` (in a unit worth ``scale``) in some form; sign aside."""
    targets = {abs(value), abs(value) * scale}
    return any(
        math.isclose(target, found, rel_tol=1e-9, abs_tol=1e-12)
        for target in targets
        for found in numbers_in_text(text)
    )


# --- loading and validation --------------------------------------------------------------------


def _package_files() -> Traversable:
    return resources.files(__package__ or "statistics_service.reference")


@cache
def read_source(seed: str) -> str:
    """The seed document as a Python str, newlines untranslated (offsets count characters)."""
    # Decoding the bytes keeps "\r\n" and "\r" as they are; text-mode reading would not.
    return (_package_files() / SOURCES_DIR / seed).read_bytes().decode("utf-8")


def _problems(catalog: ReferenceCatalog) -> Iterable[str]:
    seen_ids: set[str] = set()
    for series in catalog.series:
        where = f"series {series.id!r}"
        if series.id in seen_ids:
            yield f"{where}: duplicate series id"
        seen_ids.add(series.id)
        if series.unit not in catalog.units:
            yield f"{where}: unknown unit {series.unit!r}"
        for dimension in series.dimensions:
            if dimension not in catalog.dimensions:
                yield f"{where}: unknown dimension {dimension!r}"
        groups: defaultdict[tuple[str | None, tuple[tuple[str, str], ...]], list[ReferenceValue]]
        groups = defaultdict(list)
        for index, value in enumerate(series.values):
            at = f"{where} value #{index} ({value.period}, {value.dimensions})"
            groups[(value.period, tuple(sorted(value.dimensions.items())))].append(value)
            if set(value.dimensions) != set(series.dimensions):
                yield f"{at}: dimensions {sorted(value.dimensions)} != {sorted(series.dimensions)}"
            unit = catalog.unit_of(series, value)
            if unit not in catalog.units:
                yield f"{at}: unknown unit {unit!r}"
                continue
            source = value.source
            if source.seed not in catalog.documents:
                yield f"{at}: seed {source.seed!r} is not a listed document"
                continue
            try:
                text = read_source(source.seed)
            except FileNotFoundError:
                yield f"{at}: seed file {source.seed!r} is missing from {SOURCES_DIR}/"
                continue
            found = text[source.offset : source.offset + len(source.quote)]
            if found != source.quote:
                yield f"{at}: quote not at offset {source.offset}: {found!r} != {source.quote!r}"
                continue
            scale = catalog.units[unit].scale
            if not states_number(source.quote, value.value, scale):
                yield f"{at}: {value.value} is not written in the quote {source.quote!r}"
            if value.value_max is not None and not states_number(
                source.quote, value.value_max, scale
            ):
                yield f"{at}: {value.value_max} is not written in the quote {source.quote!r}"
        for (period, dimensions), values in groups.items():
            if len(values) > 1 and any(v.quality.flag is QualityFlag.OK for v in values):
                yield (
                    f"{where}: {len(values)} values for period {period!r} and {dict(dimensions)}"
                    " and not all of them flagged"
                )


def parse_catalog(document: Mapping[str, Any]) -> ReferenceCatalog:
    """Validate a catalogue mapping against the schema and against the seed documents."""
    try:
        catalog = ReferenceCatalog.model_validate(document)
    except ValueError as error:
        raise ReferenceCatalogError(f"{SERIES_FILE} does not match the schema: {error}") from error
    problems = list(_problems(catalog))
    if problems:
        listed = "\n  ".join(problems)
        raise ReferenceCatalogError(f"{len(problems)} problem(s) in {SERIES_FILE}:\n  {listed}")
    return catalog


@cache
def load_reference_catalog() -> ReferenceCatalog:
    """The validated reference catalogue, read once per process."""
    raw = (_package_files() / SERIES_FILE).read_text(encoding="utf-8")
    document = yaml.safe_load(raw)
    if not isinstance(document, dict):
        raise ReferenceCatalogError(f"{SERIES_FILE} must be a mapping")
    return parse_catalog(document)
