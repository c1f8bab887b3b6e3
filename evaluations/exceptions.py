"""The domain refusals of evaluations: each carries a Chinese message for the user or the CLI."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class FiguresLocked(ValidationError):
    """Raised when figures of a submission that is not a draft (or returned) would change."""


class SubmissionError(ValidationError):
    """A domain refusal with a Chinese message for the user or the command line."""


class StaleVersion(SubmissionError):
    """Optimistic lock: the form was loaded from an older version than the stored one."""


class WorkflowError(SubmissionError):
    """A refused transition or review action; the message says why, in Chinese."""
