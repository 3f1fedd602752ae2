"""The committed event contracts match the code, changes within a version are additive, and no
event carries personal data."""

from __future__ import annotations

from typing import ClassVar

import pytest
from pydantic import Field

from conftest import REPO
from shared.cli import SERVICES
from shared.contracts import (
    CONTRACTS_DIR,
    breaking_changes,
    contract_files,
    event_classes,
    event_schema,
    render,
    write_contracts,
)
from shared.events import DomainEvent

PACKAGES = {name: module.split(".")[0] for name, module in SERVICES.items()}

# Field names that would put a person's identity into an event.
PERSONAL = {
    "surname", "given_names", "first_name", "last_name", "patronymic", "full_name", "name",
    "passport", "passport_number", "document_number", "iin", "address", "address_line", "line",
    "phone", "email", "birth_date", "date_of_birth", "contact", "contacts",
}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_committed_contracts_match_the_code(service: str) -> None:
    folder = REPO / CONTRACTS_DIR / service
    generated = contract_files(service, PACKAGES[service])
    committed = {p.name for p in folder.glob("*.json")} if folder.exists() else set()
    assert committed == set(generated), "run `koshqon contracts` and commit contracts/"
    for name, document in generated.items():
        assert (folder / name).read_text() == render(document), (
            f"{service}/{name} is out of date: run `koshqon contracts` and commit contracts/"
        )


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_events_carry_no_personal_data(service: str) -> None:
    for cls in event_classes(service, PACKAGES[service]):
        fields = set(cls.model_fields)
        assert not fields & PERSONAL, f"{cls.event_type()} carries {sorted(fields & PERSONAL)}"
        undocumented = [n for n, f in cls.model_fields.items() if not f.description]
        assert not undocumented, f"{cls.event_type()}: describe {undocumented}"


class _Old(DomainEvent):
    service: ClassVar[str] = "throwaway"
    name: ClassVar[str] = "thing.happened"
    topic: ClassVar[str] = "koshqon.throwaway.things"
    thing_id: str = Field(description="id")
    region: str = Field(description="KATO")
    count: int = Field(description="how many")

    def aggregate_id(self) -> str:
        return self.thing_id


def _variant(**fields: object) -> dict:
    namespace: dict[str, object] = {"__annotations__": {}}
    for field_name, (annotation, default) in fields.items():  # type: ignore[misc]
        namespace["__annotations__"][field_name] = annotation  # type: ignore[index]
        namespace[field_name] = default
    cls = type("Variant", (_Old,), namespace)
    return event_schema(cls)  # type: ignore[arg-type]


def test_an_added_optional_field_is_not_breaking() -> None:
    new = _variant(note=(str | None, Field(default=None, description="optional")))
    assert breaking_changes(event_schema(_Old), new) == []


def test_removed_retyped_or_newly_required_fields_are_breaking() -> None:
    old = event_schema(_Old)
    without_region = {**old, "properties": {k: v for k, v in old["properties"].items()
                                            if k != "region"}}
    assert breaking_changes(old, without_region) == ["region: removed"]
    retyped = _variant(count=(str, Field(description="now text")))
    assert breaking_changes(old, retyped) == ['count: type "integer" became "string"']
    required = _variant(extra=(str, Field(description="required now")))
    assert breaking_changes(old, required) == ["extra: newly required"]


def test_writing_contracts_refuses_a_breaking_change(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    write_contracts(tmp_path, "registration", "registration")
    folder = tmp_path / CONTRACTS_DIR / "registration"
    target = folder / "kz.koshqon.registration.arrival.notified.v1.json"
    import json

    document = json.loads(target.read_text())
    document["properties"]["retired_field"] = {"type": "string"}
    target.write_text(json.dumps(document))
    with pytest.raises(ValueError, match="retired_field: removed"):
        write_contracts(tmp_path, "registration", "registration")
