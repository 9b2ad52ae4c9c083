"""Vocabularies of notifications: the events people are told about and delivery states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """Each event has a message template ``notifications/events/<value>.txt``."""

    CASE_SUBMITTED = "case_submitted", _("Application received")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplements requested")
    SUPPLEMENT_RECEIVED = "supplement_received", _("Supplements handed in")
    CASE_ACCEPTED = "case_accepted", _("Application accepted")
    CASE_REFUSED = "case_refused", _("Application not accepted")
    CASE_APPROVED = "case_approved", _("Application approved")
    CASE_DENIED = "case_denied", _("Application denied")
    CASE_DELIVERED = "case_delivered", _("Result delivered")
    DEADLINE_DUE_SOON = "deadline_due_soon", _("Case due soon")
    DEADLINE_OVERDUE = "deadline_overdue", _("Case overdue")
    RATING_FOLLOWUP_OPENED = "rating_followup_opened", _("Bad rating to follow up")
    RATING_FOLLOWUP_DUE = "rating_followup_due", _("Rating follow-up due")
    RATING_FOLLOWUP_OUTCOME = "rating_followup_outcome", _("Outcome of your rating")


# Events important enough to an applicant to send a text message as well as an e-mail.
SMS_EVENTS = frozenset(
    {
        Event.SUPPLEMENT_REQUESTED,
        Event.CASE_ACCEPTED,
        Event.CASE_REFUSED,
        Event.CASE_APPROVED,
        Event.CASE_DENIED,
        Event.CASE_DELIVERED,
    }
)


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ChannelReport(models.TextChoices):
    """What a channel knows about a message whose sender was interrupted."""

    DELIVERED = "delivered", _("Delivered")
    NOT_DELIVERED = "not_delivered", _("Not delivered")
    UNKNOWN = "unknown", _("Unknown")
