"""`crossrisk cap sender|feed|poll`: the CAP senders and feeds a region takes alerts from.

Registered into the `cap` group by cli/cap.py. The operator acts here (system actor):
on the API, a region's committee does the same for its region.
"""

from __future__ import annotations

from pathlib import Path

import click

from crossrisk.cli.support import fail, now, settings_or_fail, stop_on_signals, uow_for
from crossrisk.delivery.destinations import OutboundGuard
from crossrisk.domain.cap_sender import CERTIFICATE_MAX, CapFeed, CapSender
from crossrisk.domain.organisation import system_actor
from crossrisk.ingest.cap_feeds import Fetch, guarded_fetch, poll_feeds
from crossrisk.services import cap_senders
from crossrisk.store.uow import UnitOfWork

OPERATOR = "cap-admin"


@click.group("sender")
def cap_sender() -> None:
    """External CAP senders, and who may deliver their alerts."""


@cap_sender.command("add")
@click.argument("sender")
@click.option("--name", required=True, help="Who the sender is, e.g. 黄山市气象局.")
@click.option("--region", required=True, help="The region whose committee answers for it.")
@click.option("--certificate", "certificate", default=None, help="PEM file of its certificate.")
@click.option("--require-signature", is_flag=True, help="Refuse its unsigned alerts.")
def sender_add(
    sender: str, name: str, region: str, certificate: str | None, require_signature: bool
) -> None:
    """Register SENDER (a CAP <sender> id) for a region."""
    pem = None if certificate is None else _read_certificate(certificate)
    registered = cap_senders.add_sender(
        uow_for(settings_or_fail()),
        system_actor(OPERATOR),
        cap_senders.SenderDraft(
            sender_id=sender,
            name=name,
            region_code=region,
            certificate_pem=pem,
            require_signature=require_signature,
        ),
        now=now(),
    )
    click.echo(f"sender {registered.sender_id} registered for {registered.region_code}")


@cap_sender.command("list")
def sender_list() -> None:
    """List the registered senders and who may deliver each."""
    found = cap_senders.list_senders(uow_for(settings_or_fail()), system_actor(OPERATOR))
    if not found:
        click.echo("no CAP sender is registered")
    for sender in found:
        click.echo(_sender_line(sender))


@cap_sender.command("remove")
@click.argument("sender")
def sender_remove(sender: str) -> None:
    """Unregister SENDER: its alerts are refused from then on."""
    removed = cap_senders.remove_sender(
        uow_for(settings_or_fail()), system_actor(OPERATOR), sender, now=now()
    )
    click.echo(f"sender {removed.sender_id} removed")


@cap_sender.command("allow")
@click.argument("sender")
@click.option("--organisation", default=None, help="An organisation code, e.g. ema-341000.")
@click.option("--feed", type=click.IntRange(1, 2**31 - 1), default=None, help="A feed id.")
def sender_allow(sender: str, organisation: str | None, feed: int | None) -> None:
    """Let an organisation or a feed deliver SENDER's alerts."""
    allowed = cap_senders.allow_sender(
        uow_for(settings_or_fail()),
        system_actor(OPERATOR),
        sender,
        organisation_code=organisation,
        feed_id=feed,
        now=now(),
    )
    click.echo(_sender_line(allowed))


@click.group("feed")
def cap_feed() -> None:
    """Atom or RSS indexes of CAP files that `crossrisk cap poll` reads."""


@cap_feed.command("add")
@click.argument("url")
@click.option("--name", required=True, help="Whose feed it is.")
@click.option("--region", required=True, help="The region whose committee takes its alerts.")
def feed_add(url: str, name: str, region: str) -> None:
    """Register the index at URL; allow it senders with `cap sender allow --feed`."""
    feed = cap_senders.add_feed(
        uow_for(settings_or_fail()),
        system_actor(OPERATOR),
        region_code=region,
        url=url,
        name=name,
        now=now(),
    )
    click.echo(f"feed {feed.id} registered for {feed.region_code}: {feed.url}")


@cap_feed.command("list")
def feed_list() -> None:
    """List the registered feeds and the senders each may deliver."""
    found = cap_senders.list_feeds(uow_for(settings_or_fail()), system_actor(OPERATOR))
    if not found:
        click.echo("no CAP feed is registered")
    for feed in found:
        click.echo(_feed_line(feed))


@cap_feed.command("remove")
@click.argument("feed_id", type=click.IntRange(1, 2**31 - 1))
def feed_remove(feed_id: int) -> None:
    """Stop polling a feed; the alerts it delivered stay."""
    feed = cap_senders.remove_feed(
        uow_for(settings_or_fail()), system_actor(OPERATOR), feed_id, now=now()
    )
    click.echo(f"feed {feed.id} removed")


@click.command("poll")
@click.option(
    "--every",
    type=click.FloatRange(min=5),
    default=None,
    help="Keep polling, every SECONDS, until stopped.",
)
def cap_poll(every: float | None) -> None:
    """Poll every registered feed once (or every SECONDS) and print what each did."""
    settings = settings_or_fail()
    uow = uow_for(settings)
    fetch = guarded_fetch(OutboundGuard.from_settings(settings))
    stop = stop_on_signals() if every is not None else None
    while True:
        if stop is None:
            _poll_round(uow, fetch)
            return
        try:
            _poll_round(uow, fetch)
        except Exception as exc:  # a long-running poller outlives one bad round
            click.echo(f"error: this round failed, polling again in {every:g} s: {exc}", err=True)
        if stop.wait(every):
            return


def _poll_round(uow: UnitOfWork, fetch: Fetch) -> None:
    feeds = cap_senders.list_feeds(uow, system_actor(OPERATOR))
    if not feeds:
        click.echo("no CAP feed is registered")
    for poll in poll_feeds(uow, feeds, now=now, fetch=fetch):
        click.echo(poll.summary())
        for line in poll.details():
            click.echo(line)


def _read_certificate(file: str) -> str:
    path = Path(file)
    try:
        if path.stat().st_size > CERTIFICATE_MAX:
            fail(f"{file} is over {CERTIFICATE_MAX} bytes, too large for a certificate")
        return path.read_text("ascii")
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}")
    except UnicodeDecodeError:
        fail(f"{file} is not a PEM certificate")


def _sender_line(sender: CapSender) -> str:
    signature = (
        "signatures required"
        if sender.require_signature
        else ("certificate" if sender.certificate_pem else "no certificate")
    )
    deliverers = [*sender.organisations, *(f"feed {f}" for f in sender.feeds)]
    return (
        f"{sender.sender_id}  {sender.region_code}  {sender.name}  ({signature}); "
        f"delivered by: {', '.join(deliverers) or 'the operator only'}"
    )


def _feed_line(feed: CapFeed) -> str:
    return (
        f"{feed.id:>5}  {feed.region_code}  {feed.url}  {feed.name}; "
        f"senders: {', '.join(feed.senders) or 'none yet'}"
    )
