"""Finding risks in the register, a page at a time or whole for an export."""

from __future__ import annotations

from dataclasses import dataclass, replace

from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import readable_regions
from crossrisk.domain.register import EXPORT_MAX, RiskQuery, cursor_after
from crossrisk.domain.risk import Risk
from crossrisk.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class RiskPage:
    """One page of the register and the cursor of the next (None on the last)."""

    risks: list[Risk]
    next_cursor: str | None


def search_register(uow: UnitOfWork, actor: Actor, query: RiskQuery) -> RiskPage:
    """The risks of every region the actor reads that match the query, one page."""
    with uow.read_only() as tx:
        found = tx.risks.search(query, region_codes=readable_regions(actor), limit=query.limit + 1)
    shown = found[: query.limit]
    if len(found) <= query.limit or not shown:
        return RiskPage(risks=shown, next_cursor=None)
    last = shown[-1]
    assert last.id is not None
    moment = last.created_at if query.sort.value == "created" else last.updated_at
    cursor = cursor_after(query.sort, level=last.level, moment=moment, risk_id=last.id)
    return RiskPage(risks=shown, next_cursor=cursor.encode())


@dataclass(frozen=True, slots=True)
class RegisterExtract:
    """The whole filtered register, up to the export bound; `cut` when there was more."""

    risks: list[Risk]
    cut: bool


def export_register(uow: UnitOfWork, actor: Actor, query: RiskQuery) -> RegisterExtract:
    """The filtered register from its first risk, for a file."""
    whole = replace(query, after=None, limit=EXPORT_MAX)
    with uow.read_only() as tx:
        found = tx.risks.search(whole, region_codes=readable_regions(actor), limit=EXPORT_MAX + 1)
    return RegisterExtract(risks=found[:EXPORT_MAX], cut=len(found) > EXPORT_MAX)
