"""The channels page of an organisation: add, test, disable and remove; the last deliveries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from crossrisk.delivery.configured import channels_from_settings, close_all
from crossrisk.delivery.destinations import OutboundGuard
from crossrisk.domain.delivery import ADDRESS_MAX, SECRET_MAX, ChannelKind, Delivery
from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.organisation import Actor
from crossrisk.http.deps import RowId, UowDep, check_csrf, utc_now
from crossrisk.http.problems import status_of
from crossrisk.services import channels, delivery
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.shared import channel_labels
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import PageLanguage, PageRefusal
from crossrisk.web.shared.rendering import PageError, error_page, page_error, render

router = APIRouter(include_in_schema=False)


@router.get("/channels")
def channels_home(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The channels of the actor's own organisation, or of the first one it configures."""
    codes = [o.code for o in channels.configurable_organisations(uow, actor)]
    if not codes:
        return _page(request, actor, uow, None)
    first = actor.organisation.code if actor.organisation.code in codes else codes[0]
    return RedirectResponse(f"/organisations/{first}/channels", status_code=303)


@router.get("/organisations/{code}/channels")
def channels_page(request: Request, actor: PageActor, uow: UowDep, code: str) -> Response:
    """The organisation's channels and its last deliveries."""
    return _page(request, actor, uow, code)


@router.post("/organisations/{code}/channels")
def add_channel(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    code: str,
    kind: Annotated[str, Form()] = "",
    address: Annotated[str, Form()] = "",
    secret: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Add a webhook, e-mail or MQTT channel; the SSRF guard and topic rules apply."""
    lang = PageLanguage.of(request)
    settings = request.app.state.settings

    def act() -> str:
        if len(address) > ADDRESS_MAX or len(secret) > SECRET_MAX:
            raise PageRefusal(lang.gettext("The address or the secret is too long."))
        added = delivery.add_channel(
            uow,
            actor,
            organisation_code=code,
            kind=kind,
            address=address.strip(),
            secret=secret.strip() or None,
            guard=OutboundGuard.from_settings(settings),
            topic_prefix=settings.mqtt_topic_prefix,
            now=utc_now(),
        )
        return lang.gettext("Channel %(id)d was added.") % {"id": added.id}

    form = {"kind": kind, "address": address[:ADDRESS_MAX]}
    return _act(request, actor, uow, code, csrf_token, act, form=form)


@router.post("/organisations/{code}/channels/{channel_id}/{change}")
def change_channel(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    code: str,
    channel_id: RowId,
    change: str,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Test, disable, enable or remove one channel."""
    lang = PageLanguage.of(request)
    settings = request.app.state.settings
    tested: list[Delivery] = []

    def act() -> str:
        match change:
            case "test":
                senders = channels_from_settings(settings)
                try:
                    sent = channels.send_test_message(
                        uow,
                        actor,
                        channel_id,
                        organisation_code=code,
                        senders=senders,
                        clock=utc_now,
                    )
                finally:
                    close_all(senders)
                tested.append(sent)
                return ""
            case "disable" | "enable":
                channels.set_channel_enabled(
                    uow,
                    actor,
                    channel_id,
                    organisation_code=code,
                    enabled=change == "enable",
                    now=utc_now(),
                )
                said = (
                    "Channel %(id)d was enabled."
                    if change == "enable"
                    else "Channel %(id)d was disabled; new warnings skip it."
                )
                return lang.gettext(said) % {"id": channel_id}
            case "remove":
                delivery.remove_channel(
                    uow, actor, channel_id, organisation_code=code, now=utc_now()
                )
                return lang.gettext("Channel %(id)d was removed.") % {"id": channel_id}
        raise PageRefusal(lang.gettext("Unknown change."))

    return _act(request, actor, uow, code, csrf_token, act, tested=tested)


def _act(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    code: str,
    csrf_token: str,
    act: Callable[[], str],
    *,
    form: dict[str, str] | None = None,
    tested: list[Delivery] | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    try:
        check_csrf(request, csrf_token)
        done = act()
    except CrossriskError as refusal:
        error = page_error(lang, refusal, read_directory(uow, actor))
        return _page(
            request, actor, uow, code, error=error, form=form, status_code=status_of(refusal)
        )
    return _page(request, actor, uow, code, done=done, tested=tested[0] if tested else None)


def _page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    code: str | None,
    *,
    done: str = "",
    error: PageError | None = None,
    form: dict[str, str] | None = None,
    tested: Delivery | None = None,
    status_code: int = 200,
) -> Response:
    configurable = channels.configurable_organisations(uow, actor)
    context: dict[str, Any] = {
        "organisation": None,
        "organisations": configurable,
        "channels": [],
        "deliveries": [],
        "kinds": [kind.value for kind in ChannelKind],
        "done": done,
        "tested": tested,
        "error": error,
        "form": form or {"kind": ChannelKind.WEBHOOK.value, "address": ""},
        "channel_labels": channel_labels,
    }
    if code is not None:
        try:
            context["channels"] = delivery.list_channels(uow, actor, code)
            context["deliveries"] = channels.latest_deliveries(uow, actor, code)
        except CrossriskError as refusal:
            return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
        context["organisation"] = next((o for o in configurable if o.code == code), None)
    return render(request, "channels/channels.html", context, actor=actor, status_code=status_code)
