"""The verification page's GET form: a typed code, or the token from a scanned QR code."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .codes import InvalidCode, normalise_code
from .signing import MAX_TOKEN_LENGTH

MAX_TYPED_CODE = 40


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        required=False,
        max_length=MAX_TYPED_CODE,
        help_text=_("12 letters and digits, printed next to the QR code, e.g. 7K2M-9QXD-4HTP."),
        error_messages={
            "max_length": _("A verification code has 12 characters; this is far too long.")
        },
    )
    t = forms.CharField(required=False, max_length=MAX_TOKEN_LENGTH, widget=forms.HiddenInput)

    def clean_code(self) -> str:
        typed = self.cleaned_data.get("code", "")
        if not typed.strip():
            return ""
        try:
            return normalise_code(typed)
        except InvalidCode as problem:
            raise ValidationError(problem.message, code="invalid_code") from None

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("code") and not cleaned.get("t"):
            self.add_error("code", _("Enter the verification code printed on the document."))
        return cleaned
