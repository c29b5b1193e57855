"""GET /api/v1/municipalities — the 24 municipalities and their services, for integrations."""
from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import SessionDep
from catalog import queries

router = APIRouter(prefix="/api/v1/municipalities", tags=["municipalities"])


class ServiceOut(BaseModel):
    category: str
    name: str
    url: str


class MunicipalityOut(BaseModel):
    name: str
    official_name: str
    scb_code: str
    county: str
    website: str
    services: list[ServiceOut]


@router.get("", response_model=list[MunicipalityOut])
def list_municipalities(session: SessionDep) -> list[MunicipalityOut]:
    return [
        MunicipalityOut(
            name=m.name, official_name=m.official_name, scb_code=m.scb_code, county=m.county.name,
            website=m.website,
            services=[ServiceOut(category=s.category.code, name=s.name, url=s.url) for s in m.services if not s.none],
        )
        for m in queries.municipalities(session)
    ]
