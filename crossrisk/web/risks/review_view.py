"""What an after-action review shows, in a page language: the overview, the timeline, the
metrics grouped by the two objects of evaluation, a bar chart of them drawn as SVG on the
server (the page and the PDF show the same drawing; WeasyPrint runs no script), the
ratings and the improvement plan."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from markupsafe import Markup

from crossrisk.domain.duty import DutyRecord
from crossrisk.domain.evaluation.metrics import (
    ACTIVITY_ASPECTS,
    MINUTES,
    SHARE,
    Metric,
    activity_metrics,
    party_metrics,
)
from crossrisk.services.reviews import ReviewReport
from crossrisk.web.risks.detail import history_rows
from crossrisk.web.shared.case_rows import case_row
from crossrisk.web.shared.directory import Directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.metric_rows import metric_label, metric_row, shown_value
from crossrisk.web.shared.responsibility_labels import DUTY_STATUS
from crossrisk.web.shared.review_labels import ASPECT, METRIC, RATING

TIMELINE_MAX = 300
BAR_WIDTH = 260
ROW_HEIGHT = 22
LABEL_WIDTH = 230


def bar_chart(metrics: list[Metric], lang: PageLanguage, *, title: str) -> str:
    """A horizontal bar per measured metric, scaled to the largest; an SVG string."""
    measured = [m for m in metrics if m.value is not None]
    if not measured:
        return ""
    top = max(abs(m.value or 0.0) for m in measured) or 1.0
    height = ROW_HEIGHT * len(measured) + 30
    width = LABEL_WIDTH + BAR_WIDTH + 90
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="metric-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="14" font-size="12" font-weight="bold">{escape(title)}</text>',
    ]
    for n, metric in enumerate(measured):
        y = 24 + n * ROW_HEIGHT
        length = BAR_WIDTH * abs(metric.value or 0.0) / top
        colour = "#b42318" if (metric.value or 0.0) < 0 else "#183b6b"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" font-size="11" text-anchor="end">'
            f"{escape(metric_label(metric, lang))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{ROW_HEIGHT - 8}" '
            f'fill="{colour}"><title>{escape(metric.name)}</title></rect>'
            f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + 14}" font-size="11">'
            f"{escape(shown_value(metric, lang))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


PARTY_SHARES = ("party_duties_in_time_share", "report_on_time", "party_aid_on_time_share")


def party_chart(metrics: list[Metric], directory: Directory, lang: PageLanguage) -> dict[str, Any]:
    """The data of the page's ECharts comparison of the parties' shares, in per cent."""
    grouped = party_metrics(metrics)
    codes = [c for c, group in grouped.items() if any(m.name in PARTY_SHARES for m in group)]
    series = []
    for name in PARTY_SHARES:
        values = []
        for code in codes:
            found = next((m for m in grouped[code] if m.name == name), None)
            value = None if found is None or found.value is None else round(found.value * 100, 1)
            values.append(value)
        if any(v is not None for v in values):
            series.append({"name": lang.gettext(METRIC[name]), "values": values})
    return {
        "parties": [directory.organisation_name(c, chinese=lang.is_chinese) for c in codes],
        "series": series,
    }


def metrics_context(
    metrics: list[Metric], directory: Directory, lang: PageLanguage
) -> dict[str, Any]:
    """The metrics part of a review (a risk's or a drill's): grouped by the governance
    activity's aspects and by party, with their charts."""
    activity = activity_metrics(metrics)
    shares = [m for m in metrics if m.unit == SHARE and m.party is None]
    minutes = [m for m in metrics if m.unit == MINUTES and m.party is None]
    charts = [
        bar_chart(shares, lang, title=lang.gettext("Shares of the governance activity")),
        bar_chart(minutes, lang, title=lang.gettext("Minutes from registration")),
    ]
    return {
        "activity": [
            (
                lang.gettext(ASPECT[aspect]),
                [metric_row(m, lang) for m in activity if m.aspect == aspect],
            )
            for aspect in ACTIVITY_ASPECTS
        ],
        "party_groups": [
            (
                directory.organisation_name(code, chinese=lang.is_chinese),
                [metric_row(m, lang) for m in group],
            )
            for code, group in party_metrics(metrics).items()
        ],
        "charts": [Markup(chart) for chart in charts if chart],
        "party_chart": party_chart(metrics, directory, lang),
    }


def capability_rows(report: ReviewReport, lang: PageLanguage) -> list[dict[str, Any]]:
    """Each capability of the review with the evaluator's rating, if any."""
    ratings = report.ratings
    return [
        {
            "code": c.code,
            "name": lang.pick(c.name_zh, c.name_en),
            "rating": ratings.get(c.code),
            "rating_text": lang.gettext(RATING[ratings[c.code].rating.value])
            if c.code in ratings
            else "",
        }
        for c in report.capabilities
    ]


def action_rows(
    report: ReviewReport, directory: Directory, lang: PageLanguage, *, now: datetime
) -> list[dict[str, Any]]:
    """The improvement plan: each corrective action with its owner and its duty's status."""
    return [
        {
            "action": a,
            "capability": next(
                (
                    lang.pick(c.name_zh, c.name_en)
                    for c in report.capabilities
                    if c.code == a.capability
                ),
                a.capability,
            ),
            "owner": directory.organisation_name(a.owner_code, chinese=lang.is_chinese),
            "status": _status(report.action_duties.get(a.number), lang, now=now),
            "duty": report.action_duties.get(a.number),
            "risk_id": report.risk.id,
        }
        for a in report.actions
    ]


def review_context(
    report: ReviewReport, directory: Directory, lang: PageLanguage, *, now: datetime
) -> dict[str, Any]:
    """The template's context of one review (the page and the printable document)."""
    chinese = lang.is_chinese
    return {
        "report": report,
        "risk": report.risk,
        "region": directory.region_name(report.risk.region_code, chinese=chinese),
        "parties": [directory.organisation_name(code, chinese=chinese) for code in report.parties],
        **metrics_context(report.metrics, directory, lang),
        "timeline": history_rows(report.timeline[-TIMELINE_MAX:], directory, lang),
        "timeline_cut": len(report.timeline) > TIMELINE_MAX,
        "capabilities": capability_rows(report, lang),
        "cases": [case_row(c, directory, lang) for c in report.cases],
        "ratings_scale": [(code, lang.gettext(text)) for code, text in RATING.items()],
        "actions": action_rows(report, directory, lang, now=now),
    }


def _status(duty: DutyRecord | None, lang: PageLanguage, *, now: datetime) -> str:
    if duty is None:
        return ""
    return lang.gettext(DUTY_STATUS[duty.shown(now)])
