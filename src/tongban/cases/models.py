"""Cases (办件), their timelines, uploaded files and supplement requests."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from tongban.accounts.constants import PERSON_DOCUMENT_CHOICES

from . import running_clock, status_codes
from .constants import (
    QUEUE_STATUSES,
    CaseAction,
    CaseStatus,
    Channel,
    DeadlineFlag,
    DeliveryMethod,
    PauseReason,
    ScanStatus,
    SpecialProcedure,
)

NUMBER_PREFIX = "JM"
# The states a case ends in; ``outcome`` keeps the last of them through delivery and closing.
ENDING_STATES = frozenset({CaseStatus.APPROVED, CaseStatus.DENIED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN})


def case_number(year: int, sequence: int) -> str:
    """``JM-2026-000123``: the counter runs per year."""
    return f"{NUMBER_PREFIX}-{year}-{sequence:06d}"


class Case(models.Model):
    """办件: one application for one catalog item, from submission to closing.

    ``department`` repeats ``item.department`` so the reviewer's queue and the permission
    rules read one row. Due dates are dates in the mainland calendar; ``paused_days`` counts the
    working days the law stopped the clock (special procedures, supplements during review).
    """

    number = models.CharField(_("number"), max_length=20, unique=True)
    item = models.ForeignKey(
        "catalog.ServiceItem",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("item"),
    )
    department = models.ForeignKey(
        "catalog.Department",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("department"),
    )
    applicant_person = models.ForeignKey(
        "accounts.Person",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("applicant"),
    )
    applicant_company = models.ForeignKey(
        "accounts.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("applicant company"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases_submitted",
        verbose_name=_("submitted by"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    received_at_zone = models.ForeignKey(
        "catalog.Zone",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("received at zone"),
    )
    # The identity check a clerk did at the counter: who, which document, masked, when.
    identity_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("identity checked by"),
    )
    identity_document_kind = models.CharField(
        _("identity document checked"), max_length=32, choices=PERSON_DOCUMENT_CHOICES, blank=True
    )
    identity_number_masked = models.CharField(
        _("document number (masked)"), max_length=32, blank=True
    )
    identity_checked_at = models.DateTimeField(_("identity checked at"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    form_data = models.JSONField(_("form data"), default=dict, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    materials_complete_at = models.DateTimeField(
        _("materials complete at"),
        null=True,
        blank=True,
        help_text=_("When the last papers arrived; the five-day acceptance rule counts from here."),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("accepted by operation of law"), default=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    statutory_due = models.DateField(_("statutory due date"), null=True, blank=True)
    promised_due = models.DateField(_("promised due date"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("working days paused"), default=0)
    paused_since = models.DateField(_("paused since"), null=True, blank=True)
    pause_reason = models.CharField(
        _("pause reason"), max_length=24, choices=PauseReason.choices, blank=True
    )
    special_procedure = models.CharField(
        _("special procedure"), max_length=24, choices=SpecialProcedure.choices, blank=True
    )
    extended = models.BooleanField(_("extended"), default=False)
    extension_reason = models.TextField(_("extension reason"), blank=True)
    deadline_flag = models.CharField(
        _("deadline"), max_length=16, choices=DeadlineFlag.choices, default=DeadlineFlag.ON_TIME
    )
    # The receipt's status code (``status_codes``), encrypted: it opens the public status page.
    status_code_encrypted = models.TextField(_("status code (encrypted)"), blank=True, editable=False)
    # Kept by ``save`` from the other fields (``running_clock``): the due date of the clock
    # that is running, which the queue sorts by, and how the case ended once it did.
    clock_due = models.DateField(_("running clock due"), null=True, blank=True, editable=False)
    outcome = models.CharField(
        _("outcome"), max_length=24, choices=CaseStatus.choices, blank=True, editable=False
    )
    calendar_warning = models.TextField(_("calendar warning"), blank=True)

    decision_reasons = models.TextField(_("reasons"), blank=True)
    remedy_notice = models.TextField(_("rights of appeal"), blank=True)
    delivery_method = models.CharField(
        _("delivery"), max_length=16, choices=DeliveryMethod.choices, blank=True
    )
    delivery_zone = models.ForeignKey(
        "catalog.Zone",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivered at zone"),
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # The reviewer's queue for one state: WHERE department, status ORDER BY due, id.
            models.Index(fields=["department", "status", "statutory_due", "id"], name="case_queue"),
            # The default queue (every state still to act on) read in due-date order.
            models.Index(
                fields=["department", "statutory_due", "id"],
                condition=Q(status__in=QUEUE_STATUSES),
                name="case_queue_open",
            ),
            models.Index(
                fields=["statutory_due", "id"],
                condition=Q(deadline_flag=DeadlineFlag.OVERDUE),
                name="case_overdue",
            ),
            # "My cases": WHERE applicant ORDER BY id DESC.
            models.Index(fields=["applicant_person", "-id"], name="case_mine"),
            # The sweep and the supervisors' overdue list.
            models.Index(fields=["status", "statutory_due", "id"], name="case_due"),
            # The reviewer's queue in running-clock order (acceptance, decision, delivery).
            models.Index(
                fields=["department", "clock_due", "id"],
                condition=Q(status__in=QUEUE_STATUSES),
                name="case_queue_clock",
            ),
            models.Index(
                fields=["department", "status", "clock_due", "id"], name="case_queue_clock_state"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="case_idempotency_key_once",
            ),
            models.CheckConstraint(
                condition=Q(paused_since__isnull=True) | ~Q(pause_reason=""),
                name="case_pause_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        if self.status in ENDING_STATES:
            self.outcome = self.status
        self.clock_due = running_clock.clock_due(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "clock_due", "outcome"}
        super().save(*args, **kwargs)

    @cached_property
    def clock(self) -> running_clock.RunningClock:
        """The clock every page shows (``running_clock``)."""
        return running_clock.running_clock(self)

    @property
    def status_code(self) -> str:
        """The receipt's status code, readable (only the applicant's and the zone's pages)."""
        return status_codes.status_code_of(self)

    @property
    def clock_paused(self) -> bool:
        return self.paused_since is not None


class CaseEvent(models.Model):
    """One line of a case's timeline: what happened, from which state to which, who, why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=32, choices=CaseAction.choices)
    from_status = models.CharField(_("from"), max_length=24, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=CaseStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(_("by (system)"), max_length=64, blank=True)
    at = models.DateTimeField(_("time"))
    note = models.TextField(_("note"), blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "id"]
        indexes = [models.Index(fields=["case", "id"], name="case_event_timeline")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class Attachment(models.Model):
    """An uploaded file against a material requirement. The stored name is random."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    requirement = models.ForeignKey(
        "catalog.MaterialRequirement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("material"),
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(_("stored as"), max_length=200, unique=True)
    scan_status = models.CharField(
        _("scan"), max_length=16, choices=ScanStatus.choices, default=ScanStatus.NOT_SCANNED
    )
    scanner = models.CharField(_("scanner"), max_length=40, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    supplement_round = models.PositiveSmallIntegerField(_("supplement round"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return self.original_name


class SupplementRequest(models.Model):
    """补正告知: everything missing, asked for at once, and when it was answered."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supplement_requests")
    round = models.PositiveSmallIntegerField(_("round"))
    missing_requirements = models.JSONField(_("missing materials"), default=list)
    missing_other = models.JSONField(_("other missing items"), default=list)
    note = models.TextField(_("note"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    due = models.DateField(_("answer due"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")
        ordering = ["case", "round"]
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="supplement_round_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.round}"


# Delivery (§6) and ratings (§7) live in their own modules, by concept.
from .delivery_models import ResultDelivery  # noqa: E402
from .rating_models import (  # noqa: E402
    CallBack,
    CounterVisit,
    Rating,
    RatingAppeal,
    RatingFollowUp,
    RatingScore,
)

__all__ = [
    "Attachment",
    "CallBack",
    "Case",
    "CaseEvent",
    "CounterVisit",
    "Rating",
    "RatingAppeal",
    "RatingFollowUp",
    "RatingScore",
    "ResultDelivery",
    "SupplementRequest",
]
