"""Versioned rule tables: deadlines, limits, fees and quotas as data with a cited source.

A rule has versions, each with an effective-from date; a decision looks the rule up on its own date
and stores the version's `ref`. See docs/rules.md for the YAML layout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError, model_validator


class RuleFileError(ValueError):
    """A rules file is unreadable or breaks the format; the message names the file and rule."""


class UnknownRule(LookupError):
    """No rule has this id."""


class RuleNotInForce(LookupError):
    """The rule exists but no version of it was in force on the date asked."""


class RuleSource(BaseModel):
    """Where a rule version comes from: a legal document, or a passage of a seed document."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    document: str | None = Field(default=None, description="e.g. 'Government Decree No 148 of ...'")
    article: str | None = Field(default=None, description="Article or paragraph of the document")
    seed: str | None = Field(
        default=None, description="Seed file name, e.g. '001_185f7a4f329f674c'"
    )
    offset: int | None = Field(default=None, ge=0, description="Character offset in the seed")
    note: str | None = None

    @model_validator(mode="after")
    def _cites_something(self) -> RuleSource:
        if not self.document and not self.seed:
            raise ValueError("a source needs a document or a seed")
        if self.offset is not None and not self.seed:
            raise ValueError("an offset needs the seed it points into")
        return self


class RuleVersion(BaseModel):
    """One value of a rule, in force from `effective_from` until the next version."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule_id: str = Field(min_length=1)
    version: int = Field(ge=1)
    effective_from: dt.date
    value: JsonValue
    source: RuleSource
    marked: bool = Field(
        default=False,
        description="⚠ from public descriptions of current practice, administrator-changeable",
    )

    @property
    def ref(self) -> str:
        """What a decision stores to say which version it applied."""
        return f"{self.rule_id}@v{self.version}"


class RuleDefinition(BaseModel):
    """A rule and its versions, oldest first."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule_id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    unit: str | None = None
    description: str
    versions: list[RuleVersion] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _versions_inherit_rule_id(cls, data: Any) -> Any:
        # In a file the id is written once on the rule, not on every version.
        if isinstance(data, dict) and isinstance(data.get("versions"), list):
            rule_id = data.get("rule_id")
            data = {
                **data,
                "versions": [
                    {"rule_id": rule_id, **v} if isinstance(v, dict) and "rule_id" not in v else v
                    for v in data["versions"]
                ],
            }
        return data

    @model_validator(mode="after")
    def _versions_in_order(self) -> RuleDefinition:
        for number, version in enumerate(self.versions, start=1):
            if version.rule_id != self.rule_id:
                raise ValueError(f"version {version.version} belongs to rule {version.rule_id!r}")
            if version.version != number:
                raise ValueError(
                    f"versions must be numbered 1..n in order; found version {version.version} "
                    f"where version {number} was expected"
                )
            if number > 1:
                previous = self.versions[number - 2]
                if version.effective_from <= previous.effective_from:
                    raise ValueError(
                        f"version {number} takes effect on {version.effective_from}, which is not "
                        f"after version {number - 1}'s {previous.effective_from}"
                    )
        return self

    def at(self, on: dt.date) -> RuleVersion:
        """The version in force on `on`: the latest whose effective_from is on or before it."""
        for version in reversed(self.versions):
            if version.effective_from <= on:
                return version
        raise RuleNotInForce(
            f"rule {self.rule_id!r} has no version in force on {on}; "
            f"its first version takes effect on {self.versions[0].effective_from}"
        )


class _RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: list[dict[str, Any]]


def _describe(error: ValidationError) -> str:
    # Pydantic's own text repeats the whole input; an administrator needs the place and the reason.
    return "; ".join(
        f"{'.'.join(map(str, e['loc']))}: {e['msg']}" if e["loc"] else e["msg"]
        for e in error.errors()
    )


def load_rule_file(path: Path | str) -> list[RuleDefinition]:
    """Read and validate one rules YAML file; ids must be unique within it."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RuleFileError(f"{path}: cannot read the rules file: {exc}") from exc
    try:
        entries = _RuleFile.model_validate(raw).rules
    except ValidationError as exc:
        raise RuleFileError(
            f"{path}: expected a top-level 'rules:' list: {_describe(exc)}"
        ) from exc

    definitions: list[RuleDefinition] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        # A file says `id` once per rule; the models say `rule_id`.
        fields = dict(entry)
        rule_id = fields.pop("id", None)
        if not isinstance(rule_id, str) or not rule_id:
            raise RuleFileError(f"{path}: rule #{position} has no id")
        try:
            definition = RuleDefinition.model_validate({**fields, "rule_id": rule_id})
        except ValidationError as exc:
            raise RuleFileError(f"{path}: rule {rule_id!r}: {_describe(exc)}") from exc
        if definition.rule_id in seen:
            raise RuleFileError(f"{path}: rule {definition.rule_id!r} is defined more than once")
        seen.add(definition.rule_id)
        definitions.append(definition)
    return definitions


class RuleBook:
    """The rules a service applies, looked up by id and date."""

    def __init__(self, definitions: Iterable[RuleDefinition] = ()) -> None:
        self._definitions: dict[str, RuleDefinition] = {}
        for definition in definitions:
            if definition.rule_id in self._definitions:
                raise RuleFileError(f"rule {definition.rule_id!r} is defined more than once")
            self._definitions[definition.rule_id] = definition

    @classmethod
    def from_yaml(cls, *paths: Path | str) -> RuleBook:
        """Load one or more rules files; an id may appear in only one of them."""
        origin: dict[str, Path] = {}
        definitions: list[RuleDefinition] = []
        for path in map(Path, paths):
            for definition in load_rule_file(path):
                if definition.rule_id in origin:
                    raise RuleFileError(
                        f"{path}: rule {definition.rule_id!r} is already defined in "
                        f"{origin[definition.rule_id]}"
                    )
                origin[definition.rule_id] = path
                definitions.append(definition)
        return cls(definitions)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._definitions

    def __iter__(self) -> Iterator[RuleDefinition]:
        return iter(self._definitions.values())

    def __len__(self) -> int:
        return len(self._definitions)

    def definitions(self) -> list[RuleDefinition]:
        return list(self._definitions.values())

    def definition(self, rule_id: str) -> RuleDefinition:
        try:
            return self._definitions[rule_id]
        except KeyError:
            raise UnknownRule(f"no rule {rule_id!r}") from None

    def at(self, rule_id: str, on: dt.date) -> RuleVersion:
        """The version of `rule_id` in force on `on`."""
        return self.definition(rule_id).at(on)

    def value(self, rule_id: str, on: dt.date) -> JsonValue:
        return self.at(rule_id, on).value

    def resolve(self, ref: str) -> RuleVersion:
        """The version a decision's stored `ref` ("rule_id@vN") names."""
        rule_id, separator, number = ref.rpartition("@v")
        if not separator or not number.isdigit():
            raise ValueError(f"not a rule version reference: {ref!r}")
        versions = self.definition(rule_id).versions
        index = int(number) - 1
        if not 0 <= index < len(versions):
            raise UnknownRule(f"rule {rule_id!r} has no version {number}")
        return versions[index]

    def add_version(
        self,
        rule_id: str,
        effective_from: dt.date,
        value: JsonValue,
        source: RuleSource,
        *,
        marked: bool = False,
    ) -> RuleVersion:
        """Append a version in memory; the caller persists the returned version.

        Earlier versions stay as they are, so decisions already taken keep pointing at what they
        applied; only lookups on or after `effective_from` see the new value.
        """
        current = self.definition(rule_id)
        latest = current.versions[-1]
        if effective_from <= latest.effective_from:
            raise ValueError(
                f"rule {rule_id!r}: a new version must take effect after "
                f"version {latest.version}'s {latest.effective_from}, not on {effective_from}"
            )
        new_version = RuleVersion(
            rule_id=rule_id,
            version=latest.version + 1,
            effective_from=effective_from,
            value=value,
            source=source,
            marked=marked,
        )
        # Rebuilt through validation so the definition's invariants are checked once more.
        self._definitions[rule_id] = RuleDefinition.model_validate(
            {
                **current.model_dump(exclude={"versions"}),
                "versions": [*current.versions, new_version],
            }
        )
        return new_version
