"""The journal as people read it: rows of the browser table and of its exports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from starlette.requests import Request

from crossrisk.domain.journal import JournalEntry, canonical_json
from crossrisk.domain.journal_search import PAGE_MAX, JournalQuery, parse_journal_query
from crossrisk.web.shared.directory import Directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.shared.tables import Cell, Table

# Query-string names of the browser's filters.
FIELDS = ("subject", "organisation", "action", "since", "until")
SUMMARY_MAX = 240


@dataclass(frozen=True, slots=True)
class EntryRow:
    """One journal entry with its organisation's name and a short form of its payload."""

    seq: int
    at: datetime
    actor: str
    actor_name: str  # the display name pages show; the username stays in exports
    organisation: str
    organisation_name: str
    action: str
    action_label: str
    subject: str
    subject_url: str | None
    summary: str
    payload: str
    hash: str


def chosen(request: Request) -> dict[str, str]:
    """The filters in the query string, each cut to a sane length."""
    return {name: request.query_params.get(name, "")[:200] for name in FIELDS}


def read_query(request: Request, *, limit_max: int | None = None) -> JournalQuery:
    """The journal search the query string asks for."""
    given = chosen(request)
    return parse_journal_query(
        subject=given["subject"],
        organisation=given["organisation"],
        action=given["action"],
        since=given["since"],
        until=given["until"],
        limit=request.query_params.get("limit", "")[:10],
        before=request.query_params.get("before", "")[:20],
        limit_max=PAGE_MAX if limit_max is None else limit_max,
    )


def entry_rows(
    entries: Iterable[JournalEntry], *, directory: Directory, lang: PageLanguage
) -> list[EntryRow]:
    """Journal entries as the browser and the exports show them."""
    rows = []
    for entry in entries:
        payload = canonical_json(entry.payload)
        summary = payload if len(payload) <= SUMMARY_MAX else payload[: SUMMARY_MAX - 1] + "…"
        rows.append(
            EntryRow(
                seq=entry.seq,
                at=entry.at,
                actor=entry.actor,
                actor_name=directory.actor_name(entry.actor, lang),
                organisation=entry.organisation,
                organisation_name=directory.organisation_name(
                    entry.organisation, chinese=lang.is_chinese
                ),
                action=entry.action,
                action_label=lang.action(entry.action),
                subject=entry.subject,
                subject_url=subject_url(entry),
                summary=summary,
                payload=payload,
                hash=entry.hash,
            )
        )
    return rows


def subject_url(entry: JournalEntry) -> str | None:
    """The page of the record an entry is about, where there is one."""
    kind, _, key = entry.subject.partition(":")
    if kind == "risk" and key.isdigit():
        return f"/risks/{key}"
    risk_id = entry.payload.get("risk_id")
    if kind == "warning" and isinstance(risk_id, int):
        return f"/risks/{risk_id}#warnings"
    return None


def journal_table(rows: Iterable[EntryRow], *, lang: PageLanguage, cut: bool) -> Table:
    """A journal extract: every column of each entry, its payload as canonical JSON."""
    _ = lang.gettext
    headers = [
        _("Entry"),
        _("Time"),
        _("Officer"),
        _("Organisation"),
        _("Organisation code"),
        _("Action"),
        _("Action code"),
        _("Subject"),
        _("Content"),
        _("Hash"),
    ]
    table_rows: list[list[Cell]] = [
        [
            row.seq,
            row.at,
            row.actor,
            row.organisation_name,
            row.organisation,
            row.action_label,
            row.action,
            row.subject,
            row.payload,
            row.hash,
        ]
        for row in rows
    ]
    note = _("Cut at the newest entries; narrow the filters to export the rest.") if cut else ""
    return Table(title=_("Journal"), headers=headers, rows=table_rows, note=note)
