"""The trust pages: the region's members with their scores, and one member's score with
its evidence (each linking its journal entries), its history as a chart and the forms of
supervision. A score is never shown bare: always with r, s and the number of items."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound
from crossrisk.domain.organisation import Actor, OrganisationKind, Role
from crossrisk.domain.permissions.trust import can_supervise_trust
from crossrisk.domain.trust.reputation import EvidenceKind
from crossrisk.domain.trust.supervision import KINDS_OF_TARGET, Verdict
from crossrisk.http.deps import ID_MAX, UowDep, check_csrf, utc_now
from crossrisk.services import trust, trust_ratings, trust_supervision
from crossrisk.services.trust import TrustReport
from crossrisk.services.trust_evidence import EvidenceItem
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.shared.directory import Directory, read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.region_choice import chosen_region
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render
from crossrisk.web.shared.trust_labels import ASPECT, EVIDENCE_KIND, VERDICT

router = APIRouter(include_in_schema=False)
BASE = "/trust"
CODE_MAX = 64


class SupervisionForm(BaseModel):
    csrf_token: str = ""
    target: str = ""
    verdict: str = ""
    counts_as: str = ""
    reason: str = ""


class RatingForm(BaseModel):
    csrf_token: str = ""
    shipment: str = ""
    score: str = ""
    comment: str = ""


@router.get(BASE)
def members_page(request: Request, actor: PageActor, uow: UowDep, region: str = "") -> Response:
    """Every member of the region with its score, r, s and the number of items."""
    directory = read_directory(uow, actor)
    lang = PageLanguage.of(request)
    try:
        chosen = chosen_region(uow, actor, region[:CODE_MAX] or None)
        reports = trust.region_trust(uow, actor, chosen.code, now=utc_now())
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=directory)
    chinese = lang.is_chinese
    rows = [
        {
            "code": found.organisation,
            "name": directory.organisation_name(found.organisation, chinese=chinese),
            "href": f"{BASE}/{found.organisation}?" + urlencode({"region": chosen.code}),
            **_figures(found),
            "aspects": [
                (lang.gettext(ASPECT[aspect]), points[-1].score, points[-1].r, points[-1].s)
                for aspect, points in found.reputation.by_aspect.items()
            ],
        }
        for found in sorted(reports, key=lambda f: (-f.score, f.organisation))
    ]
    return render(
        request,
        "trust/members.html",
        {
            "rows": rows,
            "region": directory.region_name(chosen.code, chinese=chinese),
            "forgetting": trust_forgetting(reports),
        },
        actor=actor,
    )


@router.get(BASE + "/{organisation}")
def member_page(
    request: Request, actor: PageActor, uow: UowDep, organisation: str, region: str = ""
) -> Response:
    """One member's score with its evidence, history and the supervision forms."""
    try:
        return _member(request, actor, uow, organisation[:CODE_MAX], region[:CODE_MAX] or None)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))


@router.post(BASE + "/{organisation}/supervision")
def supervise(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    organisation: str,
    form: Annotated[SupervisionForm, Form()],
    region: str = "",
) -> Response:
    """The committee confirms or disputes one item; back to the member's page."""
    code, region_code = organisation[:CODE_MAX], region[:CODE_MAX] or None
    try:
        check_csrf(request, form.csrf_token)
        verdicts = {v.value: v for v in Verdict}
        kinds = {k.value: k for k in EvidenceKind}
        if form.verdict not in verdicts:
            raise InvalidInput(
                "choose confirm or dispute",
                key="trust-target-invalid",
                params={"target": form.target[:60]},
            )
        trust_supervision.supervise(
            uow,
            actor,
            target=form.target[:CODE_MAX],
            verdict=verdicts[form.verdict],
            reason=form.reason,
            counts_as=kinds.get(form.counts_as),
            now=utc_now(),
        )
    except CrossriskError as refusal:
        return _member(request, actor, uow, code, region_code, error=refusal)
    return RedirectResponse(_member_href(code, region_code) + "#evidence", status_code=303)


@router.post(BASE + "/{organisation}/ratings")
def rate(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    organisation: str,
    form: Annotated[RatingForm, Form()],
    region: str = "",
) -> Response:
    """The recipient rates a shipment it received; back to the member's page."""
    code, region_code = organisation[:CODE_MAX], region[:CODE_MAX] or None
    try:
        check_csrf(request, form.csrf_token)
        shipment = form.shipment.strip()
        if not (shipment.isascii() and shipment.isdigit() and 1 <= int(shipment[:10]) <= ID_MAX):
            raise NotFound(
                f"no shipment {shipment[:20]!r}",
                key="shipment-not-found",
                params={"id": shipment[:20]},
            )
        trust_ratings.rate_aid(
            uow, actor, int(shipment), score=form.score[:20], comment=form.comment, now=utc_now()
        )
    except CrossriskError as refusal:
        return _member(request, actor, uow, code, region_code, error=refusal, typed=form)
    return RedirectResponse(_member_href(code, region_code) + "#evidence", status_code=303)


def trust_forgetting(reports: list[TrustReport]) -> float | None:
    return reports[0].policy.forgetting if reports else None


def _member_href(code: str, region: str | None) -> str:
    return f"{BASE}/{code}" + (f"?{urlencode({'region': region})}" if region else "")


def _figures(found: TrustReport) -> dict[str, Any]:
    return {"score": found.score, "r": found.r, "s": found.s, "n": found.n}


def _member(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    code: str,
    region: str | None,
    *,
    error: CrossriskError | None = None,
    typed: RatingForm | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    found = trust.member_trust(uow, actor, code, region_code=region, now=utc_now())
    directory = read_directory(uow, actor, region_codes={found.region_code})
    chinese = lang.is_chinese
    may_supervise = can_supervise_trust(actor, found.region_code)
    context: dict[str, Any] = {
        "member": found.organisation,
        "name": directory.organisation_name(found.organisation, chinese=chinese),
        "region": directory.region_name(found.region_code, chinese=chinese),
        "region_code": found.region_code,
        "forgetting": found.policy.forgetting,
        **_figures(found),
        "aspects": [
            {
                "label": lang.gettext(ASPECT[aspect]),
                "score": points[-1].score,
                "r": points[-1].r,
                "s": points[-1].s,
                "n": len(points),
            }
            for aspect, points in found.reputation.by_aspect.items()
        ],
        "items": [_item(item, directory, lang, may_supervise) for item in reversed(found.items)],
        "may_supervise": may_supervise,
        "may_rate": actor.role is Role.OFFICER
        and actor.kind is OrganisationKind.JURISDICTION
        and actor.organisation.code != found.organisation,
        "action": _member_href(found.organisation, found.region_code),
        "typed": typed or RatingForm(),
        "rateable": trust_ratings.rateable_shipments(
            uow, actor, found.organisation, region_code=found.region_code
        )
        if actor.organisation.code != found.organisation
        else [],
        "page_data": {
            "labels": [p.time.isoformat() for p in found.reputation.overall],
            "name": lang.gettext("Trust score"),
            "scores": [round(p.score, 4) for p in found.reputation.overall],
            "sources": [
                lang.gettext(EVIDENCE_KIND[p.evidence.kind]) for p in found.reputation.overall
            ],
        },
    }
    if error is not None:
        context["error"] = page_error(lang, error, directory)
    return render(
        request,
        "trust/member.html",
        context,
        actor=actor,
        status_code=200 if error is None else error_status(error),
    )


def _item(
    item: EvidenceItem, directory: Directory, lang: PageLanguage, may_supervise: bool
) -> dict[str, Any]:
    kind, _, _number = item.source.partition(":")
    supervision = item.supervision
    return {
        "source": item.source,
        "time": item.evidence.time,
        "kind": item.evidence.kind.value,
        "label": lang.gettext(EVIDENCE_KIND[item.evidence.kind]),
        "recorded": lang.gettext(EVIDENCE_KIND[item.recorded_kind]),
        "risk_id": item.risk_id,
        "drill_id": item.drill_id,
        "rater": directory.organisation_name(item.evidence.rater, chinese=lang.is_chinese)
        if item.evidence.rater
        else "",
        "rating": item.evidence.rating,
        "verdict": lang.gettext(VERDICT[supervision.verdict]) if supervision else "",
        "verdict_reason": supervision.reason if supervision else "",
        "entries": [
            {
                "seq": seq,
                "href": "/journal?" + urlencode({"before": seq + 1}) + "#entries",
            }
            for seq in item.seqs
        ],
        "journal_href": "/journal?" + urlencode({"subject": item.source}) + "#entries"
        if kind in ("commitment", "duty", "warning")
        else "",
        "supervisable": may_supervise and kind in KINDS_OF_TARGET,
        "kinds": [
            (k.value, lang.gettext(EVIDENCE_KIND[k]))
            for k in sorted(KINDS_OF_TARGET.get(kind, ()), key=lambda k: k.value)
        ],
    }
