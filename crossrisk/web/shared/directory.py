"""Names of jurisdictions and organisations, for pages that show codes to people."""

from __future__ import annotations

from dataclasses import dataclass, field

from crossrisk.domain.drills.drill import drilled_organisation
from crossrisk.domain.organisation import SYSTEM_ORGANISATION, Actor, Organisation
from crossrisk.domain.region import JurisdictionSummary, Region
from crossrisk.locale import N_
from crossrisk.services import regions, users
from crossrisk.services.warnings import DEADLINE_ACTOR
from crossrisk.services.worker import DETECTOR
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.shared.i18n import PageLanguage

# The platform's own processes that write to risks' records, named for officers.
PLATFORM_PROCESSES = {
    DEADLINE_ACTOR: N_("deadline watch"),
    DETECTOR: N_("accountability check"),
    "drill": N_("drill runner"),  # a drill started from the command line
    "cli": N_("command line"),  # the platform's operator at the command line
}


@dataclass(frozen=True, slots=True)
class Directory:
    """The readable regions with their member cities and organisations, by code."""

    regions: dict[str, Region] = field(default_factory=dict)
    jurisdictions: dict[str, JurisdictionSummary] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    # Display names by username: pages name people, not accounts.
    people: dict[str, str] = field(default_factory=dict)

    def person_name(self, username: str | None) -> str:
        """The display name of a user, or the username when it has none (or is unknown)."""
        if not username:
            return ""
        return self.people.get(username) or username

    def actor_name(self, username: str | None, lang: PageLanguage) -> str:
        """Who wrote an entry: a person's name, or the organisation a drill acted as."""
        if username in PLATFORM_PROCESSES:
            return lang.gettext(PLATFORM_PROCESSES[username])
        drilled = drilled_organisation(username or "")
        if drilled is None:
            return self.person_name(username)
        name = self.organisation_name(drilled, chinese=lang.is_chinese)
        return lang.gettext("%(organisation)s (drill)") % {"organisation": name}

    def jurisdiction_name(self, code: str, *, chinese: bool) -> str:
        """A jurisdiction's name, or its code when it is not a member of a readable region."""
        found = self.jurisdictions.get(code)
        if found is None:
            return code
        return found.name_zh if chinese else found.name_en

    def organisation_name(self, code: str, *, chinese: bool) -> str:
        """An organisation's name, or its code when the actor does not read it."""
        found = self.organisations.get(code)
        if found is None and code == SYSTEM_ORGANISATION.code:
            found = SYSTEM_ORGANISATION  # the platform's own work: set-up, the worker
        if found is None:
            return code
        return found.name_zh if chinese else found.name_en

    def region_name(self, code: str, *, chinese: bool) -> str:
        """A region's name, or its code when it is not readable."""
        found = self.regions.get(code)
        if found is None:
            return code
        return found.name_zh if chinese else found.name_en


def read_directory(
    uow: UnitOfWork, actor: Actor, *, region_codes: set[str] | None = None
) -> Directory:
    """Look up the regions the actor reads (or only those named) with their members."""
    directory = Directory()
    directory.organisations.update((o.code, o) for o in regions.organisations(uow, actor))
    directory.people.update(users.display_names(uow))
    for region in regions.readable_regions(uow, actor):
        if region_codes is not None and region.code not in region_codes:
            continue
        directory.regions[region.code] = region
        directory.jurisdictions.update(
            (member.code, member) for member in regions.region_summaries(uow, actor, region.code)
        )
    return directory
