"""One's own password, and the users an administrator manages, as pages."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from crossrisk.domain.errors import CrossriskError, RetryLater
from crossrisk.domain.organisation import Actor, Role
from crossrisk.http.deps import (
    SESSION_ID,
    UowDep,
    check_csrf,
    client_address,
    login_gate,
    password_checks,
    utc_now,
)
from crossrisk.http.problems import status_of
from crossrisk.services import users
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.accounts.routes import CREDENTIAL_MAX
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.i18n import PageLanguage, PageRefusal
from crossrisk.web.shared.rendering import error_page, page_error, render

router = APIRouter(include_in_schema=False)


@router.get("/account/password")
def password_page(request: Request, actor: PageActor) -> Response:
    """The form to change one's own password."""
    return render(request, "accounts/password.html", {"done": None}, actor=actor)


@router.post("/account/password")
async def change_password(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    current_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
    confirm_password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Change the password; the other sessions and tokens end, this session goes on."""
    lang = PageLanguage.of(request)
    try:
        check_csrf(request, csrf_token)
        if max(len(current_password), len(new_password)) > CREDENTIAL_MAX:
            raise PageRefusal(lang.gettext("The password is too long."))
        if new_password != confirm_password:
            raise PageRefusal(lang.gettext("The new password and its repetition differ."))
        session_id = request.session.get(SESSION_ID)
        revoked = await login_gate(request).run(
            partial(
                users.change_own_password,
                uow,
                actor,
                current_password=current_password,
                new_password=new_password,
                address=client_address(request),
                now=utc_now(),
                checks=password_checks(request),
                keep_session=str(session_id) if session_id else None,
            )
        )
    except CrossriskError as refusal:
        page = render(
            request,
            "accounts/password.html",
            {"done": None, "error": page_error(lang, refusal)},
            actor=actor,
            status_code=status_of(refusal),
        )
        if isinstance(refusal, RetryLater):
            page.headers["Retry-After"] = str(refusal.retry_after)
        return page
    return render(request, "accounts/password.html", {"done": revoked}, actor=actor)


@router.get("/users")
def users_home(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The users of the first organisation the actor manages (their own, for an admin)."""
    managed = users.managed_organisations(uow, actor)
    codes = [o.code for o in managed]
    if not codes:
        return render(request, "accounts/users.html", _empty_context(), actor=actor)
    first = actor.organisation.code if actor.organisation.code in codes else codes[0]
    return RedirectResponse(f"/organisations/{first}/users", status_code=303)


@router.get("/organisations/{code}/users")
def users_page(request: Request, actor: PageActor, uow: UowDep, code: str) -> Response:
    """The organisation's users, with forms to add, rename, disable and enable them."""
    return _users_page(request, actor, uow, code)


@router.post("/organisations/{code}/users")
def add_user(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    code: str,
    username: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = Role.OFFICER.value,
    admin: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Add a user to the organisation."""
    lang = PageLanguage.of(request)

    def act() -> str:
        if len(password) > CREDENTIAL_MAX:
            raise PageRefusal(lang.gettext("The password is too long."))
        created = users.add_user(
            uow,
            actor,
            username=username.strip(),
            password=password,
            organisation_code=code,
            role=role,
            display_name=display_name,
            admin=admin == "on",
            now=utc_now(),
        )
        return lang.gettext("%(name)s was added.") % {"name": created.display_name}

    form = {"username": username[:64], "display_name": display_name[:200], "role": role}
    return _act(request, actor, uow, code, csrf_token, act, form=form)


@router.post("/organisations/{code}/users/{username}/{change}")
def change_user(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    code: str,
    username: str,
    change: str,
    display_name: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Rename, disable or enable one user of the organisation."""
    lang = PageLanguage.of(request)

    def act() -> str:
        user = users.user_named(uow, actor, username)
        if user.organisation.code != code:
            raise PageRefusal(lang.gettext("This user belongs to another organisation."))
        match change:
            case "rename":
                renamed = users.rename_user(
                    uow, actor, username=username, display_name=display_name, now=utc_now()
                )
                return lang.gettext("%(user)s is now shown as %(name)s.") % {
                    "user": renamed.username,
                    "name": renamed.display_name,
                }
            case "disable":
                users.disable_user(uow, actor, username=username, now=utc_now())
                return lang.gettext("%(name)s was disabled and logged out everywhere.") % {
                    "name": user.display_name
                }
            case "enable":
                users.enable_user(uow, actor, username=username, now=utc_now())
                return lang.gettext("%(name)s may log in again.") % {"name": user.display_name}
        raise PageRefusal(lang.gettext("Unknown change."))

    return _act(request, actor, uow, code, csrf_token, act)


def _act(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    code: str,
    csrf_token: str,
    act: Any,
    *,
    form: dict[str, str] | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    try:
        check_csrf(request, csrf_token)
        done = act()
    except CrossriskError as refusal:
        directory = read_directory(uow, actor)
        return _users_page(
            request,
            actor,
            uow,
            code,
            error=page_error(lang, refusal, directory),
            form=form,
            status_code=status_of(refusal),
        )
    return _users_page(request, actor, uow, code, done=done)


def _users_page(
    request: Request,
    actor: Actor,
    uow: UnitOfWork,
    code: str,
    *,
    done: str | None = None,
    error: Any = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    try:
        listed = users.users_of(uow, actor, code)
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    managed = users.managed_organisations(uow, actor)
    organisation = next((o for o in managed if o.code == code), None)
    context = {
        "organisation": organisation,
        "organisations": managed,
        "users": listed,
        "roles": [r.value for r in Role],
        "done": done,
        "error": error,
        "form": form or {"username": "", "display_name": "", "role": Role.OFFICER.value},
    }
    return render(request, "accounts/users.html", context, actor=actor, status_code=status_code)


def _empty_context() -> dict[str, Any]:
    return {
        "organisation": None,
        "organisations": [],
        "users": [],
        "roles": [],
        "done": None,
        "form": {"username": "", "display_name": "", "role": Role.OFFICER.value},
    }
