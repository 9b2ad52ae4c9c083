"""Filters that say catalog values in the reader's language ("20 working days", "Online")."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tongban.catalog import constants as c

register = template.Library()

ONLINE_DEPTH_MEANINGS = {
    1: lambda: _("information and forms are online; apply at a counter"),
    2: lambda: _("papers can be pre-checked online before you come"),
    3: lambda: _("apply online; come once at most, to collect the result"),
    4: lambda: _("entirely online: no visit needed"),
}


@register.filter
def duration(value: int, unit: str) -> str:
    """A time limit with its unit: "20 working days", "1 month"; 0 means on the spot."""
    if value == 0:
        return _("on the spot")
    if unit == c.LimitUnit.WORKING_DAYS:
        text = ngettext("%(count)d working day", "%(count)d working days", value)
    elif unit == c.LimitUnit.CALENDAR_DAYS:
        text = ngettext("%(count)d calendar day", "%(count)d calendar days", value)
    elif unit == c.LimitUnit.HOURS:
        text = ngettext("%(count)d hour", "%(count)d hours", value)
    elif unit == c.LimitUnit.MONTHS:
        text = ngettext("%(count)d month", "%(count)d months", value)
    else:
        return f"{value} {unit}"
    return text % {"count": value}


@register.filter
def channel_labels(values: list[str]) -> list[str]:
    """Labels of an item's channels, skipping any value the vocabulary does not know."""
    return [c.Channel(value).label for value in values if value in c.Channel.values]


@register.filter
def audience_labels(values: list[str]) -> list[str]:
    return [c.Audience(value).label for value in values if value in c.Audience.values]


@register.filter
def online_depth_meaning(depth: int | None) -> str:
    meaning = ONLINE_DEPTH_MEANINGS.get(depth)
    return meaning() if meaning else ""


@register.filter
def is_chinese(language_code: str | None) -> bool:
    return (language_code or "").lower().startswith("zh")


@register.filter
def localized(obj, field: str) -> str:
    """``obj.localized(field)`` for templates, which cannot pass arguments to methods."""
    return obj.localized(field)


@register.filter
def originals_and_copies(material) -> str:
    originals = ngettext("%(count)d original", "%(count)d originals", material.originals) % {
        "count": material.originals
    }
    if not material.copies:
        return originals
    copies = ngettext("%(count)d copy", "%(count)d copies", material.copies) % {
        "count": material.copies
    }
    return _("%(originals)s and %(copies)s") % {"originals": originals, "copies": copies}
