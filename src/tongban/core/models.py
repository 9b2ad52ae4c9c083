from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """A named sequence (case numbers, certificate numbers, catalog revision), taken under a row lock."""

    name = models.CharField(_("name"), max_length=64, primary_key=True)
    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
