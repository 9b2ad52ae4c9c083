"""The plain GET forms of the public catalog pages (browse filters and search).

They turn query parameters into ``services.ItemFilters`` and say clearly what was wrong with a
hand-edited or stale URL, instead of failing.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import constants as c
from . import services

MAX_QUERY_LENGTH = 200
MAX_CURSOR_LENGTH = 36


def _any(label):
    return [("", label)]


class BrowseFilterForm(forms.Form):
    department = forms.ChoiceField(
        label=_("Department"),
        required=False,
        error_messages={"invalid_choice": _("There is no department with this code.")},
    )
    topic = forms.ChoiceField(
        label=_("Topic"),
        required=False,
        error_messages={"invalid_choice": _("There is no such topic.")},
    )
    audience = forms.ChoiceField(
        label=_("Who applies"),
        required=False,
        choices=_any(_("Persons or companies")) + list(c.Audience.choices),
        error_messages={"invalid_choice": _("Choose persons or companies.")},
    )
    scope = forms.ChoiceField(
        label=_("Where it can be handled"),
        required=False,
        choices=_any(_("Any scope")) + list(c.Scope.choices),
        error_messages={
            "invalid_choice": _("Choose Jiangmen only, cross-border or province-wide.")
        },
    )
    high_frequency = forms.BooleanField(label=_("Only frequently used services"), required=False)
    after = forms.CharField(
        required=False,
        max_length=MAX_CURSOR_LENGTH,
        error_messages={"max_length": _("This page link is broken; start from the first page.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _any(_("All departments")) + [
            (department.credit_code, department.name) for department in services.list_departments()
        ]
        self.fields["topic"].choices = _any(_("All topics")) + [
            (slug, label) for slug, (_term, label) in c.TOPICS.items()
        ]

    def filters(self) -> services.ItemFilters:
        data = self.cleaned_data
        return services.ItemFilters(
            department=data["department"] or None,
            topic=data["topic"] or None,
            audience=data["audience"] or None,
            scope=data["scope"] or None,
            high_frequency=True if data["high_frequency"] else None,
        )

    def is_filtered(self) -> bool:
        data = self.cleaned_data
        return any(data[name] for name in ("department", "topic", "audience", "scope")) or bool(
            data["high_frequency"]
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("What do you need to do?"),
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "required": _(
                "Type a few words to search for, for example 参保证明 or provident fund."
            ),
            "max_length": _("Your search is too long: use at most %(limit_value)d characters."),
        },
    )
