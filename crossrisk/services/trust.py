"""Members' trust scores (issue 15, "Trust"; DESIGN §3.9): a member's or a whole region's,
each with the evidence behind it (trust_evidence.py).

λ comes from the region's row of crossrisk/data/policy/trust.toml. The committee's verdicts
are trust_supervision.py's, the recipients' ratings of aid trust_ratings.py's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from crossrisk.domain.errors import NotFound
from crossrisk.domain.organisation import Actor, Organisation, OrganisationKind
from crossrisk.domain.permissions.regions import require_read_region
from crossrisk.domain.trust.reputation import Reputation, TrustPolicy, reputations
from crossrisk.services.policy_tables import trust_policy
from crossrisk.services.trust_evidence import EvidenceItem, region_evidence
from crossrisk.store.uow import Transaction, UnitOfWork


@dataclass(frozen=True, slots=True)
class TrustReport:
    """A member's score with the evidence behind it and its history."""

    organisation: str
    region_code: str
    reputation: Reputation
    items: tuple[EvidenceItem, ...]  # this member's, in time order
    policy: TrustPolicy

    @property
    def score(self) -> float:
        return self.reputation.score

    @property
    def r(self) -> float:
        return self.reputation.overall[-1].r if self.reputation.overall else 0.0

    @property
    def s(self) -> float:
        return self.reputation.overall[-1].s if self.reputation.overall else 0.0

    @property
    def n(self) -> int:
        return len(self.items)


def region_reports(
    tx: Transaction, region_code: str, *, now: datetime
) -> tuple[list[EvidenceItem], dict[str, Reputation], TrustPolicy]:
    """The region's evidence and every member's reputation from it."""
    return reports_of(region_code, region_evidence(tx, region_code, now=now))


def reports_of(
    region_code: str, items: list[EvidenceItem]
) -> tuple[list[EvidenceItem], dict[str, Reputation], TrustPolicy]:
    """Every member's reputation from the region's evidence, under the region's policy."""
    policy = trust_policy(region_code)
    return items, reputations([i.evidence for i in items], policy), policy


def member_trust(
    uow: UnitOfWork,
    actor: Actor,
    organisation_code: str,
    *,
    region_code: str | None = None,
    now: datetime,
) -> TrustReport:
    """One member's score, per kind and overall, with its evidence, for whoever reads the region."""
    with uow.read_only() as tx:
        organisation = tx.organisations.get(organisation_code)
        region = _region_of(tx, organisation, region_code)
        require_read_region(actor, region)
        items, found, policy = region_reports(tx, region, now=now)
    return _report(organisation_code, region, items, found, policy)


def region_trust(
    uow: UnitOfWork, actor: Actor, region_code: str, *, now: datetime
) -> list[TrustReport]:
    """Every member city's score (and any other organisation with evidence), by code."""
    with uow.read_only() as tx:
        require_read_region(actor, region_code)
        members = {j.code for j in tx.regions.members(region_code)}
        codes = {
            o.code
            for o in tx.organisations.of_kind(OrganisationKind.JURISDICTION)
            if o.jurisdiction_code in members
        }
        items, found, policy = region_reports(tx, region_code, now=now)
    codes |= set(found)
    return [_report(code, region_code, items, found, policy) for code in sorted(codes)]


def _report(
    code: str,
    region: str,
    items: Sequence[EvidenceItem],
    found: dict[str, Reputation],
    policy: TrustPolicy,
) -> TrustReport:
    return TrustReport(
        organisation=code,
        region_code=region,
        reputation=found.get(code) or Reputation(code, (), {}),
        items=tuple(i for i in items if i.evidence.subject == code),
        policy=policy,
    )


def _region_of(tx: Transaction, organisation: Organisation, asked: str | None) -> str:
    regions = (
        tx.regions.regions_of(organisation.jurisdiction_code)
        if organisation.jurisdiction_code
        else [organisation.region_code]
        if organisation.region_code
        else []
    )
    if asked is not None:
        if asked not in regions:
            raise NotFound(
                f"{organisation.code} is not a member of region {asked}",
                key="trust-not-a-member",
                params={"organisation": organisation.code, "region": asked},
            )
        return asked
    if not regions:
        raise NotFound(
            f"{organisation.code} belongs to no region",
            key="trust-not-a-member",
            params={"organisation": organisation.code, "region": ""},
        )
    return sorted(regions)[0]
