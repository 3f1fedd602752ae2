"""Public reference data: the KATO regions and cities of republican significance."""

from fastapi import APIRouter
from pydantic import BaseModel

from shared.kz import regions

router = APIRouter(tags=["reference"])


class RegionOut(BaseModel):
    code: str
    kind: str
    names: dict[str, str]


@router.get("/reference/regions", response_model=list[RegionOut], summary="KATO regions")
async def list_regions() -> list[RegionOut]:
    """The 17 regions and 3 cities of republican significance with names in kk, ru and en."""
    return [
        RegionOut(code=r.code, kind=r.kind, names={"kk": r.kk, "ru": r.ru, "en": r.en})
        for r in regions().values()
    ]
