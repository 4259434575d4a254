"""The typed lists of base information: team kinds and their types, equipment kinds,
shelter classes. Kept as data (data/policy/aid_resource_types.toml and
aid_shelter_classes.toml) so a region edits its figures without a code change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crossrisk.domain.errors import InvalidInput

# FEMA NIMS resource typing numbers types from 1 (the most capable) down; we keep four.
TEAM_TYPES = (1, 2, 3, 4)
HEADCOUNT = "headcount"


@dataclass(frozen=True, slots=True)
class Named:
    code: str
    name_zh: str
    name_en: str

    def name(self, language: str) -> str:
        """The name in a catalog language ("zh_CN" or "en")."""
        return self.name_zh if language.startswith("zh") else self.name_en


@dataclass(frozen=True, slots=True)
class TeamKind:
    code: str
    name_zh: str
    name_en: str
    capabilities: tuple[str, ...]  # figures a team of this kind states besides headcount
    # type -> {"headcount": least, capability: least}
    minimum: Mapping[int, Mapping[str, float]]

    def name(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en


@dataclass(frozen=True, slots=True)
class EquipmentKind:
    code: str
    name_zh: str
    name_en: str
    capability_zh: str  # what the capability figure measures (排水能力)
    capability_en: str
    unit: str  # the unit of one unit's capability (m³/h, kW)

    def name(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en

    def capability(self, language: str) -> str:
        return self.capability_zh if language.startswith("zh") else self.capability_en


@dataclass(frozen=True, slots=True)
class ShelterClass:
    code: str
    name_zh: str
    name_en: str
    standard: str  # "GB 51143-2015"
    clause: str
    min_days: int | None  # the design length of stay, where a verified figure exists
    max_days: int | None
    note: str  # where the day figures come from, or that they are unverified

    def name(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en


@dataclass(frozen=True, slots=True)
class ResourceTypes:
    source: str
    capabilities: Mapping[str, Named]
    team_kinds: tuple[TeamKind, ...]
    equipment_kinds: tuple[EquipmentKind, ...]
    shelter_classes: tuple[ShelterClass, ...]

    def team_kind(self, code: str) -> TeamKind:
        """The team kind of a code; an unknown code is the caller's error."""
        for kind in self.team_kinds:
            if kind.code == code:
                return kind
        raise InvalidInput(
            f"unknown team kind {code[:64]!r}", key="unknown-team-kind", params={"kind": code[:64]}
        )

    def equipment_kind(self, code: str) -> EquipmentKind:
        for kind in self.equipment_kinds:
            if kind.code == code:
                return kind
        raise InvalidInput(
            f"unknown equipment kind {code[:64]!r}",
            key="unknown-equipment-kind",
            params={"kind": code[:64]},
        )

    def shelter_class(self, code: str) -> ShelterClass:
        for shelter_class in self.shelter_classes:
            if shelter_class.code == code:
                return shelter_class
        raise InvalidInput(
            f"unknown shelter class {code[:64]!r}",
            key="unknown-shelter-class",
            params={"class": code[:64]},
        )


def resource_types_from_tables(
    types: Mapping[str, Any], classes: Mapping[str, Any]
) -> ResourceTypes:
    """The typed lists of the two policy tables; a malformed table fails loudly."""
    capabilities = {
        code: Named(code=code, name_zh=str(entry["name_zh"]), name_en=str(entry["name_en"]))
        for code, entry in types["capability"].items()
    }
    team_kinds = []
    for entry in types["team_kind"]:
        named = tuple(str(c) for c in entry.get("capabilities", []))
        unknown = set(named) - capabilities.keys()
        if unknown:
            raise ValueError(f"team kind {entry['code']} names unknown capabilities {unknown}")
        minimum: dict[int, dict[str, float]] = {}
        for line in entry["minimum"]:
            level = int(line["type"])
            minimum[level] = {name: float(line.get(name, 0)) for name in (HEADCOUNT, *named)}
        if sorted(minimum) != list(TEAM_TYPES):
            raise ValueError(f"team kind {entry['code']} must type 1 to 4")
        # Type 1 is the most capable: its minimum is never below a lower type's.
        for name in (HEADCOUNT, *named):
            figures = [minimum[level][name] for level in TEAM_TYPES]
            if figures != sorted(figures, reverse=True):
                raise ValueError(f"team kind {entry['code']}: {name} must fall from type 1 to 4")
        team_kinds.append(
            TeamKind(
                code=str(entry["code"]),
                name_zh=str(entry["name_zh"]),
                name_en=str(entry["name_en"]),
                capabilities=named,
                minimum=minimum,
            )
        )
    equipment_kinds = tuple(
        EquipmentKind(
            code=str(entry["code"]),
            name_zh=str(entry["name_zh"]),
            name_en=str(entry["name_en"]),
            capability_zh=str(entry["capability_zh"]),
            capability_en=str(entry["capability_en"]),
            unit=str(entry["unit"]),
        )
        for entry in types["equipment_kind"]
    )
    shelter_classes = tuple(
        ShelterClass(
            code=str(entry["code"]),
            name_zh=str(entry["name_zh"]),
            name_en=str(entry["name_en"]),
            standard=str(entry["standard"]),
            clause=str(entry["clause"]),
            min_days=int(entry["min_days"]) if "min_days" in entry else None,
            max_days=int(entry["max_days"]) if "max_days" in entry else None,
            note=str(entry.get("note", "")),
        )
        for entry in classes["class"]
    )
    for codes in (
        [k.code for k in team_kinds],
        [k.code for k in equipment_kinds],
        [c.code for c in shelter_classes],
    ):
        if len(set(codes)) != len(codes):
            raise ValueError(f"duplicate codes in {codes}")
    return ResourceTypes(
        source=str(types.get("source", "")),
        capabilities=capabilities,
        team_kinds=tuple(team_kinds),
        equipment_kinds=equipment_kinds,
        shelter_classes=shelter_classes,
    )
