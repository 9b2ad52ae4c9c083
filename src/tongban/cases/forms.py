"""Forms of the case pages: shape and length only; the services judge everything else."""

from __future__ import annotations

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tongban.accounts.constants import PERSON_DOCUMENT_CHOICES

from .constants import CaseStatus, DeliveryMethod, SpecialProcedure
from .lifecycle import MAX_TEXT

DETAILS_MAX = 4000


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(24)


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Puts a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


CONTACT_CHOICES = [
    ("email", _("E-mail")),
    ("sms", _("Text message (SMS)")),
    ("phone", _("Phone call")),
    ("post", _("Post")),
]


def draft_initial(case) -> dict:
    """The draft's saved answers; the contact preference defaults to a channel the person has
    (a walk-in with a phone and no e-mail address is contacted by SMS, not by nothing)."""
    person = case.applicant_person
    default = "email" if person.email else "sms" if person.phone else "post"
    return {"contact_preference": default, **(case.form_data or {})}


class StartForm(forms.Form):
    """Starting an application: the key makes a double click start one draft."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    company = forms.TypedChoiceField(
        label=_("Apply for"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, companies=(), for_persons=True, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Myself"))] if for_persons else []
        choices += [(company.pk, company.display_name) for company in companies]
        self.fields["company"].choices = choices
        if not companies:
            del self.fields["company"]


class DraftForm(forms.Form):
    details = forms.CharField(
        label=_("What you are applying for"),
        help_text=_("Anything the department needs to know: addresses, dates, reference numbers."),
        max_length=DETAILS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    contact_preference = forms.ChoiceField(
        label=_("How should we contact you about this application?"),
        choices=CONTACT_CHOICES,
    )


class UploadForm(forms.Form):
    requirement = forms.TypedChoiceField(label=_("Material"), coerce=int)
    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = [(m.pk, m.name) for m in materials]


class ConsentForm(forms.Form):
    text_version = forms.CharField(widget=forms.HiddenInput, max_length=20)
    agree = forms.BooleanField(label=_("I have read this text and I agree to it."))


class SubmitForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonsForm(NoteForm):
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    field_order = ["reasons", "note"]


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the extension"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SpecialProcedureForm(NoteForm):
    procedure = forms.ChoiceField(label=_("Procedure"), choices=SpecialProcedure.choices)
    field_order = ["procedure", "note"]


class SupplementForm(NoteForm):
    missing_requirements = forms.TypedMultipleChoiceField(
        label=_("Missing or unusable materials"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    missing_other = forms.CharField(
        label=_("Anything else missing (one per line)"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answer_within_days = forms.IntegerField(
        label=_("Working days to answer"), min_value=1, max_value=60, required=False
    )
    field_order = ["missing_requirements", "missing_other", "answer_within_days", "note"]

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missing_requirements"].choices = [(m.pk, m.name) for m in materials]

    def other_lines(self) -> list[str]:
        text = self.cleaned_data.get("missing_other") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class DeliverForm(NoteForm):
    method = forms.ChoiceField(
        label=_("How the result was delivered"),
        choices=[("", _("As the applicant chose")), *DeliveryMethod.choices],
        required=False,
    )
    tracking_number = forms.CharField(label=_("EMS tracking number"), max_length=20, required=False)
    zone = forms.TypedChoiceField(
        label=_("Zone (for collection at a counter)"), coerce=int, required=False, empty_value=None
    )
    field_order = ["method", "zone", "tracking_number", "note"]

    def __init__(self, *args, zones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = [("", _("— none —"))] + [(z.pk, z.name) for z in zones]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All open"))] + CaseStatus.choices, required=False
    )
    due_before = forms.DateField(
        label=_("Due before"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    after = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)


class CounterFindForm(forms.Form):
    kind = forms.ChoiceField(label=_("Identity document"), choices=PERSON_DOCUMENT_CHOICES)
    number = forms.CharField(label=_("Document number"), max_length=40)


class CounterStartForm(forms.Form):
    item = forms.ChoiceField(label=_("Service"))
    identity_checked = forms.BooleanField(
        label=_("I have checked the original document and the person in front of me.")
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    start_again = forms.BooleanField(
        label=_("Start another case for this service all the same"), required=False
    )

    zone = forms.TypedChoiceField(label=_("Zone"), coerce=int)

    def __init__(self, *args, items=(), zones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("— choose —"))] + [
            (item.implementation_code, f"{item.name} · {item.department.name}") for item in items
        ]
        # A clerk working at several zones says which counter this is; one zone goes without.
        if len(zones) > 1:
            self.fields["zone"].choices = [(zone.pk, zone.name) for zone in zones]
        else:
            del self.fields["zone"]
        self.order_fields(["zone", "item", "identity_checked"])


class ServiceFilterForm(forms.Form):
    """Narrows the counter's service list by a search, without JavaScript."""

    service_q = forms.CharField(label=_("Find a service"), max_length=100, required=False)


# --- Delivery choice, rating, follow-ups ---------------------------------------------------------


class DeliveryChoiceForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How do you want to receive the result?"),
        choices=DeliveryMethod.choices,
        widget=forms.RadioSelect,
    )
    zone = forms.TypedChoiceField(
        label=_("Zone to collect it at"), coerce=int, required=False, empty_value=None
    )
    region = forms.ChoiceField(
        label=_("Post to"),
        choices=[("", _("— choose —")), ("HK", _("Hong Kong")), ("MO", _("Macao"))],
        required=False,
    )
    recipient = forms.CharField(label=_("Recipient"), max_length=100, required=False)
    phone = forms.CharField(label=_("Recipient's phone"), max_length=30, required=False)
    address = forms.CharField(
        label=_("Postal address"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, zones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = [("", _("— choose —"))] + [(z.pk, z.name) for z in zones]


RATING_CHOICES = [
    (5, _("5 · Very satisfied")),
    (4, _("4 · Satisfied")),
    (3, _("3 · Fairly satisfied")),
    (2, _("2 · Dissatisfied")),
    (1, _("1 · Very dissatisfied")),
]


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("How satisfied are you?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, dimensions=(), **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in dimensions:
            self.fields[f"score_{value}"] = forms.TypedChoiceField(
                label=label,
                choices=[("", _("— no answer —")), *RATING_CHOICES],
                coerce=int,
                required=False,
                empty_value=None,
            )
        self.order_fields(["level", *[f"score_{v}" for v, _label in dimensions], "comment"])

    def scores(self) -> dict:
        return {
            name.removeprefix("score_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("score_") and value is not None
        }


class FeedbackForm(forms.Form):
    feedback = forms.ChoiceField(
        label=_("Are you satisfied with what was done?"),
        choices=[("satisfied", _("Yes")), ("not_satisfied", _("No"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CallBackForm(forms.Form):
    reached = forms.BooleanField(label=_("The applicant was reached"), required=False)
    note = forms.CharField(
        label=_("What was said"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"))
    note = forms.CharField(
        label=_("What was done, or why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    ledger_reason = forms.CharField(
        label=_("Ledger entry: the problem"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    ledger_due = forms.DateField(
        label=_("Ledger deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, outcomes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = list(outcomes)


class StatusLookupForm(forms.Form):
    """A case number and the status code from its receipt (public status page, claiming)."""

    number = forms.CharField(
        label=_("Case number"),
        max_length=20,
        help_text=_("As printed on your receipt, e.g. JM-2026-000123."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label=_("Status code"),
        max_length=16,
        help_text=_("Eight letters and digits from your receipt."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
