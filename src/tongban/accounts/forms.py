"""Forms of the accounts pages: shape and length only; the services judge the rest."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tongban.accounts.applicants import ADDRESS_MAX, NAME_EN_MAX, NAME_ZH_MAX
from tongban.accounts.constants import (
    PERSON_DOCUMENT_CHOICES,
    AuthorisationScope,
    CompanyIdentifierKind,
    ConsentPurpose,
    Region,
)
from tongban.accounts.user import Language

NUMBER_MAX = 40
PHONE_MAX = 30
NO_DOCUMENT = [("", _("— none —"))]


def live_checked(kind_field: str) -> forms.TextInput:
    """A number input that accounts/live-check.js checks as it is typed (a hint only)."""
    return forms.TextInput(
        attrs={
            "data-identifier-kind": kind_field,
            "data-valid-text": _("Recognised: %s"),
            "autocomplete": "off",
            "spellcheck": "false",
        }
    )


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Puts a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ProfileForm(forms.Form):
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=NAME_ZH_MAX, required=False)
    name_en = forms.CharField(
        label=_("Name in English (as on your identity card)"),
        max_length=NAME_EN_MAX,
        required=False,
    )
    phone_region = forms.ChoiceField(
        label=_("Phone number of"), choices=Region.choices, initial=Region.HONG_KONG
    )
    phone = forms.CharField(label=_("Phone"), max_length=PHONE_MAX, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=Language.choices, initial=Language.ZH_HANT
    )
    address_region = forms.ChoiceField(
        label=_("Address in"), choices=[("", _("— choose —")), *Region.choices], required=False
    )
    address_lines = forms.CharField(
        label=_("Postal address"),
        max_length=ADDRESS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            not (cleaned.get("name_zh") or "").strip()
            and not (cleaned.get("name_en") or "").strip()
        ):
            raise ValidationError(_("Enter a name in Chinese or in English."))
        return cleaned


class SignUpProfileForm(ProfileForm):
    """The first profile, with the identity documents the person holds (up to two here)."""

    document_kind = forms.ChoiceField(label=_("Identity document"), choices=PERSON_DOCUMENT_CHOICES)
    document_number = forms.CharField(
        label=_("Document number"), max_length=NUMBER_MAX, widget=live_checked("document_kind")
    )
    second_document_kind = forms.ChoiceField(
        label=_("Another identity document"),
        choices=NO_DOCUMENT + PERSON_DOCUMENT_CHOICES,
        required=False,
    )
    second_document_number = forms.CharField(
        label=_("Its number"),
        max_length=NUMBER_MAX,
        required=False,
        widget=live_checked("second_document_kind"),
    )

    def documents(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        documents = [(data["document_kind"], data["document_number"])]
        if data.get("second_document_kind") and data.get("second_document_number"):
            documents.append((data["second_document_kind"], data["second_document_number"]))
        return documents


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Identity document"), choices=PERSON_DOCUMENT_CHOICES)
    number = forms.CharField(label=_("Number"), max_length=NUMBER_MAX, widget=live_checked("kind"))
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class LookupForm(forms.Form):
    kind = forms.ChoiceField(label=_("Identity document"), choices=PERSON_DOCUMENT_CHOICES)
    number = forms.CharField(label=_("Number"), max_length=NUMBER_MAX, widget=live_checked("kind"))


class CompanyForm(forms.Form):
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=NAME_EN_MAX, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=NAME_EN_MAX, required=False)
    identifier_kind = forms.ChoiceField(
        label=_("Company number"), choices=CompanyIdentifierKind.choices
    )
    identifier = forms.CharField(
        label=_("Number"), max_length=NUMBER_MAX, widget=live_checked("identifier_kind")
    )
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=NAME_EN_MAX, required=False
    )


class AuthoriseForm(forms.Form):
    """Names the colleague by an identity document they registered with."""

    kind = forms.ChoiceField(label=_("Their identity document"), choices=PERSON_DOCUMENT_CHOICES)
    number = forms.CharField(
        label=_("Its number"), max_length=NUMBER_MAX, widget=live_checked("kind")
    )
    scopes = forms.MultipleChoiceField(
        label=_("They may"),
        choices=AuthorisationScope.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    valid_until = forms.DateTimeField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=ConsentPurpose.choices, widget=forms.HiddenInput)
    text_version = forms.CharField(max_length=32, widget=forms.HiddenInput)
    language = forms.ChoiceField(choices=Language.choices, widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    purpose = forms.ChoiceField(choices=ConsentPurpose.choices, widget=forms.HiddenInput)


class DeletionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that my account will be closed and my data deleted, except what "
            "the law requires the departments to keep."
        )
    )


class CounterRegistrationForm(SignUpProfileForm):
    """A clerk registers the person in front of them, who has no online account."""

    zone = forms.ModelChoiceField(label=_("Registered at"), queryset=None, empty_label=None)

    def __init__(self, *args, zones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = zones
