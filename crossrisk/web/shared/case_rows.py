"""An accountability case as lists show it (the cases page, a risk's page)."""

from __future__ import annotations

from typing import Any

from crossrisk.domain.accountability.case import Case
from crossrisk.web.shared.case_labels import CASE_KIND, CASE_OUTCOME, CASE_STATE
from crossrisk.web.shared.directory import Directory
from crossrisk.web.shared.i18n import PageLanguage


def case_row(case: Case, directory: Directory, lang: PageLanguage) -> dict[str, Any]:
    """One case as lists show it, in the page's language."""
    return {
        "id": case.id,
        "kind": case.kind.value,
        "kind_label": lang.gettext(CASE_KIND[case.kind]),
        "state": case.state.value,
        "state_label": lang.gettext(CASE_STATE[case.state]),
        "outcome_label": lang.gettext(CASE_OUTCOME[case.outcome]) if case.outcome else "",
        "party": directory.organisation_name(case.party, chinese=lang.is_chinese),
        "risk_id": case.risk_id,
        "drill_id": case.drill_id,
        "opened_at": case.opened_at,
    }
