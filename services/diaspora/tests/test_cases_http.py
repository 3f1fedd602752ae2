"""One-window cases of the kandas flow: the application opens a case with a readable number, and
the case answers the steps done, the step pending, its deadline and who is to act at every step."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx

from diaspora.cases.flow import Entry, progress
from services.diaspora.tests.conftest import Events, Flow

READ = "diaspora:cases:read"
KOSTANAY = "390000000"


async def test_a_kandas_case_is_numbered_and_right_at_every_step(
    client: httpx.AsyncClient, flow: Flow, events: Events,
    bearer: Callable[..., dict[str, str]],
) -> None:
    application = await flow.apply(region="350000000", family_size=3)
    case_id = application["case_id"]
    assert re.fullmatch(rf"KF-{date.today().year}-\d{{6}}", case_id)
    second = await flow.apply()
    assert int(second["case_id"][-6:]) == int(case_id[-6:]) + 1
    [submitted, _] = await events("kandas.application-submitted")
    assert submitted["headers"]["ce_caseid"] == case_id
    app_id = application["application_id"]
    read = bearer(READ)
    headers = {"X-Case-Id": case_id}

    async def case() -> dict[str, Any]:
        response = await client.get(f"/api/v1/cases/{case_id}", headers=read)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    body = await case()
    assert body["applications"] == [app_id]
    assert [s["step"] for s in body["timeline"]] == ["kandas.submitted"]
    assert body["timeline"][0]["event_type"] == (
        "kz.koshqon.diaspora.kandas.application-submitted.v1"
    )
    assert body["timeline"][0]["service"] == "diaspora"
    assert body["pending"]["step"] == "kandas.package_complete"
    assert body["pending"]["actor"] == {"role": "officer", "service": "diaspora",
                                        "region": "350000000"}

    stay = await client.post("/api/v1/accommodation-stays", headers=headers,
                             json={"application_id": app_id, "centre_id": "tac-karaganda"})
    assert stay.status_code == 201, stay.text
    completed = await flow.complete(app_id)
    body = await case()
    assert body["pending"]["step"] == "kandas.granted"
    assert body["pending"]["due"] == completed["decision_due"]
    assert body["pending"]["due_kind"] == "kandas_decision_due"

    granted = await flow.decide(app_id, decision="grant")
    assert granted.status_code == 200
    body = await case()
    assert [s["step"] for s in body["timeline"]] == [
        "kandas.submitted", "accommodation.checked-in", "kandas.package_complete",
        "kandas.granted", "accommodation.checked-out",
    ]
    assert body["pending"] == {"step": "resettlement.applied", "actor": {
        "role": "family", "service": "diaspora", "region": None},
        "due": None, "due_kind": None, "overdue": False}

    quota = await client.put(f"/api/v1/resettlement/quotas/{date.today().year}/{KOSTANAY}",
                             json={"places": 5})
    assert quota.status_code == 200, quota.text
    resettlement = await client.post("/api/v1/resettlement/applications",
                                     json={"application_id": app_id, "region": KOSTANAY})
    assert resettlement.status_code == 201, resettlement.text
    body = await case()
    assert body["pending"]["step"] == "resettlement.approved"
    assert body["pending"]["actor"]["region"] == KOSTANAY
    approved = await client.post(
        f"/api/v1/resettlement/applications/{resettlement.json()['resettlement_id']}/decision",
        json={"decision": "approve", "rent_mci_per_month": 20},
    )
    assert approved.status_code == 200, approved.text
    body = await case()
    support = [s for s in body["timeline"] if s["step"] == "resettlement.support-scheduled"]
    assert support[0]["details"]["total_tenge"] == approved.json()["total_tenge"]
    assert support[0]["details"]["payments"] == len(approved.json()["payments"])
    assert body["pending"]["step"] == "adaptation.placed"

    placed = await client.post("/api/v1/adaptation-placements",
                               json={"application_id": app_id, "centre_id": "aic-karaganda"})
    assert placed.status_code == 201, placed.text
    body = await case()
    assert body["pending"]["step"] == "adaptation.plan-set"
    assert body["pending"]["actor"]["role"] == "centre_staff"
    plan = await client.put(
        f"/api/v1/adaptation-placements/{placed.json()['placement_id']}/plan",
        json={"items": [{"area": "language", "goal": "A2 Kazakh"}]},
    )
    assert plan.status_code == 200, plan.text
    body = await case()
    assert body["status"] == "completed" and body["pending"] is None
    assert body["timeline"][-1]["step"] == "adaptation.plan-set"
    assert body["timeline"][-1]["event"] == "adaptation.plan-set"


async def test_the_portals_case_number_is_kept_replayed_and_echoed(
    client: httpx.AsyncClient, kandas_request: Callable[..., dict[str, Any]],
) -> None:
    body = kandas_request()
    headers = {"X-Case-Id": "PORTAL-KF-9", "Idempotency-Key": "kf-9"}
    first = await client.post("/api/v1/kandas/applications", json=body, headers=headers)
    again = await client.post("/api/v1/kandas/applications", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["case_id"] == again.json()["case_id"] == "PORTAL-KF-9"
    assert first.headers["X-Case-Id"] == again.headers["X-Case-Id"] == "PORTAL-KF-9"
    got = await client.get(f"/api/v1/kandas/applications/{first.json()['application_id']}")
    assert got.json()["case_id"] == "PORTAL-KF-9"


async def test_an_unknown_case_is_a_404_problem_and_needs_the_scope(
    client: httpx.AsyncClient, bearer: Callable[..., dict[str, str]],
) -> None:
    missing = await client.get("/api/v1/cases/KF-1999-000001", headers=bearer(READ))
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json()["type"].endswith("case.not_found")
    forbidden = await client.get("/api/v1/cases/KF-1999-000001",
                                 headers=bearer("diaspora:kandas:read"))
    assert forbidden.status_code == 403


def test_the_fold_follows_hearings_refusals_and_a_second_region() -> None:
    hearing = progress([Entry("kandas.submitted"), Entry("kandas.package_complete"),
                        Entry("kandas.hearing", {"hearing_due": "2026-12-02"})])
    assert hearing.pending is not None
    assert (hearing.pending.step, hearing.pending.actor.role) == ("kandas.hearing_held", "family")
    assert hearing.pending.due == date(2026, 12, 2)
    refused = progress([Entry("kandas.submitted"), Entry("kandas.hearing"),
                        Entry("kandas.refused")])
    assert (refused.status, refused.pending, refused.outcome) == (
        "closed", None, "kandas_refused")
    again = progress([Entry("kandas.granted"), Entry("resettlement.applied"),
                      Entry("resettlement.refused")])
    assert again.pending is not None and again.pending.step == "resettlement.applied"
    # A stay in an accommodation centre runs beside the flow and does not move it.
    beside = progress([Entry("kandas.submitted"), Entry("accommodation.checked-in")])
    assert beside.pending is not None and beside.pending.step == "kandas.package_complete"
