"""Verifying and reading the journal."""

from __future__ import annotations

from crossrisk.domain.journal import Verification, verify_chain
from crossrisk.domain.organisation import Actor
from crossrisk.store.uow import UnitOfWork


def verify_journal(uow: UnitOfWork, actor: Actor) -> Verification:
    """Recompute the whole chain; anyone with a login may, as DESIGN §3.10 asks."""
    del actor  # every authenticated actor may verify
    with uow.read_only() as tx:
        # The head first: entries appended after it are left for the next verification.
        head = tx.journal.head_record()
        return verify_chain(tx.journal.entries(), head=head)
