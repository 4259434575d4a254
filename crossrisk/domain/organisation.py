"""Organisations, roles and the acting user (DESIGN §1)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OrganisationKind(StrEnum):
    JURISDICTION = "jurisdiction"  # a member city's emergency-management bureau
    COORDINATION_BODY = "coordination_body"  # the region's joint committee office
    DOMAIN_OFFICE = "domain_office"  # a category office inside the committee
    CENTRAL_OFFICE = "central_office"
    EVALUATOR = "evaluator"
    # A province's emergency management department: one level above its member cities. It
    # reads their risks and warnings and gets a copy of each level I or II warning to them
    # (Emergency Response Law 2024, Art. 64: 同时向上一级人民政府报告); it acknowledges nothing.
    PROVINCE = "province"
    SYSTEM = "system"  # the platform itself: set-up, data loads


class Role(StrEnum):
    OFFICER = "officer"  # acts for the organisation
    VIEWER = "viewer"  # reads what the organisation may read


@dataclass(frozen=True, slots=True)
class Organisation:
    code: str
    kind: OrganisationKind
    name_zh: str
    name_en: str
    jurisdiction_code: str | None = None
    region_code: str | None = None
    category: str | None = None  # domain offices: the risk category they follow


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting, with the facts permissions are decided on."""

    username: str
    organisation: Organisation
    role: Role
    # Regions whose records this actor's organisation reads: a city's regions, or the
    # region a coordination body or office serves.
    region_codes: frozenset[str] = frozenset()
    # An administrator manages the accounts of the organisation (and, for a coordination
    # body, of every organisation of its region); it is a flag beside the role, not a role,
    # so an administrator still acts (or only reads) as the role says.
    admin: bool = False
    display_name: str = ""

    @property
    def shown_name(self) -> str:
        """What pages call the user: the display name, else the username."""
        return self.display_name or self.username

    @property
    def kind(self) -> OrganisationKind:
        return self.organisation.kind

    @property
    def jurisdiction_code(self) -> str | None:
        return self.organisation.jurisdiction_code


def province_code(jurisdiction_code: str) -> str:
    """The province a jurisdiction lies in: GB/T 2260 codes begin with the province's two
    digits (330100 Hangzhou → 330000 Zhejiang)."""
    return jurisdiction_code[:2] + "0000"


def province_organisation_code(province: str) -> str:
    """The code of a province's organisation, like a city's: ema-330000."""
    return f"ema-{province}"


SYSTEM_ORGANISATION = Organisation(
    code="system",
    kind=OrganisationKind.SYSTEM,
    name_zh="平台",
    name_en="Platform",
)


def system_actor(username: str = "system") -> Actor:
    """The actor for set-up work done from the command line by the operator."""
    return Actor(username=username, organisation=SYSTEM_ORGANISATION, role=Role.OFFICER)
