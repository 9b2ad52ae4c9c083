"""Vocabularies of a case (办件): its states, channels, deadline flags and actions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplements requested")
    ACCEPTED = "accepted", _("Accepted")
    IN_REVIEW = "in_review", _("In review")
    SPECIAL_PROCEDURE = "special_procedure", _("Special procedure (clock paused)")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    REFUSED = "refused", _("Not accepted")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The review clock runs in these states; in the others it has not started, is paused or is over.
CLOCK_RUNNING = frozenset({CaseStatus.ACCEPTED, CaseStatus.IN_REVIEW})
DECIDED = frozenset({CaseStatus.APPROVED, CaseStatus.DENIED})
# A reviewer's default queue: everything the department still has to act on.
QUEUE_STATUSES = (
    CaseStatus.SUBMITTED,
    CaseStatus.SUPPLEMENT_REQUESTED,
    CaseStatus.ACCEPTED,
    CaseStatus.IN_REVIEW,
    CaseStatus.SPECIAL_PROCEDURE,
    CaseStatus.APPROVED,
    CaseStatus.DENIED,
)
FINAL = frozenset({CaseStatus.CLOSED, CaseStatus.WITHDRAWN})


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    COUNTER = "counter", _("At a zone counter")
    VIDEO = "video", _("Remote video")
    KIOSK = "kiosk", _("Self-service kiosk")
    POST = "post", _("By post")


# A case received at one of these channels names the zone that received it.
ZONE_CHANNELS = frozenset({Channel.COUNTER, Channel.KIOSK})


class DeadlineFlag(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class CaseAction(models.TextChoices):
    """Everything that can happen to a case; the transitions are in ``transitions.TABLE``."""

    START_DRAFT = "start_draft", _("Draft started")
    SAVE_DRAFT = "save_draft", _("Draft saved")
    ADD_ATTACHMENT = "add_attachment", _("File added")
    SUBMIT = "submit", _("Submitted")
    REQUEST_SUPPLEMENT = "request_supplement", _("Supplements requested")
    RESUBMIT = "resubmit", _("Supplements handed in")
    ACCEPT = "accept", _("Accepted")
    ACCEPT_AND_DECIDE = "accept_and_decide", _("Accepted and decided on the spot")
    DEEMED_ACCEPTANCE = "deemed_acceptance", _("Accepted by law (no supplement request in time)")
    REFUSE = "refuse", _("Not accepted")
    START_REVIEW = "start_review", _("Review started")
    BEGIN_SPECIAL_PROCEDURE = "begin_special_procedure", _("Special procedure begun")
    END_SPECIAL_PROCEDURE = "end_special_procedure", _("Special procedure ended")
    EXTEND = "extend", _("Time limit extended")
    APPROVE = "approve", _("Approved")
    DENY = "deny", _("Denied")
    DELIVER = "deliver", _("Result delivered")
    CLOSE = "close", _("Closed")
    WITHDRAW = "withdraw", _("Withdrawn by the applicant")
    FLAG = "flag", _("Deadline flag changed")
    CALENDAR_WARNING = "calendar_warning", _("Holiday schedule not published")


class SpecialProcedure(models.TextChoices):
    HEARING = "hearing", _("Hearing")
    TESTING = "testing", _("Testing or inspection")
    EXPERT_REVIEW = "expert_review", _("Expert review")
    OTHER = "other", _("Other procedure the law excludes from the time limit")


class PauseReason(models.TextChoices):
    SPECIAL_PROCEDURE = "special_procedure", _("Special procedure")
    SUPPLEMENT = "supplement", _("Waiting for supplements")


class DeliveryMethod(models.TextChoices):
    COUNTER = "counter", _("Collected at a zone counter")
    POST = "post", _("EMS post")
    DOWNLOAD = "download", _("Electronic result downloaded")


class LetterKind(models.TextChoices):
    """The letters a transition owes the applicant (rendered by the documents app)."""

    RECEIPT = "receipt", _("Receipt of application")
    ACCEPTANCE = "acceptance", _("Acceptance notice")
    REFUSAL = "refusal", _("Decision not to accept")
    SUPPLEMENT = "supplement", _("Notice of supplements needed")
    APPROVAL = "approval", _("Decision to approve")
    DENIAL = "denial", _("Decision to deny")


class ScanStatus(models.TextChoices):
    NOT_SCANNED = "not_scanned", _("Not scanned")
    CLEAN = "clean", _("No threat found")


# Stored on every denial and refusal: the law requires the decision to state these rights.
# Kept in Chinese (the language of the decision) beside the applicant's language.
REMEDY_NOTICE_ZH = (
    "申请人如不服本决定，可以自收到本决定之日起六十日内依法申请行政复议，"
    "或者自收到本决定之日起六个月内依法向人民法院提起行政诉讼。"
)
REMEDY_NOTICE = _(
    "If you disagree with this decision, you may apply for administrative reconsideration "
    "within 60 days of receiving it, or bring an administrative lawsuit before a people's "
    "court within six months of receiving it."
)
