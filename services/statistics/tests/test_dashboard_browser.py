"""The dashboard in headless Chromium: the service on a real port, arrivals fed in, the page opened,
charts found drawn, the language switched, screenshots saved to test-artifacts/dashboard-<lang>.png.

Needs Debian's chromium (/usr/bin/chromium) and Playwright for Python; `playwright install` is
never called. Without them the test is skipped, except with CI=true, where it fails.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from conftest import REPO
from shared.bus.memory import InMemoryBus
from shared.service import Service
from shared.settings import ServiceSettings
from statistics_service.app import create_service

from .events import arrival_records, feed

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO / "test-artifacts"
TITLES = {"en": "Migration statistics", "ru": "Миграционная статистика",
          "kk": "Көші-қон статистикасы"}


def _require_browser() -> Any:
    problem = None
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        problem = f"chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    try:
        from playwright import async_api
    except ImportError:
        problem = problem or "playwright is not installed (pip install -e '.[dev]')"
        async_api = None
    if problem is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(problem, pytrace=False)
        pytest.skip(problem)
    return async_api


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _months_back(count: int) -> list[date]:
    first_of_this_month = date.today().replace(day=1)
    months = []
    for back in range(count, 0, -1):
        index = first_of_this_month.year * 12 + first_of_this_month.month - 1 - back
        months.append(date(index // 12, index % 12 + 1, 12))
    return months


async def _serve(service: Service) -> AsyncIterator[str]:
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(
        service.app, host="127.0.0.1", port=port, log_config=None, access_log=False,
        lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            await task
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def dashboard(tmp_path: Path) -> AsyncIterator[str]:
    service = create_service(
        ServiceSettings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'statistics.db'}",
                        bus="memory"),
        bus=InMemoryBus(),
    )
    async for base in _serve(service):
        records = []
        regions = ["750000000", "710000000", "790000000", "470000000", "390000000", "630000000"]
        for index, month in enumerate(_months_back(26)):
            season = (8 if month.month in (6, 7, 8) else 0) + (3 if month.month == 12 else 0)
            for rank, region in enumerate(regions):
                count = max(1, 18 - 3 * rank + season + index // 3)
                records += arrival_records(count, notified_on=month, region=region,
                                           citizenship=["UZB", "RUS", "CHN"][rank % 3])
                records += arrival_records(1 + rank % 3, notified_on=month, region=region,
                                           late=True)
        await feed(service, records)
        yield base


async def test_the_dashboard_draws_its_charts_in_three_languages(dashboard: str) -> None:
    async_api = _require_browser()
    ARTIFACTS.mkdir(exist_ok=True)
    outside: list[str] = []
    errors: list[str] = []
    async with async_api.async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1360, "height": 900})
            page.on("request", lambda r: None if r.url.startswith(dashboard)
                    else outside.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            await page.goto(f"{dashboard}/?lang=en")
            await page.wait_for_selector('body[data-ready="en"]', timeout=30_000)

            bars = page.locator('svg[data-chart="arrivals-month"] rect.bar[data-value]')
            assert await bars.count() >= 24
            values = [await bars.nth(i).get_attribute("data-value") for i in range(3)]
            assert all(v and int(v) > 0 for v in values)
            forecast = 'svg[data-chart="arrivals-month"] rect.bar.forecast[data-period]'
            assert await page.locator(forecast).count() == 6
            regions = page.locator('svg[data-chart="arrivals-region"] rect.bar[data-label]')
            assert await regions.count() == 6
            assert await page.locator('svg[data-chart="compliance"] circle.dot').count() >= 20
            assert await page.locator('svg[data-chart^="reference-"]').count() == 4
            # Quota use and decisions are catalogued but not fed yet: an empty state, no error.
            assert await page.locator('[data-empty="quota"]').count() == 1
            assert await page.locator('[data-empty="decisions"]').count() == 1
            await page.screenshot(path=str(ARTIFACTS / "dashboard-en.png"), full_page=True)

            for language in ("kk", "ru"):
                await page.click(f'button[data-lang="{language}"]')
                await page.wait_for_selector(f'body[data-ready="{language}"]', timeout=30_000)
                assert await page.inner_text("h1") == TITLES[language]
                assert await page.get_attribute("html", "lang") == language
                assert await page.locator(
                    'svg[data-chart="arrivals-month"] rect.bar[data-value]').count() >= 24
                await page.screenshot(path=str(ARTIFACTS / f"dashboard-{language}.png"),
                                      full_page=True)
        finally:
            await browser.close()
    assert outside == []
    assert errors == []
    for language in ("en", "kk", "ru"):
        assert (ARTIFACTS / f"dashboard-{language}.png").stat().st_size > 10_000
