"""A thing's id in a page's address, and what a page's form does with the thing it names:
check, change, back to the page, or the page again with the refusal."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.errors import CrossriskError, NotFound
from crossrisk.domain.organisation import Actor
from crossrisk.http.deps import ID_MAX, check_csrf
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.rendering import error_page


def id_in_address(
    value: str, what: str = "risk", *, key: str = "risk-unknown", param: str = "risk"
) -> int:
    """The number in an address; anything else names a `what` that does not exist, refused
    with the page's sentence `key` (its `param` the text given)."""
    # Checked before int(): a number longer than any id is none, however many digits it
    # has, and only ASCII digits make an id (int() would read "١٢" and choke on "²").
    too_long = len(value) > len(str(ID_MAX))
    if not value.isascii() or not value.isdigit() or too_long or int(value) > ID_MAX:
        raise NotFound(f"{what} {value[:20]!r} does not exist", key=key, params={param: value[:20]})
    return int(value)


def form_action(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    address_id: str,
    csrf_token: str,
    change: Callable[[int], object],
    *,
    page: Callable[[int, CrossriskError], Response],
    then: Callable[[int], str],
) -> Response:
    """One form of the page of the thing `address_id` names: check the token, make the
    change, then on to the address `then` gives; a refused change shows `page` again with
    the refusal, and a thing that cannot be read the error page."""
    try:
        number = id_in_address(address_id)
    except NotFound as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    try:
        check_csrf(request, csrf_token)
        change(number)
    except CrossriskError as refusal:
        try:
            return page(number, refusal)
        except CrossriskError as missing:
            return error_page(request, missing, actor=actor, names=read_directory(uow, actor))
    return RedirectResponse(then(number), status_code=303)
