"""Public reference data: the centres for kandas and the resettlement regions."""

from fastapi import APIRouter
from pydantic import BaseModel

from diaspora.reference.centres import Centre, CentreKind, centres, source
from diaspora.rulebook import rulebook
from shared import clock

router = APIRouter(tags=["reference"])


class CentresOut(BaseModel):
    source: str
    centres: list[Centre]


class ResettlementRegionsOut(BaseModel):
    regions: list[str]
    rule: str


@router.get("/reference/centres", response_model=CentresOut, summary="Centres for kandas")
async def list_centres(kind: CentreKind | None = None) -> CentresOut:
    """Temporary accommodation centres (11 regions) and adaptation and integration centres."""
    return CentresOut(source=source(), centres=centres(kind))


@router.get(
    "/reference/resettlement-regions",
    response_model=ResettlementRegionsOut,
    summary="Regions that receive kandas within a quota",
)
async def list_resettlement_regions() -> ResettlementRegionsOut:
    """The KATO codes of the labour-deficit regions in force today."""
    version = rulebook().at("resettlement.regions", clock.today())
    return ResettlementRegionsOut(regions=list(version.value), rule=version.ref)  # type: ignore[arg-type]
