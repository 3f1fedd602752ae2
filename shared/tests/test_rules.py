from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from shared.rules import (
    RuleBook,
    RuleFileError,
    RuleNotInForce,
    RuleSource,
    RuleVersion,
    UnknownRule,
    load_rule_file,
)

RULES_YAML = """
rules:
  - id: arrival.notification_deadline_working_days
    title: Deadline for the host to notify an arrival
    unit: working_days
    description: Working days after entry within which the host notifies the arrival.
    versions:
      - version: 1
        effective_from: 2012-01-21
        value: 3
        marked: true
        source: {document: "Government Decree No 148 of 21 Jan 2012"}
      - version: 2
        effective_from: 2027-01-01
        value: 5
        source: {document: "Test amendment", note: "fictional, for the version switch"}
  - id: labour_immigrant.eligible_citizenships
    title: Citizenships eligible for a labour-immigrant permit
    description: ISO 3166-1 alpha-3 codes.
    versions:
      - version: 1
        effective_from: 2014-01-01
        value: [UZB, TJK, KGZ]
        source: {seed: "002_85276f73cb790dfb", offset: 13554}
  - id: work_permit.fee_mci
    title: Work permit fee by category
    unit: mci
    description: Multiple of the MCI by category of position.
    versions:
      - version: 1
        effective_from: 2020-01-01
        value: {"1": 137, "2": 135, "3": 104, "4": 75}
        marked: true
        source: {document: "Test fee table", article: "annex 1"}
"""

DEADLINE = "arrival.notification_deadline_working_days"


def write(tmp_path: Path, body: str, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture
def rulebook(tmp_path: Path) -> RuleBook:
    return RuleBook.from_yaml(write(tmp_path, RULES_YAML))


def test_loads_definitions_in_file_order(rulebook: RuleBook) -> None:
    definitions = rulebook.definitions()
    assert [d.rule_id for d in definitions] == [
        DEADLINE,
        "labour_immigrant.eligible_citizenships",
        "work_permit.fee_mci",
    ]
    deadline = definitions[0]
    assert deadline.title == "Deadline for the host to notify an arrival"
    assert deadline.unit == "working_days"
    assert [v.version for v in deadline.versions] == [1, 2]
    assert deadline.versions[0].marked is True
    assert deadline.versions[1].marked is False
    assert deadline.versions[0].source.document == "Government Decree No 148 of 21 Jan 2012"
    assert definitions[1].unit is None


def test_values_keep_their_json_shape(rulebook: RuleBook) -> None:
    on = date(2025, 6, 1)
    assert rulebook.value("labour_immigrant.eligible_citizenships", on) == ["UZB", "TJK", "KGZ"]
    assert rulebook.value("work_permit.fee_mci", on) == {"1": 137, "2": 135, "3": 104, "4": 75}
    source = rulebook.at("labour_immigrant.eligible_citizenships", on).source
    assert (source.seed, source.offset, source.document) == ("002_85276f73cb790dfb", 13554, None)


def test_version_switches_on_its_effective_date(rulebook: RuleBook) -> None:
    before = rulebook.at(DEADLINE, date(2026, 12, 31))
    on_the_day = rulebook.at(DEADLINE, date(2027, 1, 1))
    assert (before.version, before.value) == (1, 3)
    assert (on_the_day.version, on_the_day.value) == (2, 5)
    assert rulebook.value(DEADLINE, date(2040, 1, 1)) == 5
    assert rulebook.at(DEADLINE, date(2012, 1, 21)).version == 1


def test_ref_names_rule_and_version(rulebook: RuleBook) -> None:
    version = rulebook.at(DEADLINE, date(2026, 11, 20))
    assert version.ref == "arrival.notification_deadline_working_days@v1"
    assert rulebook.resolve(version.ref) == version
    assert rulebook.resolve(f"{DEADLINE}@v2").value == 5


@pytest.mark.parametrize("ref", ["no-version", f"{DEADLINE}@vx", f"{DEADLINE}@v"])
def test_resolve_rejects_malformed_refs(rulebook: RuleBook, ref: str) -> None:
    with pytest.raises(ValueError, match="not a rule version reference"):
        rulebook.resolve(ref)


def test_resolve_unknown_version(rulebook: RuleBook) -> None:
    with pytest.raises(UnknownRule, match="no version 3"):
        rulebook.resolve(f"{DEADLINE}@v3")


def test_no_version_in_force_before_the_first(rulebook: RuleBook) -> None:
    with pytest.raises(RuleNotInForce, match=r"no version in force on 2012-01-20") as error:
        rulebook.at(DEADLINE, date(2012, 1, 20))
    assert isinstance(error.value, LookupError)
    assert DEADLINE in str(error.value)


def test_unknown_rule(rulebook: RuleBook) -> None:
    with pytest.raises(UnknownRule, match=r"no rule 'stay\.limit_days'"):
        rulebook.value("stay.limit_days", date(2026, 1, 1))
    assert "stay.limit_days" not in rulebook
    assert DEADLINE in rulebook


def test_add_version_changes_later_lookups_only(rulebook: RuleBook) -> None:
    source = RuleSource(document="Order No 7 of the Minister of Internal Affairs")
    added = rulebook.add_version(
        "work_permit.fee_mci", date(2027, 7, 1), {"1": 150, "2": 140, "3": 110, "4": 80}, source
    )

    assert (added.version, added.ref, added.marked) == (2, "work_permit.fee_mci@v2", False)
    old_fee = rulebook.value("work_permit.fee_mci", date(2027, 6, 30))
    new_fee = rulebook.value("work_permit.fee_mci", date(2027, 7, 1))
    assert isinstance(old_fee, dict) and old_fee["1"] == 137
    assert isinstance(new_fee, dict) and new_fee["1"] == 150
    assert rulebook.resolve("work_permit.fee_mci@v1").value == {
        "1": 137,
        "2": 135,
        "3": 104,
        "4": 75,
    }
    assert rulebook.at(DEADLINE, date(2027, 7, 1)).version == 2  # other rules untouched
    assert rulebook.definition("work_permit.fee_mci").versions[-1] == added


def test_add_version_keeps_the_marked_flag(rulebook: RuleBook) -> None:
    added = rulebook.add_version(
        DEADLINE, date(2028, 1, 1), 4, RuleSource(document="Public description"), marked=True
    )
    assert added.marked is True
    assert rulebook.at(DEADLINE, date(2028, 1, 1)).marked is True


@pytest.mark.parametrize("effective_from", [date(2027, 1, 1), date(2026, 1, 1)])
def test_add_version_must_come_after_the_latest(rulebook: RuleBook, effective_from: date) -> None:
    with pytest.raises(ValueError, match="must take effect after version 2's 2027-01-01"):
        rulebook.add_version(DEADLINE, effective_from, 4, RuleSource(document="X"))
    assert len(rulebook.definition(DEADLINE).versions) == 2


def test_add_version_to_unknown_rule(rulebook: RuleBook) -> None:
    with pytest.raises(UnknownRule):
        rulebook.add_version("stay.limit_days", date(2027, 1, 1), 30, RuleSource(document="X"))


def test_several_files(tmp_path: Path) -> None:
    first = write(tmp_path, RULES_YAML, "registration.yaml")
    second = write(
        tmp_path,
        """
rules:
  - id: kandas.decision_deadline_working_days
    title: Kandas status decision
    unit: working_days
    description: From the registration of the complete package.
    versions:
      - {version: 1, effective_from: 2020-01-01, value: 5,
         source: {seed: "001_185f7a4f329f674c", offset: 1203}}
      - {version: 2, effective_from: 2025-10-26, value: 3, marked: true,
         source: {document: "Public description of current practice"}}
""",
        "diaspora.yaml",
    )
    rulebook = RuleBook.from_yaml(first, second)
    assert len(rulebook) == 4
    assert rulebook.value("kandas.decision_deadline_working_days", date(2025, 10, 25)) == 5
    assert rulebook.value("kandas.decision_deadline_working_days", date(2025, 10, 26)) == 3


def test_same_id_in_two_files_is_rejected(tmp_path: Path) -> None:
    first = write(tmp_path, RULES_YAML, "a.yaml")
    second = write(tmp_path, RULES_YAML, "b.yaml")
    with pytest.raises(
        RuleFileError, match=f"'{DEADLINE}' is already defined in .*a.yaml"
    ) as error:
        RuleBook.from_yaml(first, second)
    assert str(second) in str(error.value)


def rule(rule_id: str, *versions: str) -> str:
    body = "".join(f"      - {v}\n" for v in versions)
    return f"  - id: {rule_id}\n    title: T\n    description: D\n    versions:\n{body}"


V1 = '{version: 1, effective_from: 2020-01-01, value: 1, source: {document: "A"}}'


@pytest.mark.parametrize(
    ("body", "names_rule", "message"),
    [
        (
            "rules:\n" + rule("stay.limit_days", V1) + rule("stay.limit_days", V1),
            "stay.limit_days",
            "defined more than once",
        ),
        (
            "rules:\n"
            + rule(
                "stay.limit_days",
                V1,
                '{version: 2, effective_from: 2019-12-31, value: 2, source: {document: "B"}}',
            ),
            "stay.limit_days",
            "version 2 takes effect on 2019-12-31, which is not after version 1's 2020-01-01",
        ),
        (
            "rules:\n"
            + rule(
                "stay.limit_days",
                V1,
                '{version: 2, effective_from: 2020-01-01, value: 2, source: {document: "B"}}',
            ),
            "stay.limit_days",
            "not after",
        ),
        (
            "rules:\n"
            + rule(
                "stay.limit_days",
                V1,
                '{version: 3, effective_from: 2021-01-01, value: 2, source: {document: "B"}}',
            ),
            "stay.limit_days",
            "numbered 1..n",
        ),
        (
            "rules:\n"
            + rule(
                "stay.limit_days",
                '{version: 1, effective_from: 2020-01-01, value: 1, source: {note: "hearsay"}}',
            ),
            "stay.limit_days",
            "a source needs a document or a seed",
        ),
        (
            "rules:\n"
            + rule(
                "stay.limit_days",
                '{version: 1, effective_from: 2020-01-01, value: 1, source: {document: "A"},'
                " marked: yes, typo: 1}",
            ),
            "stay.limit_days",
            "typo",
        ),
        (
            "rules:\n  - id: stay.limit_days\n    title: T\n    description: D\n    versions: []\n",
            "stay.limit_days",
            "versions",
        ),
        ("rules:\n  - title: T\n    description: D\n    versions: []\n", "rule #1", "has no id"),
        ("limits: []\n", None, "expected a top-level 'rules:' list"),
        ("", None, "expected a top-level 'rules:' list"),
        ("rules: [\n", None, "cannot read"),
    ],
)
def test_bad_files_are_rejected(
    tmp_path: Path, body: str, names_rule: str | None, message: str
) -> None:
    path = write(tmp_path, body)
    with pytest.raises(RuleFileError, match=message) as error:
        load_rule_file(path)
    assert str(path) in str(error.value)
    if names_rule is not None:
        assert names_rule in str(error.value)


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="cannot read"):
        RuleBook.from_yaml(tmp_path / "absent.yaml")


def test_source_offset_needs_a_seed() -> None:
    with pytest.raises(ValidationError, match="an offset needs the seed"):
        RuleSource(document="A", offset=10)


def test_versions_are_immutable(rulebook: RuleBook) -> None:
    version = rulebook.at(DEADLINE, date(2026, 1, 1))
    with pytest.raises(ValidationError):
        version.value = 10  # type: ignore[misc]
    assert isinstance(version, RuleVersion)


def test_added_version_round_trips_through_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, RULES_YAML)
    rulebook = RuleBook.from_yaml(path)
    added = rulebook.add_version(
        "labour_immigrant.eligible_citizenships",
        date(2027, 1, 1),
        ["UZB", "TJK"],
        RuleSource(seed="002_85276f73cb790dfb", offset=13554, note="narrowed"),
    )

    # What docs/rules.md tells an administrator's tool to append to the rule's versions.
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["rules"][1]["versions"].append(added.model_dump(mode="json", exclude={"rule_id"}))
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")

    reloaded = RuleBook.from_yaml(path)
    assert reloaded.at("labour_immigrant.eligible_citizenships", date(2027, 1, 1)) == added
    assert reloaded.definitions() == rulebook.definitions()
