"""The CAP sender registry page: add, allow and remove senders; add and remove feeds.

Every change is one call of `services.cap_senders`, which checks the permission and
journals it; the page only reads its form, bounds what the service does not see (the
uploaded certificate's size and encoding), and shows the outcome or the refusal in the
visitor's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from crossrisk.delivery.destinations import OutboundGuard
from crossrisk.domain.cap_sender import CERTIFICATE_MAX, NAME_MAX, SENDER_MAX, URL_MAX
from crossrisk.domain.errors import CrossriskError, InvalidInput
from crossrisk.domain.organisation import Actor
from crossrisk.domain.outbound import DestinationRefused
from crossrisk.http.deps import UowDep, check_csrf, utc_now
from crossrisk.http.problems import status_of
from crossrisk.services import cap_senders
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.cap_senders.view import deliverer_of, registry_context
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import PageLanguage, PageRefusal
from crossrisk.web.shared.rendering import PageError, page_error, render

router = APIRouter(include_in_schema=False)

PAGE = "/cap/senders"
# "organisation:" and an organisation code (at most 64 characters), or "feed:" and an id.
DELIVERER_MAX = 80


@router.get(PAGE)
def registry_page(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The senders and feeds of the visitor's regions, and each organisation's own id."""
    return _page(request, actor, uow)


@router.get("/cap/feeds")
def feeds_page(actor: PageActor) -> Response:
    """The feeds are a section of the registry page."""
    del actor  # a login is needed first, as for the page itself
    return RedirectResponse(f"{PAGE}#feeds", status_code=303)


@router.post(PAGE)
def add_sender(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    sender: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    region: Annotated[str, Form()] = "",
    require_signature: Annotated[str, Form()] = "",
    certificate: Annotated[UploadFile | None, File()] = None,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Register an external sender, with the certificate its signatures are checked with."""
    lang = PageLanguage.of(request)

    def act() -> str:
        _check_lengths(lang, (sender, SENDER_MAX), (name, NAME_MAX))
        pem = _certificate_text(certificate, lang)
        added = cap_senders.add_sender(
            uow,
            actor,
            cap_senders.SenderDraft(
                sender_id=sender.strip(),
                name=name,
                region_code=region,
                certificate_pem=pem,
                require_signature=bool(require_signature),
            ),
            now=utc_now(),
        )
        return lang.gettext("Sender %(sender)s was registered.") % {"sender": added.sender_id}

    form = {"sender": sender[:SENDER_MAX], "name": name[:NAME_MAX], "region": region}
    return _act(request, actor, uow, csrf_token, act, form=form)


@router.post(f"{PAGE}/allow")
def allow_sender(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    sender: Annotated[str, Form()] = "",
    deliverer: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Let one organisation or one feed deliver the sender's alerts."""
    lang = PageLanguage.of(request)

    def act() -> str:
        _check_lengths(lang, (sender, SENDER_MAX), (deliverer, DELIVERER_MAX))
        organisation, feed = deliverer_of(deliverer)
        if organisation is None and feed is None:
            raise PageRefusal(lang.gettext("Choose an organisation or a feed from the list."))
        allowed = cap_senders.allow_sender(
            uow, actor, sender, organisation_code=organisation, feed_id=feed, now=utc_now()
        )
        return lang.gettext("Who may deliver %(sender)s was updated.") % {
            "sender": allowed.sender_id
        }

    return _act(request, actor, uow, csrf_token, act)


@router.post(f"{PAGE}/remove")
def remove_sender(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    sender: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Unregister a sender: its alerts are refused from then on."""
    lang = PageLanguage.of(request)

    def act() -> str:
        _check_lengths(lang, (sender, SENDER_MAX))
        removed = cap_senders.remove_sender(uow, actor, sender, now=utc_now())
        return lang.gettext("Sender %(sender)s was removed; its alerts are refused now.") % {
            "sender": removed.sender_id
        }

    return _act(request, actor, uow, csrf_token, act)


@router.post("/cap/feeds")
def add_feed(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    url: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    region: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Register an Atom or RSS index of CAP files for the poller."""
    lang = PageLanguage.of(request)

    def act() -> str:
        _check_lengths(lang, (url, URL_MAX), (name, NAME_MAX))
        feed = cap_senders.add_feed(
            uow, actor, region_code=region, url=url, name=name, now=utc_now()
        )
        added = lang.gettext(
            "Feed %(id)d was added. Allow it the senders it publishes before it is polled."
        ) % {"id": feed.id}
        return added + _outbound_note(request, lang, feed.url)

    form = {"url": url[:URL_MAX], "feed_name": name[:NAME_MAX], "region": region}
    return _act(request, actor, uow, csrf_token, act, form=form)


@router.post("/cap/feeds/remove")
def remove_feed(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    feed: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Stop polling a feed; the alerts it delivered stay."""
    lang = PageLanguage.of(request)

    def act() -> str:
        _, feed_id = deliverer_of(f"feed:{feed}")
        if feed_id is None:
            raise PageRefusal(lang.gettext("Choose a feed from the list."))
        removed = cap_senders.remove_feed(uow, actor, feed_id, now=utc_now())
        return lang.gettext("Feed %(id)d was removed; what it delivered stays.") % {
            "id": removed.id
        }

    return _act(request, actor, uow, csrf_token, act)


def _certificate_text(upload: UploadFile | None, lang: PageLanguage) -> str | None:
    """The uploaded PEM text, None when no file was chosen; the service checks it is PEM."""
    if upload is None or not upload.filename:
        return None
    # The form is parsed already (under the 1 MiB body limit); read no more than may be kept.
    data = upload.file.read(CERTIFICATE_MAX + 1)
    if not data.strip():
        return None
    if len(data) > CERTIFICATE_MAX:
        raise PageRefusal(
            lang.gettext("The certificate file is larger than %(limit)d bytes.")
            % {"limit": CERTIFICATE_MAX}
        )
    try:
        return data.decode("ascii")
    except UnicodeDecodeError:
        raise InvalidInput(
            "the certificate is not a PEM X.509 certificate", key="cap-certificate-invalid"
        ) from None


def _outbound_note(request: Request, lang: PageLanguage, url: str) -> str:
    """Say so when the poller's outbound guard will refuse the address; "" otherwise.

    The committee may register an address the operator has yet to allow, so it is kept;
    the poller resolves and judges it again at every fetch.
    """
    try:
        OutboundGuard.from_settings(request.app.state.settings).check_url(url)
    except DestinationRefused:
        return " " + lang.gettext(
            "The poller will refuse this address, which lies in a private, local or reserved "
            "network, until the operator lists that network in CROSSRISK_OUTBOUND_ALLOW."
        )
    return ""


def _check_lengths(lang: PageLanguage, *fields: tuple[str, int]) -> None:
    for value, limit in fields:
        if len(value) > limit:
            raise PageRefusal(
                lang.gettext("A field is longer than its limit of %(limit)d characters.")
                % {"limit": limit}
            )


def _act(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    csrf_token: str,
    act: Callable[[], str],
    *,
    form: dict[str, str] | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    try:
        check_csrf(request, csrf_token)
        done = act()
    except CrossriskError as refusal:
        error = page_error(lang, refusal, read_directory(uow, actor))
        return _page(request, actor, uow, error=error, form=form, status_code=status_of(refusal))
    return _page(request, actor, uow, done=done)


def _page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    *,
    done: str = "",
    error: PageError | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    context = registry_context(uow, actor, PageLanguage.of(request))
    context |= {
        "done": done,
        "error": error,
        "form": {"sender": "", "name": "", "region": "", "url": "", "feed_name": ""} | (form or {}),
    }
    return render(
        request, "cap_senders/registry.html", context, actor=actor, status_code=status_code
    )
