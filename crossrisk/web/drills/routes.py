"""The drill pages: /drills lists them and lets the committee start one; /drills/{id} shows
a drill's scenario, timeline, risks, warnings and acknowledgements."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from crossrisk.data import bundled_drill_path
from crossrisk.domain.drills.scenario import PROBLEM_TEXTS, TEXT_MAX_BYTES
from crossrisk.domain.errors import CrossriskError, InvalidInput, NotFound
from crossrisk.domain.permissions.regions import can_coordinate
from crossrisk.domain.warning import WarningLevel
from crossrisk.http.deps import UowDep, check_csrf, utc_now
from crossrisk.services import drills, regions
from crossrisk.web.accounts.session import PageActor
from crossrisk.web.shared.case_rows import case_row
from crossrisk.web.shared.directory import read_directory
from crossrisk.web.shared.file_problems import problem_lines
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.metric_rows import metric_row
from crossrisk.web.shared.page_forms import id_in_address
from crossrisk.web.shared.rendering import error_page, error_status, page_error, render
from crossrisk.web.shared.warning_labels import MESSAGE_TYPE

router = APIRouter(include_in_schema=False)
BASE = "/drills"


def drill_id_of(value: str) -> int:
    return id_in_address(value, "drill", key="drill-unknown", param="drill")


def _may_start(uow: UowDep, actor: PageActor) -> bool:
    return any(can_coordinate(actor, r.code) for r in regions.readable_regions(uow, actor))


@router.get(BASE)
def drills_page(request: Request, actor: PageActor, uow: UowDep) -> Response:
    """The drills of the regions the user reads; the committee may start one."""
    return _list(request, actor, uow)


def _list(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    *,
    error: CrossriskError | None = None,
) -> Response:
    lang = PageLanguage.of(request)
    context = {
        "drills": drills.list_drills(uow, actor),
        "bundled": drills.bundled_scenarios(),
        "may_start": _may_start(uow, actor),
        "error": None if error is None else page_error(lang, error, read_directory(uow, actor)),
        "problems": problem_lines(error, lang, key="drill-scenario-invalid", texts=PROBLEM_TEXTS),
    }
    status = 200 if error is None else error_status(error)
    return render(request, "drills/list.html", context, actor=actor, status_code=status)


@router.post(BASE)
async def start_drill(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    csrf_token: Annotated[str, Form()] = "",
    bundled: Annotated[str, Form()] = "",
    scenario: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Run a bundled scenario or an uploaded one at speed max; the drill's page follows."""
    try:
        check_csrf(request, csrf_token)
        if scenario is not None and scenario.filename:
            raw = await scenario.read(TEXT_MAX_BYTES + 1)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise InvalidInput(
                    "the scenario is not UTF-8 text", key="drill-scenario-not-text"
                ) from None
        else:
            path = bundled_drill_path(bundled)
            if path is None:
                raise NotFound(
                    f"no bundled scenario {bundled[:40]!r}",
                    key="drill-scenario-unknown",
                    params={"name": bundled[:40]},
                )
            text = path.read_text("utf-8")
        origin = time.monotonic()
        drill = drills.run_drill(
            uow,
            actor,
            text,
            speed=None,
            pace=drills.Pace(
                clock=utc_now, wait=lambda s: None, elapsed=lambda: time.monotonic() - origin
            ),
        )
    except CrossriskError as refusal:
        return _list(request, actor, uow, error=refusal)
    return RedirectResponse(f"{BASE}/{drill.id}", status_code=303)


@router.get(BASE + "/{drill_id}")
def drill_page(request: Request, actor: PageActor, uow: UowDep, drill_id: str) -> Response:
    """A drill: its scenario, its timeline, its risks, warnings and acknowledgements."""
    try:
        record = drills.drill_record(uow, actor, drill_id_of(drill_id), now=utc_now())
    except CrossriskError as refusal:
        return error_page(request, refusal, actor=actor, names=read_directory(uow, actor))
    names = read_directory(uow, actor)
    lang = PageLanguage.of(request)
    context = {
        "record": record,
        "drill": record.drill,
        "names": names,
        "activity": [metric_row(m, lang) for m in record.metrics if m.party is None],
        "party_metrics": [
            (names.organisation_name(m.party, chinese=lang.is_chinese), metric_row(m, lang))
            for m in record.metrics
            if m.party is not None
        ],
        "cases": [case_row(c, names, lang) for c in record.cases],
        "actors": {e.actor: names.actor_name(e.actor, lang) for e in record.timeline},
        "message_types": {t.value: lang.gettext(label) for t, label in MESSAGE_TYPE.items()},
        "stations": {
            code: lang.pick(station.name_zh, station.name_en)
            for code, station in record.stations.items()
        },
        "colours": {
            level.key: lang.pick(level.colour_zh, level.colour_en) for level in WarningLevel
        },
    }
    return render(request, "drills/drill.html", context, actor=actor)
