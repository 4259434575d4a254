"""The committee's supervision of its members' trust (DESIGN §3.9): it confirms or disputes
how a commitment or a duty was resolved, and the evidence then counts as it holds it."""

from __future__ import annotations

from datetime import datetime

from crossrisk.domain.errors import Conflict, NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.trust import can_supervise_trust
from crossrisk.domain.trust.reputation import EvidenceKind
from crossrisk.domain.trust.supervision import Supervision, Verdict, decide, parse_target
from crossrisk.services.trust_evidence import region_evidence
from crossrisk.store.uow import UnitOfWork


def supervise(
    uow: UnitOfWork,
    actor: Actor,
    *,
    target: str,
    verdict: Verdict,
    reason: str,
    counts_as: EvidenceKind | None = None,
    now: datetime,
) -> Supervision:
    """The committee confirms or disputes how a commitment or a duty was resolved."""
    kind, number = parse_target(target)
    with uow as tx:
        region = (
            tx.commitments.get(number).region_code
            if kind == "commitment"
            else tx.duties.get(number).region_code
        )
        if not can_supervise_trust(actor, region):
            raise NotPermitted(
                f"only an officer of the coordination body of {region} supervises its members",
                key="trust-supervise-not-committee",
                params={"region": region},
            )
        canonical = f"{kind}:{number}"
        item = next(
            (i for i in region_evidence(tx, region, now=now) if i.source == canonical), None
        )
        if item is None:
            raise Conflict(
                f"{canonical} is not resolved yet: nothing to supervise",
                key="trust-nothing-to-supervise",
                params={"target": canonical},
            )
        held, text = decide(
            canonical, item.recorded_kind, verdict, counts_as=counts_as, reason=reason
        )
        saved = tx.trust.add_supervision(
            Supervision(
                id=None,
                region_code=region,
                target=canonical,
                verdict=verdict,
                recorded_kind=item.recorded_kind,
                counts_as=held,
                reason=text,
                by=actor.username,
                organisation=actor.organisation.code,
                at=now,
            )
        )
        tx.record(
            actor,
            f"trust.{verdict.value}",
            subject=canonical,
            payload={
                "supervision": saved.id,
                "region": region,
                "member": item.evidence.subject,
                "recorded_kind": item.recorded_kind.value,
                "counts_as": held.value,
                "reason": text,
                "evidence": list(item.seqs),
            },
            region_code=region,
            now=now,
        )
        tx.commit()
    return saved
