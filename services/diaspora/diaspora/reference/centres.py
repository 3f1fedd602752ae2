"""The centres for kandas as reference data (`centres.yaml`), read once per process."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.kz import region_of

CentreKind = Literal["accommodation", "adaptation"]


class Centre(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(description="Stable identifier of the centre")
    kind: CentreKind = Field(
        description="accommodation: temporary accommodation centre; adaptation: ҚБЫО"
    )
    region: str = Field(description="KATO code of the region")
    locality: str
    capacity: int = Field(gt=0, description="Places (persons)")
    marked: bool = Field(default=False, description="⚠ placeholder, not from the sources")
    names: dict[str, str]

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        if region_of(value) is None:
            raise ValueError(f"unknown KATO code {value}")
        return value


class _CentreFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str
    centres: list[Centre]


@cache
def _file() -> _CentreFile:
    text = resources.files("diaspora.reference").joinpath("centres.yaml").read_text("utf-8")
    return _CentreFile.model_validate(yaml.safe_load(text))


def centres(kind: CentreKind | None = None) -> list[Centre]:
    return [c for c in _file().centres if kind is None or c.kind == kind]


def centre(centre_id: str, kind: CentreKind) -> Centre | None:
    return next((c for c in centres(kind) if c.id == centre_id), None)


def source() -> str:
    return _file().source
