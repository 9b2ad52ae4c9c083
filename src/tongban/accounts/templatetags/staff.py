from django import template

from tongban.accounts.services import staff_label as label_of

register = template.Library()


@register.filter
def staff_label(user) -> str:
    """A staff member by name and role (``accounts.services.staff_label``)."""
    return label_of(user)
