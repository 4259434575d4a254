"""Which region a page shows: the one asked for, else the visitor's own, else the first it
reads; a region asked for that the visitor may not read is refused as such."""

from __future__ import annotations

from crossrisk.domain.errors import NotFound
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import require_read_region
from crossrisk.domain.region import Region
from crossrisk.services import regions
from crossrisk.store.uow import UnitOfWork

CODE_MAX = 32  # region codes are short; a longer value names none


def chosen_region(uow: UnitOfWork, actor: Actor, code: str | None) -> Region:
    """The region a page is about, chosen from what the visitor reads."""
    code = (code or "")[:CODE_MAX]
    readable = regions.readable_regions(uow, actor)
    if not readable:
        raise NotFound("your organisation reads no region", key="region-required")
    chosen = next((r for r in readable if r.code == code), None)
    if chosen is None and code:
        require_read_region(actor, code)
        raise NotFound(f"no region {code}", key="region-required")
    return chosen or next((r for r in readable if r.code in actor.region_codes), readable[0])
