"""Forms of the second factor: a code typed from an authenticator app or a recovery code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from silahap.accounts import otp


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "autocorrect": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self) -> str:
        code = otp.normalise_code(self.cleaned_data["code"])
        if not code.isalnum():
            raise forms.ValidationError(_("Type the code with letters and digits only."))
        return code


class EnrolForm(CodeForm):
    def clean_code(self) -> str:
        code = super().clean_code()
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Type the 6-digit code your authenticator app shows."))
        return code
