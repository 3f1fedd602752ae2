"""The one-window kandas-family flow end to end, driven only over HTTP as the portal, the centres'
staff and the officers would: arrival → status application → temporary accommodation centre →
status granted (checked out) → resettlement under Kostanay's quota with its support schedule →
adaptation centre placement and integration plan. All four services run, on the real Kafka and
PostgreSQL and on the embedded default. Diaspora owns the case; its timeline is checked at every
step."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

from tests.e2e.test_foreign_worker_flow import FourServices, auth, embedded, full_stack, ok
from tests.support.data import bin_number
from tests.support.platform import eventually

KARAGANDA, KOSTANAY = "350000000", "390000000"


async def test_the_kandas_family_flow_on_the_embedded_default(tmp_path: Path) -> None:
    async with embedded(tmp_path) as platform:
        await kandas_family_flow(platform)


async def test_the_kandas_family_flow_on_kafka_and_postgresql(
    pg_database_factory: Callable[[], Awaitable[str]], kafka_prefix: str
) -> None:
    async with full_stack(pg_database_factory, kafka_prefix) as platform:
        await kandas_family_flow(platform)


async def kandas_family_flow(platform: FourServices) -> None:
    reg, diaspora, stats = platform.registration, platform.diaspora, platform.statistics
    today = date.today()
    head = {"passport_number": "MN1234567", "citizenship": "MNG", "surname": "NURLANULY",
            "given_names": "ASKAR", "birth_date": "1985-06-01", "sex": "M"}

    async def case(case_id: str) -> dict[str, Any]:
        response = await diaspora.get(f"/api/v1/cases/{case_id}",
                                      headers=auth("diaspora:cases:read"))
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    def steps(body: dict[str, Any]) -> list[str]:
        return [s["step"] for s in body["timeline"]]

    # The family enters; the relatives hosting them notify the arrival (a registration step).
    arrival = ok(await reg.post(
        "/api/v1/arrivals", headers=auth("registration:arrivals:write"),
        json={"host": {"kind": "person", "iin": bin_number(515151), "name": "Relatives"},
              "foreigner": head, "entry_date": today.isoformat(),
              "address": {"region": KARAGANDA, "locality": "Karaganda", "line": "Bukhar Zhyrau 1"},
              "purpose": "private",
              "expected_departure": date.fromordinal(today.toordinal() + 25).isoformat()}))

    async def arrivals_in_karaganda() -> list[dict[str, Any]]:
        response = await stats.get("/api/v1/indicators/arrivals/series",
                                   params={"group_by": "region", "region": KARAGANDA})
        return response.json()["points"]  # type: ignore[no-any-return]

    [point] = await eventually(arrivals_in_karaganda, lambda points: len(points) == 1)
    assert point["region"] == KARAGANDA

    # 1. The application opens the case (no X-Case-Id from the portal: diaspora numbers it).
    applied = await diaspora.post(
        "/api/v1/kandas/applications", headers=auth("diaspora:kandas:apply"),
        json={"applicant": {"surname": head["surname"], "given_names": head["given_names"],
                            "birth_date": head["birth_date"], "document_number": "MN1234567",
                            "citizenship": "MNG"},
              "country_of_origin": "MNG", "region": KARAGANDA, "family_size": 4,
              "person_id": arrival["person_id"]})
    application = ok(applied)
    case_id = application["case_id"]
    assert re.fullmatch(rf"KF-{today.year}-\d{{6}}", case_id)
    assert applied.headers["X-Case-Id"] == case_id
    assert application["person_id"] == arrival["person_id"]
    app_id = application["application_id"]
    with_case = {"X-Case-Id": case_id}
    body = await case(case_id)
    assert steps(body) == ["kandas.submitted"]
    assert body["timeline"][0]["event_type"] == (
        "kz.koshqon.diaspora.kandas.application-submitted.v1")
    assert body["pending"]["step"] == "kandas.package_complete"
    assert body["pending"]["actor"] == {"role": "officer", "service": "diaspora",
                                        "region": KARAGANDA}

    # 2. The family checks in to the temporary accommodation centre.
    staff = auth("diaspora:centres:write", region=KARAGANDA, subject="centre-staff")
    stay = ok(await diaspora.post("/api/v1/accommodation-stays", headers={**with_case, **staff},
                                  json={"application_id": app_id, "centre_id": "tac-karaganda"}))
    body = await case(case_id)
    assert steps(body) == ["kandas.submitted", "accommodation.checked-in"]
    assert body["timeline"][1]["details"]["stay_limit_until"] == stay["stay_limit_until"]
    assert body["pending"]["step"] == "kandas.package_complete"

    # 3. The employment centre registers the complete package: the decision clock starts.
    completed = ok(await diaspora.post(
        f"/api/v1/kandas/applications/{app_id}/package-complete", json={},
        headers={**with_case, **auth("diaspora:kandas:process", region=KARAGANDA)}), 200)
    body = await case(case_id)
    assert body["pending"]["step"] == "kandas.granted"
    assert body["pending"]["due"] == completed["decision_due"]
    assert body["pending"]["due_kind"] == "kandas_decision_due"
    assert body["pending"]["actor"]["region"] == KARAGANDA

    # 4. Status granted: the family leaves the centre.
    granted = ok(await diaspora.post(
        f"/api/v1/kandas/applications/{app_id}/decision", json={"decision": "grant"},
        headers={**with_case, **auth("diaspora:kandas:decide", region=KARAGANDA)}), 200)
    assert granted["status"] == "granted"
    body = await case(case_id)
    assert steps(body) == ["kandas.submitted", "accommodation.checked-in",
                           "kandas.package_complete", "kandas.granted",
                           "accommodation.checked-out"]
    assert body["timeline"][-1]["details"]["reason"] == "status_granted"
    assert body["pending"]["step"] == "resettlement.applied"
    assert body["pending"]["actor"]["role"] == "family"

    # 5. Kostanay's resettlement quota, the family's application and the akimat's approval.
    ok(await diaspora.put(f"/api/v1/resettlement/quotas/{today.year}/{KOSTANAY}",
                          headers=auth("diaspora:resettlement:quota"), json={"places": 50}), 200)
    resettlement = ok(await diaspora.post(
        "/api/v1/resettlement/applications",
        headers={**with_case, **auth("diaspora:resettlement:apply")},
        json={"application_id": app_id, "region": KOSTANAY}))
    body = await case(case_id)
    assert body["pending"]["step"] == "resettlement.approved"
    assert body["pending"]["actor"] == {"role": "officer", "service": "diaspora",
                                        "region": KOSTANAY}
    approved = ok(await diaspora.post(
        f"/api/v1/resettlement/applications/{resettlement['resettlement_id']}/decision",
        headers={**with_case, **auth("diaspora:resettlement:decide", region=KOSTANAY)},
        json={"decision": "approve", "rent_mci_per_month": 20}), 200)
    assert approved["status"] == "approved"
    body = await case(case_id)
    [support] = [s for s in body["timeline"] if s["step"] == "resettlement.support-scheduled"]
    assert support["details"]["total_tenge"] == approved["total_tenge"]
    assert support["details"]["payments"] == len(approved["payments"])
    assert support["details"]["first_due_on"] == approved["payments"][0]["due_on"]
    assert body["pending"]["step"] == "adaptation.placed"

    # 6. Placement in the adaptation and integration centre, then the integration plan.
    placement = ok(await diaspora.post(
        "/api/v1/adaptation-placements", headers={**with_case, **staff},
        json={"application_id": app_id, "centre_id": "aic-karaganda"}))
    body = await case(case_id)
    assert body["pending"]["step"] == "adaptation.plan-set"
    assert body["pending"]["actor"] == {"role": "centre_staff", "service": "diaspora",
                                        "region": KARAGANDA}
    ok(await diaspora.put(
        f"/api/v1/adaptation-placements/{placement['placement_id']}/plan",
        headers={**with_case, **staff},
        json={"items": [{"area": "language", "goal": "A2 Kazakh"},
                        {"area": "employment", "goal": "A job in Kostanay"}]}), 200)
    body = await case(case_id)
    assert body["status"] == "completed" and body["pending"] is None
    assert steps(body) == [
        "kandas.submitted", "accommodation.checked-in", "kandas.package_complete",
        "kandas.granted", "accommodation.checked-out", "resettlement.applied",
        "resettlement.approved", "resettlement.support-scheduled", "adaptation.placed",
        "adaptation.plan-set",
    ]
    assert {s["service"] for s in body["timeline"]} == {"diaspora"}
    assert body["applications"] == [app_id]
    # The application answers its case number to every later reader.
    read = await diaspora.get(f"/api/v1/kandas/applications/{app_id}",
                              headers=auth("diaspora:kandas:read"))
    assert ok(read, 200)["case_id"] == case_id
    missing = await diaspora.get("/api/v1/cases/KF-1999-999999",
                                 headers=auth("diaspora:cases:read"))
    assert missing.status_code == 404
