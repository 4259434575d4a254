"""The MQTT broker's password and ACL files, written from the platform's records."""

from __future__ import annotations

from pathlib import Path

import click

from crossrisk.cli.support import fail, settings_or_fail, uow_for
from crossrisk.delivery.broker_files import (
    generate_password,
    hash_password,
    password_file_text,
    password_matches,
    read_password_file,
    write_private,
)
from crossrisk.delivery.mqtt_login import BrokerLogin
from crossrisk.domain.broker_acl import AccountKind, acl_text
from crossrisk.domain.organisation import system_actor
from crossrisk.services.broker_accounts import accounts_for_broker

FILE = click.Path(dir_okay=False, path_type=Path)


@click.group()
def mqtt() -> None:
    """The MQTT broker's accounts: the platform, receiving organisations, station gateways."""


@mqtt.command("acl")
@click.option(
    "--passwords", "passwords_file", required=True, type=FILE, help="Mosquitto's password_file."
)
@click.option("--acl", "acl_file", required=True, type=FILE, help="Mosquitto's acl_file.")
@click.option(
    "--rotate", multiple=True, metavar="USERNAME", help="Give this account a new password."
)
def mqtt_acl(passwords_file: Path, acl_file: Path, rotate: tuple[str, ...]) -> None:
    """Write the broker's password and ACL files (mode 0600) from organisations and stations.

    Accounts already in the password file keep their passwords; a new account (or one
    named by --rotate) gets a generated password, printed here once. The platform's own
    account takes its password from CROSSRISK_MQTT_PASSWORD_FILE.
    """
    settings = settings_or_fail()
    login = BrokerLogin.from_settings(settings)
    if not login.username or login.password_file is None:
        fail(
            "set CROSSRISK_MQTT_USERNAME and CROSSRISK_MQTT_PASSWORD_FILE (the platform's account)"
        )
    try:
        platform_password = login.password() or ""
        existing = read_password_file(passwords_file)
    except (OSError, UnicodeDecodeError) as error:
        fail(f"cannot read the passwords: {error}")
    if not platform_password:
        fail(f"{login.password_file} holds no password")
    accounts = accounts_for_broker(
        uow_for(settings),
        system_actor(),
        prefix=settings.mqtt_topic_prefix,
        platform_username=login.username,
    )
    unknown = sorted(set(rotate) - {account.username for account in accounts})
    if unknown:
        fail(f"no broker account is named {', '.join(unknown)}")

    entries: dict[str, str] = {}
    issued: list[tuple[str, str]] = []
    for account in accounts:
        kept = existing.get(account.username)
        if account.kind is AccountKind.PLATFORM:
            keep = kept is not None and password_matches(platform_password, kept)
            entries[account.username] = kept if keep and kept else hash_password(platform_password)
        elif kept is not None and account.username not in rotate:
            entries[account.username] = kept
        else:
            password = generate_password()
            entries[account.username] = hash_password(password)
            issued.append((account.username, password))
    try:
        write_private(passwords_file, password_file_text(entries))
        write_private(acl_file, acl_text(accounts))
    except OSError as error:
        fail(f"cannot write the broker's files: {error}")

    kinds = [account.kind for account in accounts]
    click.echo(
        f"{len(accounts)} broker accounts ({kinds.count(AccountKind.RECEIVER)} receiving "
        f"organisations, {kinds.count(AccountKind.GATEWAY)} station gateways, the platform "
        f"{login.username}): {passwords_file}, {acl_file}"
    )
    for username, password in issued:
        click.echo(f"new password  {username}  {password}")
    if issued:
        click.echo("these passwords are shown once; hand each to its organisation")
    removed = sorted(set(existing) - set(entries))
    if removed:
        click.echo(f"accounts removed: {', '.join(removed)}")
    click.echo("reload the broker to apply them (e.g. kill -HUP its process)")
