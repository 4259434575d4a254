"""`crossrisk shortfall RISK`: a risk's shortfall printed, or written as an Excel workbook."""

from __future__ import annotations

from pathlib import Path

import click

from crossrisk.cli.support import fail, now, settings_or_fail, uow_for
from crossrisk.domain.organisation import system_actor
from crossrisk.locale import translations
from crossrisk.services import shortfall as shortfall_service
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.services.shortfall import ShortfallContext
from crossrisk.web.aid import shortfall_view
from crossrisk.web.shared.i18n import LOCALES, PageLanguage

RISK_MAX = 2**31 - 1


@click.command("shortfall")
@click.argument("risk", type=click.IntRange(1, RISK_MAX))
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write an Excel workbook."
)
@click.option("--lang", type=click.Choice(["zh_CN", "en"]), default="zh_CN", show_default=True)
@click.option("--displaced-share", type=float, default=None, help="0 to 1 (default: the factors')")
@click.option("--days", type=int, default=None, help="1 to 365 (default: the factors')")
def shortfall(
    risk: int, out: Path | None, lang: str, displaced_share: float | None, days: int | None
) -> None:
    """A risk's shortfall per member city and for the region (短缺测算)."""
    settings = settings_or_fail()
    report = shortfall_service.risk_shortfall(
        uow_for(settings),
        system_actor("cli"),
        risk,
        displaced_share=displaced_share,
        days=days,
        context=ShortfallContext.of(settings),
        now=now(),
    )
    language = PageLanguage(LOCALES[lang], translations(lang))
    catalogue = aid_catalogue()
    if out is not None:
        try:
            out.write_bytes(shortfall_view.workbook(report, language, catalogue))
        except OSError as error:
            fail(f"cannot write {out}: {error.strerror}")
        click.echo(f"wrote {out}")
        return
    click.echo(shortfall_view.source_note(report, language))
    click.echo("\t".join(shortfall_view.headers(language)))
    for row in shortfall_view.rows(report, language, catalogue):
        cells = [
            row.code,
            row.name,
            row.item,
            row.unit,
            f"{row.need:.0f}",
            f"{row.stock:.0f}",
            "" if row.kept is None else f"{row.kept:.0f}",
            f"{row.shortfall:.0f}",
            "" if row.cover is None else f"{row.cover:.0f}",
            "" if row.cover_hours is None else f"{row.cover_hours:.1f}",
            row.donors,
            "" if row.lacks is None else f"{row.lacks:.0f}",
            "stale" if row.stale else "",
        ]
        click.echo("\t".join(cells))
