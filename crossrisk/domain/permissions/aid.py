"""Who keeps and reads base information, and who acts on mutual aid (DESIGN §3.5).

A city asks for itself, the committee for any member; other members' officers offer; the
committee or the requester accepts; the donor dispatches; the requester (or the committee)
records what arrived.
"""

from __future__ import annotations

from crossrisk.domain.organisation import Actor, OrganisationKind, Role
from crossrisk.domain.permissions.regions import (
    can_act_for_member,
    can_coordinate,
    reads_everything,
)


def can_keep_base_information(actor: Actor, *, region_code: str, jurisdiction_code: str) -> bool:
    """True when the actor may write a jurisdiction's stocks, teams, equipment and shelters.

    The city keeps its own records; the coordination body and the central office may enter
    them on its behalf (a city without its own officer on duty, an import they checked).
    """
    if actor.role is not Role.OFFICER:
        return False
    if can_coordinate(actor, region_code):
        return True
    return (
        actor.kind is OrganisationKind.JURISDICTION
        and region_code in actor.region_codes
        and actor.jurisdiction_code == jurisdiction_code
    )


def can_read_base_record(
    actor: Actor, *, region_code: str, jurisdiction_code: str, shared_region_wide: bool
) -> bool:
    """True when the actor sees a base-information record.

    A record shared region-wide is read by whoever reads the region; one kept for the
    committee only by its owner, the coordination body and the central office.
    """
    if reads_everything(actor):
        return True
    if region_code not in actor.region_codes:
        return False
    if shared_region_wide:
        return True
    return actor.kind is OrganisationKind.COORDINATION_BODY or (
        actor.jurisdiction_code == jurisdiction_code and actor.kind is OrganisationKind.JURISDICTION
    )


def can_request_aid(actor: Actor, *, region_code: str, jurisdiction_code: str) -> bool:
    """True for the city's own officers, and the region's committee or the central office."""
    return can_act_for_member(actor, region_code=region_code, jurisdiction_code=jurisdiction_code)


def can_approve_aid_request(actor: Actor, region_code: str) -> bool:
    """True for the region's coordination body and the central office."""
    return can_coordinate(actor, region_code)


def can_offer_aid(actor: Actor, *, region_code: str, donor_code: str) -> bool:
    """True for an officer of a member city offering its own resources.

    Whether the donor is the requester is a rule of the offer ("offer-by-requester"),
    checked apart so the refusal says so.
    """
    return (
        actor.role is Role.OFFICER
        and actor.kind is OrganisationKind.JURISDICTION
        and region_code in actor.region_codes
        and actor.jurisdiction_code == donor_code
    )


def can_accept_offer(actor: Actor, *, region_code: str, requester_code: str) -> bool:
    """True for the committee (or central office) and the requesting city's officers."""
    return can_request_aid(actor, region_code=region_code, jurisdiction_code=requester_code)


def can_dispatch(actor: Actor, *, region_code: str, donor_code: str) -> bool:
    """True only for the donor city's officers: they load the trucks."""
    return can_offer_aid(actor, region_code=region_code, donor_code=donor_code)


def can_receive(actor: Actor, *, region_code: str, requester_code: str) -> bool:
    """True for the requesting city's officers and the committee (or central office)."""
    return can_request_aid(actor, region_code=region_code, jurisdiction_code=requester_code)
