"""A metric as pages show it: its label, its value as read, its definition in the page's
language; the review of a risk and the review of a drill both list them so."""

from __future__ import annotations

from dataclasses import dataclass

from crossrisk.domain.evaluation.metrics import MINUTES, SHARE, Metric
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.review_labels import METRIC


@dataclass(frozen=True, slots=True)
class MetricRow:
    name: str
    label: str
    value: str
    definition: str
    detail: str


def metric_label(metric: Metric, lang: PageLanguage) -> str:
    return lang.gettext(METRIC.get(metric.name, metric.name))


def shown_value(metric: Metric, lang: PageLanguage) -> str:
    """The value as read: shares in per cent, minutes with their unit, none as a dash."""
    if metric.value is None:
        return "—"
    if metric.unit == SHARE:
        return f"{metric.value * 100:.0f}%"
    if metric.unit == MINUTES:
        unit = lang.gettext("min")
        return f"{metric.value:g} {unit}"
    return f"{metric.value:g}"


def metric_row(metric: Metric, lang: PageLanguage) -> MetricRow:
    return MetricRow(
        name=metric.name,
        label=metric_label(metric, lang),
        value=shown_value(metric, lang),
        definition=metric.definition_zh if lang.is_chinese else metric.definition,
        detail=metric.detail,
    )
