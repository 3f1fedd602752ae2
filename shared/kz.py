"""Kazakhstan's national identifiers and classifiers: IIN/BIN check digits, KATO regions,
ISO 3166-1 alpha-3 citizenship codes. Formats, not domain rules."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import pycountry
import yaml

_WEIGHTS_FIRST = tuple(range(1, 12))
_WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def is_valid_iin_bin(value: str) -> bool:
    """True for a 12-digit IIN or BIN whose control digit (the 12th) is right."""
    if len(value) != 12 or not value.isdigit():
        return False
    digits = [int(c) for c in value]
    control = sum(w * d for w, d in zip(_WEIGHTS_FIRST, digits, strict=False)) % 11
    if control == 10:
        control = sum(w * d for w, d in zip(_WEIGHTS_SECOND, digits, strict=False)) % 11
        if control == 10:
            return False
    return control == digits[11]


def with_control_digit(first_eleven: str) -> str | None:
    """The full 12-digit identifier for 11 leading digits, or None when no control digit exists."""
    for last in "0123456789":
        if is_valid_iin_bin(first_eleven + last):
            return first_eleven + last
    return None


@dataclass(frozen=True)
class Region:
    code: str
    kind: str
    kk: str
    ru: str
    en: str

    def name(self, language: str) -> str:
        return str(getattr(self, language, self.en))


@cache
def regions() -> dict[str, Region]:
    """The 17 regions and 3 cities of republican significance, by KATO code."""
    text = resources.files("shared.reference").joinpath("regions.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return {row["code"]: Region(**row) for row in data["regions"]}


def region_of(kato_code: str) -> Region | None:
    """The first-level unit a KATO code belongs to (a district's code maps to its region)."""
    if len(kato_code) != 9 or not kato_code.isdigit():
        return None
    return regions().get(kato_code[:2] + "0000000")


@cache
def _alpha3_codes() -> frozenset[str]:
    return frozenset(country.alpha_3 for country in pycountry.countries)


def is_citizenship_code(code: str) -> bool:
    """ISO 3166-1 alpha-3, plus XXA (stateless person) as in machine-readable travel documents."""
    return code in _alpha3_codes() or code == "XXA"
