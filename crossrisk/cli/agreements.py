"""`crossrisk agreement list|show|draft|sign|amend|document`: governance agreements.

Every command acts as `--as USER` (the user's own permissions apply); reading commands
default to the platform operator. A draft or amendment FILE is JSON, as the API takes it.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from crossrisk.cli.support import fail, now, read_text_file, settings_or_fail, uow_for
from crossrisk.domain.agreements.agreement import Agreement
from crossrisk.domain.agreements.reading import draft_from
from crossrisk.domain.organisation import Actor, system_actor
from crossrisk.services import agreement_checks, agreements, users
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.committee.agreements import document_pdf, language_named

ID_MAX = 2**31 - 1
AS_USER = click.option("--as", "username", default=None, help="Act as this user.")


def _context(username: str | None, *, required: bool = False) -> tuple[UnitOfWork, Actor]:
    if required and username is None:
        fail("say who acts: --as USER (an officer of the organisation)")
    uow = uow_for(settings_or_fail())
    actor = system_actor("cli") if username is None else users.acting_as(uow, username)
    return uow, actor


def _id(value: str) -> int:
    """An agreement id as typed, or one line and exit 2."""
    if (
        not value.isascii()
        or not value.isdigit()
        or len(value) > 10
        or not 0 < int(value) <= ID_MAX
    ):
        fail(f"an agreement id is a whole number from 1 to {ID_MAX}, not {value[:40]!r}")
    return int(value)


def _read_json(file: str) -> dict[str, object]:
    try:
        data = json.loads(read_text_file(file, what="agreement"))
    except ValueError as error:
        fail(f"{file} is not JSON: {error}")
    if not isinstance(data, dict):
        fail(f"{file} holds no JSON object")
    return data


def _line(agreement: Agreement) -> str:
    signed = f"{len(agreement.signatures)}/{len(agreement.signatories)} signed"
    return (
        f"{agreement.id}\t{agreement.region_code}\tNo. {agreement.number}\t"
        f"v{agreement.version}\t{agreement.state.value}\t{signed}\t{agreement.text.title}"
    )


@click.group("agreement")
def agreement() -> None:
    """Governance agreements: drafted by the committee, signed by each party (治理协议)."""


@agreement.command("list")
@click.option("--region", default=None, help="Only this region's agreements.")
@AS_USER
def list_command(region: str | None, username: str | None) -> None:
    """Every version of the agreements, newest first, one per line."""
    uow, actor = _context(username)
    for found in agreements.list_agreements(uow, actor, region_code=region and region[:32]):
        click.echo(_line(found))


@agreement.command("show")
@click.argument("agreement_id")
@AS_USER
def show(agreement_id: str, username: str | None) -> None:
    """One version as JSON: its text, signatures and each obligation's status now."""
    chosen = _id(agreement_id)
    uow, actor = _context(username)
    found = agreements.get_agreement(uow, actor, chosen)
    checks = agreement_checks.obligation_checks(uow, actor, chosen, now=now())
    shown = {
        "id": found.id,
        "region": found.region_code,
        "number": found.number,
        "version": found.version,
        "state": found.state.value,
        "text": agreements.text_payload(found.text),
        "signatures": {
            code: (
                None
                if (s := found.signature_of(code)) is None
                else {"by": s.signed_by, "at": s.signed_at.isoformat()}
            )
            for code in found.signatories
        },
        "obligation_status": [
            {"position": c.position, "status": c.checked.status.value, **c.checked.evidence}
            for c in checks
        ],
    }
    click.echo(json.dumps(shown, ensure_ascii=False, indent=2))


@agreement.command("draft")
@click.argument("file")
@click.option("--region", default=None, help='The region (default: the file\'s "region").')
@AS_USER
def draft(file: str, region: str | None, username: str | None) -> None:
    """Draft the agreement in FILE (JSON, as the API takes it) for the committee."""
    data = _read_json(file)
    named = data.pop("region", None)
    chosen = region or named
    if not isinstance(chosen, str) or not 0 < len(chosen) <= 32:
        fail('name the region: --region CODE or a "region" in the file')
    uow, actor = _context(username, required=True)
    made = agreements.draft_agreement(uow, actor, chosen, draft_from(data), now=now())
    click.echo(_line(made))


@agreement.command("sign")
@click.argument("agreement_id")
@AS_USER
def sign(agreement_id: str, username: str | None) -> None:
    """Sign the agreement for the user's organisation."""
    uow, actor = _context(username, required=True)
    click.echo(_line(agreements.sign_agreement(uow, actor, _id(agreement_id), now=now())))


@agreement.command("amend")
@click.argument("agreement_id")
@click.argument("file")
@AS_USER
def amend(agreement_id: str, file: str, username: str | None) -> None:
    """Amend the agreement in force with the text in FILE: a new version to sign again."""
    data = _read_json(file)
    data.pop("region", None)
    uow, actor = _context(username, required=True)
    made = agreements.amend_agreement(uow, actor, _id(agreement_id), draft_from(data), now=now())
    click.echo(_line(made))


@agreement.command("document")
@click.argument("agreement_id")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh_CN", "en"]), default="zh_CN", show_default=True)
@AS_USER
def document(agreement_id: str, out: Path, lang: str, username: str | None) -> None:
    """Print the agreement with its signature status to a PDF file."""
    uow, actor = _context(username)
    content = document_pdf(actor, uow, _id(agreement_id), language_named(lang))
    try:
        out.write_bytes(content)
    except OSError as error:
        fail(f"cannot write {out}: {error.strerror or error}")
    click.echo(f"{out}\t{len(content)} bytes")
