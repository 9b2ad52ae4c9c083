"""The cases app's public face: pages, the API, commands and later apps call only these.

Submission (``start_draft``, ``save_draft``, ``add_attachment``, ``submit``), every transition
of the life cycle (from ``lifecycle``: ``request_supplement``, ``resubmit``, ``accept``,
``accept_and_decide``, ``refuse``, ``start_review``, ``begin_special_procedure``,
``end_special_procedure``, ``extend``, ``approve``, ``deny``, ``deliver``, ``close``,
``withdraw``), and the lists (``reviewer_queue``, ``my_cases``, ``overdue_cases``) and
``case_detail``. ``actor`` is always the signed-in user.

Errors: ``CaseNotFound`` (no such case, or not one the user may see), ``PermissionDenied``,
``IllegalTransition`` (the state does not allow it; answered 409), ``ValidationError`` with
translated messages per field (answered 422). Nothing is half-written: each call is one
transaction, and a stored file whose row did not commit is deleted.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts import services as accounts
from tongban.accounts.constants import Role
from tongban.accounts.permissions import Action, can, company_scopes, require, roles_of, zones_of
from tongban.catalog import services as catalog
from tongban.catalog.constants import Necessity
from tongban.core import counters

from . import attachments as files
from .constants import ZONE_CHANNELS, CaseAction, CaseStatus, Channel, LetterKind
from .events import handed_in
from .lifecycle import (  # noqa: F401  (re-exported: the door)
    AlreadyExtended,
    CaseNotFound,
    accept,
    accept_and_decide,
    approve,
    begin_special_procedure,
    close,
    deliver,
    deny,
    end_special_procedure,
    extend,
    invalid,
    locked_case,
    record_event,
    refuse,
    request_supplement,
    resubmit,
    schedule_letters,
    start_review,
    withdraw,
)
from .models import Attachment, Case, case_number
from .status_codes import give_status_code
from .transitions import TABLE, IllegalTransition, allowed_actions, transition_for  # noqa: F401

MAX_FORM_BYTES = 64 * 1024
# A clerk receives these; an applicant on their own applies online, at a kiosk or by post.
CLERK_CHANNELS = (Channel.COUNTER, Channel.VIDEO)
MAX_PAGE = 100


@dataclass(frozen=True)
class IdentityCheck:
    """What a clerk checked at the counter: the document kind and the number typed from it."""

    document_kind: str
    number: str


def _clean_form(form_data) -> dict:
    if form_data is None:
        return {}
    if not isinstance(form_data, dict):
        raise invalid("form_data", _("The form must be a set of named fields."), "invalid")
    if len(json.dumps(form_data, ensure_ascii=False).encode()) > MAX_FORM_BYTES:
        raise invalid("form_data", _("The form is too long."), "too_long")
    return form_data


def _company_allowed(person, company) -> bool:
    """Whether ``person`` (who may be at a clerk's counter) may apply for ``company``."""
    return (
        accounts.active_authorisations(person)
        .filter(company=company, scope__in=company_scopes(Action.CASE_SUBMIT))
        .exists()
    )


def _checked_identity(actor, person, check: IdentityCheck | None):
    if check is None:
        raise invalid(
            "identity_check",
            _("Record the identity document you checked."),
            "identity_check_required",
        )
    holder = accounts.find_person_by_document(actor, check.document_kind, check.number)
    if holder is None or holder.pk != person.pk:
        raise invalid(
            "identity_check",
            _("This document does not belong to the applicant."),
            "identity_mismatch",
        )
    document = holder.documents.filter(kind=check.document_kind).first()
    return document.number_masked if document else ""


def _idempotent_draft(actor, key: str, item) -> Case | None:
    existing = Case.objects.filter(submitted_by=actor, idempotency_key=key).first()
    if existing is not None and existing.item_id != item.pk:
        raise invalid(
            "idempotency_key",
            _("This Idempotency-Key was already used for another application."),
            "idempotency_key_reused",
        )
    return existing


def start_draft(
    actor,
    item_code: str,
    *,
    applicant=None,
    company=None,
    channel: str | None = None,
    zone=None,
    identity_check: IdentityCheck | None = None,
    form_data: dict | None = None,
    idempotency_key: str = "",
) -> Case:
    """A new draft for ``item_code``: by the applicant themselves, or by a clerk for
    ``applicant`` (recording the identity check). The same ``idempotency_key`` from the same
    user gives back the same case."""
    item = catalog.active_items().filter(implementation_code=item_code).first()
    if item is None:
        raise invalid("item", _("There is no such service."), "unknown_item")
    key = (idempotency_key or "").strip()[:100]
    if key and (existing := _idempotent_draft(actor, key, item)):
        return existing
    is_clerk = Role.ZONE_CLERK in roles_of(actor)
    own_person = accounts.person_for(actor)
    if applicant is None or (own_person and applicant.pk == own_person.pk and not is_clerk):
        if own_person is None:
            raise invalid("applicant", _("Complete your profile before applying."), "no_profile")
        applicant, clerk_zone = own_person, None
        channel = channel or (Channel.KIOSK if zone is not None else Channel.ONLINE)
        if channel in CLERK_CHANNELS:
            raise invalid(
                "channel",
                _("Applications at a counter or by video are started by the zone clerk."),
                "clerk_channel",
            )
    else:
        if not is_clerk:
            raise PermissionDenied(_("You are not allowed to do this."))
        my_zones = zones_of(actor)
        if zone is None and len(my_zones) == 1:
            zone = next(z for z in catalog.list_zones() if z.pk == my_zones[0])
        clerk_zone = zone
        if clerk_zone is None or clerk_zone.pk not in my_zones:
            raise invalid("zone", _("Choose the zone you work at."), "zone_required")
        zone = clerk_zone
        channel = channel or Channel.COUNTER
    if channel not in Channel.values:
        raise invalid("channel", _("Choose a channel."), "invalid_choice")
    if channel not in item.channels:
        raise invalid(
            "channel",
            _("This service cannot be applied for this way: %(channel)s.")
            % {"channel": Channel(channel).label},
            "channel_not_offered",
        )
    if channel in ZONE_CHANNELS and zone is None:
        raise invalid("zone", _("Choose the zone."), "zone_required")
    if company is not None and not item.for_companies:
        raise invalid(
            "company", _("This service is for persons, not companies."), "not_for_companies"
        )
    if company is None and not item.for_persons:
        raise invalid(
            "company", _("This service is for companies: choose one."), "company_required"
        )
    if company is not None and not _company_allowed(applicant, company):
        raise invalid(
            "company",
            _("The applicant is not authorised to apply for this company."),
            "not_authorised",
        )
    case = Case(
        item=item,
        department=item.department,
        applicant_person=applicant,
        applicant_company=company,
        submitted_by=actor,
        channel=channel,
        received_at_zone=zone if channel in ZONE_CHANNELS or clerk_zone else None,
        form_data=_clean_form(form_data),
        idempotency_key=key,
    )
    require(actor, Action.CASE_SUBMIT, case)
    if clerk_zone is not None:
        case.identity_number_masked = _checked_identity(actor, applicant, identity_check)
        case.identity_checked_by = actor
        case.identity_document_kind = identity_check.document_kind
        case.identity_checked_at = timezone.now()
    try:
        with transaction.atomic():
            year = timezone.localdate().year
            case.number = case_number(year, counters.next_value(f"case-{year}"))
            case.save()
            record_event(
                case,
                CaseAction.START_DRAFT,
                actor,
                to_status=case.status,
                data={"channel": channel, "zone": zone.code if zone else None},
                audit_verb="draft_started",
                notify=False,
            )
    except IntegrityError:
        # The same key at the same moment from a second request: the first one won.
        if key and (existing := _idempotent_draft(actor, key, item)):
            return existing
        raise
    return case


def save_draft(actor, number: str, *, form_data: dict) -> Case:
    with transaction.atomic():
        case = locked_case(actor, number)
        require(actor, Action.CASE_SUBMIT, case)
        if case.status != CaseStatus.DRAFT:
            raise IllegalTransition(CaseAction.SAVE_DRAFT, case.status)
        case.form_data = _clean_form(form_data)
        case.save(update_fields=["form_data", "updated_at"])
    return case


def _case_bytes(case: Case) -> int:
    return case.attachments.aggregate(total=Sum("size"))["total"] or 0


def add_attachment(
    actor, number: str, uploaded, *, requirement_id: int | None = None
) -> Attachment:
    """Checks the file (``attachments.check_upload``), stores it, records it on the case."""
    case = Case.objects.select_related("item").filter(number=number).first()
    if case is None or not can(actor, Action.CASE_VIEW, case):
        raise CaseNotFound(number)
    require(actor, Action.CASE_SUBMIT, case)
    if case.status not in (CaseStatus.DRAFT, CaseStatus.SUPPLEMENT_REQUESTED):
        raise IllegalTransition(CaseAction.ADD_ATTACHMENT, case.status)
    if requirement_id is not None and not case.item.materials.filter(pk=requirement_id).exists():
        raise invalid("requirement", _("Choose a material of this service."), "unknown_requirement")
    checked = files.check_upload(uploaded, case_bytes_used=_case_bytes(case))
    stored = files.store(checked)
    try:
        with transaction.atomic():
            case = locked_case(actor, number)
            if case.status not in (CaseStatus.DRAFT, CaseStatus.SUPPLEMENT_REQUESTED):
                raise IllegalTransition(CaseAction.ADD_ATTACHMENT, case.status)
            if _case_bytes(case) + checked.size > files.max_case_bytes():
                raise files.case_too_large()
            open_round = (
                case.supplement_requests.filter(answered_at__isnull=True)
                .order_by("-round")
                .values_list("round", flat=True)
                .first()
            )
            attachment = Attachment.objects.create(
                case=case,
                requirement_id=requirement_id,
                original_name=checked.display_name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                storage_name=stored,
                scan_status=checked.scan_status,
                scanner=checked.scanner,
                uploaded_by=actor,
                supplement_round=open_round or 0,
            )
            record_event(
                case,
                CaseAction.ADD_ATTACHMENT,
                actor,
                data={
                    "attachment": attachment.pk,
                    "requirement": requirement_id,
                    "sha256": checked.sha256,
                    "size": checked.size,
                    "type": checked.content_type,
                },
                audit_verb=None,  # audited with the submission that hands it in
                notify=False,
            )
    except BaseException:
        files.discard(stored)
        raise
    return attachment


def missing_materials(case: Case) -> tuple[list, list]:
    """(required materials with no file, may-follow materials with no file)."""
    delivered = set(
        case.attachments.exclude(requirement=None).values_list("requirement_id", flat=True)
    )
    required, may_follow = [], []
    for material in case.item.materials.order_by("position"):
        if material.pk in delivered:
            continue
        if material.necessity == Necessity.REQUIRED:
            required.append(material)
        elif material.necessity == Necessity.MAY_FOLLOW:
            may_follow.append(material)
    return required, may_follow


def submit(actor, number: str, *, idempotency_key: str = "") -> Case:
    """Submits a draft: consent and the required materials are checked. Submitting again with
    the key the case was created or submitted with answers with the same case."""
    key = (idempotency_key or "").strip()[:100]
    with transaction.atomic():
        case = locked_case(actor, number)
        replay = case.status != CaseStatus.DRAFT and key and key == case.idempotency_key
        if replay and case.submitted_at is not None and case.submitted_by_id == actor.pk:
            return case
        require(actor, TABLE[CaseAction.SUBMIT].permission, case)
        transition = transition_for(CaseAction.SUBMIT, case.status)
        accounts.require_consent(case.applicant_person)
        required, may_follow = missing_materials(case)
        if required:
            raise invalid(
                "attachments",
                _("Upload these materials first: %(names)s.")
                % {"names": "; ".join(m.name for m in required)},
                "materials_missing",
            )
        if key and not case.idempotency_key:
            if Case.objects.filter(submitted_by=case.submitted_by, idempotency_key=key).exists():
                raise invalid(
                    "idempotency_key",
                    _("This Idempotency-Key was already used for another application."),
                    "idempotency_key_reused",
                )
            case.idempotency_key = key
        now = timezone.now()
        case.status = transition.target
        case.submitted_at = case.materials_complete_at = now
        give_status_code(case)
        case.save()
        record_event(
            case,
            CaseAction.SUBMIT,
            actor,
            from_status=CaseStatus.DRAFT,
            to_status=case.status,
            data={
                "may_follow": [m.pk for m in may_follow],
                "channel": case.channel,
                "files": handed_in(case),
            },
            audit_verb=transition.audit_verb,
        )
        schedule_letters(case, [LetterKind.RECEIPT])
    return case


# --- Reading (``queries``) ----------------------------------------------------------------------
from .queries import (  # noqa: E402, F401
    CaseDetail,
    applicant_may,
    applicant_refusal,
    case_detail,
    my_cases,
    open_cases,
    open_cases_at_counter,
    overdue_cases,
    reviewer_queue,
    viewer_actions,
)


def sweep_now():
    """Runs the deadline sweep in this process (the command and tests); see ``sweep``."""
    from .sweep import sweep

    return sweep()


# --- Faces (pages): files and letters to download, time left, the counter, demo -----------------
# Appended by the faces work (views/, letters.py, demo.py); the functions above are the core's.


def open_attachment(user, number: str, attachment_id: int):
    """(attachment, open file) of a case ``user`` may see; ``CaseNotFound`` otherwise."""
    from django.core.files.storage import default_storage

    case = Case.objects.filter(number=number).first()
    if case is None or not can(user, Action.CASE_VIEW, case):
        raise CaseNotFound(number)
    attachment = case.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise CaseNotFound(number)
    return attachment, default_storage.open(attachment.storage_name, "rb")


def case_letters(user, number: str) -> list:
    """The vouchers and decision letters issued for a case ``user`` may see."""
    from .letters import letters_of

    return letters_of(case_detail(user, number).case)


def open_case_letter(user, number: str, letter_number: str):
    """(issued document, PDF bytes) of one letter of the case; ``CaseNotFound`` otherwise."""
    from tongban.documents import services as documents

    for document in case_letters(user, number):
        if document.number == letter_number:
            return document, documents.read_pdf(document)
    raise CaseNotFound(number)


def issue_letter_now(case: Case, letter_kind: str):
    """Issues a letter in this process (the demo and tests; transitions use the task)."""
    from .letters import issue_letter

    return issue_letter(case, letter_kind)


def working_days_left(due: dt.date | None) -> int | None:
    """Mainland working days from today to ``due``: negative once it has passed."""
    from tongban.core import workdays

    if due is None:
        return None
    return workdays.working_days_between(timezone.localdate(), due, "CN")


def counter_zones(user) -> list:
    """The zones a clerk works at (for the counter screen)."""
    mine = set(zones_of(user))
    return [zone for zone in catalog.list_zones() if zone.pk in mine]


def counter_items(zone) -> list:
    """Services a clerk can take in at ``zone``'s counter, by name."""
    items = catalog.active_items().filter(zones=zone).select_related("department")
    return sorted(
        (item for item in items if Channel.COUNTER in item.channels),
        key=lambda item: item.implementation_code,
    )


def create_demo_cases(people: dict) -> list[str]:
    """``tongban demo``: cases in every state for the demo residents; lines to print."""
    from .demo import create_demo_cases as create

    return create(people)


# --- Delivery (§6) and ratings (§7): appended by the delivery/ratings work ---------------------
from .delivery import (  # noqa: E402, F401
    PostalAddress,
    delivery_due,
    delivery_of,
    late_deliveries,
    record_delivery,
    set_delivery_preference,
)
from .rating_appeals import decide_appeal, file_appeal, pending_appeals  # noqa: E402, F401
from .rating_followups import (  # noqa: E402, F401
    FollowUpNotFound,
    WrongState,
    assign_owner,
    follow_ups,
    give_feedback,
    record_call_back,
    record_outcome,
)
from .ratings import (  # noqa: E402, F401
    Satisfaction,
    bad_ratings,
    may_rate,
    rateable_visits,
    rating_of_case,
    record_counter_visit,
    satisfaction,
    satisfaction_by_department,
    submit_rating,
)
from .scanning import scanner_health  # noqa: E402, F401  (the health page's door)
