"""Who may do what (DESIGN §1): permissions follow from the actor's organisation.

A city writes only its own records and reads what its regions share; a coordination
body reads and acts for its member cities; the central office reads and acts everywhere;
an evaluator reads and files third-party assessments of its region's members. A viewer
reads what its organisation reads and changes nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from crossrisk.domain.cap_sender import own_cap_sender
from crossrisk.domain.errors import NotPermitted
from crossrisk.domain.organisation import (
    Actor,
    Organisation,
    OrganisationKind,
    Role,
    province_code,
)

# Every predicate of who may do what lives here; services enforce them and pages use them
# to show or hide what a user can do, so the two can never disagree.


def reads_everything(actor: Actor) -> bool:
    """True for the central office and the platform itself, which read every region."""
    return actor.kind in (OrganisationKind.CENTRAL_OFFICE, OrganisationKind.SYSTEM)


def readable_regions(actor: Actor) -> list[str] | None:
    """The regions whose records the actor reads, sorted; None for all of them."""
    return None if reads_everything(actor) else sorted(actor.region_codes)


def regions_to_list(actor: Actor, region_code: str | None) -> list[str] | None:
    """The regions a listing covers: the one asked for (refused unless readable), else all
    the actor reads (None: every region)."""
    if region_code is None:
        return readable_regions(actor)
    require_read_region(actor, region_code)
    return [region_code]


def can_read_region(actor: Actor, region_code: str) -> bool:
    """True when the actor may read records of the region."""
    return reads_everything(actor) or region_code in actor.region_codes


def province_covers(actor: Actor, jurisdiction_code: str) -> bool:
    """True when the actor is the province the jurisdiction lies in.

    A province reads the records of the regions its cities belong to, like a city, and
    its inbox holds the warnings to its own cities.
    """
    return (
        actor.kind is OrganisationKind.PROVINCE
        and actor.jurisdiction_code is not None
        and actor.jurisdiction_code != jurisdiction_code
        and province_code(jurisdiction_code) == actor.jurisdiction_code
    )


def can_change_risk(actor: Actor, *, region_code: str, origin_codes: Iterable[str]) -> bool:
    """True when the actor may register or change a risk with these origin jurisdictions.

    The origin jurisdiction leads (发生地为主): its officers, the coordination body of the
    region and the central office may change the risk; affected cities only read it.
    """
    if actor.role is not Role.OFFICER:
        return False
    match actor.kind:
        case OrganisationKind.CENTRAL_OFFICE | OrganisationKind.SYSTEM:
            return True
        case OrganisationKind.COORDINATION_BODY:
            return region_code in actor.region_codes
        case OrganisationKind.JURISDICTION:
            return region_code in actor.region_codes and actor.jurisdiction_code in set(
                origin_codes
            )
        case _:
            return False


def can_coordinate(actor: Actor, region_code: str) -> bool:
    """True for the region's coordination body and the central office (confirm, name a lead)."""
    if actor.role is not Role.OFFICER:
        return False
    if reads_everything(actor):
        return True
    return actor.kind is OrganisationKind.COORDINATION_BODY and region_code in actor.region_codes


def can_warn(actor: Actor, *, region_code: str, origin_codes: Iterable[str]) -> bool:
    """True for whoever leads the risk and its coordination body: they issue and lift warnings."""
    return can_change_risk(
        actor, region_code=region_code, origin_codes=origin_codes
    ) or can_coordinate(actor, region_code)


def can_acknowledge(actor: Actor, recipient_organisation: str) -> bool:
    """True for an officer of the organisation a warning is addressed to."""
    return actor.role is Role.OFFICER and actor.organisation.code == recipient_organisation


def can_waive_duty(actor: Actor, region_code: str) -> bool:
    """True for the region's coordination body and the central office: they release duties."""
    return can_coordinate(actor, region_code)


def can_report_on_risk(actor: Actor, *, origin_codes: Iterable[str]) -> bool:
    """True for an officer of an origin city: it handles the hazard and reports (发生地为主)."""
    return (
        actor.role is Role.OFFICER
        and actor.kind is OrganisationKind.JURISDICTION
        and actor.jurisdiction_code in set(origin_codes)
    )


def can_send_cap(actor: Actor) -> bool:
    """True for the kinds of account that may deliver CAP alerts to the platform at all."""
    return actor.role is Role.OFFICER and actor.kind in (
        OrganisationKind.SYSTEM,
        OrganisationKind.CENTRAL_OFFICE,
        OrganisationKind.COORDINATION_BODY,
        OrganisationKind.JURISDICTION,
    )


def can_feed_any(actor: Actor) -> bool:
    """True for the kinds of account that may send observations at all."""
    return actor.role is Role.OFFICER and actor.kind in (
        OrganisationKind.SYSTEM,
        OrganisationKind.COORDINATION_BODY,
        OrganisationKind.JURISDICTION,
    )


def can_feed_station(actor: Actor, *, region_code: str, jurisdiction_code: str) -> bool:
    """The platform's own accounts, the region's coordination body and the station's city."""
    if not can_feed_any(actor):
        return False
    match actor.kind:
        case OrganisationKind.SYSTEM:
            return True
        case OrganisationKind.COORDINATION_BODY:
            return actor.organisation.region_code == region_code
        case _:
            return actor.jurisdiction_code == jurisdiction_code


def can_manage_stations(actor: Actor, region_code: str) -> bool:
    """The operator and the region's coordination body add and change stations."""
    return _operator_or_committee_of(actor, region_code)


def can_read_refusals(actor: Actor) -> bool:
    """Those who run monitoring networks read the refused-observation counts."""
    return actor.kind in (
        OrganisationKind.SYSTEM,
        OrganisationKind.CENTRAL_OFFICE,
        OrganisationKind.COORDINATION_BODY,
    )


def can_configure_channels(
    actor: Actor, organisation: Organisation, region_codes: Collection[str]
) -> bool:
    """True for the operator, the organisation's own officers and its region's coordination body.

    region_codes are the regions the organisation belongs to.
    """
    if actor.role is not Role.OFFICER:
        return False
    if actor.kind is OrganisationKind.SYSTEM:
        return True
    if actor.organisation.code == organisation.code:
        return True
    return actor.kind is OrganisationKind.COORDINATION_BODY and any(
        code in actor.region_codes for code in region_codes
    )


def can_see_channel_addresses(
    actor: Actor, organisation: Organisation, region_codes: Collection[str]
) -> bool:
    """True for whoever may see where an organisation's warnings go: itself and its configurers.

    A webhook URL, an e-mail address or a topic tells an outsider where to knock, so a
    city reading the deliveries of a warning sees other organisations' only as a status.
    """
    if actor.organisation.code == organisation.code or actor.kind is OrganisationKind.SYSTEM:
        return True
    return actor.kind is OrganisationKind.COORDINATION_BODY and any(
        code in actor.region_codes for code in region_codes
    )


def require_coordinate(actor: Actor, region_code: str) -> None:
    """Refuse unless the actor coordinates the region."""
    if not can_coordinate(actor, region_code):
        raise NotPermitted(
            f"only the coordination body of {region_code} or the central office may do this",
            key="not-coordinator",
            params={"region": region_code},
        )


def require_read_region(actor: Actor, region_code: str) -> None:
    """Refuse unless the actor may read the region's records."""
    if not can_read_region(actor, region_code):
        raise NotPermitted(
            f"{actor.organisation.code} may not read records of {region_code}",
            key="region-not-readable",
            params={"organisation": actor.organisation.code, "region": region_code},
        )


def require_change_risk(actor: Actor, *, region_code: str, origin_codes: Iterable[str]) -> None:
    """Refuse unless the actor may change a risk with these origins."""
    codes = tuple(origin_codes)
    if not can_change_risk(actor, region_code=region_code, origin_codes=codes):
        where = ", ".join(codes) or region_code
        raise NotPermitted(
            f"{actor.organisation.code} ({actor.role}) may not change a risk "
            f"whose origin is {where}",
            key="risk-change-not-permitted",
            # Codes, not names: pages name them in their own language from the directory.
            params={"organisation": actor.organisation.code, "origins": codes},
        )


def require_operator(actor: Actor) -> None:
    """Refuse platform set-up work (regions, users) to anyone but the operator."""
    if actor.kind is not OrganisationKind.SYSTEM:
        raise NotPermitted("only the platform operator may do this")


def can_manage_cap_senders(actor: Actor, region_code: str) -> bool:
    """The operator and the region's committee register CAP senders and feeds for it."""
    return _operator_or_committee_of(actor, region_code)


def _operator_or_committee_of(actor: Actor, region_code: str) -> bool:
    """An officer of the platform itself or of the region's own coordination body."""
    if actor.role is not Role.OFFICER:
        return False
    if actor.kind is OrganisationKind.SYSTEM:
        return True
    return (
        actor.kind is OrganisationKind.COORDINATION_BODY
        and actor.organisation.region_code == region_code
    )


def can_read_cap_senders(actor: Actor, region_code: str) -> bool:
    """Every account of the region reads who may send it CAP alerts (viewers too)."""
    return can_read_region(actor, region_code)


def can_deliver_cap_sender(
    actor: Actor,
    *,
    sender_id: str,
    registered: bool,
    organisations: Collection[str] = (),
    feeds: Collection[int] = (),
    feed_id: int | None = None,
) -> bool:
    """True when the caller may deliver alerts naming this sender.

    A feed delivers only the registered senders it was allowed; an account its
    organisation's own sender and the registered senders its organisation was allowed;
    the operator (`cap import`) any registered sender, since a person with the keys to
    the platform chose the file. `organisations` and `feeds` are whom the registry allows.
    """
    if feed_id is not None:
        return registered and feed_id in feeds
    if not can_send_cap(actor):
        return False
    if actor.kind is OrganisationKind.SYSTEM:
        return registered
    if registered:
        return actor.organisation.code in organisations
    return sender_id == own_cap_sender(actor.organisation)


def require_manage_cap_senders(actor: Actor, region_code: str) -> None:
    """Refuse unless the actor registers CAP senders and feeds for the region."""
    if not can_manage_cap_senders(actor, region_code):
        raise NotPermitted(
            f"only the coordination body of {region_code} or the operator registers its "
            "CAP senders and feeds",
            key="cap-senders-not-permitted",
        )


def can_manage_users(
    actor: Actor, organisation: Organisation, region_codes: Collection[str]
) -> bool:
    """The operator, the organisation's own administrators and its committee's administrators.

    region_codes are the regions the organisation belongs to. An administrator who is only
    a viewer changes nothing, accounts included.
    """
    if actor.kind is OrganisationKind.SYSTEM:
        return True
    if not actor.admin or actor.role is not Role.OFFICER:
        return False
    if actor.organisation.code == organisation.code:
        return True
    return (
        actor.kind is OrganisationKind.COORDINATION_BODY
        and actor.organisation.region_code is not None
        and actor.organisation.region_code in region_codes
    )


def require_manage_users(
    actor: Actor, organisation: Organisation, region_codes: Collection[str]
) -> None:
    """Refuse unless the actor manages the organisation's accounts."""
    if not can_manage_users(actor, organisation, region_codes):
        raise NotPermitted(
            f"{actor.organisation.code} ({actor.role}) may not manage the users of "
            f"{organisation.code}",
            key="users-not-permitted",
            params={"organisation": organisation.code},
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


# Mutual aid (DESIGN §3.5): a city asks for itself, the committee for any member; other
# members' officers offer; the committee or the requester accepts; the donor dispatches;
# the requester (or the committee) records what arrived.


def can_request_aid(actor: Actor, *, region_code: str, jurisdiction_code: str) -> bool:
    """True for the city's own officers, and the region's committee or the central office."""
    if actor.role is not Role.OFFICER:
        return False
    if can_coordinate(actor, region_code):
        return True
    return (
        actor.kind is OrganisationKind.JURISDICTION
        and region_code in actor.region_codes
        and actor.jurisdiction_code == jurisdiction_code
    )


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


# Governance agreements (DESIGN §3.1): the committee drafts and amends; each party's own
# officer signs for it (a viewer reads, never signs); whoever reads the region reads them.


def can_draft_agreement(actor: Actor, region_code: str) -> bool:
    """True for the region's coordination body and the central office."""
    return can_coordinate(actor, region_code)


def can_sign_agreement(actor: Actor, organisation_code: str) -> bool:
    """True for an officer of the organisation that signs."""
    return actor.role is Role.OFFICER and actor.organisation.code == organisation_code


def can_switch_region_state(actor: Actor, region_code: str) -> bool:
    """True only for an officer of the region's coordination body: the committee declares
    its region's emergency state (DESIGN §3.11), not the central office or the platform."""
    return (
        actor.role is Role.OFFICER
        and actor.kind is OrganisationKind.COORDINATION_BODY
        and region_code in actor.region_codes
    )


def require_switch_region_state(actor: Actor, region_code: str) -> None:
    """Refuse unless the actor may switch the region between normal and emergency state."""
    if not can_switch_region_state(actor, region_code):
        raise NotPermitted(
            f"only an officer of the coordination body of {region_code} switches its state",
            key="region-state-not-committee",
            params={"region": region_code},
        )


def can_assess(actor: Actor, *, region_code: str, member_code: str) -> bool:
    """True for an officer of the region's evaluator (a third-party assessment) or of the
    member city itself (a self-assessment); nobody else files assessments."""
    if actor.role is not Role.OFFICER:
        return False
    if actor.kind is OrganisationKind.EVALUATOR:
        return actor.organisation.region_code == region_code
    return actor.kind is OrganisationKind.JURISDICTION and actor.organisation.code == member_code


# After-action reviews (DESIGN §1, §3.6): the region's evaluator files the capability
# ratings (a third party's assessment, never the parties' own); the committee draws up
# the improvement plan, whose corrective actions become duties of their owners.


def can_rate_review(actor: Actor, region_code: str) -> bool:
    """True for an officer of an evaluator serving the region."""
    return (
        actor.role is Role.OFFICER
        and actor.kind is OrganisationKind.EVALUATOR
        and actor.organisation.region_code == region_code
    )


def can_plan_corrective_actions(actor: Actor, region_code: str) -> bool:
    """True for the region's coordination body and the central office."""
    return can_coordinate(actor, region_code)


# Accountability cases (DESIGN §3.7): the committee (or the reviewer an agreement names)
# reviews and decides; an officer of the party files its statement; a case is read by the
# committee of its region, its party and its reviewer.


def can_review_case(actor: Actor, *, region_code: str, reviewer: str | None) -> bool:
    """True for the reviewer the procedure names, else the region's committee."""
    if reviewer is None:
        return can_coordinate(actor, region_code)
    return actor.role is Role.OFFICER and actor.organisation.code == reviewer


def can_file_statement(actor: Actor, party: str) -> bool:
    """True for an officer of the party the case is about: its right to a statement."""
    return actor.role is Role.OFFICER and actor.organisation.code == party


def can_read_case(actor: Actor, *, region_code: str, party: str, reviewer: str | None) -> bool:
    """True for the region's committee and the central office, the party and the reviewer."""
    if not can_read_region(actor, region_code):
        return False
    if reads_everything(actor) or (
        actor.kind is OrganisationKind.COORDINATION_BODY and region_code in actor.region_codes
    ):
        return True
    return actor.organisation.code in {party, reviewer}


# Trust (DESIGN §3.9): the committee supervises how its members' commitments and duties
# were resolved (vertical supervision); the central office reads but does not judge.


def can_supervise_trust(actor: Actor, region_code: str) -> bool:
    """True only for an officer of the region's coordination body."""
    return (
        actor.role is Role.OFFICER
        and actor.kind is OrganisationKind.COORDINATION_BODY
        and region_code in actor.region_codes
    )


# Compensation (DESIGN §3.8): a member's officer records its own costs and its own estimate
# of the loss it avoided; the committee records for any member, proposes and approves
# settlement statements and keeps the regional fund; any member proposes a statement of a
# risk it is a party to, so the committee sees the rules side by side.


def can_record_cost(actor: Actor, *, region_code: str, party: str) -> bool:
    """True for an officer of the member jurisdiction itself, and the region's committee."""
    if actor.role is not Role.OFFICER:
        return False
    if can_coordinate(actor, region_code):
        return True
    return (
        actor.kind is OrganisationKind.JURISDICTION
        and region_code in actor.region_codes
        and actor.jurisdiction_code == party
    )


def can_propose_settlement(actor: Actor, *, region_code: str, parties: Iterable[str]) -> bool:
    """True for the committee and an officer of a party to the risk's costs."""
    if can_coordinate(actor, region_code):
        return True
    return (
        actor.role is Role.OFFICER
        and actor.kind is OrganisationKind.JURISDICTION
        and region_code in actor.region_codes
        and actor.jurisdiction_code in set(parties)
    )


def can_settle(actor: Actor, region_code: str) -> bool:
    """True for the region's committee (and the central office): it approves a statement."""
    return can_coordinate(actor, region_code)


def can_keep_fund(actor: Actor, region_code: str) -> bool:
    """True for the region's committee (and the central office): the fund's book-keeper."""
    return can_coordinate(actor, region_code)
