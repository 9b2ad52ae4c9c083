"""The security page's form for a new API token (staff only)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.accounts import token_scopes, tokens


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What it is for"),
        max_length=100,
        help_text=_("For example the name of the integration that will use it."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every token reads what your roles allow; a read-only token changes nothing."),
    )
    days = forms.IntegerField(label=_("Lasts (days)"), min_value=1, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [
            (scope.name, f"{scope.label} — {scope.description}")
            for scope in token_scopes.all_scopes()
        ]
        self.fields["scopes"].initial = [token_scopes.READ]
        self.fields["days"].initial = tokens.default_days()
        self.fields["days"].widget.attrs.update({"max": tokens.max_days()})

    def clean_days(self):
        days = self.cleaned_data["days"]
        if days is not None and days > tokens.max_days():
            raise forms.ValidationError(
                _("A token lasts between 1 and %(max)s days.") % {"max": tokens.max_days()}
            )
        return days
