"""Verifying and reading the journal."""

from __future__ import annotations

from dataclasses import dataclass, replace

from crossrisk.domain.journal import JournalEntry, Verification, verify_chain
from crossrisk.domain.journal_search import EXPORT_MAX, JournalQuery
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import readable_regions, require_read_region
from crossrisk.store.uow import UnitOfWork


def verify_journal(uow: UnitOfWork, actor: Actor) -> Verification:
    """Recompute the whole chain; anyone with a login may, as DESIGN §3.10 asks."""
    del actor  # every authenticated actor may verify
    with uow.read_only() as tx:
        # The head first: entries appended after it are left for the next verification.
        head = tx.journal.head_record()
        return verify_chain(tx.journal.entries(), head=head)


@dataclass(frozen=True, slots=True)
class JournalPage:
    """Entries newest first, and the sequence number the next page goes back from."""

    entries: list[JournalEntry]
    next_before: int | None


def search_journal(uow: UnitOfWork, actor: Actor, query: JournalQuery) -> JournalPage:
    """Entries the actor may read that match the query, newest first, one page.

    The central office reads every entry; an organisation of a region reads the entries
    about that region's risks and warnings and what it wrote itself.
    """
    with uow.read_only() as tx:
        found = tx.journal.search(
            query,
            region_codes=readable_regions(actor),
            organisation=actor.organisation.code,
            limit=query.limit + 1,
        )
    shown = found[: query.limit]
    more = len(found) > query.limit and bool(shown)
    return JournalPage(entries=shown, next_before=shown[-1].seq if more else None)


def journal_extract(uow: UnitOfWork, actor: Actor, query: JournalQuery) -> JournalPage:
    """The matching entries from the newest, up to the export bound, for a file."""
    return search_journal(uow, actor, replace(query, limit=EXPORT_MAX))


def risk_record(uow: UnitOfWork, actor: Actor, risk_id: int) -> list[JournalEntry]:
    """A risk's whole history, oldest first: the risk and everything about its warnings,
    deliveries and acknowledgements, and every record whose entries name the risk."""
    with uow.read_only() as tx:
        risk = tx.risks.get(risk_id)
        require_read_region(actor, risk.region_code)
        return tx.journal.about_risk(risk_id, limit=EXPORT_MAX)
