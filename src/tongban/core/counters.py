"""Human-readable numbers from a counter row under a lock, never from ``max() + 1``."""

from django.db import transaction

from .models import Counter


def next_value(name: str) -> int:
    """Advance counter ``name`` and return its new value; safe under concurrent callers."""
    with transaction.atomic():
        Counter.objects.get_or_create(name=name)
        counter = Counter.objects.select_for_update().get(name=name)
        counter.value += 1
        counter.save(update_fields=["value"])
        return counter.value


def current_value(name: str) -> int:
    return Counter.objects.filter(name=name).values_list("value", flat=True).first() or 0
