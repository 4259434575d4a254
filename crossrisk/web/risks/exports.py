"""The register and a risk's warnings as tables to take away (CSV and Excel)."""

from __future__ import annotations

from collections.abc import Iterable

from crossrisk.domain.register import EXPORT_MAX
from crossrisk.domain.risk import Risk
from crossrisk.web.shared.directory import Directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.tables import Table
from crossrisk.web.warnings.view import WarningRow


def register_table(
    risks: Iterable[Risk], *, directory: Directory, lang: PageLanguage, cut: bool
) -> Table:
    """The register's rows as the page lists them, with every column a reader sorts by."""
    _ = lang.gettext
    headers = [
        _("No."),
        _("Title"),
        _("Category"),
        _("Event level"),
        _("Status"),
        _("Likelihood"),
        _("Consequence"),
        _("Origin jurisdictions"),
        _("Region"),
        _("Registered by"),
        _("Registered"),
        _("Last change"),
        _("Version"),
    ]
    rows = []
    for risk in risks:
        origins = _(", ").join(
            directory.jurisdiction_name(code, chinese=lang.is_chinese) for code in risk.origin_codes
        )
        rows.append(
            [
                risk.id,
                risk.title,
                lang.category(risk.category),
                lang.level(risk.level),
                lang.status(risk.status),
                risk.likelihood,
                risk.consequence,
                origins,
                directory.region_name(risk.region_code, chinese=lang.is_chinese),
                risk.created_by,
                risk.created_at,
                risk.updated_at,
                risk.version,
            ]
        )
    note = (
        _("Cut at %(count)d risks; narrow the filters to export the rest.") % {"count": EXPORT_MAX}
        if cut
        else ""
    )
    return Table(title=_("Risk register"), headers=headers, rows=rows, note=note)


def warnings_table(risk: Risk, rows: Iterable[WarningRow], *, lang: PageLanguage) -> Table:
    """A risk's warnings, the newest message to each recipient, with their acknowledgements."""
    _ = lang.gettext
    headers = [
        _("Warning"),
        _("Recipient"),
        _("Warning level"),
        _("Message"),
        _("Status"),
        _("Issued"),
        _("Expected arrival"),
        _("Acknowledge by"),
        _("Acknowledged"),
        _("Acknowledged by"),
        _("Instructions"),
    ]
    table_rows = [
        [
            row.id,
            row.recipient_name,
            row.tag,
            row.message_label,
            row.status_label,
            row.issued_at,
            row.expected_arrival,
            row.ack_deadline,
            row.acknowledged_at,
            row.acknowledged_by,
            row.instructions,
        ]
        for row in rows
    ]
    title = _("Warnings of risk %(id)d") % {"id": risk.id}
    return Table(title=title, headers=headers, rows=table_rows)
