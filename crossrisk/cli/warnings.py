"""Early warnings to affected cities: the newest messages and their CAP XML."""

from __future__ import annotations

import click

from crossrisk.cli.support import beijing_time, settings_or_fail, uow_for
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.warning_national_id import national_warning_id
from crossrisk.domain.warning_plan import WarningMessage
from crossrisk.services import warnings as warning_service


@click.group("warnings")
def warnings_group() -> None:
    """Early warnings to affected cities (CAP 1.2)."""


@warnings_group.command("list")
@click.option("--risk", "risk_id", type=int, default=None, help="Only the warnings of one risk.")
def warnings_list(risk_id: int | None) -> None:
    """The newest message to each recipient, newest first."""
    uow = uow_for(settings_or_fail())
    actor = system_actor("operator")
    messages = (
        warning_service.inbox(uow, actor)
        if risk_id is None
        else warning_service.warnings_of_risk(uow, actor, risk_id)
    )
    for message in messages:
        click.echo(_line(message))
    if not messages:
        click.echo("no warnings")


@warnings_group.command("cap")
@click.argument("warning_id")
def warnings_cap(warning_id: str) -> None:
    """Print a warning's CAP 1.2 XML exactly as it was delivered."""
    xml = warning_service.cap_document(uow_for(settings_or_fail()), system_actor(), warning_id)
    click.echo(xml.decode("utf-8"), nl=False)


@warnings_group.command("national-id")
@click.argument("warning_id")
@click.option(
    "--department",
    required=True,
    help="The passing-on office's three-digit organisation code (GB/T 4657).",
)
@click.option("--unit", default="000", show_default=True, help="Three-digit unit inside it.")
@click.option("--extension", default="00", show_default=True, help="Two-digit extension.")
@click.option("--serial", type=int, default=0, show_default=True, help="One digit, 0–9.")
def warnings_national_id(
    warning_id: str, department: str, unit: str, extension: str, serial: int
) -> None:
    """The identifier the warning takes when its city passes it on into the national
    early-warning release system (ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N)."""
    message = warning_service.get_warning(uow_for(settings_or_fail()), system_actor(), warning_id)
    warning = message.warning
    click.echo(
        national_warning_id(
            area_code=warning.recipient_code,
            department=department,
            unit=unit,
            extension=extension,
            entered_at=warning.issued_at,
            serial=serial,
        )
    )


def _line(message: WarningMessage) -> str:
    warning = message.warning
    arrival = "-" if warning.expected_arrival is None else beijing_time(warning.expected_arrival)
    return (
        f"{warning.id}  {message.msg_type.value:<6}  {warning.level.key:<6}  "
        f"{warning.status.value:<12}  to {warning.recipient_code}  arrival {arrival}  "
        f"ack by {beijing_time(warning.ack_deadline)}"
    )
