"""The journal page: is the hash chain intact?"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from crossrisk.http.deps import UowDep, utc_now
from crossrisk.services import journal
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.shared.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/journal")
def journal_page(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """Verify the whole journal and show the result."""
    verification = journal.verify_journal(uow, actor)
    return render(
        request,
        "journal.html",
        {"verification": verification, "verified_at": utc_now()},
        actor=actor,
    )
