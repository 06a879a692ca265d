"""Why a person's record is opened: asked, or implied by where the user came from, and written
into the audit trail with every view (DESIGN.md §3; UU 27/2022 on personal data protection)."""

from __future__ import annotations

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class ViewPurpose(TextChoices):
    SUPERVISION = "supervision", _("Supervision of foreigners")
    FOLLOW_UP = "follow_up", _("Case handling or follow-up")
    PERMIT_VERIFICATION = "permit_verification", _("Stay permit verification")
    DATA_CORRECTION = "data_correction", _("Correcting or completing the record")
    DATA_SUBJECT_REQUEST = "data_subject_request", _("Request from the person themself (UU PDP)")
