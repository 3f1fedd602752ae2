"""Pydantic types for national identifiers and classifiers, with localized error codes."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from shared.kz import is_citizenship_code, is_valid_iin_bin, region_of


def _iin(value: str) -> str:
    if not is_valid_iin_bin(value):
        raise PydanticCustomError("iin_invalid", "not a valid IIN")
    return value


def _bin(value: str) -> str:
    if not is_valid_iin_bin(value):
        raise PydanticCustomError("bin_invalid", "not a valid BIN")
    return value


def _citizenship(value: str) -> str:
    code = value.upper()
    if not is_citizenship_code(code):
        raise PydanticCustomError("citizenship_unknown", "not an ISO 3166-1 alpha-3 code")
    return code


def _kato(value: str) -> str:
    if region_of(value) is None:
        raise PydanticCustomError("region_unknown", "unknown KATO code")
    return value


Iin = Annotated[str, AfterValidator(_iin)]
Bin = Annotated[str, AfterValidator(_bin)]
Citizenship = Annotated[str, AfterValidator(_citizenship)]
KatoCode = Annotated[str, AfterValidator(_kato)]
