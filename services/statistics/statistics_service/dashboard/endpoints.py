"""The dashboard at `/`: one HTML page, its script and stylesheet, all served from the package
(no CDN: it works on a ministry network without internet)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse, Response

from shared.kz import regions

router = APIRouter(tags=["dashboard"])

ASSETS = {
    "dashboard.js": "text/javascript; charset=utf-8",
    "dashboard.css": "text/css; charset=utf-8",
}


def _read(name: str) -> str:
    return resources.files("statistics_service.dashboard").joinpath(name).read_text("utf-8")


@cache
def _page() -> str:
    names = {
        code: {"kk": region.kk, "ru": region.ru, "en": region.en}
        for code, region in regions().items()
    }
    # "</" cannot close the script element from inside the JSON.
    data = json.dumps({"regions": names}, ensure_ascii=False).replace("</", "<\\/")
    return _read("dashboard.html").replace("{{DATA}}", data)


@router.get("/", response_class=HTMLResponse, summary="The statistics dashboard",
            include_in_schema=True)
async def dashboard() -> HTMLResponse:
    """Charts of the main indicators and reference series in Kazakh, Russian and English."""
    return HTMLResponse(_page())


@router.get("/dashboard/{asset}", include_in_schema=False)
async def dashboard_asset(asset: str) -> Response:
    media_type = ASSETS.get(asset)
    if media_type is None:
        raise HTTPException(404)
    return Response(_read(asset), media_type=media_type,
                    headers={"Cache-Control": "public, max-age=300"})
