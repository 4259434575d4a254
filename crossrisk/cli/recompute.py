"""`crossrisk recompute`: every figure recomputed from the journal alone.

crossrisk recompute --check       compare with what the platform shows; exit 1 naming each
                                  figure that differs
crossrisk recompute --into URL    write the recomputed figures into a fresh database
"""

from __future__ import annotations

import json
from typing import Any

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from crossrisk.cli.support import database_failure, fail, now, safe_url, settings_or_fail, uow_for
from crossrisk.domain.errors import CrossriskError
from crossrisk.services import recompute as recomputation

SHOWN_MAX = 200  # differences printed; the count says how many more


@click.command()
@click.option("--check", "checking", is_flag=True, help="Compare with the running database.")
@click.option("--into", "url", default=None, help="A fresh database to write the figures to.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
def recompute(checking: bool, url: str | None, as_json: bool) -> None:
    """Rebuild every metric, case, settlement and trust score from the journal alone."""
    if not checking and url is None:
        fail("say --check, --into URL or both")
    if url is not None:
        _check_url(url)
    uow = uow_for(settings_or_fail())
    moment = now()
    outcome: dict[str, Any] = {}
    if url is not None:
        try:
            written, head = recomputation.rebuild_into(uow, url, now=moment)
        except CrossriskError as error:
            fail(error.detail)
        except SQLAlchemyError as error:
            fail(database_failure(url, error))
        outcome["into"] = {"url": safe_url(url), "figures": written, "journal_head": head[0]}
        if not as_json:
            click.echo(
                f"{written} figures recomputed from the journal (up to entry {head[0]}) "
                f"into {safe_url(url)}"
            )
    if checking:
        found = recomputation.check(uow, now=moment)
        differences = found.differences
        outcome["check"] = {
            "figures": len(found.journal),
            "journal_head": found.journal_head[0],
            "differences": [
                {"name": d.name, "platform": d.platform, "journal": d.journal} for d in differences
            ],
        }
        if not as_json:
            for d in differences[:SHOWN_MAX]:
                click.echo(f"differs: {d.name}: {_described(d.platform, d.journal)}")
            if len(differences) > SHOWN_MAX:
                click.echo(f"… and {len(differences) - SHOWN_MAX} more")
            verdict = (
                f"{len(differences)} of {len(found.platform | found.journal)} figures differ"
                if differences
                else f"all {len(found.journal)} figures agree"
            )
            click.echo(f"{verdict} (journal up to entry {found.journal_head[0]})")
    if as_json:
        click.echo(json.dumps(outcome, ensure_ascii=False, indent=2))
    if checking and outcome["check"]["differences"]:
        raise SystemExit(1)


def _check_url(url: str) -> None:
    try:
        make_url(url)
    except ArgumentError:
        fail(f"not a database URL: {url[:80]!r}")


def _described(platform: Any, journal: Any) -> str:
    """What differs: only the fields that do, when both readings are records."""
    if isinstance(platform, dict) and isinstance(journal, dict):
        return "; ".join(
            f"{key}: platform {_shown(platform.get(key))}, journal {_shown(journal.get(key))}"
            for key in sorted(platform.keys() | journal.keys())
            if platform.get(key) != journal.get(key)
        )
    return f"platform {_shown(platform)}, journal {_shown(journal)}"


def _shown(value: object) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)
