"""Command line: one module per command group, registered on `main` here.

Every expected failure prints one line on stderr and exits 2. Commands work on the
configured data directory (crossrisk.settings.default_data_dir), wherever they are run.
"""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy.exc import OperationalError

from crossrisk.cli.agreements import agreement
from crossrisk.cli.aid import aid
from crossrisk.cli.analysis import reach
from crossrisk.cli.annual import annual
from crossrisk.cli.base_sheets import base
from crossrisk.cli.cap import cap
from crossrisk.cli.cases import case
from crossrisk.cli.channels import channels
from crossrisk.cli.compensation import compensation
from crossrisk.cli.drills import drill
from crossrisk.cli.journal import journal
from crossrisk.cli.meetings import meeting
from crossrisk.cli.model import model
from crossrisk.cli.mqtt import mqtt
from crossrisk.cli.observations import ingest, replay
from crossrisk.cli.plans import plan
from crossrisk.cli.recompute import recompute
from crossrisk.cli.regions import region
from crossrisk.cli.reviews import review
from crossrisk.cli.scorecards import evaluation
from crossrisk.cli.serving import demo, init, serve, worker
from crossrisk.cli.shortfall import shortfall
from crossrisk.cli.stations import stations
from crossrisk.cli.stocks import stocks
from crossrisk.cli.support import database_failure, fail, settings_or_fail
from crossrisk.cli.trust import trust
from crossrisk.cli.users import user
from crossrisk.cli.warnings import warnings_group
from crossrisk.domain.errors import CrossriskError


class CrossriskGroup(click.Group):
    """Turns every expected failure into one line on stderr and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CrossriskError as error:
            fail(error.detail)
        except OperationalError as error:
            # The database went away or refused us mid-command (a server down, a locked or
            # read-only file): one line that says which, not a traceback.
            fail(database_failure(settings_or_fail().database_url, error))


@click.group(cls=CrossriskGroup)
@click.version_option(package_name="crossrisk")
def main() -> None:
    """crossrisk — cross-jurisdiction risk governance (城市跨域风险协同治理)."""


for command in (
    init,
    serve,
    demo,
    worker,
    region,
    user,
    journal,
    reach,
    cap,
    channels,
    stations,
    ingest,
    mqtt,
    replay,
    warnings_group,
    aid,
    stocks,
    base,
    shortfall,
    agreement,
    plan,
    meeting,
    review,
    case,
    drill,
    annual,
    evaluation,
    model,
    compensation,
    trust,
    recompute,
):
    main.add_command(command)
