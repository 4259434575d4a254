"""`crossrisk review …`: a risk's after-action review from the command line (复盘评估)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from crossrisk.api.reviews import review_out
from crossrisk.cli.support import ACTING, beijing_time, fail, now, row_id, session
from crossrisk.domain.evaluation.metrics import MINUTES, SHARE
from crossrisk.services import reviews
from crossrisk.web.committee.agreements import language_named
from crossrisk.web.risks.review import review_pdf


def _moment(value: str, name: str) -> datetime:
    try:
        if len(value) > 40:
            raise ValueError(value)
        return datetime.fromisoformat(value)
    except ValueError:
        fail(f"{name} {value[:40]!r} is not an ISO 8601 time such as 2026-07-01T18:00+08:00")


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == SHARE:
        return f"{value * 100:.0f}%"
    return f"{value:g} min" if unit == MINUTES else f"{value:g}"


@click.group("review")
def review() -> None:
    """After-action reviews: metrics from the record, ratings, corrective actions (复盘评估)."""


@review.command("show")
@click.argument("risk_id")
@click.option("--json", "as_json", is_flag=True, help="Print the review as JSON.")
@click.option("--pdf", "pdf", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--lang", type=click.Choice(["zh_CN", "en"]), default="zh_CN", show_default=True)
@ACTING
def show(risk_id: str, as_json: bool, pdf: Path | None, lang: str, username: str | None) -> None:
    """Show a risk's review: its metrics, ratings and corrective actions (or write its PDF)."""
    number = row_id(risk_id, "risk")
    uow, actor = session(username)
    if pdf is not None:
        content = review_pdf(actor, uow, number, language_named(lang))
        try:
            pdf.write_bytes(content)
        except OSError as error:
            fail(f"cannot write {pdf}: {error.strerror or error}")
        click.echo(f"{pdf}\t{len(content)} bytes")
        return
    at = now()
    report = reviews.review_of_risk(uow, actor, number, now=at)
    if as_json:
        click.echo(review_out(report, at).model_dump_json(indent=2))
        return
    click.echo(f"risk {number} · {report.risk.title} · parties {', '.join(report.parties)}")
    for metric in report.metrics:
        party = f" [{metric.party}]" if metric.party else ""
        click.echo(f"  {metric.name}{party}\t{_value(metric.value, metric.unit)}")
    for code, rating in report.ratings.items():
        click.echo(f"rating {code}\t{rating.rating.value}")
    for action in report.actions:
        duty = report.action_duties.get(action.number)
        status = duty.shown(at).value if duty is not None else "-"
        click.echo(
            f"action {action.number}\t{action.owner_code}\t{beijing_time(action.due_at)}\t"
            f"{status}\t{action.text}"
        )


@review.command("rate")
@click.argument("risk_id")
@click.option("--capability", required=True, help="operational_coordination, …")
@click.option("--rating", required=True, help="P, S, M or U")
@click.option("--strengths", default="")
@click.option("--improvements", default="")
@ACTING
def rate(
    risk_id: str,
    capability: str,
    rating: str,
    strengths: str,
    improvements: str,
    username: str | None,
) -> None:
    """The evaluator rates one capability of the risk's response P/S/M/U."""
    number = row_id(risk_id, "risk")
    uow, actor = session(username)
    done = reviews.rate_capability(
        uow,
        actor,
        number,
        capability=capability,
        rating=rating,
        strengths=strengths,
        improvements=improvements,
        now=now(),
    )
    click.echo(f"risk {number} · {done.capability} rated {done.rating.value}")


@review.command("act")
@click.argument("risk_id")
@click.option("--capability", required=True)
@click.option("--owner", default="", help="The responsible organisation's code.")
@click.option("--due", required=True, help="ISO 8601 with its offset: 2027-01-15T18:00+08:00")
@click.option("--text", required=True, help="The corrective action.")
@ACTING
def act(
    risk_id: str, capability: str, owner: str, due: str, text: str, username: str | None
) -> None:
    """The committee adds a corrective action: a duty of its owner, due by --due."""
    number = row_id(risk_id, "risk")
    due_at = _moment(due, "due")
    uow, actor = session(username)
    action, duty = reviews.add_corrective_action(
        uow,
        actor,
        number,
        capability=capability,
        text=text,
        owner_code=owner,
        due_at=due_at,
        now=now(),
    )
    click.echo(
        f"action {action.number} of risk {number}'s review · duty {duty.id} of "
        f"{duty.organisation_code} · due {beijing_time(duty.deadline)}"
    )


@review.command("done")
@click.argument("risk_id")
@click.argument("number")
@click.option("--note", default="")
@ACTING
def done(risk_id: str, number: str, note: str, username: str | None) -> None:
    """The owner marks a corrective action done."""
    risk = row_id(risk_id, "risk")
    action = row_id(number, "corrective action")
    uow, actor = session(username)
    duty = reviews.complete_corrective_action(uow, actor, risk, action, note=note, now=now())
    click.echo(json.dumps({"action": action, "duty": duty.id, "status": duty.shown(now()).value}))
