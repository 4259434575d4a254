"""Aid commitments: a region's commitments page, and the donor's withdrawal of one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from crossrisk.domain.aid.commitment import Outcome
from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.organisation import OrganisationKind
from crossrisk.http.deps import UowDep, utc_now
from crossrisk.services import aid_requests, commitments, regions
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.aid.pledge_view import commitment_row
from crossrisk.web.aid.request_forms import (
    WithdrawForm,
    row_id,
)
from crossrisk.web.aid.request_page import (
    CODE_MAX,
    act,
    choice,
    page_names,
)
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.region_choice import chosen_region
from crossrisk.web.shared.rendering import error_page, render

router = APIRouter(include_in_schema=False)


@router.get("/aid/commitments")
def commitments_page(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    region: str = "",
    outcome: str = "",
) -> Response:
    """A donor city's own commitments; everyone else's view: all the region's."""
    lang = PageLanguage.of(request)
    try:
        now = utc_now()
        names = page_names(uow, actor, lang)
        chosen = chosen_region(uow, actor, region[:CODE_MAX])
        wanted = choice(outcome, [o.value for o in Outcome])
        # A member city sees what it promised; the committee, the central office and
        # evaluators see every commitment of the region.
        donor = actor.jurisdiction_code if actor.kind is OrganisationKind.JURISDICTION else None
        views = commitments.list_commitments(
            uow, actor, region_code=chosen.code, donor=donor, now=now
        )
        requesters = {
            p.request.id: p.request.jurisdiction_code
            for p in aid_requests.list_requests(uow, actor, region_code=chosen.code, now=now)
        }
        rows = [
            commitment_row(
                view,
                request=None,
                actor=actor,
                names=names,
                requester=requesters.get(view.commitment.request_id),
            )
            for view in views
            if not wanted or view.outcome.value == wanted
        ]
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    return render(
        request,
        "aid/commitments.html",
        {
            "rows": rows,
            "mine": donor is not None,
            "regions": regions.readable_regions(uow, actor),
            "region": chosen,
            "outcomes": [(o.value, names.outcome(o)) for o in Outcome],
            "filter": {"outcome": wanted},
        },
        actor=actor,
    )


@router.post("/aid/commitments/{commitment_id}/withdraw")
def withdraw_commitment(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    commitment_id: str,
    form: Annotated[WithdrawForm, Form()],
) -> Response:
    """The donor withdraws its commitment, saying why: it counts as broken."""

    def withdraw(_: int) -> None:
        commitment = row_id(commitment_id, what="commitment")
        commitments.cancel_commitment(uow, actor, commitment, reason=form.reason, now=utc_now())

    return act(request, actor, uow, form.request, form.csrf_token, withdraw, "#commitments")
