"""HTTP helpers of cases for the endpoints of a flow's first step."""

from __future__ import annotations

import json

from fastapi.responses import JSONResponse


def with_case_header(response: JSONResponse) -> JSONResponse:
    """Echoes the answer's `case_id` in the `X-Case-Id` header (a replayed answer too)."""
    body = json.loads(bytes(response.body))
    if isinstance(body, dict) and body.get("case_id"):
        response.headers["X-Case-Id"] = str(body["case_id"])
    return response
