"""The typed lists of teams, equipment and shelters as the API answers them: team kinds
with each type's minimum, equipment kinds, shelter classes and the capabilities."""

from __future__ import annotations

from pydantic import BaseModel, Field

from crossrisk.domain.aid.resource_types import ResourceTypes


class MinimumOut(BaseModel):
    type: int
    minimum: dict[str, float] = Field(description="headcount and each capability, at least")


class TeamKindOut(BaseModel):
    code: str
    name_zh: str
    name_en: str
    capabilities: list[str]
    types: list[MinimumOut]


class EquipmentKindOut(BaseModel):
    code: str
    name_zh: str
    name_en: str
    capability_zh: str
    capability_en: str
    unit: str


class ShelterClassOut(BaseModel):
    code: str
    name_zh: str
    name_en: str
    standard: str
    clause: str
    min_days: int | None
    max_days: int | None
    note: str = Field(description="where the day figures come from, or that they are unverified")


class CapabilityOut(BaseModel):
    code: str
    name_zh: str
    name_en: str


class ResourceTypesOut(BaseModel):
    source: str
    capabilities: list[CapabilityOut]
    team_kinds: list[TeamKindOut]
    equipment_kinds: list[EquipmentKindOut]
    shelter_classes: list[ShelterClassOut]


def resource_types_out(types: ResourceTypes) -> ResourceTypesOut:
    """The resource types as the API's document describes them."""
    return ResourceTypesOut(
        source=types.source,
        capabilities=[
            CapabilityOut(code=c.code, name_zh=c.name_zh, name_en=c.name_en)
            for c in types.capabilities.values()
        ],
        team_kinds=[
            TeamKindOut(
                code=k.code,
                name_zh=k.name_zh,
                name_en=k.name_en,
                capabilities=list(k.capabilities),
                types=[MinimumOut(type=t, minimum=dict(m)) for t, m in sorted(k.minimum.items())],
            )
            for k in types.team_kinds
        ],
        equipment_kinds=[
            EquipmentKindOut(
                code=k.code,
                name_zh=k.name_zh,
                name_en=k.name_en,
                capability_zh=k.capability_zh,
                capability_en=k.capability_en,
                unit=k.unit,
            )
            for k in types.equipment_kinds
        ],
        shelter_classes=[
            ShelterClassOut(
                code=c.code,
                name_zh=c.name_zh,
                name_en=c.name_en,
                standard=c.standard,
                clause=c.clause,
                min_days=c.min_days,
                max_days=c.max_days,
                note=c.note,
            )
            for c in types.shelter_classes
        ],
    )
