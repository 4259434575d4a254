"""`crossrisk trust …`: members' trust scores with their evidence, and their supervision.

crossrisk trust ORG [--region R] [--json]       the score, per kind, with its evidence
crossrisk trust confirm|dispute TARGET --reason  the committee's verdict (commitment:12)
crossrisk trust rate SHIPMENT --score 1…5|positive|negative   the recipient's rating
"""

from __future__ import annotations

import json
from typing import Any

import click

from crossrisk.cli.support import ACTING, beijing_time, fail, now, row_id, session
from crossrisk.domain.trust.reputation import EvidenceKind
from crossrisk.domain.trust.supervision import Supervision, Verdict
from crossrisk.services import trust as trust_service
from crossrisk.services import trust_evidence, trust_ratings, trust_supervision
from crossrisk.services.trust import TrustReport

KINDS = [k.value for k in EvidenceKind if k is not EvidenceKind.PEER_RATING]


class _TrustGroup(click.Group):
    """A group whose first word is a subcommand, else the organisation to show."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "show", self.commands["show"], args
        return super().resolve_command(ctx, args)


def document(found: TrustReport) -> dict[str, Any]:
    """A member's score as JSON: r, s, n, λ, each aspect, the evidence and the history."""
    return {
        "organisation": found.organisation,
        "region": found.region_code,
        "score": found.score,
        "r": found.r,
        "s": found.s,
        "n": found.n,
        "forgetting": found.policy.forgetting,
        "aspects": {
            aspect.value: {"score": points[-1].score, "r": points[-1].r, "s": points[-1].s}
            for aspect, points in found.reputation.by_aspect.items()
        },
        "evidence": [trust_evidence.describe(item) for item in found.items],
        "history": [
            {"at": p.time.isoformat(), "score": p.score, "source": p.evidence.source_ref}
            for p in found.reputation.overall
        ],
    }


@click.group("trust", cls=_TrustGroup)
def trust() -> None:
    """Trust scores from the record (信用评价): `crossrisk trust ORG`, confirm, dispute, rate."""


@trust.command("show")
@click.argument("organisation")
@click.option("--region", default=None, help="The region, when the member is in several.")
@click.option("--json", "as_json", is_flag=True, help="The whole record as JSON.")
@ACTING
def show(organisation: str, region: str | None, as_json: bool, username: str | None) -> None:
    """A member's score, never bare: with r, s, the evidence and the journal entries."""
    uow, actor = session(username)
    found = trust_service.member_trust(
        uow, actor, organisation[:64], region_code=region[:64] if region else None, now=now()
    )
    if as_json:
        click.echo(json.dumps(document(found), ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{found.organisation} · {found.region_code} · score {found.score:.3f} "
        f"(r {found.r:.2f}, s {found.s:.2f}, {found.n} item(s), λ {found.policy.forgetting})"
    )
    for aspect, points in found.reputation.by_aspect.items():
        last = points[-1]
        click.echo(f"  {aspect.value}: {last.score:.3f} (r {last.r:.2f}, s {last.s:.2f})")
    for item in found.items:
        note = ""
        if item.supervision is not None:
            note = f" · {item.supervision.verdict.value} (was {item.recorded_kind.value})"
        if item.drill_id is not None:
            note += f" · DRILL {item.drill_id}"
        seqs = ",".join(str(s) for s in item.seqs) or "-"
        click.echo(
            f"  {beijing_time(item.evidence.time)} · {item.evidence.kind.value} · "
            f"{item.source}{note} · journal {seqs}"
        )


def _verdict_line(saved: Supervision) -> str:
    return (
        f"{saved.verdict.value} {saved.target}: counts as {saved.counts_as.value} "
        f"(recorded {saved.recorded_kind.value})"
    )


@trust.command("confirm")
@click.argument("target")
@click.option("--reason", required=True, help="Why the committee confirms it.")
@ACTING
def confirm(target: str, reason: str, username: str | None) -> None:
    """The committee confirms how a commitment or duty (commitment:ID, duty:ID) was resolved."""
    uow, actor = session(username)
    saved = trust_supervision.supervise(
        uow, actor, target=target, verdict=Verdict.CONFIRMED, reason=reason, now=now()
    )
    click.echo(_verdict_line(saved))


@trust.command("dispute")
@click.argument("target")
@click.option("--reason", required=True, help="Why the committee disputes it.")
@click.option(
    "--counts-as",
    type=click.Choice(KINDS),
    default=None,
    help="What it counts as (default: the opposite of the record).",
)
@ACTING
def dispute(target: str, reason: str, counts_as: str | None, username: str | None) -> None:
    """The committee disputes a resolution: the item counts on the committee's word."""
    uow, actor = session(username)
    saved = trust_supervision.supervise(
        uow,
        actor,
        target=target,
        verdict=Verdict.DISPUTED,
        reason=reason,
        counts_as=EvidenceKind(counts_as) if counts_as else None,
        now=now(),
    )
    click.echo(_verdict_line(saved))


@trust.command("rate")
@click.argument("shipment_id")
@click.option("--score", required=True, help="1 to 5, positive or negative.")
@click.option("--comment", default="", help="What the rating rests on.")
@ACTING
def rate(shipment_id: str, score: str, comment: str, username: str | None) -> None:
    """The recipient of a shipment rates the aid it received from the donor."""
    if len(score) > 20:
        fail("a rating is 1 to 5, positive or negative")
    uow, actor = session(username)
    rating = trust_ratings.rate_aid(
        uow, actor, row_id(shipment_id, "shipment"), score=score, comment=comment, now=now()
    )
    click.echo(
        f"rating {rating.id}: {rating.rater} rated {rating.subject} {rating.score} "
        f"(share {rating.share:.2f}) for shipment {rating.shipment_id}"
    )
