"""ORM rows; repositories translate them to domain values."""

from crossrisk.store.models.analysis import RiskAnalysisRow
from crossrisk.store.models.base import Base
from crossrisk.store.models.journal import JournalEntryRow, JournalHeadRow
from crossrisk.store.models.organisation import ApiTokenRow, OrganisationRow, UserRow
from crossrisk.store.models.region import (
    AdjacencyRow,
    JurisdictionRow,
    RegionMemberRow,
    RegionRow,
    SurroundingRow,
)
from crossrisk.store.models.risk import RiskOriginRow, RiskRow

__all__ = [
    "AdjacencyRow",
    "ApiTokenRow",
    "Base",
    "JournalEntryRow",
    "JournalHeadRow",
    "JurisdictionRow",
    "OrganisationRow",
    "RegionMemberRow",
    "RegionRow",
    "RiskAnalysisRow",
    "RiskOriginRow",
    "RiskRow",
    "SurroundingRow",
    "UserRow",
]
