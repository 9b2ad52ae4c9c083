"""Cross-border consent (单独同意 under PIPL): the texts, giving, withdrawing, checking.

The mainland's personal-information law treats Hong Kong and Macau as outside the mainland,
so moving a person's data across needs their separate consent. We keep the exact words
shown, in the language shown, with the version of the text; a new version of the text does
not void consents already given under an older one.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongban.accounts import trail
from tongban.accounts.applicants import Person
from tongban.accounts.constants import ConsentChannel, ConsentPurpose
from tongban.accounts.permissions import Action, require
from tongban.accounts.privacy import CrossBorderConsent
from tongban.accounts.user import Language

CONSENT_TEXT_VERSION = "2026-11"

RECIPIENTS = {
    ConsentPurpose.CASE_PROCESSING: gettext_lazy(
        "Jiangmen Municipal Government Services and Data Administration and the department "
        "that handles each application"
    ),
    ConsentPurpose.EVIDENCE_EXCHANGE: gettext_lazy(
        "The mainland departments that hold the records you ask for (social insurance, tax, "
        "real estate, company registration)"
    ),
}

TEXTS = {
    ConsentPurpose.CASE_PROCESSING: gettext_lazy(
        "I agree, separately from any other consent, that my personal information given in "
        "Hong Kong or Macao (my name, identity document numbers, contact details, address and "
        "the materials of my applications) is transferred to the mainland of China and "
        "processed there by %(recipient)s, for the purpose of receiving, reviewing and deciding "
        "my applications and delivering the results. It is kept for as long as the law "
        "requires for the records of each application. I may withdraw this consent at any "
        "time on my profile page or at a service zone counter; withdrawing does not affect "
        "processing already done, but new applications cannot be submitted without it."
    ),
    ConsentPurpose.EVIDENCE_EXCHANGE: gettext_lazy(
        "I agree, separately from any other consent, that %(recipient)s send records about "
        "me from the mainland of China to Tongban so that I can see, print or use them in "
        "Hong Kong or Macao. Each record is shown to me before it is used. I may withdraw "
        "this consent at any time on my profile page or at a service zone counter."
    ),
}


class ConsentMissing(ValidationError):
    """The person has not given (or has withdrawn) the consent an action needs."""


def consent_text(purpose: str, language: str) -> tuple[str, str, str]:
    """(text, recipient, version) exactly as shown in ``language``."""
    purpose = ConsentPurpose(purpose)
    language = Language(language)
    with translation.override(language.value):
        recipient = str(RECIPIENTS[purpose])
        text = str(TEXTS[purpose]) % {"recipient": recipient}
    return text, recipient, CONSENT_TEXT_VERSION


def current_consent(person: Person, purpose: str) -> CrossBorderConsent | None:
    return CrossBorderConsent.objects.filter(
        person=person, purpose=purpose, withdrawn_at__isnull=True
    ).first()


def has_consent(person: Person, purpose: str = ConsentPurpose.CASE_PROCESSING) -> bool:
    return current_consent(person, purpose) is not None


def require_consent(person: Person, purpose: str = ConsentPurpose.CASE_PROCESSING) -> None:
    """For later apps: call before a case is submitted; raises ConsentMissing."""
    if not has_consent(person, purpose):
        raise ConsentMissing(
            _(
                "Before we can handle this in the mainland, give your separate consent to "
                "move your data across the border (on your profile page, or at the counter)."
            ),
            code="consent_missing",
        )


@transaction.atomic
def give_consent(
    actor,
    person: Person,
    purpose: str,
    *,
    language: str,
    text_version: str = CONSENT_TEXT_VERSION,
    channel: str = ConsentChannel.ONLINE,
) -> CrossBorderConsent:
    """Records consent to the text of ``text_version`` shown in ``language``.

    ``text_version`` is the version the form displayed: if the text changed in between,
    the person has not seen the current text and is asked again.
    """
    require(actor, Action.CONSENT_GIVE, person)
    try:
        purpose = ConsentPurpose(purpose)
        language = Language(language)
    except ValueError as error:
        raise ValidationError(_("Choose a purpose and a language."), code="invalid") from error
    if text_version != CONSENT_TEXT_VERSION:
        raise ValidationError(
            _("The consent text has changed. Please read it again before agreeing."),
            code="consent_text_changed",
        )
    existing = current_consent(person, purpose)
    if existing:
        return existing
    if person.user_id is None or person.user_id != actor.pk:
        channel = ConsentChannel.COUNTER  # recorded by a clerk for the person in front of them
    text, recipient, version = consent_text(purpose, language)
    try:
        with transaction.atomic():
            consent = CrossBorderConsent.objects.create(
                person=person,
                purpose=purpose,
                recipient=recipient,
                text_shown=text,
                text_version=version,
                text_language=language,
                channel=channel,
                recorded_by=actor,
                given_at=timezone.now(),
            )
    except IntegrityError:  # given twice at once: keep the first
        return current_consent(person, purpose)
    trail.record(
        "consent_given",
        actor,
        "accounts.person",
        person.pk,
        purpose=purpose.value,
        consent=consent.pk,
        version=consent.text_version,
    )
    return consent


@transaction.atomic
def withdraw_consent(actor, person: Person, purpose: str) -> CrossBorderConsent | None:
    require(actor, Action.CONSENT_WITHDRAW, person)
    consent = (
        CrossBorderConsent.objects.select_for_update()
        .filter(person=person, purpose=purpose, withdrawn_at__isnull=True)
        .first()
    )
    if consent is None:
        return None
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    trail.record(
        "consent_withdrawn",
        actor,
        "accounts.person",
        person.pk,
        purpose=str(purpose),
        consent=consent.pk,
    )
    return consent


def consent_history(actor, person: Person) -> list[CrossBorderConsent]:
    require(actor, Action.CONSENT_VIEW, person)
    return list(person.cross_border_consents.all())
