"""Temporary accommodation centres and adaptation centres through HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
from prometheus_client import generate_latest

from diaspora.dates import last_day_of_period
from diaspora.jobs import centre_limits, kandas_deadlines
from diaspora.reference.centres import centre
from shared import clock
from shared.service import Service

Events = Any
STAYS = "/api/v1/accommodation-stays"
PLACEMENTS = "/api/v1/adaptation-placements"


async def check_in(
    client: httpx.AsyncClient,
    application_id: str,
    on: date | None = None,
    centre_id: str = "tac-karaganda",
    **extra: Any,
) -> httpx.Response:
    body: dict[str, Any] = {"application_id": application_id, "centre_id": centre_id, **extra}
    if on:
        body["checked_in_on"] = on.isoformat()
    return await client.post(STAYS, json=body)


async def test_a_family_checks_in_and_out(
    client: httpx.AsyncClient, events: Events, flow: Any
) -> None:
    application = await flow.apply(family_size=3)
    response = await check_in(client, application["application_id"])
    assert response.status_code == 201, response.text
    stay = response.json()
    assert stay["stay_limit_until"] == (clock.today() + timedelta(days=9)).isoformat()
    assert stay["family_size"] == 3
    assert stay["region"] == "350000000"

    twice = await check_in(client, application["application_id"], centre_id="tac-pavlodar")
    assert twice.status_code == 409
    out = await client.post(f"{STAYS}/{stay['stay_id']}/check-out", json={"reason": "left"})
    assert out.status_code == 200
    assert out.json()["checked_out_on"] == clock.today().isoformat()
    assert out.json()["overstayed"] is False
    fetched = (await client.get(f"{STAYS}/{stay['stay_id']}")).json()
    assert fetched["checkout_reason"] == "left"
    listed = (await client.get(STAYS, params={"centre_id": "tac-karaganda"})).json()
    assert [s["stay_id"] for s in listed["items"]] == [stay["stay_id"]]

    [checked_in] = await events("accommodation.checked-in")
    assert checked_in["topic"] == "koshqon.diaspora.centres"
    [checked_out] = await events("accommodation.checked-out")
    assert checked_out["data"]["days_stayed"] == 1
    flow.assert_no_personal_data(await events())


async def test_day_ten_is_the_last_day_and_day_eleven_is_refused(
    client: httpx.AsyncClient, service: Service, flow: Any
) -> None:
    day_ten = await flow.apply(submitted_on=clock.today() - timedelta(days=12))
    accepted = await check_in(
        client, day_ten["application_id"], on=clock.today() - timedelta(days=9)
    )
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["stay_limit_until"] == clock.today().isoformat()

    day_eleven = await flow.apply(submitted_on=clock.today() - timedelta(days=12))
    refused = await check_in(
        client, day_eleven["application_id"], on=clock.today() - timedelta(days=10)
    )
    assert refused.status_code == 409
    assert refused.json()["type"] == "urn:koshqon:problem:accommodation.stay_limit_reached"
    metrics = generate_latest(service.metrics.registry).decode()
    assert 'accommodation_check_ins_refused_total{reason="stay_limit_reached"} 1.0' in metrics

    # Counted from the first check-in: leaving and coming back does not restart the clock.
    stay_id = accepted.json()["stay_id"]
    await client.post(f"{STAYS}/{stay_id}/check-out", json={})
    back = await check_in(client, day_ten["application_id"], centre_id="tac-pavlodar")
    assert back.status_code == 201
    assert back.json()["stay_limit_until"] == clock.today().isoformat()


async def test_an_overstay_is_flagged_once_by_the_job(
    client: httpx.AsyncClient, service: Service, events: Events, flow: Any
) -> None:
    application = await flow.apply()
    stay = (await check_in(client, application["application_id"])).json()
    limit = date.fromisoformat(stay["stay_limit_until"])

    assert (await centre_limits(service, limit)).overstays == 0
    assert (await centre_limits(service, limit + timedelta(days=1))).overstays == 1
    assert (await centre_limits(service, limit + timedelta(days=2))).overstays == 0
    [flagged] = await events("accommodation.overstay-flagged")
    assert flagged["data"]["stay_id"] == stay["stay_id"]
    assert 'accommodation_overstays_total{centre="tac-karaganda"} 1.0' in (
        generate_latest(service.metrics.registry).decode()
    )


async def test_the_grant_ends_the_stay_and_a_granted_family_cannot_check_in(
    client: httpx.AsyncClient, events: Events, flow: Any
) -> None:
    application = await flow.apply()
    app_id = application["application_id"]
    stay = (await check_in(client, app_id)).json()
    await flow.complete(app_id)
    assert (await flow.decide(app_id, decision="grant")).status_code == 200

    ended = (await client.get(f"{STAYS}/{stay['stay_id']}")).json()
    assert ended["checkout_reason"] == "status_granted"
    [checked_out] = await events("accommodation.checked-out")
    assert checked_out["data"]["reason"] == "status_granted"
    again = await check_in(client, app_id, centre_id="tac-pavlodar")
    assert again.status_code == 409
    assert again.json()["type"] == "urn:koshqon:problem:accommodation.status_not_eligible"


async def test_a_centre_never_takes_more_than_its_capacity(
    client: httpx.AsyncClient, flow: Any
) -> None:
    capacity = centre("tac-mangystau", "accommodation").capacity  # type: ignore[union-attr]
    big = await flow.apply(family_size=min(capacity - 1, 30))
    taken = min(capacity - 1, 30)
    fill: list[str] = []
    while taken < capacity - 1:
        family = await flow.apply(family_size=min(capacity - 1 - taken, 30))
        fill.append(family["application_id"])
        taken += min(capacity - 1 - taken, 30)
    assert (
        await check_in(client, big["application_id"], centre_id="tac-mangystau")
    ).status_code == 201
    for app_id in fill:
        assert (await check_in(client, app_id, centre_id="tac-mangystau")).status_code == 201
    two = await flow.apply(family_size=2)
    full = await check_in(client, two["application_id"], centre_id="tac-mangystau")
    assert full.status_code == 409
    assert full.json()["type"] == "urn:koshqon:problem:accommodation.centre_full"
    one = await flow.apply(family_size=1)
    assert (
        await check_in(client, one["application_id"], centre_id="tac-mangystau")
    ).status_code == 201


async def test_an_unknown_centre_and_region_jurisdiction(
    client: httpx.AsyncClient, bearer: Any, flow: Any
) -> None:
    application = await flow.apply()
    unknown = await check_in(client, application["application_id"], centre_id="nowhere")
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["code"] == "centre_unknown"
    other_region = await client.post(
        STAYS,
        json={"application_id": application["application_id"], "centre_id": "tac-akmola"},
        headers=bearer("diaspora:centres:write", region="350000000"),
    )
    assert other_region.status_code == 403


async def test_a_placement_lasts_at_most_six_months_and_records_services_and_plan(
    client: httpx.AsyncClient, events: Events, flow: Any
) -> None:
    granted = await flow.granted(family_size=5)
    response = await client.post(
        PLACEMENTS, json={"application_id": granted["application_id"], "centre_id": "aic-aksukent"}
    )
    assert response.status_code == 201, response.text
    placement = response.json()
    # 6 months from settling come before the 12 months of the status.
    assert placement["placement_until"] == last_day_of_period(clock.today(), 6).isoformat()
    assert placement["placement_until"] < granted["valid_until"]
    assert placement["region"] == "610000000"
    pid = placement["placement_id"]

    for kind in ("legal", "language_course"):
        delivered = await client.post(f"{PLACEMENTS}/{pid}/services", json={"kind": kind})
        assert delivered.status_code == 201
    bad = await client.post(f"{PLACEMENTS}/{pid}/services", json={"kind": "haircut"})
    assert bad.status_code == 422

    plan = await client.put(
        f"{PLACEMENTS}/{pid}/plan",
        json={
            "items": [
                {"area": "language", "goal": "A2 Kazakh for the adults"},
                {"area": "employment", "goal": "Jobs for two adults", "due_on": "2027-03-01"},
            ]
        },
    )
    assert plan.status_code == 200, plan.text
    assert plan.json()["plan_progress_percent"] == 0
    item = plan.json()["plan"][1]["item_id"]
    progress = await client.post(
        f"{PLACEMENTS}/{pid}/plan/items/{item}/progress",
        json={"status": "done", "progress_percent": 40},
    )
    assert progress.status_code == 200
    view = (await client.get(f"{PLACEMENTS}/{pid}")).json()
    assert view["plan_progress_percent"] == 50
    assert sorted(s["kind"] for s in view["services"]) == ["language_course", "legal"]

    types = [e["type"].split(".", 3)[3] for e in await events()]
    for name in (
        "adaptation.placed",
        "adaptation.service-delivered",
        "adaptation.plan-set",
        "adaptation.plan-progress-recorded",
    ):
        assert f"{name}.v1" in types
    flow.assert_no_personal_data(await events(), "A2 Kazakh", "Jobs for two")


async def test_only_a_family_with_status_is_placed(client: httpx.AsyncClient, flow: Any) -> None:
    pending = await flow.apply()
    refused = await client.post(
        PLACEMENTS, json={"application_id": pending["application_id"], "centre_id": "aic-karaganda"}
    )
    assert refused.status_code == 409
    assert refused.json()["type"] == "urn:koshqon:problem:adaptation.status_not_in_force"


async def test_a_placement_ends_with_the_status(
    client: httpx.AsyncClient, events: Events, flow: Any
) -> None:
    granted = await flow.granted()
    placement = (
        await client.post(
            PLACEMENTS,
            json={"application_id": granted["application_id"], "centre_id": "aic-shymkent"},
        )
    ).json()
    terminated = await client.post(
        f"/api/v1/kandas/applications/{granted['application_id']}/termination",
        json={"reason": "left_permanently"},
    )
    assert terminated.status_code == 200
    ended = (await client.get(f"{PLACEMENTS}/{placement['placement_id']}")).json()
    assert ended["ended_on"] == clock.today().isoformat()
    assert ended["end_reason"] == "status_terminated"
    [event] = await events("adaptation.placement-ended")
    assert event["data"]["reason"] == "status_terminated"
    late_service = await client.post(
        f"{PLACEMENTS}/{placement['placement_id']}/services", json={"kind": "legal"}
    )
    assert late_service.status_code == 409


async def test_a_placement_ends_when_the_status_expires_or_the_months_run_out(
    client: httpx.AsyncClient, service: Service, events: Events, flow: Any
) -> None:
    expiring = await flow.granted()
    first = (
        await client.post(
            PLACEMENTS,
            json={"application_id": expiring["application_id"], "centre_id": "aic-karaganda"},
        )
    ).json()
    after_six_months = date.fromisoformat(first["placement_until"]) + timedelta(days=1)
    assert (await centre_limits(service, after_six_months)).placements_ended == 1
    ended = (await client.get(f"{PLACEMENTS}/{first['placement_id']}")).json()
    assert (ended["end_reason"], ended["ended_on"]) == (
        "limit_reached",
        after_six_months.isoformat(),
    )

    other = await flow.granted()
    second = (
        await client.post(
            PLACEMENTS,
            json={"application_id": other["application_id"], "centre_id": "aic-karaganda"},
        )
    ).json()
    after_validity = date.fromisoformat(other["valid_until"]) + timedelta(days=1)
    await kandas_deadlines(service, after_validity)
    ended = (await client.get(f"{PLACEMENTS}/{second['placement_id']}")).json()
    # Only the kandas job ran: the status's expiry ended the placement still open.
    assert (ended["end_reason"], ended["ended_on"]) == (
        "status_expired",
        after_validity.isoformat(),
    )
    assert len(await events("adaptation.placement-ended")) == 2
    moved = await client.post(f"{PLACEMENTS}/{second['placement_id']}/move-out", json={})
    assert moved.status_code == 409


async def test_a_placement_follows_an_extension_of_the_status(
    client: httpx.AsyncClient, events: Events, flow: Any
) -> None:
    granted = await flow.granted()
    placement = (
        await client.post(
            PLACEMENTS,
            json={"application_id": granted["application_id"], "centre_id": "aic-karaganda"},
        )
    ).json()
    extended = await client.post(
        f"/api/v1/kandas/applications/{granted['application_id']}/extension", json={"months": 3}
    )
    assert extended.status_code == 200
    # Six months from settling still come first: the placement does not move.
    after = (await client.get(f"{PLACEMENTS}/{placement['placement_id']}")).json()
    assert after["placement_until"] == placement["placement_until"]
    assert await events("adaptation.placement-updated") == []


async def test_the_case_timeline_follows_the_kandas_flow(
    client: httpx.AsyncClient, events: Events, kandas_request: Any
) -> None:
    headers = {"X-Case-Id": "CASE-77"}
    application = (
        await client.post("/api/v1/kandas/applications", json=kandas_request(), headers=headers)
    ).json()
    app_id = application["application_id"]
    await check_in(client, app_id)
    await client.post(
        f"/api/v1/kandas/applications/{app_id}/package-complete", json={}, headers=headers
    )
    await client.post(
        f"/api/v1/kandas/applications/{app_id}/decision",
        json={"decision": "grant"},
        headers=headers,
    )
    await client.post(PLACEMENTS, json={"application_id": app_id, "centre_id": "aic-shymkent"})

    case = (await client.get("/api/v1/cases/CASE-77")).json()
    assert case["applications"] == [app_id]
    assert [e["step"] for e in case["timeline"]] == [
        "kandas.submitted",
        "accommodation.checked-in",
        "kandas.package_complete",
        "kandas.granted",
        "accommodation.checked-out",
        "adaptation.placed",
    ]
    [granted] = await events("kandas.status-granted")
    assert granted["headers"]["ce_caseid"] == "CASE-77"
    assert (await client.get("/api/v1/cases/NOPE")).status_code == 404
