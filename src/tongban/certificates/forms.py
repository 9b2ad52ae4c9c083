"""Forms of the certificate pages and the kiosk; they only parse, services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.accounts.constants import PERSON_DOCUMENT_CHOICES
from tongban.records.constants import InsuranceType

from .kinds import CertificateKind, Language2

MAX_NUMBER = 40
LANGUAGE_CHOICES = [("", _("Chinese only")), *Language2.choices]


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Certificate"), choices=CertificateKind.choices)
    language2 = forms.ChoiceField(
        label=_("Second language"), choices=LANGUAGE_CHOICES, required=False
    )
    holder = forms.ChoiceField(label=_("About"), required=False)
    period_start = forms.CharField(
        label=_("From (month)"),
        required=False,
        max_length=7,
        help_text=_("YYYY-MM; leave both months empty for everything on record."),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2024-01"}),
    )
    period_end = forms.CharField(
        label=_("To (month)"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-12"}),
    )
    insurance_type = forms.ChoiceField(
        label=_("Insurance type (social insurance only)"),
        choices=[("", _("All insurance types")), *InsuranceType.choices],
        required=False,
    )

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Values are keyed-hash prefixes: the page never carries a full identifier.
        self.subjects = {subject.lookup_hash[:20]: subject for subject, _label in subjects}
        self.fields["holder"].choices = [("", _("Choose for me"))] + [
            (subject.lookup_hash[:20], label) for subject, label in subjects
        ]

    def subject(self):
        return self.subjects.get(self.cleaned_data.get("holder") or "")

    def scope(self) -> dict:
        """The period and insurance type asked for, as the service takes them."""
        data = self.cleaned_data
        insurance_type = data.get("insurance_type") or None
        if data.get("kind") != CertificateKind.SOCIAL_INSURANCE:
            insurance_type = None  # the field applies to one kind; others ignore it
        return {
            "period": (data.get("period_start") or None, data.get("period_end") or None),
            "insurance_type": insurance_type,
        }


class RevokeForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=32)
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class KioskIdentifyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Identity document"), choices=PERSON_DOCUMENT_CHOICES)
    number = forms.CharField(label=_("Document number"), max_length=MAX_NUMBER)


class KioskCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from the text message"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("The code has 6 digits.")},
    )


class KioskChooseForm(forms.Form):
    kind = forms.ChoiceField(choices=CertificateKind.choices)
    language2 = forms.ChoiceField(choices=LANGUAGE_CHOICES, required=False)
