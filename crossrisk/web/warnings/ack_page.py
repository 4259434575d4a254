"""The acknowledgement link of a warning e-mail: show the warning, confirm with one click.

No login: the signed token in the address is the credential for exactly one warning. The
GET only shows the warning, because mail scanners and link previews fetch every link in
a message; only the POST of the confirm button acknowledges. That POST carries no session
CSRF token (there is no session): another site cannot forge it without the token, and
whoever has the token may acknowledge anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from starlette.responses import Response

from crossrisk.alerts.ack_link import warning_of_token
from crossrisk.alerts.cap.parse import parse_cap
from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.organisation import system_actor
from crossrisk.http.deps import UowDep, utc_now
from crossrisk.services import regions, users, warnings
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.rendering import error_status, page_error, render
from crossrisk.web.warnings.view import NO_FACTS, WarningRow, warning_row

router = APIRouter(include_in_schema=False)

# The link names one warning; reading that warning on its behalf needs no user's rights.
LINK_READER = "ack-link"


@dataclass(frozen=True, slots=True)
class AckView:
    """The warning a link names, as its page shows it."""

    headline: str
    row: WarningRow
    organisation_name: str


@router.get("/ack/{token}")
def ack_page(request: Request, uow: UowDep, token: str) -> Response:
    """Show the warning and a confirm button; nothing changes."""
    lang = PageLanguage.of(request)
    try:
        warning_id = warning_of_token(request.app.state.settings.secret_key, token)
        view = _view(uow, warning_id, lang)
    except CrossriskError as refusal:
        return _refused(request, lang, refusal)
    return render(request, "ack.html", {"view": view, "token": token, "outcome": None})


@router.post("/ack/{token}")
def acknowledge(request: Request, uow: UowDep, token: str) -> Response:
    """Acknowledge the warning the link names, and say so."""
    lang = PageLanguage.of(request)
    try:
        warning_id = warning_of_token(request.app.state.settings.secret_key, token)
    except CrossriskError as refusal:
        return _refused(request, lang, refusal)
    try:
        done = warnings.acknowledge_by_link(uow, warning_id, now=utc_now())
    except CrossriskError as refusal:
        # Still show which warning it was: the link itself is sound.
        return _refused(request, lang, refusal, view=_view_or_none(uow, warning_id, lang))
    outcome = "acknowledged" if done.first else "already"
    view = _view(uow, warning_id, lang)
    return render(request, "ack.html", {"view": view, "token": token, "outcome": outcome})


def _refused(
    request: Request, lang: PageLanguage, refusal: CrossriskError, *, view: AckView | None = None
) -> Response:
    return render(
        request,
        "ack.html",
        {"view": view, "token": "", "outcome": None, "error": page_error(lang, refusal)},
        status_code=error_status(refusal),
    )


def _view(uow: UnitOfWork, warning_id: str, lang: PageLanguage) -> AckView:
    reader = system_actor(LINK_READER)
    message = warnings.get_warning(uow, reader, warning_id)
    warning = message.warning
    names = {
        member.code: lang.pick(member.name_zh, member.name_en)
        for member in regions.region_summaries(uow, reader, warning.region_code)
    }
    organisations = {o.code: o for o in regions.organisations(uow, reader)}
    organisation = organisations.get(message.recipient_organisation)
    alert = parse_cap(warnings.cap_document(uow, reader, warning_id))
    info = alert.info("zh" if lang.is_chinese else "en") or alert.infos[0]
    return AckView(
        headline=info.headline or "",
        row=warning_row(
            message,
            may_ack=message.awaiting_ack,
            recipient_name=names.get(warning.recipient_code, warning.recipient_code),
            risk=NO_FACTS,
            lang=lang,
            now=utc_now(),
            people=users.display_names(uow),
        ),
        organisation_name=(
            lang.pick(organisation.name_zh, organisation.name_en)
            if organisation is not None
            else message.recipient_organisation
        ),
    )


def _view_or_none(uow: UnitOfWork, warning_id: str, lang: PageLanguage) -> AckView | None:
    try:
        return _view(uow, warning_id, lang)
    except CrossriskError:
        return None
