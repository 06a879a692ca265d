"""The key's hidden form field: made when the page is rendered, kept when it is re-rendered."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

OUT_OF_DATE = _("The page was out of date; check the form and send it again.")


class IdempotencyKeyField(forms.UUIDField):
    """The id the page generated for this create, so a retry or double tap is recognised."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "")
        super().__init__(required=True, **kwargs)


class IdempotentForm(forms.Form):
    """A create form: a fresh key on a new page, the same key on the page re-rendered after an
    error (so fixing and resending is still the same intent), a fresh one if it came without."""

    client_id = IdempotencyKeyField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_id", uuid.uuid4())

    def clean(self):
        cleaned = super().clean()
        if "client_id" in self._errors:
            # A page from before the key existed, or a hand-made request: say so above the form
            # (the field is hidden) and give the re-rendered page a key for its next send.
            del self._errors["client_id"]
            self.data = self.data.copy()
            self.data[self.add_prefix("client_id")] = str(uuid.uuid4())
            self.add_error(None, OUT_OF_DATE)
        return cleaned
