"""送达: how the result of a case reaches the applicant, and when it did."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongban.accounts.constants import Region

from .constants import DeliveryMethod

POST_REGIONS = (Region.HONG_KONG, Region.MACAU)
RECIPIENT_MAX = 100
ADDRESS_MAX = 500
TRACKING_MAX = 40


class ResultDelivery(models.Model):
    """送达记录: the applicant's chosen way to receive the result, then the delivery itself.

    One row per case. The applicant (or a clerk) chooses first; staff record what was actually
    done, which may differ (a post returned, the applicant came to the counter after all).
    ``due`` is the statutory 10 working days after the decision (Administrative Licensing Law
    Art. 44); ``delivered_late`` keeps on record that it came later.
    """

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="result_delivery"
    )
    method = models.CharField(_("delivery"), max_length=16, choices=DeliveryMethod.choices)
    pickup_zone = models.ForeignKey(
        "catalog.Zone",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pickup zone"),
    )
    post_region = models.CharField(
        _("post to"), max_length=2, blank=True, choices=[(r.value, r.label) for r in POST_REGIONS]
    )
    post_recipient = models.CharField(_("recipient"), max_length=RECIPIENT_MAX, blank=True)
    post_phone = models.CharField(_("recipient phone (E.164)"), max_length=16, blank=True)
    post_address = models.TextField(_("postal address"), max_length=ADDRESS_MAX, blank=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen by"),
    )
    chosen_at = models.DateTimeField(_("chosen at"), null=True, blank=True)

    document = models.ForeignKey(
        "documents.IssuedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("electronic result"),
    )
    tracking_number = models.CharField(
        _("EMS tracking number"), max_length=TRACKING_MAX, blank=True
    )
    due = models.DateField(_("delivery due"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivered by"),
    )
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    delivered_late = models.BooleanField(_("delivered late"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("result delivery")
        verbose_name_plural = _("result deliveries")
        constraints = [
            models.CheckConstraint(
                condition=~Q(method=DeliveryMethod.COUNTER) | Q(pickup_zone__isnull=False),
                name="result_delivery_counter_has_zone",
            ),
            models.CheckConstraint(
                condition=~Q(method=DeliveryMethod.POST)
                | (~Q(post_region="") & ~Q(post_recipient="") & ~Q(post_address="")),
                name="result_delivery_post_has_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.method}"
