"""The permits rule book, loaded once from `rules.yaml`, and typed look-ups into it."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from shared.rules import RuleBook, RuleVersion

RULES_FILE = "rules.yaml"


def rules_path() -> str:
    return str(resources.files("permits").joinpath(RULES_FILE))


@cache
def rulebook() -> RuleBook:
    return RuleBook.from_yaml(rules_path())


def merged(earlier: list[str], later: list[str]) -> list[str]:
    """The rule refs of an earlier decision followed by the new ones it did not apply yet."""
    return [*earlier, *(ref for ref in later if ref not in earlier)]


class Applied:
    """The rule versions one decision looked up, in order, for its `rules_applied`."""

    def __init__(self, rules: RuleBook) -> None:
        self.rules = rules
        self.refs: list[str] = []

    def version(self, rule_id: str, on: date) -> RuleVersion:
        version = self.rules.at(rule_id, on)
        if version.ref not in self.refs:
            self.refs.append(version.ref)
        return version

    def value(self, rule_id: str, on: date) -> Any:
        return self.version(rule_id, on).value

    def integer(self, rule_id: str, on: date) -> int:
        value = self.value(rule_id, on)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"rule {rule_id!r} is not a number: {value!r}")
        return int(value)

    def mapping(self, rule_id: str, on: date) -> dict[str, Any]:
        value = self.value(rule_id, on)
        if not isinstance(value, dict):
            raise TypeError(f"rule {rule_id!r} is not a mapping: {value!r}")
        return value

    def strings(self, rule_id: str, on: date) -> list[str]:
        value = self.value(rule_id, on)
        if isinstance(value, dict):
            return [str(k) for k in value]
        if not isinstance(value, list):
            raise TypeError(f"rule {rule_id!r} is not a list: {value!r}")
        return [str(v) for v in value]
