"""Stocks in and out of spreadsheets: an import is all or nothing, an export what one reads.

`import_stocks` reads every row first (format, catalogue, jurisdiction, permission, the
warehouse and expiry checks of services.stocks) and writes only when none is bad: a row
naming an existing stock (same jurisdiction, item, warehouse and expiry) sets it by a
"counted" ledger line, a stock-take; any other row becomes a new stock through
`services.stocks.add_stock`. One journal entry "stocks.imported" says what the file did
and carries its SHA-256, beside each stock's own entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

from crossrisk.aid import sheet_files
from crossrisk.domain.aid.sheet import Cell, RowError, SheetRefused
from crossrisk.domain.aid.stock import AdjustmentReason, Stock, adjust
from crossrisk.domain.aid.stock_sheet import STOCKS, StockLine, identity, read_stocks, stock_row
from crossrisk.domain.errors import CrossriskError, NotFound, NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.aid import can_keep_base_information, can_read_base_record
from crossrisk.domain.permissions.regions import can_read_region
from crossrisk.services import stocks, users
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.store.uow import Transaction, UnitOfWork


@dataclass(frozen=True, slots=True)
class ImportResult:
    rows: int
    created: int
    counted: int
    sha256: str


def read_file(data: bytes) -> list[list[Cell]]:
    """A CSV or .xlsx file's cells (TooLarge / InvalidInput for a file that is neither)."""
    return sheet_files.read_sheet(data)


def import_stocks(
    uow: UnitOfWork,
    actor: Actor,
    region_code: str,
    data: bytes,
    *,
    now: datetime,
) -> ImportResult:
    """Import a stocks sheet (CSV or .xlsx bytes) in one transaction, or change nothing.

    Raises SheetRefused (an InvalidInput) carrying every bad row when any row is bad.
    """
    table = sheet_files.read_sheet(data)
    digest = hashlib.sha256(data).hexdigest()
    with uow as tx:
        tx.locks.stock_import(region_code)
        lines = _checked(tx, actor, region_code, table)
        existing = {
            identity(stock): stock
            for stock in tx.stocks.of_region(
                region_code, jurisdiction_codes={line.draft.jurisdiction_code for line in lines}
            )
        }
        created = counted = 0
        for line in lines:
            found = existing.get(identity(line.draft))
            if found is None:
                stocks.add_stock(tx, actor, line.draft, region_code=region_code, now=now)
                created += 1
            else:
                _count(tx, actor, found, line, digest=digest, now=now)
                counted += 1
        tx.record(
            actor,
            "stocks.imported",
            subject=f"region:{region_code}",
            payload={
                "rows": len(lines),
                "created": created,
                "counted": counted,
                "sha256": digest,
            },
            region_code=region_code,
            now=now,
        )
        tx.commit()
    return ImportResult(rows=len(lines), created=created, counted=counted, sha256=digest)


def _checked(
    tx: Transaction, actor: Actor, region_code: str, table: list[list[Cell]]
) -> list[StockLine]:
    """Every row read and checked, or SheetRefused with every error of the file."""
    members = tx.regions.members(region_code)
    if not members:
        raise NotFound(
            f"no region {region_code!r}", key="region-not-found", params={"region": region_code}
        )
    lines, errors = read_stocks(table, catalogue=aid_catalogue(), jurisdictions=members)
    for line in lines:
        header = line.headers.get("jurisdiction", "jurisdiction")
        if not can_keep_base_information(
            actor, region_code=region_code, jurisdiction_code=line.draft.jurisdiction_code
        ):
            errors.append(
                RowError(
                    line.row,
                    header,
                    "base-information-not-yours",
                    {"jurisdiction": line.draft.jurisdiction_code},
                    f"{actor.organisation.code} may not keep the stocks of "
                    f"{line.draft.jurisdiction_code}",
                )
            )
        for column, check in (
            ("warehouse", partial(stocks.check_warehouse, line.draft.warehouse)),
            ("expiry", partial(stocks.check_expiry, line.draft.expires_on)),
        ):
            try:
                check()
            except CrossriskError as error:
                errors.append(
                    RowError(
                        line.row,
                        line.headers.get(column, column),
                        error.key or error.code,
                        error.params,
                        error.detail,
                    )
                )
    if errors:
        raise SheetRefused(errors)
    return lines


def _count(
    tx: Transaction, actor: Actor, stock: Stock, line: StockLine, *, digest: str, now: datetime
) -> None:
    """Set an existing stock to the row's figure by a stock-take, with the row's location
    and sharing (the officer's file is the newer word on both)."""
    locked = tx.stocks.get(stock.id or 0, for_update=True)
    located = replace(locked, warehouse=line.draft.warehouse, sharing=line.draft.sharing)
    note = f"import {digest[:12]} row {line.row}"
    changed, adjustment = adjust(
        located,
        reason=AdjustmentReason.COUNTED,
        quantity=line.draft.quantity,
        note=note,
        actor=actor.username,
        now=now,
    )
    tx.stocks.save(changed)
    tx.stocks.record_adjustment(adjustment)
    # The entry a stock-take from a form gets (services.stocks.adjust_stock), the same payload.
    tx.record(
        actor,
        "stock.adjusted",
        subject=f"stock:{changed.id}",
        payload={
            "stock_id": changed.id,
            "jurisdiction_code": changed.jurisdiction_code,
            "item_code": changed.item_code,
            "quantity": changed.quantity,
            "warehouse": changed.warehouse.name,
            "sharing": changed.sharing.value,
            "expires_on": changed.expires_on.isoformat() if changed.expires_on else None,
            "reason": AdjustmentReason.COUNTED.value,
            "delta": adjustment.delta,
            "quantity_before": locked.quantity,
            "note": note,
        },
        region_code=changed.region_code,
        now=now,
    )


def export_rows(uow: UnitOfWork, actor: Actor, region_code: str) -> list[list[Cell]]:
    """The region's stocks the actor may read, as rows of the stocks sheet."""
    if not can_read_region(actor, region_code):
        raise NotPermitted(
            f"{actor.organisation.code} does not read region {region_code}",
            key="region-not-readable",
            params={"region": region_code},
        )
    with uow.read_only() as tx:
        found = tx.stocks.of_region(region_code)
    return [
        stock_row(stock)
        for stock in found
        if can_read_base_record(
            actor,
            region_code=region_code,
            jurisdiction_code=stock.jurisdiction_code,
            shared_region_wide=stock.sharing.value == "region",
        )
    ]


def export_stocks(
    uow: UnitOfWork, actor: Actor, region_code: str, *, file_format: str, language: str
) -> bytes:
    """The stocks the actor reads as a CSV or .xlsx file that imports back unchanged."""
    rows = export_rows(uow, actor, region_code)
    return write(rows, file_format=file_format, language=language)


def template(*, file_format: str, language: str) -> bytes:
    """An empty stocks sheet with its lists and instructions."""
    return write([], file_format=file_format, language=language)


def write(rows: Sequence[Sequence[Cell]], *, file_format: str, language: str) -> bytes:
    if file_format == "csv":
        return sheet_files.to_csv(STOCKS, rows, language=language)
    catalogue = aid_catalogue()
    return sheet_files.to_xlsx(
        STOCKS,
        rows,
        language=language,
        choices={"item": list(catalogue.codes), "sharing": ["region", "committee"]},
        instructions=_instructions(),
    )


def _instructions() -> list[list[str]]:
    lines = [
        ["列 Column", "说明", "Notes", "必填 Required"],
        *(
            [
                f"{c.header_zh} {c.header_en} ({c.code})",
                c.note_zh,
                c.note_en,
                "是 yes" if c.required else "否 no",
            ]
            for c in STOCKS.columns
        ),
        [],
        [
            "导入 Import",
            "全部行无误才导入；任一行有误则不写入任何数据，并列出每个错误的行号和列名。"
            "与已有储备（同一辖区、物资、仓库、有效期）相同的行按盘点（counted）更新数量。",
            "All rows or none: one bad row and nothing is written; every error is listed by "
            "row and column. A row naming an existing stock (same jurisdiction, item, "
            "warehouse and expiry) sets its quantity as a stock-take (counted).",
        ],
        [],
        ["物资 Items", "代码 code", "名称 name", "基本单位 base unit", "包装 packs"],
    ]
    for item in aid_catalogue():
        packs = "; ".join(f"{p.code} = {p.content:g} {item.unit}" for p in item.packs)
        lines.append(["", item.code, f"{item.name_zh} / {item.name_en}", f"{item.unit}", packs])
    return lines


def acting_user(uow: UnitOfWork, username: str) -> Actor:
    """The actor of an enabled user, for a command run on a user's behalf (`--as`)."""
    with uow.read_only() as tx:
        user = tx.organisations.user_by_name(username.strip().lower())
        if user is None or not user.active:
            raise NotFound(
                f"user {username!r} does not exist or is disabled",
                key="user-unknown",
                params={"username": username[:64]},
            )
        return users.actor_of(
            tx,
            username=user.username,
            organisation=user.organisation,
            role=user.role,
            admin=user.admin,
            display_name=user.display_name,
        )
