"""The teams, equipment and shelters sheets: their columns, each row read into a checked
draft, and a record as a row.

The header, cell and error machinery is sheet.py's (as for stocks); this module says only
what each kind's columns are and how a row becomes a draft. A row is checked by the same
rule the API and the pages apply (`check_team`, `check_equipment`, `check_shelter`), so a
team that misses its type's minimum is refused in a sheet as in a form; the refusal is
placed on the column it is about.

What makes a row the same record as one already kept (it is then updated, not recorded
twice), compared without case and surrounding spaces:
- a team: its jurisdiction and name;
- a shelter: its jurisdiction and name;
- equipment: its jurisdiction, kind and site (the named place it is kept, not the
  coordinates, which an officer re-reads from a map and which drift in the last digits).
Two rows of one file naming the same record are an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from crossrisk.domain.aid import equipment as equipment_rules
from crossrisk.domain.aid import sheet
from crossrisk.domain.aid import shelter as shelter_rules
from crossrisk.domain.aid import team as team_rules
from crossrisk.domain.aid.base_record import Location
from crossrisk.domain.aid.equipment import Equipment, EquipmentDraft
from crossrisk.domain.aid.resource_types import TEAM_TYPES, ResourceTypes
from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.aid.sheet import Cell, CellError, Column, DataRow, RowError, SheetKind
from crossrisk.domain.aid.shelter import Shelter, ShelterDraft
from crossrisk.domain.aid.stock_sheet import SHARING_NAMES
from crossrisk.domain.aid.team import Team, TeamDraft
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.region import Jurisdiction

KINDS = ("teams", "equipment", "shelters")


@dataclass(frozen=True, slots=True)
class ResourceLine:
    """A good row: its number in the file and the checked draft it describes."""

    row: int
    draft: Any  # TeamDraft | EquipmentDraft | ShelterDraft
    headers: Mapping[str, str]  # column code → the header the file used


@dataclass(frozen=True, slots=True)
class ResourceSheet:
    """One kind's sheet: its columns, its reader, its identity rule and its export row."""

    code: str  # "teams", "equipment", "shelters" (the URL's and the CLI's word)
    record: str  # "team", "equipment", "shelter" (the journal's and the services' word)
    kind: SheetKind
    parsers: Callable[[Mapping[str, Any]], dict[str, Callable[[Cell], Any]]]
    build: Callable[[dict[str, Any]], Any]  # parsed cells → draft
    check: Callable[[Any], Any]  # draft → checked draft, or InvalidInput
    identity: Callable[[Any], tuple[str, ...]]  # of a draft or a record
    row: Callable[[Any], list[Cell]]  # a record as a row
    choices: Mapping[str, Sequence[str]]  # column code → its drop-down list

    def read(
        self, table: Sequence[Sequence[Cell]], *, jurisdictions: Sequence[Jurisdiction]
    ) -> tuple[list[ResourceLine], list[RowError]]:
        """Every good row as a ResourceLine and every error of every bad row."""
        rows, errors = sheet.read_table(self.kind, table)
        by_name = sheet.names_of(((j.code, j.name_zh, j.name_en), j.code) for j in jurisdictions)
        parsers = self.parsers(by_name)
        lines: list[ResourceLine] = []
        seen: dict[tuple[str, ...], int] = {}
        for data_row in rows:
            values = sheet.read_cells(data_row, parsers, errors)
            if values is None:
                continue
            try:
                draft = self.check(self.build(values))
            except InvalidInput as error:
                errors.append(_row_error(data_row, error))
                continue
            key = self.identity(draft)
            if key in seen:
                errors.append(
                    RowError(
                        data_row.number,
                        "",
                        "sheet-duplicate-record",
                        {"first_row": seen[key]},
                        f"the same {self.record} as row {seen[key]}",
                    )
                )
                continue
            seen[key] = data_row.number
            lines.append(ResourceLine(data_row.number, draft, data_row.headers))
        return lines, errors


def resource_sheet(code: str, types: ResourceTypes) -> ResourceSheet:
    """The sheet of "teams", "equipment" or "shelters" under the region's typed lists."""
    if code == "teams":
        return _teams(types)
    if code == "equipment":
        return _equipment(types)
    if code == "shelters":
        return _shelters(types)
    raise InvalidInput(
        f"no sheet of {code[:20]!r}: teams, equipment or shelters",
        key="sheet-unknown-kind",
        params={"kind": code[:20]},
    )


# ---- columns every kind shares ----------------------------------------------------------

_JURISDICTION = Column(
    "jurisdiction",
    "辖区",
    "Jurisdiction",
    note_zh="行政区划代码（如 330100）或城市中文名（如 杭州市）",
    note_en="GB/T 2260 code (e.g. 330100) or the city's name (e.g. 杭州市 or Hangzhou)",
)
_PLACE = (
    Column("lon", "经度", "Longitude", note_zh="WGS84 经度", note_en="WGS84 longitude"),
    Column("lat", "纬度", "Latitude", note_zh="WGS84 纬度", note_en="WGS84 latitude"),
    Column(
        "contact",
        "联系方式",
        "Contact",
        required=False,
        note_zh="联系人及电话，200 字以内；可留空",
        note_en="Who to call and how, up to 200 characters; may be empty",
    ),
    Column(
        "sharing",
        "共享范围",
        "Sharing",
        required=False,
        note_zh="region（全区共享，空白时）或 committee（仅协调机构）",
        note_en="region (region-wide, when empty) or committee (committee only)",
    ),
)


def _common(by_name: Mapping[str, Any], contact_max: int) -> dict[str, Callable[[Cell], Any]]:
    sharing = sheet.names_of(
        ((s.value, *SHARING_NAMES[s]), s) for s in (Sharing.REGION, Sharing.COMMITTEE)
    )
    return {
        "jurisdiction": lambda v: sheet.choice(sheet.required(v), by_name, what="jurisdiction"),
        "lon": lambda v: sheet.number(sheet.required(v), low=-180, high=180),
        "lat": lambda v: sheet.number(sheet.required(v), low=-90, high=90),
        "contact": lambda v: "" if v is None else sheet.text(v, limit=contact_max),
        "sharing": lambda v: (
            Sharing.REGION if v is None else sheet.choice(v, sharing, what="sharing")
        ),
    }


def whole(value: Cell, *, low: int, high: int) -> int:
    """A whole number within [low, high] (people, units): 12 or 12.0, not 12.5."""
    result = sheet.number(value, low=low, high=high)
    if not result.is_integer():
        raise CellError("cell-not-whole", f"{result:g} is not a whole number", value=result)
    return int(result)


def _named(entries: Iterable[Any]) -> dict[str, Any]:
    return sheet.names_of(((e.code, e.name_zh, e.name_en), e.code) for e in entries)


def _tail(record: Team | Equipment | Shelter, place: Location) -> list[Cell]:
    return [place.lon, place.lat, record.contact or None, record.sharing.value]


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


# ---- teams ------------------------------------------------------------------------------


def _teams(types: ResourceTypes) -> ResourceSheet:
    capabilities = tuple(types.capabilities.values())
    kinds = _named(types.team_kinds)
    columns = (
        _JURISDICTION,
        Column(
            "name",
            "队伍名称",
            "Team",
            note_zh="队伍名称，200 字以内；同一辖区内同名即同一支队伍",
            note_en="The team's name, up to 200 characters; the same name in a city is "
            "the same team",
        ),
        Column(
            "kind",
            "队伍类别",
            "Kind",
            note_zh="类别代码或名称（见下表）",
            note_en="The kind's code or name (see below)",
        ),
        Column(
            "type",
            "分级",
            "Type",
            note_zh="1 至 4，1 级能力最强；须达到该级最低人数和装备",
            note_en="1 to 4, Type 1 the most capable; the type's minimum must be met",
        ),
        Column("headcount", "人数", "Headcount", note_zh="整数", note_en="A whole number"),
        Column(
            "readiness_hours",
            "集结时间（小时）",
            "Readiness (hours)",
            note_zh="接到调令至出发的小时数，0 至 720",
            note_en="Hours from the call to leaving base, 0 to 720",
        ),
        *_PLACE,
        *(
            Column(
                c.code,
                c.name_zh,
                c.name_en,
                required=False,
                note_zh="该类队伍所列能力的数量；其他类别留空",
                note_en="For kinds that state it; empty for the others",
            )
            for c in capabilities
        ),
    )

    def parsers(by_name: Mapping[str, Any]) -> dict[str, Callable[[Cell], Any]]:
        return {
            **_common(by_name, team_rules.CONTACT_MAX),
            "name": lambda v: sheet.text(sheet.required(v), limit=team_rules.NAME_MAX),
            "kind": lambda v: sheet.choice(sheet.required(v), kinds, what="team-kind"),
            "type": lambda v: whole(sheet.required(v), low=min(TEAM_TYPES), high=max(TEAM_TYPES)),
            "headcount": lambda v: whole(sheet.required(v), low=1, high=team_rules.HEADCOUNT_MAX),
            "readiness_hours": lambda v: sheet.number(
                sheet.required(v), low=0, high=team_rules.READINESS_MAX_HOURS
            ),
            **{
                c.code: (
                    lambda v: None if v is None else whole(v, low=0, high=team_rules.CAPABILITY_MAX)
                )
                for c in capabilities
            },
        }

    def build(values: dict[str, Any]) -> TeamDraft:
        stated = types.team_kind(values["kind"]).capabilities
        given = {
            c.code: values[c.code]
            for c in capabilities
            # A 0 under another kind's capability says nothing; any other figure is an error.
            if values[c.code] is not None and (c.code in stated or values[c.code] != 0)
        }
        return TeamDraft(
            jurisdiction_code=values["jurisdiction"],
            name=values["name"],
            kind=values["kind"],
            type_level=values["type"],
            headcount=values["headcount"],
            readiness_hours=values["readiness_hours"],
            base=Location(values["lon"], values["lat"]),
            contact=values["contact"],
            capabilities=given,
            sharing=values["sharing"],
        )

    def row(team: Team) -> list[Cell]:
        return [
            team.jurisdiction_code,
            team.name,
            team.kind,
            team.type_level,
            team.headcount,
            team.readiness_hours,
            *_tail(team, team.base),
            *(team.capabilities.get(c.code) for c in capabilities),
        ]

    return ResourceSheet(
        code="teams",
        record="team",
        kind=SheetKind("teams", "救援队伍", "Response teams", columns),
        parsers=parsers,
        build=build,
        check=lambda draft: team_rules.check_team(draft, types),
        identity=lambda t: (t.jurisdiction_code, _folded(t.name)),
        row=row,
        choices={
            "kind": [k.code for k in types.team_kinds],
            "type": [str(level) for level in TEAM_TYPES],
            "sharing": ["region", "committee"],
        },
    )


# ---- equipment --------------------------------------------------------------------------


def _equipment(types: ResourceTypes) -> ResourceSheet:
    kinds = _named(types.equipment_kinds)
    columns = (
        _JURISDICTION,
        Column(
            "kind",
            "装备类别",
            "Kind",
            note_zh="类别代码或名称（见下表）",
            note_en="The kind's code or name (see below)",
        ),
        Column(
            "site",
            "存放地点",
            "Site",
            note_zh="存放地点名称，200 字以内；同一辖区、类别、地点即同一条记录",
            note_en="Where it is kept, up to 200 characters; the same city, kind and site "
            "is the same record",
        ),
        Column("quantity", "数量（台/套）", "Units", note_zh="整数", note_en="A whole number"),
        Column(
            "capability",
            "单台能力",
            "Capability of one unit",
            note_zh="每台的能力，单位见下表（如 m³/h、kW）",
            note_en="What one unit does, in the kind's unit below (m³/h, kW…)",
        ),
        *_PLACE,
    )

    def parsers(by_name: Mapping[str, Any]) -> dict[str, Callable[[Cell], Any]]:
        return {
            **_common(by_name, equipment_rules.CONTACT_MAX),
            "kind": lambda v: sheet.choice(sheet.required(v), kinds, what="equipment-kind"),
            "site": lambda v: sheet.text(sheet.required(v), limit=equipment_rules.SITE_MAX),
            "quantity": lambda v: whole(
                sheet.required(v), low=1, high=equipment_rules.QUANTITY_MAX
            ),
            "capability": lambda v: sheet.number(
                sheet.required(v), low=0, high=equipment_rules.CAPABILITY_MAX
            ),
        }

    def build(values: dict[str, Any]) -> EquipmentDraft:
        return EquipmentDraft(
            jurisdiction_code=values["jurisdiction"],
            kind=values["kind"],
            quantity=values["quantity"],
            capability=values["capability"],
            site=values["site"],
            location=Location(values["lon"], values["lat"]),
            contact=values["contact"],
            sharing=values["sharing"],
        )

    def row(equipment: Equipment) -> list[Cell]:
        return [
            equipment.jurisdiction_code,
            equipment.kind,
            equipment.site,
            equipment.quantity,
            equipment.capability,
            *_tail(equipment, equipment.location),
        ]

    return ResourceSheet(
        code="equipment",
        record="equipment",
        kind=SheetKind("equipment", "应急装备", "Equipment", columns),
        parsers=parsers,
        build=build,
        check=lambda draft: equipment_rules.check_equipment(draft, types),
        identity=lambda e: (e.jurisdiction_code, e.kind, _folded(e.site)),
        row=row,
        choices={
            "kind": [k.code for k in types.equipment_kinds],
            "sharing": ["region", "committee"],
        },
    )


# ---- shelters ---------------------------------------------------------------------------


def _shelters(types: ResourceTypes) -> ResourceSheet:
    classes = _named(types.shelter_classes)
    columns = (
        _JURISDICTION,
        Column(
            "name",
            "场所名称",
            "Shelter",
            note_zh="避难场所名称，200 字以内；同一辖区内同名即同一处",
            note_en="The shelter's name, up to 200 characters; the same name in a city is "
            "the same shelter",
        ),
        Column(
            "class",
            "场所类别",
            "Class",
            note_zh="类别代码或名称（见下表，GB 51143-2015 / GB 21734-2008）",
            note_en="The class's code or name (see below; GB 51143-2015 / GB 21734-2008)",
        ),
        Column("capacity", "容纳人数", "Capacity", note_zh="整数", note_en="People, whole"),
        Column(
            "available",
            "可用容量",
            "Free places",
            note_zh="尚可接收人数，0 至容纳人数",
            note_en="How many more people it can take, 0 to the capacity",
        ),
        *_PLACE,
    )

    def parsers(by_name: Mapping[str, Any]) -> dict[str, Callable[[Cell], Any]]:
        return {
            **_common(by_name, shelter_rules.CONTACT_MAX),
            "name": lambda v: sheet.text(sheet.required(v), limit=shelter_rules.NAME_MAX),
            "class": lambda v: sheet.choice(sheet.required(v), classes, what="shelter-class"),
            "capacity": lambda v: whole(sheet.required(v), low=1, high=shelter_rules.CAPACITY_MAX),
            "available": lambda v: whole(sheet.required(v), low=0, high=shelter_rules.CAPACITY_MAX),
        }

    def build(values: dict[str, Any]) -> ShelterDraft:
        return ShelterDraft(
            jurisdiction_code=values["jurisdiction"],
            name=values["name"],
            class_code=values["class"],
            capacity=values["capacity"],
            available=values["available"],
            location=Location(values["lon"], values["lat"]),
            contact=values["contact"],
            sharing=values["sharing"],
        )

    def row(shelter: Shelter) -> list[Cell]:
        return [
            shelter.jurisdiction_code,
            shelter.name,
            shelter.class_code,
            shelter.capacity,
            shelter.available,
            *_tail(shelter, shelter.location),
        ]

    return ResourceSheet(
        code="shelters",
        record="shelter",
        kind=SheetKind("shelters", "避难场所", "Shelters", columns),
        parsers=parsers,
        build=build,
        check=lambda draft: shelter_rules.check_shelter(draft, types),
        identity=lambda s: (s.jurisdiction_code, _folded(s.name)),
        row=row,
        choices={
            "class": [c.code for c in types.shelter_classes],
            "sharing": ["region", "committee"],
        },
    )


# ---- a domain refusal on the column it is about -------------------------------------------

_COLUMN_OF_KEY = {
    "location-invalid": "lon",
    "unknown-team-kind": "kind",
    "unknown-equipment-kind": "kind",
    "unknown-shelter-class": "class",
    "team-type-invalid": "type",
    "team-type-not-met": "type",
    "shelter-available-above-capacity": "available",
    "sharing-invalid": "sharing",
}


def _row_error(row: DataRow, error: InvalidInput) -> RowError:
    key = error.key or error.code
    params = dict(error.params)
    if key == "unknown-capability":
        column = str(params.get("capability", ""))
    elif key == "team-type-not-met" and params.get("capability") in row.headers:
        column = str(params["capability"])  # the figure that falls short, not the claim
    else:
        column = _COLUMN_OF_KEY.get(key) or str(params.get("field", ""))
    return RowError(row.number, row.headers.get(column, ""), key, params, error.detail)
