"""The documents panel, for templates that only have the submission (the step page)."""

from __future__ import annotations

from django import template

from evaluations.documents.selectors import DocumentPanel, document_panel
from evaluations.models import Submission

register = template.Library()


@register.simple_tag
def document_panel_for(submission: Submission) -> DocumentPanel:
    return document_panel(submission=submission)
