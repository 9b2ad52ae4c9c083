from django.utils.functional import SimpleLazyObject

from .navigation import places_for


def my_places(request):
    """The header's own places, computed only when a template reads them."""
    user = getattr(request, "user", None)
    return {"my_places": SimpleLazyObject(lambda: places_for(user) if user else [])}
