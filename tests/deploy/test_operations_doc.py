"""docs/operations.md agrees with the manifests and the code: the topic plan matches the overlays,
every anchor the manifests and alerts link to exists, the DLT headers and settings it names are
real, and it covers the procedures the issue asks for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shared.settings import ServiceSettings
from tests.deploy.support import (
    MAIN_TOPICS,
    OPERATIONS_MD,
    REPO,
    markdown_anchors,
    of_kind,
    rendered,
)

TEXT = OPERATIONS_MD.read_text(encoding="utf-8")
ANCHORS = markdown_anchors(OPERATIONS_MD)


def test_topic_plan_table_matches_the_overlays() -> None:
    table: dict[str, tuple[int, int]] = {}
    for line in TEXT.splitlines():
        match = re.match(r"^\|\s*`(koshqon\.[a-z.-]+)`\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*\S", line)
        if match:
            table[match.group(1)] = (int(match.group(2)), int(match.group(3)))
    assert set(table) == set(MAIN_TOPICS)
    for overlay, column in (("small", 0), ("large", 1)):
        partitions = {t["spec"]["topicName"]: t["spec"]["partitions"]
                      for t in of_kind(rendered(overlay), "KafkaTopic").values()}
        for topic, counts in table.items():
            assert partitions[topic] == counts[column], (overlay, topic)
        dlt = {partitions[f"{t}.dlt"] for t in MAIN_TOPICS}
        assert dlt == {3}, "the plan says every dead-letter topic has 3 partitions"


def _links_in(path: Path) -> set[str]:
    return set(re.findall(r"docs/operations\.md#([a-z0-9-]+)", path.read_text(encoding="utf-8")))


def test_every_link_to_an_operations_section_resolves() -> None:
    sources = [*(REPO / "deploy").rglob("*.yaml"), *(REPO / "deploy").rglob("*.yml"),
               *(REPO / "deploy").rglob("*.json")]
    for source in sources:
        for anchor in _links_in(source):
            assert anchor in ANCHORS, f"{source.relative_to(REPO)}: #{anchor}"
    for anchor in re.findall(r"\]\(#([a-z0-9-]+)\)", TEXT):
        assert anchor in ANCHORS, f"operations.md links to #{anchor}"


def test_relative_links_point_to_existing_files() -> None:
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", TEXT):
        assert (OPERATIONS_MD.parent / target).exists(), target


def test_dlt_headers_are_the_ones_the_code_writes() -> None:
    inbox = (REPO / "shared" / "inbox.py").read_text()
    written = set(re.findall(r'"(koshqon_dlt_\w+)"', inbox))
    documented = set(re.findall(r"`(koshqon_dlt_\w+)`", TEXT))
    assert written == {"koshqon_dlt_reason", "koshqon_dlt_consumer", "koshqon_dlt_origin"}
    assert written <= documented


def test_settings_named_in_the_doc_exist() -> None:
    fields = set(ServiceSettings.model_fields)
    for name in set(re.findall(r"KOSHQON_<SERVICE>_([A-Z_]+)", TEXT)):
        assert name.lower() in fields, name


def test_paths_named_in_the_doc_exist() -> None:
    for path in set(re.findall(r"`((?:deploy|shared|docs)/[\w./-]+)`", TEXT)):
        assert (REPO / path).exists(), path


def test_consumer_groups_named_in_the_doc_exist_in_the_code() -> None:
    """The groups the examples reset are real consumers (ConsumerSpec names)."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "services").rglob("*.py")
                     if "tests" not in p.relative_to(REPO).parts)
    named = set(re.findall(r"--group ([\w-]+)", TEXT)) | set(
        re.findall(r"`([a-z]+-(?:presence|projection))`", TEXT))
    assert named
    for group in named:
        assert f'name="{group}"' in code, group


@pytest.mark.parametrize("section", [
    "deploy", "docker-compose", "bare-machine-deploylocal", "kubernetes", "secrets",
    "network-policies", "monitoring", "business-metrics", "scale", "topic-plan",
    "add-partitions", "upgrade", "back-up-and-restore", "replay-a-topic", "rebuild-statistics",
    "drain-a-dead-letter-topic", "rotate-keys", "rotate-the-token-secret",
    "rotate-the-pseudonym-key", "add-a-rule-version", "alerts",
])
def test_operations_doc_has_section(section: str) -> None:
    assert section in ANCHORS


@pytest.mark.parametrize("phrase", [
    "SKIP LOCKED",                  # the relay in every replica
    "consumer replicas ≤ partitions",
    "one aggregate's events stay in order",
    "pg_dump", "pg_restore",        # backups per database
    "same event id",                # why a restored outbox re-publishes nothing twice in effect
    "--to-earliest",                # replay with reset offsets / a new group from the earliest
    "new consumer group",
    "RUN_MIGRATIONS=false",
    "v<N+1>",                       # breaking event changes side by side
    "new `person_id`",              # consequence of rotating the pseudonym key
    "rules.yaml",
    "ce_id",
])
def test_operations_doc_explains(phrase: str) -> None:
    assert phrase in TEXT
