"""Teams, equipment and shelters in and out of spreadsheets, as stocks are (stock_sheets).

`import_sheet` reads every row first (format, typed lists, jurisdiction, permission, the
type rule and every bound of the records' own checks) and writes only when none is bad.
A row naming a record already kept (resource_sheets says what "the same" is) changes the
fields that differ through the services' own change helper ("team.changed"…), or, when
nothing differs, confirms the record ("team.confirmed"): the file is the keeper's word
that it is still true. Any other row is recorded ("team.recorded"…; a new shelter is
closed). One entry "<kind>.imported" ("teams.imported", "equipment.imported",
"shelters.imported") says what the file did and carries its SHA-256.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crossrisk.aid import sheet_files
from crossrisk.domain.aid.resource_sheets import ResourceLine, ResourceSheet, resource_sheet
from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.aid.sheet import Cell, RowError, SheetRefused
from crossrisk.domain.errors import NotFound, NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.aid import can_keep_base_information, can_read_base_record
from crossrisk.domain.permissions.regions import can_read_region
from crossrisk.services import aid_resources
from crossrisk.services.policy_tables import aid_resource_types
from crossrisk.store.uow import Transaction, UnitOfWork

# Per kind: record a draft, amend a record by id, the repository's name on a transaction.
_ADD: dict[str, Callable[..., Any]] = {
    "teams": aid_resources.add_team,
    "equipment": aid_resources.add_equipment,
    "shelters": aid_resources.add_shelter,
}
_AMEND: dict[str, Callable[..., Any]] = {
    "teams": aid_resources.amend_team,
    "equipment": aid_resources.amend_equipment,
    "shelters": aid_resources.amend_shelter,
}
_REPOSITORY = {"teams": "teams", "equipment": "equipment", "shelters": "shelters"}


@dataclass(frozen=True, slots=True)
class ImportResult:
    rows: int
    created: int
    changed: int
    confirmed: int
    sha256: str


def sheet_of(kind: str) -> ResourceSheet:
    """The sheet of "teams", "equipment" or "shelters" (InvalidInput for another word)."""
    return resource_sheet(kind, aid_resource_types())


def import_sheet(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    region_code: str,
    data: bytes,
    *,
    now: datetime,
) -> ImportResult:
    """Import a sheet of `kind` (CSV or .xlsx bytes) in one transaction, or change nothing.

    Raises SheetRefused (an InvalidInput) carrying every bad row when any row is bad.
    """
    chosen = sheet_of(kind)
    table = sheet_files.read_sheet(data)
    digest = hashlib.sha256(data).hexdigest()
    with uow as tx:
        tx.locks.sheet_import(kind, region_code)
        lines = _checked(tx, actor, chosen, region_code, table)
        repository = getattr(tx, _REPOSITORY[kind])
        existing = {
            chosen.identity(record): record
            for record in repository.of_region(
                region_code, jurisdiction_codes={line.draft.jurisdiction_code for line in lines}
            )
        }
        created = changed = confirmed = 0
        for line in lines:
            found = existing.get(chosen.identity(line.draft))
            if found is None:
                _ADD[kind](tx, actor, line.draft, region_code=region_code, now=now)
                created += 1
                continue
            changes = _changes(found, line)
            if changes:
                _AMEND[kind](tx, actor, found.id, changes, now=now)
                changed += 1
            else:
                aid_resources.confirm_record(tx, actor, found.id, kind=chosen.record, now=now)
                confirmed += 1
        tx.record(
            actor,
            f"{kind}.imported",
            subject=f"region:{region_code}",
            payload={
                "rows": len(lines),
                "created": created,
                "changed": changed,
                "confirmed": confirmed,
                "sha256": digest,
            },
            region_code=region_code,
            now=now,
        )
        tx.commit()
    return ImportResult(
        rows=len(lines), created=created, changed=changed, confirmed=confirmed, sha256=digest
    )


def _checked(
    tx: Transaction,
    actor: Actor,
    chosen: ResourceSheet,
    region_code: str,
    table: list[list[Cell]],
) -> list[ResourceLine]:
    """Every row read and checked, or SheetRefused with every error of the file."""
    members = tx.regions.members(region_code)
    if not members:
        raise NotFound(
            f"no region {region_code!r}", key="region-not-found", params={"region": region_code}
        )
    lines, errors = chosen.read(table, jurisdictions=members)
    for line in lines:
        code = line.draft.jurisdiction_code
        if not can_keep_base_information(actor, region_code=region_code, jurisdiction_code=code):
            errors.append(
                RowError(
                    line.row,
                    line.headers.get("jurisdiction", "jurisdiction"),
                    "base-information-not-yours",
                    {"jurisdiction": code},
                    f"{actor.organisation.code} may not keep the records of {code}",
                )
            )
    if errors:
        raise SheetRefused(errors)
    return lines


def _changes(record: Any, line: ResourceLine) -> dict[str, Any]:
    """The row's fields that differ from the record's (never its jurisdiction)."""
    before = record.draft()
    changes = {
        name: getattr(line.draft, name)
        for name in line.draft.__slots__
        if name != "jurisdiction_code" and getattr(line.draft, name) != getattr(before, name)
    }
    return changes


def export_rows(uow: UnitOfWork, actor: Actor, kind: str, region_code: str) -> list[list[Cell]]:
    """The region's records of `kind` the actor may read, as rows of its sheet."""
    chosen = sheet_of(kind)
    if not can_read_region(actor, region_code):
        raise NotPermitted(
            f"{actor.organisation.code} does not read region {region_code}",
            key="region-not-readable",
            params={"region": region_code},
        )
    with uow.read_only() as tx:
        found = getattr(tx, _REPOSITORY[kind]).of_region(region_code)
    return [
        chosen.row(record)
        for record in found
        if can_read_base_record(
            actor,
            region_code=region_code,
            jurisdiction_code=record.jurisdiction_code,
            shared_region_wide=record.sharing is Sharing.REGION,
        )
    ]


def export_sheet(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    region_code: str,
    *,
    file_format: str,
    language: str,
) -> bytes:
    """The records the actor reads as a CSV or .xlsx file that imports back unchanged."""
    rows = export_rows(uow, actor, kind, region_code)
    return write(kind, rows, file_format=file_format, language=language)


def template(kind: str, *, file_format: str, language: str) -> bytes:
    """An empty sheet of `kind` with its drop-down lists and instructions."""
    return write(kind, [], file_format=file_format, language=language)


def write(kind: str, rows: Sequence[Sequence[Cell]], *, file_format: str, language: str) -> bytes:
    chosen = sheet_of(kind)
    if file_format == "csv":
        return sheet_files.to_csv(chosen.kind, rows, language=language)
    return sheet_files.to_xlsx(
        chosen.kind,
        rows,
        language=language,
        choices=dict(chosen.choices),
        instructions=_instructions(chosen),
    )


_IDENTITY = {
    "teams": ("同一辖区、同名的队伍", "the same jurisdiction and name"),
    "equipment": ("同一辖区、类别和存放地点", "the same jurisdiction, kind and site"),
    "shelters": ("同一辖区、同名的场所", "the same jurisdiction and name"),
}


def _instructions(chosen: ResourceSheet) -> list[list[str]]:
    same_zh, same_en = _IDENTITY[chosen.code]
    lines = [
        ["列 Column", "说明", "Notes", "必填 Required"],
        *(
            [
                f"{c.header_zh} {c.header_en} ({c.code})",
                c.note_zh,
                c.note_en,
                "是 yes" if c.required else "否 no",
            ]
            for c in chosen.kind.columns
        ),
        [],
        [
            "导入 Import",
            "全部行无误才导入；任一行有误则不写入任何数据，并列出每个错误的行号和列名。"
            f"与已有记录（{same_zh}）相同的行更新该记录；内容无变化的行视为确认。",
            "All rows or none: one bad row and nothing is written; every error is listed by "
            f"row and column. A row naming a record already kept ({same_en}) updates it; "
            "one that changes nothing confirms it.",
        ],
        [],
    ]
    types = aid_resource_types()
    if chosen.code == "teams":
        lines.append(["类别 Kinds", "代码 code", "名称 name", "各级最低 minimum by type"])
        for kind in types.team_kinds:
            minimum = "; ".join(
                f"{level}: " + ", ".join(f"{k} {v:g}" for k, v in figures.items())
                for level, figures in kind.minimum.items()
            )
            lines.append(["", kind.code, f"{kind.name_zh} / {kind.name_en}", minimum])
    elif chosen.code == "equipment":
        lines.append(["类别 Kinds", "代码 code", "名称 name", "能力单位 capability unit"])
        for equipment in types.equipment_kinds:
            lines.append(
                [
                    "",
                    equipment.code,
                    f"{equipment.name_zh} / {equipment.name_en}",
                    f"{equipment.capability_zh} / {equipment.capability_en} ({equipment.unit})",
                ]
            )
    else:
        lines.append(["类别 Classes", "代码 code", "名称 name", "标准 standard"])
        for shelter_class in types.shelter_classes:
            lines.append(
                [
                    "",
                    shelter_class.code,
                    f"{shelter_class.name_zh} / {shelter_class.name_en}",
                    f"{shelter_class.standard} {shelter_class.clause}",
                ]
            )
    return lines
