"""`crossrisk evaluation …`: assessments, members' scorecards and the reward list (考核评估)."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

import click

from crossrisk.api.scorecards import assessment_out, scorecard_out, standing_out
from crossrisk.cli.support import ACTING, fail, now, session
from crossrisk.domain.evaluation.assessment import NOTE_MAX, AssessmentDraft
from crossrisk.domain.evaluation.scorecard import Scorecard
from crossrisk.domain.moments import calendar_day
from crossrisk.services import scorecards

CODE_MAX = 64
SCORES_MAX = 50
FROM = click.option("--from", "start", required=True, help="First day, YYYY-MM-DD (Beijing).")
TO = click.option("--to", "end", required=True, help="Last day, YYYY-MM-DD, inclusive.")
JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON, as the API answers.")


def _day(value: str, name: str) -> date:
    day = calendar_day(value[:20], name)
    if day is None:
        fail(f"{name} must be a date as YYYY-MM-DD")
    return day


def _code(value: str, name: str) -> str:
    if not value or len(value) > CODE_MAX:
        fail(f"{name} must be a code of 1 to {CODE_MAX} characters")
    return value


def _scores(pairs: tuple[str, ...]) -> dict[str, float]:
    if not pairs:
        fail("give at least one --score KEY=VALUE (see `crossrisk evaluation criteria`)")
    if len(pairs) > SCORES_MAX:
        fail(f"at most {SCORES_MAX} scores")
    scores: dict[str, float] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        try:
            if not sep or len(value) > 20:
                raise ValueError(pair)
            number = float(value)
            if not math.isfinite(number):
                raise ValueError(pair)
        except ValueError:
            fail(f"--score {pair[:40]!r} is not KEY=NUMBER, e.g. information_reporting=85")
        scores[key.strip()] = number
    return scores


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _print_scorecard(card: Scorecard) -> None:
    a, d, w, c = card.assessment, card.duties, card.acknowledgements, card.commitments
    click.echo(f"{card.organisation_code} · {card.start.isoformat()} – {card.end.isoformat()}")
    click.echo(
        f"  assessment {_figure(a.score)} (third party {_figure(a.third_party)} ×"
        f"{a.third_party_count}, self {_figure(a.self_assessed)} ×{a.self_count})"
    )
    click.echo(
        f"  duties: {d.in_time} in time, {d.late} late, {d.never} never, {d.open} open, "
        f"{d.waived} waived ({_share(d.in_time_share)} in time)"
    )
    click.echo(
        f"  warnings: {w.in_time} acknowledged in time, {w.late} late, {w.never} never, "
        f"{w.pending} pending ({_share(w.in_time_share)} in time)"
    )
    click.echo(
        f"  commitments: {c.honoured} honoured, {c.late} late, {c.partial} partial, "
        f"{c.broken} broken, {c.open} open ({_share(c.honoured_share)} honoured)"
    )
    click.echo(f"  accountability cases: {len(card.cases)} ({card.upheld_cases} upheld)")
    for point in card.trend:
        click.echo(
            f"  {point.label}: assessment {_figure(point.assessment)}, duties in time "
            f"{_figure(point.duties_in_time)}%, acknowledged in time "
            f"{_figure(point.acknowledged_in_time)}%, honoured "
            f"{_figure(point.commitments_honoured)}%"
        )


def _dump(document: Any) -> None:
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


@click.group("evaluation")
def evaluation() -> None:
    """Assessments, members' scorecards and the reward/penalty list (考核评估)."""


@evaluation.command("criteria")
def criteria_command() -> None:
    """The published assessment criteria: key, weight, scale and source."""
    for c in scorecards.criteria():
        click.echo(
            f"{c.key} · {c.name_zh} / {c.name_en} · weight {c.weight:g} · "
            f"{c.scale_min:g}–{c.scale_max:g} · {c.source_kind.value}: {c.source}"
        )


@evaluation.command("scorecard")
@click.argument("organisation")
@FROM
@TO
@JSON
@ACTING
def scorecard_command(
    organisation: str, start: str, end: str, as_json: bool, username: str | None
) -> None:
    """A member's scorecard over a period (ORG: its organisation, e.g. ema-330100)."""
    uow, actor = session(username)
    card = scorecards.scorecard(
        uow,
        actor,
        _code(organisation, "ORG"),
        start=_day(start, "--from"),
        end=_day(end, "--to"),
        now=now(),
    )
    if as_json:
        _dump(scorecard_out(card).model_dump(mode="json"))
    else:
        _print_scorecard(card)


@evaluation.command("assess")
@click.argument("organisation")
@click.option("--region", required=True, help="The region of the member, e.g. yrd.")
@FROM
@TO
@click.option("--score", "pairs", multiple=True, help="KEY=NUMBER, once per criterion.")
@click.option("--note", default="", help="What the assessment rests on.")
@ACTING
def assess(
    organisation: str,
    region: str,
    start: str,
    end: str,
    pairs: tuple[str, ...],
    note: str,
    username: str | None,
) -> None:
    """File an assessment of a member: as the region's evaluator, or as the member itself."""
    if len(note) > NOTE_MAX:
        fail(f"--note is longer than {NOTE_MAX} characters")
    uow, actor = session(username)
    filed = scorecards.file_assessment(
        uow,
        actor,
        AssessmentDraft(
            region_code=_code(region, "--region"),
            organisation_code=_code(organisation, "ORG"),
            period_start=_day(start, "--from"),
            period_end=_day(end, "--to"),
            scores=_scores(pairs),
            note=note,
        ),
        now=now(),
    )
    click.echo(
        f"assessment {filed.id} · {filed.kind.value} · {filed.organisation_code} · "
        f"{filed.period_start.isoformat()} – {filed.period_end.isoformat()}"
    )


@evaluation.command("assessments")
@click.option("--region", default=None, help="Only this region's.")
@JSON
@ACTING
def assessments(region: str | None, as_json: bool, username: str | None) -> None:
    """The assessments of the regions you read, newest first."""
    uow, actor = session(username)
    found = scorecards.list_assessments(
        uow, actor, region_code=None if region is None else _code(region, "--region")
    )
    if as_json:
        _dump([assessment_out(a).model_dump(mode="json") for a in found])
        return
    for a in found:
        click.echo(
            f"assessment {a.id} · {a.kind.value} · {a.organisation_code} by {a.assessor_code} · "
            f"{a.period_start.isoformat()} – {a.period_end.isoformat()}"
        )


@evaluation.command("rewards")
@click.option("--region", required=True, help="The region, e.g. yrd.")
@FROM
@TO
@JSON
@ACTING
def rewards(region: str, start: str, end: str, as_json: bool, username: str | None) -> None:
    """The committee's reward/penalty list: the members ranked, with the figures behind each."""
    uow, actor = session(username)
    standings = scorecards.rewards_and_penalties(
        uow,
        actor,
        _code(region, "--region"),
        start=_day(start, "--from"),
        end=_day(end, "--to"),
        now=now(),
    )
    if as_json:
        _dump([standing_out(s).model_dump(mode="json") for s in standings])
        return
    for s in standings:
        card = s.scorecard
        click.echo(
            f"{s.rank or '–'} · {card.organisation_code} · {_figure(card.assessment.score)} · "
            f"{s.verdict.value}{' (' + ', '.join(s.reasons) + ')' if s.reasons else ''} · "
            f"duties {_share(card.duties.in_time_share)} in time · "
            f"{card.upheld_cases} upheld cases"
        )
