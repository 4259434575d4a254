"""The shortfall as pages, the workbook and the command line show it, in one language."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from crossrisk.domain.aid.catalogue import Catalogue
from crossrisk.services.shortfall import ShortfallReport
from crossrisk.web.shared.i18n import PageLanguage

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, slots=True)
class Row:
    code: str
    name: str  # the jurisdiction's, or the region's
    item: str
    unit: str
    need: float
    stock: float
    kept: float | None
    shortfall: float
    cover: float | None
    cover_hours: float | None
    donors: str
    lacks: float | None  # only on the region's rows
    stale: bool


def headers(lang: PageLanguage) -> list[str]:
    _ = lang.gettext
    return [
        _("Code"),
        _("Jurisdiction"),
        _("Item"),
        _("Unit"),
        _("Need"),
        _("Own stock"),
        _("Kept for own need"),
        _("Shortfall"),
        _("Neighbours could cover"),
        _("Within hours"),
        _("From"),
        _("Region lacks"),
        _("Stale stock figures"),
    ]


def rows(report: ShortfallReport, lang: PageLanguage, catalogue: Catalogue) -> list[Row]:
    """One row per member and item with a need or a stock, then the region's rows."""
    result = report.shortfall
    out: list[Row] = []
    for j in result.jurisdictions:
        for line in j.lines:
            if line.need == 0 and line.stock == 0:
                continue
            item = catalogue.item(line.item_code)
            donors = ", ".join(
                f"{report.name(d.jurisdiction_code, lang.locale.code)} {d.quantity:,.0f}"
                f" ({d.hours:.1f} h)"
                for d in line.donors
            )
            out.append(
                Row(
                    code=j.jurisdiction_code,
                    name=report.name(j.jurisdiction_code, lang.locale.code),
                    item=item.name(lang.locale.code),
                    unit=item.unit_name(lang.locale.code),
                    need=line.need,
                    stock=line.stock,
                    kept=line.kept,
                    shortfall=line.shortfall,
                    cover=line.covered,
                    cover_hours=line.cover_hours,
                    donors=donors,
                    lacks=None,
                    stale=j.stale,
                )
            )
    region_name = lang.gettext("Whole region")
    for total in result.region:
        item = catalogue.item(total.item_code)
        out.append(
            Row(
                code=report.region_code,
                name=region_name,
                item=item.name(lang.locale.code),
                unit=item.unit_name(lang.locale.code),
                need=total.need,
                stock=total.stock,
                kept=None,
                shortfall=max(0.0, total.need - total.stock),
                cover=None,
                cover_hours=None,
                donors="",
                lacks=total.lacks,
                stale=bool(result.stale_codes),
            )
        )
    return out


def chart_data(report: ShortfallReport, lang: PageLanguage, catalogue: Catalogue) -> dict[str, Any]:
    """The bar chart's series: per member, each item's shortfall and what neighbours cover."""
    result = report.shortfall
    members = [j.jurisdiction_code for j in result.jurisdictions]
    series = []
    for item_code in result.item_codes:
        lines = [j.line(item_code) for j in result.jurisdictions]
        if not any(line.need or line.stock for line in lines):
            continue
        series.append(
            {
                "item": item_code,
                "name": catalogue.item(item_code).name(lang.locale.code),
                "need": [line.need for line in lines],
                "stock": [line.stock for line in lines],
                "shortfall": [line.shortfall for line in lines],
                "cover": [line.covered for line in lines],
            }
        )
    return {
        "jurisdictions": [report.name(code, lang.locale.code) for code in members],
        "series": series,
        "texts": {
            "need": lang.gettext("Need"),
            "stock": lang.gettext("Own stock"),
            "shortfall": lang.gettext("Shortfall"),
            "cover": lang.gettext("Neighbours could cover"),
            "item": lang.gettext("Item"),
        },
    }


def source_note(report: ShortfallReport, lang: PageLanguage) -> str:
    factors = report.shortfall.factors
    return lang.gettext(
        "Demand factors: %(source)s, %(edition)s (version %(version)s of this region)"
    ) % {"source": factors.source, "edition": factors.edition, "version": factors.version}


def workbook(report: ShortfallReport, lang: PageLanguage, catalogue: Catalogue) -> bytes:
    """The shortfall as an Excel workbook: the table, then the factors and their clauses."""
    _ = lang.gettext
    result = report.shortfall
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Shortfall")[:31]
    title = _("Shortfall")
    if report.risk_id is not None:
        title = f"{title} — {_('Risk')} {report.risk_id}"
    sheet.append([title])
    sheet.append(
        [
            _("Displaced share"),
            result.scenario.displaced_share,
            _("Days"),
            result.scenario.days,
        ]
    )
    sheet.append([source_note(report, lang)])
    sheet.append(headers(lang))
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    sheet["A1"].font = Font(bold=True)
    sheet.freeze_panes = "A5"
    for row in rows(report, lang, catalogue):
        sheet.append(
            [
                row.code,
                row.name,
                row.item,
                row.unit,
                row.need,
                row.stock,
                row.kept,
                row.shortfall,
                row.cover,
                None if row.cover_hours is None else round(row.cover_hours, 1),
                row.donors,
                row.lacks,
                _("yes") if row.stale else "",
            ]
        )
    factors = book.create_sheet(_("Demand factors")[:31])
    factors.append([source_note(report, lang)])
    factors.append([_("Factor"), _("Applies to"), _("Amount"), _("Measure"), _("Per"), _("Clause")])
    for cell in factors[2]:
        cell.font = Font(bold=True)
    for factor in result.factors.factors:
        factors.append(
            [
                factor.name(lang.locale.code),
                _("everyone affected") if factor.applies_to == "affected" else _("the displaced"),
                factor.amount_for(result.scenario.days),
                factor.measure,
                _("person and day") if factor.per == "person_day" else _("person"),
                factor.clause,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
