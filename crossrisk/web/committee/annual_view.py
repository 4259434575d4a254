"""What the annual items' pages show: lines in the page's language, quarters, the export."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date

from crossrisk.domain.annual import (
    AnnualItem,
    ItemKind,
    ItemStatus,
    ShownItemStatus,
    quarter_of,
)
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import can_coordinate
from crossrisk.domain.permissions.warnings import can_acknowledge
from crossrisk.locale import N_
from crossrisk.web.shared.directory import Directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.tables import Table

KIND_NAMES = {ItemKind.PLAN: N_("Annual plan item"), ItemKind.COOPERATION: N_("Cooperation item")}
STATUS_NAMES = {
    ShownItemStatus.PLANNED: N_("Planned"),
    ShownItemStatus.IN_PROGRESS: N_("In progress"),
    ShownItemStatus.DEFERRED: N_("Deferred"),
    ShownItemStatus.LATE: N_("Late"),
    ShownItemStatus.DONE: N_("Done"),
    ShownItemStatus.DONE_LATE: N_("Done late"),
    ShownItemStatus.CANCELLED: N_("Cancelled"),
}
SERVES_NAMES = {"agreement": N_("Agreement %(id)s"), "plan": N_("Plan %(id)s")}


@dataclass(frozen=True, slots=True)
class ItemLine:
    """One item as the pages show it, in the page's language."""

    item: AnnualItem
    title: str
    kind: str
    owner: str
    month: str
    status: ShownItemStatus
    status_label: str
    serves: str
    may_progress: bool  # the owner or the committee: in progress, done
    may_manage: bool  # the committee: edit, defer, cancel


@dataclass(frozen=True, slots=True)
class Quarter:
    number: int  # 1–4, or 5 for deferrals into the next year
    heading: str
    lines: list[ItemLine]


def line_of(
    item: AnnualItem, lang: PageLanguage, directory: Directory, actor: Actor, now: datetime
) -> ItemLine:
    _ = lang.gettext
    shown = item.shown(now)
    manage = can_coordinate(actor, item.region_code) and item.owed
    progress = item.owed and (manage or can_acknowledge(actor, item.owner_code))
    serves = ""
    if item.serves_kind is not None:
        serves = _(SERVES_NAMES[item.serves_kind.value]) % {"id": item.serves_id}
    return ItemLine(
        item=item,
        title=lang.pick(item.title, item.title_en or item.title),
        kind=_(KIND_NAMES[item.kind]),
        owner=directory.organisation_name(item.owner_code, chinese=lang.is_chinese),
        month=format_date(date(item.due.year, item.due.month, 1), "LLLL", locale=lang.locale.code),
        status=shown,
        status_label=_(STATUS_NAMES[shown]),
        serves=serves,
        may_progress=progress and item.status is not ItemStatus.IN_PROGRESS,
        may_manage=manage,
    )


def quarters(lines: Iterable[ItemLine], lang: PageLanguage) -> list[Quarter]:
    """The lines by the quarter they fall due in, empty quarters left out."""
    _ = lang.gettext
    grouped: dict[int, list[ItemLine]] = {}
    for line in lines:
        grouped.setdefault(quarter_of(line.item), []).append(line)
    headings = {n: _("Quarter %(quarter)s") % {"quarter": n} for n in range(1, 5)}
    headings[5] = _("Deferred into the next year")
    return [Quarter(n, headings[n], grouped[n]) for n in sorted(grouped)]


def year_table(lines: Iterable[ItemLine], lang: PageLanguage, year: int) -> Table:
    """The year's items as a table to take away (Excel)."""
    _ = lang.gettext
    return Table(
        title=_("Annual items %(year)s") % {"year": year},
        headers=[
            _("Number"),
            _("Kind"),
            _("Title"),
            _("Owned by"),
            _("Due by"),
            _("First due"),
            _("Status"),
            _("Serves"),
            _("Reason"),
            _("Done"),
        ],
        rows=[
            [
                line.item.id,
                line.kind,
                line.title,
                line.owner,
                line.item.due.isoformat(),
                line.item.first_due.isoformat(),
                line.status_label,
                line.serves,
                line.item.reason or "",
                line.item.done_at,
            ]
            for line in lines
        ],
    )
