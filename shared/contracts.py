"""Event contracts: JSON Schemas and an AsyncAPI 3 document generated from the event models.

The schemas are committed under `contracts/<service>/`; the test suite checks that they match the
code and that a change within a version only adds optional fields (a breaking change is a new
`v<N+1>` event type, published beside the old one for a deprecation window).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from shared.events import EXTENSIONS, DomainEvent

CONTRACTS_DIR = "contracts"
# The version of the contract documents' layout; event versions live in each event type.
DOCUMENT_VERSION = "1.0.0"


def _all_subclasses(cls: type[DomainEvent]) -> Iterable[type[DomainEvent]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def event_classes(service: str, package: str) -> list[type[DomainEvent]]:
    """Every event the service's package defines (its modules are imported to find them)."""
    root = importlib.import_module(package)
    for module in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        if ".migrations" in module.name or ".tests" in module.name:
            continue
        importlib.import_module(module.name)
    found = {
        cls.event_type(): cls
        for cls in _all_subclasses(DomainEvent)
        if getattr(cls, "service", None) == service
        and getattr(cls, "name", None)
        and getattr(cls, "topic", None)
        and cls.__module__.startswith(f"{package}.")
    }
    return [found[key] for key in sorted(found)]


def event_schema(cls: type[DomainEvent]) -> dict[str, Any]:
    schema = cls.model_json_schema(mode="serialization")
    schema["$id"] = f"urn:koshqon:event:{cls.event_type()}"
    schema["title"] = cls.event_type()
    schema["description"] = (cls.__doc__ or "").strip()
    schema["x-topic"] = cls.topic
    schema["x-key"] = "the aggregate id (CloudEvents subject)"
    return schema


def asyncapi_document(service: str, events: list[type[DomainEvent]], version: str) -> dict:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for cls in events:
        message_id = cls.event_type().replace(".", "_")
        messages[message_id] = {
            "name": cls.event_type(),
            "title": cls.name,
            "summary": (cls.__doc__ or "").strip(),
            "contentType": "application/json",
            "headers": _ce_headers(cls),
            "payload": event_schema(cls),
            "bindings": {"kafka": {"key": {"type": "string",
                                           "description": "aggregate id (ce_subject)"}}},
        }
        channel_id = cls.topic.replace(".", "_").replace("-", "_")
        channel = channels.setdefault(
            channel_id,
            {
                "address": cls.topic,
                "description": f"Events of {cls.topic}; dead letters in {cls.topic}.dlt",
                "messages": {},
                "bindings": {"kafka": {"topic": cls.topic}},
            },
        )
        channel["messages"][message_id] = {"$ref": f"#/components/messages/{message_id}"}
        operations[f"publish_{message_id}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "messages": [{"$ref": f"#/channels/{channel_id}/messages/{message_id}"}],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": f"Koshqon {service} events",
            "version": version,
            "description": (
                "CloudEvents 1.0 in Kafka binary mode. Delivery is at least once: deduplicate "
                "by ce_id. Events of one aggregate share a key and stay in order."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            "local": {"host": "127.0.0.1:9092", "protocol": "kafka",
                      "description": "deploy/local Kafka"},
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


def _ce_headers(cls: type[DomainEvent]) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "ce_specversion": {"const": "1.0"},
        "ce_id": {"type": "string", "description": "Event id (UUID); the deduplication key"},
        "ce_type": {"const": cls.event_type()},
        "ce_source": {"const": f"/koshqon/{cls.service}"},
        "ce_subject": {"type": "string", "description": "Aggregate id, also the Kafka key"},
        "ce_time": {"type": "string", "format": "date-time"},
        "content-type": {"const": "application/json"},
    }
    descriptions = {
        "caseid": "One-window case number, when the event belongs to a case",
        "correlationid": "Correlation id of the request that caused the event",
        "traceparent": "W3C trace context",
    }
    for name in EXTENSIONS:
        properties[f"ce_{name}"] = {"type": "string", "description": descriptions[name]}
    return {
        "type": "object",
        "properties": properties,
        "required": ["ce_specversion", "ce_id", "ce_type", "ce_source", "ce_subject", "ce_time"],
    }


def breaking_changes(old: Mapping[str, Any], new: Mapping[str, Any], path: str = "") -> list[str]:
    """What `new` breaks for a consumer built against `old`: removed or retyped fields, new
    required fields. Added optional fields are fine."""
    problems: list[str] = []
    old_props = old.get("properties", {})
    new_props = new.get("properties", {})
    for name, old_field in old_props.items():
        where = f"{path}{name}"
        if name not in new_props:
            problems.append(f"{where}: removed")
            continue
        new_field = new_props[name]
        if _type_of(old_field) != _type_of(new_field):
            problems.append(f"{where}: type {_type_of(old_field)} became {_type_of(new_field)}")
        if "properties" in old_field:
            problems.extend(breaking_changes(old_field, new_field, f"{where}."))
        old_enum, new_enum = old_field.get("enum"), new_field.get("enum")
        if old_enum and new_enum and not set(old_enum) <= set(new_enum):
            problems.append(f"{where}: values removed {sorted(set(old_enum) - set(new_enum))}")
    for name in set(new.get("required", [])) - set(old.get("required", [])):
        problems.append(f"{path}{name}: newly required")
    return problems


def _type_of(field: Mapping[str, Any]) -> str:
    if "type" in field:
        return json.dumps(field["type"])
    if "anyOf" in field:
        return json.dumps(sorted(_type_of(f) for f in field["anyOf"]))
    if "$ref" in field:
        return str(field["$ref"])
    if "const" in field:
        return f"const {field['const']!r}"
    return "any"


def contract_files(
    service: str, package: str, version: str = DOCUMENT_VERSION
) -> dict[str, dict]:
    """The files of `contracts/<service>/`: one schema per event type, and asyncapi.json."""
    events = event_classes(service, package)
    files = {f"{cls.event_type()}.json": event_schema(cls) for cls in events}
    files["asyncapi.json"] = asyncapi_document(service, events, version)
    return files


def render(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_contracts(
    root: Path, service: str, package: str, version: str = DOCUMENT_VERSION
) -> list[str]:
    """Writes the contracts; refuses (raises ValueError) a breaking change within a version."""
    folder = root / CONTRACTS_DIR / service
    folder.mkdir(parents=True, exist_ok=True)
    files = contract_files(service, package, version)
    problems = [
        f"{old.name}: event type removed"
        for old in folder.glob("*.json")
        if old.name not in files
    ]
    for name, document in files.items():
        existing = folder / name
        if name != "asyncapi.json" and existing.exists():
            for problem in breaking_changes(json.loads(existing.read_text()), document):
                problems.append(f"{name}: {problem}")
    if problems:
        raise ValueError("breaking changes within a version:\n  " + "\n  ".join(problems))
    for name, document in files.items():
        (folder / name).write_text(render(document))
    return sorted(files)
