"""ORM rows; repositories translate them to domain values."""

from crossrisk.store.models.account import LoginThrottleRow, SessionRow
from crossrisk.store.models.agreements import AgreementRow, AgreementSignatureRow
from crossrisk.store.models.aid import StockAdjustmentRow, StockRow
from crossrisk.store.models.aid_requests import (
    AidOfferLineRow,
    AidOfferRow,
    AidRequestLineRow,
    AidRequestRow,
    CommitmentRow,
    ShipmentRow,
)
from crossrisk.store.models.aid_resources import EquipmentRow, ShelterRow, TeamRow
from crossrisk.store.models.allocations import AllocationLineRow, AllocationRow
from crossrisk.store.models.analysis import RiskAnalysisRow
from crossrisk.store.models.annual import AnnualItemRow
from crossrisk.store.models.assessments import AssessmentRow
from crossrisk.store.models.base import Base
from crossrisk.store.models.cap_sender import (
    CapFeedEntryRow,
    CapFeedRow,
    CapSenderDelivererRow,
    CapSenderRow,
)
from crossrisk.store.models.cases import CaseRow
from crossrisk.store.models.checkpoint import JournalCheckpointRow
from crossrisk.store.models.compensation import (
    CostEvidenceRow,
    CostLineRow,
    FundMovementRow,
    InKindDeliveryRow,
    LossAvoidedRow,
    SettlementRow,
)
from crossrisk.store.models.delivery import (
    DeliveryAttemptRow,
    DeliveryChannelRow,
    DeliveryMessageRow,
    DeliveryRow,
)
from crossrisk.store.models.demand_factors import DemandFactorSetRow
from crossrisk.store.models.drill import DrillRow
from crossrisk.store.models.duty import DutyRow
from crossrisk.store.models.journal import JournalEntryRow, JournalHeadRow
from crossrisk.store.models.meetings import MeetingDecisionRow, MeetingInvitationRow, MeetingRow
from crossrisk.store.models.monitoring import (
    FiringRow,
    ObservationRow,
    RefusedObservationCountRow,
    StationRow,
)
from crossrisk.store.models.organisation import ApiTokenRow, OrganisationRow, UserRow
from crossrisk.store.models.plans import ContingencyPlanRow, PlanActivationRow
from crossrisk.store.models.received_alert import ReceivedAlertRow, ReceivedReferenceRow
from crossrisk.store.models.region import (
    AdjacencyRow,
    JurisdictionRow,
    RegionMemberRow,
    RegionRow,
    SurroundingRow,
)
from crossrisk.store.models.reviews import ReviewActionRow, ReviewRatingRow, ReviewRow
from crossrisk.store.models.risk import RiskOriginRow, RiskRow
from crossrisk.store.models.trust import TrustRatingRow, TrustSupervisionRow
from crossrisk.store.models.warning import WarningRow

__all__ = [
    "AdjacencyRow",
    "AgreementRow",
    "AgreementSignatureRow",
    "AidOfferLineRow",
    "AidOfferRow",
    "AidRequestLineRow",
    "AidRequestRow",
    "AllocationLineRow",
    "AllocationRow",
    "AnnualItemRow",
    "ApiTokenRow",
    "AssessmentRow",
    "Base",
    "CapFeedEntryRow",
    "CapFeedRow",
    "CapSenderDelivererRow",
    "CapSenderRow",
    "CaseRow",
    "CommitmentRow",
    "ContingencyPlanRow",
    "CostEvidenceRow",
    "CostLineRow",
    "DeliveryAttemptRow",
    "DeliveryChannelRow",
    "DeliveryMessageRow",
    "DeliveryRow",
    "DemandFactorSetRow",
    "DrillRow",
    "DutyRow",
    "EquipmentRow",
    "FiringRow",
    "FundMovementRow",
    "InKindDeliveryRow",
    "JournalCheckpointRow",
    "JournalEntryRow",
    "JournalHeadRow",
    "JurisdictionRow",
    "LoginThrottleRow",
    "LossAvoidedRow",
    "MeetingDecisionRow",
    "MeetingInvitationRow",
    "MeetingRow",
    "ObservationRow",
    "OrganisationRow",
    "PlanActivationRow",
    "ReceivedAlertRow",
    "ReceivedReferenceRow",
    "RefusedObservationCountRow",
    "RegionMemberRow",
    "RegionRow",
    "ReviewActionRow",
    "ReviewRatingRow",
    "ReviewRow",
    "RiskAnalysisRow",
    "RiskOriginRow",
    "RiskRow",
    "SessionRow",
    "SettlementRow",
    "ShelterRow",
    "ShipmentRow",
    "StationRow",
    "StockAdjustmentRow",
    "StockRow",
    "SurroundingRow",
    "TeamRow",
    "TrustRatingRow",
    "TrustSupervisionRow",
    "UserRow",
    "WarningRow",
]
