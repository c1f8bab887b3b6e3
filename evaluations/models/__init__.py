"""The models of evaluations, one module per room that writes them; the only re-export."""

from __future__ import annotations

from evaluations.exceptions import FiguresLocked
from evaluations.models.attachments import Attachment
from evaluations.models.campaigns import Campaign
from evaluations.models.documents import CampaignArchive, DocumentStatus, GeneratedDocument
from evaluations.models.fields import Amount, Count, Rate, Score, Yuan
from evaluations.models.notifications import Notification, ReminderSent
from evaluations.models.review import IndicatorReview, Transition
from evaluations.models.submissions import (
    WORKFLOW_FIELDS,
    AnalysisText,
    Claim,
    InspectionFinding,
    ManualDeduction,
    NewProject,
    Remedy,
    SpecialFund,
    Submission,
    SubmissionPart,
    Target,
    Transfer,
)

__all__ = [
    "Amount",
    "AnalysisText",
    "Attachment",
    "Campaign",
    "CampaignArchive",
    "Claim",
    "Count",
    "DocumentStatus",
    "FiguresLocked",
    "GeneratedDocument",
    "IndicatorReview",
    "InspectionFinding",
    "ManualDeduction",
    "NewProject",
    "Notification",
    "Rate",
    "Remedy",
    "ReminderSent",
    "Score",
    "SpecialFund",
    "Submission",
    "SubmissionPart",
    "Target",
    "Transfer",
    "Transition",
    "WORKFLOW_FIELDS",
    "Yuan",
]
