"""The organisations that carry duties in a region: its committee, offices and cities."""

from __future__ import annotations

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.organisation import OrganisationKind
from crossrisk.domain.responsibility import RegionBodies
from crossrisk.store.uow import Transaction


def region_bodies(tx: Transaction, region_code: str) -> RegionBodies:
    """The organisations that carry duties in a region (within an open tx)."""
    # The cached geo context knows the members; loading them would parse every boundary.
    members = set(tx.regions.geo(region_code).index.codes)
    organisations = tx.organisations.all()
    committee = next(
        (
            o.code
            for o in organisations
            if o.kind is OrganisationKind.COORDINATION_BODY and o.region_code == region_code
        ),
        None,
    )
    central = next(
        (o.code for o in organisations if o.kind is OrganisationKind.CENTRAL_OFFICE), None
    )
    if committee is None or central is None:
        raise InvalidInput(
            f"region {region_code} has no coordination body or central office loaded"
        )
    return RegionBodies(
        coordination_body=committee,
        domain_offices={
            o.category: o.code
            for o in organisations
            if o.kind is OrganisationKind.DOMAIN_OFFICE
            and o.region_code == region_code
            and o.category
        },
        central_office=central,
        jurisdiction_organisations={
            o.jurisdiction_code: o.code
            for o in organisations
            if o.kind is OrganisationKind.JURISDICTION and o.jurisdiction_code in members
        },
    )
