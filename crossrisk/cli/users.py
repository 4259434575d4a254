"""Users of the platform."""

from __future__ import annotations

import getpass
import sys

import click

from crossrisk.cli.support import now, settings_or_fail, uow_for
from crossrisk.domain.organisation import Role, system_actor
from crossrisk.services import users as user_service


@click.group()
def user() -> None:
    """Users of the platform."""


@user.command("add")
@click.argument("username")
@click.option("--org", "organisation", required=True, help="Organisation code, e.g. ema-330100.")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.OFFICER.value,
    show_default=True,
)
@click.option("--name", "display_name", default="", help="Display name.")
@click.option("--admin", is_flag=True, help="The user manages the organisation's users.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_add(
    username: str,
    organisation: str,
    role: str,
    display_name: str,
    admin: bool,
    password_stdin: bool,
) -> None:
    """Add a user to an organisation."""
    settings = settings_or_fail()
    password = _read_password(password_stdin, prompt="password: ")
    created = user_service.add_user(
        uow_for(settings),
        system_actor(),
        username=username,
        password=password,
        organisation_code=organisation,
        role=Role(role),
        display_name=display_name,
        admin=admin,
        now=now(),
    )
    as_admin = " (administrator)" if created.admin else ""
    click.echo(
        f"user {created.username} added to {created.organisation.code} as {created.role}{as_admin}"
    )


@user.command("password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
def user_password(username: str, password_stdin: bool) -> None:
    """Set a user's password, ending all their sessions and API tokens."""
    settings = settings_or_fail()
    password = _read_password(password_stdin, prompt="new password: ")
    revoked = user_service.change_password(
        uow_for(settings), system_actor(), username=username, password=password, now=now()
    )
    click.echo(
        f"password of {username} changed; {revoked.sessions} sessions and "
        f"{revoked.tokens} API tokens revoked"
    )


@user.command("revoke")
@click.argument("username")
def user_revoke(username: str) -> None:
    """End every page session and API token of a user (a lost laptop, a leaked token)."""
    settings = settings_or_fail()
    revoked = user_service.revoke_user(
        uow_for(settings), system_actor(), username=username, now=now()
    )
    click.echo(f"{username}: {revoked.sessions} sessions and {revoked.tokens} API tokens revoked")


@user.command("disable")
@click.argument("username")
def user_disable(username: str) -> None:
    """Stop a user from logging in; their sessions and API tokens end at once."""
    settings = settings_or_fail()
    revoked = user_service.disable_user(
        uow_for(settings), system_actor(), username=username, now=now()
    )
    click.echo(
        f"{username} disabled; {revoked.sessions} sessions and {revoked.tokens} API tokens revoked"
    )


@user.command("enable")
@click.argument("username")
def user_enable(username: str) -> None:
    """Let a disabled user log in again."""
    settings = settings_or_fail()
    enabled = user_service.enable_user(
        uow_for(settings), system_actor(), username=username, now=now()
    )
    click.echo(f"{enabled.username} enabled")


@user.command("rename")
@click.argument("username")
@click.argument("display_name")
def user_rename(username: str, display_name: str) -> None:
    """Set the name pages show for a user ('' shows the username)."""
    settings = settings_or_fail()
    renamed = user_service.rename_user(
        uow_for(settings), system_actor(), username=username, display_name=display_name, now=now()
    )
    click.echo(f"{renamed.username} is now shown as {renamed.display_name!r}")


def _read_password(from_stdin: bool, *, prompt: str) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass(prompt)
